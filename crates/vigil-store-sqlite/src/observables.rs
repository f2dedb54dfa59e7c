//! The outbox as SQLite's one worker reads it, and leases. Events, sightings
//! and cursors are read and written by `vigil_store_sql`.

use time::OffsetDateTime;
use vigil_store::{Event, EventWork, StoreError};

use crate::SqliteStore;
use crate::rows::{self, map_err};

impl SqliteStore {
    /// One process writes an SQLite database at a time: events are read after
    /// the cursor, and their sightings and the cursor written together (the
    /// write lock is not held while `work` runs, so intake never waits on it).
    pub(crate) async fn do_process_events(
        &self,
        name: &str,
        limit: i64,
        work: &EventWork,
    ) -> Result<Vec<Event>, StoreError> {
        let from = self.sql.cursor(name).await?;
        let events = self.sql.events_after(from, limit.max(1)).await?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(events);
        };
        let tips = work(events.clone()).await?;
        self.sql.record_sightings(name, last, &tips).await?;
        Ok(events)
    }

    pub(crate) async fn do_try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        let now = OffsetDateTime::now_utc();
        let until = now + ttl;
        let mut tx = self.begin_write().await?;
        let got: Option<String> = sqlx::query_scalar(
            "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
             WHERE leases.owner = excluded.owner OR leases.until < ?
             RETURNING owner",
        )
        .bind(name)
        .bind(owner)
        .bind(rows::nanos(until))
        .bind(rows::nanos(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(got.is_some())
    }
}
