//! After the counter: `GET /staff/screenings` (recent screenings within the
//! jurisdiction, no personal data beyond the reference), `GET
//! /staff/screenings/{id}` (one screening, opened and audited, with the
//! referral's result form), `POST /staff/screenings/{id}/referral`, and the
//! fairness report `GET /staff/fairness` (and `/staff/fairness.csv`) per
//! post and month. Access is decided in `vigil-core` (`screenings`, `fairness`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::fairness::{self, PolicyShown};
use vigil_core::views::FairnessLine;
use vigil_core::{CoreError, screenings};

use super::form::StaffForm;
use super::screen::reason_label;
use super::{Staff, StaffLang, Who, who};
use crate::display::when;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// One row of the list.
pub struct ListRow {
    id: i64,
    when: String,
    reference: String,
    post: String,
    outcome: String,
    decision: String,
    referral: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/screenings.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    rows: Vec<ListRow>,
}

fn label(t: &Tr<'_>, prefix: &str, v: Option<&str>) -> String {
    v.map(|v| t.t(&format!("{prefix}{v}"))).unwrap_or_default()
}

/// `GET /staff/screenings`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let found = fairness::recent(&state.vigil.screening, &s.principal, 100).await?;
    let rows = found
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            when: when(t.lang, r.created_at),
            reference: r.reference,
            post: post_name(t.lang, &r.post),
            outcome: label(&t, "screen-outcome-", Some(&r.outcome)),
            decision: label(&t, "screen-outcome-", r.decision.as_deref()),
            referral: label(&t, "referral-", r.referral.as_deref()),
        })
        .collect();
    let page = ListPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        rows,
    };
    Ok(lang.remember(&state, page.into_response()))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/screening.html")]
struct ShowPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    when: String,
    post: String,
    policy: String,
    outcome: String,
    score: i64,
    reasons: Vec<(String, i64, String)>,
    /// (label, value, whether the value is as typed rather than worded).
    traveller: Vec<(String, String, bool)>,
    decision: String,
    note: String,
    referred: bool,
    referral: String,
}

/// A border post by its name in `lang` (its code if it is not one).
fn post_name(lang: &str, code: &str) -> String {
    vigil_domain::posts::post(code).map_or_else(|| code.to_string(), |p| p.name(lang).to_string())
}

/// The traveller record as the officer reads it: each fact under its label
/// on the screening form, its value worded in the reader's language
/// (countries named, choices and yes/no translated, numbers grouped); what
/// was typed (the reference, the offer, the notes) is kept as typed and
/// marked so. Facts the form does not know are left out.
fn traveller_rows(t: &Tr<'_>, json: &str) -> Vec<(String, String, bool)> {
    use serde_json::Value;
    let Ok(v) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let typed = |rows: &mut Vec<_>, label: &str, v: &Value| {
        if let Some(s) = v.as_str().filter(|s| !s.trim().is_empty()) {
            rows.push((t.t(label), s.to_string(), true));
        }
    };
    let choice = |rows: &mut Vec<_>, label: &str, name: &str, v: &Value| {
        if let Some(s) = v.as_str() {
            rows.push((t.t(label), t.t(&format!("screen-{name}-{s}")), false));
        }
    };
    let yes_no = |rows: &mut Vec<_>, label: &str, v: &Value| {
        if let Some(b) = v.as_bool() {
            rows.push((
                t.t(label),
                t.t(if b { "desk-yes" } else { "desk-no" }),
                false,
            ));
        }
    };
    let country = |rows: &mut Vec<_>, label: &str, v: &Value| {
        if let Some(c) = v.as_str() {
            rows.push((t.t(label), crate::localize::country(t.lang, c), false));
        }
    };
    typed(&mut rows, "screen-ref", &v["ref"]);
    choice(&mut rows, "screen-sex", "sex", &v["sex"]);
    if let Some(age) = v["age"].as_i64() {
        rows.push((
            t.t("screen-age"),
            crate::localize::number(t.lang, age),
            false,
        ));
    }
    country(&mut rows, "screen-nationality", &v["nationality"]);
    country(&mut rows, "screen-destination", &v["destination"]);
    choice(&mut rows, "screen-purpose", "purpose", &v["purpose"]);
    let d = &v["documents"];
    yes_no(&mut rows, "screen-passport", &d["passport"]);
    choice(&mut rows, "screen-visa", "visa", &d["visa"]);
    yes_no(&mut rows, "screen-work-permit", &d["work_permit"]);
    yes_no(&mut rows, "screen-contract", &d["employment_contract"]);
    yes_no(&mut rows, "screen-return-ticket", &d["return_ticket"]);
    choice(&mut rows, "screen-guarantor", "guarantor", &v["guarantor"]);
    if let Some(cash) = v["cash_usd"].as_f64() {
        let digits = if cash.fract() == 0.0 { 0 } else { 2 };
        rows.push((
            t.t("screen-cash"),
            crate::localize::decimal(t.lang, cash, digits),
            false,
        ));
    }
    choice(
        &mut rows,
        "screen-payer",
        "ticket_paid_by",
        &v["ticket_paid_by"],
    );
    yes_no(
        &mut rows,
        "screen-held-by-other",
        &v["documents_held_by_other"],
    );
    yes_no(&mut rows, "screen-companion", &v["companion_answers"]);
    let offer = &v["job_offer"];
    typed(&mut rows, "screen-offer-text", &offer["text"]);
    typed(&mut rows, "screen-offer-employer", &offer["employer"]);
    typed(&mut rows, "screen-offer-contact", &offer["contact"]);
    typed(&mut rows, "screen-officer-notes", &v["officer_notes"]);
    rows
}

/// `GET /staff/screenings/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let v = screenings::open(&state.vigil.screening, &s.principal, id).await?;
    let row = &v.row;
    let reasons = serde_json::from_str::<Vec<serde_json::Value>>(&row.screening.reasons)
        .unwrap_or_default()
        .iter()
        .map(|r| {
            (
                reason_label(&t, r["code"].as_str().unwrap_or_default()),
                r["weight"].as_i64().unwrap_or(0),
                crate::reasons::screening_evidence(&t, r),
            )
        })
        .collect();
    let traveller = traveller_rows(&t, &v.traveller);
    let referral = row
        .referral
        .as_ref()
        .map(|r| {
            format!(
                "{} · {}",
                t.t(&format!("referral-{}", r.result)),
                when(t.lang, r.at)
            )
        })
        .unwrap_or_default();
    let page = ShowPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        id,
        when: when(t.lang, row.screening.created_at),
        post: post_name(t.lang, &row.screening.post),
        policy: row.screening.policy.clone(),
        outcome: label(&t, "screen-outcome-", Some(&row.screening.outcome)),
        score: row.screening.score,
        reasons,
        traveller,
        decision: label(&t, "screen-outcome-", row.decision.as_deref()),
        note: v.note.clone(),
        referred: row.decision.as_deref() == Some("refer"),
        referral,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The referral's result form.
#[derive(Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    result: String,
}

/// `POST /staff/screenings/{id}/referral`.
pub async fn referral(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<ReferralForm>,
) -> Result<Redirect, PageError> {
    fairness::record_referral(&state.vigil.screening, &s.principal, id, &f.result).await?;
    Ok(Redirect::to(&format!("/staff/screenings/{id}")))
}

/// `?post=&month=` of the fairness report.
#[derive(Deserialize)]
pub struct FairnessQuery {
    #[serde(default)]
    post: String,
    #[serde(default)]
    month: String,
}

/// A table row: (sex label, band, counts).
type Line = (String, String, FairnessLine);

#[derive(Template, WebTemplate)]
#[template(path = "staff/fairness.html")]
struct FairnessPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    posts: Vec<(String, String, bool)>,
    post: String,
    post_name: String,
    month: String,
    lines: Vec<Line>,
    total: FairnessLine,
    policies: Vec<PolicyShown>,
}

async fn fairness_report(
    state: &AppState,
    s: &vigil_core::staff::Session,
    q: &FairnessQuery,
) -> Result<fairness::Report, CoreError> {
    let post = if q.post.is_empty() {
        screenings::posts_for(&s.principal)
            .first()
            .map(|p| p.code.clone())
            .ok_or(CoreError::NotFound)?
    } else {
        q.post.clone()
    };
    let month = if q.month.is_empty() {
        fairness::this_month()
    } else {
        q.month.clone()
    };
    fairness::report(&state.vigil.screening, &s.principal, &post, &month).await
}

/// `GET /staff/fairness`.
pub async fn report(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<FairnessQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let r = fairness_report(&state, &s, &q).await?;
    let posts = screenings::posts_for(&s.principal)
        .into_iter()
        .map(|p| {
            (
                p.code.clone(),
                p.name(lang.0).to_string(),
                p.code == r.post.code,
            )
        })
        .collect();
    let lines = r
        .rows
        .into_iter()
        .map(|c| (t.t(&format!("screen-sex-{}", c.sex)), c.age_band.clone(), c))
        .collect();
    let page = FairnessPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        posts,
        post: r.post.code.clone(),
        post_name: r.post.name(lang.0).to_string(),
        month: r.month,
        lines,
        total: r.total,
        policies: r.policies,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// `GET /staff/fairness.csv`: the same table, one line per sex and age band.
pub async fn csv(
    State(state): State<AppState>,
    Staff(s): Staff,
    Query(q): Query<FairnessQuery>,
) -> Result<Response, PageError> {
    let r = fairness_report(&state, &s, &q).await?;
    let mut out = String::from(
        "post,month,sex,age_band,screenings,advised_interview,advised_refer,decided_clear,\
         decided_interview,decided_refer,referrals_confirmed,referrals_not_confirmed\n",
    );
    for c in r.rows.iter().chain(std::iter::once(&r.total)) {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.post.code,
            r.month,
            c.sex,
            c.age_band,
            c.screenings,
            c.advised_interview,
            c.advised_refer,
            c.decided_clear,
            c.decided_interview,
            c.decided_refer,
            c.confirmed,
            c.not_confirmed
        ));
    }
    let name = format!(
        "attachment; filename=\"fairness-{}-{}.csv\"",
        r.post.code, r.month
    );
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Routes of screenings and the fairness report.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/screenings", get(list))
        .route("/staff/screenings/{id}", get(show))
        .route("/staff/screenings/{id}/referral", post(referral))
        .route("/staff/fairness", get(report))
        .route("/staff/fairness.csv", get(csv))
}
