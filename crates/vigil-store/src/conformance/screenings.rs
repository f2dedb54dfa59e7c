//! Conformance checks for exit screenings.

use time::{Duration, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role};

use super::audit;
use crate::{DynStore, FairnessCounts, NewScreening, NewStaff, PolicyNote, StoreError};
use vigil_domain::AuditAction;

pub(super) async fn screenings_are_kept_decided_and_purged(store: DynStore) {
    let officer = store
        .create_staff(
            NewStaff {
                username: "sokha".into(),
                display_name: "Sokha".into(),
                role: Role::Immigration,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("create");
    // Whole microseconds: PostgreSQL keeps no more.
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    let s = |days: i64, post: &str| NewScreening {
        policy: "default@2026.11.1".into(),
        outcome: "refer".into(),
        score: 7,
        reasons: r#"[{"code":"watchlist_match","weight":5,"evidence":"facility 3"}]"#.into(),
        post: post.into(),
        officer,
        traveller: vec![0, 1, 2, 255],
        sex: "female".into(),
        age_band: "18-24".into(),
        created_at: t0 + Duration::days(days),
    };
    let audited = audit_len(&store).await;
    let old = store
        .insert_screening(&s(0, "PNH"), audit(AuditAction::ScreeningCreate))
        .await
        .expect("insert");
    let last = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(last.len(), audited + 1, "an insert is audited");
    let last = last.last().expect("entry");
    assert_eq!(
        (last.entry.action.name(), last.entry.object.clone()),
        ("screening.create", format!("screening:{old}"))
    );
    let new = store
        .insert_screening(&s(40, "បាវិត"), audit(AuditAction::ScreeningCreate))
        .await
        .expect("insert");
    assert_ne!(old, new);
    let row = store.screening(new).await.expect("get");
    assert_eq!(row.id, new);
    assert_eq!(row.screening, s(40, "បាវិត"));
    assert_eq!(
        (row.decision, row.note, row.decided_at, row.referral),
        (None, vec![], None, None)
    );

    let audited = audit_len(&store).await;
    store
        .decide_screening(
            new,
            "interview",
            &[9, 9],
            audit(AuditAction::ScreeningDecide),
        )
        .await
        .expect("decide");
    assert_eq!(
        audit_len(&store).await,
        audited + 1,
        "a decision is audited"
    );
    let row = store.screening(new).await.expect("get");
    assert_eq!(row.decision.as_deref(), Some("interview"));
    assert_eq!(row.note, vec![9, 9]);
    assert!(row.decided_at.is_some());
    assert!(matches!(
        store
            .decide_screening(9_999, "refer", &[], audit(AuditAction::ScreeningDecide))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.screening(9_999).await,
        Err(StoreError::NotFound)
    ));

    assert_eq!(
        store
            .purge_screenings(t0 + Duration::days(10))
            .await
            .expect("purge"),
        1
    );
    assert!(matches!(
        store.screening(old).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.screening(new).await.is_ok());
    assert_eq!(store.purge_screenings(t0).await.expect("purge"), 0);
    // A failed decision leaves no entry; the chain holds after the purge.
    let audited = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(audited.len(), audit_len(&store).await);
    super::assert_keyed_chain(&audited);
}

/// How many audit entries there are.
async fn audit_len(store: &DynStore) -> usize {
    store.audit_after(0, 100_000).await.expect("audit").len()
}

/// The counts of one group, summed over the rows a backend returned.
fn total(rows: &[FairnessCounts], sex: &str, band: &str) -> FairnessCounts {
    rows.iter()
        .filter(|r| r.sex == sex && r.age_band == band)
        .fold(
            FairnessCounts {
                policy: String::new(),
                sex: sex.into(),
                age_band: band.into(),
                ..FairnessCounts::default()
            },
            |mut t, r| {
                t.screenings += r.screenings;
                t.advised_interview += r.advised_interview;
                t.advised_refer += r.advised_refer;
                t.decided_clear += r.decided_clear;
                t.decided_interview += r.decided_interview;
                t.decided_refer += r.decided_refer;
                t.confirmed += r.confirmed;
                t.not_confirmed += r.not_confirmed;
                t
            },
        )
}

pub(super) async fn fairness_counts_survive_the_purge(store: DynStore) {
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
    // 2026-03-31 20:00 UTC is already April in Cambodia (UTC+7).
    let april = OffsetDateTime::from_unix_timestamp(1_774_987_200).expect("time");
    let march = april - Duration::days(10);
    let s = |at: OffsetDateTime, outcome: &str, sex: &str, band: &str, post: &str| NewScreening {
        policy: "default@2026.11.1".into(),
        outcome: outcome.into(),
        score: 3,
        reasons: "[]".into(),
        post: post.into(),
        officer,
        traveller: vec![1],
        sex: sex.into(),
        age_band: band.into(),
        created_at: at,
    };
    let mut ids = Vec::new();
    for (at, outcome, sex, band, post) in [
        (april, "refer", "female", "18-24", "POIPET"),
        (april, "interview", "female", "18-24", "POIPET"),
        (april, "clear", "male", "25-35", "POIPET"),
        (
            april + Duration::days(1),
            "refer",
            "female",
            "18-24",
            "BAVET",
        ),
        (march, "refer", "female", "18-24", "POIPET"),
    ] {
        ids.push(
            store
                .insert_screening(
                    &s(at, outcome, sex, band, post),
                    audit(AuditAction::ScreeningCreate),
                )
                .await
                .expect("insert"),
        );
    }
    store
        .decide_screening(ids[0], "refer", &[], audit(AuditAction::ScreeningDecide))
        .await
        .expect("decide");
    store
        .decide_screening(ids[1], "clear", &[], audit(AuditAction::ScreeningDecide))
        .await
        .expect("decide");
    let audited = audit_len(&store).await;
    store
        .record_referral_result(
            ids[0],
            "confirmed",
            officer,
            audit(AuditAction::ScreeningReferral),
        )
        .await
        .expect("result");
    assert_eq!(
        audit_len(&store).await,
        audited + 1,
        "a referral's result is audited"
    );
    let row = store.screening(ids[0]).await.expect("row");
    let referral = row.referral.expect("recorded");
    assert_eq!(
        (referral.result.as_str(), referral.by),
        ("confirmed", officer)
    );
    assert_eq!(
        (row.screening.sex.as_str(), row.screening.age_band.as_str()),
        ("female", "18-24")
    );
    assert!(matches!(
        store
            .record_referral_result(
                9_999,
                "confirmed",
                officer,
                audit(AuditAction::ScreeningReferral)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        audit_len(&store).await,
        audited + 1,
        "a failed write leaves none"
    );

    let month_from = OffsetDateTime::from_unix_timestamp(1_774_976_400).expect("time"); // 04-01 00:00 +07
    let month_to = month_from + Duration::days(30);
    let counts = |store: DynStore| async move {
        store
            .fairness_counts("POIPET", "2026-04", month_from, month_to)
            .await
            .expect("counts")
    };
    let expected_women = FairnessCounts {
        policy: String::new(),
        sex: "female".into(),
        age_band: "18-24".into(),
        screenings: 2,
        advised_interview: 1,
        advised_refer: 1,
        decided_clear: 1,
        decided_interview: 0,
        decided_refer: 1,
        confirmed: 1,
        not_confirmed: 0,
    };
    let before = counts(store.clone()).await;
    assert_eq!(total(&before, "female", "18-24"), expected_women);
    assert_eq!(total(&before, "male", "25-35").screenings, 1);
    assert!(before.iter().all(|r| r.policy == "default@2026.11.1"));

    // Purging everything folds it into the tallies: the same counts.
    assert_eq!(
        store
            .purge_screenings(april + Duration::days(5))
            .await
            .expect("purge"),
        5
    );
    assert!(matches!(
        store.screening(ids[0]).await,
        Err(StoreError::NotFound)
    ));
    let after = counts(store.clone()).await;
    assert_eq!(total(&after, "female", "18-24"), expected_women);
    assert_eq!(total(&after, "male", "25-35").screenings, 1);
    let march_rows = store
        .fairness_counts(
            "POIPET",
            "2026-03",
            march - Duration::days(20),
            march + Duration::days(5),
        )
        .await
        .expect("counts");
    assert_eq!(total(&march_rows, "female", "18-24").screenings, 1);
    let bavet = store
        .fairness_counts("BAVET", "2026-04", month_from, month_to)
        .await
        .expect("counts");
    assert_eq!(total(&bavet, "female", "18-24").advised_refer, 1);

    // A later purge of the same month adds to the tally.
    store
        .insert_screening(
            &s(april, "clear", "male", "25-35", "POIPET"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let live = counts(store.clone()).await;
    assert_eq!(
        total(&live, "male", "25-35").screenings,
        2,
        "stored and folded add up"
    );
    store
        .purge_screenings(april + Duration::days(5))
        .await
        .expect("purge");
    assert_eq!(
        total(&counts(store.clone()).await, "male", "25-35").screenings,
        2
    );

    // Recent screenings by post, newest first.
    let kept = store
        .insert_screening(
            &s(april, "clear", "male", "50+", "KTI"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let newer = store
        .insert_screening(
            &s(april + Duration::hours(1), "clear", "male", "50+", "SAI"),
            audit(AuditAction::ScreeningCreate),
        )
        .await
        .expect("insert");
    let all = store.recent_screenings(None, 10).await.expect("recent");
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), [newer, kept]);
    let kti = store
        .recent_screenings(Some(&["KTI".to_string(), "BAVET".to_string()]), 10)
        .await
        .expect("recent");
    assert_eq!(kti.iter().map(|r| r.id).collect::<Vec<_>>(), [kept]);
    assert!(
        store
            .recent_screenings(Some(&[]), 10)
            .await
            .expect("recent")
            .is_empty()
    );
    assert_eq!(
        store
            .recent_screenings(None, 1)
            .await
            .expect("recent")
            .len(),
        1
    );

    // Policy notes: the first one kept.
    let note = PolicyNote {
        policy: "default@2026.11.1".into(),
        scope_note: "women aged 18 to 35 first".into(),
        justifications: "[]".into(),
    };
    store.record_policy_note(&note).await.expect("note");
    store
        .record_policy_note(&PolicyNote {
            scope_note: "changed".into(),
            ..note.clone()
        })
        .await
        .expect("note");
    assert_eq!(
        store
            .policy_notes(&["default@2026.11.1".into(), "other@1".into()])
            .await
            .expect("notes"),
        vec![note]
    );
}
