//! Exit screenings and the fairness report: written once in
//! `vigil-store-sql` (`screenings.rs`); this forwards to it.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{FairnessCounts, PolicyNote, ScreeningReports, ScreeningRow, StoreError};

use crate::SqliteStore;

#[async_trait]
impl ScreeningReports for SqliteStore {
    async fn recent_screenings(
        &self,
        posts: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<ScreeningRow>, StoreError> {
        self.sql.recent_screenings(posts, limit).await
    }

    async fn record_referral_result(
        &self,
        id: i64,
        result: &str,
        by: StaffId,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.record_referral_result(id, result, by, audit).await
    }

    async fn fairness_counts(
        &self,
        post: &str,
        month: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<FairnessCounts>, StoreError> {
        self.sql.fairness_counts(post, month, from, to).await
    }

    async fn record_policy_note(&self, note: &PolicyNote) -> Result<(), StoreError> {
        self.sql.record_policy_note(note).await
    }

    async fn policy_notes(&self, policies: &[String]) -> Result<Vec<PolicyNote>, StoreError> {
        self.sql.policy_notes(policies).await
    }
}
