//! `GET /api/v1/facilities` and `GET /api/v1/facilities/{id}` for machine
//! clients with an API token (`vigil token create`), sent as
//! `Authorization: Bearer …`. The token's account is checked in `vigil-core`
//! exactly as a signed-in person would be: outside its jurisdiction a
//! facility is 404, and a role that does not read tips gets 403.

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use vigil_core::desk::{self, ReasonView};
use vigil_core::staff::{self, Principal};
use vigil_core::views::Facility;
use vigil_domain::FacilityId;

use super::wire::{FacilitiesOut, FacilityDetailOut, FacilityOut, FacilityTipOut, ReasonOut};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The account behind a valid API token.
pub struct ApiStaff(pub Principal);

impl FromRequestParts<AppState> for ApiStaff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let refuse = ApiError;
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(refuse(Problem::new(StatusCode::UNAUTHORIZED, "api-token")));
        };
        match staff::api_principal(&state.vigil.staff, token).await? {
            Some(p) => Ok(ApiStaff(p)),
            None => Err(refuse(Problem::new(StatusCode::UNAUTHORIZED, "api-token"))),
        }
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn out(f: &Facility, reasons: &[ReasonView]) -> FacilityOut {
    FacilityOut {
        id: f.id.0,
        priority: f.priority,
        province_code: f.province_code.clone(),
        tips: f.tips,
        first_at: rfc3339(f.first_at),
        last_at: rfc3339(f.last_at),
        reasons: reasons
            .iter()
            .map(|r| ReasonOut {
                code: r.code.clone(),
                weight: r.weight,
                detail: r.detail.clone(),
                args: r.args.clone(),
            })
            .collect(),
    }
}

/// Paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Page number from 0 (50 facilities a page).
    #[serde(default)]
    page: i64,
}

/// Facilities within the token's jurisdiction, highest priority first.
#[utoipa::path(get, path = "/api/v1/facilities", params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, body = FacilitiesOut), (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut)))]
pub async fn list(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    Query(q): Query<PageQuery>,
) -> Result<Json<FacilitiesOut>, ApiError> {
    let (rows, total) = desk::facilities(&state.vigil.desk, &p, q.page).await?;
    Ok(Json(FacilitiesOut {
        total,
        facilities: rows.iter().map(|(f, r)| out(f, r)).collect(),
    }))
}

/// One facility (within the token's jurisdiction) with its tips' ids; the
/// read is on the audit chain.
#[utoipa::path(get, path = "/api/v1/facilities/{id}",
    params(("id" = i64, Path, description = "Facility id")),
    security(("bearer" = [])),
    responses((status = 200, body = FacilityDetailOut), (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut), (status = 404, body = super::wire::ErrorOut)))]
pub async fn show(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    Path(id): Path<i64>,
) -> Result<Json<FacilityDetailOut>, ApiError> {
    let view = desk::facility(&state.vigil.desk, &p, FacilityId(id)).await?;
    Ok(Json(FacilityDetailOut {
        facility: out(&view.facility, &view.reasons),
        tips: view
            .tips
            .iter()
            .map(|t| FacilityTipOut {
                id: t.id.0,
                received_at: rfc3339(t.received_at),
                province_code: t.location.province_code.clone(),
                district_code: t.location.district_code.clone(),
            })
            .collect(),
    }))
}

/// Routes of facilities.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/facilities", get(list))
        .route("/facilities/{id}", get(show))
}
