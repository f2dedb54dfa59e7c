//! Facilities and their tips. The `IntelStore` impl that calls these sits in
//! `workspace.rs`.

use vigil_domain::{FacilityId, TipId};
use vigil_store::{FacilityQuery, FacilityRow, FacilityWrite, RaidMark, StoreError};

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
        raid: match (
            row.get::<Option<i64>>("raid_id")?,
            row.get::<Option<String>>("raid_reference")?,
            row.get::<Option<time::OffsetDateTime>>("raid_at")?,
        ) {
            (Some(operation), Some(reference), Some(at)) => Some(RaidMark {
                operation,
                reference,
                at,
            }),
            _ => None,
        },
    })
}

/// Facilities (`f`) with their latest completed operation (`raid_id`,
/// `raid_reference`, `raid_at`), if any; its date is when it happened, else
/// when it was planned for, else when it was recorded.
const WITH_RAID: &str = "SELECT f.*, r.id AS raid_id, r.reference AS raid_reference, r.at AS raid_at
     FROM facilities f LEFT JOIN (
        SELECT x.facility_id, o.id, o.reference,
               COALESCE(o.happened_at, o.planned_for, o.created_at) AS at,
               ROW_NUMBER() OVER (PARTITION BY x.facility_id
                   ORDER BY COALESCE(o.happened_at, o.planned_for, o.created_at) DESC, o.id DESC) AS n
        FROM operation_facilities x JOIN operations o ON o.id = x.operation_id
        WHERE o.status = 'done'
     ) r ON r.facility_id = f.id AND r.n = 1";

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

    /// Facilities within `q.provinces`, and how many match: those a raid has
    /// not settled first, then those it settled (a completed operation and no
    /// tip received after its date: `vigil_intel::settled_by_raid`), each
    /// highest priority first.
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
                sql(format!(
                    "{WITH_RAID}
                     WHERE ($1::TEXT[] IS NULL OR f.province_code = ANY($1))
                     ORDER BY CASE WHEN r.at IS NOT NULL AND f.last_at <= r.at THEN 1 ELSE 0 END,
                        f.priority DESC, f.id LIMIT $2 OFFSET $3"
                ))
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
            .fetch_one(sql(format!("{WITH_RAID} WHERE f.id = $1")).bind(id.0))
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

    /// One page of a facility's tips within `provinces`, newest first, older
    /// than `before`; with how many of its tips lie within `provinces`.
    pub(crate) async fn facility_tips(
        &self,
        id: FacilityId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<(Vec<TipId>, i64), StoreError> {
        let scope: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        // A bound rather than `$n IS NULL OR …`: a plain range on the index
        // (facility_id, tip_id).
        let before = before.map_or(i64::MAX, |t| t.0);
        let q = match &scope {
            None => sql("SELECT ft.tip_id FROM facility_tips ft
                 WHERE ft.facility_id = $1 AND ft.tip_id < $2
                 ORDER BY ft.tip_id DESC LIMIT $3")
            .bind(id.0)
            .bind(before)
            .bind(limit.max(0)),
            Some(list) => sql(
                "SELECT ft.tip_id FROM facility_tips ft JOIN tips t ON t.id = ft.tip_id
                 WHERE ft.facility_id = $1 AND ft.tip_id < $2 AND t.province_code = ANY($3)
                 ORDER BY ft.tip_id DESC LIMIT $4",
            )
            .bind(id.0)
            .bind(before)
            .bind(list.clone())
            .bind(limit.max(0)),
        };
        let ids: Vec<i64> = scalars(self.db().fetch_all(q).await?)?;
        let total: i64 = self
            .db()
            .fetch_one(
                sql(
                    "SELECT COUNT(*) FROM facility_tips ft JOIN tips t ON t.id = ft.tip_id
                     WHERE ft.facility_id = $1
                       AND ($2::TEXT[] IS NULL OR t.province_code = ANY($2))",
                )
                .bind(id.0)
                .bind(&scope),
            )
            .await?
            .get(0)?;
        Ok((ids.into_iter().map(TipId).collect(), total))
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

    /// The facilities of `tips`: (tip, facility, name, province).
    pub(crate) async fn facilities_of_tips(
        &self,
        tips: &[TipId],
    ) -> Result<Vec<(TipId, FacilityId, String, Option<String>)>, StoreError> {
        let ids: Vec<i64> = tips.iter().map(|t| t.0).collect();
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT ft.tip_id, f.id, f.name, f.province_code
                     FROM facility_tips ft JOIN facilities f ON f.id = ft.facility_id
                     WHERE ft.tip_id = ANY($1) ORDER BY ft.tip_id")
                .bind(ids),
            )
            .await?;
        Ok(tuples::<(i64, i64, String, Option<String>)>(rows)?
            .into_iter()
            .map(|(t, f, name, province)| (TipId(t), FacilityId(f), name, province))
            .collect())
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
