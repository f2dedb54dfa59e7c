//! Row mapping, error mapping, and the statements shared by several writes.

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;
use vigil_domain::audit::{self, AuditEntry, NewAuditEntry};
use vigil_domain::{
    AttachmentId, Category, Channel, DangerFlags, EventSeq, Location, MessageId, TipId, TipStatus,
};
use vigil_store::{AttachmentMeta, Author, Event, MessageRow, NewAttachment, StoreError, TipRow};

use crate::AUDIT_LOCK_KEY;

/// Maps a driver error onto the small storage error.
pub fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.to_string())
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::Database(db) if db.code().is_some_and(|c| is_unavailable(&c)) => {
            StoreError::Unavailable(db.to_string())
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Other(e.to_string()),
    }
}

/// SQLSTATEs that mean "try again later" rather than "this is wrong":
/// connection exceptions (08), insufficient resources (53: too many
/// connections, disk full), operator intervention (57: shutdown, recovery,
/// statement timeout), serialization failures and deadlocks, lock timeouts.
fn is_unavailable(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57")
        || matches!(code, "40001" | "40P01" | "55P03")
}

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    col: &str,
) -> Result<T, StoreError> {
    row.try_get(col).map_err(map_err)
}

/// A tip from a `SELECT * FROM tips` row.
pub fn tip_from_row(row: &PgRow) -> Result<TipRow, StoreError> {
    let category: String = get(row, "category")?;
    let channel: String = get(row, "channel")?;
    let status: String = get(row, "status")?;
    Ok(TipRow {
        id: TipId(get(row, "id")?),
        external_ref: get(row, "external_ref")?,
        channel: Channel::parse(&channel)
            .ok_or_else(|| StoreError::Other(format!("bad channel {channel}")))?,
        category: Category::parse(&category)
            .ok_or_else(|| StoreError::Other(format!("bad category {category}")))?,
        text: get(row, "text")?,
        location: Location {
            province_code: get(row, "province_code")?,
            district_code: get(row, "district_code")?,
            commune_code: get(row, "commune_code")?,
            village_code: get(row, "village_code")?,
            place: get(row, "place")?,
            lat: get(row, "lat")?,
            lon: get(row, "lon")?,
        },
        danger: DangerFlags::from_bits(get(row, "danger")?),
        status: TipStatus::parse(&status)
            .ok_or_else(|| StoreError::Other(format!("bad status {status}")))?,
        language: get(row, "language")?,
        received_at: get(row, "received_at")?,
    })
}

/// A message row.
pub fn message_from_row(row: &PgRow) -> Result<MessageRow, StoreError> {
    let author: String = get(row, "author")?;
    Ok(MessageRow {
        id: MessageId(get(row, "id")?),
        tip_id: TipId(get(row, "tip_id")?),
        author: Author::from_stored(&author),
        body_enc: get(row, "body_enc")?,
        created_at: get(row, "created_at")?,
    })
}

/// An attachment's metadata.
pub fn attachment_meta_from_row(row: &PgRow) -> Result<AttachmentMeta, StoreError> {
    let message_id: Option<i64> = get(row, "message_id")?;
    Ok(AttachmentMeta {
        id: AttachmentId(get(row, "id")?),
        tip_id: TipId(get(row, "tip_id")?),
        message_id: message_id.map(MessageId),
        mime: get(row, "mime")?,
        size: get(row, "size")?,
        created_at: get(row, "created_at")?,
    })
}

/// An outbox event.
pub fn event_from_row(row: &PgRow) -> Result<Event, StoreError> {
    Ok(Event {
        seq: EventSeq(get(row, "seq")?),
        kind: get(row, "kind")?,
        tip_id: TipId(get(row, "tip_id")?),
        created_at: get(row, "created_at")?,
    })
}

/// An audit entry.
pub fn audit_from_row(row: &PgRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: get(row, "seq")?,
        at_unix_nanos: get(row, "at_unix_nanos")?,
        entry: NewAuditEntry {
            actor: get(row, "actor")?,
            action: get(row, "action")?,
            object: get(row, "object")?,
            detail: get(row, "detail")?,
        },
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}

/// Takes the audit lock until the transaction ends, so that appenders on
/// every connection of every node take turns. Must be called inside a
/// READ COMMITTED transaction, after every statement that could wait on
/// another writer's row locks (so no one waits on a row while holding the
/// lock), and before the outbox event and the audit entry are written.
pub async fn lock_audit(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(AUDIT_LOCK_KEY)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// The last audit entry. Call only after [`lock_audit`]: under READ COMMITTED
/// this statement's snapshot is taken after the lock is granted, so it sees
/// the previous holder's committed entry.
pub async fn last_audit(conn: &mut PgConnection) -> Result<Option<AuditEntry>, StoreError> {
    let row = sqlx::query("SELECT * FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    row.as_ref().map(audit_from_row).transpose()
}

/// Chains an audit entry after the last one and inserts it (under the lock).
pub async fn append_audit(
    conn: &mut PgConnection,
    at: OffsetDateTime,
    entry: NewAuditEntry,
) -> Result<AuditEntry, StoreError> {
    let prev = last_audit(conn).await?;
    let e = audit::chain(prev.as_ref(), at, entry);
    sqlx::query(
        "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.seq)
    .bind(e.at_unix_nanos)
    .bind(&e.entry.actor)
    .bind(&e.entry.action)
    .bind(&e.entry.object)
    .bind(&e.entry.detail)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(e)
}

/// Appends an outbox event (under the lock, so sequence order is commit order).
pub async fn insert_event(
    conn: &mut PgConnection,
    kind: &str,
    tip: TipId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO events (kind, tip_id, created_at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(tip.0)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// Inserts an attachment.
pub async fn insert_attachment(
    conn: &mut PgConnection,
    tip: TipId,
    message: Option<MessageId>,
    a: &NewAttachment,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attachments (tip_id, message_id, mime, size, data_enc, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tip.0)
    .bind(message.map(|m| m.0))
    .bind(&a.mime)
    .bind(a.size)
    .bind(&a.data_enc)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
