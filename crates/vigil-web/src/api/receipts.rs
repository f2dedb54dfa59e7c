//! `POST /api/v1/receipts/status` and `POST /api/v1/receipts/messages`: the
//! receipt travels in the body, never in a URL.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::format_description::well_known::Rfc3339;
use vigil_core::CoreError;
use vigil_core::followup::{self, ThreadView};

use super::tips::decode_photos;
use super::wire::{MessageIn, MessageOut, ReceiptIn, StatusOut};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Client};
use crate::state::AppState;

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The wire form of a thread.
pub(crate) fn status_out(v: ThreadView) -> StatusOut {
    StatusOut {
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
    Ok(Json(status_out(v)))
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
    .map(|v| (StatusCode::CREATED, Json(status_out(v))))
    .map_err(receipt_problem)
}

/// Routes of receipts.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/receipts/status", post(status))
        .route("/receipts/messages", post(message))
}
