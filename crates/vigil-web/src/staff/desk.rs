//! The queue and the tip page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::desk::{self, PAGE};
use vigil_core::staff::Session;
use vigil_core::views::Tip;
use vigil_domain::Capability;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{AttachmentId, RewardReason, TipId, TipStatus};

use super::form::StaffForm;
use super::{Staff, StaffLang, who};
use crate::display::{day, unit_name, when};
use crate::error::{PageError, Problem};
use crate::i18n::Tr;
use crate::state::AppState;

const STATUSES: [TipStatus; 4] = [
    TipStatus::Received,
    TipStatus::InReview,
    TipStatus::ActedOn,
    TipStatus::Closed,
];

fn dangers(t: &Tr<'_>, tip: &Tip) -> Vec<String> {
    let d = &tip.danger;
    [
        (d.held, "staff-danger-held"),
        (d.passports_taken, "staff-danger-passports"),
        (d.violence, "staff-danger-violence"),
        (d.children, "staff-danger-children"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, k)| t.t(k))
    .collect()
}

/// One queue row.
pub struct QueueRow {
    id: i64,
    received: String,
    category: String,
    province: String,
    status: String,
    danger: Vec<String>,
    excerpt: String,
    /// Its facility: (id, readable name).
    facility: Option<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/queue.html")]
struct QueuePage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    rows: Vec<QueueRow>,
    total: i64,
    statuses: Vec<(&'static str, String, bool)>,
    status: String,
    prev: Option<i64>,
    next: Option<i64>,
}

/// Queue filters.
#[derive(Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: i64,
}

/// `GET /staff/`.
pub async fn queue(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let role = s.principal.role;
    if !role.can(Capability::ReadTips) {
        // Roles that read no tips land on their own work: the screen at the
        // counter, the cases, the figures.
        return Ok(Redirect::to(super::landing(role)).into_response());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let status = TipStatus::parse(&q.status);
    let page = q.page.max(0);
    let found = desk::queue(&state.vigil.desk, &s.principal, status, page).await?;
    let rows = found
        .tips
        .iter()
        .map(|tip| QueueRow {
            id: tip.id.0,
            received: when(t.lang, tip.received_at),
            category: t.t(&format!("cat-{}", tip.category.as_str())),
            province: unit_name(tip.location.province_code.as_deref(), lang.0),
            status: t.t(&format!("status-{}", tip.status.as_str())),
            danger: dangers(&t, tip),
            excerpt: tip.text.chars().take(160).collect(),
            facility: found
                .facilities
                .iter()
                .find(|(id, _, _)| *id == tip.id)
                .map(|(_, f, name)| (f.0, crate::display::facility_name(&t, name, f.0))),
        })
        .collect();
    let statuses = STATUSES
        .iter()
        .map(|st| {
            (
                st.as_str(),
                t.t(&format!("status-{}", st.as_str())),
                Some(*st) == status,
            )
        })
        .collect();
    let page_view = QueuePage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        rows,
        total: found.total,
        statuses,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        prev: (page > 0).then(|| page - 1),
        next: ((page + 1) * PAGE < found.total).then_some(page + 1),
    };
    Ok(lang.remember(&state, page_view.into_response()))
}

/// A piece of the tip's text: plain, or an identifier.
pub struct Segment {
    text: String,
    kind: Option<&'static str>,
    value: String,
}

/// One message as staff see it.
pub struct Line {
    from_reporter: bool,
    who: String,
    when: String,
    body: String,
    photos: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/tip.html")]
struct TipPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    id: i64,
    received: String,
    category: String,
    status: String,
    statuses: Vec<(&'static str, String, bool)>,
    danger: Vec<String>,
    segments: Vec<Segment>,
    identifiers: Vec<(&'static str, String)>,
    /// Each part of the place, and whether it is as the reporter typed it.
    place: Vec<(String, bool)>,
    coordinates: Option<String>,
    photos: Vec<i64>,
    messages: Vec<Line>,
    notice: Option<String>,
    may_triage: bool,
    /// Its facility: (id, readable name).
    facility: Option<(i64, String)>,
    assigned: super::assign::Panel,
    reward: RewardPanel,
}

/// The tip's reward panel: the award as staff see it (never its code) and,
/// for a role that may award, the "led to a result" form.
pub(super) struct RewardPanel {
    /// "Awarded on … for …", once awarded.
    awarded: Option<String>,
    /// "Claimed on …" or "Not claimed yet", once awarded.
    claim: Option<String>,
    /// Whether the form is shown (the role may award and none was).
    may_award: bool,
    /// The reasons to choose from: (name, label, chosen).
    reasons: Vec<(&'static str, String, bool)>,
    /// Why the last award was refused.
    error: Option<String>,
}

/// A failed award shown on the tip page: the reason chosen and the message.
pub(super) struct RewardRefusal {
    /// The reason that was chosen.
    pub reason: String,
    /// The field error, in the page's language.
    pub message: String,
}

fn segments(text: &str, found: &[vigil_extract::Found]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for f in found {
        if f.start < at || f.end > text.len() {
            continue;
        }
        if f.start > at {
            out.push(Segment {
                text: text[at..f.start].to_string(),
                kind: None,
                value: String::new(),
            });
        }
        out.push(Segment {
            text: text[f.start..f.end].to_string(),
            kind: Some(f.kind.as_str()),
            value: f.value.clone(),
        });
        at = f.end;
    }
    if at < text.len() {
        out.push(Segment {
            text: text[at..].to_string(),
            kind: None,
            value: String::new(),
        });
    }
    out
}

/// Notices shown after a redirect.
#[derive(Deserialize)]
pub struct TipQuery {
    #[serde(default)]
    done: String,
}

pub(super) async fn render_tip(
    state: &AppState,
    lang: &'static str,
    s: &Session,
    id: i64,
    notice: Option<String>,
    refused: Option<RewardRefusal>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang);
    let view = desk::tip(&state.vigil.desk, &s.principal, TipId(id)).await?;
    let tip = &view.tip;
    let loc = &tip.location;
    let place = [
        &loc.village_code,
        &loc.commune_code,
        &loc.district_code,
        &loc.province_code,
    ]
    .into_iter()
    .flatten()
    .filter_map(|c| gazetteer().get(c))
    .map(|u| (unit_name(Some(&u.code), lang), false))
    .chain(loc.place.clone().map(|p| (p, true)))
    .collect();
    let mut identifiers: Vec<(&'static str, String)> = view
        .identifiers
        .iter()
        .map(|f| (f.kind.as_str(), f.value.clone()))
        .collect();
    identifiers.sort();
    identifiers.dedup();
    let messages = view
        .thread
        .messages
        .iter()
        .map(|m| Line {
            from_reporter: m.from_reporter,
            who: if m.from_reporter {
                t.t("staff-from-reporter")
            } else {
                t.t("from-analyst")
            },
            when: when(t.lang, m.created_at),
            body: m.body.clone(),
            photos: m.photos,
        })
        .collect();
    let object = vigil_core::views::Target::Tip(TipId(id));
    let assigned = super::assign::panel(state, s, object, t.lang).await?;
    let chosen = refused.as_ref().map(|r| r.reason.as_str()).unwrap_or("");
    let reason_label = |r: RewardReason| t.t(&format!("staff-reward-reason-{}", r.name()));
    let reward = RewardPanel {
        awarded: view.reward.as_ref().map(|r| {
            t.t2(
                "staff-reward-awarded",
                "date",
                day(t.lang, r.awarded_at),
                "reason",
                reason_label(r.reason),
            )
        }),
        claim: view.reward.as_ref().map(|r| match r.claimed_at {
            Some(at) => t.t1("staff-reward-claimed-on", "date", day(t.lang, at)),
            None => t.t("staff-reward-unclaimed"),
        }),
        may_award: view.reward.is_none() && s.principal.role.can(Capability::AwardRewards),
        reasons: RewardReason::ALL
            .iter()
            .map(|r| (r.name(), reason_label(*r), r.name() == chosen))
            .collect(),
        error: refused.map(|r| r.message),
    };
    let page = TipPage {
        t,
        who: Some(super::who(&t, s)),
        csrf: s.csrf.clone(),
        id,
        received: when(t.lang, tip.received_at),
        category: t.t(&format!("cat-{}", tip.category.as_str())),
        status: t.t(&format!("status-{}", tip.status.as_str())),
        statuses: STATUSES
            .iter()
            .map(|st| {
                (
                    st.as_str(),
                    t.t(&format!("status-{}", st.as_str())),
                    *st == tip.status,
                )
            })
            .collect(),
        danger: dangers(&t, tip),
        segments: segments(&tip.text, &view.identifiers),
        identifiers,
        place,
        coordinates: loc.lat.zip(loc.lon).map(|(a, b)| format!("{a:.6}, {b:.6}")),
        photos: view.photos.iter().map(|p| p.id.0).collect(),
        messages,
        notice,
        may_triage: s.principal.role.can(Capability::TriageTips),
        facility: view.facility.map(|f| {
            (
                f.0,
                crate::display::facility_name(&t, &view.facility_name, f.0),
            )
        }),
        assigned,
        reward,
    };
    Ok(page.into_response())
}

/// `GET /staff/tips/{id}`.
pub async fn tip(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    Query(q): Query<TipQuery>,
) -> Response {
    let t = Tr::new(&state.i18n, lang.0);
    let notice = match q.done.as_str() {
        "reply" => Some(t.t("staff-sent")),
        "status" => Some(t.t("staff-status-changed")),
        "reward" => Some(t.t("staff-reward-done")),
        _ => None,
    };
    // The language is remembered even when the tip cannot be shown.
    let r = render_tip(&state, lang.0, &s, id, notice, None).await;
    lang.remember(&state, r.into_response())
}

/// The reply form.
#[derive(Deserialize)]
pub struct ReplyForm {
    body: String,
}

/// `POST /staff/tips/{id}/reply`.
pub async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<ReplyForm>,
) -> Result<Redirect, PageError> {
    desk::reply(&state.vigil.desk, &s.principal, TipId(id), &f.body).await?;
    Ok(Redirect::to(&format!("/staff/tips/{id}?done=reply")))
}

/// The status form.
#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /staff/tips/{id}/status`.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<StatusForm>,
) -> Result<Redirect, PageError> {
    let status = TipStatus::parse(&f.status).ok_or_else(|| {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", "status")
    })?;
    desk::set_status(&state.vigil.desk, &s.principal, TipId(id), status).await?;
    Ok(Redirect::to(&format!("/staff/tips/{id}?done=status")))
}

/// `GET /staff/photos/{id}`: a tip's photo, if the tip is visible.
pub async fn photo(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (mime, bytes) = desk::photo(&state.vigil.desk, &s.principal, AttachmentId(id)).await?;
    let ct = HeaderValue::from_str(&mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, ct)], bytes).into_response())
}

/// Routes of the queue, a tip, its reply and status forms, and its photos.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/", get(queue))
        .route("/staff/tips/{id}", get(tip))
        .route("/staff/tips/{id}/reply", post(reply))
        .route("/staff/tips/{id}/status", post(status))
        .route("/staff/photos/{id}", get(photo))
}
