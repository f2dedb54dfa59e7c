//! One error for the web layer with an explicit status per variant and two
//! renderers: JSON for the API ([`ApiError`]), a page for people
//! ([`PageError`]), both in their language. Internal details are logged,
//! never sent.
//!
//! An error carries only its [`Problem`]: handlers return it with `?`. The
//! response it becomes holds the problem in its extensions; the layer in
//! `render`, which has the translations, the settings and the pages, writes
//! the body in the language of the request. This module knows no page.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vigil_core::CoreError;

use crate::i18n::I18n;
use crate::state::AppState;

/// The argument of an `invalid-field` problem holding the field message id.
const FIELD_MESSAGE: &str = "field-message";

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
    /// A message id used instead of `err-CODE`.
    pub message_id: Option<&'static str>,
}

impl Problem {
    /// A problem without arguments.
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Problem {
            status,
            code,
            args: Vec::new(),
            message_id: None,
        }
    }

    /// Shows the message `id` instead of `err-CODE`.
    pub fn with_message(mut self, id: &'static str) -> Self {
        self.message_id = Some(id);
        self
    }

    /// Adds a message argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message in `lang`.
    pub fn message(&self, i18n: &I18n, lang: &str) -> String {
        let key = match self.message_id {
            Some(id) => id.to_string(),
            None => format!("err-{}", self.code),
        };
        if self.code == "invalid-field"
            && let Some(text) = self.field_text(i18n, lang)
        {
            return text;
        }
        let args: Vec<(&str, String)> = self.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        i18n.format(lang, &key, &args)
    }

    /// A wrong field's label and message in `lang`, when the problem is one.
    fn field_text(&self, i18n: &I18n, lang: &str) -> Option<String> {
        let get = |name: &str| {
            self.args
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        };
        let field = get("field")?;
        let id = get(FIELD_MESSAGE)?;
        let rest: Vec<(&'static str, String)> = self
            .args
            .iter()
            .filter(|(k, _)| *k != "field" && *k != FIELD_MESSAGE)
            .cloned()
            .collect();
        Some(crate::i18n::field_error_text(
            i18n, lang, &field, &id, &rest,
        ))
    }

    /// The message in `lang` as a form shows it inline, with the photo size
    /// limit from the settings.
    pub fn text(&self, state: &AppState, lang: &str) -> String {
        with_mb(self.clone(), state).message(&state.i18n, lang)
    }

    /// Maps a use-case error, logging what must not be shown. A photo's size
    /// limit (`mb`) is added when the problem is rendered.
    pub fn from_core(e: CoreError) -> Self {
        use StatusCode as S;
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
                Problem::new(status, m.code())
            }
            CoreError::TooLarge(max) => {
                Problem::new(S::PAYLOAD_TOO_LARGE, "too-many-photos").arg("count", max)
            }
            CoreError::BadRequest(d) => {
                Problem::new(S::BAD_REQUEST, "bad-request").arg("detail", d)
            }
            CoreError::InvalidField(fe) => {
                let mut p = Problem::new(S::UNPROCESSABLE_ENTITY, "invalid-field")
                    .arg("field", fe.field)
                    .arg(FIELD_MESSAGE, fe.message.id());
                p.args.extend(fe.args);
                p
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

impl From<CoreError> for Problem {
    fn from(e: CoreError) -> Self {
        Problem::from_core(e)
    }
}

/// Which renderer a problem response waits for (read by `render`).
#[derive(Debug, Clone)]
pub(crate) enum Pending {
    /// `{"error": {"code", "message"}}`.
    Api(Problem),
    /// A page; `switch_path` is the public page's language-switch target.
    Page(Problem, &'static str),
}

/// Seconds a client waits before trying again while the store refuses
/// writes (a full disk, a database out of reach); the page says a minute.
const UNAVAILABLE_RETRY: &str = "60";

/// An API error: rendered as `{"error": {"code", "message"}}` in the
/// language of the request's `Accept-Language`.
#[derive(Debug, Clone)]
pub struct ApiError(pub Problem);

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError(p)
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError(Problem::from_core(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.0.code } });
        let mut r = (self.0.status, axum::Json(body)).into_response();
        if self.0.status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("300"));
        }
        if self.0.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(UNAVAILABLE_RETRY),
            );
        }
        r.extensions_mut().insert(Pending::Api(self.0));
        r
    }
}

/// A page error: a page with the problem's message in the reader's language
/// (the staff pages' language under `/staff`, the path's elsewhere).
#[derive(Debug, Clone)]
pub struct PageError {
    /// The problem.
    pub problem: Problem,
    /// Where the public error page's language switch points (`""` for the
    /// form).
    pub switch_path: &'static str,
}

impl PageError {
    /// A page error whose language switch leads to `switch_path`.
    pub fn at(problem: Problem, switch_path: &'static str) -> Self {
        PageError {
            problem,
            switch_path,
        }
    }
}

impl From<Problem> for PageError {
    fn from(problem: Problem) -> Self {
        PageError::at(problem, "")
    }
}

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        PageError::from(Problem::from_core(e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut r = self.problem.status.into_response();
        if self.problem.status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        if self.problem.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(UNAVAILABLE_RETRY),
            );
        }
        r.extensions_mut()
            .insert(Pending::Page(self.problem, self.switch_path));
        r
    }
}

/// Adds the photo size limit (`mb`) to a problem's arguments.
pub(crate) fn with_mb(mut p: Problem, state: &AppState) -> Problem {
    if !p.args.iter().any(|(k, _)| *k == "mb") {
        let mb = state
            .vigil
            .settings
            .intake
            .max_photo_bytes
            .div_ceil(1024 * 1024);
        p.args.push(("mb", mb.to_string()));
    }
    p
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    #[test]
    fn a_store_that_refuses_writes_answers_503_with_retry_after() {
        let problem = || Problem::from_core(CoreError::Unavailable("disk full".into()));
        let api = ApiError(problem()).into_response();
        let page = PageError::from(problem()).into_response();
        for r in [api, page] {
            assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(
                r.headers().get(header::RETRY_AFTER).expect("Retry-After"),
                UNAVAILABLE_RETRY
            );
        }
    }
}
