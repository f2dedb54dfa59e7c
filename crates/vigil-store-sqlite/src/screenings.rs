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
use crate::rows::{self, from_nanos, map_err, nanos};

/// The columns `screening_from_row` reads, in its order.
pub(crate) const COLUMNS: &str =
    "id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
     decision, note, decided_at, sex, age_band, referral_result, referral_by, referral_at";

/// The counts of a group of screenings, as SQL over `screenings`.
const COUNTS: &str = "COUNT(*),
     SUM(CASE WHEN outcome = 'interview' THEN 1 ELSE 0 END),
     SUM(CASE WHEN outcome = 'refer' THEN 1 ELSE 0 END),
     SUM(CASE WHEN decision = 'clear' THEN 1 ELSE 0 END),
     SUM(CASE WHEN decision = 'interview' THEN 1 ELSE 0 END),
     SUM(CASE WHEN decision = 'refer' THEN 1 ELSE 0 END),
     SUM(CASE WHEN referral_result = 'confirmed' THEN 1 ELSE 0 END),
     SUM(CASE WHEN referral_result = 'not_confirmed' THEN 1 ELSE 0 END)";

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

fn counts_from_row(r: &SqliteRow) -> Result<FairnessCounts, StoreError> {
    Ok(FairnessCounts {
        policy: get(r, 0)?,
        sex: get(r, 1)?,
        age_band: get(r, 2)?,
        screenings: get(r, 3)?,
        advised_interview: get(r, 4)?,
        advised_refer: get(r, 5)?,
        decided_clear: get(r, 6)?,
        decided_interview: get(r, 7)?,
        decided_refer: get(r, 8)?,
        confirmed: get(r, 9)?,
        not_confirmed: get(r, 10)?,
    })
}

impl SqliteStore {
    pub(crate) async fn do_insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id, traveller,
                                     created_at, sex, age_band, change_seq)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             RETURNING id",
        )
        .bind(&s.policy)
        .bind(&s.outcome)
        .bind(s.score)
        .bind(&s.reasons)
        .bind(&s.post)
        .bind(s.officer.0)
        .bind(&s.traveller)
        .bind(nanos(s.created_at))
        .bind(&s.sex)
        .bind(&s.age_band)
        .bind(next_change(&mut tx).await?)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut audit = audit;
        audit.object = format!("screening:{id}");
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn do_screening(&self, id: i64) -> Result<ScreeningRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        screening_from_row(&row)
    }

    pub(crate) async fn do_decide_screening(
        &self,
        id: i64,
        decision: &str,
        note: &[u8],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = OffsetDateTime::now_utc();
        let done = sqlx::query(
            // A referral's result stays only while the decision is a referral.
            "UPDATE screenings SET decision = ?1, note = ?2, decided_at = ?3, change_seq = ?4,
                    referral_result = CASE WHEN ?1 = 'refer' THEN referral_result END,
                    referral_by = CASE WHEN ?1 = 'refer' THEN referral_by END,
                    referral_at = CASE WHEN ?1 = 'refer' THEN referral_at END
             WHERE id = ?5",
        )
        .bind(decision)
        .bind(note)
        .bind(nanos(now))
        .bind(next_change(&mut tx).await?)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_purge_screenings(
        &self,
        before: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        // The month in Cambodia time (UTC+7, no daylight saving).
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO screening_tallies (post, month, policy, sex, age_band, screenings,
                 advised_interview, advised_refer, decided_clear, decided_interview,
                 decided_refer, confirmed, not_confirmed)
             SELECT post, strftime('%Y-%m', created_at / 1000000000 + 25200, 'unixepoch'),
                    policy, sex, age_band, {COUNTS}
             FROM screenings WHERE created_at < ?
             GROUP BY 1, 2, 3, 4, 5
             ON CONFLICT (post, month, policy, sex, age_band) DO UPDATE SET
                 screenings = screenings + excluded.screenings,
                 advised_interview = advised_interview + excluded.advised_interview,
                 advised_refer = advised_refer + excluded.advised_refer,
                 decided_clear = decided_clear + excluded.decided_clear,
                 decided_interview = decided_interview + excluded.decided_interview,
                 decided_refer = decided_refer + excluded.decided_refer,
                 confirmed = confirmed + excluded.confirmed,
                 not_confirmed = not_confirmed + excluded.not_confirmed"
        )))
        .bind(nanos(before))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let done = sqlx::query("DELETE FROM screenings WHERE created_at < ?")
            .bind(nanos(before))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl ScreeningReports for SqliteStore {
    async fn recent_screenings(
        &self,
        posts: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<ScreeningRow>, StoreError> {
        let list = posts
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings
             WHERE ?1 IS NULL OR post IN (SELECT value FROM json_each(?1))
             ORDER BY created_at DESC, id DESC LIMIT ?2"
        )))
        .bind(list)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(screening_from_row).collect()
    }

    async fn record_referral_result(
        &self,
        id: i64,
        result: &str,
        by: StaffId,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = OffsetDateTime::now_utc();
        let done = sqlx::query(
            "UPDATE screenings SET referral_result = ?, referral_by = ?, referral_at = ?
             WHERE id = ?",
        )
        .bind(result)
        .bind(by.0)
        .bind(nanos(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn fairness_counts(
        &self,
        post: &str,
        month: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<FairnessCounts>, StoreError> {
        // One statement, one snapshot: a purge cannot move rows between the halves.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT policy, sex, age_band, {COUNTS} FROM screenings
             WHERE post = ?1 AND created_at >= ?3 AND created_at < ?4
             GROUP BY policy, sex, age_band
             UNION ALL
             SELECT policy, sex, age_band, screenings, advised_interview, advised_refer,
                    decided_clear, decided_interview, decided_refer, confirmed, not_confirmed
             FROM screening_tallies WHERE post = ?1 AND month = ?2"
        )))
        .bind(post)
        .bind(month)
        .bind(nanos(from))
        .bind(nanos(to))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(counts_from_row).collect()
    }

    async fn record_policy_note(&self, note: &PolicyNote) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO screening_policies (policy, scope_note, justifications)
             VALUES (?, ?, ?) ON CONFLICT (policy) DO NOTHING",
        )
        .bind(&note.policy)
        .bind(&note.scope_note)
        .bind(&note.justifications)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn policy_notes(&self, policies: &[String]) -> Result<Vec<PolicyNote>, StoreError> {
        let list = serde_json::to_string(policies).map_err(|e| StoreError::Other(e.to_string()))?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT policy, scope_note, justifications FROM screening_policies
             WHERE policy IN (SELECT value FROM json_each(?)) ORDER BY policy",
        )
        .bind(list)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(policy, scope_note, justifications)| PolicyNote {
                policy,
                scope_note,
                justifications,
            })
            .collect())
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
