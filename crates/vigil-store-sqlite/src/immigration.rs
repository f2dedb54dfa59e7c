//! Detentions, deportation orders and departures (migration 0016): the body
//! is written once in `vigil-store-sql`; this forwards to it, except for the
//! CSV import, whose fast statement is SQLite's own (one JSON array of rows
//! per chunk, unpacked by `json_each`: one bind, the same prepared statement
//! for every chunk), in one transaction with its chained audit entry.

use async_trait::async_trait;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    DepartureRow, DeportationOrderRow, DetentionRow, ImmigrationFigures, ImmigrationFilter,
    ImmigrationStore, NewDeparture, NewDeportationOrder, NewDetention, StoreError,
};

use crate::SqliteStore;
use crate::rows::{self, map_err, nanos};

/// Rows per bulk INSERT statement (one JSON array each).
const BULK_CHUNK: usize = 5000;

const INSERT_DEPARTURE: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at) ";

async fn audit(tx: &mut SqliteConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    let prev = rows::last_audit(tx).await?;
    rows::insert_audit(tx, prev.as_ref(), OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

#[async_trait]
impl ImmigrationStore for SqliteStore {
    async fn insert_detention(
        &self,
        d: &NewDetention,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.insert_detention(d, entry).await
    }

    async fn insert_deportation_order(
        &self,
        o: &NewDeportationOrder,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.insert_deportation_order(o, entry).await
    }

    async fn deportation_order(&self, id: i64) -> Result<DeportationOrderRow, StoreError> {
        self.sql.deportation_order(id).await
    }

    async fn insert_departure(
        &self,
        d: &NewDeparture,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.insert_departure(d, entry).await
    }

    async fn insert_departures_bulk(
        &self,
        rows: &[NewDeparture],
        entry: NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError> {
        if rows.iter().any(|d| d.order_id.is_some()) {
            return Err(StoreError::Other(
                "a bulk import records departures without orders".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let mut done = 0usize;
        // One bind per chunk: the rows as a JSON array that SQLite unpacks
        // (`json_each`), the same prepared statement for every chunk.
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
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{INSERT_DEPARTURE}
                 SELECT json_extract(value, '$[0]'), unhex(json_extract(value, '$[1]')),
                        json_extract(value, '$[2]'), json_extract(value, '$[3]'), NULL,
                        json_extract(value, '$[4]'), json_extract(value, '$[5]'),
                        json_extract(value, '$[6]'), json_extract(value, '$[7]'),
                        json_extract(value, '$[8]'), json_extract(value, '$[9]'),
                        json_extract(value, '$[10]')
                 FROM json_each(?) ORDER BY key"
            )))
            .bind(json)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            done += chunk.len();
            progress(done);
        }
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(done as u64)
    }

    async fn departures(&self, f: &ImmigrationFilter) -> Result<Vec<DepartureRow>, StoreError> {
        self.sql.departures(f).await
    }

    async fn deportation_orders(
        &self,
        f: &ImmigrationFilter,
    ) -> Result<Vec<DeportationOrderRow>, StoreError> {
        self.sql.deportation_orders(f).await
    }

    async fn detentions(&self, f: &ImmigrationFilter) -> Result<Vec<DetentionRow>, StoreError> {
        self.sql.detentions(f).await
    }

    async fn immigration_figures(
        &self,
        from: Date,
        to: Date,
        provinces: Option<&[String]>,
    ) -> Result<ImmigrationFigures, StoreError> {
        self.sql.immigration_figures(from, to, provinces).await
    }
}
