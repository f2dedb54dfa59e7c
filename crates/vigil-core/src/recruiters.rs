//! Local recruiters: from a victim's home village to the recruiter who sent
//! them, the compounds they fed, and back to prevention.
//!
//! A recruiter becomes known when a victim names their contacts or when
//! they are met in an operation (`persons::record` with the role
//! `recruiter`); the store makes them one by shared contacts. Who may read:
//! roles that read persons met; names (the recruiter's and the victims')
//! only for roles that read operations, as for persons. A recruiter is
//! within a reader's jurisdiction when one of its provinces is (where its
//! victims were met or come from, where it was met or arrested); victims
//! outside it are counted, never shown. Every read is audited.
//!
//! The commune view and the prevention list are counts; a village with
//! fewer than [`SMALL_COUNT`] victims is shown as "fewer than three" so that
//! nobody can be singled out.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};
use vigil_domain::gazetteer::{Level, gazetteer};
use vigil_domain::{AuditAction, Capability, FacilityId, TipId};
use vigil_store::{
    Area, HomeVillage, ObservableId, RecruiterArrest, RecruiterStatus, RecruiterSummary,
    ScreeningMention,
};

pub use vigil_store::RecordOrigin;

use crate::CoreError;
use crate::persons::{PersonsService, may_read, open_identity, reads_names};
use crate::staff::Principal;

/// Counts below this are shown as "fewer than three".
pub const SMALL_COUNT: u64 = 3;

/// How many tips, facilities and screenings a recruiter page lists.
const LIST: i64 = 50;

/// The label a recruiter's contacts carry on the screening watchlist.
pub use crate::screening::recruiter_label as watchlist_label;

/// A victim as shown on a recruiter's page.
#[derive(Debug, Clone)]
pub struct VictimView {
    /// The victim's record.
    pub record_id: i64,
    /// The victim.
    pub person_id: i64,
    /// Their name, for roles that read names.
    pub name: Option<String>,
    /// The operation they were met in.
    pub operation_id: Option<i64>,
    /// Where they were met.
    pub province_code: String,
    /// Their home village.
    pub home: Option<HomeVillage>,
    /// The job promised.
    pub promised_job: String,
    /// The route.
    pub route: String,
    /// When recorded.
    pub recorded_at: OffsetDateTime,
}

/// A recruiter's page.
#[derive(Debug, Clone)]
pub struct RecruiterView {
    /// Its id.
    pub id: i64,
    /// Sought, arrested, charged, convicted.
    pub status: RecruiterStatus,
    /// The person met, when met in person.
    pub person_id: Option<i64>,
    /// Their name, when met in person and the reader reads names.
    pub name: Option<String>,
    /// Nationalities recorded when met.
    pub nationalities: Vec<String>,
    /// Their own home villages.
    pub homes: Vec<HomeVillage>,
    /// Their contacts: observable, kind, value.
    pub contacts: Vec<(ObservableId, String, String)>,
    /// Their victims within the reader's jurisdiction, oldest first.
    pub victims: Vec<VictimView>,
    /// Victims outside it (counted only).
    pub victims_elsewhere: usize,
    /// Victims' home communes: commune code → victims (all victims).
    pub communes: BTreeMap<String, u64>,
    /// Arrests, oldest first.
    pub arrests: Vec<RecruiterArrest>,
    /// Tips naming one of their contacts, newest first (roles that read
    /// tips, within the jurisdiction).
    pub tips: Vec<TipId>,
    /// Compounds they fed: the facilities of those tips and of the
    /// operations their victims were met in.
    pub facilities: Vec<FacilityId>,
    /// Screenings at exit posts whose watchlist hit named them (roles that
    /// review screenings, posts within the jurisdiction).
    pub screenings: Vec<ScreeningMention>,
}

/// A recruiter's page (audited); `NotFound` outside the jurisdiction.
pub async fn recruiter(
    v: &PersonsService,
    p: &Principal,
    id: i64,
) -> Result<RecruiterView, CoreError> {
    may_read(p)?;
    let row = v.store.recruiter(id).await?;
    let covered = match p.jurisdiction.provinces() {
        None => true,
        Some(list) => row.provinces().iter().any(|c| list.contains(c)),
    };
    if !covered {
        return Err(CoreError::NotFound);
    }
    v.store
        .append_audit(
            p.audit(
                AuditAction::RecruiterRead,
                format!("recruiter:{}", row.id),
                if reads_names(p) {
                    "identity"
                } else {
                    "figures"
                }
                .into(),
            ),
        )
        .await?;
    let names = reads_names(p);
    let mut name = None;
    let mut nationalities = Vec::new();
    let mut homes = Vec::new();
    for (record, _, nationality, home) in &row.records {
        if !nationalities.contains(nationality) {
            nationalities.push(nationality.clone());
        }
        if let Some(h) = home
            && !homes.contains(h)
        {
            homes.push(h.clone());
        }
        if names && name.is_none() {
            let r = v.store.person_record(*record).await?;
            let identity = open_identity(v, &r.record.identity)?;
            name = Some(identity.display_name());
        }
    }
    let mut communes: BTreeMap<String, u64> = BTreeMap::new();
    let mut victims = Vec::new();
    let mut elsewhere = 0;
    let mut operations: Vec<i64> = Vec::new();
    let mut seen_people = std::collections::BTreeSet::new();
    for victim in &row.victims {
        if let Some(h) = &victim.home
            && seen_people.insert((victim.person_id, h.commune_code.clone()))
        {
            *communes.entry(h.commune_code.clone()).or_default() += 1;
        }
        if !p.jurisdiction.covers(Some(&victim.province_code)) {
            elsewhere += 1;
            continue;
        }
        if let Some(op) = victim.operation_id
            && !operations.contains(&op)
        {
            operations.push(op);
        }
        let name = if names {
            let r = v.store.person_record(victim.record_id).await?;
            Some(open_identity(v, &r.record.identity)?.display_name())
        } else {
            None
        };
        victims.push(VictimView {
            record_id: victim.record_id,
            person_id: victim.person_id,
            name,
            operation_id: victim.operation_id,
            province_code: victim.province_code.clone(),
            home: victim.home.clone(),
            promised_job: victim.promised_job.clone(),
            route: victim.route.clone(),
            recorded_at: victim.recorded_at,
        });
    }
    let within = p.jurisdiction.provinces();
    let mut tips: Vec<TipId> = Vec::new();
    if p.role.can(Capability::ReadTips) {
        for (observable, _, _) in &row.contacts {
            for t in v.store.related_tips(*observable, within, LIST).await? {
                if !tips.contains(&t) {
                    tips.push(t);
                }
            }
        }
        tips.sort_by(|a, b| b.cmp(a));
        tips.truncate(usize::try_from(LIST).unwrap_or(50));
    }
    let mut facilities: Vec<FacilityId> = Vec::new();
    if p.role.can(Capability::ReadOperations) {
        for t in &tips {
            if let Some(f) = v.store.facility_of(*t).await?
                && !facilities.contains(&f)
            {
                facilities.push(f);
            }
        }
        for op in operations {
            let o = v.store.operation(op).await?;
            for f in o.operation.facilities {
                if !facilities.contains(&f) {
                    facilities.push(f);
                }
            }
        }
    }
    let mut screenings = Vec::new();
    if p.role.can(Capability::ReviewScreenings) || p.role.can(Capability::ScreenTravellers) {
        let label = watchlist_label(row.id);
        for s in v.store.screenings_naming(&label, LIST).await? {
            let names_it = s.reasons.match_indices(&label).any(|(at, m)| {
                !s.reasons[at + m.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            });
            let post_covered = crate::screening::exit_post(&s.post)
                .map(|post| p.jurisdiction.covers(Some(&post.province_code)))
                .unwrap_or(false);
            if names_it && post_covered {
                screenings.push(s);
            }
        }
    }
    Ok(RecruiterView {
        id: row.id,
        status: row.status,
        person_id: row.person_id,
        name,
        nationalities,
        homes,
        contacts: row.contacts,
        victims,
        victims_elsewhere: elsewhere,
        communes,
        arrests: row.arrests,
        tips,
        facilities,
        screenings,
    })
}

/// The recruiter a person met is, or the recruiters who recruited them:
/// for the person page's links. Within the reader's rights as
/// [`crate::persons::person`].
pub async fn of_person(
    v: &PersonsService,
    p: &Principal,
    person: i64,
) -> Result<Vec<i64>, CoreError> {
    may_read(p)?;
    let records = v.store.person_records(person).await?;
    let ids: Vec<i64> = records
        .iter()
        .filter(|r| p.jurisdiction.covers(Some(&r.record.province_code)))
        .map(|r| r.id)
        .collect();
    let origins = v.store.record_origins(&ids).await?;
    let mut out: Vec<i64> = Vec::new();
    for k in origins.values().filter_map(|o| o.recruiter_id) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}

/// The home village and recruitment of each record on a person's page
/// (record id → origin; records with neither are left out). The records
/// are those [`crate::persons::person`] let the reader see.
pub async fn origins(
    v: &PersonsService,
    p: &Principal,
    person: &crate::persons::PersonView,
) -> Result<BTreeMap<i64, RecordOrigin>, CoreError> {
    may_read(p)?;
    let ids: Vec<i64> = person.records.iter().map(|r| r.row.id).collect();
    Ok(v.store.record_origins(&ids).await?)
}

/// Recruiters within the reader's jurisdiction, most victims first
/// (audited).
pub async fn list(
    v: &PersonsService,
    p: &Principal,
    limit: i64,
) -> Result<Vec<RecruiterSummary>, CoreError> {
    may_read(p)?;
    let rows = v
        .store
        .recruiters(p.jurisdiction.provinces(), limit.clamp(1, 1000))
        .await?;
    v.store
        .append_audit(p.audit(
            AuditAction::RecruitersList,
            String::new(),
            rows.len().to_string(),
        ))
        .await?;
    Ok(rows)
}

/// The recruiters whose contact observable `id` is, as `p` may see them:
/// roles that read persons, recruiters within the jurisdiction.
pub(crate) async fn of_observable(
    store: &vigil_store::DynStore,
    p: &Principal,
    id: ObservableId,
) -> Result<Vec<i64>, CoreError> {
    if !p.role.can(Capability::ReadPersons) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for k in store.recruiters_of_observable(id).await? {
        let covered = match p.jurisdiction.provinces() {
            None => true,
            Some(list) => store
                .recruiter(k)
                .await?
                .provinces()
                .iter()
                .any(|c| list.contains(c)),
        };
        if covered {
            out.push(k);
        }
    }
    Ok(out)
}

/// A count as shown: exact from [`SMALL_COUNT`] on, else `None` ("fewer
/// than three").
pub fn shown(n: u64) -> Option<u64> {
    (n >= SMALL_COUNT).then_some(n)
}

/// The commune (or district) view.
#[derive(Debug, Clone)]
pub struct AreaView {
    /// The area.
    pub area: Area,
    /// Recruiters active there, most victims from the area first.
    pub recruiters: Vec<RecruiterSummary>,
    /// Victims from the area by home village: `None` where fewer than
    /// [`SMALL_COUNT`].
    pub villages: Vec<(String, Option<u64>)>,
    /// Victims from the area in all (exact: a total singles nobody out once
    /// it is at least [`SMALL_COUNT`]; else `None`).
    pub victims: Option<u64>,
    /// Recruiters arrested in the area's operations.
    pub arrests: u64,
    /// Tips placed in the area by month.
    pub tips_by_month: BTreeMap<String, u64>,
    /// Victims from the area by month met (small counts as `None`).
    pub victims_by_month: BTreeMap<String, Option<u64>>,
    /// Newest tips placed in the area (roles that read tips).
    pub recent_tips: Vec<TipId>,
}

/// The area a code names: a district or a commune; else `InvalidField`.
pub fn area_of(code: &str) -> Result<Area, CoreError> {
    let code = code.trim();
    match gazetteer().get(code).map(|u| u.level) {
        Some(Level::District) => Ok(Area::District(code.to_string())),
        Some(Level::Commune) => Ok(Area::Commune(code.to_string())),
        Some(_) => Err(crate::operations::invalid(
            "area",
            (crate::field::FieldMessage::WrongLevel, "value", code),
        )),
        None => Err(crate::operations::invalid(
            "area",
            (crate::field::FieldMessage::NotAGazetteerCode, "value", code),
        )),
    }
}

/// The view of a district or commune (audited); `NotFound` outside the
/// jurisdiction.
pub async fn area(v: &PersonsService, p: &Principal, code: &str) -> Result<AreaView, CoreError> {
    may_read(p)?;
    let area = area_of(code)?;
    if !p.jurisdiction.covers(Some(&area.code()[..2])) {
        return Err(CoreError::NotFound);
    }
    let found = v.store.area_recruitment(&area, LIST).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::RecruitersArea,
            format!("area:{}", area.code()),
            found.recruiters.len().to_string(),
        ))
        .await?;
    let total: u64 = found.villages.values().sum();
    Ok(AreaView {
        recruiters: found.recruiters,
        villages: found
            .villages
            .into_iter()
            .map(|(code, n)| (code, shown(n)))
            .collect(),
        victims: shown(total),
        arrests: found.arrests,
        tips_by_month: found.tips_by_month,
        victims_by_month: found
            .victims_by_month
            .into_iter()
            .map(|(m, n)| (m, shown(n)))
            .collect(),
        recent_tips: if p.role.can(Capability::ReadTips) {
            found.recent_tips
        } else {
            Vec::new()
        },
        area,
    })
}

/// A commune on the prevention list, with its rank's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct PreventionRow {
    /// The commune.
    pub commune_code: String,
    /// Its score: what ranks it (higher first).
    pub score: f64,
    /// Victims from it, ever (small counts as `None`).
    pub victims: Option<u64>,
    /// Victims from it met in the recent window (small counts as `None`).
    pub recent_victims: Option<u64>,
    /// Recruiters active there in the window.
    pub active_recruiters: u64,
    /// Recruiters arrested there in the window.
    pub recent_arrests: u64,
    /// Tips placed there in the window.
    pub recent_tips: u64,
}

/// How many days count as recent on the prevention list.
pub const PREVENTION_WINDOW_DAYS: i64 = 180;

/// Communes ranked for awareness visits (audited): victims from them (recent
/// ones weigh more) and recruiters active there, within the jurisdiction.
/// An arrest lowers the need a little (the recruiter is stopped); tips add.
pub async fn prevention(
    v: &PersonsService,
    p: &Principal,
    now: OffsetDateTime,
) -> Result<Vec<PreventionRow>, CoreError> {
    may_read(p)?;
    let since = now - Duration::days(PREVENTION_WINDOW_DAYS);
    let rows = v
        .store
        .commune_activity(since, p.jurisdiction.provinces())
        .await?;
    let mut out: Vec<PreventionRow> = rows
        .into_iter()
        .map(|c| {
            #[allow(clippy::cast_precision_loss)]
            let score = c.victims as f64
                + 2.0 * c.recent_victims as f64
                + 3.0 * c.active_recruiters as f64
                + 0.1 * c.recent_tips as f64
                - 0.5 * c.recent_arrests as f64;
            PreventionRow {
                commune_code: c.commune_code,
                score,
                victims: shown(c.victims),
                recent_victims: shown(c.recent_victims),
                active_recruiters: c.active_recruiters,
                recent_arrests: c.recent_arrests,
                recent_tips: c.recent_tips,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.commune_code.cmp(&b.commune_code))
    });
    v.store
        .append_audit(p.audit(
            AuditAction::PreventionList,
            String::new(),
            out.len().to_string(),
        ))
        .await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_and_areas_are_districts_or_communes() {
        assert_eq!(shown(2), None);
        assert_eq!(shown(3), Some(3));
        assert!(matches!(area_of("1801"), Ok(Area::District(_))));
        assert!(matches!(area_of("180101"), Ok(Area::Commune(_))));
        assert!(area_of("18").is_err());
        assert!(area_of("nowhere").is_err());
    }
}
