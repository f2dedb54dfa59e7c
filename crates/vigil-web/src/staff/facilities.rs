//! The facility queue and the facility page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::atlas;
use vigil_core::desk::{self, PAGE};
use vigil_domain::Capability;
use vigil_domain::FacilityId;

use super::form::StaffForm;
use super::{Staff, StaffLang, who};
use crate::display::{day, facility_name, unit_name};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// One row of the facility queue.
pub struct Row {
    id: i64,
    /// Its readable name.
    name: String,
    priority: String,
    province: String,
    tips: i64,
    last: String,
    top: Vec<String>,
    urgent: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/facilities.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    rows: Vec<Row>,
    total: i64,
    prev: Option<i64>,
    next: Option<i64>,
    /// The filter's name, when one is applied.
    filter: Option<String>,
    /// The filter as a query string (`&province=18`), kept by the pager.
    filter_qs: String,
    /// Showing what is assigned to the reader.
    mine: bool,
    /// Tips assigned to the reader (id, excerpt).
    mine_tips: Vec<(i64, String)>,
}

/// Paging and filters.
#[derive(Deserialize)]
pub struct Paging {
    #[serde(default)]
    page: i64,
    /// Only this province (two-digit code).
    province: Option<String>,
    /// Only what is assigned to the reader.
    #[serde(default)]
    mine: bool,
}

const LIFE_SAFETY: [&str; 4] = ["held", "passports_taken", "violence", "children"];

/// `GET /staff/facilities`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<Paging>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let page = q.page.max(0);
    let province = q.province.as_deref().filter(|p| !p.is_empty());
    let mut mine_tips = Vec::new();
    let listed = match (province, q.mine) {
        (_, true) => vigil_core::assign::mine(&state.vigil.desk, &s.principal)
            .await
            .map(|m| {
                mine_tips = m
                    .tips
                    .iter()
                    .map(|tip| (tip.id.0, tip.text.chars().take(160).collect::<String>()))
                    .collect();
                let n = m.facilities.len() as i64;
                (m.facilities, n)
            }),
        (Some(code), false) => {
            atlas::facilities_in(&state.vigil.desk, &s.principal, code, page).await
        }
        (None, false) => desk::facilities(&state.vigil.desk, &s.principal, page).await,
    };
    let (found, total) = listed?;
    let page = if q.mine { 0 } else { page };
    let rows = found
        .into_iter()
        .map(|(f, reasons)| Row {
            id: f.id.0,
            name: facility_name(&t, &f.name, f.id.0),
            priority: format!("{:.0}", f.priority),
            province: unit_name(f.province_code.as_deref(), lang.0),
            tips: f.tips,
            last: day(t.lang, f.last_at),
            urgent: reasons
                .iter()
                .any(|r| LIFE_SAFETY.contains(&r.code.as_str())),
            top: reasons
                .iter()
                .take(3)
                .map(|r| t.t(&format!("reason-{}", r.code)))
                .collect(),
        })
        .collect();
    let view = ListPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        rows,
        total,
        prev: (page > 0).then(|| page - 1),
        next: (!q.mine && (page + 1) * PAGE < total).then_some(page + 1),
        filter: if q.mine {
            Some(t.t("staff-assigned-to-me"))
        } else {
            province.map(|p| unit_name(Some(p), lang.0))
        },
        filter_qs: province.map_or_else(String::new, |p| format!("&province={p}")),
        mine: q.mine,
        mine_tips,
    };
    Ok(lang.remember(&state, view.into_response()))
}

/// One tip of a facility.
pub struct TipLine {
    id: i64,
    received: String,
    excerpt: String,
}

/// One reason as shown.
pub struct ReasonLine {
    label: String,
    weight: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/facility.html")]
struct FacilityPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    id: i64,
    /// Its readable name.
    name: String,
    priority: String,
    province: String,
    first: String,
    last: String,
    reasons: Vec<ReasonLine>,
    tips: Vec<TipLine>,
    may_triage: bool,
    map: Option<super::map::MiniMap>,
    assigned: super::assign::Panel,
    /// Operations planned from it: (id, reference, status).
    operations: Vec<(i64, String, String)>,
}

/// `GET /staff/facilities/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let view = desk::facility(&state.vigil.desk, &s.principal, FacilityId(id)).await?;
    let f = &view.facility;
    let object = vigil_core::views::Target::Facility(FacilityId(id));
    let assigned = super::assign::panel(&state, &s, object, t.lang).await?;
    let operations =
        vigil_core::operations::of_facility(&state.vigil.operations, &s.principal, FacilityId(id))
            .await?
            .into_iter()
            .map(|r| (r.id, r.operation.reference, r.operation.status))
            .collect();
    let page = FacilityPage {
        operations,
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        id,
        name: facility_name(&t, &f.name, id),
        priority: format!("{:.1}", f.priority),
        province: unit_name(f.province_code.as_deref(), lang.0),
        first: day(t.lang, f.first_at),
        last: day(t.lang, f.last_at),
        reasons: view
            .reasons
            .iter()
            .map(|r| ReasonLine {
                label: t.t(&format!("reason-{}", r.code)),
                weight: format!("{:+.1}", r.weight),
                detail: crate::reasons::facility_detail(&t, &r.code, &r.args),
            })
            .collect(),
        tips: view
            .tips
            .iter()
            .map(|tip| TipLine {
                id: tip.id.0,
                received: day(t.lang, tip.received_at),
                excerpt: tip.text.chars().take(200).collect(),
            })
            .collect(),
        may_triage: s.principal.role.can(Capability::TriageTips),
        map: super::map::mini_map(&t, f, &view.tips),
        assigned,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The merge form.
#[derive(Deserialize)]
pub struct MergeForm {
    other: i64,
}

/// `POST /staff/facilities/{id}/merge`.
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<MergeForm>,
) -> Result<Redirect, PageError> {
    desk::merge(
        &state.vigil.desk,
        &s.principal,
        FacilityId(id),
        FacilityId(f.other),
    )
    .await?;
    Ok(Redirect::to("/staff/facilities"))
}

/// `POST /staff/facilities/{id}/keep-apart`: the chosen tips (`tip`, given
/// once per tip) must not be clustered together again.
pub async fn keep_apart(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let tips: Vec<vigil_domain::TipId> = f
        .iter()
        .filter(|(k, _)| k == "tip")
        .filter_map(|(_, v)| v.parse().ok().map(vigil_domain::TipId))
        .collect();
    desk::keep_apart(&state.vigil.desk, &s.principal, &tips).await?;
    Ok(Redirect::to(&format!("/staff/facilities/{id}")))
}

/// A form carrying only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {}

/// `POST /staff/tips/{id}/split`: the tip leaves its facility.
pub async fn split(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, _f): StaffForm<CsrfOnly>,
) -> Result<Redirect, PageError> {
    desk::split(&state.vigil.desk, &s.principal, vigil_domain::TipId(id)).await?;
    Ok(Redirect::to(&format!("/staff/tips/{id}")))
}

/// Routes of facilities and the analyst's corrections.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/facilities", get(list))
        .route("/staff/facilities/{id}", get(show))
        .route("/staff/facilities/{id}/keep-apart", post(keep_apart))
        .route("/staff/facilities/{id}/merge", post(merge))
        .route("/staff/tips/{id}/split", post(split))
}
