//! Vigil's scale-out store: PostgreSQL, shared by any number of `vigil serve`
//! nodes. Every write is one READ COMMITTED transaction committed with
//! `synchronous_commit = on`. Writers that append to the hash-chained audit log
//! (and the outbox) take one transaction-scoped advisory lock
//! ([`AUDIT_LOCK_KEY`]) as their last step before writing the event and the
//! audit entry, so the chain stays whole and outbox order is commit order, no
//! matter how many connections or nodes write at once.

#![forbid(unsafe_code)]

// Cases and prosecutions (issue 5).
mod cases;
mod dialect;
mod facilities;
mod figures;
mod observables;
mod operations;
mod persons; // persons met (issue 5)
mod rows;
mod screenings;
mod staff;
mod submit;
mod sync;
mod workspace;
// Immigration (issue 5, item 5).
mod immigration;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Row, Transaction};
use time::OffsetDateTime;
use vigil_domain::audit::{AuditEntry, NewAuditEntry};
use vigil_domain::{AttachmentId, EventSeq, FacilityId, MessageId, StaffId, TipId, TipStatus};
use vigil_store::prelude::*;
use vigil_store::{
    Assignable, AssignmentRow, AttachmentMeta, AttachmentRow, ClientRefHit, Event, FacilityQuery,
    FacilityRow, FacilityWrite, MessageRow, NewMessage, NewScreening, NewStaff, ObservableId,
    ObservableMode, ObservableRow, PlaceCounts, ReceiptRow, ScreeningRow, StaffRow, StaffUpdate,
    Store, StoreError, SubmitOutcome, TipObservables, TipQuery, TipRow, TipSubmission,
    TokenPurpose, TokenRow,
};
use vigil_store::{SyncCounts, SyncIncoming, SyncOutgoing, SyncPulled};

use rows::{map_err, tip_from_row};

/// The key of the transaction-scoped advisory lock (`pg_advisory_xact_lock`)
/// that serialises appends to the audit chain and the outbox across every
/// connection of every node sharing the database ("VIGILAUD" in ASCII).
pub const AUDIT_LOCK_KEY: i64 = 0x5649_4749_4c41_5544;

/// Connections per node.
pub const POOL_SIZE: u32 = 16;

/// The PostgreSQL store: a connection pool over a migrated database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// The store body written once, over this database.
    sql: vigil_store_sql::SqlStore,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and
    /// brings the schema up to date with the embedded, append-only migrations.
    /// Nodes starting together are safe: the migrator takes its own lock.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?
            .application_name("vigil")
            // Acknowledged means on disk: never let a server-side default
            // weaken it.
            .options([("synchronous_commit", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await
            .map_err(map_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
        tracing::info!(pool = POOL_SIZE, "connected to PostgreSQL");
        let sql = vigil_store_sql::SqlStore::new(std::sync::Arc::new(dialect::PgBackend {
            pool: pool.clone(),
        }));
        Ok(PgStore { pool, sql })
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Begins a write transaction. READ COMMITTED is stated, not assumed: the
/// audit chain relies on each statement seeing what was committed before the
/// audit lock was granted, whatever the server's default isolation.
pub(crate) async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
    pool.begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await
        .map_err(map_err)
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
}

#[async_trait]
impl IntakeStore for PgStore {
    async fn submit_tip(&self, sub: TipSubmission) -> Result<SubmitOutcome, StoreError> {
        submit::submit(&self.pool, &sub).await
    }

    async fn find_client_ref(&self, key_hash: &[u8]) -> Result<Option<ClientRefHit>, StoreError> {
        let row = sqlx::query("SELECT tip_id, receipt_enc FROM client_refs WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.map(|r| {
            Ok(ClientRefHit {
                tip_id: TipId(r.try_get("tip_id").map_err(map_err)?),
                receipt_enc: r.try_get("receipt_enc").map_err(map_err)?,
            })
        })
        .transpose()
    }

    async fn expire_client_refs(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE client_refs SET receipt_enc = NULL WHERE receipt_enc IS NOT NULL AND expires_at < $1",
        )
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn find_receipt(&self, lookup_hash: &[u8]) -> Result<Option<ReceiptRow>, StoreError> {
        let row = sqlx::query("SELECT tip_id, secret_hash FROM receipts WHERE lookup_hash = $1")
            .bind(lookup_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.map(|r| {
            Ok(ReceiptRow {
                tip_id: TipId(r.try_get("tip_id").map_err(map_err)?),
                secret_hash: r.try_get("secret_hash").map_err(map_err)?,
            })
        })
        .transpose()
    }

    async fn tip(&self, id: TipId) -> Result<TipRow, StoreError> {
        let row = sqlx::query("SELECT * FROM tips WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        tip_from_row(&row)
    }

    async fn tips_by_ids(&self, ids: &[TipId]) -> Result<Vec<TipRow>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let rows = sqlx::query("SELECT * FROM tips WHERE id = ANY($1) ORDER BY id")
            .bind(ids)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn tips_after(&self, after: TipId, limit: i64) -> Result<Vec<TipRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM tips WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.0)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn attachment_counts(&self, ids: &[TipId]) -> Result<Vec<(TipId, i64)>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT tip_id, COUNT(*) FROM attachments
             WHERE tip_id = ANY($1) GROUP BY tip_id ORDER BY tip_id",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(t, n)| (TipId(t), n)).collect())
    }

    async fn existing_refs(&self, refs: &[String]) -> Result<Vec<String>, StoreError> {
        // Byte order, as on SQLite, whatever the database's collation.
        sqlx::query_scalar(
            "SELECT external_ref FROM tips WHERE external_ref = ANY($1)
             ORDER BY external_ref COLLATE \"C\"",
        )
        .bind(refs)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    async fn count_tips(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM tips")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)
    }

    async fn set_status(
        &self,
        id: TipId,
        status: TipStatus,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let done = sqlx::query("UPDATE tips SET status = $1 WHERE id = $2")
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        rows::lock_audit(&mut tx).await?;
        rows::insert_event(&mut tx, "tip.status", id, now).await?;
        rows::append_audit(&mut tx, now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn add_message(&self, msg: NewMessage) -> Result<MessageId, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM tips WHERE id = $1")
            .bind(msg.tip_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (tip_id, author, body_enc, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(msg.tip_id.0)
        .bind(msg.author.to_stored())
        .bind(&msg.body_enc)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for a in &msg.attachments {
            rows::insert_attachment(&mut tx, msg.tip_id, Some(MessageId(id)), a, now).await?;
        }
        rows::lock_audit(&mut tx).await?;
        rows::insert_event(&mut tx, "message.created", msg.tip_id, now).await?;
        let mut audit = msg.audit;
        audit.object = format!("tip:{}/message:{id}", msg.tip_id);
        rows::append_audit(&mut tx, now, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(MessageId(id))
    }

    async fn messages(&self, tip: TipId) -> Result<Vec<MessageRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tip_id, author, body_enc, created_at FROM messages WHERE tip_id = $1 ORDER BY id",
        )
        .bind(tip.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::message_from_row).collect()
    }

    async fn attachments(&self, tip: TipId) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tip_id, message_id, mime, size, created_at FROM attachments
             WHERE tip_id = $1 ORDER BY id",
        )
        .bind(tip.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::attachment_meta_from_row).collect()
    }

    async fn attachment(&self, id: AttachmentId) -> Result<AttachmentRow, StoreError> {
        let row = sqlx::query("SELECT * FROM attachments WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        Ok(AttachmentRow {
            meta: rows::attachment_meta_from_row(&row)?,
            data_enc: row.try_get("data_enc").map_err(map_err)?,
        })
    }

    async fn list_tips(&self, q: &TipQuery) -> Result<(Vec<TipRow>, i64), StoreError> {
        self.do_list_tips(q).await
    }
}

#[async_trait]
impl PipelineStore for PgStore {
    async fn sightings_of(
        &self,
        ids: &[TipId],
    ) -> Result<Vec<(TipId, String, String)>, StoreError> {
        self.sql.sightings_of(ids).await
    }

    async fn events_after(&self, after: EventSeq, limit: i64) -> Result<Vec<Event>, StoreError> {
        self.sql.events_after(after, limit).await
    }

    async fn record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        self.sql.record_sightings(name, upto, tips).await
    }

    async fn cursor(&self, name: &str) -> Result<EventSeq, StoreError> {
        self.sql.cursor(name).await
    }

    async fn process_events(
        &self,
        name: &str,
        limit: i64,
        work: &vigil_store::EventWork,
    ) -> Result<Vec<Event>, StoreError> {
        self.do_process_events(name, limit, work).await
    }

    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        self.do_try_lease(name, owner, ttl).await
    }
}

#[async_trait]
impl AuditStore for PgStore {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        self.sql.append_audit(entry).await
    }

    async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.sql.audit_after(after, limit).await
    }

    async fn claim_meta(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.sql.claim_meta(name, value).await
    }
}

#[async_trait]
impl StaffStore for PgStore {
    async fn create_staff(&self, s: NewStaff, audit: NewAuditEntry) -> Result<StaffId, StoreError> {
        self.do_create_staff(s, audit).await
    }

    async fn update_staff(
        &self,
        id: StaffId,
        u: StaffUpdate,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.do_update_staff(id, u, audit).await
    }

    async fn staff(&self, id: StaffId) -> Result<StaffRow, StoreError> {
        self.do_staff(id).await
    }

    async fn staff_by_username(&self, username: &str) -> Result<Option<StaffRow>, StoreError> {
        self.do_staff_by_username(username).await
    }

    async fn list_staff(&self) -> Result<Vec<StaffRow>, StoreError> {
        self.do_list_staff().await
    }

    async fn put_token(&self, t: TokenRow) -> Result<(), StoreError> {
        self.do_put_token(t).await
    }

    async fn token(
        &self,
        hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<TokenRow>, StoreError> {
        self.do_token(hash, now).await
    }

    async fn touch_token(
        &self,
        hash: &[u8],
        last_seen_at: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        self.do_touch_token(hash, last_seen_at, expires_at).await
    }

    async fn delete_token(&self, hash: &[u8]) -> Result<(), StoreError> {
        self.do_delete_token(hash).await
    }

    async fn delete_staff_tokens(
        &self,
        staff: StaffId,
        purposes: &[TokenPurpose],
    ) -> Result<u64, StoreError> {
        self.do_delete_staff_tokens(staff, purposes).await
    }

    async fn delete_expired_tokens(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.do_delete_expired_tokens(now).await
    }
}

#[async_trait]
impl IntelStore for PgStore {
    async fn observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError> {
        self.sql.observable(kind, value).await
    }

    async fn related_tips_page(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError> {
        self.sql
            .related_tips_page(id, provinces, before, limit)
            .await
    }

    async fn tip_observables(&self, tip: TipId) -> Result<Vec<ObservableRow>, StoreError> {
        self.sql.tip_observables(tip).await
    }

    async fn set_observable_mode(
        &self,
        id: ObservableId,
        mode: ObservableMode,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.set_observable_mode(id, mode, audit).await
    }

    async fn save_facilities(
        &self,
        upsert: &[FacilityWrite],
        remove: &[FacilityId],
    ) -> Result<(), StoreError> {
        self.sql.save_facilities(upsert, remove).await
    }

    async fn facilities(&self, q: &FacilityQuery) -> Result<(Vec<FacilityRow>, i64), StoreError> {
        self.sql.facilities(q).await
    }

    async fn facility(&self, id: FacilityId) -> Result<(FacilityRow, Vec<TipId>), StoreError> {
        self.sql.facility(id).await
    }

    async fn facility_of(&self, tip: TipId) -> Result<Option<FacilityId>, StoreError> {
        self.sql.facility_of(tip).await
    }

    async fn memberships(&self) -> Result<Vec<(FacilityId, Vec<TipId>)>, StoreError> {
        self.sql.memberships().await
    }

    async fn observable_modes(&self) -> Result<Vec<(String, String, ObservableMode)>, StoreError> {
        self.sql.observable_modes().await
    }

    async fn add_analyst_op(&self, op: &str, audit: NewAuditEntry) -> Result<(), StoreError> {
        self.sql.add_analyst_op(op, audit).await
    }

    async fn analyst_ops(&self) -> Result<Vec<String>, StoreError> {
        self.sql.analyst_ops().await
    }

    async fn place_counts(&self, provinces: Option<&[String]>) -> Result<PlaceCounts, StoreError> {
        self.sql.place_counts(provinces).await
    }

    async fn assign(&self, row: AssignmentRow, audit: NewAuditEntry) -> Result<(), StoreError> {
        self.sql.assign(row, audit).await
    }

    async fn unassign(&self, object: Assignable, audit: NewAuditEntry) -> Result<(), StoreError> {
        self.sql.unassign(object, audit).await
    }

    async fn assignment(&self, object: Assignable) -> Result<Option<AssignmentRow>, StoreError> {
        self.sql.assignment(object).await
    }

    async fn assignments_to(&self, staff: StaffId) -> Result<Vec<AssignmentRow>, StoreError> {
        self.sql.assignments_to(staff).await
    }
}

#[async_trait]
impl ScreeningStore for PgStore {
    async fn insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.do_insert_screening(s, audit).await
    }

    async fn screening(&self, id: i64) -> Result<ScreeningRow, StoreError> {
        self.do_screening(id).await
    }

    async fn decide_screening(
        &self,
        id: i64,
        decision: &str,
        note: &[u8],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.do_decide_screening(id, decision, note, audit).await
    }

    async fn purge_screenings(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        self.do_purge_screenings(before).await
    }
}

#[async_trait]
impl SyncStore for PgStore {
    async fn sync_outgoing(&self, after: i64, limit: i64) -> Result<Vec<SyncOutgoing>, StoreError> {
        self.do_sync_outgoing(after, limit).await
    }

    async fn sync_cursor(&self, name: &str) -> Result<i64, StoreError> {
        self.do_sync_cursor(name).await
    }

    async fn sync_set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        self.do_sync_set_cursor(name, seq).await
    }

    async fn sync_upsert_screenings(
        &self,
        items: &[SyncIncoming],
        audit: NewAuditEntry,
    ) -> Result<SyncCounts, StoreError> {
        self.do_sync_upsert_screenings(items, audit).await
    }

    async fn sync_replace_pulled(
        &self,
        pulled: &SyncPulled,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        self.do_sync_replace_pulled(pulled, audit).await
    }

    async fn sync_pulled(&self) -> Result<Option<SyncPulled>, StoreError> {
        self.do_sync_pulled().await
    }
}
