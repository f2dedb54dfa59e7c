//! The shared conformance suite against PostgreSQL, plus what only a shared
//! database can get wrong: several nodes writing at once.
//!
//! Needs a server: `eval "$(.ci/postgres.sh | tail -1)"` sets
//! `VIGIL_TEST_POSTGRES_URL` (an admin URL; each check gets its own database,
//! dropped afterwards). Without it the tests skip, unless `CI` is set, where
//! they fail so that CI can never silently skip PostgreSQL.

// Test support: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use vigil_store::prelude::*;

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use time::{Duration, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, EventSeq, TipId, TipStatus};
use vigil_store::conformance::sample_submission;
use vigil_store::{Author, ClientRef, DynStore, NewMessage, Store, SubmitOutcome};

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The admin URL, or `None` (after saying so) when these tests should skip.
fn admin_url() -> Option<String> {
    match std::env::var("VIGIL_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "CI is set but VIGIL_TEST_POSTGRES_URL is not: start PostgreSQL with \
             `eval \"$(.ci/postgres.sh | tail -1)\"` (CI must not skip the PostgreSQL backend)"
        ),
        _ => {
            // Written to the real stderr, past the test harness's capture, so
            // the skip is seen even when the tests pass.
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED: the PostgreSQL tests need VIGIL_TEST_POSTGRES_URL \
                     (run `eval \"$(.ci/postgres.sh | tail -1)\"` first)"
                );
            });
            None
        }
    }
}

/// `url` with its database replaced by `db` (query parameters kept).
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// A fresh, empty database for one test, dropped by [`TestDb::drop_now`].
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    async fn create(admin: &str) -> TestDb {
        let name = format!(
            "vigil_test_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::connect(admin)
            .await
            .expect("connect as admin");
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await
        .expect("drop leftover database");
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create database");
        conn.close().await.expect("close admin connection");
        TestDb {
            admin: admin.to_string(),
            url: with_database(admin, &name),
            name,
        }
    }

    async fn drop_now(self) {
        let mut conn = PgConnection::connect(&self.admin)
            .await
            .expect("connect as admin");
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut conn)
        .await
        .expect("drop database");
        conn.close().await.expect("close admin connection");
    }
}

/// Runs `test` against a fresh database and drops the database afterwards,
/// even when the test panics (the panic is then re-raised).
async fn in_fresh_db<F, Fut>(admin: &str, label: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::create(admin).await;
    eprintln!("postgres: {label} in {}", db.name);
    let outcome = tokio::spawn(test(db.url.clone())).await;
    db.drop_now().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("{label}: {e}"),
        }
    }
}

#[test]
fn database_urls_are_rewritten() {
    assert_eq!(
        with_database("postgres://vigil:vigil@127.0.0.1:5433/postgres", "x"),
        "postgres://vigil:vigil@127.0.0.1:5433/x"
    );
    assert_eq!(
        with_database("postgres://h:1/postgres?sslmode=disable", "x"),
        "postgres://h:1/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_passes_the_conformance_suite() {
    let Some(admin) = admin_url() else { return };
    for (name, check) in vigil_store::conformance::checks() {
        in_fresh_db(&admin, name, move |url| async move {
            let store = vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                .await
                .expect("connect");
            let dynstore: DynStore = Arc::new(store.clone());
            check(dynstore).await;
            store.close().await;
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_keeps_everything_and_migrations_run_once() {
    let Some(admin) = admin_url() else { return };
    in_fresh_db(&admin, "reconnect", |url| async move {
        // Two nodes starting at once both migrate safely.
        let (a, b) = tokio::join!(
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key()),
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
        );
        let (a, b) = (a.expect("node a"), b.expect("node b"));
        assert_eq!(a.backend(), "postgres");
        a.submit_tip(sample_submission(1)).await.expect("submit");
        a.close().await;
        b.close().await;
        let again = vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
            .await
            .expect("reconnect");
        assert_eq!(again.count_tips().await.expect("count"), 1);
        again.close().await;
    })
    .await;
}

fn entry(n: u32) -> NewAuditEntry {
    NewAuditEntry {
        actor: "cli".into(),
        action: AuditAction::TipRead,
        object: format!("n:{n}"),
        detail: String::new(),
    }
}

/// Two nodes (two pools) write tips, messages, status changes and bare audit
/// entries at once, while a third reader tails the outbox: the audit chain
/// stays whole and the tail sees every event exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_keep_one_whole_audit_chain() {
    let Some(admin) = admin_url() else { return };
    in_fresh_db(&admin, "two nodes", |url| async move {
        let a = Arc::new(
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                .await
                .expect("node a"),
        );
        let b = Arc::new(
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                .await
                .expect("node b"),
        );
        let tailer = vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
            .await
            .expect("tailer");
        let first = a
            .submit_tip(sample_submission(10_000))
            .await
            .expect("first");
        let SubmitOutcome::Created { tip_id: first } = first else {
            panic!("expected Created, got {first:?}")
        };
        let done = Arc::new(tokio::sync::Notify::new());
        let tail = {
            let done = done.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut after = EventSeq(0);
                let mut finished = false;
                loop {
                    let batch = tailer.events_after(after, 50).await.expect("tail");
                    if let Some(last) = batch.last() {
                        after = last.seq;
                    }
                    let empty = batch.is_empty();
                    seen.extend(batch.into_iter().map(|e| e.seq));
                    if empty && finished {
                        break;
                    }
                    if empty {
                        tokio::select! {
                            () = done.notified() => finished = true,
                            () = tokio::time::sleep(std::time::Duration::from_millis(5)) => {}
                        }
                    }
                }
                tailer.close().await;
                seen
            })
        };
        const PER_NODE: u32 = 40;
        let mut work = Vec::new();
        for (node, store) in [(0u32, a.clone()), (1, b.clone())] {
            for n in 0..PER_NODE {
                let s = store.clone();
                work.push(tokio::spawn(async move {
                    let k = node * 1000 + n;
                    match n % 4 {
                        0 | 1 => {
                            let r = s.submit_tip(sample_submission(k)).await.expect("submit");
                            assert!(matches!(r, SubmitOutcome::Created { .. }), "{r:?}");
                        }
                        2 => {
                            s.add_message(NewMessage {
                                tip_id: first,
                                author: Author::Reporter,
                                body_enc: vec![1, 2, 3],
                                attachments: vec![],
                                audit: entry(k),
                            })
                            .await
                            .expect("message");
                        }
                        _ => {
                            if k % 8 == 3 {
                                s.set_status(first, TipStatus::InReview, entry(k))
                                    .await
                                    .expect("status");
                            } else {
                                s.append_audit(entry(k)).await.expect("audit");
                            }
                        }
                    }
                }));
            }
        }
        for w in work {
            w.await.expect("writer");
        }
        done.notify_one();
        let seen = tail.await.expect("tailer");

        let entries = a.audit_after(0, -1).await.expect("audit");
        assert_eq!(entries.len(), 1 + 2 * PER_NODE as usize);
        vigil_store::conformance::assert_keyed_chain(&entries);
        let events = b.events_after(EventSeq(0), -1).await.expect("events");
        let bare_audits = (0..2u32)
            .flat_map(|node| (0..PER_NODE).map(move |n| node * 1000 + n))
            .filter(|k| k % 4 == 3 && k % 8 != 3)
            .count();
        assert_eq!(events.len(), entries.len() - bare_audits);
        assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
        // The tail saw every event, each once, in order.
        assert_eq!(seen, events.iter().map(|e| e.seq).collect::<Vec<_>>());
        a.close().await;
        b.close().await;
    })
    .await;
}

/// Two nodes racing to store the same import reference, idempotency key or
/// receipt: one wins, every other gets the right answer (never an error), and
/// the losers store nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_duplicates_get_the_right_outcome() {
    let Some(admin) = admin_url() else { return };
    in_fresh_db(&admin, "racing duplicates", |url| async move {
        let a = Arc::new(
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                .await
                .expect("node a"),
        );
        let b = Arc::new(
            vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                .await
                .expect("node b"),
        );
        const RACERS: u32 = 12;
        let expires_at = OffsetDateTime::now_utc() + Duration::hours(1);

        // Same import reference, different receipts.
        let outcomes = race(&a, &b, RACERS, |n| {
            let mut s = sample_submission(n);
            s.tip.external_ref = Some("HL-RACE".into());
            s
        })
        .await;
        let winner = single_winner(&outcomes);
        assert!(
            outcomes
                .iter()
                .all(|o| *o == SubmitOutcome::Created { tip_id: winner }
                    || *o == SubmitOutcome::DuplicateRef { tip_id: winner }),
            "{outcomes:?}"
        );

        // Same idempotency key, different receipts.
        let outcomes = race(&a, &b, RACERS, |n| {
            let mut s = sample_submission(100 + n);
            s.client_ref = Some(ClientRef {
                key_hash: b"race-key".to_vec(),
                receipt_enc: format!("receipt {n}").into_bytes(),
                expires_at,
            });
            s
        })
        .await;
        let winner = single_winner(&outcomes);
        assert!(
            outcomes.iter().all(|o| match o {
                SubmitOutcome::Created { tip_id } => *tip_id == winner,
                SubmitOutcome::DuplicateClientRef(hit) =>
                    hit.tip_id == winner && hit.receipt_enc.is_some(),
                _ => false,
            }),
            "{outcomes:?}"
        );

        // Same receipt lookup hash.
        let outcomes = race(&a, &b, RACERS, |n| {
            let mut s = sample_submission(200 + n);
            s.receipt = sample_submission(200).receipt;
            s
        })
        .await;
        single_winner(&outcomes);
        assert!(
            outcomes.iter().all(|o| matches!(
                o,
                SubmitOutcome::Created { .. } | SubmitOutcome::ReceiptTaken
            )),
            "{outcomes:?}"
        );

        // Three winners, nothing else: no stray tips, attachments or events.
        assert_eq!(a.count_tips().await.expect("count"), 3);
        let events = a.events_after(EventSeq(0), -1).await.expect("events");
        assert_eq!(events.len(), 3);
        let tips: BTreeSet<TipId> = events.iter().map(|e| e.tip_id).collect();
        for t in &tips {
            assert_eq!(a.attachments(*t).await.expect("atts").len(), 1);
        }
        let audit = a.audit_after(0, -1).await.expect("audit");
        assert_eq!(audit.len(), 3);
        a.close().await;
        b.close().await;
    })
    .await;
}

/// Submits `n` submissions at once, alternating between the two nodes.
async fn race(
    a: &Arc<vigil_store_sql::SqlStore>,
    b: &Arc<vigil_store_sql::SqlStore>,
    n: u32,
    make: impl Fn(u32) -> vigil_store::TipSubmission,
) -> Vec<SubmitOutcome> {
    let futs = (0..n).map(|i| {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        let sub = make(i);
        async move { s.submit_tip(sub).await.expect("a race is never an error") }
    });
    futures::future::join_all(futs).await
}

/// The one `Created` among `outcomes`.
fn single_winner(outcomes: &[SubmitOutcome]) -> TipId {
    let created: Vec<TipId> = outcomes
        .iter()
        .filter_map(|o| match o {
            SubmitOutcome::Created { tip_id } => Some(*tip_id),
            _ => None,
        })
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    created[0]
}

/// Three nodes (three pools), two pipeline workers each, drain the outbox at
/// once, each worker claiming, extracting and completing, while one more
/// worker claims a batch and crashes: every event is done by exactly one
/// worker (the crashed worker's after its claims expire), the cursor reaches
/// the end and every count is right.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_share_the_outbox_and_crashed_claims_expire() {
    let Some(admin) = admin_url() else { return };
    in_fresh_db(&admin, "shared outbox", |url| async move {
        let mut nodes = Vec::new();
        for _ in 0..3 {
            nodes.push(Arc::new(
                vigil_store_postgres::connect(&url, vigil_store::conformance::audit_key())
                    .await
                    .expect("node"),
            ));
        }
        let mut tips = Vec::new();
        for n in 0..60u32 {
            let node = &nodes[n as usize % nodes.len()];
            match node.submit_tip(sample_submission(20_000 + n)).await {
                Ok(SubmitOutcome::Created { tip_id }) => tips.push(tip_id),
                other => panic!("expected Created, got {other:?}"),
            }
        }
        let all: Vec<EventSeq> = nodes[0]
            .events_after(EventSeq(0), -1)
            .await
            .expect("events")
            .iter()
            .map(|e| e.seq)
            .collect();
        let crashed = nodes[0]
            .claim_events(
                "pipeline",
                "crashed",
                5,
                std::time::Duration::from_millis(300),
            )
            .await
            .expect("crashed claims");
        assert_eq!(crashed.len(), 5);
        let phone = |t: TipId| format!("+8551300{}", t.0);
        let mut workers = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            for j in 0..2 {
                let store = node.clone();
                let name = format!("node{i}-worker{j}");
                workers.push(tokio::spawn(async move {
                    let mut done = Vec::new();
                    let mut idle = 0;
                    while idle < 10 {
                        let events = store
                            .claim_events("pipeline", &name, 4, std::time::Duration::from_secs(60))
                            .await
                            .expect("claim");
                        if events.is_empty() {
                            idle += 1;
                            tokio::time::sleep(std::time::Duration::from_millis(60)).await;
                            continue;
                        }
                        idle = 0;
                        let tips: Vec<vigil_store::TipObservables> = events
                            .iter()
                            .map(|e| vigil_store::TipObservables {
                                tip_id: e.tip_id,
                                values: vec![("phone".into(), phone(e.tip_id))],
                            })
                            .collect();
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        let seqs: Vec<EventSeq> = events.iter().map(|e| e.seq).collect();
                        store
                            .complete_events("pipeline", &name, &seqs, &tips)
                            .await
                            .expect("complete");
                        done.extend(seqs);
                    }
                    done
                }));
            }
        }
        let mut seen = Vec::new();
        for w in workers {
            seen.extend(w.await.expect("worker"));
        }
        seen.sort();
        let distinct: BTreeSet<EventSeq> = seen.iter().copied().collect();
        assert_eq!(distinct.len(), seen.len(), "an event was done twice");
        assert_eq!(seen, all, "every event done");
        assert!(
            crashed.iter().all(|e| seen.contains(&e.seq)),
            "the crashed worker's events were done by others"
        );
        assert_eq!(
            nodes[1].cursor("pipeline").await.expect("cursor"),
            *all.last().expect("events")
        );
        for t in &tips {
            let o = nodes[2]
                .observable("phone", &phone(*t))
                .await
                .expect("observable")
                .expect("recorded");
            assert_eq!(o.tips, 1, "{t:?} counted once");
        }
        for node in nodes {
            node.close().await;
        }
    })
    .await;
}
