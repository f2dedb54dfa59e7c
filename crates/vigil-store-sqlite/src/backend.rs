//! The SQLite backend: the read pool, the one writer and its group commit,
//! behind the store's backend interface.

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::SqlitePool;
use vigil_store::{StoreError, SubmitOutcome, TipSubmission};
use vigil_store_sql::{Backend, Dialect, Row, Sql, Tx};

use crate::dialect::{Rendered, SqliteTx, into_row, query, rows};
use crate::rows::map_err;
use crate::writer::Job;
use crate::{immigration, pipeline};

/// The SQLite backend: a pool of read-only connections and the one writer.
pub struct SqliteBackend {
    pub(crate) read: SqlitePool,
    pub(crate) write: SqlitePool,
    pub(crate) rendered: Arc<Rendered>,
    pub(crate) submit_tx: tokio::sync::mpsc::Sender<Job>,
    pub(crate) audit_key: Arc<vigil_domain::audit::AuditKey>,
    /// The data directory, whose file system's free space the write probe
    /// checks.
    pub(crate) data_dir: std::path::PathBuf,
}

/// Free space below which the store says it has no room: a heartbeat may
/// still fit in pages SQLite already holds, a tip with photos would not.
const MIN_FREE_BYTES: u64 = 1024 * 1024;

#[async_trait]
impl Backend for SqliteBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        pipeline::try_lease(self, name, owner, ttl).await
    }
    async fn insert_departures_bulk(
        &self,
        rows: &[vigil_store::NewDeparture],
        entry: vigil_domain::audit::NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError> {
        immigration::insert_departures_bulk(self, rows, entry, progress).await
    }
    #[cfg(unix)]
    async fn check_room(&self) -> Result<(), StoreError> {
        let stat = rustix::fs::statvfs(&self.data_dir)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", self.data_dir.display())))?;
        let free = stat.f_bavail.saturating_mul(stat.f_frsize);
        if free < MIN_FREE_BYTES {
            return Err(StoreError::Unavailable(format!(
                "{}: {free} bytes free",
                self.data_dir.display()
            )));
        }
        Ok(())
    }
    async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
    async fn submit_tip(&self, sub: TipSubmission) -> Result<SubmitOutcome, StoreError> {
        let (reply, rx) = tokio::sync::oneshot::channel();
        let stopped = || StoreError::Unavailable("the writer has stopped".into());
        self.submit_tx
            .send(Job { sub, reply })
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        let tx = crate::writer::begin_immediate(&self.write).await?;
        Ok(Box::new(SqliteTx::new(
            tx,
            self.rendered.clone(),
            self.audit_key.clone(),
        )))
    }
    async fn fetch_all(&self, q: Sql) -> Result<Vec<Row>, StoreError> {
        let r = self.rendered.get(q.text);
        Ok(rows(
            query(&r, q.args)?
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?,
        ))
    }
    async fn fetch_optional(&self, q: Sql) -> Result<Option<Row>, StoreError> {
        let r = self.rendered.get(q.text);
        let row = query(&r, q.args)?
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        Ok(row.map(into_row))
    }
}
