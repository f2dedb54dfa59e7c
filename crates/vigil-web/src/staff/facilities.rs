//! The facility queue and the facility page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
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
    raid: Option<RaidLine>,
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
            raid: raid_line(&t, &f),
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

/// A completed operation against a facility, in words.
pub struct RaidLine {
    operation: i64,
    /// "Raided: OP-… on …".
    text: String,
    /// Why it sits where it does on the queue.
    standing: String,
    settled: bool,
}

/// The raid line of a facility, if one was carried out against it.
fn raid_line(t: &Tr<'_>, f: &vigil_core::views::Facility) -> Option<RaidLine> {
    f.raid.as_ref().map(|r| RaidLine {
        operation: r.operation,
        text: t.t2(
            "triage-raided",
            "reference",
            &r.reference,
            "date",
            day(t.lang, r.at),
        ),
        standing: t.t(if r.settled {
            "triage-raided-settled"
        } else {
            "triage-raided-new-tips"
        }),
        settled: r.settled,
    })
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
    /// One page of its tips, newest first.
    tips: Vec<TipLine>,
    /// "371 tips in this facility", the count as the locale writes it.
    tip_count: String,
    /// How many tips it has within the reader's jurisdiction.
    total_tips: i64,
    /// The cursor of the next (older) page.
    next: Option<String>,
    /// This page is not the first.
    later: bool,
    may_triage: bool,
    map: Option<super::map::MiniMap>,
    assigned: super::assign::Panel,
    /// Operations planned from it: (id, reference, status).
    operations: Vec<(i64, String, String)>,
    raid: Option<RaidLine>,
    /// Why a correction was refused (nothing changed).
    error: Option<String>,
}

/// Which page of a facility's tips.
#[derive(Deserialize)]
pub struct TipPage {
    /// The previous page's cursor (opaque).
    #[serde(default)]
    after: String,
}

async fn facility_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &vigil_core::staff::Session,
    id: i64,
    after: &str,
) -> Result<FacilityPage<'a>, PageError> {
    let view = desk::facility_page(
        &state.vigil.desk,
        &s.principal,
        FacilityId(id),
        Some(after).filter(|a| !a.is_empty()),
    )
    .await?;
    let f = &view.facility;
    let object = vigil_core::views::Target::Facility(FacilityId(id));
    let assigned = super::assign::panel(state, s, object, t.lang).await?;
    let operations =
        vigil_core::operations::of_facility(&state.vigil.operations, &s.principal, FacilityId(id))
            .await?
            .into_iter()
            .map(|r| (r.id, r.operation.reference, r.operation.status))
            .collect();
    Ok(FacilityPage {
        operations,
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        id,
        name: facility_name(&t, &f.name, id),
        priority: format!("{:.1}", f.priority),
        province: unit_name(f.province_code.as_deref(), t.lang),
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
        tip_count: t.t1("triage-tips-count", "count", view.total_tips),
        total_tips: view.total_tips,
        next: view.next.clone(),
        later: !after.is_empty(),
        may_triage: s.principal.role.can(Capability::TriageTips),
        map: super::map::mini_map(&t, f, &view.tips),
        assigned,
        raid: raid_line(&t, f),
        error: None,
    })
}

/// `GET /staff/facilities/{id}`: the facility and the newest page of its
/// tips; `?after=` the page older than a previous one's cursor.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    Query(q): Query<TipPage>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let page = facility_page(&state, t, &s, id, &q.after).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// The facility page again, saying that nothing was changed for want of
/// the "I confirm" tick.
async fn unconfirmed(
    state: &AppState,
    lang: StaffLang,
    s: &vigil_core::staff::Session,
    id: i64,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = facility_page(state, t, s, id, "").await?;
    page.error = Some(t.t("triage-not-confirmed"));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Whether a correction's form carries its "I confirm" tick. A role that
/// may not correct is refused first, ticked or not.
fn confirmed(s: &vigil_core::staff::Session, f: &[(String, String)]) -> Result<bool, PageError> {
    if !s.principal.role.can(Capability::TriageTips) {
        return Err(vigil_core::CoreError::Forbidden.into());
    }
    Ok(f.iter().any(|(k, v)| k == "confirm" && v == "yes"))
}

/// `POST /staff/facilities/{id}/merge` (`other`, and `confirm=yes`: without
/// it nothing changes).
pub async fn merge(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !confirmed(&s, &f)? {
        return unconfirmed(&state, lang, &s, id).await;
    }
    let other = f
        .iter()
        .find(|(k, _)| k == "other")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            PageError::from(vigil_core::CoreError::InvalidField(
                vigil_core::FieldError::of("other", vigil_core::FieldMessage::Required),
            ))
        })?;
    desk::merge(
        &state.vigil.desk,
        &s.principal,
        FacilityId(id),
        FacilityId(other),
    )
    .await?;
    Ok(Redirect::to("/staff/facilities").into_response())
}

/// `POST /staff/facilities/{id}/keep-apart`: the chosen tips (`tip`, given
/// once per tip) must not be clustered together again; only with
/// `confirm=yes`.
pub async fn keep_apart(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !confirmed(&s, &f)? {
        return unconfirmed(&state, lang, &s, id).await;
    }
    let tips: Vec<vigil_domain::TipId> = f
        .iter()
        .filter(|(k, _)| k == "tip")
        .filter_map(|(_, v)| v.parse().ok().map(vigil_domain::TipId))
        .collect();
    desk::keep_apart(&state.vigil.desk, &s.principal, &tips).await?;
    Ok(Redirect::to(&format!("/staff/facilities/{id}")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/split.html")]
struct SplitPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    tip: i64,
    facility: i64,
    /// The facility's readable name.
    name: String,
    excerpt: String,
    error: Option<String>,
}

/// The page asking to confirm taking a tip out of its facility; a tip in
/// no facility (visible to the reader) leads back to its page.
async fn split_page(
    state: &AppState,
    lang: StaffLang,
    s: &vigil_core::staff::Session,
    id: i64,
    error: Option<String>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let view = desk::tip(&state.vigil.desk, &s.principal, vigil_domain::TipId(id)).await?;
    let Some(facility) = view.facility else {
        return Ok(Redirect::to(&format!("/staff/tips/{id}")).into_response());
    };
    let page = SplitPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        tip: id,
        facility: facility.0,
        name: facility_name(&t, &view.facility_name, facility.0),
        excerpt: view.tip.text.chars().take(200).collect(),
        error,
    };
    Ok(page.into_response())
}

/// `GET /staff/tips/{id}/split`: asks to confirm taking the tip out of its
/// facility.
pub async fn split_form(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::TriageTips) {
        return Err(vigil_core::CoreError::Forbidden.into());
    }
    let page = split_page(&state, lang, &s, id, None).await?;
    Ok(lang.remember(&state, page))
}

/// `POST /staff/tips/{id}/split`: the tip leaves its facility, once
/// confirmed (`confirm=yes`); without it nothing changes.
pub async fn split(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !confirmed(&s, &f)? {
        let t = Tr::new(&state.i18n, lang.0);
        let page = split_page(&state, lang, &s, id, Some(t.t("triage-not-confirmed"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    desk::split(&state.vigil.desk, &s.principal, vigil_domain::TipId(id)).await?;
    Ok(Redirect::to(&format!("/staff/tips/{id}")).into_response())
}

/// Routes of facilities and the analyst's corrections.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/facilities", get(list))
        .route("/staff/facilities/{id}", get(show))
        .route("/staff/facilities/{id}/keep-apart", post(keep_apart))
        .route("/staff/facilities/{id}/merge", post(merge))
        .route("/staff/tips/{id}/split", get(split_form).post(split))
}
