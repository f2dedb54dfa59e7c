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

/// A local screening to push: its change sequence and the row.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncOutgoing {
    /// The change sequence (grows on every insert and decision).
    pub seq: i64,
    /// The row.
    pub row: ScreeningRow,
}

/// A screening received from a post, sealed under this instance's keys.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncIncoming {
    /// `instance:id` at the post: one row per origin, whatever arrives twice.
    pub origin: String,
    /// What is stored (the officer is the account that pushed it).
    pub screening: NewScreening,
    /// The decision, if any.
    pub decision: Option<String>,
    /// The note, sealed (empty when none).
    pub note: Vec<u8>,
    /// When the decision was recorded.
    pub decided_at: Option<OffsetDateTime>,
}

/// What a received bundle did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    /// Screenings not seen before.
    pub new: u64,
    /// Known screenings with a newer decision.
    pub updated: u64,
    /// Known screenings with nothing newer.
    pub unchanged: u64,
}

/// The watchlist and policy pulled from central, held whole.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncPulled {
    /// (value, label) pairs.
    pub entries: Vec<(String, String)>,
    /// The policy's `name@version`.
    pub policy_id: String,
    /// The policy's TOML text.
    pub policy: String,
    /// When central made the bundle.
    pub created_at: OffsetDateTime,
}
