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

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

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

fn counts_from_row(r: &PgRow) -> Result<FairnessCounts, StoreError> {
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

impl PgStore {
    pub(crate) async fn do_insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id, traveller,
                                     created_at, sex, age_band)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&s.policy)
        .bind(&s.outcome)
        .bind(s.score)
        .bind(&s.reasons)
        .bind(&s.post)
        .bind(s.officer.0)
        .bind(&s.traveller)
        .bind(s.created_at)
        .bind(&s.sex)
        .bind(&s.age_band)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut audit = audit;
        audit.object = format!("screening:{id}");
        rows::lock_audit(&mut tx).await?;
        next_change(&mut tx, id).await?;
        rows::append_audit(&mut tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn do_screening(&self, id: i64) -> Result<ScreeningRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
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
        let mut tx = begin(&self.pool).await?;
        let now = OffsetDateTime::now_utc();
        let done = sqlx::query(
            // A referral's result stays only while the decision is a referral.
            "UPDATE screenings SET decision = $1, note = $2, decided_at = $3,
                    referral_result = CASE WHEN $1 = 'refer' THEN referral_result END,
                    referral_by = CASE WHEN $1 = 'refer' THEN referral_by END,
                    referral_at = CASE WHEN $1 = 'refer' THEN referral_at END
             WHERE id = $4",
        )
        .bind(decision)
        .bind(note)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        rows::lock_audit(&mut tx).await?;
        next_change(&mut tx, id).await?;
        rows::append_audit(&mut tx, now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_purge_screenings(
        &self,
        before: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        // One purge at a time, so no row is folded twice.
        sqlx::query("LOCK TABLE screening_tallies IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // Deleted and folded in one statement; the month in Cambodia time
        // (UTC+7, no daylight saving).
        let gone: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "WITH gone AS (DELETE FROM screenings WHERE created_at < $1 RETURNING *),
             folded AS (
                 INSERT INTO screening_tallies (post, month, policy, sex, age_band, screenings,
                     advised_interview, advised_refer, decided_clear, decided_interview,
                     decided_refer, confirmed, not_confirmed)
                 SELECT post,
                        to_char((created_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'),
                        policy, sex, age_band, {COUNTS}
                 FROM gone GROUP BY 1, 2, 3, 4, 5
                 ON CONFLICT (post, month, policy, sex, age_band) DO UPDATE SET
                     screenings = screening_tallies.screenings + excluded.screenings,
                     advised_interview = screening_tallies.advised_interview + excluded.advised_interview,
                     advised_refer = screening_tallies.advised_refer + excluded.advised_refer,
                     decided_clear = screening_tallies.decided_clear + excluded.decided_clear,
                     decided_interview = screening_tallies.decided_interview + excluded.decided_interview,
                     decided_refer = screening_tallies.decided_refer + excluded.decided_refer,
                     confirmed = screening_tallies.confirmed + excluded.confirmed,
                     not_confirmed = screening_tallies.not_confirmed + excluded.not_confirmed
                 RETURNING 1)
             SELECT COUNT(*) FROM gone"
        )))
        .bind(before)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(u64::try_from(gone).unwrap_or(0))
    }
}

#[async_trait]
impl ScreeningReports for PgStore {
    async fn recent_screenings(
        &self,
        posts: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<ScreeningRow>, StoreError> {
        let list: Option<Vec<String>> = posts.map(<[String]>::to_vec);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings
             WHERE $1::TEXT[] IS NULL OR post = ANY($1)
             ORDER BY created_at DESC, id DESC LIMIT $2"
        )))
        .bind(list)
        .bind(limit)
        .fetch_all(&self.pool)
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
        let mut tx = begin(&self.pool).await?;
        let now = OffsetDateTime::now_utc();
        let done = sqlx::query(
            "UPDATE screenings SET referral_result = $1, referral_by = $2, referral_at = $3
             WHERE id = $4",
        )
        .bind(result)
        .bind(by.0)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        rows::lock_audit(&mut tx).await?;
        rows::append_audit(&mut tx, now, audit).await?;
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
             WHERE post = $1 AND created_at >= $3 AND created_at < $4
             GROUP BY policy, sex, age_band
             UNION ALL
             SELECT policy, sex, age_band, screenings, advised_interview, advised_refer,
                    decided_clear, decided_interview, decided_refer, confirmed, not_confirmed
             FROM screening_tallies WHERE post = $1 AND month = $2"
        )))
        .bind(post)
        .bind(month)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(counts_from_row).collect()
    }

    async fn record_policy_note(&self, note: &PolicyNote) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        sqlx::query(
            "INSERT INTO screening_policies (policy, scope_note, justifications)
             VALUES ($1, $2, $3) ON CONFLICT (policy) DO NOTHING",
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
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT policy, scope_note, justifications FROM screening_policies
             WHERE policy = ANY($1) ORDER BY policy",
        )
        .bind(policies)
        .fetch_all(&self.pool)
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

/// Gives screening `id` the next change sequence. Called with the audit lock
/// held, so sequences follow commit order and a push never skips a change.
pub(crate) async fn next_change(conn: &mut sqlx::PgConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE screenings SET change_seq = nextval('screenings_change_seq') WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
