//! Conformance checks for the pipeline's claims: claim a batch, extract
//! outside any transaction, complete it; and the leases.

use std::time::Duration;

use vigil_domain::{EventSeq, TipId};

use super::{created, sample_submission};
use crate::{DynStore, Event, TipObservables};

const MINUTE: Duration = Duration::from_secs(60);

/// What a worker extracts from the events it claimed: one phone per tip.
fn extracted(events: &[Event]) -> Vec<TipObservables> {
    events
        .iter()
        .map(|e| TipObservables {
            tip_id: e.tip_id,
            values: vec![("phone".into(), phone(e.tip_id))],
        })
        .collect()
}

fn phone(tip: TipId) -> String {
    format!("+855120000{}", tip.0)
}

fn seqs(events: &[Event]) -> Vec<EventSeq> {
    events.iter().map(|e| e.seq).collect()
}

/// Tips numbered `from..=to`, and every event after them.
async fn tips(store: &DynStore, from: u32, to: u32) -> (Vec<TipId>, Vec<EventSeq>) {
    let mut tips = Vec::new();
    for n in from..=to {
        tips.push(created(store, sample_submission(n)).await);
    }
    let all = store.events_after(EventSeq(0), -1).await.expect("events");
    (tips, seqs(&all))
}

async fn count(store: &DynStore, tip: TipId) -> Option<i64> {
    store
        .observable("phone", &phone(tip))
        .await
        .expect("observable")
        .map(|o| o.tips)
}

/// Two workers claim disjoint batches, oldest first; a worker may claim again
/// what it already holds, and nobody else may.
pub(super) async fn workers_claim_disjoint_batches(store: DynStore) {
    let (_, all) = tips(&store, 31, 38).await;
    let a = store.claim_events("w", "a", 3, MINUTE).await.expect("a");
    let b = store.claim_events("w", "b", 3, MINUTE).await.expect("b");
    assert_eq!(seqs(&a), all[..3], "a takes the oldest");
    assert_eq!(seqs(&b), all[3..6], "b skips what a holds");
    let c = store.claim_events("w", "c", 10, MINUTE).await.expect("c");
    assert_eq!(seqs(&c), all[6..], "c takes what is left");
    assert!(
        store
            .claim_events("w", "d", 10, MINUTE)
            .await
            .expect("d")
            .is_empty(),
        "everything is held"
    );
    let again = store.claim_events("w", "a", 10, MINUTE).await.expect("a");
    assert_eq!(seqs(&again), all[..3], "a renews its own claims");
    // Another consumer follows the same events on its own.
    let other = store
        .claim_events("other", "a", 10, MINUTE)
        .await
        .expect("x");
    assert_eq!(seqs(&other), all);
    assert_eq!(store.cursor("w").await.expect("cursor"), EventSeq(0));
}

/// A crashed worker's claims expire and another worker claims them; the
/// crashed worker completing late changes nothing more.
pub(super) async fn expired_claims_are_claimed_again(store: DynStore) {
    let (tips, all) = tips(&store, 41, 44).await;
    let short = Duration::from_millis(150);
    let crashed = store.claim_events("w", "a", 2, short).await.expect("a");
    assert_eq!(seqs(&crashed), all[..2]);
    let b = store.claim_events("w", "b", 10, MINUTE).await.expect("b");
    assert_eq!(seqs(&b), all[2..], "a's claims still hold");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let c = store.claim_events("w", "c", 10, MINUTE).await.expect("c");
    assert_eq!(seqs(&c), all[..2], "a's claims expired; b's hold");
    store
        .complete_events("w", "c", &seqs(&c), &extracted(&c))
        .await
        .expect("c completes");
    assert_eq!(store.cursor("w").await.expect("cursor"), all[1]);
    // The crashed worker comes back and completes what it claimed long ago.
    store
        .complete_events("w", "a", &seqs(&crashed), &extracted(&crashed))
        .await
        .expect("a completes late");
    assert_eq!(store.cursor("w").await.expect("cursor"), all[1]);
    store
        .complete_events("w", "b", &seqs(&b), &extracted(&b))
        .await
        .expect("b completes");
    assert_eq!(store.cursor("w").await.expect("cursor"), all[3]);
    for t in &tips {
        assert_eq!(count(&store, *t).await, Some(1), "tip {t:?} counted once");
    }
    assert!(
        store
            .claim_events("w", "d", 10, MINUTE)
            .await
            .expect("d")
            .is_empty()
    );
}

/// Completing moves the cursor up to the first event not done; completing
/// again, or nothing, changes nothing more; a failed extraction (never
/// completed) leaves the events to be claimed again.
pub(super) async fn complete_is_idempotent_and_moves_the_cursor(store: DynStore) {
    let (tips, all) = tips(&store, 51, 56).await;
    let first = store.claim_events("w", "a", 3, MINUTE).await.expect("a");
    let second = store.claim_events("w", "b", 3, MINUTE).await.expect("b");
    // The later batch first: nothing before it is done, the cursor stays.
    store
        .complete_events("w", "b", &seqs(&second), &extracted(&second))
        .await
        .expect("b");
    assert_eq!(store.cursor("w").await.expect("cursor"), EventSeq(0));
    assert_eq!(count(&store, tips[3]).await, Some(1));
    // Done events are not claimed again.
    let rest = store.claim_events("w", "c", 10, MINUTE).await.expect("c");
    assert!(rest.is_empty(), "a holds the rest, b's are done");
    store
        .complete_events("w", "a", &seqs(&first), &extracted(&first))
        .await
        .expect("a");
    assert_eq!(store.cursor("w").await.expect("cursor"), all[5]);
    for _ in 0..2 {
        store
            .complete_events("w", "a", &seqs(&first), &extracted(&first))
            .await
            .expect("again");
        store
            .complete_events("w", "b", &[], &[])
            .await
            .expect("nothing");
    }
    assert_eq!(store.cursor("w").await.expect("cursor"), all[5]);
    for t in &tips {
        assert_eq!(count(&store, *t).await, Some(1), "tip {t:?} counted once");
    }
    // A failed extraction completes nothing: its claims expire and the events
    // are claimed again (at once by the same worker).
    let more = created(&store, sample_submission(57)).await;
    let failed = store.claim_events("w", "a", 10, MINUTE).await.expect("a");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].tip_id, more);
    assert!(
        store
            .claim_events("w", "b", 10, MINUTE)
            .await
            .expect("b")
            .is_empty()
    );
    assert_eq!(store.cursor("w").await.expect("cursor"), all[5]);
    assert_eq!(count(&store, more).await, None);
    let retried = store.claim_events("w", "a", 10, MINUTE).await.expect("a");
    assert_eq!(seqs(&retried), seqs(&failed));
    store
        .complete_events("w", "a", &seqs(&retried), &extracted(&retried))
        .await
        .expect("a");
    assert_eq!(store.cursor("w").await.expect("cursor"), failed[0].seq);
    assert_eq!(count(&store, more).await, Some(1));
}

/// The sightings and the done marks commit together: a reader never sees
/// one without the other.
pub(super) async fn sightings_and_done_marks_commit_together(store: DynStore) {
    let (tips, all) = tips(&store, 61, 100).await;
    let batch = store.claim_events("w", "a", 100, MINUTE).await.expect("a");
    assert_eq!(seqs(&batch), all);
    let last = *tips.last().expect("tips");
    let watch = {
        let store = store.clone();
        async move {
            loop {
                // Sightings seen first: the cursor read after must have moved.
                let seen = !store.sightings_of(&[last]).await.expect("s").is_empty();
                let cursor = store.cursor("w").await.expect("cursor");
                assert!(!seen || cursor == all[all.len() - 1], "sightings alone");
                // The cursor seen first: the sightings read after must be there.
                let moved = store.cursor("w").await.expect("cursor") > EventSeq(0);
                let seen = !store.sightings_of(&[last]).await.expect("s").is_empty();
                assert!(!moved || seen, "done marks alone");
                if moved && seen {
                    return;
                }
                tokio::task::yield_now().await;
            }
        }
    };
    let complete = async {
        store
            .complete_events("w", "a", &seqs(&batch), &extracted(&batch))
            .await
            .expect("complete");
    };
    tokio::join!(watch, complete);
    let claimed = store.claim_events("w", "b", 100, MINUTE).await.expect("b");
    assert!(claimed.is_empty(), "done events are not claimed again");
}

/// Two workers draining the outbox at once, each claiming, extracting and
/// completing: every event is done once, the cursor reaches the end, every
/// count is right. Then the leases: one owner at a time.
pub(super) async fn workers_share_the_outbox(store: DynStore) {
    let (tips, all) = tips(&store, 21, 28).await;
    let worker = |name: &'static str| {
        let store = store.clone();
        async move {
            let mut done = Vec::new();
            let mut idle = 0;
            // Both workers stop once neither has found anything twice.
            while idle < 2 {
                let events = store
                    .claim_events("w", name, 3, MINUTE)
                    .await
                    .expect("claim");
                if events.is_empty() {
                    idle += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                idle = 0;
                // Long enough for the other worker to claim meanwhile.
                tokio::time::sleep(Duration::from_millis(100)).await;
                store
                    .complete_events("w", name, &seqs(&events), &extracted(&events))
                    .await
                    .expect("complete");
                done.extend(seqs(&events));
            }
            done
        }
    };
    let (a, b) = tokio::join!(worker("a"), worker("b"));
    assert!(
        a.iter().all(|s| !b.contains(s)),
        "two workers did the same event: {a:?} {b:?}"
    );
    let mut seen: Vec<EventSeq> = a.into_iter().chain(b).collect();
    seen.sort();
    assert_eq!(seen, all, "every event done once");
    assert_eq!(
        store.cursor("w").await.expect("cursor"),
        *all.last().expect("events")
    );
    for t in &tips {
        assert_eq!(count(&store, *t).await, Some(1), "tip {t:?} counted once");
    }
    // Leases: one owner at a time, renewable, released by a zero lifetime.
    assert!(store.try_lease("recluster", "a", MINUTE).await.expect("a"));
    assert!(!store.try_lease("recluster", "b", MINUTE).await.expect("b"));
    assert!(
        store
            .try_lease("recluster", "a", MINUTE)
            .await
            .expect("renew")
    );
    assert!(
        store
            .try_lease("recluster", "a", Duration::ZERO)
            .await
            .expect("release")
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        store
            .try_lease("recluster", "b", MINUTE)
            .await
            .expect("b takes over")
    );
}

/// The write probe commits a heartbeat, as often as asked, and holds no lease
/// a worker could want.
pub(super) async fn the_write_probe_writes(store: DynStore) {
    store.probe_write().await.expect("first probe");
    store.probe_write().await.expect("second probe");
    assert!(
        store
            .try_lease("recluster", "w", MINUTE)
            .await
            .expect("lease"),
        "the probe takes no worker's lease"
    );
    let tip = created(&store, sample_submission(71)).await;
    store.probe_write().await.expect("probe after a tip");
    assert_eq!(store.count_tips().await.expect("count"), 1);
    assert!(store.tip(tip).await.is_ok());
}
