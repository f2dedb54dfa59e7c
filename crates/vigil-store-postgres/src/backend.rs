//! The PostgreSQL backend: a connection pool behind the store's backend
//! interface.

use async_trait::async_trait;
use sqlx::PgPool;
use vigil_store::{StoreError, SubmitOutcome, TipSubmission};
use vigil_store_sql::{Backend, Dialect, Row, Sql, Tx};

use crate::dialect::{PgTx, into_row, query, rows};
use crate::rows::map_err;
use crate::{immigration, pipeline, submit};

/// The PostgreSQL backend: a connection pool.
pub struct PgBackend {
    pub(crate) pool: PgPool,
    pub(crate) audit_key: std::sync::Arc<vigil_domain::audit::AuditKey>,
}

#[async_trait]
impl Backend for PgBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    async fn submit_tip(&self, sub: TipSubmission) -> Result<SubmitOutcome, StoreError> {
        submit::submit(&self.pool, &self.audit_key, &sub).await
    }
    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        pipeline::try_lease(&self.pool, name, owner, ttl).await
    }
    async fn insert_departures_bulk(
        &self,
        rows: &[vigil_store::NewDeparture],
        entry: vigil_domain::audit::NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError> {
        immigration::insert_departures_bulk(&self.pool, &self.audit_key, rows, entry, progress)
            .await
    }
    async fn close(&self) {
        self.pool.close().await;
    }
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        Ok(Box::new(PgTx::begin(&self.pool, &self.audit_key).await?))
    }
    async fn fetch_all(&self, q: Sql) -> Result<Vec<Row>, StoreError> {
        Ok(rows(
            query(q)?.fetch_all(&self.pool).await.map_err(map_err)?,
        ))
    }
    async fn fetch_optional(&self, q: Sql) -> Result<Option<Row>, StoreError> {
        let row = query(q)?
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.map(into_row))
    }
}
