//! The partners' feed: `GET /api/v1/feed/latest.json` and `latest.csv`
//! (an API token whose role reads the feed) — the values analysts confirmed
//! as scams, signed; `GET /api/v1/feed/key` (anyone) — the public key that
//! verifies them. The files are made by `vigil_core::feed`, byte for byte
//! what `vigil feed export` writes; the signature rides in `Vigil-Signature`.

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use vigil_core::feed;

use super::facilities::ApiStaff;
use crate::error::ApiError;
use crate::state::AppState;

/// The header carrying a file's Ed25519 signature (base64).
const SIGNATURE: HeaderName = HeaderName::from_static("vigil-signature");

fn signed(body: String, content_type: &'static str, signature: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(signature) {
        h.insert(SIGNATURE, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

/// The confirmed scams as JSON (`format`, `generated_at`, `count`,
/// `entries`: `kind`, `value`, `sha256`, `reason`, `confirmed_on`), signed.
#[utoipa::path(get, path = "/api/v1/feed/latest.json",
    security(("bearer" = [])),
    responses((status = 200, description = "The feed; its Ed25519 signature (base64) in Vigil-Signature",
            content_type = "application/json", body = String),
        (status = 401, body = super::wire::ErrorOut), (status = 403, body = super::wire::ErrorOut)))]
pub async fn latest_json(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
) -> Result<Response, ApiError> {
    let f = feed::current(&state.vigil.feed, &p).await?;
    Ok(signed(
        f.json.as_str().to_string(),
        "application/json",
        &f.json_signature,
    ))
}

/// The same entries as CSV (`kind,value,sha256,reason,confirmed_on`),
/// signed.
#[utoipa::path(get, path = "/api/v1/feed/latest.csv",
    security(("bearer" = [])),
    responses((status = 200, description = "The feed as CSV; its signature in Vigil-Signature",
            content_type = "text/csv", body = String),
        (status = 401, body = super::wire::ErrorOut), (status = 403, body = super::wire::ErrorOut)))]
pub async fn latest_csv(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
) -> Result<Response, ApiError> {
    let f = feed::current(&state.vigil.feed, &p).await?;
    Ok(signed(
        f.csv.as_str().to_string(),
        "text/csv; charset=utf-8",
        &f.csv_signature,
    ))
}

/// The instance's public key (Ed25519, base64) that verifies the feed.
#[utoipa::path(get, path = "/api/v1/feed/key",
    responses((status = 200, description = "The public key, base64", content_type = "text/plain", body = String)))]
pub async fn key(State(state): State<AppState>) -> Result<Response, ApiError> {
    let key = vigil_core::signing::public_key(&state.vigil.settings)?;
    let mut r = format!("{key}\n").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(r)
}

/// Routes of the feed.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/feed/latest.json", get(latest_json))
        .route("/feed/latest.csv", get(latest_csv))
        .route("/feed/key", get(key))
}
