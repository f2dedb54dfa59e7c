//! The one error of the use cases; the web layer maps each variant to a status.

use vigil_domain::ValidationError;
use vigil_store::StoreError;

use crate::field::{FieldError, Reason};

/// What a use case can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks a domain rule.
    #[error(transparent)]
    Invalid(ValidationError),
    /// A photo was refused.
    #[error(transparent)]
    Photo(#[from] vigil_media::MediaError),
    /// Too many photos: at most this many may be sent at once.
    #[error("at most {0} photos may be sent at once")]
    TooLarge(usize),
    /// A request or input that does not parse at all (a multipart or JSON
    /// body the web cannot read, a command's unreadable input or setting);
    /// the text is the parser's. A wrong field is
    /// [`CoreError::InvalidField`], never this.
    #[error("{0}")]
    BadRequest(String),
    /// A field of the input is wrong (a traveller's `age`, `documents.visa`…).
    #[error("{0}")]
    InvalidField(crate::field::FieldError),
    /// A typed receipt is not sixteen digits.
    #[error("a receipt has 16 digits")]
    ReceiptFormat,
    /// Nothing there (or not for this caller).
    #[error("not found")]
    NotFound,
    /// Already stored (an import `ref` seen before).
    #[error("already stored")]
    Duplicate,
    /// Too many attempts; try later.
    #[error("too many attempts")]
    Throttled,
    /// Too many failed sign-ins: wait this many seconds.
    #[error("too many failed sign-ins: wait {0} s")]
    SlowDown(u64),
    /// Wrong username, password or code (never says which).
    #[error("wrong username, password or code")]
    BadCredentials,
    /// Signed in, but this role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
    /// Storage is down or overloaded.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or corrupted data; details are logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<ValidationError> for CoreError {
    /// A field's own limit becomes a typed field error naming it; the tip's
    /// other rules keep their codes.
    fn from(e: ValidationError) -> Self {
        use vigil_domain::tip::TextProblem;
        match e {
            ValidationError::Field { field, problem } => match problem {
                TextProblem::TooLong { max } => {
                    invalid(field, (crate::field::FieldMessage::TooLong, "max", max))
                }
                TextProblem::ControlCharacters => {
                    invalid(field, crate::field::FieldMessage::ControlCharacters)
                }
            },
            other => CoreError::Invalid(other),
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::Conflict(_) => CoreError::Duplicate,
            StoreError::Unavailable(m) => CoreError::Unavailable(m),
            StoreError::Other(m) => CoreError::Internal(m),
        }
    }
}

/// The error for `field` being wrong for `why`.
pub fn invalid(field: &str, why: impl Into<Reason>) -> CoreError {
    CoreError::InvalidField(FieldError::of(field, why))
}

/// The error refusing an input whole for every wrong field in `errors`
/// (`field` is wrong for `why` when there are none).
pub fn invalid_all(errors: Vec<FieldError>, field: &str, why: impl Into<Reason>) -> CoreError {
    let mut errors = errors.into_iter();
    match errors.next() {
        Some(mut first) => {
            first.more.extend(errors);
            CoreError::InvalidField(first)
        }
        None => invalid(field, why),
    }
}
