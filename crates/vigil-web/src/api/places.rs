//! The gazetteer over HTTP, for the place pickers.

use axum::Json;
use axum::extract::{Path, Query};
use serde::Deserialize;
use vigil_domain::gazetteer::{Unit, gazetteer};

use super::wire::PlaceOut;

fn out(u: &Unit) -> PlaceOut {
    PlaceOut {
        code: u.code.clone(),
        level: u.level.as_str().into(),
        name_km: u.name_km.clone(),
        name_en: u.name_en.clone(),
        parent: u.parent.clone(),
    }
}

/// The 25 provinces.
#[utoipa::path(get, path = "/api/v1/places/provinces", responses((status = 200, body = Vec<PlaceOut>)))]
pub async fn provinces() -> Json<Vec<PlaceOut>> {
    Json(gazetteer().provinces().map(out).collect())
}

/// The units directly inside a unit (empty for a village or an unknown code).
#[utoipa::path(get, path = "/api/v1/places/{code}/children",
    params(("code" = String, Path, description = "Official code")),
    responses((status = 200, body = Vec<PlaceOut>)))]
pub async fn children(Path(code): Path<String>) -> Json<Vec<PlaceOut>> {
    Json(gazetteer().children(&code).map(out).collect())
}

/// Search parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// A Khmer or English name, a code, or a common variant spelling.
    q: String,
    /// At most this many (default 20, at most 100).
    limit: Option<usize>,
}

/// Finds units by name, code or variant spelling.
#[utoipa::path(get, path = "/api/v1/places", params(SearchQuery),
    responses((status = 200, body = Vec<PlaceOut>),
        (status = 422, body = super::wire::ErrorOut, description = "The search is too long or holds control characters")))]
pub async fn search(
    Query(q): Query<SearchQuery>,
) -> Result<Json<Vec<PlaceOut>>, crate::error::ApiError> {
    crate::extract::check_field("q", &q.q, Some(MAX_QUERY_CHARS))?;
    let limit = q.limit.unwrap_or(20).min(100);
    Ok(Json(
        gazetteer()
            .search(&q.q, limit)
            .into_iter()
            .map(|m| out(m.unit))
            .collect(),
    ))
}

/// Most characters of a place search.
pub(crate) const MAX_QUERY_CHARS: usize = 200;

/// Routes of places.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/places", get(search))
        .route("/places/provinces", get(provinces))
        .route("/places/{code}/children", get(children))
}
