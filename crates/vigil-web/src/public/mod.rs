//! The public pages: report, receipt, follow-up. Server-rendered, working with
//! JavaScript off, in the language of the path (`/km/…`, `/en/…`).

mod aware;
mod check;
mod figures;
mod followup;
mod multipart;
mod report;
mod staging;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::error::Problem;
use crate::i18n::{DEFAULT_LANG, I18n, Tr};
use crate::state::AppState;

/// Routes of the public pages: each module brings its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/{lang}", get(lang_root))
        .merge(report::routes())
        .merge(check::routes())
        .merge(followup::routes())
        .merge(figures::routes())
        .merge(aware::routes())
}

async fn root(headers: HeaderMap) -> Redirect {
    let lang = I18n::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        DEFAULT_LANG,
    );
    Redirect::to(&format!("/{lang}/"))
}

async fn lang_root(axum::extract::Path(lang): axum::extract::Path<String>) -> Response {
    match I18n::lang(&lang) {
        Some(l) => Redirect::to(&format!("/{l}/")).into_response(),
        None => Redirect::to("/").into_response(),
    }
}

/// The language of a public page's path (`/{lang}/…`). A path whose
/// language is not served is answered with the 404 page before the handler
/// runs.
#[derive(Debug, Clone, Copy)]
pub struct PathLang(pub &'static str);

impl FromRequestParts<AppState> for PathLang {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(lang) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown_lang(state))?;
        I18n::lang(&lang)
            .map(PathLang)
            .ok_or_else(|| unknown_lang(state))
    }
}

/// The 404 page for a path whose language is not served.
fn unknown_lang(state: &AppState) -> Response {
    error_page(
        state,
        DEFAULT_LANG,
        &Problem::new(StatusCode::NOT_FOUND, "not-found"),
        "",
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    message: String,
}

/// A page showing a problem in the reader's language: how the error layer
/// shows a [`PageError`](crate::error::PageError) outside `/staff`.
pub(crate) fn error_page(
    state: &AppState,
    lang: &'static str,
    p: &Problem,
    switch_path: &str,
) -> Response {
    let page = ErrorPage {
        t: Tr::new(&state.i18n, lang),
        switch_path,
        message: p.message(&state.i18n, lang),
    };
    (p.status, page).into_response()
}

/// The page for unknown addresses.
pub async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError(Problem::new(StatusCode::NOT_FOUND, "not-found"))
            .into_response();
    }
    let lang = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(I18n::lang)
        .unwrap_or(DEFAULT_LANG);
    error_page(
        &state,
        lang,
        &Problem::new(StatusCode::NOT_FOUND, "not-found"),
        "",
    )
}
