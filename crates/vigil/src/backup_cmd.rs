//! `vigil backup DEST`: an online backup of the store while Vigil serves.
//! The embedded store is copied with SQLite's `VACUUM INTO`, PostgreSQL
//! dumped by `pg_dump` in its custom format; the file is 0600. The key file
//! is not in it and must be kept apart (RELIABILITY.md, "Backup and restore").

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::context::{Global, settings};

/// Writes the backup and prints what it holds: one line, or one JSON object
/// with `--json` (`file`, `bytes`, `tips`, `seconds`).
pub async fn run(g: Global, dest: PathBuf, pg_dump: PathBuf, json: bool) -> anyhow::Result<()> {
    let s = settings(&g)?;
    if dest.exists() {
        bail!("{} exists; a backup never overwrites", dest.display());
    }
    let url = s.storage.database_url.trim();
    if url.is_empty() || url == "sqlite:" {
        let db = s.storage.data_dir.join(vigil_backends::SQLITE_DB_FILE);
        if !db.is_file() {
            bail!("no database at {}", db.display());
        }
    }
    let started = Instant::now();
    let tips = vigil_backends::backup(url, &s.storage.data_dir, &dest, &pg_dump)
        .await
        .with_context(|| format!("backup into {} failed", dest.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&dest)
        .with_context(|| format!("cannot read {}", dest.display()))?
        .len();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "file": dest.display().to_string(),
                "bytes": bytes,
                "tips": tips,
                "seconds": seconds,
            })
        );
    } else {
        println!(
            "backup written: {} ({bytes} bytes, {tips} tips, {seconds:.2} s)",
            dest.display()
        );
    }
    eprintln!(
        "the key file ({}) is not in the backup: a restore needs it; keep a copy apart",
        s.storage.key_path().display()
    );
    Ok(())
}
