//! Rewards, as stored: at most one per tip, awarded by a supervisor when the
//! tip led to a result and claimed once by its code. Nothing about the
//! reporter is stored: the code itself only sealed (for the reporter's
//! thread) and as a keyed hash (to find it when claimed), both made by
//! `vigil-core`. The store keeps each write whole in one transaction with
//! its audit entry and refuses what needs the database to see: a second
//! award for a tip and a second claim of a code (`Conflict`), an unknown tip
//! or code (`NotFound`).

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{RewardReason, StaffId, TipId};

use crate::error::StoreError;

/// A reward as awarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReward {
    /// The tip that led to a result.
    pub tip_id: TipId,
    /// What it led to.
    pub reason: RewardReason,
    /// The code, sealed under the instance key.
    pub code_sealed: Vec<u8>,
    /// The code's keyed hash, unique: what a claim looks it up by.
    pub code_hash: Vec<u8>,
    /// The supervisor who awarded it.
    pub awarded_by: StaffId,
    /// When.
    pub awarded_at: OffsetDateTime,
}

/// A stored reward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardRow {
    /// The tip that led to a result.
    pub tip_id: TipId,
    /// What it led to.
    pub reason: RewardReason,
    /// The code, sealed under the instance key.
    pub code_sealed: Vec<u8>,
    /// The supervisor who awarded it.
    pub awarded_by: StaffId,
    /// When.
    pub awarded_at: OffsetDateTime,
    /// The supervisor who recorded the claim, once claimed.
    pub claimed_by: Option<StaffId>,
    /// When it was claimed.
    pub claimed_at: Option<OffsetDateTime>,
}

/// Rewards for tips that led to a result. A supertrait of [`crate::Store`].
#[async_trait]
pub trait RewardsStore: Send + Sync {
    /// Records a reward, audited. A tip that already has one is `Conflict`
    /// (as is a code hash already used); an unknown tip `NotFound`.
    async fn award_reward(
        &self,
        reward: &NewReward,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// The reward of a tip, if it has one.
    async fn reward_of(&self, tip: TipId) -> Result<Option<RewardRow>, StoreError>;

    /// The reward whose code has this keyed hash, if any.
    async fn reward_by_code(&self, code_hash: &[u8]) -> Result<Option<RewardRow>, StoreError>;

    /// Marks the reward with this code hash claimed by `by` at `at`,
    /// audited, and returns it as now stored. An unknown code is
    /// `NotFound`; a code already claimed (even by a claim committed
    /// meanwhile) `Conflict`, and nothing changes.
    async fn claim_reward(
        &self,
        code_hash: &[u8],
        by: StaffId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<RewardRow, StoreError>;
}
