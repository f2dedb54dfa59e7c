//! Correlation benchmark: bulk-loads N occurrences (identifier,
//! tip) into a fresh SQLite file and a fresh PostgreSQL database, then times
//! "the first 50 related tips of a value seen 12,000 times" through the
//! `Store` trait and reports the bytes per occurrence, each against a peer
//! measured in the same run (a pairwise correlation table's size; a query
//! without LIMIT pushdown).
//!
//! ```sh
//! bash bench/correlation/run.sh      # N=10000000 by default
//! correlation [--n N] [--hot 100] [--hot-tips 12000] [--queries 2000] [--seed 4]
//!             [--out DIR] [--pg ADMIN_URL] [--db NAME] [--backends sqlite,postgres]
//!             [--compact] [--reuse --rounds R]
//! ```
//!
//! `--reuse` skips loading and sizing and times the queries `--rounds` times
//! against the stores a previous run left (same `--n` and `--seed`).

mod data;
mod load;
mod measure;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sqlx::Executor;
use vigil_domain::TipId;
use vigil_store::{DynStore, ObservableId};

use data::{Data, Rng, kind_value};
use measure::{Stats, time};

struct Args {
    n: usize,
    hot: u32,
    hot_tips: u32,
    queries: usize,
    seed: u64,
    out: PathBuf,
    pg: String,
    db: String,
    sqlite: bool,
    postgres: bool,
    compact: bool,
    reuse: bool,
    rounds: usize,
}

fn args() -> Result<Args> {
    let mut a = Args {
        n: 10_000_000,
        hot: 100,
        hot_tips: 12_000,
        queries: 2_000,
        seed: 4,
        out: PathBuf::from("bench/out/correlation"),
        pg: std::env::var("VIGIL_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://vigil:vigil@127.0.0.1:5433/postgres".into()),
        db: "vigil_bench_correlation".into(),
        sqlite: true,
        postgres: true,
        compact: false,
        reuse: false,
        rounds: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--compact" || flag == "--reuse" {
            a.compact |= flag == "--compact";
            a.reuse |= flag == "--reuse";
            continue;
        }
        let v = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--n" => a.n = v.parse()?,
            "--hot" => a.hot = v.parse()?,
            "--hot-tips" => a.hot_tips = v.parse()?,
            "--queries" => a.queries = v.parse()?,
            "--rounds" => a.rounds = v.parse()?,
            "--seed" => a.seed = v.parse()?,
            "--out" => a.out = v.into(),
            "--pg" => a.pg = v,
            "--db" => a.db = v,
            "--backends" => {
                a.sqlite = v.split(',').any(|b| b == "sqlite");
                a.postgres = v.split(',').any(|b| b == "postgres");
            }
            _ => bail!("unknown flag {flag}"),
        }
    }
    Ok(a)
}

/// Prints one result line.
fn line(backend: &str, what: &str, s: &Stats) {
    println!("{backend:8} {what:58} {s}");
}

/// The query sets, timed through the store, then the naive peer.
async fn latencies(
    backend: &str,
    store: &DynStore,
    data: &Data,
    a: &Args,
    naive: impl AsyncFn(&str, &str) -> Result<Vec<i64>>,
) -> Result<()> {
    let q = a.queries;
    let mut rng = Rng::new(a.seed ^ 0x5eed);
    let mut hot = data.hot.clone();
    for i in (1..hot.len()).rev() {
        hot.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let page = |id: u32, before: Option<u32>| {
        let store = store.clone();
        async move {
            let tips = store
                .related_tips_page(
                    ObservableId(i64::from(id)),
                    None,
                    before.map(|t| TipId(i64::from(t))),
                    50,
                )
                .await?;
            Ok::<_, anyhow::Error>(tips.len())
        }
    };
    // Warm-up: every hot value once.
    for &id in &hot {
        page(id, None).await?;
    }
    let s = time(q, |i| page(hot[i % hot.len()], None)).await?;
    line(backend, "hot: first 50 by id (related_tips_page)", &s);
    anyhow::ensure!(s.rows == 50 * q, "every hot page is full");
    let by_value = |id: u32| {
        let store = store.clone();
        async move {
            let (kind, value) = kind_value(id);
            let o = store
                .observable(kind, &value)
                .await?
                .context("hot value missing")?;
            anyhow::ensure!(o.tips == i64::from(data.tips_per_value[id as usize]));
            Ok::<_, anyhow::Error>(store.related_tips(o.id, None, 50).await?.len())
        }
    };
    let ours = time(q, |i| by_value(hot[i % hot.len()])).await?;
    line(
        backend,
        "hot: first 50 by value (observable + related_tips)",
        &ours,
    );
    let cursors: Vec<u32> = (0..q)
        .map(|_| 1 + rng.below(u64::from(data.tips)) as u32)
        .collect();
    let s = time(q, |i| page(hot[i % hot.len()], Some(cursors[i]))).await?;
    line(backend, "hot: 50 before a random tip (keyset page)", &s);
    let uniform: Vec<u32> = (0..q)
        .map(|_| 1 + rng.below(u64::from(data.observables)) as u32)
        .collect();
    let s = time(q, |i| page(uniform[i], None)).await?;
    line(backend, "random value (uniform over values): first 50", &s);
    let weighted: Vec<u32> = (0..q)
        .map(|_| data.occurrences[rng.below(data.occurrences.len() as u64) as usize].1)
        .collect();
    let s = time(q, |i| page(weighted[i], None)).await?;
    line(backend, "random value (by occurrence): first 50", &s);
    let peer_n = (q / 10).max(100);
    let s = time(peer_n, |i| {
        let (kind, value) = kind_value(hot[i % hot.len()]);
        let naive = &naive;
        async move {
            // The first 50 are cut in the application: every row came back.
            let all = naive(kind, &value).await?;
            Ok(all.len())
        }
    })
    .await?;
    line(backend, "PEER hot by value: JOIN + ORDER BY, no LIMIT", &s);
    println!(
        "{backend:8} by value, peer / ours: p50 {:.1}x, p99 {:.1}x",
        s.p50 / ours.p50,
        s.p99 / ours.p99
    );
    Ok(())
}

/// The peer: every tip of the value, sorted, cut to 50 in the application.
const NAIVE_SQLITE: &str = "SELECT s.tip_id FROM sightings s
     JOIN observables o ON o.id = s.observable_id
     WHERE o.kind = ? AND o.value = ? ORDER BY s.tip_id DESC";

/// The same peer on PostgreSQL.
const NAIVE_POSTGRES: &str = "SELECT s.tip_id::BIGINT FROM sightings s
     JOIN observables o ON o.id = s.observable_id
     WHERE o.kind = $1 AND o.value = $2 ORDER BY s.tip_id DESC";

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn bytes_report(backend: &str, sizes: &[(String, i64)], total: i64, data: &Data) {
    let rows = data.occurrences.len() as f64;
    for (name, b) in sizes {
        println!(
            "{backend:8} size {name:32} {:>12} bytes  {:6.1} B/occurrence",
            b,
            *b as f64 / rows
        );
    }
    let per = total as f64 / rows;
    let pairs = data.pairs();
    println!(
        "{backend:8} occurrences {} = {:.1} B/occurrence (goal <= 40: {}); \
         a pairwise table: {} pairs x {:.1} B = {:.1} GB ({:.0}x)",
        data.occurrences.len(),
        per,
        if per <= 40.0 { "met" } else { "MISSED" },
        pairs,
        per,
        pairs as f64 * per / 1e9,
        pairs as f64 / rows
    );
}

async fn run_sqlite(a: &Args, data: &Data) -> Result<()> {
    let dir = a.out.join("sqlite");
    if a.reuse {
        let store: DynStore = Arc::new(
            vigil_store_sqlite::open(&dir, vigil_domain::audit::AuditKey::from_bytes([0; 32]))
                .await?,
        );
        let mut peer = load::sqlite_conn(&dir).await?;
        let peer = tokio::sync::Mutex::new(&mut peer);
        for round in 1..=a.rounds {
            println!("sqlite   round {round}, load {}", loadavg());
            latencies(
                "sqlite",
                &store,
                data,
                a,
                async |kind: &str, value: &str| {
                    let mut c = peer.lock().await;
                    Ok(sqlx::query_scalar(NAIVE_SQLITE)
                        .bind(kind)
                        .bind(value)
                        .fetch_all(&mut **c)
                        .await?)
                },
            )
            .await?;
        }
        return Ok(());
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let t0 = Instant::now();
    load::sqlite(&dir, data).await?;
    println!(
        "sqlite   loaded {} occurrences in {:.1} s ({:.0}/s)",
        data.occurrences.len(),
        t0.elapsed().as_secs_f64(),
        data.occurrences.len() as f64 / t0.elapsed().as_secs_f64()
    );
    let sizes = load::sqlite_sizes(&dir).await?;
    let total = sizes.iter().map(|s| s.1).sum();
    bytes_report("sqlite", &sizes, total, data);
    {
        let store: DynStore = Arc::new(
            vigil_store_sqlite::open(&dir, vigil_domain::audit::AuditKey::from_bytes([0; 32]))
                .await?,
        );
        let mut peer = load::sqlite_conn(&dir).await?;
        let peer = tokio::sync::Mutex::new(&mut peer);
        latencies(
            "sqlite",
            &store,
            data,
            a,
            async |kind: &str, value: &str| {
                let mut c = peer.lock().await;
                Ok(sqlx::query_scalar(NAIVE_SQLITE)
                    .bind(kind)
                    .bind(value)
                    .fetch_all(&mut **c)
                    .await?)
            },
        )
        .await?;
    }
    if a.compact {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let t0 = Instant::now();
        load::sqlite_vacuum(&dir).await?;
        eprintln!("  VACUUM: {:.1} s", t0.elapsed().as_secs_f64());
        let sizes = load::sqlite_sizes(&dir).await?;
        let total = sizes.iter().map(|s| s.1).sum();
        println!("sqlite   after VACUUM (compact, as if bulk-built):");
        bytes_report("sqlite", &sizes, total, data);
    }
    Ok(())
}

async fn run_postgres(a: &Args, data: &Data) -> Result<()> {
    if a.reuse {
        let url = load::with_database(&a.pg, &a.db);
        load::postgres_prepare_reuse(&url).await?;
        let store =
            vigil_store_postgres::connect(&url, vigil_domain::audit::AuditKey::from_bytes([0; 32]))
                .await?;
        let dyn_store: DynStore = Arc::new(store.clone());
        let peer = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await?;
        for round in 1..=a.rounds {
            println!("postgres round {round}, load {}", loadavg());
            latencies(
                "postgres",
                &dyn_store,
                data,
                a,
                async |kind: &str, value: &str| {
                    Ok(sqlx::query_scalar(NAIVE_POSTGRES)
                        .bind(kind)
                        .bind(value)
                        .fetch_all(&peer)
                        .await?)
                },
            )
            .await?;
        }
        peer.close().await;
        store.close().await;
        return Ok(());
    }
    let t0 = Instant::now();
    let url = load::postgres(&a.pg, &a.db, data).await?;
    println!(
        "postgres loaded {} occurrences in {:.1} s ({:.0}/s), database {}",
        data.occurrences.len(),
        t0.elapsed().as_secs_f64(),
        data.occurrences.len() as f64 / t0.elapsed().as_secs_f64(),
        a.db
    );
    let sizes = load::postgres_sizes(&url, "sightings").await?;
    let total = sizes.last().map_or(0, |s| s.1);
    bytes_report("postgres", &sizes, total, data);
    {
        let store =
            vigil_store_postgres::connect(&url, vigil_domain::audit::AuditKey::from_bytes([0; 32]))
                .await?;
        let dyn_store: DynStore = Arc::new(store.clone());
        let peer = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await?;
        peer.execute("SELECT 1").await?;
        latencies(
            "postgres",
            &dyn_store,
            data,
            a,
            async |kind: &str, value: &str| {
                Ok(sqlx::query_scalar(NAIVE_POSTGRES)
                    .bind(kind)
                    .bind(value)
                    .fetch_all(&peer)
                    .await?)
            },
        )
        .await?;
        peer.close().await;
        store.close().await;
    }
    if a.compact {
        let t0 = Instant::now();
        load::postgres_vacuum_full(&url).await?;
        eprintln!("  VACUUM FULL: {:.1} s", t0.elapsed().as_secs_f64());
        let sizes = load::postgres_sizes(&url, "sightings").await?;
        let total = sizes.last().map_or(0, |s| s.1);
        println!("postgres after VACUUM FULL (compact, as if bulk-built):");
        bytes_report("postgres", &sizes, total, data);
        let t0 = Instant::now();
        load::postgres_old_schema(&url).await?;
        eprintln!("  schema before 0007: {:.1} s", t0.elapsed().as_secs_f64());
        let sizes = load::postgres_sizes(&url, "sightings_0004").await?;
        let total = sizes.last().map_or(0, |s| s.1);
        println!("postgres the schema before 0007 (BIGINT, two composite indexes), compact:");
        bytes_report("postgres", &sizes, total, data);
    }
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let t0 = Instant::now();
    let data = data::generate(a.n, a.hot, a.hot_tips, a.seed);
    let max_tail = data.tips_per_value[data.hot.len() + 1..]
        .iter()
        .max()
        .copied()
        .unwrap_or(0);
    let once = data.tips_per_value[1..].iter().filter(|&&n| n == 1).count();
    println!(
        "data     {} occurrences, {} tips ({:.2} identifiers/tip), {} values \
         ({} seen once; busiest non-hot value {} tips), {} hot values with {} tips each, \
         {} repeats dropped; generated in {:.1} s",
        data.occurrences.len(),
        data.tips,
        data.occurrences.len() as f64 / f64::from(data.tips),
        data.observables,
        once,
        max_tail,
        data.hot.len(),
        data.tips_per_value[1],
        data.dropped,
        t0.elapsed().as_secs_f64()
    );
    println!("load     {}", loadavg());
    if a.sqlite {
        run_sqlite(&a, &data).await?;
        println!("load     {}", loadavg());
    }
    if a.postgres {
        run_postgres(&a, &data).await?;
        println!("load     {}", loadavg());
    }
    Ok(())
}
