//! Exit screenings.

use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{NewScreening, ScreeningRow, StoreError};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos};

pub(crate) type Tuple = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    i64,
    Vec<u8>,
    i64,
    Option<String>,
    Vec<u8>,
    Option<i64>,
);

impl SqliteStore {
    pub(crate) async fn do_insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id, traveller, created_at,
                                     change_seq)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM screenings))
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
        let t: Tuple = sqlx::query_as(
            "SELECT id, policy, outcome, score, reasons, post, officer_id, traveller, created_at,
                    decision, note, decided_at FROM screenings WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        screening_row(t)
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
            "UPDATE screenings SET decision = ?, note = ?, decided_at = ?,
                    change_seq = (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM screenings)
             WHERE id = ?",
        )
        .bind(decision)
        .bind(note)
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

    pub(crate) async fn do_purge_screenings(
        &self,
        before: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM screenings WHERE created_at < ?")
            .bind(nanos(before))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(done.rows_affected())
    }
}

/// A screening row from its columns, in the order `do_screening` selects them.
pub(crate) fn screening_row(t: Tuple) -> Result<ScreeningRow, StoreError> {
    Ok(ScreeningRow {
        id: t.0,
        screening: NewScreening {
            policy: t.1,
            outcome: t.2,
            score: t.3,
            reasons: t.4,
            post: t.5,
            officer: StaffId(t.6),
            traveller: t.7,
            created_at: from_nanos(t.8)?,
        },
        decision: t.9,
        note: t.10,
        decided_at: t.11.map(from_nanos).transpose()?,
    })
}
