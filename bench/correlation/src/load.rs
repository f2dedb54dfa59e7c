//! Fresh stores, bulk-loaded: the schema comes from the stores' own
//! migrations; the rows go in over a connection of the benchmark's own
//! (multi-row INSERTs on SQLite, COPY on PostgreSQL), in tip order, as the
//! pipeline writes them, with every index in place.

use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

use anyhow::{Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection, SqliteConnection};

use crate::data::{Data, kind_value};

/// Rows per multi-row INSERT on SQLite (2 parameters each).
const SQLITE_ROWS: usize = 400;

fn progress(what: &str, done: usize, total: usize, t0: Instant) {
    let s = t0.elapsed().as_secs_f64();
    eprintln!(
        "  {what}: {done}/{total} ({:.0}%) in {s:.1} s, {:.0} rows/s",
        100.0 * done as f64 / total.max(1) as f64,
        done as f64 / s.max(1e-9)
    );
}

/// A connection to `vigil.db` in `dir` for loading: no fsync, a large cache.
pub async fn sqlite_conn(dir: &Path) -> Result<SqliteConnection> {
    let opts = SqliteConnectOptions::from_str("sqlite:")?
        .filename(dir.join(vigil_store_sqlite::DB_FILE))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-1000000");
    Ok(SqliteConnection::connect_with(&opts).await?)
}

/// Creates the store in `dir` (which must not exist) and loads `data`.
pub async fn sqlite(dir: &Path, data: &Data) -> Result<()> {
    anyhow::ensure!(!dir.exists(), "{} exists: remove it first", dir.display());
    // The store creates the schema; it is dropped before loading.
    drop(vigil_store_sqlite::open(dir, vigil_domain::audit::AuditKey::from_bytes([0; 32])).await?);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut conn = sqlite_conn(dir).await?;
    let t0 = Instant::now();
    conn.execute("BEGIN").await?;
    let ids: Vec<u32> = (1..=data.observables).collect();
    for chunk in ids.chunks(300) {
        let sql = format!(
            "INSERT INTO observables (id, kind, value, tips) VALUES {}",
            vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for &id in chunk {
            let (k, v) = kind_value(id);
            let tips = i64::from(data.tips_per_value[id as usize]);
            q = q.bind(i64::from(id)).bind(k).bind(v).bind(tips);
        }
        q.execute(&mut conn).await?;
    }
    conn.execute("COMMIT").await?;
    progress("observables", ids.len(), ids.len(), t0);
    let t0 = Instant::now();
    let full = format!(
        "INSERT INTO sightings (observable_id, tip_id) VALUES {}",
        vec!["(?, ?)"; SQLITE_ROWS].join(", ")
    );
    let total = data.occurrences.len();
    let mut done = 0;
    for block in data.occurrences.chunks(1_000_000) {
        conn.execute("BEGIN").await?;
        for chunk in block.chunks(SQLITE_ROWS) {
            let sql = if chunk.len() == SQLITE_ROWS {
                full.clone()
            } else {
                format!(
                    "INSERT INTO sightings (observable_id, tip_id) VALUES {}",
                    vec!["(?, ?)"; chunk.len()].join(", ")
                )
            };
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &(tip, obs) in chunk {
                q = q.bind(i64::from(obs)).bind(i64::from(tip));
            }
            q.execute(&mut conn).await?;
        }
        conn.execute("COMMIT").await?;
        done += block.len();
        progress("sightings", done, total, t0);
    }
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    conn.close().await?;
    Ok(())
}

/// Bytes of the sightings table and its index on SQLite (dbstat: every page
/// of each b-tree, interior and overflow pages included).
pub async fn sqlite_sizes(dir: &Path) -> Result<Vec<(String, i64)>> {
    let mut conn = sqlite_conn(dir).await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT name, SUM(pgsize) FROM dbstat
         WHERE name IN ('sightings', 'sightings_tip') GROUP BY name ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    Ok(rows)
}

/// Rebuilds the SQLite file compactly (`VACUUM`).
pub async fn sqlite_vacuum(dir: &Path) -> Result<()> {
    let mut conn = sqlite_conn(dir).await?;
    conn.execute("VACUUM").await?;
    conn.close().await?;
    Ok(())
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let start = base.find("://").map_or(0, |i| i + 3);
    let base = base[start..]
        .find('/')
        .map_or(base, |slash| &base[..start + slash]);
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// Creates database `db` afresh (dropping it if it exists), migrates it with
/// the store and loads `data`; returns its URL.
pub async fn postgres(admin: &str, db: &str, data: &Data) -> Result<String> {
    anyhow::ensure!(
        db.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "database name"
    );
    let mut a = PgConnection::connect(admin)
        .await
        .with_context(|| format!("connecting to {admin}"))?;
    a.execute(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
    )))
    .await?;
    a.execute(AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .await?;
    a.close().await?;
    let url = with_database(admin, db);
    vigil_store_postgres::connect(&url, vigil_domain::audit::AuditKey::from_bytes([0; 32]))
        .await?
        .close()
        .await;
    let mut conn = PgConnection::connect(&url).await?;
    conn.execute("SET synchronous_commit = off").await?;
    let t0 = Instant::now();
    let mut copy = conn
        .copy_in_raw("COPY observables (id, kind, value, tips) FROM STDIN")
        .await?;
    let mut buf = String::new();
    for id in 1..=data.observables {
        let (k, v) = kind_value(id);
        let tips = data.tips_per_value[id as usize];
        buf.push_str(&format!("{id}\t{k}\t{v}\t{tips}\n"));
        if buf.len() > 1 << 20 {
            copy.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    copy.send(buf.into_bytes()).await?;
    copy.finish().await?;
    sqlx::query("SELECT setval('observables_id_seq', $1)")
        .bind(i64::from(data.observables))
        .execute(&mut conn)
        .await?;
    progress(
        "observables",
        data.observables as usize,
        data.observables as usize,
        t0,
    );
    let t0 = Instant::now();
    let total = data.occurrences.len();
    let mut done = 0;
    for block in data.occurrences.chunks(1_000_000) {
        let mut copy = conn
            .copy_in_raw("COPY sightings (observable_id, tip_id) FROM STDIN")
            .await?;
        let mut buf = String::with_capacity(1 << 21);
        for &(tip, obs) in block {
            buf.push_str(&format!("{obs}\t{tip}\n"));
            if buf.len() > 1 << 20 {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
            }
        }
        copy.send(buf.into_bytes()).await?;
        copy.finish().await?;
        done += block.len();
        progress("sightings", done, total, t0);
    }
    // Autovacuum would get there on its own; index-only scans need the
    // visibility map it sets.
    let t0 = Instant::now();
    conn.execute("VACUUM (ANALYZE) sightings").await?;
    conn.execute("ANALYZE observables").await?;
    eprintln!("  vacuum analyze: {:.1} s", t0.elapsed().as_secs_f64());
    conn.close().await?;
    Ok(url)
}

/// Bytes of the sightings heap, each of its indexes, and all of it
/// (`pg_total_relation_size`: heap, indexes, free space and visibility maps).
pub async fn postgres_sizes(url: &str, table: &str) -> Result<Vec<(String, i64)>> {
    let mut conn = PgConnection::connect(url).await?;
    let mut out: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.relname::TEXT, pg_relation_size(c.oid)
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = $1::regclass ORDER BY 1",
    )
    .bind(table)
    .fetch_all(&mut conn)
    .await?;
    let heap: i64 = sqlx::query_scalar("SELECT pg_relation_size($1::regclass)")
        .bind(table)
        .fetch_one(&mut conn)
        .await?;
    let all: i64 = sqlx::query_scalar("SELECT pg_total_relation_size($1::regclass)")
        .bind(table)
        .fetch_one(&mut conn)
        .await?;
    out.insert(0, (format!("{table} (heap)"), heap));
    out.push((format!("{table} total"), all));
    conn.close().await?;
    Ok(out)
}

/// Rewrites the sightings table and its indexes compactly (`VACUUM FULL`).
pub async fn postgres_vacuum_full(url: &str) -> Result<()> {
    let mut conn = PgConnection::connect(url).await?;
    conn.execute("SET maintenance_work_mem = '512MB'").await?;
    conn.execute("VACUUM (FULL, ANALYZE) sightings").await?;
    conn.close().await?;
    Ok(())
}

/// The same rows in the schema before migration 0007 (BIGINT ids, a second
/// index on (tip_id, observable_id)), built compactly, for comparison.
pub async fn postgres_old_schema(url: &str) -> Result<()> {
    let mut conn = PgConnection::connect(url).await?;
    conn.execute("SET maintenance_work_mem = '512MB'").await?;
    conn.execute("DROP TABLE IF EXISTS sightings_0004").await?;
    conn.execute(
        "CREATE TABLE sightings_0004 (observable_id BIGINT NOT NULL, tip_id BIGINT NOT NULL)",
    )
    .await?;
    conn.execute(
        "INSERT INTO sightings_0004 SELECT observable_id, tip_id FROM sightings ORDER BY tip_id",
    )
    .await?;
    conn.execute("ALTER TABLE sightings_0004 ADD PRIMARY KEY (observable_id, tip_id)")
        .await?;
    conn.execute("CREATE INDEX sightings_0004_tip ON sightings_0004 (tip_id, observable_id)")
        .await?;
    conn.execute("VACUUM (ANALYZE) sightings_0004").await?;
    conn.close().await?;
    Ok(())
}

/// Readies a database a previous run left for timing again: drops the copy in
/// the old schema and sets the visibility map (`VACUUM FULL` leaves it
/// empty), as autovacuum would.
pub async fn postgres_prepare_reuse(url: &str) -> Result<()> {
    let mut conn = PgConnection::connect(url).await?;
    conn.execute("DROP TABLE IF EXISTS sightings_0004").await?;
    conn.execute("VACUUM (ANALYZE) sightings").await?;
    conn.close().await?;
    Ok(())
}
