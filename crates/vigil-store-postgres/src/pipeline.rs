//! The outbox as PostgreSQL's workers share it, and leases. Events,
//! sightings and cursors are read and written by `vigil_store_sql`.

use vigil_domain::EventSeq;
use vigil_store::{Event, EventWork, StoreError};
use vigil_store_sql::{SqlStore, sql};

use crate::dialect::PgBackend;
use crate::rows::map_err;

/// Claims events no other worker holds (`FOR UPDATE SKIP LOCKED`), hands
/// them to `work`, and records its sightings, the done marks and the cursor
/// in the same transaction.
pub async fn process_events(
    store: &SqlStore,
    name: &str,
    limit: i64,
    work: &EventWork,
) -> Result<Vec<Event>, StoreError> {
    let mut tx = store.db().begin().await?;
    let cursor: i64 = tx
        .fetch_one(sql("SELECT COALESCE((SELECT seq FROM cursors WHERE name = $1), 0)").bind(name))
        .await?
        .get(0)?;
    // Events other workers hold are skipped, not waited for.
    let events = store
        .events_in(
            &mut *tx,
            sql("SELECT e.seq, e.kind, e.tip_id, e.created_at FROM events e
                 WHERE e.seq > $2
                   AND NOT EXISTS (SELECT 1 FROM events_done d
                                   WHERE d.consumer = $1 AND d.seq = e.seq)
                 ORDER BY e.seq LIMIT $3
                 FOR UPDATE OF e SKIP LOCKED")
            .bind(name)
            .bind(cursor)
            .bind(limit.max(1)),
        )
        .await?;
    if events.is_empty() {
        tx.commit().await?;
        return Ok(events);
    }
    let tips = work(events.clone()).await?;
    store.write_sightings(&mut *tx, &tips).await?;
    let seqs: Vec<i64> = events.iter().map(|e| e.seq.0).collect();
    tx.execute(
        sql(
            "INSERT INTO events_done (consumer, seq) SELECT $1, UNNEST($2::BIGINT[])
             ON CONFLICT DO NOTHING",
        )
        .bind(name)
        .bind(seqs),
    )
    .await?;
    // The cursor moves up to the first event not done (one another worker
    // still holds, or not yet claimed), and what lies below it is forgotten.
    let upto: i64 = tx
        .fetch_one(
            sql("SELECT COALESCE(
                     (SELECT MIN(e.seq) - 1 FROM events e
                      WHERE e.seq > $2
                        AND NOT EXISTS (SELECT 1 FROM events_done d
                                        WHERE d.consumer = $1 AND d.seq = e.seq)),
                     (SELECT MAX(seq) FROM events_done WHERE consumer = $1))")
            .bind(name)
            .bind(cursor),
        )
        .await?
        .get(0)?;
    store.advance_cursor(&mut *tx, name, EventSeq(upto)).await?;
    tx.execute(
        sql("DELETE FROM events_done WHERE consumer = $1 AND seq <= $2")
            .bind(name)
            .bind(upto),
    )
    .await?;
    tx.commit().await?;
    Ok(events)
}

/// Takes or renews a lease by the database's clock, shared by every node.
pub async fn try_lease(
    b: &PgBackend,
    name: &str,
    owner: &str,
    ttl: std::time::Duration,
) -> Result<bool, StoreError> {
    let secs = ttl.as_secs_f64();
    let got: Option<String> = sqlx::query_scalar(
        "INSERT INTO leases (name, owner, until)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE leases.owner = excluded.owner OR leases.until < now()
         RETURNING owner",
    )
    .bind(name)
    .bind(owner)
    .bind(secs)
    .fetch_optional(&b.pool)
    .await
    .map_err(map_err)?;
    Ok(got.is_some())
}
