//! The immigration department's CSV import, by SQLite's fastest statement:
//! one JSON array of rows per chunk, unpacked by `json_each` (one bind, the
//! same prepared statement for every chunk), in one transaction with its
//! chained audit entry.

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{NewDeparture, StoreError};
use vigil_store_sql::{Backend, Value, audit, sql};

use crate::rows::nanos;

/// Rows per bulk INSERT statement (one JSON array each).
const BULK_CHUNK: usize = 5000;

const INSERT_DEPARTURES: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at)
     SELECT json_extract(value, '$[0]'), unhex(json_extract(value, '$[1]')),
            json_extract(value, '$[2]'), json_extract(value, '$[3]'), NULL,
            json_extract(value, '$[4]'), json_extract(value, '$[5]'),
            json_extract(value, '$[6]'), json_extract(value, '$[7]'),
            json_extract(value, '$[8]'), json_extract(value, '$[9]'),
            json_extract(value, '$[10]')
     FROM json_each($1) ORDER BY key";

/// Stores departures in bulk (see `Backend::insert_departures_bulk`).
pub async fn insert_departures_bulk(
    b: &dyn Backend,
    rows: &[NewDeparture],
    entry: NewAuditEntry,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<u64, StoreError> {
    if rows.iter().any(|d| d.order_id.is_some()) {
        return Err(StoreError::Other(
            "a bulk import records departures without orders".into(),
        ));
    }
    let mut tx = b.begin().await?;
    let mut done = 0usize;
    for chunk in rows.chunks(BULK_CHUNK) {
        let json = serde_json::to_string(
            &chunk
                .iter()
                .map(|d| {
                    (
                        &d.kind,
                        hex::encode(&d.subject),
                        d.person_id,
                        d.operation_id,
                        &d.nationality,
                        d.departed_on.to_string(),
                        &d.port,
                        &d.province_code,
                        &d.batch,
                        d.created_by.0,
                        nanos(d.created_at),
                    )
                })
                .collect::<Vec<_>>(),
        )
        .map_err(|e| StoreError::Other(e.to_string()))?;
        tx.execute(sql(INSERT_DEPARTURES).bind(Value::Text(Some(json))))
            .await?;
        done += chunk.len();
        progress(done);
    }
    audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
    tx.commit().await?;
    Ok(done as u64)
}
