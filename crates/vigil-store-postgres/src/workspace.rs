//! Counts by place for the map, and assignments.

use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{Assignable, AssignmentRow, DistrictFacilities, PlaceCounts, StoreError};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

type AssignmentTuple = (String, i64, i64, OffsetDateTime);

fn assignment(row: AssignmentTuple) -> Option<AssignmentRow> {
    let (object, staff, by, at) = row;
    Assignable::from_stored(&object).map(|o| AssignmentRow {
        object: o,
        staff: StaffId(staff),
        assigned_by: StaffId(by),
        assigned_at: at,
    })
}

impl PgStore {
    pub(crate) async fn do_place_counts(
        &self,
        provinces: Option<&[String]>,
    ) -> Result<PlaceCounts, StoreError> {
        let scope: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        let tips: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT province_code, district_code, COUNT(*) FROM tips
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
             GROUP BY province_code, district_code",
        )
        .bind(&scope)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let districts: Vec<DistrictFacilities> = sqlx::query_as(
            "SELECT t.province_code, t.district_code, COUNT(DISTINCT f.id), MAX(f.priority)
             FROM tips t
             JOIN facility_tips ft ON ft.tip_id = t.id
             JOIN facilities f ON f.id = ft.facility_id AND f.province_code = t.province_code
             WHERE ($1::TEXT[] IS NULL OR t.province_code = ANY($1))
             GROUP BY t.province_code, t.district_code",
        )
        .bind(&scope)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let by_province: Vec<(Option<String>, i64, Option<f64>)> = sqlx::query_as(
            "SELECT province_code, COUNT(*), MAX(priority) FROM facilities
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
             GROUP BY province_code",
        )
        .bind(&scope)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(PlaceCounts::assemble(tips, districts, by_province))
    }

    pub(crate) async fn do_assign(
        &self,
        row: AssignmentRow,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        sqlx::query(
            "INSERT INTO assignments (object, staff_id, assigned_by, assigned_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (object) DO UPDATE SET staff_id = EXCLUDED.staff_id,
                assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at",
        )
        .bind(row.object.to_stored())
        .bind(row.staff.0)
        .bind(row.assigned_by.0)
        .bind(row.assigned_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        rows::lock_audit(&mut tx).await?;
        rows::append_audit(&mut tx, row.assigned_at, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_unassign(
        &self,
        object: Assignable,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        sqlx::query("DELETE FROM assignments WHERE object = $1")
            .bind(object.to_stored())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        rows::lock_audit(&mut tx).await?;
        rows::append_audit(&mut tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_assignment(
        &self,
        object: Assignable,
    ) -> Result<Option<AssignmentRow>, StoreError> {
        let row: Option<AssignmentTuple> = sqlx::query_as(
            "SELECT object, staff_id, assigned_by, assigned_at FROM assignments WHERE object = $1",
        )
        .bind(object.to_stored())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.and_then(assignment))
    }

    pub(crate) async fn do_assignments_to(
        &self,
        staff: StaffId,
    ) -> Result<Vec<AssignmentRow>, StoreError> {
        let rows: Vec<AssignmentTuple> = sqlx::query_as(
            "SELECT object, staff_id, assigned_by, assigned_at FROM assignments
             WHERE staff_id = $1 ORDER BY assigned_at DESC, object",
        )
        .bind(staff.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().filter_map(assignment).collect())
    }
}
