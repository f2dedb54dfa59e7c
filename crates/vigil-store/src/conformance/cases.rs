//! Cases, defendants, charges, hearings, verdicts and the case figures.

use time::macros::date;
use time::{Duration, OffsetDateTime, UtcOffset};
use vigil_domain::{Jurisdiction, Role, StaffId};

use super::audit;
use crate::{
    CustodyEntryRow, DynStore, NewCase, NewCharge, NewHearing, NewOperation, NewSeizedItem,
    NewStaff, StoreError,
};
use vigil_domain::{AuditAction, CaseStage, Outcome, Verdict};

async fn prosecutor(store: &DynStore) -> StaffId {
    store
        .create_staff(
            NewStaff {
                username: "dara.prosecutor".into(),
                display_name: "Dara".into(),
                role: Role::Prosecutor,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("staff")
}

/// How many audit entries there are.
async fn audit_count(store: &DynStore) -> usize {
    store.audit_after(0, 100_000).await.expect("audit").len()
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix)
        .expect("time")
        .to_offset(UtcOffset::from_hms(7, 0, 0).expect("offset"))
}

/// An operation with one seized phone: (operation, item).
async fn raid(store: &DynStore, by: StaffId, reference: &str) -> (i64, i64) {
    let op = NewOperation {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "Police".into(),
        partners: vec![],
        planned_for: None,
        happened_at: Some(at(1_764_000_000)),
        province_code: "18".into(),
        district_code: None,
        commune_code: None,
        place: "Compound".into(),
        status: "done".into(),
        outcome: String::new(),
        network_id: None,
        facilities: vec![],
        created_by: by,
        created_at: at(1_764_000_000),
    };
    let op = store
        .create_operation(&op, audit(AuditAction::OperationCreate))
        .await
        .expect("operation");
    let item = NewSeizedItem {
        reference: "E1".into(),
        kind: "smartphone".into(),
        serial: None,
        imei: None,
        iccid: None,
        card_last4: None,
        cash_amount: None,
        cash_currency: None,
        description: "phone".into(),
        image_sha256: None,
        item_json: "{}".into(),
        holder: "dara".into(),
        seizure: CustodyEntryRow {
            step: 1,
            kind: "seizure".into(),
            at: at(1_764_000_000),
            event_json: "{}".into(),
            prev_hash: "0".into(),
            hash: "h1".into(),
        },
    };
    let ids = store
        .insert_seized_items(op, &[item], audit(AuditAction::EvidenceSeize))
        .await
        .expect("items");
    (op, ids[0])
}

fn case(reference: &str, province: &str, by: StaffId, created: i64) -> NewCase {
    NewCase {
        reference: reference.into(),
        title: "Compound fraud".into(),
        name: None,
        province_code: province.into(),
        court: "Preah Sihanouk Provincial Court".into(),
        stage: CaseStage::Investigation,
        operations: vec![],
        items: vec![],
        created_by: by,
        created_at: at(created),
    }
}

pub(super) async fn cases_round_trip_and_all_or_nothing(store: DynStore) {
    let by = prosecutor(&store).await;
    let (op, item) = raid(&store, by, "OP-C1").await;
    let mut c = case("PP-1", "18", by, 1_764_100_000);
    c.name = Some("Case of the golden line".into());
    c.operations = vec![op];
    c.items = vec![item];
    let before = audit_count(&store).await;
    let id = store
        .create_case(&c, audit(AuditAction::CaseCreate))
        .await
        .expect("case");
    assert_eq!(store.case(id).await.expect("read").case, c);
    assert_eq!(
        audit_count(&store).await,
        before + 1,
        "a case is created with its audit entry"
    );
    let last = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(
        last.last().map(|e| e.entry.object.clone()),
        Some(format!("case:{id}"))
    );

    // An unknown item among known links: nothing is written.
    let mut bad = case("PP-2", "18", by, 1_764_100_000);
    bad.operations = vec![op];
    bad.items = vec![item, 999_999];
    assert!(matches!(
        store
            .create_case(&bad, audit(AuditAction::CaseCreate))
            .await,
        Err(StoreError::NotFound)
    ));
    let all = store.cases(None, None).await.expect("list");
    assert_eq!(all.len(), 1, "the refused case left nothing");
    let dup = store.create_case(&c, audit(AuditAction::CaseCreate)).await;
    assert!(
        matches!(&dup, Err(StoreError::Conflict(m)) if m.contains("PP-1")),
        "{dup:?}"
    );
    assert_eq!(
        audit_count(&store).await,
        before + 1,
        "refused cases leave no audit entry"
    );

    // Linking: an unknown operation refuses the whole batch.
    let other = store
        .create_case(
            &case("PP-3", "12", by, 1_764_100_000),
            audit(AuditAction::CaseCreate),
        )
        .await
        .expect("second");
    assert!(matches!(
        store
            .link_case(other, &[op, 424_242], &[item], audit(AuditAction::CaseLink))
            .await,
        Err(StoreError::NotFound)
    ));
    let read = store.case(other).await.expect("read");
    assert!(read.case.operations.is_empty() && read.case.items.is_empty());
    assert!(matches!(
        store
            .link_case(424_242, &[op], &[], audit(AuditAction::CaseLink))
            .await,
        Err(StoreError::NotFound)
    ));
    let before = audit_count(&store).await;
    store
        .link_case(other, &[op, op], &[item], audit(AuditAction::CaseLink))
        .await
        .expect("link");
    let after = store.audit_after(0, 100_000).await.expect("audit");
    assert_eq!(after.len(), before + 1, "a link is audited");
    assert_eq!(
        after
            .last()
            .map(|e| (e.entry.action.name(), e.entry.object.clone())),
        Some(("case.link", format!("case:{other}")))
    );
    let read = store.case(other).await.expect("read");
    assert_eq!(
        (read.case.operations, read.case.items),
        (vec![op], vec![item])
    );

    // Filters.
    let p18 = ["18".to_string()];
    let in18 = store.cases(Some(&p18), None).await.expect("list");
    assert_eq!(in18.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    assert!(
        store
            .cases(None, Some(CaseStage::Trial))
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        store
            .cases(None, Some(CaseStage::Investigation))
            .await
            .expect("list")
            .len(),
        2
    );
    assert!(matches!(store.case(12345).await, Err(StoreError::NotFound)));
}

pub(super) async fn defendants_charges_hearings_and_stages(store: DynStore) {
    let by = prosecutor(&store).await;
    let id = store
        .create_case(
            &case("PP-9", "18", by, 1_764_100_000),
            audit(AuditAction::CaseCreate),
        )
        .await
        .expect("case");
    store
        .add_defendant(id, 7, audit(AuditAction::CaseDefendant))
        .await
        .expect("defendant");
    let again = store
        .add_defendant(id, 7, audit(AuditAction::CaseDefendant))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert!(matches!(
        store
            .add_defendant(999, 7, audit(AuditAction::CaseDefendant))
            .await,
        Err(StoreError::NotFound)
    ));
    // A charge on someone who is not a defendant is refused.
    let stranger = NewCharge {
        case_id: id,
        person_id: 8,
        statute: "CC-FRAUD".into(),
        charged_on: date!(2026 - 03 - 02),
    };
    assert!(matches!(
        store
            .add_charge(&stranger, audit(AuditAction::CaseCharge))
            .await,
        Err(StoreError::NotFound)
    ));
    let charge = NewCharge {
        person_id: 7,
        ..stranger
    };
    let cid = store
        .add_charge(&charge, audit(AuditAction::CaseCharge))
        .await
        .expect("charge");
    store
        .set_verdict(
            cid,
            Verdict::Convicted,
            date!(2026 - 09 - 30),
            audit(AuditAction::CaseVerdict),
        )
        .await
        .expect("verdict");
    assert!(matches!(
        store
            .set_verdict(
                999,
                Verdict::Convicted,
                date!(2026 - 09 - 30),
                audit(AuditAction::CaseVerdict)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let charges = store.charges(id).await.expect("charges");
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0].charge, charge);
    assert_eq!(charges[0].verdict, Some(Verdict::Convicted));
    assert_eq!(charges[0].verdict_on, Some(date!(2026 - 09 - 30)));

    store
        .set_outcome(
            id,
            7,
            Outcome::Convicted,
            "5 years",
            Some(date!(2026 - 09 - 30)),
            audit(AuditAction::CaseOutcome),
        )
        .await
        .expect("outcome");
    assert!(matches!(
        store
            .set_outcome(
                id,
                8,
                Outcome::Convicted,
                "",
                None,
                audit(AuditAction::CaseOutcome)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let d = store.defendants(id).await.expect("defendants");
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].person_id, d[0].outcome, d[0].sentence.as_str()),
        (7, Outcome::Convicted, "5 years")
    );
    assert_eq!(d[0].outcome_on, Some(date!(2026 - 09 - 30)));

    // Hearings come back in time order with their offset.
    for (n, t) in [(2, 1_764_300_000), (1, 1_764_200_000)] {
        store
            .add_hearing(
                &NewHearing {
                    case_id: id,
                    at: at(t),
                    court: "Provincial court".into(),
                    kind: format!("hearing {n}"),
                    outcome: "adjourned".into(),
                    notes: String::new(),
                },
                audit(AuditAction::CaseHearing),
            )
            .await
            .expect("hearing");
    }
    let hs = store.hearings(id).await.expect("hearings");
    assert_eq!(
        hs.iter()
            .map(|h| h.hearing.kind.as_str())
            .collect::<Vec<_>>(),
        ["hearing 1", "hearing 2"]
    );
    assert_eq!(hs[0].hearing.at, at(1_764_200_000));
    assert_eq!(hs[0].hearing.at.offset().whole_hours(), 7);

    // A stage move names the stage it moves from.
    store
        .set_stage(
            id,
            CaseStage::Investigation,
            CaseStage::Charged,
            audit(AuditAction::CaseStage),
        )
        .await
        .expect("stage");
    let stale = store
        .set_stage(
            id,
            CaseStage::Investigation,
            CaseStage::Charged,
            audit(AuditAction::CaseStage),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(
        store.case(id).await.expect("read").case.stage,
        CaseStage::Charged
    );

    let entries = store.audit_after(0, 1000).await.expect("audit");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.entry.object == format!("case:{id}"))
            .count(),
        8,
        "every write is audited once, and no refused one"
    );
    super::assert_keyed_chain(&entries);
}

pub(super) async fn case_figures_count_the_period(store: DynStore) {
    let by = prosecutor(&store).await;
    let t0 = 1_764_000_000;
    let mut ids = vec![];
    for (n, (province, named, offset)) in [("18", true, 0), ("18", false, 10), ("12", true, 20)]
        .into_iter()
        .enumerate()
    {
        let mut c = case(&format!("PP-F{n}"), province, by, t0 + offset);
        c.name = named.then(|| format!("Named {n}"));
        ids.push(
            store
                .create_case(&c, audit(AuditAction::CaseCreate))
                .await
                .expect("case"),
        );
    }
    // Outside the period.
    store
        .create_case(
            &case("PP-OLD", "18", by, t0 - 86_400),
            audit(AuditAction::CaseCreate),
        )
        .await
        .expect("old");
    // Case 0: persons 1 (charged, convicted), 2 (charged twice, acquitted)
    // and 3 (no charge). Case 2: person 1 again (charged, convicted).
    for (case, person) in [(ids[0], 1), (ids[0], 2), (ids[0], 3), (ids[2], 1)] {
        store
            .add_defendant(case, person, audit(AuditAction::CaseDefendant))
            .await
            .expect("defendant");
    }
    for (case, person) in [(ids[0], 1), (ids[0], 2), (ids[0], 2), (ids[2], 1)] {
        store
            .add_charge(
                &NewCharge {
                    case_id: case,
                    person_id: person,
                    statute: "CC-FRAUD".into(),
                    charged_on: date!(2026 - 01 - 05),
                },
                audit(AuditAction::CaseCreate),
            )
            .await
            .expect("charge");
    }
    store
        .set_outcome(
            ids[0],
            1,
            Outcome::Convicted,
            "",
            None,
            audit(AuditAction::CaseOutcome),
        )
        .await
        .expect("o");
    store
        .set_outcome(
            ids[2],
            1,
            Outcome::Convicted,
            "",
            None,
            audit(AuditAction::CaseOutcome),
        )
        .await
        .expect("o");
    store
        .set_outcome(
            ids[0],
            2,
            Outcome::Acquitted,
            "",
            None,
            audit(AuditAction::CaseOutcome),
        )
        .await
        .expect("o");
    store
        .set_stage(
            ids[0],
            CaseStage::Investigation,
            CaseStage::Charged,
            audit(AuditAction::CaseStage),
        )
        .await
        .expect("s");

    let from = at(t0);
    let to = at(t0) + Duration::days(1);
    let f = store.case_figures(from, to, None).await.expect("figures");
    assert_eq!(f.cases, 3);
    assert_eq!(f.named_cases, 2);
    assert_eq!(f.defendants_prosecuted, 2, "persons 1 and 2, each once");
    assert_eq!(f.defendants_convicted, 1, "person 1, once across two cases");
    assert_eq!(
        f.by_stage,
        vec![(CaseStage::Investigation, 2), (CaseStage::Charged, 1)]
    );
    let p18 = ["18".to_string()];
    let f18 = store
        .case_figures(from, to, Some(&p18))
        .await
        .expect("figures");
    assert_eq!(
        (f18.cases, f18.named_cases, f18.defendants_prosecuted),
        (2, 1, 2)
    );
    let wide = store
        .case_figures(from - Duration::days(2), to, None)
        .await
        .expect("figures");
    assert_eq!(wide.cases, 4);
    let empty = store
        .case_figures(to, to + Duration::days(1), None)
        .await
        .expect("figures");
    assert_eq!(empty, crate::CaseFigures::default());
}

pub(super) async fn merging_persons_moves_their_defendants_and_charges(store: DynStore) {
    use super::persons::{operation, record};
    use crate::{PendingReview, RecordRef};
    let by = prosecutor(&store).await;
    let op = operation(&store, "OP-MERGE", "18", by).await;
    let first = store
        .insert_person_records(
            Some(op),
            &[record("18", "suspect", "CN", by)],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("first")[0];
    let mut again = record("18", "suspect", "CN", by);
    again.reviews = vec![PendingReview {
        other: RecordRef::Stored(first.0),
        score: 0.7,
        reasons_json: "[]".into(),
    }];
    let second = store
        .insert_person_records(Some(op), &[again], audit(AuditAction::PersonsRecord))
        .await
        .expect("second")[0];
    let (keep, gone) = (first.1.min(second.1), first.1.max(second.1));
    assert_ne!(keep, gone);

    let t0 = 1_764_000_000;
    let both = store
        .create_case(
            &case("PP-BOTH", "18", by, t0),
            audit(AuditAction::CaseCreate),
        )
        .await
        .expect("case");
    let only = store
        .create_case(
            &case("PP-ONLY", "18", by, t0 + 5),
            audit(AuditAction::CaseCreate),
        )
        .await
        .expect("case");
    for (c, p) in [(both, keep), (both, gone), (only, gone)] {
        store
            .add_defendant(c, p, audit(AuditAction::CaseDefendant))
            .await
            .expect("defendant");
        store
            .add_charge(
                &NewCharge {
                    case_id: c,
                    person_id: p,
                    statute: "CC-FRAUD".into(),
                    charged_on: date!(2026 - 01 - 05),
                },
                audit(AuditAction::CaseCharge),
            )
            .await
            .expect("charge");
    }
    store
        .set_outcome(
            both,
            gone,
            Outcome::Convicted,
            "5 years",
            Some(date!(2026 - 06 - 01)),
            audit(AuditAction::CaseOutcome),
        )
        .await
        .expect("outcome");
    let (from, to) = (at(t0), at(t0) + Duration::days(1));
    let before = store.case_figures(from, to, None).await.expect("figures");
    assert_eq!(
        before.defendants_prosecuted, 2,
        "two persons before the merge"
    );

    let review = store
        .person_reviews("pending", None)
        .await
        .expect("reviews")
        .into_iter()
        .find(|r| r.record_b == second.0 || r.record_a == second.0)
        .expect("review")
        .id;
    store
        .decide_person_review(review, true, by, audit(AuditAction::PersonsReview))
        .await
        .expect("merge");

    let after = store.case_figures(from, to, None).await.expect("figures");
    assert_eq!(after.defendants_prosecuted, 1, "one person after the merge");
    assert_eq!(after.defendants_convicted, 1);
    let in_both = store.defendants(both).await.expect("defendants");
    assert_eq!(in_both.len(), 1, "one defendant row per person and case");
    assert_eq!(in_both[0].person_id, keep);
    assert_eq!(
        (in_both[0].outcome, in_both[0].sentence.as_str()),
        (Outcome::Convicted, "5 years"),
        "the decided outcome survives the merge"
    );
    let in_only = store.defendants(only).await.expect("defendants");
    assert_eq!(
        in_only.iter().map(|d| d.person_id).collect::<Vec<_>>(),
        vec![keep]
    );
    for c in [both, only] {
        for charge in store.charges(c).await.expect("charges") {
            assert_eq!(charge.charge.person_id, keep, "case {c}");
        }
    }
    assert_eq!(store.charges(both).await.expect("charges").len(), 2);
    let chain = store.audit_after(0, 100_000).await.expect("audit");
    super::assert_keyed_chain(&chain);
}
