//! Offline posts: local changes to push, the push cursor, screenings received
//! from posts, and the watchlist and policy pulled from central.

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{StoreError, SyncCounts, SyncIncoming, SyncOutgoing, SyncPulled};

use crate::screenings::{columns, next_change, screening_from_row};
use crate::store::SqlStore;
use crate::value::{no_limit_if_negative, sql, tuples};

#[async_trait::async_trait]
impl vigil_store::SyncStore for SqlStore {
    async fn sync_outgoing(&self, after: i64, limit: i64) -> Result<Vec<SyncOutgoing>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(concat!(
                    "SELECT ",
                    columns!(),
                    ", change_seq FROM screenings
                     WHERE origin IS NULL AND change_seq > $1
                     ORDER BY change_seq LIMIT $2"
                ))
                .bind(after)
                .bind(no_limit_if_negative(limit)),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SyncOutgoing {
                    seq: r.get("change_seq")?,
                    row: screening_from_row(r)?,
                })
            })
            .collect()
    }

    async fn sync_cursor(&self, name: &str) -> Result<i64, StoreError> {
        let row = self
            .db()
            .fetch_optional(sql("SELECT seq FROM sync_cursors WHERE name = $1").bind(name))
            .await?;
        Ok(row.map(|r| r.get(0)).transpose()?.unwrap_or(0))
    }

    async fn sync_set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql("INSERT INTO sync_cursors (name, seq) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET seq = GREATEST(sync_cursors.seq, excluded.seq)")
            .bind(name)
            .bind(seq),
        )
        .await?;
        tx.commit().await
    }

    async fn sync_upsert_screenings(
        &self,
        items: &[SyncIncoming],
        audit: NewAuditEntry,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.db().begin().await?;
        // Received bundles take turns (and draw change sequences in commit order).
        tx.lock_audit().await?;
        let mut counts = SyncCounts::default();
        for item in items {
            let held = tx
                .fetch_optional(
                    sql("SELECT id, decided_at FROM screenings WHERE origin = $1")
                        .bind(&item.origin),
                )
                .await?
                .map(|r| r.to::<(i64, Option<OffsetDateTime>)>())
                .transpose()?;
            let incoming = item.decided_at;
            match held {
                None => {
                    let s = &item.screening;
                    let seq = next_change(&mut *tx, self.dialect()).await?;
                    tx.execute(
                        sql(
                            "INSERT INTO screenings (policy, outcome, score, reasons, post,
                                 officer_id, traveller, created_at, decision, note, decided_at,
                                 origin, sex, age_band, change_seq)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                                     $14, $15)",
                        )
                        .bind(&s.policy)
                        .bind(&s.outcome)
                        .bind(s.score)
                        .bind(&s.reasons)
                        .bind(&s.post)
                        .bind(s.officer.0)
                        .bind(&s.traveller)
                        .bind(s.created_at)
                        .bind(&item.decision)
                        .bind(&item.note)
                        .bind(incoming)
                        .bind(&item.origin)
                        .bind(&s.sex)
                        .bind(&s.age_band)
                        .bind(seq),
                    )
                    .await?;
                    counts.new += 1;
                }
                Some((id, held)) if incoming.is_some() && incoming > held => {
                    let seq = next_change(&mut *tx, self.dialect()).await?;
                    tx.execute(
                        sql(
                            "UPDATE screenings SET decision = $1, note = $2, decided_at = $3,
                                 change_seq = $4,
                                 referral_result = CASE WHEN $1 = 'refer' THEN referral_result END,
                                 referral_by = CASE WHEN $1 = 'refer' THEN referral_by END,
                                 referral_at = CASE WHEN $1 = 'refer' THEN referral_at END
                             WHERE id = $5",
                        )
                        .bind(&item.decision)
                        .bind(&item.note)
                        .bind(incoming)
                        .bind(seq)
                        .bind(id),
                    )
                    .await?;
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
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await?;
        Ok(counts)
    }

    async fn sync_replace_pulled(
        &self,
        pulled: &SyncPulled,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.db().begin().await?;
        let held: Option<OffsetDateTime> = tx
            .fetch_optional(sql("SELECT created_at FROM sync_pulled FOR UPDATE"))
            .await?
            .map(|r| r.get(0))
            .transpose()?;
        if held.is_some_and(|h| h > pulled.created_at) {
            return Ok(false);
        }
        tx.execute(sql("DELETE FROM sync_watchlist")).await?;
        let (values, labels): (Vec<String>, Vec<String>) = pulled.entries.iter().cloned().unzip();
        // The whole list in one statement: pairs of two lists zipped.
        tx.execute(
            sql(self.dialect().pick(
                "INSERT INTO sync_watchlist (value, label)
                 SELECT v.value, l.value FROM json_each($1) v JOIN json_each($2) l ON l.key = v.key",
                "INSERT INTO sync_watchlist (value, label)
                 SELECT * FROM UNNEST($1::text[], $2::text[])",
            ))
            .bind(values)
            .bind(labels),
        )
        .await?;
        tx.execute(
            sql(
                "INSERT INTO sync_pulled (id, policy_id, policy, created_at) VALUES (1, $1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET policy_id = excluded.policy_id,
                     policy = excluded.policy, created_at = excluded.created_at",
            )
            .bind(&pulled.policy_id)
            .bind(&pulled.policy)
            .bind(pulled.created_at),
        )
        .await?;
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn sync_pulled(&self) -> Result<Option<SyncPulled>, StoreError> {
        let head = self
            .db()
            .fetch_optional(sql("SELECT policy_id, policy, created_at FROM sync_pulled"))
            .await?
            .map(|r| r.to::<(String, String, OffsetDateTime)>())
            .transpose()?;
        let Some((policy_id, policy, created_at)) = head else {
            return Ok(None);
        };
        let entries = tuples::<(String, String)>(
            self.db()
                .fetch_all(sql(
                    "SELECT value, label FROM sync_watchlist ORDER BY value, label",
                ))
                .await?,
        )?;
        Ok(Some(SyncPulled {
            entries,
            policy_id,
            policy,
            created_at,
        }))
    }
}
