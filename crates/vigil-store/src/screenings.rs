//! Exit screenings as stored: the policy version, outcome, score and reasons in
//! the clear; the traveller and the officer's note sealed by the caller (the
//! store never sees them in the clear); kept until purged by age.

use time::OffsetDateTime;
use vigil_domain::StaffId;

/// A screening to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScreening {
    /// The policy, `name@version`.
    pub policy: String,
    /// `clear`, `interview` or `refer`.
    pub outcome: String,
    /// The score.
    pub score: i64,
    /// The reasons, a JSON array of `{code, weight, evidence}`.
    pub reasons: String,
    /// The border post (free text from the border system or the account).
    pub post: String,
    /// The officer (or border system's token account) who screened.
    pub officer: StaffId,
    /// The traveller's personal data, sealed.
    pub traveller: Vec<u8>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A stored screening.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRow {
    /// Id.
    pub id: i64,
    /// What was stored.
    pub screening: NewScreening,
    /// The officer's decision (`clear`, `interview`, `refer`), once recorded.
    pub decision: Option<String>,
    /// The officer's note, sealed (empty when none).
    pub note: Vec<u8>,
    /// When the decision was recorded.
    pub decided_at: Option<OffsetDateTime>,
}
