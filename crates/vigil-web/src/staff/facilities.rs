//! The facility queue and the facility page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::desk::{self, PAGE};
use vigil_domain::FacilityId;

use super::{Staff, StaffLang, core_error, csrf_refused, same_site, who};
use crate::AppState;
use crate::display::{day, unit_name};
use crate::i18n::Tr;

/// One row of the facility queue.
pub struct Row {
    id: i64,
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
    who: Option<String>,
    csrf: String,
    rows: Vec<Row>,
    total: i64,
    prev: Option<i64>,
    next: Option<i64>,
}

/// Paging.
#[derive(Deserialize)]
pub struct Paging {
    #[serde(default)]
    page: i64,
}

const LIFE_SAFETY: [&str; 4] = ["held", "passports_taken", "violence", "children"];

/// `GET /staff/facilities`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<Paging>,
) -> Response {
    let t = Tr::new(&state.i18n, lang.0);
    let page = q.page.max(0);
    let (found, total) = match desk::facilities(&state.vigil, &s.principal, page).await {
        Ok(f) => f,
        Err(e) => return core_error(&state, lang.0, e),
    };
    let rows = found
        .into_iter()
        .map(|(f, reasons)| Row {
            id: f.id.0,
            priority: format!("{:.0}", f.priority),
            province: unit_name(f.province_code.as_deref(), lang.0),
            tips: f.tips,
            last: day(f.last_at),
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
        next: ((page + 1) * PAGE < total).then_some(page + 1),
    };
    lang.remember(&state, view.into_response())
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
    who: Option<String>,
    csrf: String,
    id: i64,
    priority: String,
    province: String,
    first: String,
    last: String,
    reasons: Vec<ReasonLine>,
    tips: Vec<TipLine>,
    may_triage: bool,
}

/// `GET /staff/facilities/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Response {
    let t = Tr::new(&state.i18n, lang.0);
    let view = match desk::facility(&state.vigil, &s.principal, FacilityId(id)).await {
        Ok(v) => v,
        Err(e) => return core_error(&state, lang.0, e),
    };
    let f = &view.facility;
    let page = FacilityPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        id,
        priority: format!("{:.1}", f.priority),
        province: unit_name(f.province_code.as_deref(), lang.0),
        first: day(f.first_at),
        last: day(f.last_at),
        reasons: view
            .reasons
            .iter()
            .map(|r| ReasonLine {
                label: t.t(&format!("reason-{}", r.code)),
                weight: format!("{:+.1}", r.weight),
                detail: r.detail.clone(),
            })
            .collect(),
        tips: view
            .tips
            .iter()
            .map(|tip| TipLine {
                id: tip.id.0,
                received: day(tip.received_at),
                excerpt: tip.text.chars().take(200).collect(),
            })
            .collect(),
        may_triage: s.principal.role.triages_tips(),
    };
    lang.remember(&state, page.into_response())
}

/// The merge form.
#[derive(Deserialize)]
pub struct MergeForm {
    csrf: String,
    other: i64,
}

/// `POST /staff/facilities/{id}/merge`.
pub async fn merge(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<MergeForm>,
) -> Response {
    if !same_site(&headers) || !s.csrf_ok(&f.csrf) {
        return csrf_refused(&state, lang.0);
    }
    match desk::merge(
        &state.vigil,
        &s.principal,
        FacilityId(id),
        FacilityId(f.other),
    )
    .await
    {
        Ok(()) => Redirect::to("/staff/facilities").into_response(),
        Err(e) => core_error(&state, lang.0, e),
    }
}

/// A form carrying only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /staff/tips/{id}/split`: the tip leaves its facility.
pub async fn split(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if !same_site(&headers) || !s.csrf_ok(&f.csrf) {
        return csrf_refused(&state, lang.0);
    }
    match desk::split(&state.vigil, &s.principal, vigil_domain::TipId(id)).await {
        Ok(()) => Redirect::to(&format!("/staff/tips/{id}")).into_response(),
        Err(e) => core_error(&state, lang.0, e),
    }
}
