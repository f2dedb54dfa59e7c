//! The backend interface: what the SQLite and PostgreSQL crates implement
//! (connections, rendering a statement in their dialect, encoding values, the
//! SQLite group-commit writer, PostgreSQL's advisory locks and `SKIP LOCKED`).

use async_trait::async_trait;
use vigil_domain::audit::AuditKey;
use vigil_store::StoreError;

use crate::value::{Row, Sql};

/// Which SQL dialect a backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.45 or later.
    Sqlite,
    /// PostgreSQL 13 or later.
    Postgres,
}

impl Dialect {
    /// The SQLite text or the PostgreSQL text: for the few statements whose
    /// spelling truly differs.
    pub fn pick(self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        }
    }
}

/// What a transaction can do. Dropping it without [`Tx::commit`] rolls back.
#[async_trait]
pub trait Tx: Send {
    /// Runs a statement; returns the rows it changed.
    async fn execute(&mut self, q: Sql) -> Result<u64, StoreError>;
    /// Runs a query; returns every row.
    async fn fetch_all(&mut self, q: Sql) -> Result<Vec<Row>, StoreError>;
    /// Runs a query; returns its first row, if any.
    async fn fetch_optional(&mut self, q: Sql) -> Result<Option<Row>, StoreError>;
    /// Makes appends to the audit chain and the outbox take turns until this
    /// transaction ends. PostgreSQL takes a transaction-scoped advisory lock;
    /// SQLite has one writer, so there is nothing to take. Call it after every
    /// statement that could wait on another writer's rows and before the
    /// outbox event and the audit entry are written.
    async fn lock_audit(&mut self) -> Result<(), StoreError>;
    /// The key that seals the audit entries this transaction appends (the
    /// one the store was opened with).
    fn audit_key(&self) -> &AuditKey;
    /// Commits, durably.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;

    /// Runs a query; its first row, or `NotFound`.
    async fn fetch_one(&mut self, q: Sql) -> Result<Row, StoreError> {
        self.fetch_optional(q).await?.ok_or(StoreError::NotFound)
    }
}

/// A backend: a database reached through one dialect.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// The dialect its statements are rendered in.
    fn dialect(&self) -> Dialect;
    /// Begins a write transaction (SQLite: `BEGIN IMMEDIATE` on the one
    /// writer; PostgreSQL: READ COMMITTED).
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// Runs a read-only query outside any transaction; every row.
    async fn fetch_all(&self, q: Sql) -> Result<Vec<Row>, StoreError>;
    /// Runs a read-only query outside any transaction; its first row, if any.
    async fn fetch_optional(&self, q: Sql) -> Result<Option<Row>, StoreError>;
    /// Whether there is room to store a tip, beyond the write probe itself
    /// (which may fit in pages the database already holds on a full disk).
    /// By default, yes.
    async fn check_room(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Stores a submitted tip with its receipt, attachments, retry record,
    /// outbox event and audit entry, durably (SQLite: through the
    /// group-commit writer, many tips per fsync; PostgreSQL: one transaction).
    async fn submit_tip(
        &self,
        sub: vigil_store::TipSubmission,
    ) -> Result<vigil_store::SubmitOutcome, StoreError>;

    /// Takes or renews a lease (its clock is the database's on PostgreSQL,
    /// shared by every node). See [`vigil_store::PipelineStore::try_lease`].
    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError>;

    /// Stores departures in bulk, with one audit entry, in one transaction,
    /// by the backend's fastest statement (SQLite: one JSON array of rows per
    /// chunk; PostgreSQL: one array per column). See
    /// [`vigil_store::ImmigrationStore::insert_departures_bulk`].
    async fn insert_departures_bulk(
        &self,
        rows: &[vigil_store::NewDeparture],
        entry: vigil_domain::audit::NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError>;

    /// Closes every connection, waiting for those in use.
    async fn close(&self);

    /// Runs a read-only query; its first row, or `NotFound`.
    async fn fetch_one(&self, q: Sql) -> Result<Row, StoreError> {
        self.fetch_optional(q).await?.ok_or(StoreError::NotFound)
    }
}
