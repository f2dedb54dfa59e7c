//! Row mapping and the statements shared by several writes.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::audit::{self, AuditEntry, NewAuditEntry};
use vigil_domain::{
    AttachmentId, Category, Channel, DangerFlags, EventSeq, Location, MessageId, TipId, TipStatus,
};
use vigil_store::{AttachmentMeta, Author, Event, MessageRow, NewAttachment, StoreError, TipRow};

/// Maps a driver error onto the small storage error.
pub fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.to_string())
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::Database(db)
            if db.message().contains("locked") || db.message().contains("busy") =>
        {
            StoreError::Unavailable(db.to_string())
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}

/// A timestamp as stored: unix nanoseconds.
pub fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

/// A stored timestamp read back.
pub fn from_nanos(n: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(n))
        .map_err(|e| StoreError::Other(format!("bad timestamp {n}: {e}")))
}

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    col: &str,
) -> Result<T, StoreError> {
    row.try_get(col).map_err(map_err)
}

/// A tip from a `SELECT * FROM tips` row.
pub fn tip_from_row(row: &SqliteRow) -> Result<TipRow, StoreError> {
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
        received_at: from_nanos(get(row, "received_at")?)?,
    })
}

/// A message row.
pub fn message_from_row(row: &SqliteRow) -> Result<MessageRow, StoreError> {
    let author: String = get(row, "author")?;
    Ok(MessageRow {
        id: MessageId(get(row, "id")?),
        tip_id: TipId(get(row, "tip_id")?),
        author: Author::from_stored(&author),
        body_enc: get(row, "body_enc")?,
        created_at: from_nanos(get(row, "created_at")?)?,
    })
}

/// An attachment's metadata.
pub fn attachment_meta_from_row(row: &SqliteRow) -> Result<AttachmentMeta, StoreError> {
    let message_id: Option<i64> = get(row, "message_id")?;
    Ok(AttachmentMeta {
        id: AttachmentId(get(row, "id")?),
        tip_id: TipId(get(row, "tip_id")?),
        message_id: message_id.map(MessageId),
        mime: get(row, "mime")?,
        size: get(row, "size")?,
        created_at: from_nanos(get(row, "created_at")?)?,
    })
}

/// An outbox event.
pub fn event_from_row(row: &SqliteRow) -> Result<Event, StoreError> {
    Ok(Event {
        seq: EventSeq(get(row, "seq")?),
        kind: get(row, "kind")?,
        tip_id: TipId(get(row, "tip_id")?),
        created_at: from_nanos(get(row, "created_at")?)?,
    })
}

/// An audit entry.
pub fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry, StoreError> {
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

/// The last audit entry (inside a write transaction, so no one appends meanwhile).
pub async fn last_audit(conn: &mut SqliteConnection) -> Result<Option<AuditEntry>, StoreError> {
    let row = sqlx::query("SELECT * FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    row.as_ref().map(audit_from_row).transpose()
}

/// Chains and inserts an audit entry after `prev`.
pub async fn insert_audit(
    conn: &mut SqliteConnection,
    prev: Option<&AuditEntry>,
    at: OffsetDateTime,
    entry: NewAuditEntry,
) -> Result<AuditEntry, StoreError> {
    let e = audit::chain(prev, at, entry);
    sqlx::query(
        "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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

/// Appends an outbox event.
pub async fn insert_event(
    conn: &mut SqliteConnection,
    kind: &str,
    tip: TipId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO events (kind, tip_id, created_at) VALUES (?, ?, ?)")
        .bind(kind)
        .bind(tip.0)
        .bind(nanos(at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// Inserts an attachment.
pub async fn insert_attachment(
    conn: &mut SqliteConnection,
    tip: TipId,
    message: Option<MessageId>,
    a: &NewAttachment,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attachments (tip_id, message_id, mime, size, data_enc, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(tip.0)
    .bind(message.map(|m| m.0))
    .bind(&a.mime)
    .bind(a.size)
    .bind(&a.data_enc)
    .bind(nanos(at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
