//! The JSON API under `/api/v1`, described by `/api/v1/openapi.json`.

mod facilities;
mod places;
mod receipts;
mod screenings;
mod sync;
mod tips;
pub mod wire;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::state::AppState;

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
        places::search,
        facilities::list,
        facilities::show,
        screenings::create,
        screenings::decide,
        sync::receive,
        sync::watchlist,
        crate::health::healthz,
        crate::health::readyz
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
        wire::ErrorDetail,
        wire::ReasonOut,
        wire::FacilityOut,
        wire::FacilitiesOut,
        wire::FacilityTipOut,
        wire::FacilityDetailOut,
        wire::ScreeningOut,
        wire::ScreeningReasonOut,
        wire::QuestionOut,
        wire::DecisionIn,
        wire::SyncReceivedOut
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the bearer scheme the staff routes use (`vigil token create`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes under `/api/v1`: each resource brings its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tips::routes())
        .merge(receipts::routes())
        .merge(places::routes())
        .merge(facilities::routes())
        .merge(screenings::routes())
        .merge(sync::routes())
        .route("/openapi.json", get(openapi))
}
