//! Conformance checks for offline posts: local changes in change order, the
//! push cursor, received screenings upserted by origin, the pulled watchlist.

use time::{Duration, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role};

use super::audit;
use crate::{DynStore, NewScreening, NewStaff, SyncCounts, SyncIncoming, SyncPulled};
use vigil_domain::AuditAction;

fn screening(officer: vigil_domain::StaffId, t: OffsetDateTime, post: &str) -> NewScreening {
    NewScreening {
        policy: "default@2026.11.1".into(),
        outcome: "interview".into(),
        score: 3,
        reasons: "[]".into(),
        post: post.into(),
        officer,
        traveller: vec![7, 7, 7],
        sex: "female".into(),
        age_band: "25-35".into(),
        created_at: t,
    }
}

pub(super) async fn sync_changes_cursor_and_upserts(store: DynStore) {
    let officer = store
        .create_staff(
            NewStaff {
                username: "dara".into(),
                display_name: "Dara".into(),
                role: Role::Immigration,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("create");
    // Whole microseconds: PostgreSQL keeps no more.
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");

    // Local changes come out in change order, each change once.
    let a = store
        .insert_screening(
            &screening(officer, t0, "Poipet"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let b = store
        .insert_screening(
            &screening(officer, t0, "Poipet"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let out = store.sync_outgoing(0, 10).await.expect("outgoing");
    assert_eq!(out.iter().map(|o| o.row.id).collect::<Vec<_>>(), [a, b]);
    assert!(out[0].seq < out[1].seq);
    let one = store.sync_outgoing(0, 1).await.expect("outgoing");
    assert_eq!(one.len(), 1);
    let after = out[1].seq;
    assert!(
        store
            .sync_outgoing(after, 10)
            .await
            .expect("outgoing")
            .is_empty()
    );
    store
        .decide_screening(a, "refer", &[1, 2], audit(AuditAction::ScreeningDecide))
        .await
        .expect("decide");
    let out = store.sync_outgoing(after, 10).await.expect("outgoing");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].row.id, a);
    assert_eq!(out[0].row.decision.as_deref(), Some("refer"));
    assert_eq!(out[0].row.note, vec![1, 2]);

    // The cursor only moves forward.
    assert_eq!(store.sync_cursor("push").await.expect("cursor"), 0);
    store.sync_set_cursor("push", 5).await.expect("set");
    store.sync_set_cursor("push", 3).await.expect("set");
    assert_eq!(store.sync_cursor("push").await.expect("cursor"), 5);
    assert_eq!(store.sync_cursor("other").await.expect("cursor"), 0);

    // Received screenings: one row per origin, the newest decision wins.
    let incoming = |origin: &str, decision: Option<(&str, i64)>| SyncIncoming {
        origin: origin.into(),
        screening: screening(officer, t0 + Duration::seconds(1), "Bavet"),
        decision: decision.map(|(d, _)| d.to_string()),
        note: decision.map(|_| vec![9]).unwrap_or_default(),
        decided_at: decision.map(|(_, s)| t0 + Duration::seconds(s)),
    };
    let upsert = |items: Vec<SyncIncoming>| {
        let store = store.clone();
        async move {
            store
                .sync_upsert_screenings(&items, audit(AuditAction::SyncReceive))
                .await
                .expect("upsert")
        }
    };
    let first = vec![
        incoming("bavet:1", None),
        incoming("bavet:2", Some(("clear", 10))),
    ];
    assert_eq!(
        upsert(first.clone()).await,
        SyncCounts {
            new: 2,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        upsert(first).await,
        SyncCounts {
            new: 0,
            updated: 0,
            unchanged: 2
        }
    );
    let later = vec![
        incoming("bavet:1", Some(("refer", 20))),
        incoming("bavet:2", Some(("refer", 5))),
    ];
    assert_eq!(
        upsert(later).await,
        SyncCounts {
            new: 0,
            updated: 1,
            unchanged: 1
        }
    );
    let received = store.screening(b + 1).await.expect("received");
    assert_eq!(received.screening.post, "Bavet");
    assert_eq!(received.decision.as_deref(), Some("refer"));
    assert_eq!(received.decided_at, Some(t0 + Duration::seconds(20)));
    let other = store.screening(b + 2).await.expect("received");
    assert_eq!(other.decision.as_deref(), Some("clear"));
    assert!(matches!(
        store.screening(b + 3).await,
        Err(crate::StoreError::NotFound)
    ));
    // Received screenings are never pushed on.
    let out = store.sync_outgoing(0, 100).await.expect("outgoing");
    assert!(
        out.iter().all(|o| o.row.screening.post == "Poipet"),
        "{out:?}"
    );
    let audited = store.audit_after(0, 1000).await.expect("audit");
    let receipts: Vec<_> = audited
        .iter()
        .filter(|e| e.entry.action == AuditAction::SyncReceive)
        .collect();
    assert_eq!(receipts.len(), 3);
    assert!(
        receipts[2].entry.detail.contains("updated=1"),
        "{:?}",
        receipts[2]
    );

    // The pulled watchlist: replaced whole, never by an older copy.
    assert_eq!(store.sync_pulled().await.expect("pulled"), None);
    let pulled = |at: i64, entries: &[(&str, &str)]| SyncPulled {
        entries: entries
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect(),
        policy_id: format!("default@{at}"),
        policy: "name = \"default\"".into(),
        created_at: t0 + Duration::seconds(at),
    };
    let two = pulled(
        10,
        &[("+85512345678", "facility 1"), ("@recruiter", "facility 2")],
    );
    assert!(
        store
            .sync_replace_pulled(&two, audit(AuditAction::SyncPull))
            .await
            .expect("replace")
    );
    assert_eq!(
        store.sync_pulled().await.expect("pulled"),
        Some(two.clone())
    );
    let older = pulled(5, &[]);
    assert!(
        !store
            .sync_replace_pulled(&older, audit(AuditAction::SyncPull))
            .await
            .expect("replace")
    );
    assert_eq!(store.sync_pulled().await.expect("pulled"), Some(two));
    let newer = pulled(20, &[("+855971234567", "tip-line intelligence")]);
    assert!(
        store
            .sync_replace_pulled(&newer, audit(AuditAction::SyncPull))
            .await
            .expect("replace")
    );
    assert_eq!(store.sync_pulled().await.expect("pulled"), Some(newer));
    // An empty list replaces too.
    let empty = pulled(30, &[]);
    assert!(
        store
            .sync_replace_pulled(&empty, audit(AuditAction::SyncPull))
            .await
            .expect("replace")
    );
    assert_eq!(store.sync_pulled().await.expect("pulled"), Some(empty));
    // Each replacement is audited; a refused one leaves no entry.
    let pulls = store
        .audit_after(0, 100_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.entry.action == AuditAction::SyncPull)
        .count();
    assert_eq!(pulls, 3, "pulls are audited, refused ones are not");

    // A purge never lowers the change sequence: a change made after it is
    // still above the push cursor, and is pushed.
    let top = store
        .sync_outgoing(0, 100)
        .await
        .expect("outgoing")
        .iter()
        .map(|o| o.seq)
        .max()
        .unwrap_or(0);
    store.sync_set_cursor("push", top).await.expect("set");
    store
        .purge_screenings(t0 + Duration::days(3650))
        .await
        .expect("purge");
    let c = store
        .insert_screening(
            &screening(officer, t0, "Poipet"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let cursor = store.sync_cursor("push").await.expect("cursor");
    let out = store.sync_outgoing(cursor, 10).await.expect("outgoing");
    assert_eq!(out.iter().map(|o| o.row.id).collect::<Vec<_>>(), [c]);

    // A referral's result goes when the decision is no longer a referral.
    store
        .decide_screening(c, "refer", &[], audit(AuditAction::ScreeningDecide))
        .await
        .expect("decide");
    store
        .record_referral_result(
            c,
            "confirmed",
            officer,
            audit(AuditAction::ScreeningReferral),
        )
        .await
        .expect("result");
    assert!(store.screening(c).await.expect("row").referral.is_some());
    store
        .decide_screening(c, "interview", &[], audit(AuditAction::ScreeningDecide))
        .await
        .expect("decide");
    assert!(store.screening(c).await.expect("row").referral.is_none());
}
