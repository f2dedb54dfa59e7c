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
        self.sql.submit_tip(sub).await
    }

    async fn find_client_ref(&self, key_hash: &[u8]) -> Result<Option<ClientRefHit>, StoreError> {
        self.sql.find_client_ref(key_hash).await
    }

    async fn expire_client_refs(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.sql.expire_client_refs(now).await
    }

    async fn find_receipt(&self, lookup_hash: &[u8]) -> Result<Option<ReceiptRow>, StoreError> {
        self.sql.find_receipt(lookup_hash).await
    }

    async fn tip(&self, id: TipId) -> Result<TipRow, StoreError> {
        self.sql.tip(id).await
    }

    async fn tips_by_ids(&self, ids: &[TipId]) -> Result<Vec<TipRow>, StoreError> {
        self.sql.tips_by_ids(ids).await
    }

    async fn tips_after(&self, after: TipId, limit: i64) -> Result<Vec<TipRow>, StoreError> {
        self.sql.tips_after(after, limit).await
    }

    async fn attachment_counts(&self, ids: &[TipId]) -> Result<Vec<(TipId, i64)>, StoreError> {
        self.sql.attachment_counts(ids).await
    }

    async fn existing_refs(&self, refs: &[String]) -> Result<Vec<String>, StoreError> {
        self.sql.existing_refs(refs).await
    }

    async fn count_tips(&self) -> Result<i64, StoreError> {
        self.sql.count_tips().await
    }

    async fn set_status(
        &self,
        id: TipId,
        status: TipStatus,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.set_status(id, status, audit).await
    }

    async fn add_message(&self, msg: NewMessage) -> Result<MessageId, StoreError> {
        self.sql.add_message(msg).await
    }

    async fn messages(&self, tip: TipId) -> Result<Vec<MessageRow>, StoreError> {
        self.sql.messages(tip).await
    }

    async fn attachments(&self, tip: TipId) -> Result<Vec<AttachmentMeta>, StoreError> {
        self.sql.attachments(tip).await
    }

    async fn attachment(&self, id: AttachmentId) -> Result<AttachmentRow, StoreError> {
        self.sql.attachment(id).await
    }

    async fn list_tips(&self, q: &TipQuery) -> Result<(Vec<TipRow>, i64), StoreError> {
        self.sql.list_tips(q).await
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
        self.sql.create_staff(s, audit).await
    }

    async fn update_staff(
        &self,
        id: StaffId,
        u: StaffUpdate,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.update_staff(id, u, audit).await
    }

    async fn staff(&self, id: StaffId) -> Result<StaffRow, StoreError> {
        self.sql.staff(id).await
    }

    async fn staff_by_username(&self, username: &str) -> Result<Option<StaffRow>, StoreError> {
        self.sql.staff_by_username(username).await
    }

    async fn list_staff(&self) -> Result<Vec<StaffRow>, StoreError> {
        self.sql.list_staff().await
    }

    async fn put_token(
        &self,
        t: TokenRow,
        replace: &[TokenPurpose],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.put_token(t, replace, audit).await
    }

    async fn token(
        &self,
        hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<TokenRow>, StoreError> {
        self.sql.token(hash, now).await
    }

    async fn touch_token(
        &self,
        hash: &[u8],
        last_seen_at: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        self.sql.touch_token(hash, last_seen_at, expires_at).await
    }

    async fn delete_token(&self, hash: &[u8], audit: NewAuditEntry) -> Result<(), StoreError> {
        self.sql.delete_token(hash, audit).await
    }

    async fn delete_expired_tokens(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.sql.delete_expired_tokens(now).await
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
        self.sql.insert_screening(s, audit).await
    }

    async fn screening(&self, id: i64) -> Result<ScreeningRow, StoreError> {
        self.sql.screening(id).await
    }

    async fn decide_screening(
        &self,
        id: i64,
        decision: &str,
        note: &[u8],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.decide_screening(id, decision, note, audit).await
    }

    async fn purge_screenings(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        self.sql.purge_screenings(before).await
    }
}

#[async_trait]
impl SyncStore for PgStore {
    async fn sync_outgoing(&self, after: i64, limit: i64) -> Result<Vec<SyncOutgoing>, StoreError> {
        self.sql.sync_outgoing(after, limit).await
    }

    async fn sync_cursor(&self, name: &str) -> Result<i64, StoreError> {
        self.sql.sync_cursor(name).await
    }

    async fn sync_set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        self.sql.sync_set_cursor(name, seq).await
    }

    async fn sync_upsert_screenings(
        &self,
        items: &[SyncIncoming],
        audit: NewAuditEntry,
    ) -> Result<SyncCounts, StoreError> {
        self.sql.sync_upsert_screenings(items, audit).await
    }

    async fn sync_replace_pulled(
        &self,
        pulled: &SyncPulled,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        self.sql.sync_replace_pulled(pulled, audit).await
    }

    async fn sync_pulled(&self) -> Result<Option<SyncPulled>, StoreError> {
        self.sql.sync_pulled().await
    }
}
