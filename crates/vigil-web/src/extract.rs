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
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            err(Problem::new(StatusCode::BAD_REQUEST, "json").arg("detail", e.to_string()))
        })
    }
}
