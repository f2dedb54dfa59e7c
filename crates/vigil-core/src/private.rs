//! The data directory and what Vigil writes in it are private to the account
//! that runs it ([`vigil_store::private`]), with a failure as the core's error.

use std::path::Path;

use vigil_store::private;

use crate::error::CoreError;

fn unavailable(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |e| CoreError::Unavailable(format!("{}: {e}", path.display()))
}

/// Creates `dir` (0700) if it is missing; makes an existing one 0700.
pub(crate) fn dir(dir: &Path) -> Result<(), CoreError> {
    private::dir(dir).map_err(unavailable(dir))
}

/// Makes `path` 0600 if it exists.
pub(crate) fn file(path: &Path) -> Result<(), CoreError> {
    private::existing(path).map_err(unavailable(path))
}

/// Makes `dir` and everything below it private.
pub(crate) fn tree(dir: &Path) -> Result<(), CoreError> {
    private::tree(dir).map_err(unavailable(dir))
}
