//! Detentions, deportation orders and departures (migration 0016): the body
//! is written once in `vigil-store-sql`; this forwards to it, except for the
//! CSV import, whose fast statement is PostgreSQL's own (`UNNEST` over one
//! typed array per column: twelve binds, the same prepared statement for
//! every chunk), in one transaction whose audit entry is its last step.

use async_trait::async_trait;
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    DepartureRow, DeportationOrderRow, DetentionRow, ImmigrationFigures, ImmigrationFilter,
    ImmigrationStore, NewDeparture, NewDeportationOrder, NewDetention, StoreError,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

/// Rows per bulk INSERT statement (one array per column).
const BULK_CHUNK: usize = 10_000;

const INSERT_DEPARTURE: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at) ";

async fn audit(tx: &mut PgConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    rows::lock_audit(tx).await?;
    rows::append_audit(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

#[async_trait]
impl ImmigrationStore for PgStore {
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
        let mut tx = begin(&self.pool).await?;
        let mut done = 0usize;
        // One array per column per chunk (`UNNEST`): twelve binds, the same
        // prepared statement for every chunk.
        for chunk in rows.chunks(BULK_CHUNK) {
            let col = |f: fn(&NewDeparture) -> String| chunk.iter().map(f).collect::<Vec<_>>();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{INSERT_DEPARTURE}
                 SELECT * FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::BIGINT[],
                     $5::BIGINT[], $6::TEXT[], $7::DATE[], $8::TEXT[], $9::TEXT[], $10::TEXT[],
                     $11::BIGINT[], $12::TIMESTAMPTZ[])"
            )))
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
