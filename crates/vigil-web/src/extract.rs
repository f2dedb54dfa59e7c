//! Extractors: a salted throttle key of the client's address (never stored
//! or logged) and JSON bodies whose errors are ours (in the caller's language,
//! written by the error layer).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use vigil_core::throttle::ClientKey;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A throttle key for the client's address: a salted hash with a salt that
/// lives only in memory, so it can never be turned back into an address. The
/// address is the peer's, or, from a peer in `[http] trusted_proxies`, the one
/// its forwarding headers name.
#[derive(Debug, Clone, Copy)]
pub struct Client(pub Option<ClientKey>);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let values = |name: header::HeaderName| -> Vec<&str> {
            parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect()
        };
        let forwarded = values(header::FORWARDED);
        let x_forwarded_for = values(header::HeaderName::from_static("x-forwarded-for"));
        let key = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| {
                // Forwarding headers count only from a trusted proxy.
                let ip = state.vigil.settings.http.client_address(
                    addr.ip(),
                    &forwarded,
                    &x_forwarded_for,
                );
                let mut h = Sha256::new();
                h.update(state.salt.as_slice());
                h.update(ip.to_string().as_bytes());
                let d = h.finalize();
                let mut k = [0u8; 16];
                k.copy_from_slice(&d[..16]);
                ClientKey(k)
            });
        Ok(Client(key))
    }
}

/// A JSON body. Wrong content types, oversized bodies, invalid UTF-8 and
/// malformed JSON become clear 4xx errors in the caller's language.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let err = ApiError;
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content-type",
            )));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rej| {
                if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large"))
                } else {
                    err(Problem::new(StatusCode::BAD_REQUEST, "bad-request")
                        .arg("detail", rej.body_text()))
                }
            })?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(err(Problem::new(StatusCode::BAD_REQUEST, "json")
                .arg("detail", "the body is not valid UTF-8")));
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            err(Problem::new(StatusCode::BAD_REQUEST, "json").arg("detail", e.to_string()))
        })?;
        drop(bytes);
        check_json("", &value).map_err(err)?;
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            err(Problem::new(StatusCode::BAD_REQUEST, "json").arg("detail", e.to_string()))
        })
    }
}

/// Most characters of any one field of a form or a JSON body that has no
/// tighter limit of its own (the use cases check their fields' own).
pub(crate) const MAX_FIELD_CHARS: usize = 100_000;

/// A field's value as every form and JSON body must have it: no control
/// character but tab, newline and carriage return (NUL never), and at most
/// `max` characters when given. The refusal names the field.
pub(crate) fn check_field(name: &str, value: &str, max: Option<usize>) -> Result<(), Problem> {
    let field = |id: &'static str| {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-field")
            .arg("field", name)
            .arg("field-message", id)
    };
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(field("field-control-characters"));
    }
    if let Some(max) = max
        && value.chars().count() > max
    {
        return Err(field("field-too-long").arg("max", max));
    }
    Ok(())
}

/// Checks every string of a body that is JSON (one that is not is left to
/// its reader, which says why).
pub(crate) fn check_json_text(body: &str) -> Result<(), Problem> {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => check_json("", &v),
        Err(_) => Ok(()),
    }
}

/// Checks every string of a JSON body (a photo's base64 is checked when
/// decoded); a field is named by its path, `photos[0].content_type`.
fn check_json(path: &str, v: &serde_json::Value) -> Result<(), Problem> {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            let is_photo = path == "data_base64" || path.ends_with(".data_base64");
            if is_photo {
                Ok(())
            } else {
                check_field(path, s, Some(MAX_FIELD_CHARS))
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_json(&format!("{path}[{i}]"), item)),
        Value::Object(fields) => fields.iter().try_for_each(|(k, item)| {
            check_field(path, k, Some(MAX_FIELD_CHARS))?;
            let inner = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            check_json(&inner, item)
        }),
        _ => Ok(()),
    }
}
