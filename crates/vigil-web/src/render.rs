//! The layer that writes the bodies of [`ApiError`] and [`PageError`]
//! responses in the request's language: JSON for the API, the staff message
//! page under `/staff`, the public error page elsewhere. It sits above the
//! pages it uses; the pages and the API know only `error`.
//!
//! [`ApiError`]: crate::error::ApiError
//! [`PageError`]: crate::error::PageError

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{Pending, Problem, with_mb};
use crate::i18n::{DEFAULT_LANG, I18n};
use crate::state::AppState;

/// The language a request's error is shown in: `Accept-Language` for the
/// API, the staff pages' choice under `/staff`, the path's elsewhere.
fn language_of(req: &Request) -> &'static str {
    let path = req.uri().path();
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    if path.starts_with("/api/") {
        I18n::negotiate(accept, "en")
    } else if path.starts_with("/staff") {
        crate::staff::language(req.uri(), req.headers())
    } else {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .and_then(I18n::lang)
            .unwrap_or_else(|| I18n::negotiate(accept, DEFAULT_LANG))
    }
}

/// Writes the body of an error response in the request's language; other
/// responses pass untouched.
pub async fn errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = language_of(&req);
    let staff = req.uri().path().starts_with("/staff");
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let pending = match res.extensions_mut().remove::<Pending>() {
        // Every error of the API is its JSON error, a page's problem too.
        Some(Pending::Page(p, _)) if api => Pending::Api(p),
        Some(p) => p,
        // An extractor's own rejection (a query string, a path, a method),
        // in plain text: the API answers it in its JSON shape.
        None if api && is_plain_error(&res) => {
            let (parts, body) = res.into_parts();
            let detail = axum::body::to_bytes(body, 64 * 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            res = Response::from_parts(parts, axum::body::Body::empty());
            Pending::Api(problem_of_status(res.status(), detail))
        }
        None => return res,
    };
    let with_mb = |p| with_mb(p, &state);
    let mut out = match pending {
        Pending::Api(p) => {
            let p = with_mb(p);
            let mut error = serde_json::json!({
                "code": p.code,
                "message": p.message(&state.i18n, lang),
            });
            if p.code == "invalid-field"
                && let Some((_, field)) = p.args.iter().find(|(k, _)| *k == "field")
            {
                error["field"] = serde_json::Value::String(field.clone());
            }
            let body = serde_json::json!({ "error": error });
            (p.status, axum::Json(body)).into_response()
        }
        Pending::Page(p, switch_path) => {
            let p = with_mb(p);
            if staff {
                crate::staff::message_page(&state, lang, p.status, p.message(&state.i18n, lang))
            } else {
                crate::public::error_page(&state, lang, &p, switch_path)
            }
        }
    };
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}

/// Whether a response is an error whose body is not JSON.
fn is_plain_error(res: &Response) -> bool {
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    (res.status().is_client_error() || res.status().is_server_error()) && !json
}

/// The problem of an error that came with nothing but its status and a
/// sentence (the framework's own rejections).
fn problem_of_status(status: StatusCode, detail: String) -> Problem {
    let code = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "content-type",
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal",
        _ => "bad-request",
    };
    let status = if status.is_client_error() || status.is_server_error() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    Problem::new(status, code).arg("detail", detail)
}
