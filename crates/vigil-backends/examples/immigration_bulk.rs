//! Times the immigration CSV import's store side and the figures query on
//! 210,000 voluntary departures in one `insert_departures_bulk`
//! (one transaction), then 40,000 more, then `immigration_figures` over a year
//! at 250,000 departures, on SQLite (a temporary directory) or, with the
//! argument `postgres`, in a fresh database made beside the one named by
//! `VIGIL_TEST_POSTGRES_URL` (dropped afterwards). Run with
//! `cargo run --release -p vigil-backends --example immigration_bulk [postgres]`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

use sqlx::Connection;
use time::{Date, Duration, Month, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_store::{NewDeparture, NewStaff};

const PORTS: [(&str, &str); 5] = [
    ("KTI", "08"),
    ("KOS", "18"),
    ("SAI", "17"),
    ("POIPET", "01"),
    ("BAVET", "20"),
];
const NATIONALITIES: [&str; 6] = ["CN", "VN", "TH", "ID", "MM", "LA"];

fn audit(action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        actor: "bench".into(),
        action,
        object: String::new(),
        detail: String::new(),
    }
}

fn rows(n: usize, start: usize, by: vigil_domain::StaffId) -> Vec<NewDeparture> {
    let first = Date::from_calendar_date(2025, Month::January, 1).unwrap();
    (start..start + n)
        .map(|i| {
            let (port, province) = PORTS[i % PORTS.len()];
            NewDeparture {
                kind: "voluntary".into(),
                // About the size of a sealed identity (envelope + JSON).
                subject: vec![(i % 251) as u8; 110],
                person_id: None,
                operation_id: None,
                order_id: None,
                nationality: NATIONALITIES[i % NATIONALITIES.len()].into(),
                departed_on: first + Duration::days((i % 600) as i64),
                port: port.into(),
                province_code: province.into(),
                batch: Some("bench".into()),
                created_by: by,
                created_at: OffsetDateTime::now_utc(),
            }
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let on_postgres = std::env::args().nth(1).as_deref() == Some("postgres");
    let dir = tempfile::tempdir().unwrap();
    let name = "vigil_immigration_bench";
    let admin = std::env::var("VIGIL_TEST_POSTGRES_URL").unwrap_or_default();
    let mut c = None;
    let url = if on_postgres {
        assert!(
            !admin.is_empty(),
            "VIGIL_TEST_POSTGRES_URL=postgres://user:pass@host:port/postgres"
        );
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        c = Some(conn);
        format!("{}/{name}", &admin[..admin.rfind('/').unwrap()])
    } else {
        String::new()
    };
    let store = vigil_backends::open_store(
        &url,
        dir.path(),
        vigil_domain::audit::AuditKey::from_bytes([0; 32]),
    )
    .await
    .unwrap();
    let by = store
        .create_staff(
            NewStaff {
                username: "bench".into(),
                display_name: "bench".into(),
                role: Role::Immigration,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .unwrap();
    let batch = rows(210_000, 0, by);
    let t = Instant::now();
    let n = store
        .insert_departures_bulk(&batch, audit(AuditAction::DepartureImport), &|_| {})
        .await
        .unwrap();
    println!("insert_departures_bulk: {n} rows in {:.2?}", t.elapsed());
    store
        .insert_departures_bulk(
            &rows(40_000, 210_000, by),
            audit(AuditAction::DepartureImport),
            &|_| {},
        )
        .await
        .unwrap();
    let from = Date::from_calendar_date(2025, Month::March, 1).unwrap();
    let to = Date::from_calendar_date(2026, Month::February, 28).unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let f = store.immigration_figures(from, to, None).await.unwrap();
        times.push(t.elapsed());
        assert!(f.voluntary_departures > 0);
    }
    times.sort();
    println!(
        "immigration_figures (national, 1 year, 250,000 departures): p50 {:.2?}, max {:.2?}",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    let provinces = vec!["18".to_string(), "08".to_string()];
    let t = Instant::now();
    let f = store
        .immigration_figures(from, to, Some(&provinces))
        .await
        .unwrap();
    println!(
        "immigration_figures (two provinces): {:.2?} ({} voluntary)",
        t.elapsed(),
        f.voluntary_departures
    );
    drop(store);
    if let Some(mut c) = c {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await
        .unwrap();
    }
}
