//! The shared conformance suite against SQLite.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;

use vigil_store::DynStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_passes_the_conformance_suite() {
    for (name, check) in vigil_store::conformance::checks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: DynStore = Arc::new(
            vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
                .await
                .expect("open"),
        );
        eprintln!("sqlite: {name}");
        check(store).await;
    }
}

#[tokio::test]
async fn reopening_keeps_everything_and_migrations_run_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
            .await
            .expect("open");
        let s: DynStore = Arc::new(store);
        s.submit_tip(vigil_store::conformance::sample_submission(1))
            .await
            .expect("submit");
    }
    let store: DynStore = Arc::new(
        vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
            .await
            .expect("reopen"),
    );
    assert_eq!(store.count_tips().await.expect("count"), 1);
}
