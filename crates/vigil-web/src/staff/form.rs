//! The gates every staff form passes before its fields are read, one
//! extractor per kind of form:
//!
//! - [`StaffForm`]: a form of a signed-in staff member — the session, a
//!   request from this site (`Sec-Fetch-Site`, `Origin`) and the session's
//!   CSRF token in the form's `csrf` field;
//! - [`StaffMultipart`]: the same checks for a multipart form (a CSV pasted
//!   or uploaded);
//! - [`SignInForm`]: a form sent before there is a session (sign-in, the
//!   second factor, account setup). There is no session token to check yet:
//!   the request must come from this site, and the cookies it may carry are
//!   `SameSite=Strict`.
//!
//! A request from elsewhere, or without the session's token, is refused
//! (403) before the handler runs; without a session the browser is sent to
//! sign in.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use vigil_core::staff::Session;

use super::Staff;
use crate::error::{PageError, Problem};
use crate::extract::{MAX_FIELD_CHARS, check_field};
use crate::state::AppState;

/// A staff form that passed the checks: the session and the form's fields.
pub struct StaffForm<T>(pub Session, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let s = signed_in_here(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            PageError::from(
                Problem::new(rej.status(), "bad-request").arg("detail", rej.body_text()),
            )
            .into_response()
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| bad_form(e.to_string()).into_response())?;
        if !token_ok(&s, &pairs) {
            return Err(refused().into_response());
        }
        check_pairs(&pairs, Some(MAX_FIELD_CHARS)).map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| bad_form(e.to_string()).into_response())?;
        Ok(StaffForm(s, fields))
    }
}

/// A staff multipart form that passed the checks: the session and the
/// form's fields. Every part is read as text (an uploaded file under its
/// input's name), then the fields are read as those of a URL-encoded form.
pub struct StaffMultipart<T>(pub Session, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StaffMultipart<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let s = signed_in_here(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let mut mp = Multipart::from_request(req, state).await.map_err(|rej| {
            PageError::from(
                Problem::new(rej.status(), "bad-request").arg("detail", rej.body_text()),
            )
            .into_response()
        })?;
        let broken =
            |e: axum::extract::multipart::MultipartError| bad_form(e.body_text()).into_response();
        let mut pairs = Vec::new();
        while let Some(field) = mp.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_string();
            let text = field.text().await.map_err(broken)?;
            pairs.push((name, text));
        }
        if !token_ok(&s, &pairs) {
            return Err(refused().into_response());
        }
        // An uploaded file (a CSV) is bounded by the body limit alone.
        check_pairs(&pairs, None).map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::to_string(&pairs)
            .map_err(|e| e.to_string())
            .and_then(|encoded| serde_urlencoded::from_str(&encoded).map_err(|e| e.to_string()))
            .map_err(|e| bad_form(e).into_response())?;
        Ok(StaffMultipart(s, fields))
    }
}

/// A form sent before signing in, from this site: its fields.
pub struct SignInForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for SignInForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !same_site(req.headers()) {
            return Err(refused());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            PageError::from(
                Problem::new(rej.status(), "bad-request").arg("detail", rej.body_text()),
            )
        })?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|e| bad_form(e.to_string()))?;
        for (name, value) in &pairs {
            check_field(name, value, Some(MAX_SIGN_IN_CHARS)).map_err(PageError::from)?;
        }
        let fields = serde_urlencoded::from_bytes(&bytes).map_err(|e| bad_form(e.to_string()))?;
        Ok(SignInForm(fields))
    }
}

/// Most characters of a field of a form sent before signing in (a
/// username, a password, a code).
const MAX_SIGN_IN_CHARS: usize = 1024;

/// Checks every field of a staff form: no NUL or other control character
/// but tab and line ends, and at most `max` characters when given.
fn check_pairs(pairs: &[(String, String)], max: Option<usize>) -> Result<(), PageError> {
    for (name, value) in pairs {
        check_field(name, value, max)?;
    }
    Ok(())
}

/// The session of a request from this site; without a session the browser
/// is sent to sign in.
async fn signed_in_here(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
    let Staff(s) = Staff::from_request_parts(parts, state).await?;
    if !same_site(&parts.headers) {
        return Err(refused().into_response());
    }
    Ok(s)
}

/// Whether the form's `csrf` field holds the session's token.
fn token_ok(s: &Session, pairs: &[(String, String)]) -> bool {
    let token = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    s.csrf_ok(token)
}

/// Whether a state-changing request came from this site (the browser says
/// so in `Sec-Fetch-Site` or `Origin`), besides the form's token.
fn same_site(headers: &HeaderMap) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == "same-origin" || v == "none");
    let origin_ok = match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        // Browsers send `Origin: null` under `Referrer-Policy: no-referrer`;
        // `Sec-Fetch-Site` then says where the request came from.
        (Some("null"), _) => true,
        (Some(o), Some(host)) => o.split_once("://").is_some_and(|(_, rest)| rest == host),
        _ => true,
    };
    site_ok && origin_ok
}

/// The refusal of a form whose CSRF token (or origin) is wrong.
fn refused() -> PageError {
    PageError::from(Problem::new(StatusCode::FORBIDDEN, "csrf").with_message("staff-csrf"))
}

fn bad_form(detail: String) -> PageError {
    PageError::from(Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", detail))
}
