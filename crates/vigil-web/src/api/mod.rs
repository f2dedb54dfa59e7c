//! The JSON API under `/api/v1`, described by `/api/v1/openapi.json`.

mod places;
mod receipts;
mod tips;
pub mod wire;

use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::AppState;

/// The OpenAPI description, generated from the handlers and wire types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vigil API",
        version = "1",
        description = "Anonymous tips about scam compounds and trafficking in Cambodia."
    ),
    paths(
        tips::create,
        receipts::status,
        receipts::message,
        places::provinces,
        places::children,
        places::search
    ),
    components(schemas(
        wire::TipIn,
        wire::DangerIn,
        wire::PhotoIn,
        wire::TipCreated,
        wire::ReceiptIn,
        wire::MessageIn,
        wire::MessageOut,
        wire::StatusOut,
        wire::PlaceOut,
        wire::ErrorOut,
        wire::ErrorDetail
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tips", post(tips::create))
        .route("/receipts/status", post(receipts::status))
        .route("/receipts/messages", post(receipts::message))
        .route("/places", get(places::search))
        .route("/places/provinces", get(places::provinces))
        .route("/places/{code}/children", get(places::children))
        .route("/openapi.json", get(openapi))
}
