//! `POST /api/v1/receipts/status` and `POST /api/v1/receipts/messages`: the
//! receipt travels in the body, never in a URL.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::format_description::well_known::Rfc3339;
use vigil_core::CoreError;
use vigil_core::followup::{self, ThreadView};

use super::tips::decode_photos;
use super::wire::{MessageIn, MessageOut, ReceiptIn, RewardOut, StatusOut};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Client};
use crate::state::AppState;

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The wire form of a thread; `channel` is how a reward is claimed.
pub(crate) fn status_out(v: ThreadView, channel: &str) -> StatusOut {
    StatusOut {
        reward: v.reward.map(|r| RewardOut {
            code: r.code,
            channel: channel.trim().to_string(),
            awarded_at: rfc3339(r.status.awarded_at),
            claimed_at: r.status.claimed_at.map(rfc3339),
        }),
        status: v.status.as_str().into(),
        received_at: rfc3339(v.received_at),
        report_photos: v.report_photos,
        messages: v
            .messages
            .into_iter()
            .map(|m| MessageOut {
                from: if m.from_reporter {
                    "reporter"
                } else {
                    "analyst"
                }
                .into(),
                body: m.body,
                created_at: rfc3339(m.created_at),
                photos: m.photos,
            })
            .collect(),
    }
}

fn receipt_problem(e: CoreError) -> ApiError {
    ApiError(match e {
        CoreError::NotFound => Problem::new(StatusCode::NOT_FOUND, "receipt-not-found"),
        other => Problem::from_core(other),
    })
}

/// The status and thread a receipt opens. An unknown receipt answers 404 after
/// the same work as a known one.
#[utoipa::path(
    post, path = "/api/v1/receipts/status", request_body = ReceiptIn,
    responses(
        (status = 200, body = StatusOut),
        (status = 400, description = "Not 16 digits", body = super::wire::ErrorOut),
        (status = 404, description = "Unknown receipt", body = super::wire::ErrorOut),
        (status = 429, description = "Too many failed attempts", body = super::wire::ErrorOut),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(body): ApiJson<ReceiptIn>,
) -> Result<Json<StatusOut>, ApiError> {
    let v = followup::open(&state.vigil.intake, &body.receipt, client)
        .await
        .map_err(receipt_problem)?;
    Ok(Json(status_out(
        v,
        &state.vigil.settings.public.reward_channel,
    )))
}

/// Adds the reporter's message (and photos) to the thread; answers the thread.
#[utoipa::path(
    post, path = "/api/v1/receipts/messages", request_body = MessageIn,
    responses(
        (status = 201, body = StatusOut),
        (status = 400, body = super::wire::ErrorOut),
        (status = 404, description = "Unknown receipt", body = super::wire::ErrorOut),
        (status = 422, description = "Empty or too long", body = super::wire::ErrorOut),
        (status = 429, body = super::wire::ErrorOut),
    )
)]
pub async fn message(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(body): ApiJson<MessageIn>,
) -> Result<(StatusCode, Json<StatusOut>), ApiError> {
    let photos = decode_photos(body.photos)?;
    followup::reporter_reply(
        &state.vigil.intake,
        &body.receipt,
        client,
        &body.body,
        photos,
    )
    .await
    .map(|v| {
        let out = status_out(v, &state.vigil.settings.public.reward_channel);
        (StatusCode::CREATED, Json(out))
    })
    .map_err(receipt_problem)
}

/// Routes of receipts.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/receipts/status", post(status))
        .route("/receipts/messages", post(message))
}
