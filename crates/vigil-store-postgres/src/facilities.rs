//! Facilities and their tips.

use sqlx::Row;
use sqlx::postgres::PgRow;
use vigil_domain::{FacilityId, TipId};
use vigil_store::{FacilityQuery, FacilityRow, FacilityWrite, StoreError};

use crate::rows::map_err;
use crate::{PgStore, begin};

fn facility_from_row(row: &PgRow) -> Result<FacilityRow, StoreError> {
    Ok(FacilityRow {
        id: FacilityId(row.try_get("id").map_err(map_err)?),
        priority: row.try_get("priority").map_err(map_err)?,
        reasons: row.try_get("reasons").map_err(map_err)?,
        province_code: row.try_get("province_code").map_err(map_err)?,
        tips: row.try_get("tips").map_err(map_err)?,
        first_at: row.try_get("first_at").map_err(map_err)?,
        last_at: row.try_get("last_at").map_err(map_err)?,
    })
}

impl PgStore {
    pub(crate) async fn do_save_facilities(
        &self,
        upsert: &[FacilityWrite],
        remove: &[FacilityId],
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let gone: Vec<i64> = remove
            .iter()
            .map(|f| f.0)
            .chain(upsert.iter().map(|f| f.id.0))
            .collect();
        sqlx::query("DELETE FROM facility_tips WHERE facility_id = ANY($1)")
            .bind(gone)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let removed: Vec<i64> = remove.iter().map(|f| f.0).collect();
        sqlx::query("DELETE FROM facilities WHERE id = ANY($1)")
            .bind(removed)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for f in upsert {
            sqlx::query(
                "INSERT INTO facilities (id, priority, reasons, province_code, tips, first_at, last_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (id) DO UPDATE SET priority = excluded.priority,
                    reasons = excluded.reasons, province_code = excluded.province_code,
                    tips = excluded.tips, first_at = excluded.first_at, last_at = excluded.last_at",
            )
            .bind(f.id.0)
            .bind(f.priority)
            .bind(&f.reasons)
            .bind(&f.province_code)
            .bind(f.tips.len() as i64)
            .bind(f.first_at)
            .bind(f.last_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            let tips: Vec<i64> = f.tips.iter().map(|t| t.0).collect();
            sqlx::query(
                "INSERT INTO facility_tips (tip_id, facility_id)
                 SELECT t, $2 FROM UNNEST($1::BIGINT[]) AS t
                 ON CONFLICT (tip_id) DO UPDATE SET facility_id = excluded.facility_id",
            )
            .bind(tips)
            .bind(f.id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_facilities(
        &self,
        q: &FacilityQuery,
    ) -> Result<(Vec<FacilityRow>, i64), StoreError> {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM facilities
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))",
        )
        .bind(q.provinces.clone())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT * FROM facilities
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
             ORDER BY priority DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(q.provinces.clone())
        .bind(q.limit.max(0))
        .bind(q.offset.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let list = rows
            .iter()
            .map(facility_from_row)
            .collect::<Result<_, _>>()?;
        Ok((list, total))
    }

    pub(crate) async fn do_facility(
        &self,
        id: FacilityId,
    ) -> Result<(FacilityRow, Vec<TipId>), StoreError> {
        let row = sqlx::query("SELECT * FROM facilities WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        let tips: Vec<i64> = sqlx::query_scalar(
            "SELECT tip_id FROM facility_tips WHERE facility_id = $1 ORDER BY tip_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok((
            facility_from_row(&row)?,
            tips.into_iter().map(TipId).collect(),
        ))
    }

    pub(crate) async fn do_facility_of(
        &self,
        tip: TipId,
    ) -> Result<Option<FacilityId>, StoreError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT facility_id FROM facility_tips WHERE tip_id = $1")
                .bind(tip.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(id.map(FacilityId))
    }

    pub(crate) async fn do_memberships(&self) -> Result<Vec<(FacilityId, Vec<TipId>)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT facility_id, tip_id FROM facility_tips ORDER BY facility_id, tip_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut out: Vec<(FacilityId, Vec<TipId>)> = Vec::new();
        for (f, t) in rows {
            match out.last_mut() {
                Some((id, tips)) if id.0 == f => tips.push(TipId(t)),
                _ => out.push((FacilityId(f), vec![TipId(t)])),
            }
        }
        Ok(out)
    }
}
