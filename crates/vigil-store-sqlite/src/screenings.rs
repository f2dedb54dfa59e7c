//! Exit screenings, and the fairness report's counts and tallies.

use async_trait::async_trait;
use sqlx::Row;
// Dynamic SQL here is only constants of this file joined by `format!`: no
// input reaches the text (`AssertSqlSafe`).
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    FairnessCounts, NewScreening, PolicyNote, ReferralResult, ScreeningReports, ScreeningRow,
    StoreError,
};

use crate::SqliteStore;
use crate::rows::{from_nanos, map_err};

/// The columns `screening_from_row` reads, in its order.
pub(crate) const COLUMNS: &str =
    "id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
     decision, note, decided_at, sex, age_band, referral_result, referral_by, referral_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

pub(crate) fn screening_from_row(r: &SqliteRow) -> Result<ScreeningRow, StoreError> {
    let referral = match (
        get::<Option<String>>(r, 14)?,
        get::<Option<i64>>(r, 15)?,
        get::<Option<i64>>(r, 16)?,
    ) {
        (Some(result), Some(by), Some(at)) => Some(ReferralResult {
            result,
            by: StaffId(by),
            at: from_nanos(at)?,
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
            created_at: from_nanos(get(r, 8)?)?,
        },
        decision: get(r, 9)?,
        note: get(r, 10)?,
        decided_at: get::<Option<i64>>(r, 11)?.map(from_nanos).transpose()?,
        referral,
    })
}

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

/// The next change sequence of a screening (what a post's push follows): a
/// counter that only goes up, kept in `sync_cursors` under a reserved name and
/// drawn in the writer's transaction. `MAX(change_seq) + 1` would go back down
/// after a purge and hide later changes below the push cursor.
pub(crate) async fn next_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO sync_cursors (name, seq)
         VALUES ('screenings.change_seq', (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM screenings))
         ON CONFLICT (name) DO UPDATE SET seq = sync_cursors.seq + 1
         RETURNING seq",
    )
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)
}
