//! The outbox as SQLite's one worker reads it, and leases. Events, sightings
//! and cursors are read and written by `vigil_store_sql`.

use time::OffsetDateTime;
use vigil_store::{Event, EventWork, StoreError};
use vigil_store_sql::{Backend, SqlStore, sql};

use crate::dialect::SqliteBackend;

/// One process writes an SQLite database at a time: events are read after
/// the cursor, and their sightings and the cursor written together (the
/// write lock is not held while `work` runs, so intake never waits on it).
pub async fn process_events(
    store: &SqlStore,
    name: &str,
    limit: i64,
    work: &EventWork,
) -> Result<Vec<Event>, StoreError> {
    let from = store.cursor(name).await?;
    let events = store.events_after(from, limit.max(1)).await?;
    let Some(last) = events.last().map(|e| e.seq) else {
        return Ok(events);
    };
    let tips = work(events.clone()).await?;
    store.record_sightings(name, last, &tips).await?;
    Ok(events)
}

/// Takes or renews a lease by this machine's clock (one machine writes an
/// SQLite database).
pub async fn try_lease(
    b: &SqliteBackend,
    name: &str,
    owner: &str,
    ttl: std::time::Duration,
) -> Result<bool, StoreError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = b.begin().await?;
    let got = tx
        .fetch_optional(
            sql("INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
                 WHERE leases.owner = excluded.owner OR leases.until < $4
                 RETURNING owner")
            .bind(name)
            .bind(owner)
            .bind(now + ttl)
            .bind(now),
        )
        .await?;
    tx.commit().await?;
    Ok(got.is_some())
}
