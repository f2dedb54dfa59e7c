//! The in-process phases: the peer SQLite loop, the store alone, core intake.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use time::OffsetDateTime;
use vigil_core::intake::{self, TipRequest};
use vigil_core::{Settings, Vigil};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, Category, Channel, DangerFlags, Location, NewTip};
use vigil_store::{ReceiptHashes, Store, SubmitOutcome, TipSubmission};
use vigil_synth::SynthTip;

use crate::{Opts, Row, fresh_dir, percentiles};

// Phase 1: the peer, a plain SQLite loop with one fsynced INSERT per commit.

const PEER_INSERT: &str = "INSERT INTO tips (text, category, province_code, language, received_at)
     VALUES (?, ?, ?, ?, ?)";

/// How the peer loop commits.
#[derive(Clone, Copy)]
enum PeerMode {
    /// Autocommit: every INSERT is its own transaction, so its own fsync.
    OnePerCommit,
    /// `n` INSERT statements in one transaction (one driver round trip per tip).
    Statements(usize),
    /// One `INSERT … SELECT … FROM json_each(?)` of `n` tips per transaction
    /// (one round trip per batch).
    JsonEach(usize),
}

async fn peer_run(
    conn: &mut sqlx::SqliteConnection,
    pool: &[SynthTip],
    mode: PeerMode,
    dur: Duration,
) -> anyhow::Result<Row> {
    let max = 2_000_000u64;
    let deadline = Instant::now() + dur;
    let mut lat = Vec::new();
    let start = Instant::now();
    let mut n = 0u64;
    while n < max && Instant::now() < deadline {
        let t0 = Instant::now();
        let done = match mode {
            PeerMode::OnePerCommit => {
                let t = &pool[(n as usize) % pool.len()];
                sqlx::query(PEER_INSERT)
                    .bind(&t.text)
                    .bind(t.category)
                    .bind(t.province_code)
                    .bind(t.language)
                    .bind(nanos_now())
                    .execute(&mut *conn)
                    .await?;
                1
            }
            PeerMode::Statements(b) => {
                let mut tx = conn.begin().await?;
                for k in 0..b as u64 {
                    let t = &pool[((n + k) as usize) % pool.len()];
                    sqlx::query(PEER_INSERT)
                        .bind(&t.text)
                        .bind(t.category)
                        .bind(t.province_code)
                        .bind(t.language)
                        .bind(nanos_now())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                b as u64
            }
            PeerMode::JsonEach(b) => {
                let now = nanos_now();
                let rows: Vec<serde_json::Value> = (0..b as u64)
                    .map(|k| {
                        let t = &pool[((n + k) as usize) % pool.len()];
                        serde_json::json!([t.text, t.category, t.province_code, t.language, now])
                    })
                    .collect();
                let mut tx = conn.begin().await?;
                sqlx::query(
                    "INSERT INTO tips (text, category, province_code, language, received_at)
                     SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                            json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                            json_extract(value, '$[4]')
                     FROM json_each(?)",
                )
                .bind(serde_json::Value::Array(rows).to_string())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                b as u64
            }
        };
        // Every tip of a batch waits for the batch's commit.
        let us = t0.elapsed().as_micros() as u64;
        lat.extend(std::iter::repeat_n(us, done as usize));
        n += done;
    }
    let secs = start.elapsed().as_secs_f64();
    let (what, note) = match mode {
        PeerMode::OnePerCommit => (
            "peer: plain SQLite loop, 1 INSERT per transaction (WAL, synchronous=FULL)".to_string(),
            "one fsync per tip: the ratio's denominator".to_string(),
        ),
        PeerMode::Statements(b) => (
            format!("peer, batched: {b} INSERT statements per transaction"),
            "tips table only; one driver round trip per tip, one fsync per batch".to_string(),
        ),
        PeerMode::JsonEach(b) => (
            format!("peer, batched: 1 INSERT of {b} rows (json_each) per transaction"),
            "tips table only; one round trip and one fsync per batch: the ceiling".to_string(),
        ),
    };
    Ok(Row {
        what,
        tips: n,
        secs,
        lat: percentiles(&mut lat),
        note,
    })
}

/// The peer loop and, for scale, the same table written in batches.
pub(crate) async fn peer(o: &Opts, pool: &[SynthTip]) -> anyhow::Result<Vec<Row>> {
    let dir = fresh_dir(&o.data, "peer")?;
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("peer.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::query(
        "CREATE TABLE tips (id INTEGER PRIMARY KEY, text TEXT NOT NULL, category TEXT NOT NULL,
            province_code TEXT, language TEXT, received_at INTEGER NOT NULL)",
    )
    .execute(&mut conn)
    .await?;
    let mut rows = vec![peer_run(&mut conn, pool, PeerMode::OnePerCommit, o.dur()).await?];
    let short = o.dur().min(Duration::from_secs(4));
    rows.push(peer_run(&mut conn, pool, PeerMode::Statements(512), short).await?);
    rows.push(peer_run(&mut conn, pool, PeerMode::JsonEach(512), short).await?);
    conn.close().await?;
    std::fs::remove_dir_all(&dir)?;
    Ok(rows)
}

fn nanos_now() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

// ---------------------------------------------------------------------------
// Phase 2: the store alone.

/// What the HTTP path stores for a tip, without the argon2 work: the receipt
/// hashes are stand-ins of the real sizes (32-byte HMAC, ~97-byte PHC string).
fn submission(t: &SynthTip, run: u64, i: u64) -> anyhow::Result<TipSubmission> {
    let mut lookup = [0u8; 32];
    lookup[..8].copy_from_slice(&run.to_be_bytes());
    lookup[8..16].copy_from_slice(&i.to_be_bytes());
    Ok(TipSubmission {
        tip: NewTip {
            channel: Channel::Api,
            category: Category::parse(t.category)
                .ok_or_else(|| anyhow!("unknown category {}", t.category))?,
            text: t.text.clone(),
            location: Location {
                province_code: Some(t.province_code.to_string()),
                ..Location::default()
            },
            danger: DangerFlags::default(),
            received_at: OffsetDateTime::now_utc(),
            external_ref: None,
            language: Some(t.language.to_string()),
        },
        receipt: Some(ReceiptHashes {
            lookup_hash: lookup.to_vec(),
            secret_hash: format!(
                "$argon2id$v=19$m=2048,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA${:0>43}",
                i
            ),
        }),
        client_ref: None,
        attachments: Vec::new(),
        audit: NewAuditEntry {
            actor: "public".into(),
            action: AuditAction::TipCreate,
            object: String::new(),
            detail: "channel=api".into(),
        },
    })
}

async fn store_run(
    store: &Arc<dyn Store>,
    pool: &Arc<Vec<SynthTip>>,
    run: u64,
    concurrency: usize,
    max: u64,
    dur: Duration,
) -> anyhow::Result<(u64, f64, Vec<u64>, u64)> {
    let next = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (store, pool, next, failed) =
            (store.clone(), pool.clone(), next.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= max || Instant::now() >= deadline {
                    break;
                }
                let sub = submission(&pool[(i as usize) % pool.len()], run, i)?;
                let t0 = Instant::now();
                match store.submit_tip(sub).await {
                    Ok(SubmitOutcome::Created { .. }) => lat.push(t0.elapsed().as_micros() as u64),
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            anyhow::Ok(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let secs = start.elapsed().as_secs_f64();
    Ok((lat.len() as u64, secs, lat, failed.load(Ordering::Relaxed)))
}

pub(crate) async fn store_phase(o: &Opts, pool: &Arc<Vec<SynthTip>>) -> anyhow::Result<Vec<Row>> {
    let dir = fresh_dir(&o.data, "store")?;
    let store: Arc<dyn Store> = Arc::new(
        vigil_store_sqlite::open(&dir, vigil_domain::audit::AuditKey::from_bytes([0; 32])).await?,
    );
    // Warm-up: the first pages of every table and index.
    store_run(&store, pool, 0, 64, 2_000, Duration::from_secs(5)).await?;
    let mut rows = Vec::new();
    for (k, &c) in o.store_concurrency.iter().enumerate() {
        let max = if c == 1 { 50_000 } else { 400_000 };
        let (n, secs, mut lat, failed) =
            store_run(&store, pool, k as u64 + 1, c, max, o.dur()).await?;
        if failed > 0 {
            bail!("store: {failed} submissions failed at concurrency {c}");
        }
        rows.push(Row {
            what: format!("store: `SqliteStore::submit_tip`, {c} concurrent submitter(s)"),
            tips: n,
            secs,
            lat: percentiles(&mut lat),
            note: "group commit; tip + receipt + event + chained audit row per tip".into(),
        });
    }
    let total = store.count_tips().await?;
    drop(store);
    println!("store phase: {total} tips in the database");
    std::fs::remove_dir_all(&dir)?;
    Ok(rows)
}

// ---------------------------------------------------------------------------
// Phase 3: core intake (argon2 receipt hash + store).

fn core_settings(dir: &Path, kib: u32) -> Settings {
    let mut s = Settings::default();
    s.storage.data_dir = dir.to_path_buf();
    s.receipts.argon2_memory_kib = kib;
    s
}

fn tip_request(t: &SynthTip) -> anyhow::Result<TipRequest> {
    Ok(TipRequest {
        tip: NewTip {
            channel: Channel::Api,
            category: Category::parse(t.category)
                .ok_or_else(|| anyhow!("unknown category {}", t.category))?,
            text: t.text.clone(),
            location: Location {
                province_code: Some(t.province_code.to_string()),
                ..Location::default()
            },
            danger: DangerFlags::default(),
            received_at: OffsetDateTime::now_utc(),
            external_ref: None,
            language: Some(t.language.to_string()),
        },
        photos: Vec::new(),
        use_photo_location: false,
        client_ref: None,
    })
}

/// Mean wall time of one receipt hash (`receipts::issue`), one at a time.
async fn hash_cost(v: &Vigil) -> anyhow::Result<f64> {
    vigil_core::receipts::issue(&v.intake.receipts).await?;
    let n = 40;
    let t0 = Instant::now();
    for _ in 0..n {
        vigil_core::receipts::issue(&v.intake.receipts).await?;
    }
    Ok(t0.elapsed().as_secs_f64() * 1000.0 / f64::from(n))
}

pub(crate) async fn core_phase(o: &Opts, pool: &Arc<Vec<SynthTip>>) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for &kib in &o.argon2_kib {
        let dir = fresh_dir(&o.data, &format!("core-{kib}"))?;
        let v = vigil_backends::open(core_settings(&dir, kib)).await?;
        let per_hash = hash_cost(&v).await?;
        for &concurrency in &o.core_concurrency {
            let max = 400_000u64;
            let next = Arc::new(AtomicU64::new(0));
            let start = Instant::now();
            let deadline = start + o.dur();
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (v, pool, next) = (v.clone(), pool.clone(), next.clone());
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= max || Instant::now() >= deadline {
                            break;
                        }
                        let req = tip_request(&pool[(i as usize) % pool.len()])?;
                        let t0 = Instant::now();
                        intake::submit(&v.intake, req).await?;
                        lat.push(t0.elapsed().as_micros() as u64);
                    }
                    anyhow::Ok(lat)
                }));
            }
            let mut lat = Vec::new();
            for t in tasks {
                lat.extend(t.await??);
            }
            let secs = start.elapsed().as_secs_f64();
            let default = if kib == Settings::default().receipts.argon2_memory_kib {
                " (default)"
            } else {
                ""
            };
            rows.push(Row {
                what: format!(
                    "core: `intake::submit`, argon2 m={kib} KiB{default}, {concurrency} tasks"
                ),
                tips: lat.len() as u64,
                secs,
                lat: percentiles(&mut lat),
                note: format!("one receipt hash alone: {per_hash:.2} ms"),
            });
        }
        drop(v);
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(rows)
}
