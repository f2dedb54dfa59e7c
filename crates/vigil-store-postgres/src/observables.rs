//! Observables, sightings and outbox cursors.

use std::collections::BTreeMap;

use vigil_domain::EventSeq;
use vigil_store::{Event, EventWork, StoreError, TipObservables};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

/// The first key of the transaction-scoped advisory locks taken per tip while
/// its sightings are replaced ("VIGT" in ASCII; the second key is the tip id).
const TIP_LOCK_CLASS: i32 = 0x5649_4754;

/// Replaces the sightings of a batch of tips and keeps the observables' tip
/// counts, in a few statements.
async fn write_sightings(
    tx: &mut sqlx::PgConnection,
    tips: &[TipObservables],
) -> Result<(), StoreError> {
    let mut tip_ids: Vec<i64> = tips.iter().map(|t| t.tip_id.0).collect();
    tip_ids.sort_unstable();
    tip_ids.dedup();
    let (mut at, mut kinds, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for t in tips {
        for (k, v) in &t.values {
            at.push(t.tip_id.0);
            kinds.push(k.as_str());
            values.push(v.as_str());
        }
    }
    // One writer per tip at a time, taken first and in tip order: a second
    // recording of the same tip then deletes, and subtracts, exactly what
    // the first one wrote. Locks come in three rounds, each in one order
    // (tips, then new observables by value, then counts by id), and no
    // round waits on a lock of a later one, so writers cannot deadlock.
    sqlx::query(
        "SELECT pg_advisory_xact_lock($1, t::INTEGER)
         FROM (SELECT t FROM UNNEST($2::BIGINT[]) AS t ORDER BY t) AS ordered",
    )
    .bind(TIP_LOCK_CLASS)
    .bind(&tip_ids)
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    // New values only (an upsert would draw from the id sequence for values
    // that exist, and sightings hold 4-byte ids), in value order.
    sqlx::query(
        "INSERT INTO observables (kind, value)
         SELECT DISTINCT u.k, u.v FROM UNNEST($1::TEXT[], $2::TEXT[]) AS u(k, v)
         WHERE NOT EXISTS (SELECT 1 FROM observables o WHERE o.kind = u.k AND o.value = u.v)
         ORDER BY 1, 2
         ON CONFLICT (kind, value) DO NOTHING",
    )
    .bind(&kinds)
    .bind(&values)
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    let old: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM sightings WHERE tip_id = ANY($1) RETURNING observable_id::BIGINT",
    )
    .bind(&tip_ids)
    .fetch_all(&mut *tx)
    .await
    .map_err(map_err)?;
    let new: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO sightings (observable_id, tip_id)
         SELECT o.id, u.t FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[]) AS u(t, k, v)
         JOIN observables o ON o.kind = u.k AND o.value = u.v
         ON CONFLICT DO NOTHING
         RETURNING observable_id::BIGINT",
    )
    .bind(&at)
    .bind(&kinds)
    .bind(&values)
    .fetch_all(&mut *tx)
    .await
    .map_err(map_err)?;
    // Each (value, tip) pair is one row: the counts move by the rows gone and
    // the rows written.
    let mut delta: BTreeMap<i64, i64> = BTreeMap::new();
    for id in old {
        *delta.entry(id).or_default() -= 1;
    }
    for id in new {
        *delta.entry(id).or_default() += 1;
    }
    delta.retain(|_, d| *d != 0);
    // Counts change in id order (the rows are locked in that order first),
    // so two writers never wait on each other's rows in opposite orders.
    let (changed, by): (Vec<i64>, Vec<i64>) = delta.into_iter().unzip();
    if !changed.is_empty() {
        sqlx::query("SELECT id FROM observables WHERE id = ANY($1) ORDER BY id FOR UPDATE")
            .bind(&changed)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "UPDATE observables o SET tips = o.tips + d.by
             FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS d(id, by)
             WHERE o.id = d.id",
        )
        .bind(&changed)
        .bind(&by)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

impl PgStore {
    pub(crate) async fn do_record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        write_sightings(&mut tx, tips).await?;
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET seq = GREATEST(cursors.seq, excluded.seq)",
        )
        .bind(name)
        .bind(upto.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_cursor(&self, name: &str) -> Result<EventSeq, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(EventSeq(seq.unwrap_or(0)))
    }
}

impl PgStore {
    pub(crate) async fn do_process_events(
        &self,
        name: &str,
        limit: i64,
        work: &EventWork,
    ) -> Result<Vec<Event>, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let cursor: i64 =
            sqlx::query_scalar("SELECT COALESCE((SELECT seq FROM cursors WHERE name = $1), 0)")
                .bind(name)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
        // Events other workers hold are skipped, not waited for.
        let rows = sqlx::query(
            "SELECT e.seq, e.kind, e.tip_id, e.created_at FROM events e
             WHERE e.seq > $2
               AND NOT EXISTS (SELECT 1 FROM events_done d WHERE d.consumer = $1 AND d.seq = e.seq)
             ORDER BY e.seq LIMIT $3
             FOR UPDATE OF e SKIP LOCKED",
        )
        .bind(name)
        .bind(cursor)
        .bind(limit.max(1))
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        let events: Vec<Event> = rows
            .iter()
            .map(rows::event_from_row)
            .collect::<Result<_, _>>()?;
        if events.is_empty() {
            tx.commit().await.map_err(map_err)?;
            return Ok(events);
        }
        let tips = work(events.clone()).await?;
        write_sightings(&mut tx, &tips).await?;
        let seqs: Vec<i64> = events.iter().map(|e| e.seq.0).collect();
        sqlx::query(
            "INSERT INTO events_done (consumer, seq) SELECT $1, UNNEST($2::BIGINT[])
             ON CONFLICT DO NOTHING",
        )
        .bind(name)
        .bind(&seqs)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        // The cursor moves up to the first event not done (one another worker
        // still holds, or not yet claimed), and what lies below it is forgotten.
        let upto: i64 = sqlx::query_scalar(
            "SELECT COALESCE(
                 (SELECT MIN(e.seq) - 1 FROM events e
                  WHERE e.seq > $2
                    AND NOT EXISTS (SELECT 1 FROM events_done d
                                    WHERE d.consumer = $1 AND d.seq = e.seq)),
                 (SELECT MAX(seq) FROM events_done WHERE consumer = $1))",
        )
        .bind(name)
        .bind(cursor)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET seq = GREATEST(cursors.seq, excluded.seq)",
        )
        .bind(name)
        .bind(upto)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("DELETE FROM events_done WHERE consumer = $1 AND seq <= $2")
            .bind(name)
            .bind(upto)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(events)
    }

    pub(crate) async fn do_try_lease(
        &self,
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
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(got.is_some())
    }
}
