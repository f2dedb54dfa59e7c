//! The immigration department's CSV import, by PostgreSQL's fastest
//! statement: `UNNEST` over one typed array per column (twelve binds, the same
//! prepared statement for every chunk), in one transaction whose audit entry
//! is its last step.

use sqlx::PgPool;
use std::sync::Arc;
use time::OffsetDateTime;

use vigil_domain::audit::{AuditKey, NewAuditEntry};
use vigil_store::{NewDeparture, StoreError};
use vigil_store_sql::{Tx, audit};

use crate::dialect::PgTx;
use crate::rows::map_err;

/// Rows per bulk INSERT statement (one array per column).
const BULK_CHUNK: usize = 10_000;

const INSERT_DEPARTURES: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at)
     SELECT * FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::BIGINT[],
         $5::BIGINT[], $6::TEXT[], $7::DATE[], $8::TEXT[], $9::TEXT[], $10::TEXT[],
         $11::BIGINT[], $12::TIMESTAMPTZ[])";

/// Stores departures in bulk (see `Backend::insert_departures_bulk`).
pub async fn insert_departures_bulk(
    pool: &PgPool,
    key: &Arc<AuditKey>,
    rows: &[NewDeparture],
    entry: NewAuditEntry,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<u64, StoreError> {
    if rows.iter().any(|d| d.order_id.is_some()) {
        return Err(StoreError::Other(
            "a bulk import records departures without orders".into(),
        ));
    }
    let mut tx = PgTx::begin(pool, key).await?;
    let mut done = 0usize;
    for chunk in rows.chunks(BULK_CHUNK) {
        let col = |f: fn(&NewDeparture) -> String| chunk.iter().map(f).collect::<Vec<_>>();
        sqlx::query(INSERT_DEPARTURES)
            .bind(col(|d| d.kind.clone()))
            .bind(chunk.iter().map(|d| d.subject.clone()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.person_id).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.operation_id).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.order_id).collect::<Vec<_>>())
            .bind(col(|d| d.nationality.clone()))
            .bind(chunk.iter().map(|d| d.departed_on).collect::<Vec<_>>())
            .bind(col(|d| d.port.clone()))
            .bind(col(|d| d.province_code.clone()))
            .bind(chunk.iter().map(|d| d.batch.clone()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.created_by.0).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.created_at).collect::<Vec<_>>())
            .execute(tx.conn())
            .await
            .map_err(map_err)?;
        done += chunk.len();
        progress(done);
    }
    audit::append(&mut tx, OffsetDateTime::now_utc(), entry).await?;
    Box::new(tx).commit().await?;
    Ok(done as u64)
}
