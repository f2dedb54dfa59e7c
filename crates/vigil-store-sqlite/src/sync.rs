//! Offline posts: local changes to push, the push cursor, screenings received
//! from posts, and the watchlist and policy pulled from central.

use sqlx::Row;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{StoreError, SyncCounts, SyncIncoming, SyncOutgoing, SyncPulled};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos};
use crate::screenings::{COLUMNS, next_change, screening_from_row};

impl SqliteStore {
    pub(crate) async fn do_sync_outgoing(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SyncOutgoing>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, change_seq FROM screenings
             WHERE origin IS NULL AND change_seq > ?
             ORDER BY change_seq LIMIT ?"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(SyncOutgoing {
                    seq: r.try_get(17).map_err(map_err)?,
                    row: screening_from_row(r)?,
                })
            })
            .collect()
    }

    pub(crate) async fn do_sync_cursor(&self, name: &str) -> Result<i64, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM sync_cursors WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        Ok(seq.unwrap_or(0))
    }

    pub(crate) async fn do_sync_set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sync_cursors (name, seq) VALUES (?, ?)
             ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)",
        )
        .bind(name)
        .bind(seq)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_sync_upsert_screenings(
        &self,
        items: &[SyncIncoming],
        audit: NewAuditEntry,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut counts = SyncCounts::default();
        for item in items {
            let held: Option<(i64, Option<i64>)> =
                sqlx::query_as("SELECT id, decided_at FROM screenings WHERE origin = ?")
                    .bind(&item.origin)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
            let incoming = item.decided_at.map(nanos);
            match held {
                None => {
                    let s = &item.screening;
                    // The next change sequence is drawn inside the single writer's transaction.
                    sqlx::query(
                        "INSERT INTO screenings (policy, outcome, score, reasons, post, officer_id,
                             traveller, created_at, decision, note, decided_at, origin, sex, age_band,
                             change_seq)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    )
                    .bind(&s.policy)
                    .bind(&s.outcome)
                    .bind(s.score)
                    .bind(&s.reasons)
                    .bind(&s.post)
                    .bind(s.officer.0)
                    .bind(&s.traveller)
                    .bind(nanos(s.created_at))
                    .bind(&item.decision)
                    .bind(&item.note)
                    .bind(incoming)
                    .bind(&item.origin)
                    .bind(&s.sex)
                    .bind(&s.age_band)
                    .bind(next_change(&mut tx).await?)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    counts.new += 1;
                }
                Some((id, held)) if incoming.is_some() && incoming > held => {
                    sqlx::query(
                        "UPDATE screenings SET decision = ?1, note = ?2, decided_at = ?3,
                             change_seq = ?4,
                             referral_result = CASE WHEN ?1 = 'refer' THEN referral_result END,
                             referral_by = CASE WHEN ?1 = 'refer' THEN referral_by END,
                             referral_at = CASE WHEN ?1 = 'refer' THEN referral_at END
                         WHERE id = ?5",
                    )
                    .bind(&item.decision)
                    .bind(&item.note)
                    .bind(incoming)
                    .bind(next_change(&mut tx).await?)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    counts.updated += 1;
                }
                Some(_) => counts.unchanged += 1,
            }
        }
        let mut audit = audit;
        audit.detail = format!(
            "{} new={} updated={} unchanged={}",
            audit.detail, counts.new, counts.updated, counts.unchanged
        );
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(counts)
    }

    pub(crate) async fn do_sync_replace_pulled(
        &self,
        pulled: &SyncPulled,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let held: Option<i64> = sqlx::query_scalar("SELECT created_at FROM sync_pulled")
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if held.is_some_and(|h| h > nanos(pulled.created_at)) {
            return Ok(false);
        }
        sqlx::query("DELETE FROM sync_watchlist")
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for (value, label) in &pulled.entries {
            sqlx::query("INSERT INTO sync_watchlist (value, label) VALUES (?, ?)")
                .bind(value)
                .bind(label)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query(
            "INSERT INTO sync_pulled (id, policy_id, policy, created_at) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET policy_id = excluded.policy_id,
                 policy = excluded.policy, created_at = excluded.created_at",
        )
        .bind(&pulled.policy_id)
        .bind(&pulled.policy)
        .bind(nanos(pulled.created_at))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    pub(crate) async fn do_sync_pulled(&self) -> Result<Option<SyncPulled>, StoreError> {
        let head: Option<(String, String, i64)> =
            sqlx::query_as("SELECT policy_id, policy, created_at FROM sync_pulled")
                .fetch_optional(&self.read)
                .await
                .map_err(map_err)?;
        let Some((policy_id, policy, created_at)) = head else {
            return Ok(None);
        };
        let entries: Vec<(String, String)> =
            sqlx::query_as("SELECT value, label FROM sync_watchlist ORDER BY value, label")
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
        Ok(Some(SyncPulled {
            entries,
            policy_id,
            policy,
            created_at: from_nanos(created_at)?,
        }))
    }
}
