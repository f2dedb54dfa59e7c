//! A full disk refuses writes while it lasts and nothing longer: once space is
//! back, the next tip is stored and acknowledged and the pipeline goes on. The
//! disk is made "full" with `PRAGMA max_page_count` on the one writer
//! connection, which SQLite answers with `SQLITE_FULL` exactly as it answers a
//! full file system.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use vigil_domain::EventSeq;
use vigil_store::conformance::sample_submission;
use vigil_store::{DynStore, StoreError, SubmitOutcome};
use vigil_store_sql::{SqlStore, sql};

/// Runs one statement on the writer connection (the write pool holds one).
async fn on_writer(store: &SqlStore, statement: &'static str) -> Result<(), StoreError> {
    let mut tx = store.db().begin().await?;
    tx.fetch_all(sql(statement)).await?;
    tx.commit().await
}

async fn count(store: &SqlStore, table: &'static str) -> i64 {
    let q = match table {
        "tips" => "SELECT COUNT(*) AS n FROM tips",
        "receipts" => "SELECT COUNT(*) AS n FROM receipts",
        "events" => "SELECT COUNT(*) AS n FROM events",
        "attachments" => "SELECT COUNT(*) AS n FROM attachments",
        other => panic!("no count for {other}"),
    };
    let row = store.db().fetch_one(sql(q)).await.expect("count");
    row.get::<i64>("n").expect("n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_tips_and_intake_recovers_once_space_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sql_store = Arc::new(
        vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
            .await
            .expect("open"),
    );
    let store: DynStore = sql_store.clone();
    // The database may not grow by a single page from now on.
    on_writer(&sql_store, "PRAGMA max_page_count = 1")
        .await
        .expect("limit");

    let mut stored = 0i64;
    let mut refused = 0;
    for n in 1..=2_000 {
        match store.submit_tip(sample_submission(n)).await {
            Ok(SubmitOutcome::Created { .. }) => stored += 1,
            Ok(other) => panic!("unexpected {other:?}"),
            Err(StoreError::Unavailable(_)) => {
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
            Err(e) => panic!("a full disk is Unavailable, not {e:?}"),
        }
    }
    assert_eq!(refused, 3, "the full disk refused tips");
    // Nothing refused is half-stored: every table holds exactly the
    // acknowledged tips.
    assert_eq!(count(&sql_store, "tips").await, stored);
    assert_eq!(count(&sql_store, "receipts").await, stored);
    assert_eq!(count(&sql_store, "events").await, stored);
    assert_eq!(count(&sql_store, "attachments").await, stored);

    // Space is back.
    on_writer(&sql_store, "PRAGMA max_page_count = 1073741823")
        .await
        .expect("the writer connection is usable again");
    for n in 5_001..=5_003 {
        match store.submit_tip(sample_submission(n)).await {
            Ok(SubmitOutcome::Created { .. }) => stored += 1,
            other => panic!("the tip after the full disk was not stored: {other:?}"),
        }
    }
    assert_eq!(count(&sql_store, "tips").await, stored);
    assert_eq!(count(&sql_store, "events").await, stored);

    // The pipeline goes on: it claims every acknowledged tip's event and
    // completes them.
    let claimed = store
        .claim_events("extract", "w", 10_000, Duration::from_secs(60))
        .await
        .expect("claim after the full disk");
    assert_eq!(claimed.len() as i64, stored);
    let seqs: Vec<EventSeq> = claimed.iter().map(|e| e.seq).collect();
    store
        .complete_events("extract", "w", &seqs, &[])
        .await
        .expect("complete after the full disk");
    assert_eq!(
        store.cursor("extract").await.expect("cursor"),
        *seqs.last().expect("events")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_during_a_group_commit_does_not_wedge_the_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sql_store = Arc::new(
        vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
            .await
            .expect("open"),
    );
    let store: DynStore = sql_store.clone();
    on_writer(&sql_store, "PRAGMA max_page_count = 1")
        .await
        .expect("limit");
    // Many at once, so the writer takes the batch path.
    let mut handles = Vec::new();
    for n in 1..=200 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.submit_tip(sample_submission(n)).await
        }));
    }
    let mut stored = 0i64;
    for h in handles {
        match h.await.expect("join") {
            Ok(SubmitOutcome::Created { .. }) => stored += 1,
            Ok(other) => panic!("unexpected {other:?}"),
            Err(StoreError::Unavailable(_)) => {}
            Err(e) => panic!("a full disk is Unavailable, not {e:?}"),
        }
    }
    assert!(stored < 200, "the full disk refused some tips");
    assert_eq!(count(&sql_store, "tips").await, stored);
    assert_eq!(count(&sql_store, "receipts").await, stored);
    assert_eq!(count(&sql_store, "events").await, stored);

    on_writer(&sql_store, "PRAGMA max_page_count = 1073741823")
        .await
        .expect("the writer connection is usable again");
    let mut handles = Vec::new();
    for n in 1_001..=1_100 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.submit_tip(sample_submission(n)).await
        }));
    }
    for h in handles {
        match h.await.expect("join") {
            Ok(SubmitOutcome::Created { .. }) => stored += 1,
            other => panic!("a tip after the full disk was not stored: {other:?}"),
        }
    }
    assert_eq!(count(&sql_store, "tips").await, stored);
}

/// What a COMMIT refused for a full disk leaves behind: SQLite has rolled
/// the transaction back by itself, so the COMMIT fails and so does the
/// rollback that follows, while sqlx still counts the transaction open on the
/// pooled writer connection. Until that connection is healed, every later
/// write was refused ("begin_with at non-zero transaction depth"), even with
/// space back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_refused_by_a_full_disk_does_not_wedge_intake_or_the_pipeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sql_store = Arc::new(
        vigil_store_sqlite::open(dir.path(), vigil_store::conformance::audit_key())
            .await
            .expect("open"),
    );
    let store: DynStore = sql_store.clone();
    store
        .submit_tip(sample_submission(1))
        .await
        .expect("before");
    for _ in 0..3 {
        let mut tx = sql_store.db().begin().await.expect("begin");
        tx.execute(sql("ROLLBACK"))
            .await
            .expect("rolled back under sqlx");
        assert!(
            tx.commit().await.is_err(),
            "the COMMIT finds no transaction"
        );
    }
    store
        .probe_write()
        .await
        .expect("the write probe finds the store ready");
    for n in 2..=4 {
        match store.submit_tip(sample_submission(n)).await {
            Ok(SubmitOutcome::Created { .. }) => {}
            other => panic!("the tip after the failed commit was not stored: {other:?}"),
        }
    }
    assert_eq!(count(&sql_store, "tips").await, 4);
    let claimed = store
        .claim_events("extract", "w", 100, Duration::from_secs(60))
        .await
        .expect("claim after the failed commit");
    assert_eq!(claimed.len(), 4);
    let seqs: Vec<EventSeq> = claimed.iter().map(|e| e.seq).collect();
    store
        .complete_events("extract", "w", &seqs, &[])
        .await
        .expect("complete after the failed commit");
}
