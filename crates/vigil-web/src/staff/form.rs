//! [`StaffForm`]: the one gate every staff form passes — a signed-in session,
//! a request from this site (`Sec-Fetch-Site`, `Origin`) and the session's
//! CSRF token in the form's `csrf` field — before its fields are read.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use vigil_core::staff::Session;

use super::{Staff, csrf_problem, same_site};
use crate::AppState;
use crate::error::{PageError, Problem};

/// A staff form that passed the checks: the session and the form's fields.
/// A request from elsewhere, or without the session's token, is refused
/// (403) before the handler runs; without a session the browser is sent to
/// sign in.
pub struct StaffForm<T>(pub Session, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Staff(s) = Staff::from_request_parts(&mut parts, state).await?;
        if !same_site(&parts.headers) {
            return Err(PageError::from(csrf_problem()).into_response());
        }
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            PageError::from(
                Problem::new(rej.status(), "bad-request").arg("detail", rej.body_text()),
            )
            .into_response()
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| bad_form(e.to_string()).into_response())?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        if !s.csrf_ok(token) {
            return Err(PageError::from(csrf_problem()).into_response());
        }
        let fields = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| bad_form(e.to_string()).into_response())?;
        Ok(StaffForm(s, fields))
    }
}

fn bad_form(detail: String) -> PageError {
    PageError::from(Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", detail))
}
