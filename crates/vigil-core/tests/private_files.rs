//! The data directory, the database, the search index and the key files are
//! private from creation, and an existing readable directory is made private
//! when Vigil opens it.

#![cfg(unix)]
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use vigil_core::{Settings, Vigil};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

fn set(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
}

/// Every directory and file under `dir`, `dir` included.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

async fn open(dir: &Path) -> (Vigil, Settings) {
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.to_path_buf();
    let keys = Vigil::load_keys(&settings).expect("keys");
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    let v = Vigil::open_with_keys(settings.clone(), store, keys)
        .await
        .expect("open");
    vigil_core::signing::signing_key(&settings).expect("signing key");
    (v, settings)
}

fn assert_private(dir: &Path) {
    let all = walk(dir);
    for name in [
        "vigil.db",
        "vigil.db-wal",
        "vigil.key",
        "sync.key",
        "search",
    ] {
        assert!(dir.join(name).exists(), "{name} exists");
    }
    assert!(all.len() > 6, "the index has files: {all:?}");
    for p in all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&p), want, "{}", p.display());
    }
}

#[tokio::test]
async fn a_fresh_data_directory_is_private_with_everything_in_it() {
    let root = tempfile::tempdir().expect("dir");
    let dir = root.path().join("vigil-data");
    let _v = open(&dir).await;
    assert_private(&dir);
}

#[tokio::test]
async fn a_readable_data_directory_is_made_private_when_opened() {
    let root = tempfile::tempdir().expect("dir");
    let dir = root.path().join("vigil-data");
    drop(open(&dir).await);
    for p in walk(&dir) {
        set(&p, if p.is_dir() { 0o755 } else { 0o644 });
    }
    let _v = open(&dir).await;
    assert_private(&dir);
}
