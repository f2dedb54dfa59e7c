//! Vigil's scale-out store: PostgreSQL, shared by any number of `vigil serve`
//! nodes. The store's body is `vigil-store-sql`; this crate is its PostgreSQL
//! backend: every write one READ COMMITTED transaction committed with
//! `synchronous_commit = on`; writers that append to the hash-chained audit
//! log (and the outbox) take one transaction-scoped advisory lock
//! ([`AUDIT_LOCK_KEY`]) as their last step, so the chain stays whole and
//! outbox order is commit order however many nodes write at once; pipeline
//! workers share the outbox with `FOR UPDATE SKIP LOCKED`; bulk imports bind
//! one array per column. `backup` runs `pg_dump` on a snapshot it exports.

#![forbid(unsafe_code)]

mod backend;
mod backup;
mod dialect;
mod immigration;
mod migrate;
mod pipeline;
mod rows;
mod submit;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use vigil_domain::audit::AuditKey;
use vigil_store::StoreError;
use vigil_store_sql::SqlStore;

use rows::map_err;

pub use backup::backup;
pub use dialect::AUDIT_LOCK_KEY;

/// Connections per node.
pub const POOL_SIZE: u32 = 16;

/// Longest wait for a connection. While PostgreSQL is out of reach (a
/// restart, a network cut) the pool keeps trying to connect until then; a
/// short wait lets a tip be answered 503 and `/readyz` say "not ready" within
/// seconds instead of holding the request for half a minute.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to `url` (`postgres://user:password@host:port/database`) and
/// brings the schema up to date with the embedded, append-only migrations.
/// Nodes starting together are safe: the migrator takes its own lock. The
/// audit entries it appends are sealed with `audit_key`.
pub async fn connect(url: &str, audit_key: AuditKey) -> Result<SqlStore, StoreError> {
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?
        .application_name("vigil")
        // Acknowledged means on disk: never let a server-side default
        // weaken it.
        .options([("synchronous_commit", "on")]);
    let pool = PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(opts)
        .await
        .map_err(map_err)?;
    crate::migrate::migrator()
        .run(&pool)
        .await
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    tracing::info!(pool = POOL_SIZE, "connected to PostgreSQL");
    Ok(SqlStore::new(std::sync::Arc::new(backend::PgBackend {
        pool,
        audit_key: std::sync::Arc::new(audit_key),
    })))
}
