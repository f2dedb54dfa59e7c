//! Observables, sightings and outbox cursors.

use std::collections::BTreeMap;

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{EventSeq, TipId};
use vigil_store::{
    ObservableId, ObservableMode, ObservableRow, StoreError, TipObservables, count_changes,
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

async fn observable_id(
    conn: &mut PgConnection,
    kind: &str,
    value: &str,
) -> Result<i64, StoreError> {
    // Look first: an upsert draws from the id sequence even when the value
    // exists, and sightings hold observable ids as 4-byte integers (0007).
    // Nothing here locks an existing row (see `do_record_sightings`).
    let find = || {
        sqlx::query_scalar::<_, i64>("SELECT id FROM observables WHERE kind = $1 AND value = $2")
            .bind(kind)
            .bind(value)
    };
    if let Some(id) = find().fetch_optional(&mut *conn).await.map_err(map_err)? {
        return Ok(id);
    }
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO observables (kind, value) VALUES ($1, $2)
         ON CONFLICT (kind, value) DO NOTHING RETURNING id",
    )
    .bind(kind)
    .bind(value)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_err)?;
    match created {
        Some(id) => Ok(id),
        // Another writer committed it meanwhile: this statement sees it.
        None => find().fetch_one(&mut *conn).await.map_err(map_err),
    }
}

impl PgStore {
    pub(crate) async fn do_record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        // One writer per tip at a time, taken first and in tip order: a second
        // recording of the same tip then deletes, and subtracts, exactly what
        // the first one wrote. Locks come in three rounds, each in one order
        // (tips, then new observables by value, then counts by id), and no
        // round waits on a lock of a later one, so writers cannot deadlock.
        let mut tip_ids: Vec<i64> = tips.iter().map(|t| t.tip_id.0).collect();
        tip_ids.sort_unstable();
        tip_ids.dedup();
        sqlx::query(
            "SELECT pg_advisory_xact_lock($1, t::INTEGER)
             FROM (SELECT t FROM UNNEST($2::BIGINT[]) AS t ORDER BY t) AS ordered",
        )
        .bind(TIP_LOCK_CLASS)
        .bind(&tip_ids)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        // Observables are created in a stable order, so two workers never
        // wait on each other's rows in opposite orders.
        let mut all: Vec<(&str, &str)> = tips
            .iter()
            .flat_map(|t| t.values.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect();
        all.sort_unstable();
        all.dedup();
        let mut ids = std::collections::HashMap::with_capacity(all.len());
        for (k, v) in all {
            ids.insert((k, v), observable_id(&mut tx, k, v).await?);
        }
        // Net change of each observable's tip count over the batch.
        let mut delta: BTreeMap<i64, i64> = BTreeMap::new();
        for t in tips {
            let old: Vec<i64> = sqlx::query_scalar(
                "DELETE FROM sightings WHERE tip_id = $1 RETURNING observable_id::BIGINT",
            )
            .bind(t.tip_id.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?;
            let obs: Vec<i64> = t
                .values
                .iter()
                .filter_map(|(k, v)| ids.get(&(k.as_str(), v.as_str())).copied())
                .collect();
            sqlx::query(
                "INSERT INTO sightings (observable_id, tip_id)
                 SELECT o, $2 FROM UNNEST($1::BIGINT[]) AS o
                 ON CONFLICT DO NOTHING",
            )
            .bind(&obs)
            .bind(t.tip_id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            count_changes(&mut delta, old, obs);
        }
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
