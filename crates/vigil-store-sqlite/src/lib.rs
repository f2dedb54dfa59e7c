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
mod staff;
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
        let (reply, rx) = oneshot::channel();
        self.submit_tx
            .send(writer::Job { sub, reply })
            .await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        rx.await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?
    }

    async fn find_client_ref(&self, key_hash: &[u8]) -> Result<Option<ClientRefHit>, StoreError> {
        let row = sqlx::query("SELECT tip_id, receipt_enc FROM client_refs WHERE key_hash = ?")
            .bind(key_hash)
            .fetch_optional(&self.read)
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
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE client_refs SET receipt_enc = NULL WHERE receipt_enc IS NOT NULL AND expires_at < ?",
        )
        .bind(nanos(now))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn find_receipt(&self, lookup_hash: &[u8]) -> Result<Option<ReceiptRow>, StoreError> {
        let row = sqlx::query("SELECT tip_id, secret_hash FROM receipts WHERE lookup_hash = ?")
            .bind(lookup_hash)
            .fetch_optional(&self.read)
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
        let row = sqlx::query("SELECT * FROM tips WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        tip_from_row(&row)
    }

    async fn tips_by_ids(&self, ids: &[TipId]) -> Result<Vec<TipRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM tips WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        )
        .bind(id_list(ids)?)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn tips_after(&self, after: TipId, limit: i64) -> Result<Vec<TipRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM tips WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after.0)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn attachment_counts(&self, ids: &[TipId]) -> Result<Vec<(TipId, i64)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT tip_id, COUNT(*) FROM attachments
             WHERE tip_id IN (SELECT value FROM json_each(?)) GROUP BY tip_id ORDER BY tip_id",
        )
        .bind(id_list(ids)?)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(t, n)| (TipId(t), n)).collect())
    }

    async fn existing_refs(&self, refs: &[String]) -> Result<Vec<String>, StoreError> {
        let refs = serde_json::to_string(refs).map_err(|e| StoreError::Other(e.to_string()))?;
        sqlx::query_scalar(
            "SELECT external_ref FROM tips WHERE external_ref IN (SELECT value FROM json_each(?))
             ORDER BY external_ref",
        )
        .bind(refs)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)
    }

    async fn count_tips(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM tips")
            .fetch_one(&self.read)
            .await
            .map_err(map_err)
    }

    async fn set_status(
        &self,
        id: TipId,
        status: TipStatus,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE tips SET status = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        rows::insert_event(&mut tx, "tip.status", id, now).await?;
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn add_message(&self, msg: NewMessage) -> Result<MessageId, StoreError> {
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM tips WHERE id = ?")
            .bind(msg.tip_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (tip_id, author, body_enc, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(msg.tip_id.0)
        .bind(msg.author.to_stored())
        .bind(&msg.body_enc)
        .bind(nanos(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for a in &msg.attachments {
            rows::insert_attachment(&mut tx, msg.tip_id, Some(MessageId(id)), a, now).await?;
        }
        rows::insert_event(&mut tx, "message.created", msg.tip_id, now).await?;
        let mut audit = msg.audit;
        audit.object = format!("tip:{}/message:{id}", msg.tip_id);
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(MessageId(id))
    }

    async fn messages(&self, tip: TipId) -> Result<Vec<MessageRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tip_id, author, body_enc, created_at FROM messages WHERE tip_id = ? ORDER BY id",
        )
        .bind(tip.0)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::message_from_row).collect()
    }

    async fn attachments(&self, tip: TipId) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tip_id, message_id, mime, size, created_at FROM attachments WHERE tip_id = ? ORDER BY id",
        )
        .bind(tip.0)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::attachment_meta_from_row).collect()
    }

    async fn attachment(&self, id: AttachmentId) -> Result<AttachmentRow, StoreError> {
        let row = sqlx::query("SELECT * FROM attachments WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.read)
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
impl SyncStore for SqliteStore {
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

/// Tip ids as a JSON array, for `json_each`.
fn id_list(ids: &[TipId]) -> Result<String, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
    serde_json::to_string(&ids).map_err(|e| StoreError::Other(e.to_string()))
}
