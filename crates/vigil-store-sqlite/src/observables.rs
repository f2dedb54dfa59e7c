//! Observables, sightings and outbox cursors.

use std::collections::BTreeMap;

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{EventSeq, TipId};
use vigil_store::{
    ObservableId, ObservableMode, ObservableRow, StoreError, TipObservables, count_changes,
};

use crate::SqliteStore;
use crate::rows::{self, map_err};

fn observable_from_row(row: &SqliteRow) -> Result<ObservableRow, StoreError> {
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
    conn: &mut SqliteConnection,
    kind: &str,
    value: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO observables (kind, value) VALUES (?, ?)
         ON CONFLICT (kind, value) DO UPDATE SET kind = excluded.kind
         RETURNING id",
    )
    .bind(kind)
    .bind(value)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_err)
}

impl SqliteStore {
    pub(crate) async fn do_record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Net change of each observable's tip count over the batch.
        let mut delta: BTreeMap<i64, i64> = BTreeMap::new();
        for t in tips {
            let old: Vec<i64> = sqlx::query_scalar(
                "DELETE FROM sightings WHERE tip_id = ? RETURNING observable_id",
            )
            .bind(t.tip_id.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?;
            let mut new = Vec::with_capacity(t.values.len());
            for (kind, value) in &t.values {
                let id = observable_id(&mut tx, kind, value).await?;
                sqlx::query(
                    "INSERT INTO sightings (observable_id, tip_id) VALUES (?, ?)
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(t.tip_id.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                new.push(id);
            }
            count_changes(&mut delta, old, new);
        }
        for (id, d) in delta {
            sqlx::query("UPDATE observables SET tips = tips + ? WHERE id = ?")
                .bind(d)
                .bind(id)
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

    pub(crate) async fn do_observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError> {
        let row = sqlx::query(
            "SELECT o.id, o.kind, o.value, o.mode, o.tips
             FROM observables o WHERE o.kind = ? AND o.value = ?",
        )
        .bind(kind)
        .bind(value)
        .fetch_optional(&self.read)
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
                "SELECT tip_id FROM sightings WHERE observable_id = ? AND tip_id < ?
                 ORDER BY tip_id DESC LIMIT ?",
            )
            .bind(id.0)
            .bind(before)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?,
            Some(list) => sqlx::query_scalar(
                "SELECT s.tip_id FROM sightings s JOIN tips t ON t.id = s.tip_id
                 WHERE s.observable_id = ? AND s.tip_id < ?
                   AND t.province_code IN (SELECT value FROM json_each(?))
                 ORDER BY s.tip_id DESC LIMIT ?",
            )
            .bind(id.0)
            .bind(before)
            .bind(serde_json::to_string(list).map_err(|e| StoreError::Other(e.to_string()))?)
            .bind(limit)
            .fetch_all(&self.read)
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
             WHERE s.tip_id = ? ORDER BY o.kind, o.value",
        )
        .bind(tip.0)
        .fetch_all(&self.read)
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
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE observables SET mode = ? WHERE id = ?")
            .bind(mode.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_observable_modes(
        &self,
    ) -> Result<Vec<(String, String, ObservableMode)>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT kind, value, mode FROM observables WHERE mode <> 'auto' ORDER BY id",
        )
        .fetch_all(&self.read)
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
        let mut tx = self.begin_write().await?;
        let now = OffsetDateTime::now_utc();
        sqlx::query("INSERT INTO analyst_ops (op, created_at) VALUES (?, ?)")
            .bind(op)
            .bind(crate::rows::nanos(now))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_analyst_ops(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT op FROM analyst_ops ORDER BY id")
            .fetch_all(&self.read)
            .await
            .map_err(map_err)
    }
}
