//! Rewards: the "led to a result" form on a tip's page and the claim page,
//! where a supervisor types the code a reporter shows at the counter. The
//! rules (who may, one award per tip, one claim per code) are in
//! `vigil_core::rewards`; a refusal is shown as a field error on the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::field::FieldMessage;
use vigil_core::rewards;
use vigil_core::staff::Session;
use vigil_core::{CoreError, FieldError};
use vigil_domain::{Capability, RewardReason, TipId};

use super::desk::{RewardRefusal, render_tip};
use super::form::StaffForm;
use super::operations::with_status;
use super::{Staff, StaffLang, who};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// The status of a refused award or claim: a conflict when the reward was
/// already given or claimed, a wrong field otherwise.
fn refusal_status(fe: &FieldError) -> StatusCode {
    match fe.message {
        FieldMessage::RewardAlreadyAwarded | FieldMessage::RewardAlreadyClaimed => {
            StatusCode::CONFLICT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The award form.
#[derive(Deserialize)]
pub struct AwardForm {
    #[serde(default)]
    reason: String,
}

/// `POST /staff/tips/{id}/reward`: marks the tip as having led to a result.
pub async fn award(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<AwardForm>,
) -> Result<Response, PageError> {
    let done = match RewardReason::parse(f.reason.trim()) {
        Some(reason) => rewards::award(&state.vigil.rewards, &s.principal, TipId(id), reason)
            .await
            .map(|_| ()),
        None => Err(CoreError::InvalidField(
            FieldError::new("reason", FieldMessage::NotAChoice).arg(
                "choices",
                RewardReason::ALL
                    .iter()
                    .map(|r| r.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        )),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/tips/{id}?done=reward#reward")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let status = refusal_status(&fe);
            let message = Tr::new(&state.i18n, lang.0).field_error(&fe);
            let refused = RewardRefusal {
                reason: f.reason,
                message,
            };
            let page = render_tip(&state, lang.0, &s, id, None, Some(refused)).await?;
            Ok(with_status(page, status))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/rewards.html")]
struct ClaimPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    code: String,
    error: Option<String>,
    notice: Option<String>,
}

fn claim_page<'a>(t: Tr<'a>, s: &Session) -> ClaimPage<'a> {
    ClaimPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        code: String::new(),
        error: None,
        notice: None,
    }
}

/// What the claim page says after a claim.
#[derive(Deserialize)]
pub struct ClaimedQuery {
    #[serde(default)]
    tip: Option<i64>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    awarded: String,
}

/// `GET /staff/rewards`: the claim form.
pub async fn claim_form(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<ClaimedQuery>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::AwardRewards) {
        return Err(CoreError::Forbidden.into());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = claim_page(t, &s);
    if let (Some(tip), Some(reason)) = (q.tip, RewardReason::parse(&q.reason)) {
        page.notice = Some(t.ta(
            "staff-reward-claim-done",
            &[
                ("id", tip.to_string()),
                (
                    "reason",
                    t.t(&format!("staff-reward-reason-{}", reason.name())),
                ),
                (
                    "date",
                    crate::display::iso_day_shown(
                        t.lang,
                        &q.awarded.chars().take(10).collect::<String>(),
                    ),
                ),
            ],
        ));
    }
    Ok(lang.remember(&state, page.into_response()))
}

/// The claim form.
#[derive(Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    code: String,
}

/// `POST /staff/rewards/claim`: marks the reward with the typed code claimed.
pub async fn claim(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, f): StaffForm<ClaimForm>,
) -> Result<Response, PageError> {
    match rewards::claim(&state.vigil.rewards, &s.principal, &f.code).await {
        Ok(r) => Ok(Redirect::to(&format!(
            "/staff/rewards?tip={}&reason={}&awarded={}",
            r.tip_id,
            r.reason.name(),
            crate::display::iso_day(r.awarded_at)
        ))
        .into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = claim_page(t, &s);
            page.error = Some(t.field_error(&fe));
            page.code = f.code;
            Ok(with_status(page.into_response(), refusal_status(&fe)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Routes of the award form and the claim page.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/tips/{id}/reward", post(award))
        .route("/staff/rewards", get(claim_form))
        .route("/staff/rewards/claim", post(claim))
}
