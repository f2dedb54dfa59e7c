//! The intake benchmark ("Performance"): durable intake on the
//! embedded SQLite store, measured in one run on one disk beside a plain
//! SQLite loop that commits (and so fsyncs) once per tip.
//!
//! Phases:
//! 1. `peer`: one connection, WAL, `synchronous=FULL`, one INSERT per
//!    transaction (autocommit), through sqlx's SQLite; and, for scale, the
//!    same table written 512 tips per transaction (one statement per tip, and
//!    one `json_each` statement per batch).
//! 2. `store`: `SqliteStore::submit_tip` from many concurrent submitters
//!    (group commit in the store's writer task).
//! 3. `core`: `vigil_core::intake::submit` (validation, argon2id receipt hash,
//!    store), for several `receipts.argon2_memory_kib` values; plus the cost of
//!    one receipt hash alone.
//! 4. `http`: the release `vigil serve` as a child process on 127.0.0.1, driven
//!    by `wrk` (closed loop, maximum throughput) and by a paced open-loop client
//!    in `http.rs` (latency at a fixed offered rate, measured from each
//!    request's scheduled time so queueing is not hidden).
//!
//! Run with `bench/intake/run.sh`, or
//! `cargo bench -p vigil-synth --bench intake -- --vigil-bin target/release/vigil`.
//! Every load loop is bounded in count and in time; everything listens and
//! connects on 127.0.0.1 only.

mod disk;
mod http;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use time::OffsetDateTime;
use vigil_synth::SynthTip;

const SEED: u64 = 2026;

/// Command-line options (all optional).
struct Opts {
    /// Where results go (default `bench/out`).
    out: PathBuf,
    /// Where the databases go (default `<out>/data`); must be on the disk measured.
    data: PathBuf,
    /// The release `vigil` binary; without it the HTTP phase is skipped.
    vigil_bin: Option<PathBuf>,
    /// Seconds per throughput measurement.
    secs: f64,
    /// Concurrent submitters for the store phase.
    store_concurrency: Vec<usize>,
    /// Concurrent submitters for the core phase.
    core_concurrency: Vec<usize>,
    /// argon2 memory (KiB) values for the core and HTTP phases; the first is
    /// the default.
    argon2_kib: Vec<u32>,
    /// Offered rate of the paced HTTP run.
    rate: f64,
    /// wrk connection counts for the maximum-throughput HTTP runs (the
    /// number of requests in flight bounds the store's group-commit batch).
    wrk_conns: Vec<usize>,
    /// Phases to run.
    phases: Vec<String>,
}

impl Opts {
    fn parse() -> anyhow::Result<Self> {
        let mut o = Opts {
            out: PathBuf::from("bench/out"),
            data: PathBuf::new(),
            vigil_bin: None,
            secs: 8.0,
            store_concurrency: vec![1, 256, 1024, 2048],
            core_concurrency: vec![2, 64],
            argon2_kib: vec![2048, 256, 8],
            rate: 2000.0,
            wrk_conns: vec![64, 256],
            phases: ["peer", "store", "core", "http"].map(String::from).to_vec(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            let mut val = || args.next().ok_or_else(|| anyhow!("{a} needs a value"));
            match a.as_str() {
                "--out" => o.out = PathBuf::from(val()?),
                "--data" => o.data = PathBuf::from(val()?),
                "--vigil-bin" => o.vigil_bin = Some(PathBuf::from(val()?)),
                "--secs" => o.secs = val()?.parse()?,
                "--store-concurrency" => o.store_concurrency = list(&val()?)?,
                "--core-concurrency" => o.core_concurrency = list(&val()?)?,
                "--argon2-kib" => o.argon2_kib = list(&val()?)?,
                "--rate" => o.rate = val()?.parse()?,
                "--wrk-conns" => o.wrk_conns = list(&val()?)?,
                "--phases" => o.phases = val()?.split(',').map(String::from).collect(),
                // cargo bench passes --bench to harness=false targets.
                "--bench" => {}
                other => bail!("unknown option {other}"),
            }
        }
        if o.data.as_os_str().is_empty() {
            o.data = o.out.join("data");
        }
        if o.secs <= 0.0 || o.secs > 60.0 {
            bail!("--secs must be in (0, 60]");
        }
        Ok(o)
    }

    fn dur(&self) -> Duration {
        Duration::from_secs_f64(self.secs)
    }

    fn runs(&self, phase: &str) -> bool {
        self.phases.iter().any(|p| p == phase)
    }
}

fn list<T: FromStr>(s: &str) -> anyhow::Result<Vec<T>>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    s.split(',')
        .map(|x| x.trim().parse::<T>().map_err(anyhow::Error::from))
        .collect()
}

/// One line of the results table.
struct Row {
    what: String,
    tips: u64,
    secs: f64,
    /// Acknowledgement latency percentiles (p50, p90, p99, max), µs.
    lat: Option<[u64; 4]>,
    note: String,
}

impl Row {
    fn rate(&self) -> f64 {
        if self.secs > 0.0 {
            self.tips as f64 / self.secs
        } else {
            0.0
        }
    }
}

fn ms(us: u64) -> String {
    if us == u64::MAX {
        "unanswered".into()
    } else {
        format!("{:.2}", us as f64 / 1000.0)
    }
}

/// p50, p90, p99 and max of latencies in µs (`u64::MAX` for unanswered).
fn percentiles(lat: &mut [u64]) -> Option<[u64; 4]> {
    if lat.is_empty() {
        return None;
    }
    lat.sort_unstable();
    let at = |p: f64| lat[(((lat.len() as f64) * p).ceil() as usize).clamp(1, lat.len()) - 1];
    Some([at(0.50), at(0.90), at(0.99), lat[lat.len() - 1]])
}

fn fresh_dir(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let d = root.join(name);
    if d.exists() {
        std::fs::remove_dir_all(&d).with_context(|| format!("cannot clear {}", d.display()))?;
    }
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    Ok(d)
}

fn synth_pool(n: u64) -> Vec<SynthTip> {
    vigil_synth::tips(SEED, n).collect()
}

// ---------------------------------------------------------------------------

fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "| measurement | tips | s | tips/s | ack p50 ms | p90 ms | p99 ms | max ms | notes |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let (p50, p90, p99, max) = match r.lat {
            Some([a, b, c, d]) => (ms(a), ms(b), ms(c), ms(d)),
            None => Default::default(),
        };
        t.push_str(&format!(
            "| {} | {} | {:.1} | {:.0} | {p50} | {p90} | {p99} | {max} | {} |\n",
            r.what,
            r.tips,
            r.secs,
            r.rate(),
            r.note
        ));
    }
    t
}

/// The 1-minute load average: how busy the shared machine was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}

fn main() -> anyhow::Result<()> {
    let o = Opts::parse()?;
    std::fs::create_dir_all(&o.out)?;
    std::fs::create_dir_all(&o.data)?;
    // `INTAKE_BENCH_RUNTIME=current` runs the in-process phases on one thread
    // (a diagnosis aid: it removes wake-ups between runtime workers).
    let rt = if std::env::var("INTAKE_BENCH_RUNTIME").as_deref() == Ok("current") {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
    };
    rt.block_on(run(o))
}

async fn run(o: Opts) -> anyhow::Result<()> {
    let started = OffsetDateTime::now_utc();
    let load_before = loadavg();
    let pool = Arc::new(synth_pool(10_000));
    let bytes: usize = pool.iter().map(|t| t.text.len()).sum();
    println!(
        "synthetic tips: {} texts, mean {} bytes; data on {}",
        pool.len(),
        bytes / pool.len(),
        o.data.display()
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut peer_rate: Option<f64> = None;
    if o.runs("peer") {
        for r in disk::peer(&o, &pool).await? {
            println!("{}: {:.0} tips/s", r.what, r.rate());
            peer_rate = peer_rate.or(Some(r.rate()));
            rows.push(r);
        }
    }
    if o.runs("store") {
        for r in disk::store_phase(&o, &pool).await? {
            println!("{}: {:.0} tips/s", r.what, r.rate());
            rows.push(r);
        }
    }
    if o.runs("core") {
        for r in disk::core_phase(&o, &pool).await? {
            println!("{}: {:.0} tips/s", r.what, r.rate());
            rows.push(r);
        }
    }
    if o.runs("http") {
        match &o.vigil_bin {
            Some(bin) => {
                for r in http::http_phase(&o, bin).await? {
                    println!("{}: {:.0} tips/s", r.what, r.rate());
                    rows.push(r);
                }
            }
            None => println!("http: skipped (no --vigil-bin)"),
        }
    }
    if let Some(peer) = peer_rate.filter(|p| *p > 0.0) {
        for r in rows.iter_mut().skip(1) {
            r.note = format!("{:.1}× peer; {}", r.rate() / peer, r.note);
        }
    }
    let took = OffsetDateTime::now_utc() - started;
    let mut report = format!(
        "Intake benchmark, {} UTC, {} logical CPUs, took {:.0} s; load average before {load_before}, after {}\n\n",
        started
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        took.as_seconds_f64(),
        loadavg()
    );
    report.push_str(&table(&rows));
    println!("\n{report}");
    let stamp = started.unix_timestamp();
    std::fs::write(o.out.join(format!("intake-{stamp}.md")), &report)?;
    std::fs::write(o.out.join("intake-latest.md"), &report)?;
    Ok(())
}
