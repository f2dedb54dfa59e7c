//! The data directory and what Vigil keeps in it are private to the account
//! that runs it (directories 0700, files 0600): the database and the search
//! index hold tip text in the clear, the key files open everything sealed.
//! One set of helpers for the backends and the core.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// Creates `dir` (0700) if it is missing; makes an existing one 0700,
/// warning in the log with what was changed.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        restrict(dir, 0o700)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Creates `path` empty (0600) if it is missing, so that SQLite, which gives
/// the WAL and shared-memory files the database's mode, never makes a
/// readable one; makes an existing file 0600, warning with what was changed.
pub fn file(path: &Path) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    drop(opts.open(path)?);
    existing(path)
}

/// Makes `path` 0600 if it exists, warning with what was changed.
pub fn existing(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => restrict(path, 0o600),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes `dir` and the directories below it 0700 and every file in them 0600.
pub fn tree(dir: &Path) -> std::io::Result<()> {
    self::dir(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            tree(&entry.path())?;
        } else if kind.is_file() {
            existing(&entry.path())?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let now = std::fs::metadata(path)?.permissions().mode() & 0o7777;
    if now != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        tracing::warn!(
            path = %path.display(),
            was = format!("{now:o}"),
            now = format!("{mode:o}"),
            "made private: others could read it"
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Where a backup to `dest` is written until it is whole: `dest` with
/// `.partial` appended.
pub fn partial_path(dest: &Path) -> PathBuf {
    let mut p = dest.as_os_str().to_owned();
    p.push(".partial");
    p.into()
}

/// Ends a backup written to `partial`: when `written` succeeded, renames it
/// to `dest` and syncs the directory so the rename survives a crash; when it
/// failed, removes the partial file. Either way `written`'s value or error.
pub fn finish_backup<T>(
    partial: &Path,
    dest: &Path,
    written: Result<T, StoreError>,
) -> Result<T, StoreError> {
    match written {
        Ok(v) => {
            std::fs::rename(partial, dest).map_err(|e| unavailable(dest, e))?;
            let parent = match dest.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            std::fs::File::open(parent)
                .and_then(|d| d.sync_all())
                .map_err(|e| unavailable(parent, e))?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(partial);
            Err(e)
        }
    }
}

/// A file-system error on `path` as the store's "unavailable".
pub fn unavailable(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("{}: {e}", path.display()))
}
