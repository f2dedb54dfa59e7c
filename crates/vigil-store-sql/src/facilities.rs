//! Facilities and their tips. The `IntelStore` impl that calls these sits in
//! `workspace.rs`.

use vigil_domain::{FacilityId, TipId};
use vigil_store::{FacilityQuery, FacilityRow, FacilityWrite, StoreError};

use crate::store::SqlStore;
use crate::value::{Row, no_limit_if_negative, scalars, sql, tuples};

fn facility_from_row(row: &Row) -> Result<FacilityRow, StoreError> {
    Ok(FacilityRow {
        id: FacilityId(row.get("id")?),
        priority: row.get("priority")?,
        reasons: row.get("reasons")?,
        name: row.get("name")?,
        province_code: row.get("province_code")?,
        tips: row.get("tips")?,
        first_at: row.get("first_at")?,
        last_at: row.get("last_at")?,
    })
}

impl SqlStore {
    /// Writes facilities (replacing each one's tips) and removes others, in
    /// one transaction.
    pub(crate) async fn write_facilities(
        &self,
        upsert: &[FacilityWrite],
        remove: &[FacilityId],
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let gone: Vec<i64> = remove
            .iter()
            .map(|f| f.0)
            .chain(upsert.iter().map(|f| f.id.0))
            .collect();
        tx.execute(sql("DELETE FROM facility_tips WHERE facility_id = ANY($1)").bind(gone))
            .await?;
        tx.execute(
            sql("DELETE FROM facilities WHERE id = ANY($1)")
                .bind(remove.iter().map(|f| f.0).collect::<Vec<i64>>()),
        )
        .await?;
        for f in upsert {
            tx.execute(
                sql(
                    "INSERT INTO facilities (id, priority, reasons, province_code, tips, first_at, last_at, name)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (id) DO UPDATE SET priority = excluded.priority,
                        reasons = excluded.reasons, province_code = excluded.province_code,
                        tips = excluded.tips, first_at = excluded.first_at, last_at = excluded.last_at,
                        name = excluded.name",
                )
                .bind(f.id.0)
                .bind(f.priority)
                .bind(&f.reasons)
                .bind(&f.province_code)
                .bind(f.tips.len() as i64)
                .bind(f.first_at)
                .bind(f.last_at)
                .bind(&f.name),
            )
            .await?;
            let tips: Vec<i64> = f.tips.iter().map(|t| t.0).collect();
            tx.execute(
                sql(self.dialect().pick(
                    // `WHERE true`: SQLite would otherwise read `ON CONFLICT`
                    // as a join constraint of the `SELECT`.
                    "INSERT INTO facility_tips (tip_id, facility_id)
                     SELECT value, $2 FROM json_each($1) WHERE true
                     ON CONFLICT (tip_id) DO UPDATE SET facility_id = excluded.facility_id",
                    "INSERT INTO facility_tips (tip_id, facility_id)
                     SELECT t, $2 FROM UNNEST($1::BIGINT[]) AS t
                     ON CONFLICT (tip_id) DO UPDATE SET facility_id = excluded.facility_id",
                ))
                .bind(tips)
                .bind(f.id.0),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Facilities within `q.provinces`, highest priority first, and how many match.
    pub(crate) async fn facility_page(
        &self,
        q: &FacilityQuery,
    ) -> Result<(Vec<FacilityRow>, i64), StoreError> {
        let total: i64 = self
            .db()
            .fetch_one(
                sql("SELECT COUNT(*) FROM facilities
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))")
                .bind(&q.provinces),
            )
            .await?
            .get(0)?;
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT * FROM facilities
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
                     ORDER BY priority DESC, id LIMIT $2 OFFSET $3")
                .bind(&q.provinces)
                .bind(no_limit_if_negative(q.limit))
                .bind(q.offset.max(0)),
            )
            .await?;
        let list = rows
            .iter()
            .map(facility_from_row)
            .collect::<Result<_, _>>()?;
        Ok((list, total))
    }

    /// One facility and its tips, oldest first.
    pub(crate) async fn facility_with_tips(
        &self,
        id: FacilityId,
    ) -> Result<(FacilityRow, Vec<TipId>), StoreError> {
        let row = self
            .db()
            .fetch_one(sql("SELECT * FROM facilities WHERE id = $1").bind(id.0))
            .await?;
        let tips: Vec<i64> = scalars(
            self.db()
                .fetch_all(
                    sql("SELECT tip_id FROM facility_tips WHERE facility_id = $1 ORDER BY tip_id")
                        .bind(id.0),
                )
                .await?,
        )?;
        Ok((
            facility_from_row(&row)?,
            tips.into_iter().map(TipId).collect(),
        ))
    }

    /// The facility a tip belongs to.
    pub(crate) async fn facility_of_tip(
        &self,
        tip: TipId,
    ) -> Result<Option<FacilityId>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql("SELECT facility_id FROM facility_tips WHERE tip_id = $1").bind(tip.0),
            )
            .await?;
        row.map(|r| r.get(0).map(FacilityId)).transpose()
    }

    /// Every facility's tips, by facility id.
    pub(crate) async fn facility_memberships(
        &self,
    ) -> Result<Vec<(FacilityId, Vec<TipId>)>, StoreError> {
        let rows = self
            .db()
            .fetch_all(sql(
                "SELECT facility_id, tip_id FROM facility_tips ORDER BY facility_id, tip_id",
            ))
            .await?;
        let mut out: Vec<(FacilityId, Vec<TipId>)> = Vec::new();
        for (f, t) in tuples::<(i64, i64)>(rows)? {
            match out.last_mut() {
                Some((id, tips)) if id.0 == f => tips.push(TipId(t)),
                _ => out.push((FacilityId(f), vec![TipId(t)])),
            }
        }
        Ok(out)
    }
}
