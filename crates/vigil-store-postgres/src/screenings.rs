//! Exit screenings.

use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{NewScreening, ScreeningRow, StoreError};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

pub(crate) type Tuple = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    i64,
    Vec<u8>,
    OffsetDateTime,
    Option<String>,
    Vec<u8>,
    Option<OffsetDateTime>,
);

impl PgStore {
    pub(crate) async fn do_insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id, traveller, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&s.policy)
        .bind(&s.outcome)
        .bind(s.score)
        .bind(&s.reasons)
        .bind(&s.post)
        .bind(s.officer.0)
        .bind(&s.traveller)
        .bind(s.created_at)
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
        let t: Tuple = sqlx::query_as(
            "SELECT id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
                    decision, note, decided_at FROM screenings WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        Ok(screening_row(t))
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
            "UPDATE screenings SET decision = $1, note = $2, decided_at = $3 WHERE id = $4",
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
        let done = sqlx::query("DELETE FROM screenings WHERE created_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(done.rows_affected())
    }
}

/// A screening row from its columns, in the order `do_screening` selects them.
pub(crate) fn screening_row(t: Tuple) -> ScreeningRow {
    ScreeningRow {
        id: t.0,
        screening: NewScreening {
            policy: t.1,
            outcome: t.2,
            score: t.3,
            reasons: t.4,
            post: t.5,
            officer: StaffId(t.6),
            traveller: t.7,
            created_at: t.8,
        },
        decision: t.9,
        note: t.10,
        decided_at: t.11,
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
