//! Row mapping and the statements shared by several writes.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::audit::ChainHead;
use vigil_domain::{MessageId, TipId};
use vigil_store::{NewAttachment, StoreError};

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
        // A full disk, an I/O error or a file that cannot be opened: the
        // store cannot write now and may later; nothing about the request.
        sqlx::Error::Database(db) if db.code().is_some_and(|c| unavailable_code(&c)) => {
            StoreError::Unavailable(db.to_string())
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed
        | sqlx::Error::InvalidSavePointStatement => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Other(e.to_string()),
    }
}

/// SQLite's primary result codes for a store that cannot write now:
/// `SQLITE_IOERR` (10), `SQLITE_FULL` (13), `SQLITE_CANTOPEN` (14). The code
/// sqlx reports is the extended one, whose low byte is the primary.
fn unavailable_code(code: &str) -> bool {
    code.parse::<i64>()
        .is_ok_and(|c| matches!(c & 0xff, 10 | 13 | 14))
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

/// Where the audit chain stands (inside a write transaction, so no one
/// appends meanwhile).
pub async fn last_audit(conn: &mut SqliteConnection) -> Result<Option<ChainHead>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    row.as_ref()
        .map(|r| {
            Ok(ChainHead {
                seq: get(r, "seq")?,
                hash: get(r, "hash")?,
            })
        })
        .transpose()
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
