//! One error for the web layer with an explicit status per variant and two
//! renderers: JSON for the API, a page for people, both in their language.
//! Internal details are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vigil_core::CoreError;

use crate::AppState;

/// A client-facing problem: a status, a stable code (the message id is
/// `err-CODE`) and the message's arguments.
#[derive(Debug, Clone)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code, e.g. `text-too-long`.
    pub code: &'static str,
    /// Arguments of the message.
    pub args: Vec<(&'static str, String)>,
}

impl Problem {
    /// A problem without arguments.
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Problem {
            status,
            code,
            args: Vec::new(),
        }
    }

    /// Adds a message argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message in `lang`.
    pub fn message(&self, state: &AppState, lang: &str) -> String {
        let key = format!("err-{}", self.code);
        let args: Vec<(&str, String)> = self.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        state.i18n.format(lang, &key, &args)
    }

    /// Maps a use-case error, logging what must not be shown.
    pub fn from_core(e: CoreError, max_photo_bytes: usize) -> Self {
        use StatusCode as S;
        let mb = max_photo_bytes.div_ceil(1024 * 1024);
        match e {
            CoreError::Invalid(v) => {
                let p = Problem::new(S::UNPROCESSABLE_ENTITY, v.code());
                match v {
                    vigil_domain::ValidationError::TextTooLong { max }
                    | vigil_domain::ValidationError::PlaceTooLong { max } => p.arg("max", max),
                    _ => p,
                }
            }
            CoreError::Photo(m) => {
                let status = match m {
                    vigil_media::MediaError::TooLarge { .. } => S::PAYLOAD_TOO_LARGE,
                    vigil_media::MediaError::UnknownType
                    | vigil_media::MediaError::Heic
                    | vigil_media::MediaError::TypeMismatch { .. } => S::UNSUPPORTED_MEDIA_TYPE,
                    _ => S::UNPROCESSABLE_ENTITY,
                };
                Problem::new(status, m.code()).arg("mb", mb)
            }
            CoreError::TooLarge(_) => Problem::new(S::PAYLOAD_TOO_LARGE, "too-many-photos"),
            CoreError::BadRequest(d) => {
                Problem::new(S::BAD_REQUEST, "bad-request").arg("detail", d)
            }
            CoreError::InvalidField { field, message } => {
                Problem::new(S::UNPROCESSABLE_ENTITY, "invalid-field")
                    .arg("field", field)
                    .arg("detail", message)
            }
            CoreError::ReceiptFormat => Problem::new(S::BAD_REQUEST, "receipt-format"),
            CoreError::NotFound => Problem::new(S::NOT_FOUND, "not-found"),
            CoreError::Duplicate => Problem::new(S::CONFLICT, "duplicate"),
            CoreError::Throttled => Problem::new(S::TOO_MANY_REQUESTS, "throttled"),
            CoreError::SlowDown(secs) => {
                Problem::new(S::TOO_MANY_REQUESTS, "slow-down").arg("secs", secs)
            }
            CoreError::BadCredentials => Problem::new(S::UNAUTHORIZED, "bad-credentials"),
            CoreError::Forbidden => Problem::new(S::FORBIDDEN, "forbidden"),
            CoreError::Unavailable(detail) => {
                tracing::warn!(%detail, "storage unavailable");
                Problem::new(S::SERVICE_UNAVAILABLE, "unavailable")
            }
            CoreError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                Problem::new(S::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

/// An API error: rendered as `{"error": {"code", "message"}}`.
pub struct ApiError {
    /// The problem.
    pub problem: Problem,
    /// The caller's language.
    pub lang: &'static str,
    /// State, for messages.
    pub state: AppState,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {
                "code": self.problem.code,
                "message": self.problem.message(&self.state, self.lang),
            }
        });
        let mut r = (self.problem.status, axum::Json(body)).into_response();
        if self.problem.status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("300"));
        }
        r
    }
}
