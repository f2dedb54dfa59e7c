//! The JSON API under `/api/v1`, described by `/api/v1/openapi.json`.

mod check;
mod doc;
mod facilities;
mod feed;
mod places;
mod receipts;
mod screenings;
mod sync;
mod tips;
pub mod wire;

use axum::Router;
use axum::routing::get;

pub use doc::{ApiDoc, document};

use crate::state::AppState;

/// Routes under `/api/v1`: each resource brings its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tips::routes())
        .merge(check::routes())
        .merge(feed::routes())
        .merge(receipts::routes())
        .merge(places::routes())
        .merge(facilities::routes())
        .merge(screenings::routes())
        .merge(sync::routes())
        .route("/openapi.json", get(doc::openapi))
}
