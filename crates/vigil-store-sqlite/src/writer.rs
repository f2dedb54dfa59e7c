//! The single writer task for tip submissions: group commit, so many
//! acknowledgements share one fsync. A batch is written with one statement per
//! table (`bulk.rs`); should that fail, tip by tip with per-tip savepoints, so
//! one bad tip never takes its neighbours down.

use std::sync::Arc;

use sqlx::{Connection, Sqlite, SqliteConnection, SqlitePool, Transaction};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use vigil_domain::audit::AuditKey;
use vigil_store::{StoreError, SubmitOutcome, TipSubmission};
use vigil_store_sql::store_submission;

use crate::bulk;
use crate::dialect::{Rendered, SqliteTx};
use crate::rows::{self, map_err};

/// Most tips committed in one transaction.
const MAX_BATCH: usize = 1024;

/// One submission waiting for its acknowledgement.
pub struct Job {
    /// What to store.
    pub sub: TipSubmission,
    /// Where to send the outcome, once it is durable.
    pub reply: oneshot::Sender<Result<SubmitOutcome, StoreError>>,
}

/// Runs until every sender is gone.
pub async fn run(
    pool: SqlitePool,
    rendered: Arc<Rendered>,
    key: Arc<AuditKey>,
    mut rx: mpsc::Receiver<Job>,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let results = commit_batch(&pool, &rendered, &key, &batch).await;
        for (job, result) in batch.drain(..).zip(results) {
            // The submitter may have gone (client disconnected); the tip is
            // stored all the same.
            let _ = job.reply.send(result);
        }
    }
}

/// How often the WAL is copied into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// WAL pages beyond which a checkpoint waits for the writer, so that the WAL
/// starts over even under sustained load (about 64 MiB with 4 KiB pages).
const WAL_RESTART_PAGES: i64 = 16_384;

/// Copies the WAL into the database file now and then, until the store is
/// dropped. A passive checkpoint never blocks the writer or readers; when the
/// WAL has grown long because writes never pause, a restarting one briefly
/// waits for the writer so the WAL can begin again from its start.
pub async fn checkpoints(pool: SqlitePool, alive: mpsc::WeakSender<Job>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.upgrade().is_none() {
            break;
        }
        let passive: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&pool)
            .await;
        let result = match passive {
            Ok((_, log, _)) if log > WAL_RESTART_PAGES => {
                sqlx::query("PRAGMA wal_checkpoint(RESTART)")
                    .execute(&pool)
                    .await
                    .map(|_| ())
            }
            other => other.map(|_| ()),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "WAL checkpoint failed; will try again");
        }
    }
    pool.close().await;
}

async fn commit_batch(
    pool: &SqlitePool,
    rendered: &Arc<Rendered>,
    key: &Arc<AuditKey>,
    batch: &[Job],
) -> Vec<Result<SubmitOutcome, StoreError>> {
    match try_commit_batch(pool, rendered, key, batch).await {
        Ok(results) => results,
        Err(e) => {
            tracing::error!(error = %e, tips = batch.len(), "group commit failed");
            // A failed COMMIT or ROLLBACK (a full disk) may leave the writer
            // connection inside a transaction; the next batch must not
            // inherit it.
            heal(pool).await;
            batch
                .iter()
                .map(|_| Err(StoreError::Unavailable("could not store the tip".into())))
                .collect()
        }
    }
}

async fn try_commit_batch(
    pool: &SqlitePool,
    rendered: &Arc<Rendered>,
    key: &Arc<AuditKey>,
    batch: &[Job],
) -> Result<Vec<Result<SubmitOutcome, StoreError>>, StoreError> {
    let mut tx = begin_immediate(pool).await?;
    let prev = rows::last_audit(&mut tx).await?;
    let now = OffsetDateTime::now_utc();
    if batch.len() > 1 {
        // The fast path: a few statements for the whole batch. Should any of
        // them fail, undo it and take the per-tip path, which isolates the
        // submission at fault.
        let subs: Vec<&TipSubmission> = batch.iter().map(|j| &j.sub).collect();
        let mut sp = Connection::begin(&mut *tx).await.map_err(map_err)?;
        match bulk::submit_batch(&mut sp, &subs, key, prev.clone(), now).await {
            Ok((results, _)) => {
                sp.commit().await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                return Ok(results);
            }
            Err(e) => {
                tracing::warn!(error = %e, tips = batch.len(), "batch write failed; writing tip by tip");
                sp.rollback().await.map_err(map_err)?;
            }
        }
    }
    let results = one_by_one(&mut tx, batch, rendered, key, now).await?;
    tx.commit().await.map_err(map_err)?;
    Ok(results)
}

/// The per-tip path: each submission in its own savepoint, so one bad tip
/// never takes its neighbours down.
async fn one_by_one(
    tx: &mut SqliteConnection,
    batch: &[Job],
    rendered: &Arc<Rendered>,
    key: &Arc<AuditKey>,
    now: OffsetDateTime,
) -> Result<Vec<Result<SubmitOutcome, StoreError>>, StoreError> {
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        let sp = Connection::begin(&mut *tx).await.map_err(map_err)?;
        let mut sp = SqliteTx::new(sp, rendered.clone(), key.clone());
        match store_submission(&mut sp, &job.sub, now).await {
            Ok(outcome) => {
                sp.into_inner().commit().await.map_err(map_err)?;
                results.push(Ok(outcome));
            }
            Err(e) => {
                sp.into_inner().rollback().await.map_err(map_err)?;
                results.push(Err(e));
            }
        }
    }
    Ok(results)
}

/// Begins the writer's transaction (`BEGIN IMMEDIATE`). Should the writer
/// connection still be inside a transaction that a failed COMMIT or ROLLBACK
/// left behind (SQLite rolls back by itself on a full disk, so sqlx's
/// rollback fails and its count of open transactions stays up), the
/// connection is rolled back or closed and the transaction begun once more on
/// a sound one.
pub async fn begin_immediate(
    pool: &SqlitePool,
) -> Result<Transaction<'static, Sqlite>, StoreError> {
    match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => Ok(tx),
        Err(e) => {
            if heal(pool).await {
                pool.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)
            } else {
                Err(map_err(e))
            }
        }
    }
}

/// Makes sure the writer connection is outside any transaction: closes it
/// when sqlx still counts one open (the pool opens a fresh connection on the
/// next acquire), and rolls back one SQLite still holds that sqlx does not
/// count. Returns whether anything had to be undone.
pub async fn heal(pool: &SqlitePool) -> bool {
    let Ok(mut conn) = pool.acquire().await else {
        return false;
    };
    // Commands run in order on the connection's worker: once the ping is
    // answered, every rollback sent by a dropped transaction has been tried.
    if conn.ping().await.is_err() || conn.is_in_transaction() {
        tracing::warn!("writer connection left inside a transaction; closing it");
        conn.close_on_drop();
        return true;
    }
    // Outside a transaction, ROLLBACK fails ("no transaction is active");
    // when it succeeds, SQLite held one that nobody owned.
    if sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_ok() {
        tracing::warn!("writer connection held a stray transaction; rolled back");
        return true;
    }
    false
}
