//! The data directory and the database files are private from creation, and
//! an existing readable directory is made private when opened.

#![cfg(unix)]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

fn set(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    ["vigil.db", "vigil.db-wal", "vigil.db-shm"]
        .iter()
        .map(|f| dir.join(f))
        .collect()
}

#[tokio::test]
async fn a_fresh_data_directory_and_its_database_files_are_private() {
    let root = tempfile::tempdir().expect("dir");
    let dir = root.path().join("vigil-data");
    let _store = vigil_store_sqlite::open(&dir, vigil_store::conformance::audit_key())
        .await
        .expect("open");
    assert_eq!(mode(&dir), 0o700);
    for f in files(&dir) {
        assert!(f.exists(), "{} exists", f.display());
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

#[tokio::test]
async fn a_readable_data_directory_is_made_private_when_opened() {
    let root = tempfile::tempdir().expect("dir");
    let dir = root.path().join("vigil-data");
    {
        let _store = vigil_store_sqlite::open(&dir, vigil_store::conformance::audit_key())
            .await
            .expect("open");
    }
    set(&dir, 0o755);
    for f in files(&dir) {
        if f.exists() {
            set(&f, 0o644);
        }
    }
    let _store = vigil_store_sqlite::open(&dir, vigil_store::conformance::audit_key())
        .await
        .expect("reopen");
    assert_eq!(mode(&dir), 0o700);
    for f in files(&dir) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}
