//! Observables: looking them up, the tips they were seen in, the modes an
//! admin sets, and analysts' operations. The `IntelStore` impl that calls
//! these sits in `workspace.rs`.

use time::OffsetDateTime;
use vigil_domain::TipId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{ObservableId, ObservableMode, ObservableRow, StoreError};

use crate::audit;
use crate::store::SqlStore;
use crate::value::{Row, scalars, sql, tuples};

/// The columns [`observable_from_row`] reads.
const OBSERVABLE_COLUMNS: &str = "o.id, o.kind, o.value, o.mode, o.tips";

fn observable_from_row(row: &Row) -> Result<ObservableRow, StoreError> {
    let mode: String = row.get("mode")?;
    Ok(ObservableRow {
        id: ObservableId(row.get("id")?),
        kind: row.get("kind")?,
        value: row.get("value")?,
        mode: ObservableMode::parse(&mode),
        tips: row.get("tips")?,
    })
}

impl SqlStore {
    /// An observable by kind and normalised value.
    pub(crate) async fn find_observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql(format!(
                    "SELECT {OBSERVABLE_COLUMNS} FROM observables o
                     WHERE o.kind = $1 AND o.value = $2"
                ))
                .bind(kind)
                .bind(value),
            )
            .await?;
        row.as_ref().map(observable_from_row).transpose()
    }

    /// One page of the tips an observable was seen in, newest first.
    pub(crate) async fn related_page(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError> {
        // A bound rather than `$n IS NULL OR …`, so the planner sees a plain
        // range on the primary key (observable_id, tip_id).
        let before = before.map_or(i64::MAX, |t| t.0);
        let q = match provinces {
            // `s.tip_id`, not `tip_id`: the bare name would sort by the
            // BIGINT output column, not in the primary key's order.
            None => sql("SELECT s.tip_id::BIGINT FROM sightings s
                 WHERE s.observable_id = $1 AND s.tip_id < $2
                 ORDER BY s.tip_id DESC LIMIT $3")
            .bind(id.0)
            .bind(before)
            .bind(limit.max(0)),
            Some(list) => sql(
                "SELECT s.tip_id::BIGINT FROM sightings s JOIN tips t ON t.id = s.tip_id
                 WHERE s.observable_id = $1 AND s.tip_id < $2 AND t.province_code = ANY($3)
                 ORDER BY s.tip_id DESC LIMIT $4",
            )
            .bind(id.0)
            .bind(before)
            .bind(list)
            .bind(limit.max(0)),
        };
        let ids: Vec<i64> = scalars(self.db().fetch_all(q).await?)?;
        Ok(ids.into_iter().map(TipId).collect())
    }

    /// The observables of a tip, by kind and value (byte order).
    pub(crate) async fn observables_of(
        &self,
        tip: TipId,
    ) -> Result<Vec<ObservableRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {OBSERVABLE_COLUMNS}
                     FROM sightings s JOIN observables o ON o.id = s.observable_id
                     WHERE s.tip_id = $1 {}",
                    self.dialect().pick(
                        "ORDER BY o.kind, o.value",
                        // Byte order, as on SQLite, whatever the database's collation.
                        "ORDER BY o.kind COLLATE \"C\", o.value COLLATE \"C\"",
                    )
                ))
                .bind(tip.0),
            )
            .await?;
        rows.iter().map(observable_from_row).collect()
    }

    /// Sets an observable's mode, audited.
    pub(crate) async fn write_observable_mode(
        &self,
        id: ObservableId,
        mode: ObservableMode,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let changed = tx
            .execute(
                sql("UPDATE observables SET mode = $1 WHERE id = $2")
                    .bind(mode.as_str())
                    .bind(id.0),
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await
    }

    /// Observables whose mode is not `auto`: (kind, value, mode), by id.
    pub(crate) async fn marked_observables(
        &self,
    ) -> Result<Vec<(String, String, ObservableMode)>, StoreError> {
        let rows = self
            .db()
            .fetch_all(sql(
                "SELECT kind, value, mode FROM observables WHERE mode <> 'auto' ORDER BY id",
            ))
            .await?;
        Ok(tuples::<(String, String, String)>(rows)?
            .into_iter()
            .map(|(k, v, m)| (k, v, ObservableMode::parse(&m)))
            .collect())
    }

    /// Records an analyst's operation, audited.
    pub(crate) async fn insert_analyst_op(
        &self,
        ops: &[vigil_domain::AnalystOp],
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let now = OffsetDateTime::now_utc();
        tx.execute(
            sql("INSERT INTO analyst_ops (op, created_at) VALUES ($1, $2)")
                .bind(crate::spelling::analyst_ops_to_stored(ops))
                .bind(now),
        )
        .await?;
        audit::append(&mut *tx, now, entry).await?;
        tx.commit().await
    }

    /// Every analyst decision, oldest first; one that does not read is
    /// skipped with a warning.
    pub(crate) async fn all_analyst_ops(
        &self,
    ) -> Result<Vec<Vec<vigil_domain::AnalystOp>>, StoreError> {
        let stored: Vec<String> = scalars(
            self.db()
                .fetch_all(sql("SELECT op FROM analyst_ops ORDER BY id"))
                .await?,
        )?;
        Ok(stored
            .iter()
            .filter_map(|s| match crate::spelling::analyst_ops_from_stored(s) {
                Ok(ops) => Some(ops),
                Err(e) => {
                    tracing::warn!(error = %e, "an analyst operation does not read; skipped");
                    None
                }
            })
            .collect())
    }
}
