//! Health endpoints for load balancers and supervisors: `/healthz` (the
//! process answers) and `/readyz` (the store accepts writes now, found by a
//! real write at most two seconds old). Both are for machines; their bodies
//! are tokens, not sentences.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

/// Seconds a client waits before asking `/readyz` again, when not ready.
const RETRY_AFTER_SECS: &str = "5";

/// The health routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is alive: always `200 ok`.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process answers", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The store accepts writes now: `200 ok` when a write probe (at most two
/// seconds old, shared by every caller) succeeded; `503` with `Retry-After`
/// when it failed (a full disk, a database out of reach).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses(
        (status = 200, description = "The store accepts writes", body = String, content_type = "text/plain"),
        (status = 503, description = "The store refuses writes now; see Retry-After",
            headers(("Retry-After" = u32, description = "Seconds to wait before asking again")))))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    if vigil_core::pipeline::ready(&state.vigil.pipeline).await {
        "ok".into_response()
    } else {
        let mut r = StatusCode::SERVICE_UNAVAILABLE.into_response();
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECS),
        );
        r
    }
}
