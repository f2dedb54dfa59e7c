//! The public check as the store serves it: a value's tip count and
//! standing, a sample of its most recent tips (to count the independent
//! ones), the values of one hash-prefix range, and analysts' standings.
//! Nothing here is written by a check: a check only reads.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{StaffId, Standing, StandingReason, TipId};

use crate::error::StoreError;
use crate::observables::ObservableId;

/// An analyst's judgement of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingRow {
    /// Confirmed, under investigation or cleared.
    pub standing: Standing,
    /// Why.
    pub reason: StandingReason,
    /// Who decided.
    pub decided_by: StaffId,
    /// When.
    pub decided_at: OffsetDateTime,
}

/// A stored value as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckHit {
    /// The observable.
    pub id: ObservableId,
    /// Its kind (`phone`, `telegram`, …).
    pub kind: String,
    /// Its normalised value.
    pub value: String,
    /// How many tips carry it (not yet independent reports).
    pub tips: i64,
    /// An analyst's judgement, if any.
    pub standing: Option<StandingRow>,
}

/// One of a value's recent tips, as far as the check needs it: its text
/// to tell near-duplicates apart, and its province. Never leaves the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleTip {
    /// The tip.
    pub tip: TipId,
    /// Its text.
    pub text: String,
    /// The province the reporter chose, if any.
    pub province: Option<String>,
}

/// A change of a value's standing: `None` withdraws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingChange {
    /// The observable.
    pub id: ObservableId,
    /// The new standing and its reason, or `None` to withdraw it.
    pub standing: Option<(Standing, StandingReason)>,
    /// Who decides.
    pub by: StaffId,
    /// When.
    pub at: OffsetDateTime,
}

/// What the public check, the range API and the feed read.
#[async_trait]
pub trait CheckStore: Send + Sync {
    /// A value by kind and normalised value, with its standing. The same
    /// one statement whether or not the value is stored.
    async fn check_value(&self, kind: &str, value: &str) -> Result<Option<CheckHit>, StoreError>;

    /// Up to `limit` of the value's most recent tips.
    async fn check_sample(
        &self,
        id: ObservableId,
        limit: i64,
    ) -> Result<Vec<SampleTip>, StoreError>;

    /// The values whose digest key lies in `[from, to]` and that either
    /// have at least `min_tips` tips or a standing, by digest key.
    async fn check_range(
        &self,
        from: i64,
        to: i64,
        min_tips: i64,
    ) -> Result<Vec<CheckHit>, StoreError>;

    /// Sets or withdraws a value's standing, with its audit entry, in one
    /// transaction. `NotFound` if the observable does not exist.
    async fn set_standing(
        &self,
        change: StandingChange,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Values with this standing, by observable id after `after`, at most
    /// `limit` of them (the feed pages through them).
    async fn standings(
        &self,
        standing: Standing,
        after: Option<ObservableId>,
        limit: i64,
    ) -> Result<Vec<CheckHit>, StoreError>;

    /// Gives up to `limit` values stored before digests were kept their
    /// digest key; returns how many it filled (0 when none is left).
    async fn fill_check_digests(&self, limit: i64) -> Result<u64, StoreError>;
}
