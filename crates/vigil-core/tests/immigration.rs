//! Immigration records end to end, on SQLite and (with
//! `VIGIL_TEST_POSTGRES_URL`) on PostgreSQL: a CSV with bad rows names every
//! one and stores nothing, a good one is counted; a deportation executes its
//! order once; roles × provinces; identities sealed at rest (the raw SQLite
//! bytes never hold a name); the per-embassy export and its audit entry.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff as person};

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;
use time::{Date, Month};
use vigil_core::immigration::{self, DepartureInput, DetentionInput, OrderInput, SubjectInput};
use vigil_core::immigration_csv;
use vigil_core::operations::{self, OperationInput};
use vigil_core::{CoreError, FieldMessage};
use vigil_domain::{AuditAction, Role};
use vigil_store::ImmigrationFilter;

async fn run_sql(env: &Env, sql: &str) {
    if env.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&env.url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut c)
            .await
            .unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&env.url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut c)
            .await
            .unwrap();
    }
}

fn subject(name: &str) -> SubjectInput {
    SubjectInput {
        name: name.into(),
        passport: "E12345678".into(),
        date_of_birth: "1994-05-06".into(),
    }
}

fn order(reference: &str, province: &str, name: &str) -> OrderInput {
    OrderInput {
        reference: reference.into(),
        subject: subject(name),
        nationality: "cn".into(),
        issued_on: "2026-03-01".into(),
        authority: "General Department of Immigration".into(),
        province_code: province.into(),
        person_id: None,
    }
}

fn deported(order_id: i64, port: &str) -> DepartureInput {
    DepartureInput {
        kind: "deported".into(),
        departed_on: "2026-03-04".into(),
        port: port.into(),
        order_id: Some(order_id),
        ..DepartureInput::default()
    }
}

fn invalid_field(r: Result<impl std::fmt::Debug, CoreError>) -> (String, String) {
    match r {
        Err(CoreError::InvalidField(fe)) => (fe.field.clone(), fe.to_string()),
        other => panic!("expected InvalidField, got {other:?}"),
    }
}

const GOOD: &str = "name,nationality,passport,date_of_birth,departed_on,port\n\
    Zhang Wei,CN,E11111111,1990-01-02,2026-03-01,KTI\n\
    Li Na,cn,,,2026-03-02,kos\n\
    Nguyen Van Binh,VN,C2222222,1988-12-31,2026-03-02,BAVET\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_import_is_all_or_nothing_with_every_bad_row_named() {
    for env in envs("immig").await {
        let v = &env.v;
        let clerk = person(v, "dara", Role::Immigration, &[]).await;
        let bad = "name,nationality,passport,date_of_birth,departed_on,port\n\
            Zhang Wei,CN,E11111111,1990-01-02,2026-03-01,KTI\n\
            ,CN,,,2026-03-01,KTI\n\
            Li Na,ZZ,,,2026-03-31,KTI\n\
            Wang Fang,CN,,,2026-02-31,KTI\n\
            Chen Jie,CN,,,2099-01-01,KTI\n\
            Liu Yang,CN,,,2026-03-01,NOWHERE\n";
        let fe = match immigration_csv::import_csv(&v.immigration, &clerk, bad, &|_, _| {}).await {
            Err(CoreError::InvalidField(fe)) => fe,
            other => panic!("expected InvalidField, got {other:?}"),
        };
        let named: Vec<(&str, &str, FieldMessage)> = fe
            .all()
            .map(|e| (e.get("row").unwrap(), e.field.as_str(), e.message))
            .collect();
        assert_eq!(
            named,
            [
                ("3", "name", FieldMessage::Required),
                ("4", "nationality", FieldMessage::NotACountry),
                ("5", "departed_on", FieldMessage::NotADate),
                ("6", "departed_on", FieldMessage::InFuture),
                ("7", "port", FieldMessage::NotAPost),
            ]
        );
        assert_eq!(fe.more[2].get("value"), Some("2099-01-01"));
        assert!(
            v.store
                .departures(&ImmigrationFilter::default())
                .await
                .unwrap()
                .is_empty()
        );

        let last = AtomicU64::new(0);
        let done = immigration_csv::import_csv(&v.immigration, &clerk, GOOD, &|d, t| {
            assert_eq!(t, 3);
            last.store(d, Ordering::Relaxed);
        })
        .await
        .unwrap();
        assert_eq!(done.rows, 3);
        assert_eq!(last.load(Ordering::Relaxed), 3);
        let day = |d| Date::from_calendar_date(2026, Month::March, d).unwrap();
        let f = immigration::figures(&v.immigration, &clerk, day(1), day(31))
            .await
            .unwrap();
        assert_eq!(f.voluntary_departures, 3);
        assert_eq!(f.by_nationality["CN"], (0, 2));
        assert_eq!(f.by_nationality["VN"], (0, 1));
        let stored = v
            .store
            .departures(&ImmigrationFilter::default())
            .await
            .unwrap();
        assert!(
            stored
                .iter()
                .all(|d| d.departure.batch.as_deref() == Some(done.batch.as_str()))
        );
        assert!(
            stored
                .iter()
                .any(|d| d.departure.port == "KOS" && d.departure.province_code == "18")
        );
        // The figures' tallies follow writes made directly in SQL too.
        run_sql(
            &env,
            "UPDATE departures SET nationality = 'TH' WHERE port = 'KOS';
             DELETE FROM departures WHERE nationality = 'VN';",
        )
        .await;
        let f = immigration::figures(&v.immigration, &clerk, day(1), day(31))
            .await
            .unwrap();
        assert_eq!(f.voluntary_departures, 2);
        assert_eq!(f.by_nationality["CN"], (0, 1));
        assert_eq!(f.by_nationality["TH"], (0, 1));
        assert!(!f.by_nationality.contains_key("VN"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deportation_executes_its_order_once() {
    for env in envs("immig").await {
        let v = &env.v;
        let clerk = person(v, "dara", Role::Immigration, &[]).await;
        let o = immigration::record_order(
            &v.immigration,
            &clerk,
            &order("DO-2026-1", "12", "Zhang Wei"),
        )
        .await
        .unwrap();
        let (field, _) = invalid_field(
            immigration::record_order(&v.immigration, &clerk, &order("DO-2026-1", "12", "Other"))
                .await,
        );
        assert_eq!(field, "reference");
        immigration::record_departure(&v.immigration, &clerk, &deported(o, "KTI"))
            .await
            .unwrap();
        assert_eq!(
            v.store.deportation_order(o).await.unwrap().order.status,
            "executed"
        );
        let (field, message) = invalid_field(
            immigration::record_departure(&v.immigration, &clerk, &deported(o, "KTI")).await,
        );
        assert_eq!(field, "order_id");
        assert!(message.contains("executed"), "{message}");
        // A deportation without an order, a voluntary departure with one.
        let mut no_order = deported(o, "KTI");
        no_order.order_id = None;
        assert_eq!(
            invalid_field(immigration::record_departure(&v.immigration, &clerk, &no_order).await).0,
            "order_id"
        );
        let voluntary = DepartureInput {
            kind: "voluntary".into(),
            subject: subject("Li Na"),
            nationality: "VN".into(),
            departed_on: "2026-03-05".into(),
            port: "POIPET".into(),
            ..DepartureInput::default()
        };
        immigration::record_departure(&v.immigration, &clerk, &voluntary)
            .await
            .unwrap();
        let all = v
            .store
            .departures(&ImmigrationFilter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        let dep = all.iter().find(|d| d.departure.kind == "deported").unwrap();
        assert_eq!(dep.departure.nationality, "CN");
        assert_eq!(dep.departure.order_id, Some(o));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_provinces() {
    for env in envs("immig").await {
        let v = &env.v;
        let national = person(v, "dara", Role::Immigration, &[]).await;
        // Province 18 (Preah Sihanouk: the KOS airport).
        let local = person(v, "sok", Role::Immigration, &["18"]).await;
        let analyst = person(v, "vicheka", Role::Analyst, &[]).await;
        let prosecutor = person(v, "rith", Role::Prosecutor, &[]).await;
        let officer = person(v, "bopha", Role::Officer, &["18"]).await;
        let supervisor = person(v, "chan", Role::Supervisor, &[]).await;

        immigration_csv::import_csv(&v.immigration, &national, GOOD, &|_, _| {})
            .await
            .unwrap();
        let day = |d| Date::from_calendar_date(2026, Month::March, d).unwrap();
        for p in [&analyst, &prosecutor, &officer] {
            assert!(matches!(
                immigration::overview(&v.immigration, p, 50).await,
                Err(CoreError::Forbidden)
            ));
            assert!(matches!(
                immigration_csv::export_csv(&v.immigration, p, "CN", day(1), day(31)).await,
                Err(CoreError::Forbidden)
            ));
            assert!(matches!(
                immigration_csv::import_csv(&v.immigration, p, GOOD, &|_, _| {}).await,
                Err(CoreError::Forbidden)
            ));
            assert!(matches!(
                immigration::record_order(&v.immigration, p, &order("X", "18", "A")).await,
                Err(CoreError::Forbidden)
            ));
        }
        // The figures are counts: any role reads them within its jurisdiction.
        assert_eq!(
            immigration::figures(&v.immigration, &analyst, day(1), day(31))
                .await
                .unwrap()
                .voluntary_departures,
            3
        );
        assert_eq!(
            immigration::figures(&v.immigration, &officer, day(1), day(31))
                .await
                .unwrap()
                .voluntary_departures,
            1
        );
        // The local clerk sees only KOS's departure.
        let seen = immigration::overview(&v.immigration, &local, 50)
            .await
            .unwrap();
        assert_eq!(seen.departures.len(), 1);
        assert_eq!(seen.departures[0].subject.name, "Li Na");
        assert_eq!(
            immigration::overview(&v.immigration, &supervisor, 50)
                .await
                .unwrap()
                .departures
                .len(),
            3
        );
        let csv = immigration_csv::export_csv(&v.immigration, &local, "CN", day(1), day(31))
            .await
            .unwrap();
        assert!(csv.contains("Li Na") && !csv.contains("Zhang Wei"), "{csv}");
        // Another province's port, order and place are refused or absent.
        let elsewhere = DepartureInput {
            kind: "voluntary".into(),
            subject: subject("A"),
            nationality: "CN".into(),
            departed_on: "2026-03-05".into(),
            port: "KTI".into(),
            ..DepartureInput::default()
        };
        assert_eq!(
            invalid_field(immigration::record_departure(&v.immigration, &local, &elsewhere).await)
                .0,
            "port"
        );
        let o = immigration::record_order(&v.immigration, &national, &order("DO-12", "12", "B"))
            .await
            .unwrap();
        let (field, message) = invalid_field(
            immigration::record_departure(&v.immigration, &local, &deported(o, "KOS")).await,
        );
        assert_eq!(field, "order_id");
        assert!(message.contains("field-not-known"), "{message}");
        assert_eq!(
            invalid_field(
                immigration::record_order(&v.immigration, &local, &order("DO-13", "12", "C")).await
            )
            .0,
            "province_code"
        );
        // Officers record detentions from their operations only.
        let detention = |op: Option<i64>| DetentionInput {
            subject: subject("Chen Jie"),
            nationality: "CN".into(),
            place: "Sihanoukville immigration centre".into(),
            province_code: "18".into(),
            from_on: "2026-03-01".into(),
            until_on: String::new(),
            operation_id: op,
            person_id: Some(7),
        };
        assert!(matches!(
            immigration::record_detention(&v.immigration, &officer, &detention(None)).await,
            Err(CoreError::Forbidden)
        ));
        let op = operations::plan(
            &v.operations,
            &officer,
            &OperationInput {
                reference: "OP-1".into(),
                title: "Raid".into(),
                lead_agency: "Police".into(),
                province_code: "18".into(),
                place: "Compound".into(),
                status: "planned".into(),
                ..OperationInput::default()
            },
        )
        .await
        .unwrap();
        immigration::record_detention(&v.immigration, &officer, &detention(Some(op)))
            .await
            .unwrap();
        assert!(matches!(
            immigration::record_detention(&v.immigration, &analyst, &detention(Some(op))).await,
            Err(CoreError::Forbidden)
        ));
        let other_officer = person(v, "kosal", Role::Officer, &["12"]).await;
        let mut in_12 = detention(Some(op));
        in_12.province_code = "12".into();
        assert_eq!(
            invalid_field(
                immigration::record_detention(&v.immigration, &other_officer, &in_12).await
            )
            .0,
            "operation_id"
        );
        let f = immigration::figures(&v.immigration, &national, day(1), day(31))
            .await
            .unwrap();
        assert_eq!(f.detentions, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identities_are_sealed_and_the_export_is_audited() {
    for env in envs("immig").await {
        let v = &env.v;
        let clerk = person(v, "dara", Role::Immigration, &[]).await;
        immigration_csv::import_csv(&v.immigration, &clerk, GOOD, &|_, _| {})
            .await
            .unwrap();
        let o = immigration::record_order(
            &v.immigration,
            &clerk,
            &order("DO-9", "12", "Sealedname Orderonly"),
        )
        .await
        .unwrap();
        immigration::record_departure(&v.immigration, &clerk, &deported(o, "KTI"))
            .await
            .unwrap();
        if env.url.starts_with("sqlite:") {
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(env.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    bytes.extend(std::fs::read(&path).unwrap());
                }
            }
            for needle in ["Zhang Wei", "Sealedname", "E11111111", "1990-01-02"] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "{needle} found in the raw database"
                );
            }
            // The nationality, day and port are in the clear.
            assert!(bytes.windows(3).any(|w| w == b"KOS"));
        } else {
            let mut c = sqlx::PgConnection::connect(&env.url).await.unwrap();
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM departures WHERE position('Zhang'::bytea in subject) > 0",
            )
            .fetch_one(&mut c)
            .await
            .unwrap();
            assert_eq!(n, 0);
        }
        let day = |d| Date::from_calendar_date(2026, Month::March, d).unwrap();
        let csv = immigration_csv::export_csv(&v.immigration, &clerk, "cn", day(1), day(31))
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], immigration_csv::EXPORT_COLUMNS.join(","));
        assert_eq!(lines.len(), 1 + 3 + 1, "{csv}");
        assert!(csv.contains(",voluntary,,Zhang Wei,E11111111,1990-01-02,CN,2026-03-01,KTI,"));
        assert!(
            csv.contains(",deported,,Sealedname Orderonly,E12345678,1994-05-06,CN,2026-03-04,KTI,")
        );
        assert!(csv.contains("order,DO-9,deportation_order,executed,Sealedname Orderonly"));
        assert!(!csv.contains("Nguyen"));
        let audit = v.store.audit_after(0, 1000).await.unwrap();
        let export = audit
            .iter()
            .map(|e| &e.entry)
            .find(|e| e.action == AuditAction::ImmigrationExport)
            .expect("export audited");
        assert_eq!(export.actor, "staff:dara");
        assert_eq!(export.object, "nationality:CN");
        assert!(
            export.detail.contains("departures=3 orders=1"),
            "{}",
            export.detail
        );
    }
}
