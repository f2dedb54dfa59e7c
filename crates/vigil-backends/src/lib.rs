//! Chooses and opens the storage backend named by a database URL's scheme,
//! and opens the application over it. The binary, the demo and the test kit
//! open Vigil through here; `vigil-core` itself knows only the storage traits.

#![forbid(unsafe_code)]

use std::path::Path;
use std::sync::Arc;

use vigil_core::{CoreError, Settings, Vigil};
use vigil_domain::audit::AuditKey;
use vigil_store::DynStore;

/// The embedded store's database file inside the data directory.
pub const SQLITE_DB_FILE: &str = vigil_store_sqlite::DB_FILE;

/// Opens the backend named by the URL's scheme: empty or `sqlite:` for the
/// embedded store in `data_dir`, `sqlite://PATH` for one in `PATH`,
/// `postgres://` or `postgresql://` for PostgreSQL. Its audit entries are
/// sealed with `audit_key` (the key file's: [`vigil_core::keys::Keys::audit_key`]).
pub async fn open_store(
    database_url: &str,
    data_dir: &Path,
    audit_key: AuditKey,
) -> Result<DynStore, CoreError> {
    let url = database_url.trim();
    if url.is_empty() || url == "sqlite:" {
        Ok(Arc::new(
            vigil_store_sqlite::open(data_dir, audit_key).await?,
        ))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            vigil_store_postgres::connect(url, audit_key).await?,
        ))
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Arc::new(
            vigil_store_sqlite::open(Path::new(path), audit_key).await?,
        ))
    } else {
        Err(CoreError::BadRequest(
            "database URL must start with postgres:// (or be empty for the embedded store)".into(),
        ))
    }
}

/// Loads the key file, opens the store named by the settings with its audit
/// key, and the application over it ([`Vigil::open_with_keys`]).
pub async fn open(settings: Settings) -> Result<Vigil, CoreError> {
    let keys = Vigil::load_keys(&settings)?;
    let store = open_store(
        &settings.storage.database_url,
        &settings.storage.data_dir,
        keys.audit_key(),
    )
    .await?;
    Vigil::open_with_keys(settings, store, keys).await
}

/// Takes an online backup of the store named by the URL into the new file
/// `dest` (0600) while Vigil may be serving, and answers the number of tips
/// in it. The embedded store is copied with SQLite's `VACUUM INTO` (restore:
/// the file as `vigil.db` in a data directory beside the key file);
/// PostgreSQL is dumped by the `pg_dump` program in its custom format
/// (restore: `pg_restore`).
pub async fn backup(
    database_url: &str,
    data_dir: &Path,
    dest: &Path,
    pg_dump: &Path,
) -> Result<u64, CoreError> {
    let url = database_url.trim();
    if url.is_empty() || url == "sqlite:" {
        Ok(vigil_store_sqlite::backup(data_dir, dest).await?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(vigil_store_postgres::backup(url, dest, pg_dump).await?)
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(vigil_store_sqlite::backup(Path::new(path), dest).await?)
    } else {
        Err(CoreError::BadRequest(
            "database URL must start with postgres:// (or be empty for the embedded store)".into(),
        ))
    }
}
