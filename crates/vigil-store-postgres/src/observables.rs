//! Observables, sightings and outbox cursors.

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{EventSeq, TipId};
use vigil_store::{
    Event, EventWork, ObservableId, ObservableMode, ObservableRow, StoreError, TipObservables,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

/// The first key of the transaction-scoped advisory locks taken per tip while
/// its sightings are replaced ("VIGT" in ASCII; the second key is the tip id).
const TIP_LOCK_CLASS: i32 = 0x5649_4754;

fn observable_from_row(row: &PgRow) -> Result<ObservableRow, StoreError> {
    let mode: String = row.try_get("mode").map_err(map_err)?;
    Ok(ObservableRow {
        id: ObservableId(row.try_get("id").map_err(map_err)?),
        kind: row.try_get("kind").map_err(map_err)?,
        value: row.try_get("value").map_err(map_err)?,
        mode: ObservableMode::parse(&mode),
        tips: row.try_get("tips").map_err(map_err)?,
    })
}

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

    pub(crate) async fn do_observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError> {
        let row = sqlx::query(
            "SELECT o.id, o.kind, o.value, o.mode, o.tips
             FROM observables o WHERE o.kind = $1 AND o.value = $2",
        )
        .bind(kind)
        .bind(value)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(observable_from_row).transpose()
    }

    pub(crate) async fn do_related_tips(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError> {
        // A bound rather than `? IS NULL OR …`, so the planner sees a plain
        // range on the primary key (observable_id, tip_id).
        let before = before.map_or(i64::MAX, |t| t.0);
        let ids: Vec<i64> = match provinces {
            None => sqlx::query_scalar(
                // `s.tip_id`, not `tip_id`: the bare name would sort by the
                // BIGINT output column, not in the primary key's order.
                "SELECT s.tip_id::BIGINT FROM sightings s
                 WHERE s.observable_id = $1 AND s.tip_id < $2
                 ORDER BY s.tip_id DESC LIMIT $3",
            )
            .bind(id.0)
            .bind(before)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?,
            Some(list) => sqlx::query_scalar(
                "SELECT s.tip_id::BIGINT FROM sightings s JOIN tips t ON t.id = s.tip_id
                 WHERE s.observable_id = $1 AND s.tip_id < $2 AND t.province_code = ANY($3)
                 ORDER BY s.tip_id DESC LIMIT $4",
            )
            .bind(id.0)
            .bind(before)
            .bind(list.to_vec())
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?,
        };
        Ok(ids.into_iter().map(TipId).collect())
    }

    pub(crate) async fn do_tip_observables(
        &self,
        tip: TipId,
    ) -> Result<Vec<ObservableRow>, StoreError> {
        let found = sqlx::query(
            "SELECT o.id, o.kind, o.value, o.mode, o.tips
             FROM sightings s JOIN observables o ON o.id = s.observable_id
             WHERE s.tip_id = $1 ORDER BY o.kind COLLATE \"C\", o.value COLLATE \"C\"",
        )
        .bind(tip.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(observable_from_row).collect()
    }

    pub(crate) async fn do_set_observable_mode(
        &self,
        id: ObservableId,
        mode: ObservableMode,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let done = sqlx::query("UPDATE observables SET mode = $1 WHERE id = $2")
            .bind(mode.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        rows::lock_audit(&mut tx).await?;
        rows::append_audit(&mut tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_observable_modes(
        &self,
    ) -> Result<Vec<(String, String, ObservableMode)>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT kind, value, mode FROM observables WHERE mode <> 'auto' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(k, v, m)| (k, v, ObservableMode::parse(&m)))
            .collect())
    }

    pub(crate) async fn do_add_analyst_op(
        &self,
        op: &str,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let now = OffsetDateTime::now_utc();
        sqlx::query("INSERT INTO analyst_ops (op, created_at) VALUES ($1, $2)")
            .bind(op)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        rows::lock_audit(&mut tx).await?;
        rows::append_audit(&mut tx, now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_analyst_ops(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT op FROM analyst_ops ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)
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
