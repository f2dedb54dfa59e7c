//! Operations, seized evidence and chains of custody end to end, on SQLite
//! and (with `VIGIL_TEST_POSTGRES_URL`) on PostgreSQL: planning from
//! facilities, outcome, dismantling a network, bulk seizure from a CSV,
//! refusals that store nothing, hand-overs, tampering found on read, a signed
//! export, and who may do what where.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff as person};
use vigil_domain::Capability;

use sqlx::Connection;
use vigil_core::CoreError;
use vigil_core::evidence::{self, TransferInput};
use vigil_core::operations::{self, OperationInput};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{FacilityId, Role};
use vigil_store::FacilityWrite;

async fn tamper(env: &Env, sql: &str) {
    if env.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&env.url)
            .await
            .expect("sqlite");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut c)
            .await
            .expect("tamper");
    } else {
        let mut c = sqlx::PgConnection::connect(&env.url).await.expect("pg");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut c)
            .await
            .expect("tamper");
    }
}

fn luhn_complete(base: &str) -> String {
    let sum: u32 = base
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

fn phones_csv(n: usize) -> String {
    let mut csv = String::from("ref,kind,description,imei\n");
    for i in 0..n {
        let imei = luhn_complete(&format!("35{:012}", 100_000 + i));
        csv.push_str(&format!("P{i:04},smartphone,black phone,{imei}\n"));
    }
    csv
}

fn input(reference: &str, province: &str, facilities: Vec<FacilityId>) -> OperationInput {
    let g = gazetteer();
    let district = g.children(province).next().expect("district").code.clone();
    let commune = g.children(&district).next().expect("commune").code.clone();
    OperationInput {
        reference: reference.into(),
        title: "Raid on the river compound".into(),
        lead_agency: "Anti-Human Trafficking Police".into(),
        partners: vec!["Immigration".into()],
        planned_for: "2026-11-20T05:00:00+07:00".into(),
        province_code: province.into(),
        district_code: district,
        commune_code: commune,
        place: "Compound by the river".into(),
        status: "planned".into(),
        facilities,
        ..OperationInput::default()
    }
}

fn field_of(r: Result<impl std::fmt::Debug, CoreError>) -> (String, String) {
    match r {
        Err(CoreError::InvalidField(fe)) => (fe.field.clone(), fe.to_string()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn scenario(env: &Env) {
    let v = &env.v;
    let t0 = vigil_custody::parse_time("at", "2026-11-20T05:40:00+07:00").unwrap();
    v.store
        .save_facilities(
            &[12, 13, 18].map(|n: i64| FacilityWrite {
                id: FacilityId(n),
                tips: vec![],
                priority: 1.0,
                reasons: "[]".into(),
                name: String::new(),
                province_code: Some(if n == 18 { "18" } else { "12" }.into()),
                first_at: t0,
                last_at: t0,
            }),
            &[],
        )
        .await
        .expect("facilities");
    let officer = person(v, "sok", Role::Officer, &["12"]).await;
    let officer18 = person(v, "dara", Role::Officer, &["18"]).await;
    let analyst = person(v, "vanna", Role::Analyst, &[]).await;
    let immigration = person(v, "chan", Role::Immigration, &[]).await;
    let prosecutor = person(v, "mealea", Role::Prosecutor, &[]).await;

    // Plan from two facilities; a facility outside the jurisdiction is unknown.
    let bad = operations::plan(
        &v.operations,
        &officer,
        &input("OP-1", "12", vec![FacilityId(12), FacilityId(18)]),
    )
    .await;
    assert_eq!(field_of(bad).0, "facilities");
    let mut bad_commune = input("OP-1", "12", vec![]);
    bad_commune.commune_code = gazetteer()
        .children(&input("x", "18", vec![]).district_code)
        .next()
        .unwrap()
        .code
        .clone();
    assert_eq!(
        field_of(operations::plan(&v.operations, &officer, &bad_commune).await).0,
        "commune_code"
    );
    let mut op_in = input("OP-1", "12", vec![FacilityId(12), FacilityId(13)]);
    let op = operations::plan(&v.operations, &officer, &op_in)
        .await
        .expect("plan");
    assert_eq!(
        field_of(operations::plan(&v.operations, &officer, &op_in).await).0,
        "reference"
    );
    let net =
        operations::create_network(&v.operations, &officer, "Golden line", &["Boss A".into()])
            .await
            .expect("network");
    op_in.status = "done".into();
    assert_eq!(
        field_of(operations::update(&v.operations, &officer, op, &op_in).await).0,
        "happened_at"
    );
    op_in.happened_at = "2026-11-20T05:40:00+07:00".into();
    op_in.outcome = "214 people found, 9 arrested".into();
    op_in.network_id = Some(net);
    operations::update(&v.operations, &officer, op, &op_in)
        .await
        .expect("outcome");
    let read = operations::operation(&v.operations, &prosecutor, op)
        .await
        .expect("read");
    assert_eq!(
        read.operation.facilities,
        vec![FacilityId(12), FacilityId(13)]
    );
    assert_eq!(
        read.operation.happened_at.unwrap().offset().whole_hours(),
        7
    );
    operations::dismantle(
        &v.operations,
        &officer,
        net,
        op,
        "both leaders arrested, servers seized",
    )
    .await
    .expect("dismantle");
    assert_eq!(
        operations::network(&v.operations, &analyst, net)
            .await
            .unwrap()
            .dismantled_by,
        Some(op)
    );

    // Seize 200 phones from a CSV.
    let ids = evidence::import_items_csv(&v.operations, &officer, op, &phones_csv(200), t0)
        .await
        .expect("csv");
    assert_eq!(ids.len(), 200);
    assert_eq!(
        evidence::items(&v.operations, &prosecutor, op)
            .await
            .unwrap()
            .len(),
        200
    );

    // A broken row, a bad IMEI, a duplicate, an unknown operation: nothing stored.
    let mut broken = phones_csv(5).replace("P0003,smartphone", "P0003,toaster");
    broken.push_str("P0099,smartphone,x,490154203237519\n");
    let (field, message) =
        field_of(evidence::import_items_csv(&v.operations, &officer, op, &broken, t0).await);
    assert_eq!(field, "kind");
    assert!(message.starts_with("kind: field-not-a-choice"), "{message}");
    assert!(message.contains("row=\"5\""), "{message}");
    assert!(
        message.contains("; imei: field-luhn-check-digit value=\"490154203237519\" row=\"7\""),
        "{message}"
    );
    let dup = evidence::import_items_csv(
        &v.operations,
        &officer,
        op,
        "ref,kind\nX1,other\nP0007,other\n",
        t0,
    )
    .await;
    let (field, message) = field_of(dup);
    assert_eq!(field, "ref");
    assert!(message.contains("P0007"), "{message}");
    assert!(matches!(
        evidence::import_items_csv(&v.operations, &officer, 9999, &phones_csv(2), t0).await,
        Err(CoreError::NotFound)
    ));
    assert_eq!(
        evidence::items(&v.operations, &officer, op)
            .await
            .unwrap()
            .len(),
        200
    );

    let mut cancelled = input("OP-C", "12", vec![]);
    cancelled.status = "cancelled".into();
    let cancelled = operations::plan(&v.operations, &officer, &cancelled)
        .await
        .expect("plan");
    assert_eq!(
        field_of(
            evidence::import_items_csv(&v.operations, &officer, cancelled, &phones_csv(1), t0)
                .await
        )
        .0,
        "operation"
    );

    // Hand-overs: from the holder only, never back in time.
    let item = ids[0];
    let mut t = TransferInput {
        from: "someone".into(),
        to: "evidence.room".into(),
        at: "2026-11-20T09:00:00+07:00".into(),
        place: "12".into(),
        purpose: "storage".into(),
    };
    assert_eq!(
        field_of(evidence::transfer(&v.operations, &officer, item, &t).await).0,
        "from"
    );
    t.from = "sok".into();
    t.at = "2026-11-19T09:00:00+07:00".into();
    assert_eq!(
        field_of(evidence::transfer(&v.operations, &officer, item, &t).await).0,
        "at"
    );
    t.at = "2026-11-20T09:00:00+07:00".into();
    evidence::transfer(&v.operations, &officer, item, &t)
        .await
        .expect("transfer");
    let read = evidence::item_with_chain(&v.operations, &prosecutor, item)
        .await
        .expect("chain");
    assert_eq!(read.chain.entries.len(), 2);
    assert_eq!(read.row.holder, "evidence.room");
    assert_eq!(read.chain.holder(), Some("evidence.room"));

    let image = "ab".repeat(32);
    assert_eq!(
        field_of(
            evidence::record_image(
                &v.operations,
                &officer,
                item,
                "sok",
                "2026-11-20T10:00:00+07:00",
                &image
            )
            .await
        )
        .0,
        "by"
    );
    evidence::record_image(
        &v.operations,
        &officer,
        item,
        "evidence.room",
        "2026-11-20T10:00:00+07:00",
        &image,
    )
    .await
    .expect("image");
    let read = evidence::item_with_chain(&v.operations, &prosecutor, item)
        .await
        .expect("chain");
    assert_eq!(read.chain.entries.len(), 3);
    assert!(read.chain.image_sha256().contains(&image.as_str()));
    assert_eq!(read.row.holder, "evidence.room");

    // The export verifies offline with the instance's key.
    let bytes = evidence::export_bundle(&v.operations, &prosecutor, &[item, ids[1]])
        .await
        .expect("export");
    let key = vigil_core::sync::signing_key(&v.settings)
        .unwrap()
        .verifying_key();
    let verified = vigil_custody::verify_bundle(&bytes, &[key]).expect("verifies");
    assert_eq!(verified.bundle.items.len(), 2);

    // A stored custody field altered in the database is found on read.
    tamper(
        env,
        &format!(
            "UPDATE custody_entries SET event = REPLACE(event, 'storage', 'st0rage') \
             WHERE item_id = {item} AND step = 2"
        ),
    )
    .await;
    // The item still reads, with where and why its chain breaks.
    let read = evidence::item_with_chain(&v.operations, &prosecutor, item)
        .await
        .expect("a tampered item still reads");
    assert_eq!(
        read.broken,
        Some(evidence::Broken {
            step: 2,
            reason: Some(vigil_custody::TamperReason::Hash)
        })
    );
    // Nothing is added to it or exported from it.
    for refused in [
        evidence::transfer(&v.operations, &officer, item, &t).await,
        evidence::export_bundle(&v.operations, &prosecutor, &[item])
            .await
            .map(|_| ()),
    ] {
        match refused {
            Err(CoreError::InvalidField(fe)) => {
                assert_eq!(fe.field, "item");
                assert_eq!(fe.message, vigil_core::field::FieldMessage::CustodyBroken);
            }
            other => panic!("a broken chain was extended or exported: {other:?}"),
        }
    }
    // A stored entry that cannot be read at all is named too.
    tamper(
        env,
        &format!(
            "UPDATE custody_entries SET event = 'not json' WHERE item_id = {item} AND step = 3"
        ),
    )
    .await;
    let read = evidence::item_with_chain(&v.operations, &prosecutor, item)
        .await
        .expect("reads");
    assert_eq!(read.chain.entries.len(), 2, "the readable part is kept");
    assert_eq!(
        read.broken,
        Some(evidence::Broken {
            step: 2,
            reason: Some(vigil_custody::TamperReason::Hash)
        }),
        "the first break is the one named"
    );

    // Who may do what, where.
    assert!(matches!(
        operations::operation(&v.operations, &officer18, op).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        evidence::import_items_csv(&v.operations, &officer18, op, &phones_csv(1), t0).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        evidence::item_with_chain(&v.operations, &officer18, ids[1]).await,
        Err(CoreError::NotFound)
    ));
    assert!(
        operations::list(&v.operations, &officer18)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        field_of(operations::plan(&v.operations, &officer18, &input("OP-2", "12", vec![])).await).0,
        "province_code"
    );
    for p in [&analyst, &immigration, &prosecutor] {
        assert!(matches!(
            evidence::import_items_csv(&v.operations, p, op, &phones_csv(1), t0).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            operations::plan(&v.operations, p, &input("OP-3", "12", vec![])).await,
            Err(CoreError::Forbidden)
        ));
    }
    assert!(matches!(
        operations::operation(&v.operations, &immigration, op).await,
        Err(CoreError::Forbidden)
    ));
    assert!(
        evidence::item_with_chain(&v.operations, &analyst, ids[1])
            .await
            .is_ok()
    );
    assert_eq!(
        operations::list(&v.operations, &analyst)
            .await
            .unwrap()
            .len(),
        2
    );

    // Two hand-overs of one item at once: exactly one is stored.
    let other = ids[2];
    let hand = |to: &str| TransferInput {
        from: "sok".into(),
        to: to.into(),
        at: "2026-11-20T11:00:00+07:00".into(),
        place: "Police station evidence room".into(),
        purpose: "storage".into(),
    };
    let (a, b) = (hand("lab"), hand("court"));
    let (ra, rb) = tokio::join!(
        evidence::transfer(&v.operations, &officer, other, &a),
        evidence::transfer(&v.operations, &officer, other, &b)
    );
    assert!(ra.is_ok() != rb.is_ok(), "{ra:?} {rb:?}");
    let read = evidence::item_with_chain(&v.operations, &officer, other)
        .await
        .unwrap();
    assert_eq!(read.chain.entries.len(), 2);

    // The matrix: every role, in and outside the operation's province.
    for role in Role::ALL {
        for (province, inside) in [("12", true), ("18", false)] {
            let name = format!("{}.{province}", role.as_str());
            let p = person(v, &name, role, &[province]).await;
            let read = operations::operation(&v.operations, &p, op).await;
            let seize = evidence::import_items_csv(
                &v.operations,
                &p,
                op,
                &format!("ref,kind\n{name},other\n"),
                t0,
            )
            .await;
            match (role.can(Capability::ReadOperations), inside) {
                (false, _) => assert!(matches!(read, Err(CoreError::Forbidden)), "{name}"),
                (true, true) => assert!(read.is_ok(), "{name}"),
                (true, false) => assert!(matches!(read, Err(CoreError::NotFound)), "{name}"),
            }
            match (role.can(Capability::RecordOperations), inside) {
                (false, _) => assert!(matches!(seize, Err(CoreError::Forbidden)), "{name}"),
                (true, true) => assert_eq!(seize.map(|i| i.len()).ok(), Some(1), "{name}"),
                (true, false) => assert!(matches!(seize, Err(CoreError::NotFound)), "{name}"),
            }
        }
    }
    assert!(!Role::Immigration.can(Capability::ReadOperations));
    assert!(
        Role::Prosecutor.can(Capability::ReadOperations)
            && !Role::Prosecutor.can(Capability::RecordOperations)
    );
    assert!(
        Role::Analyst.can(Capability::ReadOperations)
            && !Role::Analyst.can(Capability::RecordOperations)
    );

    // Everything above is on one unbroken audit chain.
    let report = vigil_core::audit::verify(&*v.store, &v.keys, &[], |_| {})
        .await
        .expect("audit chain");
    assert!(report.is_whole(), "{report:?}");
}

#[tokio::test]
async fn operations_evidence_and_custody_on_every_backend() {
    for env in envs("ops").await {
        scenario(&env).await;
        if let Some(name) = env
            .url
            .strip_prefix("postgres")
            .and(env.url.rsplit('/').next())
        {
            let name = name.split('?').next().unwrap_or(name).to_string();
            let admin = std::env::var("VIGIL_TEST_POSTGRES_URL").expect("admin");
            drop(env);
            let mut c = sqlx::PgConnection::connect(&admin).await.expect("admin");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut c)
            .await
            .expect("drop");
        }
    }
}
