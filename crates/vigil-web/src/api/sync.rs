//! Offline posts' sync with central, for a post's API token (an immigration
//! account or an admin): `POST /api/v1/sync/screenings` takes a signed bundle
//! of the post's screenings (a bundle that fails its signature or was altered
//! is 422 saying why, and nothing of it is stored); `GET /api/v1/sync/watchlist`
//! answers central's watchlist, labelled as far as the account may see, and
//! the policy in force, signed. The bundles' format is `vigil-sync`'s.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use vigil_core::sync;

use super::facilities::ApiStaff;
use super::wire::SyncReceivedOut;
use crate::error::ApiError;
use crate::state::AppState;

/// Stores the screenings of a post's signed bundle.
#[utoipa::path(post, path = "/api/v1/sync/screenings",
    security(("bearer" = [])),
    request_body(content = Object, content_type = "application/json",
        description = "A signed screenings bundle as `vigil sync push` sends it."),
    responses((status = 200, body = SyncReceivedOut),
        (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut),
        (status = 422, body = super::wire::ErrorOut,
            description = "The bundle was altered, is signed by an unknown post or does not read; nothing stored")))]
pub async fn receive(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    body: String,
) -> Result<Json<SyncReceivedOut>, ApiError> {
    let counts = sync::receive_screenings(&state.vigil.screening, &p, &body).await?;
    Ok(Json(SyncReceivedOut {
        new: counts.new,
        updated: counts.updated,
        unchanged: counts.unchanged,
    }))
}

/// Central's watchlist and policy, signed, for a post to pull.
#[utoipa::path(get, path = "/api/v1/sync/watchlist",
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/json",
            description = "A signed watchlist bundle as `vigil sync pull` applies it."),
        (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut)))]
pub async fn watchlist(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
) -> Result<impl IntoResponse, ApiError> {
    let bundle = sync::watchlist_bundle(&state.vigil.screening, &p).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bundle))
}

/// Routes of synchronisation between posts.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/sync/screenings", post(receive))
        .route("/sync/watchlist", get(watchlist))
}
