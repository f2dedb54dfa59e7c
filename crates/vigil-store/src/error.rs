//! The one error of storage.

/// What can go wrong in storage, small on purpose: callers map each variant to
/// one response (a conflict is a 409, unavailability a 503).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or is overloaded; try again later.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else (a bug or corrupted data).
    #[error("storage error: {0}")]
    Other(String),
}
