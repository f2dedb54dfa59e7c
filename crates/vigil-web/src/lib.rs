//! Vigil's HTTP face: the public reporting pages (Khmer and English, working
//! with JavaScript off), the JSON API with its OpenAPI description, static
//! assets served by Vigil itself, and strict security headers. This is the only
//! crate that knows the wire format; the rules live in `vigil-core`.

#![forbid(unsafe_code)]

pub mod api;
mod assets;
mod budget;
mod charts;
mod display;
pub mod error;
mod extract;
pub mod health;
pub mod i18n;
mod localize;
mod public;
mod reasons;
mod render;
mod security;
mod staff;
mod state;
pub mod sync_client;

use std::future::Future;
use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;

pub use axum::Router;
pub use i18n::I18n;
pub use state::AppState;

/// The whole router.
pub fn router(state: AppState) -> Router {
    let limit = state.vigil.settings.intake.max_request_bytes();
    Router::new()
        .merge(public::router())
        .merge(health::router())
        .merge(staff::router())
        .nest("/api/v1", api::router())
        .merge(assets::router())
        .fallback(public::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            budget::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            render::errors,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves until `shutdown` completes. The listener is bound by the caller, so
/// tests can use port 0.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
