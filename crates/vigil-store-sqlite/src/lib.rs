//! Vigil's embedded store: SQLite in WAL mode with `synchronous=FULL`, so every
//! acknowledged write is on disk. Tip submissions go through one writer task
//! that commits many tips per transaction (group commit: many acknowledgements
//! share one fsync), each tip isolated by a savepoint.

#![forbid(unsafe_code)]

mod bulk;
mod dialect;
// Cases and prosecutions (issue 5).
mod cases;
mod facilities;
mod figures;
mod observables;
mod open;
mod operations;
mod persons; // persons met (issue 5)
mod rows;
mod screenings;
mod sync;
mod workspace;
mod writer;
// Immigration (issue 5, item 5).
mod immigration;

use async_trait::async_trait;
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use vigil_domain::audit::{AuditEntry, NewAuditEntry};
use vigil_domain::{AttachmentId, EventSeq, FacilityId, MessageId, StaffId, TipId, TipStatus};
use vigil_store::prelude::*;
use vigil_store::{
    Assignable, AssignmentRow, AttachmentMeta, AttachmentRow, ClientRefHit, Event, FacilityQuery,
    FacilityRow, FacilityWrite, MessageRow, NewMessage, NewScreening, NewStaff, ObservableId,
    ObservableMode, ObservableRow, PlaceCounts, ReceiptRow, ScreeningRow, StaffRow, StaffUpdate,
    Store, StoreError, SubmitOutcome, SyncCounts, SyncIncoming, SyncOutgoing, SyncPulled,
    TipObservables, TipQuery, TipRow, TipSubmission, TokenPurpose, TokenRow,
};

use rows::{map_err, nanos, tip_from_row};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "vigil.db";

/// The SQLite store.
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    submit_tx: mpsc::Sender<writer::Job>,
    /// The store body written once, over this database.
    sql: vigil_store_sql::SqlStore,
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

#[async_trait]
impl IntakeStore for SqliteStore {
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
impl PipelineStore for SqliteStore {
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
impl AuditStore for SqliteStore {
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
impl StaffStore for SqliteStore {
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
impl IntelStore for SqliteStore {
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
impl ScreeningStore for SqliteStore {
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
impl SyncStore for SqliteStore {
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

/// Tip ids as a JSON array, for `json_each`.
fn id_list(ids: &[TipId]) -> Result<String, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
    serde_json::to_string(&ids).map_err(|e| StoreError::Other(e.to_string()))
}
