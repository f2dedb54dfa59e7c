//! Opening the database: the connection pools, migrations, the writer and
//! the checkpointer.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::mpsc;
use vigil_domain::audit::AuditKey;
use vigil_store::StoreError;

use crate::rows::map_err;
use vigil_store_sql::SqlStore;

use crate::backend::SqliteBackend;
use crate::dialect::Rendered;
use crate::writer;
use vigil_store::private;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "vigil.db";

/// Opens (creating and migrating if needed) `vigil.db` inside `data_dir`;
/// the audit entries it appends are sealed with `audit_key`.
pub async fn open(data_dir: &Path, audit_key: AuditKey) -> Result<SqlStore, StoreError> {
    let unavailable =
        |p: &Path, e: std::io::Error| StoreError::Unavailable(format!("{}: {e}", p.display()));
    private::dir(data_dir).map_err(|e| unavailable(data_dir, e))?;
    let path = data_dir.join(DB_FILE);
    // The database is made 0600 before SQLite opens it: SQLite gives its WAL
    // and shared-memory files the database's mode. Files an older version
    // left readable are made private here.
    private::file(&path).map_err(|e| unavailable(&path, e))?;
    let companions = [wal_path(&path), shm_path(&path)];
    for p in &companions {
        private::existing(p).map_err(|e| unavailable(p, e))?;
    }
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
    for p in &companions {
        private::existing(p).map_err(|e| unavailable(p, e))?;
    }
    let (submit_tx, rx) = mpsc::channel(8192);
    let rendered: std::sync::Arc<Rendered> = Default::default();
    let audit_key = std::sync::Arc::new(audit_key);
    tokio::spawn(writer::run(
        write.clone(),
        rendered.clone(),
        audit_key.clone(),
        rx,
    ));
    tokio::spawn(writer::checkpoints(checkpointer, submit_tx.downgrade()));
    let backend = SqliteBackend {
        read,
        write,
        rendered,
        submit_tx,
        audit_key,
        data_dir: data_dir.to_path_buf(),
    };
    Ok(SqlStore::new(std::sync::Arc::new(backend)))
}

fn wal_path(db: &Path) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-wal");
    p.into()
}

fn shm_path(db: &Path) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-shm");
    p.into()
}
