//! The public check's reads, analysts' standings and the digest keys of
//! values stored before they were kept.

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::check::ValueDigest;
use vigil_domain::{StaffId, Standing, TipId};
use vigil_store::{
    CheckHit, CheckStore, ObservableId, SampleTip, StandingChange, StandingRow, StoreError,
};

use crate::audit;
use crate::spelling::{from_stored, stored};
use crate::store::SqlStore;
use crate::value::{Row, sql, tuples};

/// The columns [`hit_from_row`] reads: the observable and its standing.
const HIT_COLUMNS: &str = "o.id, o.kind, o.value, o.tips,
     s.standing, s.reason, s.decided_by, s.decided_at";

fn hit_from_row(row: &Row) -> Result<CheckHit, StoreError> {
    let standing: Option<String> = row.get("standing")?;
    let standing = match standing {
        None => None,
        Some(name) => Some(StandingRow {
            standing: from_stored(&name)?,
            reason: from_stored(&row.get::<String>("reason")?)?,
            decided_by: StaffId(row.get("decided_by")?),
            decided_at: row.get("decided_at")?,
        }),
    };
    Ok(CheckHit {
        id: ObservableId(row.get("id")?),
        kind: row.get("kind")?,
        value: row.get("value")?,
        tips: row.get("tips")?,
        standing,
    })
}

#[async_trait::async_trait]
impl CheckStore for SqlStore {
    async fn check_value(&self, kind: &str, value: &str) -> Result<Option<CheckHit>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql(format!(
                    "SELECT {HIT_COLUMNS} FROM observables o
                     LEFT JOIN standings s ON s.observable_id = o.id
                     WHERE o.kind = $1 AND o.value = $2"
                ))
                .bind(kind)
                .bind(value),
            )
            .await?;
        row.as_ref().map(hit_from_row).transpose()
    }

    async fn check_sample(
        &self,
        id: ObservableId,
        limit: i64,
    ) -> Result<Vec<SampleTip>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT t.id, t.text, t.province_code FROM sightings s
                     JOIN tips t ON t.id = s.tip_id
                     WHERE s.observable_id = $1
                     ORDER BY s.tip_id DESC LIMIT $2")
                .bind(id.0)
                .bind(limit.max(0)),
            )
            .await?;
        Ok(tuples::<(i64, String, Option<String>)>(rows)?
            .into_iter()
            .map(|(tip, text, province)| SampleTip {
                tip: TipId(tip),
                text,
                province,
            })
            .collect())
    }

    async fn check_range(
        &self,
        from: i64,
        to: i64,
        min_tips: i64,
    ) -> Result<Vec<CheckHit>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {HIT_COLUMNS} FROM observables o
                     LEFT JOIN standings s ON s.observable_id = o.id
                     WHERE o.digest_key BETWEEN $1 AND $2
                       AND (o.tips >= $3 OR s.standing IS NOT NULL)
                     ORDER BY o.digest_key, o.id"
                ))
                .bind(from)
                .bind(to)
                .bind(min_tips),
            )
            .await?;
        rows.iter().map(hit_from_row).collect()
    }

    async fn set_standing(
        &self,
        change: StandingChange,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let exists = tx
            .fetch_optional(sql("SELECT id FROM observables WHERE id = $1").bind(change.id.0))
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        tx.execute(sql("DELETE FROM standings WHERE observable_id = $1").bind(change.id.0))
            .await?;
        if let Some((standing, reason)) = change.standing {
            tx.execute(
                sql("INSERT INTO standings (observable_id, standing, reason, decided_by, decided_at)
                     VALUES ($1, $2, $3, $4, $5)")
                .bind(change.id.0)
                .bind(stored(standing))
                .bind(stored(reason))
                .bind(change.by.0)
                .bind(change.at),
            )
            .await?;
        }
        audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await
    }

    async fn standings(
        &self,
        standing: Standing,
        after: Option<ObservableId>,
        limit: i64,
    ) -> Result<Vec<CheckHit>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {HIT_COLUMNS} FROM standings s
                     JOIN observables o ON o.id = s.observable_id
                     WHERE s.standing = $1 AND s.observable_id > $2
                     ORDER BY s.observable_id LIMIT $3"
                ))
                .bind(stored(standing))
                .bind(after.map_or(0, |a| a.0))
                .bind(limit.max(0)),
            )
            .await?;
        rows.iter().map(hit_from_row).collect()
    }

    async fn fill_check_digests(&self, limit: i64) -> Result<u64, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT id, value FROM observables WHERE digest_key IS NULL
                     ORDER BY id LIMIT $1")
                .bind(limit.max(0)),
            )
            .await?;
        let missing = tuples::<(i64, String)>(rows)?;
        if missing.is_empty() {
            return Ok(0);
        }
        let mut tx = self.db().begin().await?;
        for (id, value) in &missing {
            tx.execute(
                sql("UPDATE observables SET digest_key = $1 WHERE id = $2 AND digest_key IS NULL")
                    .bind(ValueDigest::of(value).key())
                    .bind(*id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(missing.len() as u64)
    }
}
