//! Exit screenings, the fairness report's counts and tallies, and the change
//! sequence that offline posts push in.

use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    FairnessCounts, NewScreening, PolicyNote, ReferralResult, ScreeningReports, ScreeningRow,
    StoreError,
};

use crate::backend::{Dialect, Tx};
use crate::store::SqlStore;
use crate::value::{Row, no_limit_if_negative, sql, tuples};

/// The columns [`screening_from_row`] reads, as a literal for `concat!`.
macro_rules! columns {
    () => {
        "id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
         decision, note, decided_at, sex, age_band, referral_result, referral_by, referral_at"
    };
}
pub(crate) use columns;

/// The counts of a group of screenings, as SQL over `screenings`.
macro_rules! counts {
    () => {
        "COUNT(*),
         SUM(CASE WHEN outcome = 'interview' THEN 1 ELSE 0 END),
         SUM(CASE WHEN outcome = 'refer' THEN 1 ELSE 0 END),
         SUM(CASE WHEN decision = 'clear' THEN 1 ELSE 0 END),
         SUM(CASE WHEN decision = 'interview' THEN 1 ELSE 0 END),
         SUM(CASE WHEN decision = 'refer' THEN 1 ELSE 0 END),
         SUM(CASE WHEN referral_result = 'confirmed' THEN 1 ELSE 0 END),
         SUM(CASE WHEN referral_result = 'not_confirmed' THEN 1 ELSE 0 END)"
    };
}

/// Folds the rows of `$src` into `screening_tallies`, the month given by the
/// expression `$month` over `created_at`.
macro_rules! fold {
    ($month:literal, $src:literal) => {
        concat!(
            "INSERT INTO screening_tallies (post, month, policy, sex, age_band, screenings,
                 advised_interview, advised_refer, decided_clear, decided_interview,
                 decided_refer, confirmed, not_confirmed)
             SELECT post, ",
            $month,
            ", policy, sex, age_band, ",
            counts!(),
            " FROM ",
            $src,
            " GROUP BY 1, 2, 3, 4, 5
             ON CONFLICT (post, month, policy, sex, age_band) DO UPDATE SET
                 screenings = screening_tallies.screenings + excluded.screenings,
                 advised_interview = screening_tallies.advised_interview + excluded.advised_interview,
                 advised_refer = screening_tallies.advised_refer + excluded.advised_refer,
                 decided_clear = screening_tallies.decided_clear + excluded.decided_clear,
                 decided_interview = screening_tallies.decided_interview + excluded.decided_interview,
                 decided_refer = screening_tallies.decided_refer + excluded.decided_refer,
                 confirmed = screening_tallies.confirmed + excluded.confirmed,
                 not_confirmed = screening_tallies.not_confirmed + excluded.not_confirmed"
        )
    };
}

/// PostgreSQL deletes and folds in one statement, so a screening received
/// between two statements can never be deleted unfolded; the month in
/// Cambodia time (UTC+7, no daylight saving).
const PURGE_POSTGRES: &str = concat!(
    "WITH gone AS (DELETE FROM screenings WHERE created_at < $1 RETURNING *),
     folded AS (",
    fold!(
        "to_char((created_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM')",
        "gone"
    ),
    " RETURNING 1)
     SELECT COUNT(*) FROM gone"
);

/// SQLite has no data-modifying `WITH`: it folds, then deletes, both under
/// its one writer. The month in Cambodia time (UTC+7, no daylight saving).
const FOLD_SQLITE: &str = fold!(
    "strftime('%Y-%m', created_at / 1000000000 + 25200, 'unixepoch')",
    "screenings WHERE created_at < $1"
);

/// A screening from a row holding [`columns!`].
pub(crate) fn screening_from_row(r: &Row) -> Result<ScreeningRow, StoreError> {
    let referral = match (
        r.get::<Option<String>>("referral_result")?,
        r.get::<Option<i64>>("referral_by")?,
        r.get::<Option<OffsetDateTime>>("referral_at")?,
    ) {
        (Some(result), Some(by), Some(at)) => Some(ReferralResult {
            result,
            by: StaffId(by),
            at,
        }),
        _ => None,
    };
    Ok(ScreeningRow {
        id: r.get("id")?,
        screening: NewScreening {
            policy: r.get("policy")?,
            outcome: r.get("outcome")?,
            score: r.get("score")?,
            reasons: r.get("reasons")?,
            post: r.get("post")?,
            officer: StaffId(r.get("officer_id")?),
            traveller: r.get("traveller")?,
            sex: r.get("sex")?,
            age_band: r.get("age_band")?,
            created_at: r.get("created_at")?,
        },
        decision: r.get("decision")?,
        note: r.get("note")?,
        decided_at: r.get("decided_at")?,
        referral,
    })
}

fn counts_from_row(r: &Row) -> Result<FairnessCounts, StoreError> {
    Ok(FairnessCounts {
        policy: r.get(0)?,
        sex: r.get(1)?,
        age_band: r.get(2)?,
        screenings: r.get(3)?,
        advised_interview: r.get(4)?,
        advised_refer: r.get(5)?,
        decided_clear: r.get(6)?,
        decided_interview: r.get(7)?,
        decided_refer: r.get(8)?,
        confirmed: r.get(9)?,
        not_confirmed: r.get(10)?,
    })
}

/// Draws the next change sequence of a screening (what a post's push
/// follows). Call it with the audit lock held, so sequences follow commit
/// order and a push never skips a change. PostgreSQL draws from a sequence;
/// SQLite from a counter kept in `sync_cursors` under a reserved name
/// (`MAX(change_seq) + 1` would go back down after a purge and hide later
/// changes below the push cursor).
pub(crate) async fn next_change(tx: &mut dyn Tx, dialect: Dialect) -> Result<i64, StoreError> {
    tx.fetch_one(sql(dialect.pick(
        "INSERT INTO sync_cursors (name, seq)
         VALUES ('screenings.change_seq',
                 (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM screenings))
         ON CONFLICT (name) DO UPDATE SET seq = sync_cursors.seq + 1
         RETURNING seq",
        "SELECT nextval('screenings_change_seq')",
    )))
    .await?
    .get(0)
}

/// Gives screening `id` the next change sequence (see [`next_change`]).
async fn mark_changed(tx: &mut dyn Tx, dialect: Dialect, id: i64) -> Result<(), StoreError> {
    let seq = next_change(tx, dialect).await?;
    tx.execute(
        sql("UPDATE screenings SET change_seq = $1 WHERE id = $2")
            .bind(seq)
            .bind(id),
    )
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl vigil_store::ScreeningStore for SqlStore {
    async fn insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id,
                                             traveller, created_at, sex, age_band)
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
                .bind(&s.age_band),
            )
            .await?
            .get(0)?;
        let mut audit = audit;
        audit.object = format!("screening:{id}");
        tx.lock_audit().await?;
        mark_changed(&mut *tx, self.dialect(), id).await?;
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn screening(&self, id: i64) -> Result<ScreeningRow, StoreError> {
        let row = self
            .db()
            .fetch_one(
                sql(concat!(
                    "SELECT ",
                    columns!(),
                    " FROM screenings WHERE id = $1"
                ))
                .bind(id),
            )
            .await?;
        screening_from_row(&row)
    }

    async fn decide_screening(
        &self,
        id: i64,
        decision: &str,
        note: &[u8],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let now = OffsetDateTime::now_utc();
        let done = tx
            .execute(
                // A referral's result stays only while the decision is a referral.
                sql(
                    "UPDATE screenings SET decision = $1, note = $2, decided_at = $3,
                        referral_result = CASE WHEN $1 = 'refer' THEN referral_result END,
                        referral_by = CASE WHEN $1 = 'refer' THEN referral_by END,
                        referral_at = CASE WHEN $1 = 'refer' THEN referral_at END
                     WHERE id = $4",
                )
                .bind(decision)
                .bind(note)
                .bind(now)
                .bind(id),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.lock_audit().await?;
        mark_changed(&mut *tx, self.dialect(), id).await?;
        crate::audit::append(&mut *tx, now, audit).await?;
        tx.commit().await
    }

    async fn purge_screenings(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let mut tx = self.db().begin().await?;
        let gone = match self.dialect() {
            Dialect::Postgres => {
                // One purge at a time, so no row is folded twice.
                tx.execute(sql("LOCK TABLE screening_tallies IN EXCLUSIVE MODE"))
                    .await?;
                let n: i64 = tx
                    .fetch_one(sql(PURGE_POSTGRES).bind(before))
                    .await?
                    .get(0)?;
                u64::try_from(n).unwrap_or(0)
            }
            Dialect::Sqlite => {
                tx.execute(sql(FOLD_SQLITE).bind(before)).await?;
                tx.execute(sql("DELETE FROM screenings WHERE created_at < $1").bind(before))
                    .await?
            }
        };
        tx.commit().await?;
        Ok(gone)
    }
}

#[async_trait::async_trait]
impl ScreeningReports for SqlStore {
    async fn recent_screenings(
        &self,
        posts: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<ScreeningRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(concat!(
                    "SELECT ",
                    columns!(),
                    " FROM screenings
                     WHERE $1::TEXT[] IS NULL OR post = ANY($1)
                     ORDER BY created_at DESC, id DESC LIMIT $2"
                ))
                .bind(posts.map(<[String]>::to_vec))
                .bind(no_limit_if_negative(limit)),
            )
            .await?;
        rows.iter().map(screening_from_row).collect()
    }

    async fn record_referral_result(
        &self,
        id: i64,
        result: &str,
        by: StaffId,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let now = OffsetDateTime::now_utc();
        let done = tx
            .execute(
                sql(
                    "UPDATE screenings SET referral_result = $1, referral_by = $2, referral_at = $3
                     WHERE id = $4",
                )
                .bind(result)
                .bind(by.0)
                .bind(now)
                .bind(id),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        crate::audit::append(&mut *tx, now, audit).await?;
        tx.commit().await
    }

    async fn fairness_counts(
        &self,
        post: &str,
        month: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<FairnessCounts>, StoreError> {
        // One statement, one snapshot: a purge cannot move rows between the halves.
        let rows = self
            .db()
            .fetch_all(
                sql(concat!(
                    "SELECT policy, sex, age_band, ",
                    counts!(),
                    " FROM screenings
                     WHERE post = $1 AND created_at >= $3 AND created_at < $4
                     GROUP BY policy, sex, age_band
                     UNION ALL
                     SELECT policy, sex, age_band, screenings, advised_interview, advised_refer,
                            decided_clear, decided_interview, decided_refer, confirmed,
                            not_confirmed
                     FROM screening_tallies WHERE post = $1 AND month = $2"
                ))
                .bind(post)
                .bind(month)
                .bind(from)
                .bind(to),
            )
            .await?;
        rows.iter().map(counts_from_row).collect()
    }

    async fn record_policy_note(&self, note: &PolicyNote) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql(
                "INSERT INTO screening_policies (policy, scope_note, justifications)
                 VALUES ($1, $2, $3) ON CONFLICT (policy) DO NOTHING",
            )
            .bind(&note.policy)
            .bind(&note.scope_note)
            .bind(&note.justifications),
        )
        .await?;
        tx.commit().await
    }

    async fn policy_notes(&self, policies: &[String]) -> Result<Vec<PolicyNote>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT policy, scope_note, justifications FROM screening_policies
                     WHERE policy = ANY($1) ORDER BY policy",
                )
                .bind(policies),
            )
            .await?;
        Ok(tuples::<(String, String, String)>(rows)?
            .into_iter()
            .map(|(policy, scope_note, justifications)| PolicyNote {
                policy,
                scope_note,
                justifications,
            })
            .collect())
    }
}
