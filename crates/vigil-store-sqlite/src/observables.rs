//! Observables, sightings and outbox cursors.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use vigil_domain::EventSeq;
use vigil_store::{Event, EventWork, StoreError, TipObservables};

use crate::SqliteStore;
use crate::rows::{self, map_err};

impl SqliteStore {
    pub(crate) async fn do_record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        // A whole batch in four statements: the tips' old sightings go, new
        // values become observables, and every (value, tip) pair is inserted.
        let ids: Vec<i64> = tips.iter().map(|t| t.tip_id.0).collect();
        let pairs: Vec<(i64, &str, &str)> = tips
            .iter()
            .flat_map(|t| {
                t.values
                    .iter()
                    .map(move |(k, v)| (t.tip_id.0, k.as_str(), v.as_str()))
            })
            .collect();
        let ids = serde_json::to_string(&ids).map_err(|e| StoreError::Other(e.to_string()))?;
        let pairs = serde_json::to_string(&pairs).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let old: Vec<i64> = sqlx::query_scalar(
            "DELETE FROM sightings WHERE tip_id IN (SELECT value FROM json_each(?))
             RETURNING observable_id",
        )
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO observables (kind, value)
             SELECT DISTINCT j.value ->> 1, j.value ->> 2 FROM json_each(?) j
             WHERE true ORDER BY 1, 2
             ON CONFLICT (kind, value) DO NOTHING",
        )
        .bind(&pairs)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let new: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO sightings (observable_id, tip_id)
             SELECT o.id, j.value ->> 0 FROM json_each(?) j
             JOIN observables o ON o.kind = j.value ->> 1 AND o.value = j.value ->> 2
             WHERE true
             ON CONFLICT DO NOTHING
             RETURNING observable_id",
        )
        .bind(&pairs)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        // Each (value, tip) pair is one row: the counts move by the rows gone
        // and the rows written.
        let mut delta: BTreeMap<i64, i64> = BTreeMap::new();
        for id in old {
            *delta.entry(id).or_default() -= 1;
        }
        for id in new {
            *delta.entry(id).or_default() += 1;
        }
        delta.retain(|_, d| *d != 0);
        if !delta.is_empty() {
            let changes: Vec<(i64, i64)> = delta.into_iter().collect();
            let changes =
                serde_json::to_string(&changes).map_err(|e| StoreError::Other(e.to_string()))?;
            sqlx::query(
                "UPDATE observables SET tips = tips + c.value ->> 1
                 FROM json_each(?) c WHERE observables.id = c.value ->> 0",
            )
            .bind(changes)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES (?, ?)
             ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)",
        )
        .bind(name)
        .bind(upto.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_cursor(&self, name: &str) -> Result<EventSeq, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM cursors WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        Ok(EventSeq(seq.unwrap_or(0)))
    }
}

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
        let from = self.do_cursor(name).await?;
        let rows = sqlx::query(
            "SELECT seq, kind, tip_id, created_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(from.0)
        .bind(limit.max(1))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        let events: Vec<Event> = rows
            .iter()
            .map(rows::event_from_row)
            .collect::<Result<_, _>>()?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(events);
        };
        let tips = work(events.clone()).await?;
        self.do_record_sightings(name, last, &tips).await?;
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
