//! Opening the database: the connection pools, migrations, the writer and
//! the checkpointer.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::mpsc;
use vigil_store::StoreError;

use crate::rows::map_err;
use vigil_store_sql::SqlStore;

use crate::backend::SqliteBackend;
use crate::dialect::Rendered;
use crate::writer;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "vigil.db";

/// Opens (creating and migrating if needed) `vigil.db` inside `data_dir`.
pub async fn open(data_dir: &Path) -> Result<SqlStore, StoreError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| StoreError::Unavailable(format!("{}: {e}", data_dir.display())))?;
    let path = data_dir.join(DB_FILE);
    let opts = SqliteConnectOptions::from_str("sqlite:")
        .map_err(map_err)?
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30));
    // The writer never checkpoints itself (that would stall every
    // acknowledgement behind copying the WAL into the database); a task of
    // its own does, on its own connection.
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(60))
        .connect_with(
            opts.clone()
                .pragma("wal_autocheckpoint", "0")
                .pragma("journal_size_limit", "67108864"),
        )
        .await
        .map_err(map_err)?;
    crate::migrate::migrator()
        .run(&write)
        .await
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    let read = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(opts.clone().read_only(true))
        .await
        .map_err(map_err)?;
    let checkpointer = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts.clone())
        .await
        .map_err(map_err)?;
    let (submit_tx, rx) = mpsc::channel(8192);
    let rendered: std::sync::Arc<Rendered> = Default::default();
    tokio::spawn(writer::run(write.clone(), rendered.clone(), rx));
    tokio::spawn(writer::checkpoints(checkpointer, submit_tx.downgrade()));
    let backend = SqliteBackend {
        read,
        write,
        rendered,
        submit_tx,
    };
    Ok(SqlStore::new(std::sync::Arc::new(backend)))
}
