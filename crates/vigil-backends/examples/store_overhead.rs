//! What the store written once costs over bare SQL: the same reads through
//! `SqlStore` (statement rendered for the dialect, values and rows through
//! Vigil's own types, one boxed future per call) and through sqlx directly
//! with hand-written row mapping, on the same SQLite database, at two sizes
//! eight times apart. Run with
//! `cargo run --release -p vigil-backends --example store_overhead`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stdout)]

use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use vigil_domain::{TipId, TipStatus};
use vigil_store::conformance::sample_submission;
use vigil_store::{DynStore, TipRow};

const PAGE: i64 = 500;
const LOOKUPS: usize = 2_000;

fn bare_tip(r: &sqlx::sqlite::SqliteRow) -> TipRow {
    let nanos = |c: &str| {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(r.get::<i64, _>(c))).unwrap()
    };
    TipRow {
        id: TipId(r.get("id")),
        external_ref: r.get("external_ref"),
        channel: vigil_domain::Channel::parse(r.get("channel")).unwrap(),
        category: vigil_domain::Category::parse(r.get("category")).unwrap(),
        text: r.get("text"),
        location: vigil_domain::Location {
            province_code: r.get("province_code"),
            district_code: r.get("district_code"),
            commune_code: r.get("commune_code"),
            village_code: r.get("village_code"),
            place: r.get("place"),
            lat: r.get("lat"),
            lon: r.get("lon"),
        },
        danger: vigil_domain::DangerFlags::from_bits(r.get("danger")),
        status: TipStatus::parse(r.get("status")).unwrap(),
        language: r.get("language"),
        received_at: nanos("received_at"),
    }
}

async fn best_of<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f().await);
        best = best.min(t.elapsed());
    }
    best
}

#[tokio::main]
async fn main() {
    println!("| tips | read | SqlStore | bare sqlx | SqlStore / bare |");
    println!("|---|---|---|---|---|");
    for n in [4_000u32, 32_000] {
        let dir = tempfile::tempdir().unwrap();
        let store: DynStore = vigil_backends::open_store(
            "",
            dir.path(),
            vigil_domain::audit::AuditKey::from_bytes([0; 32]),
        )
        .await
        .unwrap();
        let mut pending = Vec::new();
        for i in 0..n {
            let s = store.clone();
            pending.push(tokio::spawn(async move {
                s.submit_tip(sample_submission(i)).await
            }));
            if pending.len() == 512 {
                for p in pending.drain(..) {
                    p.await.unwrap().unwrap();
                }
            }
        }
        for p in pending {
            p.await.unwrap().unwrap();
        }
        let opts = SqliteConnectOptions::from_str("sqlite:")
            .unwrap()
            .filename(dir.path().join(vigil_backends::SQLITE_DB_FILE))
            .read_only(true);
        let bare = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .unwrap();
        let ids: Vec<TipId> = (0..LOOKUPS)
            .map(|k| TipId(1 + (k as i64 * 7919) % i64::from(n)))
            .collect();

        let walk_store = best_of(5, || async {
            let (mut after, mut seen) = (TipId(0), 0);
            loop {
                let page = store.tips_after(after, PAGE).await.unwrap();
                let Some(last) = page.last() else { break };
                after = last.id;
                seen += page.len();
            }
            seen
        })
        .await;
        let walk_bare = best_of(5, || async {
            let (mut after, mut seen) = (0i64, 0);
            loop {
                let rows = sqlx::query("SELECT * FROM tips WHERE id > ? ORDER BY id LIMIT ?")
                    .bind(after)
                    .bind(PAGE)
                    .fetch_all(&bare)
                    .await
                    .unwrap();
                let page: Vec<TipRow> = rows.iter().map(bare_tip).collect();
                let Some(last) = page.last() else { break };
                after = last.id.0;
                seen += page.len();
            }
            seen
        })
        .await;
        let one_store = best_of(5, || async {
            let mut found = 0;
            for id in &ids {
                found += usize::from(store.tip(*id).await.is_ok());
            }
            found
        })
        .await;
        let one_bare = best_of(5, || async {
            let mut found = 0;
            for id in &ids {
                let row = sqlx::query("SELECT * FROM tips WHERE id = ?")
                    .bind(id.0)
                    .fetch_optional(&bare)
                    .await
                    .unwrap();
                found += usize::from(row.as_ref().map(bare_tip).is_some());
            }
            found
        })
        .await;
        for (what, s, b) in [
            (format!("every tip, {PAGE} a page"), walk_store, walk_bare),
            (format!("{LOOKUPS} tips one by one"), one_store, one_bare),
        ] {
            println!(
                "| {n} | {what} | {:.1} ms | {:.1} ms | {:.2} |",
                s.as_secs_f64() * 1e3,
                b.as_secs_f64() * 1e3,
                s.as_secs_f64() / b.as_secs_f64()
            );
        }
    }
}
