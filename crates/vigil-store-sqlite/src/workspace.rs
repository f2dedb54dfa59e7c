//! Counts by place for the map, and assignments.

use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{Assignable, AssignmentRow, DistrictFacilities, PlaceCounts, StoreError};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos};

type AssignmentTuple = (String, i64, i64, i64);

fn assignment(row: AssignmentTuple) -> Option<AssignmentRow> {
    let (object, staff, by, at) = row;
    Assignable::from_stored(&object).map(|o| AssignmentRow {
        object: o,
        staff: StaffId(staff),
        assigned_by: StaffId(by),
        assigned_at: from_nanos(at).unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
    })
}

impl SqliteStore {
    pub(crate) async fn do_place_counts(
        &self,
        provinces: Option<&[String]>,
    ) -> Result<PlaceCounts, StoreError> {
        let scope = provinces
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let tips: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT province_code, district_code, COUNT(*) FROM tips
             WHERE (?1 IS NULL OR province_code IN (SELECT value FROM json_each(?1)))
             GROUP BY province_code, district_code",
        )
        .bind(&scope)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        let districts: Vec<DistrictFacilities> = sqlx::query_as(
            "SELECT t.province_code, t.district_code, COUNT(DISTINCT f.id), MAX(f.priority)
             FROM tips t
             JOIN facility_tips ft ON ft.tip_id = t.id
             JOIN facilities f ON f.id = ft.facility_id AND f.province_code = t.province_code
             WHERE (?1 IS NULL OR t.province_code IN (SELECT value FROM json_each(?1)))
             GROUP BY t.province_code, t.district_code",
        )
        .bind(&scope)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        let by_province: Vec<(Option<String>, i64, Option<f64>)> = sqlx::query_as(
            "SELECT province_code, COUNT(*), MAX(priority) FROM facilities
             WHERE (?1 IS NULL OR province_code IN (SELECT value FROM json_each(?1)))
             GROUP BY province_code",
        )
        .bind(&scope)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        Ok(PlaceCounts::assemble(tips, districts, by_province))
    }

    pub(crate) async fn do_assign(
        &self,
        row: AssignmentRow,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO assignments (object, staff_id, assigned_by, assigned_at)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (object) DO UPDATE SET staff_id = excluded.staff_id,
                assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
        )
        .bind(row.object.to_stored())
        .bind(row.staff.0)
        .bind(row.assigned_by.0)
        .bind(nanos(row.assigned_at))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), row.assigned_at, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_unassign(
        &self,
        object: Assignable,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM assignments WHERE object = ?")
            .bind(object.to_stored())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let now = time::OffsetDateTime::now_utc();
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_assignment(
        &self,
        object: Assignable,
    ) -> Result<Option<AssignmentRow>, StoreError> {
        let row: Option<AssignmentTuple> = sqlx::query_as(
            "SELECT object, staff_id, assigned_by, assigned_at FROM assignments WHERE object = ?",
        )
        .bind(object.to_stored())
        .fetch_optional(&self.read)
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
             WHERE staff_id = ? ORDER BY assigned_at DESC, object",
        )
        .bind(staff.0)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().filter_map(assignment).collect())
    }
}
