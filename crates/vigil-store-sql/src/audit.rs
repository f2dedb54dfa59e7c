//! The statements every write shares: the audit chain's append and the
//! outbox event.

use time::OffsetDateTime;
use vigil_domain::audit::{self, AuditEntry, ChainHead, NewAuditEntry};
use vigil_domain::{EventKind, TipId};
use vigil_store::StoreError;

use crate::backend::Tx;
use crate::spelling::{from_stored, stored};
use crate::store::SqlStore;
use crate::value::{Row, no_limit_if_negative, sql};

/// An audit entry from a `SELECT * FROM audit` row.
pub fn entry_from_row(row: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.get("seq")?,
        at_unix_nanos: row.get("at_unix_nanos")?,
        entry: NewAuditEntry {
            actor: row.get("actor")?,
            action: from_stored(&row.get::<String>("action")?)?,
            object: row.get("object")?,
            detail: row.get("detail")?,
        },
        prev_hash: row.get("prev_hash")?,
        hash: row.get("hash")?,
    })
}

/// Chains `entry` after the last audit entry and inserts it, under the audit
/// lock (taken here, held until the transaction ends).
pub async fn append(
    tx: &mut dyn Tx,
    at: OffsetDateTime,
    entry: NewAuditEntry,
) -> Result<AuditEntry, StoreError> {
    tx.lock_audit().await?;
    let key = tx.audit_key().clone();
    let prev = tx
        .fetch_optional(sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        .await?
        .map(|r| -> Result<ChainHead, StoreError> {
            Ok(ChainHead {
                seq: r.get("seq")?,
                hash: r.get("hash")?,
            })
        })
        .transpose()?;
    let e = audit::chain(&key, prev.as_ref(), at, entry);
    tx.execute(
        sql(
            "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.seq)
        .bind(e.at_unix_nanos)
        .bind(&e.entry.actor)
        .bind(stored(e.entry.action))
        .bind(&e.entry.object)
        .bind(&e.entry.detail)
        .bind(&e.prev_hash)
        .bind(&e.hash),
    )
    .await?;
    Ok(e)
}

/// Appends `entry` to the chain, dated now (see [`append`]).
pub async fn record(tx: &mut dyn Tx, entry: NewAuditEntry) -> Result<(), StoreError> {
    append(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

/// Appends an outbox event (under the audit lock, so sequence order is
/// commit order).
pub async fn event(
    tx: &mut dyn Tx,
    kind: EventKind,
    tip: TipId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    tx.lock_audit().await?;
    tx.execute(
        sql("INSERT INTO events (kind, tip_id, created_at) VALUES ($1, $2, $3)")
            .bind(stored(kind))
            .bind(tip.0)
            .bind(at),
    )
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl vigil_store::AuditStore for SqlStore {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        let mut tx = self.db().begin().await?;
        let e = append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await?;
        Ok(e)
    }

    async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2")
                    .bind(after)
                    .bind(no_limit_if_negative(limit)),
            )
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError> {
        self.db()
            .fetch_optional(sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
            .await?
            .map(|r| -> Result<ChainHead, StoreError> {
                Ok(ChainHead {
                    seq: r.get("seq")?,
                    hash: r.get("hash")?,
                })
            })
            .transpose()
    }

    async fn claim_meta(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(value),
        )
        .await?;
        let v = tx
            .fetch_one(sql("SELECT value FROM meta WHERE name = $1").bind(name))
            .await?
            .get(0)?;
        tx.commit().await?;
        Ok(v)
    }
}
