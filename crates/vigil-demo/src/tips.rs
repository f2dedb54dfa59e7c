//! Tips from the synthetic world of `vigil-synth`, written as citizens and
//! victims' families report (`vigil_synth::reports`), imported as a hotline
//! file (`vigil_core::import`) and clustered by the pipeline into facilities.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_core::{CoreError, Vigil, import, pipeline};
use vigil_domain::FacilityId;
use vigil_domain::gazetteer::gazetteer;
use vigil_store::FacilityQuery;

use crate::plan::{DemoError, Plan, Progress, at};

/// A facility the pipeline made, as the raids need it.
#[derive(Debug, Clone)]
pub(crate) struct Facility {
    pub id: FacilityId,
    pub province: Option<String>,
    pub first_at: OffsetDateTime,
}

/// The plan's tips: the synthetic world's, written as people report.
pub(crate) fn generated(plan: &Plan) -> Vec<vigil_synth::facilities::FacilityTip> {
    vigil_synth::facilities::reports_scaled(plan.seed, plan.tips, plan.facility_scale)
}

/// The hotline file for `plan`: one JSON object a line.
fn hotline_file(plan: &Plan) -> Result<Vec<u8>, DemoError> {
    let g = gazetteer();
    let mut out = Vec::with_capacity(plan.tips * 400);
    let tips = generated(plan);
    for (i, t) in tips.iter().enumerate() {
        let received = OffsetDateTime::from_unix_timestamp(t.received_at_unix)
            .ok()
            .and_then(|d| d.format(&Rfc3339).ok());
        let line = serde_json::json!({
            "ref": format!("DEMO-{i:06}"),
            "text": t.text,
            "category": t.category,
            "province_code": t.province_code,
            "commune_code": t.commune_code.as_deref().and_then(|c| g.descend(c)).map(|u| &u.code),
            "village_code": t.village_code.as_deref().and_then(|c| g.descend(c)).map(|u| &u.code),
            "place": t.place,
            "lat": t.lat,
            "lon": t.lon,
            "received_at": received,
            "channel": "hotline",
            "language": t.language,
            "danger": {
                "held": t.danger[0],
                "passports_taken": t.danger[1],
                "violence": t.danger[2],
                "children": t.danger[3],
            },
        });
        out.extend_from_slice(line.to_string().as_bytes());
        out.push(b'\n');
    }
    Ok(out)
}

/// Imports the plan's tips; returns how many were stored.
pub(crate) async fn import(
    v: &Vigil,
    plan: &Plan,
    progress: &dyn Progress,
) -> Result<u64, DemoError> {
    let file = hotline_file(plan)?;
    progress.stage("tips", plan.tips as u64);
    let mut last = 0;
    let report = import::import_jsonl(&v.intake, file.as_slice(), "demo", |p| {
        progress.advance(p.lines.saturating_sub(last));
        last = p.lines;
    })
    .await
    .map_err(at("importing tips"))?;
    if let Some(r) = report.refused.first() {
        return Err(at("importing tips")(CoreError::BadRequest(format!(
            "line {} refused: {}",
            r.line, r.reason
        ))));
    }
    Ok(report.stored)
}

/// Runs the pipeline until every tip is processed; returns the facilities.
pub(crate) async fn cluster(
    v: &Vigil,
    progress: &dyn Progress,
) -> Result<Vec<Facility>, DemoError> {
    let total = v
        .store
        .count_tips()
        .await
        .map_err(|e| at("counting tips")(e.into()))?;
    progress.stage("facilities", u64::try_from(total).unwrap_or(0));
    let mut last = 0;
    pipeline::run_until_idle(&v.pipeline, |p| {
        let tips = p.tips as u64;
        progress.advance(tips.saturating_sub(last));
        last = tips;
    })
    .await
    .map_err(at("clustering tips"))?;
    let mut out = Vec::new();
    loop {
        let (rows, _) = v
            .store
            .facilities(&FacilityQuery {
                provinces: None,
                limit: 1000,
                offset: out.len() as i64,
            })
            .await
            .map_err(|e| at("listing facilities")(e.into()))?;
        if rows.is_empty() {
            break;
        }
        out.extend(rows.into_iter().map(|f| Facility {
            id: f.id,
            province: f.province_code,
            first_at: f.first_at,
        }));
    }
    // Highest priority first, as analysts would raid them; ties by id.
    Ok(out)
}
