//! Vigil's HTTP face: the public reporting pages (Khmer and English, working
//! with JavaScript off), the JSON API with its OpenAPI description, static
//! assets served by Vigil itself, and strict security headers. This is the only
//! crate that knows the wire format; the rules live in `vigil-core`.

#![forbid(unsafe_code)]

pub mod api;
mod assets;
mod charts;
mod display;
pub mod error;
mod extract;
pub mod i18n;
mod public;
mod security;
mod staff;
pub mod sync_client;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use vigil_core::Vigil;

pub use axum::Router;
pub use i18n::I18n;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The application.
    pub vigil: Vigil,
    /// Translations.
    pub i18n: Arc<I18n>,
    /// A random salt, in memory only, for throttle keys of client addresses.
    pub salt: Arc<[u8; 16]>,
}

impl AppState {
    /// State over an application.
    pub fn new(vigil: Vigil) -> Result<Self, i18n::I18nError> {
        let mut salt = [0u8; 16];
        // Without randomness the salt stays zero: throttle keys are then
        // unsalted hashes, still never stored.
        let _ = getrandom::fill(&mut salt);
        Ok(AppState {
            vigil,
            i18n: Arc::new(I18n::load()?),
            salt: Arc::new(salt),
        })
    }
}

/// The whole router.
pub fn router(state: AppState) -> Router {
    let limit = state.vigil.settings.intake.max_request_bytes();
    Router::new()
        .merge(public::router())
        .merge(staff::router())
        .nest("/api/v1", api::router())
        .merge(assets::router())
        .fallback(public::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render,
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
