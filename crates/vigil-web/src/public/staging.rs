//! Photos attached to the report form before a narrowing step (a submit
//! that shows the form again when JavaScript is off), kept for the final
//! submit so the reporter need not attach them again.
//!
//! Every photo is stripped of its metadata (`vigil-media`) before anything
//! is written; the GPS position is read first only when the reporter asked
//! for it. The stripped photos are sealed with the data key and written under
//! `{data_dir}/staging/`, named by a random token the form carries in a
//! hidden field. A staged file is removed once its tip is stored, when the
//! reporter removes it, and an hour after it was written (swept whenever
//! photos are staged).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine;
use serde::{Deserialize, Serialize};
use vigil_core::CoreError;
use vigil_core::intake::Upload;

use crate::error::Problem;
use crate::state::AppState;

/// How long a staged photo is kept.
pub const MAX_AGE: Duration = Duration::from_secs(3600);

/// The sealing purpose of staged photos.
const PURPOSE: &str = "staged-photo";

/// Photos kept between two submits of the form, already stripped.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Staged {
    /// (type, stripped bytes in base64) of each photo.
    photos: Vec<(String, String)>,
    /// The first photo's GPS position, read when the reporter asked.
    gps: Option<(f64, f64)>,
}

impl Staged {
    /// How many photos are kept.
    pub fn count(&self) -> usize {
        self.photos.len()
    }

    /// The first photo's position, if it was read.
    pub fn gps(&self) -> Option<(f64, f64)> {
        self.gps
    }

    /// The photos as uploads for the final submit (stripping them again
    /// changes nothing).
    pub fn uploads(&self) -> Vec<Upload> {
        self.photos
            .iter()
            .filter_map(|(mime, b64)| {
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
                Some(Upload {
                    bytes,
                    declared_mime: Some(mime.clone()),
                })
            })
            .collect()
    }
}

fn dir(state: &AppState) -> PathBuf {
    state.vigil.settings.storage.data_dir.join("staging")
}

/// Whether `token` is one this module makes (so it names a file in the
/// staging directory and nothing else).
pub fn valid(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn new_token() -> Result<String, Problem> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw)
        .map_err(|e| Problem::from_core(CoreError::Internal(e.to_string())))?;
    Ok(raw.iter().map(|b| format!("{b:02x}")).collect())
}

fn internal(e: impl ToString) -> Problem {
    Problem::from_core(CoreError::Internal(e.to_string()))
}

/// The photos staged under `token`, if still there.
pub async fn load(state: &AppState, token: &str) -> Option<Staged> {
    if !valid(token) {
        return None;
    }
    let path = dir(state).join(token);
    let fresh = tokio::fs::metadata(&path)
        .await
        .ok()?
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age <= MAX_AGE);
    if !fresh {
        let _ = tokio::fs::remove_file(&path).await;
        return None;
    }
    let sealed = tokio::fs::read(&path).await.ok()?;
    let plain = state.vigil.keys.open(PURPOSE, &sealed).ok()?;
    serde_json::from_slice(&plain).ok()
}

/// Removes the photos staged under `token`.
pub async fn remove(state: &AppState, token: &str) {
    if valid(token) {
        let _ = tokio::fs::remove_file(dir(state).join(token)).await;
    }
}

/// Strips `uploads`, adds them to `kept` and stages the lot under a new
/// token (the old one, `old`, is removed). Returns the token and the photos.
pub async fn stage(
    state: &AppState,
    old: &str,
    kept: Option<Staged>,
    uploads: Vec<Upload>,
    read_gps: bool,
) -> Result<(String, Staged), Problem> {
    let limits = &state.vigil.settings.intake;
    let mut staged = kept.unwrap_or_default();
    if staged.count() + uploads.len() > limits.max_photos {
        return Err(Problem::from_core(CoreError::TooLarge(limits.max_photos)));
    }
    let max = limits.max_photo_bytes;
    let first_gps = read_gps && staged.count() == 0;
    let cleaned = tokio::task::spawn_blocking(move || {
        uploads
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vigil_media::sanitize_with_limit(
                    &p.bytes,
                    p.declared_mime.as_deref(),
                    first_gps && i == 0,
                    max,
                )
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(internal)?
    .map_err(|e| Problem::from_core(CoreError::Photo(e)))?;
    for img in cleaned {
        if staged.gps.is_none() {
            staged.gps = img.gps;
        }
        staged.photos.push((
            img.mime.to_string(),
            base64::engine::general_purpose::STANDARD.encode(&img.bytes),
        ));
    }
    let token = new_token()?;
    let plain = serde_json::to_vec(&staged).map_err(internal)?;
    let sealed = state
        .vigil
        .keys
        .seal(PURPOSE, &plain)
        .map_err(Problem::from_core)?;
    let d = dir(state);
    let name = token.clone();
    tokio::task::spawn_blocking(move || {
        write_private(&d, &name, &sealed)?;
        sweep(&d, SystemTime::now());
        Ok::<_, std::io::Error>(())
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    remove(state, old).await;
    Ok((token, staged))
}

/// Writes a new file `name` (0600) in `dir` (0700, made if missing), as
/// everything in the data directory.
fn write_private(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut dirs = std::fs::DirBuilder::new();
    dirs.recursive(true);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        dirs.mode(0o700);
        opts.mode(0o600);
    }
    dirs.create(dir)?;
    opts.open(dir.join(name))?.write_all(bytes)
}

/// Removes every staged file older than [`MAX_AGE`] at `now`; returns how
/// many were removed.
pub fn sweep(dir: &Path, now: SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > MAX_AGE);
        let ours = e.file_name().to_str().is_some_and(valid);
        if old && ours && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tokens_name_nothing_but_a_staged_file() {
        assert!(valid(&"a1".repeat(16)));
        assert!(!valid("../../etc/passwd"));
        assert!(!valid(&"A1".repeat(16)));
        assert!(!valid(""));
    }

    #[test]
    fn staged_files_expire_after_an_hour() {
        let d = tempfile::tempdir().expect("dir");
        let token = "0f".repeat(16);
        std::fs::write(d.path().join(&token), b"sealed").expect("write");
        std::fs::write(d.path().join("other"), b"not ours").expect("write");
        assert_eq!(sweep(d.path(), SystemTime::now()), 0, "fresh: kept");
        assert!(d.path().join(&token).exists());
        let later = SystemTime::now() + MAX_AGE + Duration::from_secs(60);
        assert_eq!(sweep(d.path(), later), 1, "an hour later: removed");
        assert!(!d.path().join(&token).exists());
        assert!(
            d.path().join("other").exists(),
            "only staged files are swept"
        );
    }
}
