//! Persons met: batches all or nothing, reviews and merges, victim flags,
//! figures and their jurisdiction filter.

use time::{Duration, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role, StaffId};

use super::audit;
use crate::{
    DynStore, NewOperation, NewPersonRecord, NewStaff, PendingReview, PersonLink, RecordRef,
    StoreError,
};
use vigil_domain::AuditAction;

async fn officer(store: &DynStore) -> StaffId {
    store
        .create_staff(
            NewStaff {
                username: "dara.officer".into(),
                display_name: "Dara".into(),
                role: Role::Officer,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("staff")
}

pub(super) async fn operation(
    store: &DynStore,
    reference: &str,
    province: &str,
    by: StaffId,
) -> i64 {
    let op = NewOperation {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "AHTJ police".into(),
        partners: Vec::new(),
        planned_for: None,
        happened_at: None,
        province_code: province.into(),
        district_code: None,
        commune_code: None,
        place: "Compound".into(),
        status: "planned".into(),
        outcome: String::new(),
        network_id: None,
        facilities: Vec::new(),
        created_by: by,
        created_at: OffsetDateTime::from_unix_timestamp(1_763_900_000).expect("time"),
    };
    store
        .create_operation(&op, audit(AuditAction::OperationCreate))
        .await
        .expect("operation")
}

/// How many audit entries there are.
async fn audit_count(store: &DynStore) -> usize {
    store.audit_after(0, 100_000).await.expect("audit").len()
}

fn at(day: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time") + Duration::days(day)
}

pub(super) fn record(
    province: &str,
    role: &str,
    nationality: &str,
    by: StaffId,
) -> NewPersonRecord {
    NewPersonRecord {
        province_code: province.into(),
        role: role.into(),
        nationality: nationality.into(),
        language: "km".into(),
        sex: "f".into(),
        minor: false,
        indicators: vec!["cannot_leave".into()],
        imminent_danger: false,
        consent: "given".into(),
        likely_victim: role == "victim",
        referred: role == "victim",
        referral_reason: "strong indicator: cannot_leave".into(),
        identity: vec![1, 2, 3, 4],
        keys: vec![vec![7; 32]],
        link: PersonLink::New,
        reviews: Vec::new(),
        home: None,
        recruitment: None,
        arrested: false,
        created_by: by,
        created_at: at(0),
    }
}

pub(super) async fn person_batches_all_or_nothing(store: DynStore) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-P1", "12", by).await;
    let mut batch = vec![
        record("12", "victim", "KH", by),
        record("12", "victim", "KH", by),
        record("12", "suspect", "CN", by),
    ];
    batch[1].link = PersonLink::SameAs(0);
    batch[2].keys = vec![vec![9; 32]];
    batch[2].reviews = vec![PendingReview {
        other: RecordRef::Batch(0),
        score: 0.5,
        reasons_json: "[\"given: equivalent\"]".into(),
    }];
    let before = audit_count(&store).await;
    assert!(matches!(
        store
            .insert_person_records(Some(999), &batch, audit(AuditAction::PersonsRecord))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        audit_count(&store).await,
        before,
        "a refused batch: no entry"
    );
    let ids = store
        .insert_person_records(Some(op), &batch, audit(AuditAction::PersonsRecord))
        .await
        .expect("batch");
    let entries = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(entries.len(), before + 1, "one entry for the whole batch");
    assert_eq!(
        entries.last().map(|e| e.entry.object.clone()),
        Some(format!("operation:{op}"))
    );
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[0].1, ids[1].1, "same as an earlier record: one person");
    assert_ne!(ids[0].1, ids[2].1);
    let read = store.person_record(ids[2].0).await.expect("record");
    assert_eq!(read.operation_id, Some(op));
    assert_eq!(read.record.role, "suspect");
    assert_eq!(read.record.identity, vec![1, 2, 3, 4]);
    assert_eq!(read.record.indicators, vec!["cannot_leave".to_string()]);
    assert_eq!(read.record.created_at, at(0));
    assert_eq!(read.victim_ack, None);
    let pending = store
        .person_reviews("pending", None)
        .await
        .expect("reviews");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].record_a, pending[0].record_b),
        (ids[0].0, ids[2].0)
    );

    let cands = store
        .person_candidates(&[vec![7; 32], vec![0; 32]], 10)
        .await
        .expect("candidates");
    let mut found: Vec<i64> = cands.iter().map(|c| c.record_id).collect();
    found.sort_unstable();
    assert_eq!(found, vec![ids[0].0, ids[1].0]);
    // The limit keeps the newest; every key given is looked up.
    let newest = store
        .person_candidates(&[vec![7; 32], vec![0; 32]], 1)
        .await
        .expect("candidates");
    assert_eq!(
        newest.iter().map(|c| c.record_id).collect::<Vec<_>>(),
        vec![ids[1].0]
    );
    let c = &newest[0];
    assert_eq!(
        (
            c.person_id,
            c.province_code.as_str(),
            c.sex.as_str(),
            c.nationality.as_str(),
            c.identity.as_slice()
        ),
        (ids[1].1, "12", "f", "KH", &[1u8, 2, 3, 4][..])
    );
    assert_eq!(
        store
            .person_candidates(&[vec![9; 32], vec![0; 32], vec![7; 32]], 10)
            .await
            .expect("candidates")
            .len(),
        3
    );
    assert!(
        store
            .person_candidates(&[], 10)
            .await
            .expect("none")
            .is_empty()
    );

    // A later record refers to an unknown person: nothing of the batch stays.
    let mut bad = vec![
        record("12", "witness", "TH", by),
        record("12", "witness", "TH", by),
    ];
    bad[1].link = PersonLink::Person(99_999);
    assert!(matches!(
        store
            .insert_person_records(Some(op), &bad, audit(AuditAction::PersonsRecord))
            .await,
        Err(StoreError::NotFound)
    ));
    let stored = store.operation_person_records(op).await.expect("records");
    assert_eq!(stored.len(), 3, "nothing of the refused batch is stored");
    assert_eq!(audit_count(&store).await, before + 1, "nor its audit entry");
    assert!(stored.iter().all(|r| r.record.nationality != "TH"));

    // The flags waiting for a supervisor: the two victims', newest first,
    // within the provinces asked.
    let waiting = |provinces: Option<Vec<String>>| {
        let store = store.clone();
        async move {
            store
                .victims_to_acknowledge(provinces.as_deref(), 10)
                .await
                .expect("flags")
                .iter()
                .map(|r| r.id)
                .collect::<Vec<i64>>()
        }
    };
    assert_eq!(waiting(Some(vec!["12".into()])).await, [ids[1].0, ids[0].0]);
    assert_eq!(waiting(None).await, [ids[1].0, ids[0].0]);
    assert!(waiting(Some(vec!["18".into()])).await.is_empty());

    // The flag is acknowledged once, and only on a likely victim.
    store
        .acknowledge_victim(
            ids[0].0,
            by,
            "forced to scam; no charge",
            audit(AuditAction::PersonVictimAck),
        )
        .await
        .expect("ack");
    let entries = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(entries.len(), before + 2, "an acknowledgement is audited");
    assert_eq!(
        entries.last().map(|e| e.entry.object.clone()),
        Some(format!("person_record:{}", ids[0].0))
    );
    let acked = store.person_record(ids[0].0).await.expect("record");
    assert_eq!(
        acked.victim_ack.map(|a| (a.0, a.2)),
        Some((by, "forced to scam; no charge".to_string()))
    );
    for id in [ids[0].0, ids[2].0] {
        assert!(matches!(
            store
                .acknowledge_victim(id, by, "again", audit(AuditAction::PersonVictimAck))
                .await,
            Err(StoreError::Conflict(_))
        ));
    }
    assert!(matches!(
        store
            .acknowledge_victim(99_999, by, "x", audit(AuditAction::PersonVictimAck))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        audit_count(&store).await,
        before + 2,
        "refused acknowledgements leave no entry"
    );
    assert_eq!(
        waiting(None).await,
        [ids[1].0],
        "an acknowledged flag waits no more"
    );
}

pub(super) async fn person_reviews_merge_persons(store: DynStore) {
    let by = officer(&store).await;
    let op1 = operation(&store, "OP-M1", "12", by).await;
    let op2 = operation(&store, "OP-M2", "18", by).await;
    let first = store
        .insert_person_records(
            Some(op1),
            &[record("12", "victim", "KH", by)],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("first")[0];
    let mut again = record("18", "witness", "KH", by);
    again.reviews = vec![PendingReview {
        other: RecordRef::Stored(first.0),
        score: 0.6,
        reasons_json: "[]".into(),
    }];
    let second = store
        .insert_person_records(
            Some(op2),
            &[again.clone(), again],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("second");
    let pending = store
        .person_reviews("pending", None)
        .await
        .expect("pending");
    assert_eq!(pending.len(), 2);
    let only12 = store
        .person_reviews("pending", Some(&["12".to_string()]))
        .await
        .expect("12");
    assert!(
        only12.is_empty(),
        "a pair reaching outside the provinces is hidden"
    );
    let both = ["12".to_string(), "18".to_string()];
    assert_eq!(
        store
            .person_reviews("pending", Some(&both))
            .await
            .expect("both")
            .len(),
        2
    );
    let review = pending
        .iter()
        .find(|r| r.record_b == second[0].0)
        .expect("review")
        .id;
    let kept = store
        .decide_person_review(review, true, by, audit(AuditAction::PersonsReview))
        .await
        .expect("merge");
    assert_eq!(kept, first.1);
    let records = store.person_records(first.1).await.expect("records");
    assert_eq!(
        records.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![first.0, second[0].0]
    );
    assert_eq!(
        store.resolve_person(second[0].1).await.expect("resolve"),
        first.1
    );
    assert_eq!(
        store
            .person_records(second[0].1)
            .await
            .expect("merged")
            .len(),
        2,
        "the merged person's id still leads to every record"
    );
    assert!(matches!(
        store
            .decide_person_review(review, false, by, audit(AuditAction::PersonsReview))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let other = pending
        .iter()
        .find(|r| r.record_b == second[1].0)
        .expect("other")
        .id;
    store
        .decide_person_review(other, false, by, audit(AuditAction::PersonsReview))
        .await
        .expect("different");
    let done = store.person_review(other).await.expect("review");
    assert_eq!(done.status, "different");
    assert_eq!(done.decided.map(|d| d.0), Some(by));
    assert_ne!(
        store.resolve_person(second[1].1).await.expect("kept apart"),
        first.1
    );
    assert!(matches!(
        store.resolve_person(99_999).await,
        Err(StoreError::NotFound)
    ));
    let entries = store.audit_after(0, 1000).await.expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.entry.object == format!("person_review:{review}")
                && e.entry.detail.contains("merged"))
    );
    for (id, n) in [(review, 1), (other, 1)] {
        assert_eq!(
            entries
                .iter()
                .filter(|e| e.entry.object == format!("person_review:{id}"))
                .count(),
            n,
            "each decision is audited once, a refused one not at all"
        );
    }
}

pub(super) async fn person_figures_count_distinct_persons(store: DynStore) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-F1", "12", by).await;
    // 1,000 persons met on day 0 in province 12, each recorded twice (victim
    // then witness), and 10 suspects in province 18 on day 5.
    let mut batch = Vec::new();
    for n in 0..1000 {
        let nat = if n % 4 == 0 { "CN" } else { "KH" };
        let mut v = record("12", "victim", nat, by);
        v.referred = n % 2 == 0;
        batch.push(v);
        let mut w = record("12", "witness", nat, by);
        w.likely_victim = false;
        w.referred = false;
        w.link = PersonLink::SameAs(batch.len() - 1);
        batch.push(w);
    }
    store
        .insert_person_records(Some(op), &batch, audit(AuditAction::PersonsRecord))
        .await
        .expect("batch");
    let suspects: Vec<_> = (0..10)
        .map(|_| {
            let mut s = record("18", "suspect", "TH", by);
            s.created_at = at(5);
            s
        })
        .collect();
    store
        .insert_person_records(None, &suspects, audit(AuditAction::PersonsRecord))
        .await
        .expect("suspects");

    let all = store.person_figures(None, None, None).await.expect("all");
    assert_eq!(all.persons_met, 1010);
    assert_eq!(all.victims_identified, 1000);
    assert_eq!(all.victims_referred, 500);
    assert_eq!(all.by_role.get("victim"), Some(&1000));
    assert_eq!(all.by_role.get("witness"), Some(&1000));
    assert_eq!(all.by_role.get("suspect"), Some(&10));
    assert_eq!(all.by_nationality.get("CN"), Some(&250));
    assert_eq!(all.by_nationality.get("KH"), Some(&750));
    assert_eq!(all.by_nationality.get("TH"), Some(&10));

    let in18 = store
        .person_figures(None, None, Some(&["18".to_string()]))
        .await
        .expect("18");
    assert_eq!(in18.persons_met, 10);
    assert_eq!(in18.victims_identified, 0);
    assert_eq!(in18.by_role.len(), 1);
    let later = store
        .person_figures(Some(at(1)), Some(at(10)), None)
        .await
        .expect("period");
    assert_eq!(later.persons_met, 10, "the period excludes day 0");
    let before = store
        .person_figures(None, Some(at(5)), None)
        .await
        .expect("before");
    assert_eq!(
        before.persons_met, 1000,
        "the end of the period is excluded"
    );
    let none = store
        .person_figures(None, None, Some(&[]))
        .await
        .expect("empty");
    assert_eq!(none.persons_met, 0);
}

pub(super) async fn person_figures_are_fast_at_scale(store: DynStore) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-S1", "12", by).await;
    // 50,000 records of 25,000 persons over 25 provinces and 50 days.
    let provinces: Vec<String> = (1..=25).map(|p| format!("{p:02}")).collect();
    for chunk in 0..10 {
        let mut batch = Vec::with_capacity(5000);
        for n in 0..2500 {
            let k = chunk * 2500 + n;
            let mut r = record(&provinces[k % 25], "victim", ["KH", "CN", "VN"][k % 3], by);
            r.created_at = at((k % 50) as i64);
            r.keys = Vec::new();
            r.likely_victim = k % 2 == 0;
            r.referred = k % 4 == 0;
            batch.push(r.clone());
            r.role = "witness".into();
            r.link = PersonLink::SameAs(batch.len() - 1);
            batch.push(r);
        }
        store
            .insert_person_records(Some(op), &batch, audit(AuditAction::PersonsRecord))
            .await
            .expect("batch");
    }
    let started = std::time::Instant::now();
    let all = store.person_figures(None, None, None).await.expect("all");
    let some = store
        .person_figures(Some(at(10)), Some(at(20)), Some(&provinces[10..15]))
        .await
        .expect("some");
    let took = started.elapsed();
    assert_eq!(all.persons_met, 25_000);
    assert_eq!(all.victims_identified, 12_500);
    assert_eq!(all.victims_referred, 6_250);
    assert_eq!(all.by_role.get("witness"), Some(&25_000));
    // Days 10–19 and provinces 11–15: k % 50 in 10..20 and k % 25 in 10..15,
    // i.e. k % 50 in 10..15: 5 of every 50.
    assert_eq!(some.persons_met, 2_500);
    // Speed is measured in BENCHMARKS.md, not asserted here: this only shows it.
    eprintln!("person figures over 50,000 records: {took:?}");
}
