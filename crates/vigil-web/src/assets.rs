//! Static files embedded in the binary: the stylesheet, the small script that
//! narrows the place pickers, and the Khmer font.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

const CSS: &str = include_str!("../static/app.css");
const STAFF_CSS: &str = include_str!("../static/staff.css");
const STAFF_JS: &str = include_str!("../static/staff.js");
const JS: &str = include_str!("../static/app.js");
const FONT: &[u8] = include_bytes!("../static/fonts/noto-sans-khmer-khmer-400-normal.woff2");

fn asset(body: impl IntoResponse, mime: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// Routes under `/static/`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/app.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/static/staff.css",
            get(|| async { asset(STAFF_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/static/staff.js",
            get(|| async { asset(STAFF_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset(JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/fonts/noto-sans-khmer.woff2",
            get(|| async { asset(FONT, "font/woff2") }),
        )
}
