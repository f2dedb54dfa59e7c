//! The data directory and what Vigil writes in it are private to the account
//! that runs it (directories 0700, files 0600): the search index holds tip
//! text in the clear and the key files open everything sealed.

use std::path::Path;

use crate::error::CoreError;

fn unavailable(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Unavailable(format!("{}: {e}", path.display()))
}

/// Creates `dir` (0700) if it is missing; makes an existing one 0700,
/// warning in the log with what was changed.
pub(crate) fn dir(dir: &Path) -> Result<(), CoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| unavailable(dir, e))?;
        }
        restrict(dir, 0o700)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(|e| unavailable(dir, e))
}

/// Makes `path` 0600 if it exists, warning with what was changed.
pub(crate) fn file(path: &Path) -> Result<(), CoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => restrict(path, 0o600),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(unavailable(path, e)),
    }
}

/// Makes `dir` and the directories below it 0700 and every file in them 0600.
pub(crate) fn tree(dir: &Path) -> Result<(), CoreError> {
    self::dir(dir)?;
    for entry in std::fs::read_dir(dir).map_err(|e| unavailable(dir, e))? {
        let entry = entry.map_err(|e| unavailable(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| unavailable(&path, e))?;
        if kind.is_dir() {
            tree(&path)?;
        } else if kind.is_file() {
            file(&path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<(), CoreError> {
    use std::os::unix::fs::PermissionsExt;
    let now = std::fs::metadata(path)
        .map_err(|e| unavailable(path, e))?
        .permissions()
        .mode()
        & 0o7777;
    if now != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| unavailable(path, e))?;
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
fn restrict(_path: &Path, _mode: u32) -> Result<(), CoreError> {
    Ok(())
}
