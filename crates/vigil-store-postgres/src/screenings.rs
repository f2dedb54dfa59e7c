//! Exit screenings, and the fairness report's counts and tallies.

use async_trait::async_trait;
use sqlx::Row;
// Dynamic SQL here is only constants of this file joined by `format!`: no
// input reaches the text (`AssertSqlSafe`).
use sqlx::postgres::PgRow;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    FairnessCounts, NewScreening, PolicyNote, ReferralResult, ScreeningReports, ScreeningRow,
    StoreError,
};

use crate::PgStore;
use crate::rows::map_err;

/// The columns `screening_from_row` reads, in its order.
pub(crate) const COLUMNS: &str =
    "id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
     decision, note, decided_at, sex, age_band, referral_result, referral_by, referral_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

pub(crate) fn screening_from_row(r: &PgRow) -> Result<ScreeningRow, StoreError> {
    let referral = match (
        get::<Option<String>>(r, 14)?,
        get::<Option<i64>>(r, 15)?,
        get::<Option<OffsetDateTime>>(r, 16)?,
    ) {
        (Some(result), Some(by), Some(at)) => Some(ReferralResult {
            result,
            by: StaffId(by),
            at,
        }),
        _ => None,
    };
    Ok(ScreeningRow {
        id: get(r, 0)?,
        screening: NewScreening {
            policy: get(r, 1)?,
            outcome: get(r, 2)?,
            score: get(r, 3)?,
            reasons: get(r, 4)?,
            post: get(r, 5)?,
            officer: StaffId(get(r, 6)?),
            traveller: get(r, 7)?,
            sex: get(r, 12)?,
            age_band: get(r, 13)?,
            created_at: get(r, 8)?,
        },
        decision: get(r, 9)?,
        note: get(r, 10)?,
        decided_at: get(r, 11)?,
        referral,
    })
}

#[async_trait]
impl ScreeningReports for PgStore {
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
