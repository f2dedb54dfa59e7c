//! Exit screenings as stored: the policy version, outcome, score and reasons in
//! the clear; the traveller and the officer's note sealed by the caller (the
//! store never sees them in the clear); kept until purged by age. For the
//! fairness report the traveller's sex and age band and a referral's result
//! are kept in the clear, and purged screenings are first folded into tallies
//! per (post, month, policy, sex, age band).

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;

use crate::error::StoreError;

/// A screening to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScreening {
    /// The policy, `name@version`.
    pub policy: String,
    /// `clear`, `interview` or `refer`.
    pub outcome: String,
    /// The score.
    pub score: i64,
    /// The reasons, a JSON array of `{code, weight, evidence, facts}`
    /// (`facts`, each `{id, args}`, missing in rows written before).
    pub reasons: String,
    /// The border post (free text from the border system or the account).
    pub post: String,
    /// The officer (or border system's token account) who screened.
    pub officer: StaffId,
    /// The traveller's personal data, sealed.
    pub traveller: Vec<u8>,
    /// The traveller's sex (`female`, `male`, `other`, `unspecified`), in the
    /// clear for the fairness report.
    pub sex: String,
    /// The traveller's age band (e.g. `18-24`), in the clear for the fairness
    /// report.
    pub age_band: String,
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
    /// The result of a referral, once recorded.
    pub referral: Option<ReferralResult>,
}

/// What came of a referral: recorded by an immigration officer, supervisor or
/// admin.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralResult {
    /// `confirmed` or `not_confirmed`.
    pub result: String,
    /// Who recorded it.
    pub by: StaffId,
    /// When.
    pub at: OffsetDateTime,
}

/// Counts for the fairness report: one (policy, sex, age band) group of one
/// post and month, from stored screenings or from the tallies of purged ones
/// (the same group may come twice; callers add them up).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairnessCounts {
    /// The policy, `name@version`.
    pub policy: String,
    /// Sex.
    pub sex: String,
    /// Age band.
    pub age_band: String,
    /// Screenings.
    pub screenings: i64,
    /// Advised `interview`.
    pub advised_interview: i64,
    /// Advised `refer`.
    pub advised_refer: i64,
    /// Decided `clear` by the officer.
    pub decided_clear: i64,
    /// Decided `interview`.
    pub decided_interview: i64,
    /// Decided `refer`.
    pub decided_refer: i64,
    /// Referrals whose result was `confirmed`.
    pub confirmed: i64,
    /// Referrals whose result was `not_confirmed`.
    pub not_confirmed: i64,
}

/// What the fairness report shows of a policy: its scope note and the written
/// justifications of any weight on a protected attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyNote {
    /// The policy, `name@version`.
    pub policy: String,
    /// The scope's note (empty when none).
    pub scope_note: String,
    /// A JSON array of `{attribute, value, weight, justification}`.
    pub justifications: String,
}

/// The screening queries behind the officer's pages and the fairness report
/// (a part of [`crate::Store`]; every backend implements it).
#[async_trait]
pub trait ScreeningReports: Send + Sync {
    /// The newest screenings (at most `limit`) at these posts, or anywhere
    /// when `posts` is `None`.
    async fn recent_screenings(
        &self,
        posts: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<ScreeningRow>, StoreError>;

    /// Records a referral's result (replacing an earlier one), audited.
    async fn record_referral_result(
        &self,
        id: i64,
        result: &str,
        by: StaffId,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// The fairness counts of `post` for `month` (`YYYY-MM`): the stored
    /// screenings created in `[from, to)` and the tallies of purged ones.
    async fn fairness_counts(
        &self,
        post: &str,
        month: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<FairnessCounts>, StoreError>;

    /// Keeps a policy's note (the first one recorded for a `name@version` stays).
    async fn record_policy_note(&self, note: &PolicyNote) -> Result<(), StoreError>;

    /// The notes of these policies (those recorded).
    async fn policy_notes(&self, policies: &[String]) -> Result<Vec<PolicyNote>, StoreError>;
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
