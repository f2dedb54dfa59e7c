//! `GET /staff/observables/{kind}/{value}`: one identifier across tips, a
//! page of its tips at a time (newest first; `?before=` an older page).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::views::LinkMode;
use vigil_core::{check, desk};
use vigil_domain::{Capability, Standing, StandingReason};

use super::form::StaffForm;
use super::{Staff, StaffLang, who};
use crate::display::day;
use crate::error::{PageError, Problem};
use crate::i18n::Tr;
use crate::state::AppState;

/// One tip line.
pub struct TipLine {
    id: i64,
    excerpt: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/observable.html")]
struct ObservablePage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    kind: String,
    /// The kind in the reader's words.
    kind_label: String,
    /// The value as a person reads it (a place by its name).
    shown: String,
    value: String,
    hub: bool,
    tips: usize,
    /// Its facilities: (id, readable name).
    facilities: Vec<(i64, String)>,
    provinces: String,
    first: String,
    last: String,
    lines: Vec<TipLine>,
    /// Recruiters the value is a contact of.
    recruiters: Vec<i64>,
    mode: &'static str,
    admin: bool,
    /// Whether the reader may set the public standing.
    may_mark: bool,
    /// The standing now, if any: (name, its sentence).
    standing: Option<(&'static str, &'static str, String)>,
    /// (name, label) of each standing and reason, for the form.
    standings: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
    /// The tip id the next (older) page starts before.
    next: Option<i64>,
    /// Whether this is a later page (a link back to the newest).
    later: bool,
}

/// Which page of tips.
#[derive(Deserialize)]
pub struct PageForm {
    /// Only tips older than this one (the previous page's last).
    before: Option<i64>,
}

/// `GET /staff/observables/{kind}/{value}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path((kind, value)): Path<(String, String)>,
    Query(pf): Query<PageForm>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let before = pf.before.map(vigil_domain::TipId);
    let view =
        desk::observable_page(&state.vigil.desk, &s.principal, &kind, &value, before).await?;
    let (first, last) = view
        .seen
        .map(|(a, b)| (day(t.lang, a), day(t.lang, b)))
        .unwrap_or_default();
    let standing = check::standing_of(&state.vigil.check, &kind, &value).await?;
    let page = ObservablePage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        kind_label: crate::display::kind_label(&t, &view.observable.kind),
        shown: if view.observable.kind == "place" {
            crate::display::unit_name(Some(&view.observable.value), t.lang)
        } else {
            view.observable.value.clone()
        },
        kind: view.observable.kind.clone(),
        value: view.observable.value.clone(),
        hub: view.observable.mode == LinkMode::Hub,
        tips: view
            .total
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(view.tips.len()),
        facilities: view
            .facilities
            .iter()
            .map(|(f, name)| (f.0, crate::display::facility_name(&t, name, f.0)))
            .collect(),
        provinces: view
            .provinces
            .iter()
            .map(|p| crate::display::unit_name(Some(p), t.lang))
            .collect::<Vec<_>>()
            .join(", "),
        first,
        last,
        lines: view
            .tips
            .iter()
            .map(|tip| TipLine {
                id: tip.id.0,
                excerpt: tip.text.chars().take(160).collect(),
            })
            .collect(),
        recruiters: view.recruiters.clone(),
        mode: view.observable.mode.as_str(),
        admin: s.principal.role.can(Capability::Administer),
        may_mark: s.principal.role.can(Capability::MarkStanding),
        standing: standing.map(|st| {
            (
                st.standing.name(),
                st.reason.name(),
                t.t1(
                    &format!("staff-standing-now-{}", st.standing.name()),
                    "date",
                    st.since,
                ),
            )
        }),
        standings: Standing::ALL
            .iter()
            .map(|x| (x.name(), t.t(&format!("staff-standing-{}", x.name()))))
            .collect(),
        reasons: StandingReason::ALL
            .iter()
            .map(|x| {
                (
                    x.name(),
                    t.t(&format!("staff-standing-reason-{}", x.name())),
                )
            })
            .collect(),
        next: view.next.map(|id| id.0),
        later: before.is_some(),
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The mode form.
#[derive(Deserialize)]
pub struct ModeForm {
    mode: String,
}

/// `POST /staff/observables/{kind}/{value}/mode` (admins).
pub async fn set_mode(
    State(state): State<AppState>,
    Path((kind, value)): Path<(String, String)>,
    StaffForm(s, f): StaffForm<ModeForm>,
) -> Result<Redirect, PageError> {
    let mode = LinkMode::parse(&f.mode).ok_or_else(|| {
        Problem::new(axum::http::StatusCode::BAD_REQUEST, "bad-request").arg("detail", "mode")
    })?;
    desk::set_observable_mode(&state.vigil.desk, &s.principal, &kind, &value, mode).await?;
    Ok(Redirect::to(&back_to(&kind, &value)))
}

/// The standing form: `none` withdraws it.
#[derive(Deserialize)]
pub struct StandingForm {
    standing: String,
    #[serde(default)]
    reason: String,
}

/// `POST /staff/observables/{kind}/{value}/standing` (analysts, supervisors,
/// admins): what the public check and the partners' feed say of the value.
pub async fn set_standing(
    State(state): State<AppState>,
    Path((kind, value)): Path<(String, String)>,
    StaffForm(s, f): StaffForm<StandingForm>,
) -> Result<Redirect, PageError> {
    let choice = |field: &'static str, choices: String| {
        vigil_core::CoreError::InvalidField(
            vigil_core::FieldError::new(field, vigil_core::FieldMessage::NotAChoice)
                .arg("choices", choices),
        )
    };
    let standing = if f.standing == "none" {
        None
    } else {
        let st = Standing::parse(&f.standing).ok_or_else(|| {
            choice(
                "standing",
                Standing::ALL
                    .iter()
                    .map(|x| x.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
        let reason = StandingReason::parse(&f.reason).ok_or_else(|| {
            choice(
                "reason",
                StandingReason::ALL
                    .iter()
                    .map(|x| x.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
        Some((st, reason))
    };
    check::set_standing(&state.vigil.check, &s.principal, &kind, &value, standing).await?;
    Ok(Redirect::to(&back_to(&kind, &value)))
}

fn back_to(kind: &str, value: &str) -> String {
    format!(
        "/staff/observables/{}/{}",
        kind,
        value
            .replace('%', "%25")
            .replace('/', "%2F")
            .replace(' ', "%20")
            .replace('?', "%3F")
            .replace('#', "%23")
    )
}

/// Routes of an observable and its mode.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/observables/{kind}/{value}", get(show))
        .route("/staff/observables/{kind}/{value}/mode", post(set_mode))
        .route(
            "/staff/observables/{kind}/{value}/standing",
            post(set_standing),
        )
}
