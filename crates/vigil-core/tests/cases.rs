//! Cases and prosecutions end to end through `vigil-core`, on SQLite and
//! (with `VIGIL_TEST_POSTGRES_URL`) on PostgreSQL: a case opened from an
//! operation and its evidence, defendants, charges under known statutes,
//! hearings, stages that only go forward, verdicts never before a charge,
//! refusals that store nothing, and who may do what where.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff};

use time::{Duration, OffsetDateTime};
use vigil_core::cases::{self, CaseInput, HearingInput};
use vigil_core::staff::Principal;
use vigil_core::{CoreError, Settings, Vigil};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, CaseStage, Outcome, Role};
use vigil_store::{CustodyEntryRow, NewOperation, NewSeizedItem};

fn audit(action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        actor: "cli".into(),
        action,
        object: String::new(),
        detail: String::new(),
    }
}

/// A suspect met in `operation`: their person id.
async fn suspect(v: &Vigil, p: &Principal, operation: i64, given: &str, family: &str) -> i64 {
    let input = vigil_core::persons::PersonInput {
        role: "suspect".into(),
        nationality: "KH".into(),
        language: "km".into(),
        given_name: given.into(),
        family_name: family.into(),
        ..Default::default()
    };
    vigil_core::persons::record(&v.persons, p, operation, &input)
        .await
        .expect("person")
        .1
}

/// An operation in `province` with one seized phone: (operation, item).
async fn raid(v: &Vigil, by: &Principal, reference: &str, province: &str) -> (i64, i64) {
    let at = OffsetDateTime::now_utc();
    let op = v
        .store
        .create_operation(
            &NewOperation {
                reference: reference.into(),
                title: "Raid".into(),
                lead_agency: "Police".into(),
                partners: vec![],
                planned_for: None,
                happened_at: Some(at),
                province_code: province.into(),
                district_code: None,
                commune_code: None,
                place: "Compound".into(),
                status: "done".into(),
                outcome: String::new(),
                network_id: None,
                facilities: vec![],
                created_by: by.id,
                created_at: at,
            },
            audit(AuditAction::OperationCreate),
        )
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
        holder: "x".into(),
        seizure: CustodyEntryRow {
            step: 1,
            kind: "seizure".into(),
            at,
            event_json: "{}".into(),
            prev_hash: "0".into(),
            hash: "h".into(),
        },
    };
    let ids = v
        .store
        .insert_seized_items(op, &[item], audit(AuditAction::EvidenceSeize))
        .await
        .expect("items");
    (op, ids[0])
}

fn field_of<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    match r {
        Err(CoreError::InvalidField(fe)) => fe.field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

fn input(reference: &str, province: &str, operations: Vec<i64>, items: Vec<i64>) -> CaseInput {
    CaseInput {
        reference: reference.into(),
        title: "Compound fraud".into(),
        name: String::new(),
        province_code: province.into(),
        court: "Preah Sihanouk Provincial Court".into(),
        operations,
        items,
    }
}

async fn scenario(env: &Env) {
    let v = &env.v;
    let officer = staff(v, "officer18", Role::Officer, &["18"]).await;
    let pros = staff(v, "pros18", Role::Prosecutor, &["18"]).await;
    let analyst = staff(v, "analyst", Role::Analyst, &[]).await;
    let immigration = staff(v, "imm", Role::Immigration, &[]).await;
    let pros12 = staff(v, "pros12", Role::Prosecutor, &["12"]).await;
    let officer12 = staff(v, "officer12", Role::Officer, &["12"]).await;
    let (op, item) = raid(v, &officer, "OP-18", "18").await;
    let (op12, item12) = raid(v, &officer12, "OP-12", "12").await;
    // Two suspects met in the raid: the defendants.
    let d41 = suspect(v, &officer, op, "Sokha", "Chan").await;
    let d42 = suspect(v, &officer, op, "Wei", "Zhang").await;

    // Roles: immigration may not create; the officer may; unknown or
    // unseen links are named and nothing is stored.
    let mut named = input("PP-1", "18", vec![op], vec![item]);
    named.name = "The golden line".into();
    assert!(matches!(
        cases::create(&v.cases, &immigration, &named).await,
        Err(CoreError::Forbidden)
    ));
    assert_eq!(
        field_of(
            cases::create(
                &v.cases,
                &officer,
                &input("PP-X", "18", vec![op, 9999], vec![])
            )
            .await
        ),
        "operations"
    );
    assert_eq!(
        field_of(cases::create(&v.cases, &officer, &input("PP-X", "18", vec![op12], vec![])).await),
        "operations",
        "another province's operation is not known"
    );
    assert_eq!(
        field_of(
            cases::create(
                &v.cases,
                &officer,
                &input("PP-X", "18", vec![], vec![item12])
            )
            .await
        ),
        "items"
    );
    assert_eq!(
        field_of(cases::create(&v.cases, &officer, &input("PP-X", "12", vec![], vec![])).await),
        "province_code"
    );
    assert_eq!(
        field_of(cases::create(&v.cases, &officer, &input("PP-X", "99", vec![], vec![])).await),
        "province_code"
    );
    assert!(
        cases::list(&v.cases, &analyst, None)
            .await
            .expect("list")
            .is_empty(),
        "refusals stored nothing"
    );
    let id = cases::create(&v.cases, &officer, &named)
        .await
        .expect("create");
    assert_eq!(
        field_of(cases::create(&v.cases, &officer, &named).await),
        "reference"
    );

    // Defendants: officers add them; immigration may not; charges are for
    // prosecutors.
    cases::add_defendant(&v.cases, &officer, id, d41)
        .await
        .expect("defendant");
    cases::add_defendant(&v.cases, &pros, id, d42)
        .await
        .expect("defendant");
    assert_eq!(
        field_of(cases::add_defendant(&v.cases, &officer, id, d41).await),
        "person_id"
    );
    assert!(matches!(
        cases::add_defendant(&v.cases, &immigration, id, 43).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        cases::charge(&v.cases, &officer, id, d41, "CC-FRAUD", "2026-03-02").await,
        Err(CoreError::Forbidden)
    ));
    // Another province: not found, for reading and writing alike.
    assert!(matches!(
        cases::case(&v.cases, &pros12, id).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        cases::charge(&v.cases, &pros12, id, d41, "CC-FRAUD", "2026-03-02").await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        cases::case(&v.cases, &immigration, id).await,
        Err(CoreError::Forbidden)
    ));

    // Unknown statute, bad date, not a defendant: named, nothing stored.
    assert_eq!(
        field_of(cases::charge(&v.cases, &pros, id, d41, "CC-NOPE", "2026-03-02").await),
        "statute"
    );
    assert_eq!(
        field_of(cases::charge(&v.cases, &pros, id, d41, "CC-FRAUD", "2026-02-30").await),
        "charged_on"
    );
    assert_eq!(
        field_of(cases::charge(&v.cases, &pros, id, 77, "CC-FRAUD", "2026-03-02").await),
        "person_id"
    );
    // Verdict before a charge: the case cannot move to verdict (or charged),
    // nor a defendant be convicted, with no charge.
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "verdict").await),
        "stage"
    );
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "charged").await),
        "stage"
    );
    assert_eq!(
        field_of(cases::outcome(&v.cases, &pros, id, d41, "convicted", "", "2026-09-01").await),
        "outcome"
    );
    let view = cases::case(&v.cases, &analyst, id).await.expect("read");
    assert!(view.charges.is_empty());
    assert_eq!(view.case.case.stage, CaseStage::Investigation);

    let c1 = cases::charge(&v.cases, &pros, id, d41, "LSHTSE-SALE", "2026-03-02")
        .await
        .expect("charge");
    cases::charge(&v.cases, &pros, id, d42, "CC-FRAUD", "2026-03-05")
        .await
        .expect("charge");
    // A verdict dated before its charge.
    assert_eq!(
        field_of(cases::verdict(&v.cases, &pros, id, c1, "convicted", "2026-03-01").await),
        "verdict_on"
    );
    assert_eq!(
        field_of(cases::verdict(&v.cases, &pros, id, c1, "guilty", "2026-09-01").await),
        "verdict"
    );
    assert_eq!(
        field_of(cases::verdict(&v.cases, &pros, id, 99_999, "convicted", "2026-09-01").await),
        "charge"
    );

    // Stages go forward only; appeal only after a verdict.
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "appeal").await),
        "stage"
    );
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "sentenced").await),
        "stage"
    );
    cases::move_stage(&v.cases, &pros, id, "charged")
        .await
        .expect("charged");
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "investigation").await),
        "stage"
    );
    assert_eq!(
        field_of(cases::move_stage(&v.cases, &pros, id, "charged").await),
        "stage"
    );
    cases::hearing(
        &v.cases,
        &pros,
        id,
        &HearingInput {
            at: "2026-06-01T09:00:00+07:00".into(),
            court: "Preah Sihanouk Provincial Court".into(),
            kind: "trial".into(),
            outcome: "heard".into(),
            notes: String::new(),
        },
    )
    .await
    .expect("hearing");
    assert_eq!(
        field_of(
            cases::hearing(
                &v.cases,
                &pros,
                id,
                &HearingInput {
                    at: "next week".into(),
                    court: "c".into(),
                    kind: "k".into(),
                    ..HearingInput::default()
                },
            )
            .await
        ),
        "at"
    );
    assert!(matches!(
        cases::hearing(&v.cases, &officer, id, &HearingInput::default()).await,
        Err(CoreError::Forbidden)
    ));
    cases::move_stage(&v.cases, &pros, id, "trial")
        .await
        .expect("trial");
    cases::verdict(&v.cases, &pros, id, c1, "convicted", "2026-09-30")
        .await
        .expect("verdict");
    cases::move_stage(&v.cases, &pros, id, "verdict")
        .await
        .expect("verdict");
    assert_eq!(
        field_of(cases::outcome(&v.cases, &pros, id, d41, "convicted", "", "2026-03-01").await),
        "outcome_on"
    );
    cases::outcome(
        &v.cases,
        &pros,
        id,
        d41,
        "convicted",
        "7 years",
        "2026-09-30",
    )
    .await
    .expect("outcome");
    assert_eq!(
        field_of(cases::outcome(&v.cases, &pros, id, d42, "convicted", "", "2026-09-30").await),
        "outcome",
        "no convicted verdict for the second defendant"
    );
    cases::outcome(&v.cases, &pros, id, d42, "acquitted", "", "2026-09-30")
        .await
        .expect("acquitted");
    cases::move_stage(&v.cases, &pros, id, "appeal")
        .await
        .expect("appeal");

    // Evidence added later, by an officer.
    let (op2, item2) = raid(v, &officer, "OP-18B", "18").await;
    cases::link(&v.cases, &officer, id, &[op2], &[item2])
        .await
        .expect("link");
    assert_eq!(
        field_of(cases::link(&v.cases, &officer, id, &[], &[item12]).await),
        "items"
    );

    let view = cases::case(&v.cases, &analyst, id).await.expect("read");
    assert_eq!(view.case.case.stage, CaseStage::Appeal);
    assert_eq!(view.case.case.name.as_deref(), Some("The golden line"));
    assert_eq!(view.case.case.operations, vec![op, op2]);
    assert_eq!(view.case.case.items, vec![item, item2]);
    assert_eq!(view.charges.len(), 2);
    assert_eq!(view.hearings.len(), 1);
    let outcomes: Vec<_> = view
        .defendants
        .iter()
        .map(|d| (d.person_id, d.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [(d41, Outcome::Convicted), (d42, Outcome::Acquitted)]
    );

    // Lists and figures within the jurisdiction.
    assert_eq!(
        cases::list(&v.cases, &pros, Some("appeal"))
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(
        cases::list(&v.cases, &pros12, None)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        field_of(cases::list(&v.cases, &pros, Some("nope")).await),
        "stage"
    );
    let now = OffsetDateTime::now_utc();
    let f = cases::figures(
        &v.cases,
        &analyst,
        now - Duration::days(1),
        now + Duration::days(1),
    )
    .await
    .expect("figures");
    assert_eq!(
        (
            f.cases,
            f.named_cases,
            f.defendants_prosecuted,
            f.defendants_convicted
        ),
        (1, 1, 2, 1)
    );
    let f12 = cases::figures(
        &v.cases,
        &pros12,
        now - Duration::days(1),
        now + Duration::days(1),
    )
    .await
    .expect("figures");
    assert_eq!(f12.cases, 0);

    // Everything is on the audit chain.
    let entries = v.store.audit_after(0, 10_000).await.expect("audit");
    for action in [
        AuditAction::CaseCreate,
        AuditAction::CaseDefendant,
        AuditAction::CaseCharge,
        AuditAction::CaseVerdict,
        AuditAction::CaseOutcome,
        AuditAction::CaseHearing,
        AuditAction::CaseStage,
        AuditAction::CaseLink,
        AuditAction::CaseRead,
        AuditAction::CaseList,
    ] {
        assert!(
            entries.iter().any(|e| e.entry.action == action),
            "{action} audited"
        );
    }
}

/// A person met as a likely victim is charged only once a supervisor has
/// acknowledged the flag; an unknown person is named.
async fn likely_victims_are_not_charged_unacknowledged(env: &Env) {
    let v = &env.v;
    let officer = staff(v, "officer18", Role::Officer, &["18"]).await;
    let pros = staff(v, "pros18", Role::Prosecutor, &["18"]).await;
    let sup = staff(v, "sup18", Role::Supervisor, &["18"]).await;
    let (op, _) = raid(v, &officer, "OP-18", "18").await;
    let id = cases::create(&v.cases, &officer, &input("PP-V", "18", vec![op], vec![]))
        .await
        .expect("case");
    let victim = vigil_core::persons::PersonInput {
        role: "suspect".into(),
        nationality: "ID".into(),
        language: "id".into(),
        given_name: "Sari".into(),
        family_name: "Wulandari".into(),
        indicators: vec!["documents_retained".into(), "cannot_leave".into()],
        consent: "given".into(),
        ..Default::default()
    };
    let (record, person) = vigil_core::persons::record(&v.persons, &officer, op, &victim)
        .await
        .expect("person");
    assert_eq!(
        field_of(cases::add_defendant(&v.cases, &officer, id, person).await),
        "likely_victim"
    );
    assert_eq!(
        field_of(cases::add_defendant(&v.cases, &officer, id, 999_999).await),
        "person_id",
        "an unknown person is named"
    );
    vigil_core::persons::acknowledge(
        &v.persons,
        &sup,
        record,
        "Recruiter in the compound, not held: may be charged.",
    )
    .await
    .expect("acknowledged");
    cases::add_defendant(&v.cases, &officer, id, person)
        .await
        .expect("defendant once acknowledged");
    cases::charge(&v.cases, &pros, id, person, "CC-FRAUD", "2026-03-02")
        .await
        .expect("charged");
}

#[tokio::test]
async fn cases_on_every_backend() {
    for env in envs("cases").await {
        scenario(&env).await;
    }
    for env in envs("cases").await {
        likely_victims_are_not_charged_unacknowledged(&env).await;
    }
}

#[tokio::test]
async fn a_statutes_file_replaces_the_shipped_list() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("statutes.toml");
    std::fs::write(
        &file,
        "[[statute]]\ncode = \"TEST-1\"\nlaw_en = \"A law\"\nlaw_km = \"ច្បាប់\"\n\
         article = \"\"\noffence_en = \"An offence\"\noffence_km = \"បទល្មើស\"\n",
    )
    .expect("write");
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().to_path_buf();
    settings.cases.statutes_file = Some(file.clone());
    let v = vigil_backends::open(settings.clone()).await.expect("open");
    let s = cases::statutes(&v.cases).expect("statutes");
    assert!(s.get("TEST-1").is_some());
    assert!(s.get("CC-FRAUD").is_none());
    drop(v);
    std::fs::write(&file, "[[statute]]\ncode = \"bad code\"\n").expect("write");
    let e = vigil_backends::open(settings)
        .await
        .err()
        .expect("refused at start");
    assert!(e.to_string().contains("statutes_file"), "{e}");
}
