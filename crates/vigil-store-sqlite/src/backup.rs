//! Online backup: a consistent copy of the database taken while Vigil serves
//! (`VACUUM INTO` reads one snapshot; the writer is never stopped), written
//! 0600 beside the destination and renamed into place only once whole,
//! checked and on disk.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use vigil_store::{StoreError, private};

use crate::open::DB_FILE;
use crate::rows::map_err;

/// Copies `data_dir/vigil.db` into the new file `dest` while other processes
/// may be writing to it, and answers the number of tips in the copy. The
/// copy is 0600, passes SQLite's `quick_check`, and is synced before it
/// takes its name; a failed backup leaves nothing at `dest`. The key file is
/// not part of the copy: the copy's sealed fields and receipt hashes need
/// it, so it is kept apart, as before.
pub async fn backup(data_dir: &Path, dest: &Path) -> Result<u64, StoreError> {
    let source = data_dir.join(DB_FILE);
    if !source.is_file() {
        return Err(StoreError::NotFound);
    }
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists; a backup never overwrites",
            dest.display()
        )));
    }
    let partial = private::partial_path(dest);
    let written = write_copy(&source, &partial).await;
    private::finish_backup(&partial, dest, written)
}

async fn write_copy(source: &Path, partial: &Path) -> Result<u64, StoreError> {
    // An empty file is the one existing destination `VACUUM INTO` accepts;
    // made here, it is 0600 from the start.
    let _ = std::fs::remove_file(partial);
    private::file(partial).map_err(|e| private::unavailable(partial, e))?;
    let mut conn = SqliteConnectOptions::from_str("sqlite:")
        .map_err(map_err)?
        .filename(source)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .map_err(map_err)?;
    let target = partial
        .to_str()
        .ok_or_else(|| StoreError::Other(format!("{}: not UTF-8", partial.display())))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .map_err(map_err)?;
    conn.close().await.map_err(map_err)?;
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| private::unavailable(partial, e))?;
    check_copy(partial).await
}

/// Opens the copy on its own and answers its tip count once SQLite finds it
/// sound.
async fn check_copy(copy: &Path) -> Result<u64, StoreError> {
    let mut conn = SqliteConnectOptions::from_str("sqlite:")
        .map_err(map_err)?
        .filename(copy)
        .read_only(true)
        .connect()
        .await
        .map_err(map_err)?;
    let (check,): (String,) = sqlx::query_as("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(map_err)?;
    if check != "ok" {
        return Err(StoreError::Other(format!("the copy is damaged: {check}")));
    }
    let (tips,): (i64,) = sqlx::query_as("SELECT count(*) FROM tips")
        .fetch_one(&mut conn)
        .await
        .map_err(map_err)?;
    conn.close().await.map_err(map_err)?;
    Ok(u64::try_from(tips).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn backup_is_private_whole_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let key = vigil_domain::audit::AuditKey::from_bytes([7; 32]);
        let store = crate::open(dir.path(), key).await.unwrap();
        let dest = dir.path().join("copy.db");
        let tips = backup(dir.path(), &dest).await.unwrap();
        assert_eq!(tips, 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(!private::partial_path(&dest).exists());
        assert!(matches!(
            backup(dir.path(), &dest).await,
            Err(StoreError::Conflict(_))
        ));
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            backup(empty.path(), &empty.path().join("x.db")).await,
            Err(StoreError::NotFound)
        ));
        drop(store);
    }
}
