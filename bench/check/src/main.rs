//! The public check at scale: `check --n N` loads N sightings (N/4 tips)
//! into a fresh SQLite store, then times, through Vigil itself, a check of
//! a whole message (one hot value, one seen 3–49 times, one seen twice, one
//! never seen), the check of a value seen k − 1 times against one never
//! seen, and the range API in process and over HTTP; each against the same
//! lookups as plain SQL over a connection of its own, in the same run.

mod load;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sqlx::Row;
use vigil_core::check;
use vigil_domain::check::{RangePrefix, ValueDigest};

use load::{Rng, handle};

struct Args {
    n: u64,
    out: PathBuf,
    queries: usize,
    seconds: u64,
    reuse: bool,
}

fn args() -> Result<Args> {
    let mut a = Args {
        n: 10_000_000,
        out: PathBuf::from("bench/out/check"),
        queries: 2_000,
        seconds: 10,
        reuse: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().context("a value after the flag");
        match flag.as_str() {
            "--n" => a.n = value()?.parse()?,
            "--out" => a.out = PathBuf::from(value()?),
            "--queries" => a.queries = value()?.parse()?,
            "--seconds" => a.seconds = value()?.parse()?,
            "--reuse" => a.reuse = true,
            other => anyhow::bail!("unknown flag {other}"),
        }
    }
    Ok(a)
}

fn quantiles(mut us: Vec<f64>) -> (f64, f64, f64) {
    us.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| us[((us.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), at(1.0))
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

async fn open(dir: &std::path::Path) -> Result<vigil_core::Vigil> {
    let mut s = vigil_core::Settings::default();
    s.storage.data_dir = dir.to_path_buf();
    s.receipts.argon2_memory_kib = 64;
    Ok(vigil_backends::open(s).await?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    let dir = a.out.join(format!("sqlite-{}", a.n));
    let meta = dir.join("bench.txt");
    let (twice, middling) = if a.reuse && meta.exists() {
        let text = std::fs::read_to_string(&meta)?;
        let mut lines = text.lines();
        let ids = |l: Option<&str>| -> Vec<u32> {
            l.unwrap_or("")
                .split(',')
                .filter_map(|x| x.parse().ok())
                .collect()
        };
        (ids(lines.next()), ids(lines.next()))
    } else {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        drop(open(&dir).await?);
        let t0 = Instant::now();
        let loaded = load::load(&dir, a.n, 15).await?;
        eprintln!(
            "loaded {} tips, {} values, {} sightings in {:.0} s",
            loaded.tips,
            loaded.values,
            loaded.occurrences,
            t0.elapsed().as_secs_f64()
        );
        let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        std::fs::write(
            &meta,
            format!("{}\n{}\n", join(&loaded.twice), join(&loaded.middling)),
        )?;
        (loaded.twice, loaded.middling)
    };
    anyhow::ensure!(
        !twice.is_empty() && !middling.is_empty(),
        "no values to ask for"
    );
    let v = open(&dir).await?;
    let mut peer = load::peer(&dir).await?;
    let mut r = Rng::new(7);
    println!("## n = {} sightings (SQLite)", a.n);
    println!();
    println!(
        "| what | ours p50 µs | ours p99 µs | ours max µs | peer p50 µs | peer p99 µs | peer / ours (p50) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");

    // A whole message: hot, middling, twice, never.
    let messages: Vec<(String, [String; 4])> = (0..a.queries)
        .map(|i| {
            let values = [
                handle(1 + (i as u32 % load::HOT)),
                handle(middling[r.below(middling.len() as u64) as usize]),
                handle(twice[r.below(twice.len() as u64) as usize]),
                format!("never{:08}x", r.below(100_000_000)),
            ];
            let text = format!(
                "Job offer, salary 2000 USD, no experience. Contact t.me/{} or t.me/{}; \
                 my friend also wrote to t.me/{} and t.me/{} before she left.",
                values[0], values[1], values[2], values[3]
            );
            (text, values)
        })
        .collect();
    // The first check of each hot value counts its reports (cold); later
    // ones reuse the count while the value's tips are unchanged (warm).
    let mut cold = Vec::new();
    let mut ours = Vec::with_capacity(messages.len());
    let mut bands = 0usize;
    for (i, (text, _)) in messages.iter().enumerate() {
        let t0 = Instant::now();
        let answer = check::check_text(&v.check, text).await?;
        let us = t0.elapsed().as_secs_f64() * 1e6;
        if i < load::HOT as usize {
            cold.push(us);
        } else {
            ours.push(us);
        }
        bands += answer
            .values
            .iter()
            .filter(|x| x.reported.reports.is_some())
            .count();
    }
    let mut theirs = Vec::with_capacity(messages.len());
    for (_, values) in &messages {
        let t0 = Instant::now();
        for value in values {
            let row = sqlx::query(
                "SELECT id, tips FROM observables WHERE kind = 'telegram' AND value = ?",
            )
            .bind(value)
            .fetch_optional(&mut peer)
            .await?;
            if let Some(row) = row {
                let id: i64 = row.get(0);
                let tips: i64 = row.get(1);
                if tips >= 3 {
                    sqlx::query(
                        "SELECT t.province_code, COUNT(*) FROM sightings s JOIN tips t ON t.id = s.tip_id
                         WHERE s.observable_id = ? GROUP BY t.province_code",
                    )
                    .bind(id)
                    .fetch_all(&mut peer)
                    .await?;
                }
            }
        }
        theirs.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    let (c50, c99, cmax) = quantiles(cold);
    let (o50, o99, omax) = quantiles(ours);
    let (p50, p99, _) = quantiles(theirs);
    println!(
        "| a whole message, first check of its hot value ({} messages) | {c50:.0} | {c99:.0} | {cmax:.0} | {p50:.0} | {p99:.0} | {:.2}× |",
        load::HOT,
        p50 / c50
    );
    println!(
        "| a whole message, later checks ({:.1} of 4 values banded on average) | {o50:.0} | {o99:.0} | {omax:.0} | {p50:.0} | {p99:.0} | {:.2}× |",
        bands as f64 / messages.len() as f64,
        p50 / o50
    );

    // A value seen k - 1 times against one never seen, interleaved.
    let mut seen = Vec::new();
    let mut never = Vec::new();
    for i in 0..a.queries {
        let t = format!("t.me/{}", handle(twice[i % twice.len()]));
        let t0 = Instant::now();
        let x = check::check_text(&v.check, &t).await?;
        seen.push(t0.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(!x.values[0].reported.is_known(), "k - 1 must say nothing");
        let t = format!("t.me/never{:08}x", r.below(100_000_000));
        let t0 = Instant::now();
        check::check_text(&v.check, &t).await?;
        never.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    let (s50, s99, smax) = quantiles(seen);
    let (n50, n99, _) = quantiles(never);
    println!(
        "| one value seen k − 1 = 2 times (peer column: one never seen) | {s50:.0} | {s99:.0} | {smax:.0} | {n50:.0} | {n99:.0} | {:.2}× |",
        n50 / s50
    );

    // Ranges in process.
    let prefixes: Vec<RangePrefix> = (0..a.queries)
        .map(|i| {
            if i % 2 == 0 {
                ValueDigest::of(&handle(1 + r.below(u64::from(load::HOT) * 40) as u32)).range()
            } else {
                ValueDigest::of(&format!("random{}", r.next())).range()
            }
        })
        .collect();
    let mut ours = Vec::new();
    let mut entries = 0usize;
    for p in &prefixes {
        let t0 = Instant::now();
        entries += check::range(&v.check, *p).await?.len();
        ours.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    let mut theirs = Vec::new();
    for p in &prefixes {
        let (lo, hi) = p.keys();
        let t0 = Instant::now();
        sqlx::query("SELECT kind, value, tips FROM observables WHERE digest_key BETWEEN ? AND ? AND tips >= 3")
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut peer)
            .await?;
        theirs.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    let (o50, o99, omax) = quantiles(ours);
    let (p50, p99, _) = quantiles(theirs);
    println!(
        "| one range in process ({:.2} entries on average) | {o50:.0} | {o99:.0} | {omax:.0} | {p50:.0} | {p99:.0} | {:.2}× |",
        entries as f64 / prefixes.len() as f64,
        p50 / o50
    );
    println!();

    // Over HTTP: 32 clients for `seconds`, against the same lookups as plain
    // SQL from 32 tasks over a pool of 4 connections.
    let state = vigil_web::AppState::new(v.clone())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = vigil_web::serve(state, listener, async {
            let _ = stop_rx.await;
        })
        .await;
    });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let prefixes = Arc::new(prefixes);
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    for w in 0..32usize {
        let (client, prefixes, done, failed) = (
            client.clone(),
            prefixes.clone(),
            done.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while Instant::now() < until {
                let url = format!(
                    "http://{addr}/api/v1/check/range/{}",
                    prefixes[i % prefixes.len()].hex()
                );
                let ok = match client.get(&url).send().await {
                    Ok(res) => res.status().is_success() && res.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok {
                    done.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                i += 32;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let http = done.load(Ordering::Relaxed) as f64 / a.seconds as f64;
    let _ = stop_tx.send(());

    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(dir.join(vigil_backends::SQLITE_DB_FILE))
                .read_only(true),
        )
        .await?;
    let peer_done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    for w in 0..32usize {
        let (pool, prefixes, peer_done) = (pool.clone(), prefixes.clone(), peer_done.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while Instant::now() < until {
                let (lo, hi) = prefixes[i % prefixes.len()].keys();
                if sqlx::query("SELECT kind, value, tips FROM observables WHERE digest_key BETWEEN ? AND ? AND tips >= 3")
                    .bind(lo)
                    .bind(hi)
                    .fetch_all(&pool)
                    .await
                    .is_ok()
                {
                    peer_done.fetch_add(1, Ordering::Relaxed);
                }
                i += 32;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let sql = peer_done.load(Ordering::Relaxed) as f64 / a.seconds as f64;
    println!(
        "| range API, 32 clients, {} s | requests/s | failed |",
        a.seconds
    );
    println!("|---|---:|---:|");
    println!(
        "| Vigil over HTTP (`GET /api/v1/check/range/{{prefix}}`) | {http:.0} | {} |",
        failed.load(Ordering::Relaxed)
    );
    println!("| PEER: the same lookup as plain SQL, 4 connections | {sql:.0} | 0 |");
    println!("| **HTTP / plain SQL** | **{:.2}** | |", http / sql);
    println!();
    println!(
        "peak memory (VmHWM, loading included): {:.0} MiB",
        peak_rss_mib()
    );
    Ok(())
}
