//! Counts by place for the map, assignments, and the `IntelStore` impl
//! (observables and facilities are read and written in their own modules).

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{FacilityId, StaffId, TipId};
use vigil_store::{
    Assignable, AssignmentRow, DistrictFacilities, FacilityQuery, FacilityRow, FacilityWrite,
    ObservableId, ObservableMode, ObservableRow, PlaceCounts, StoreError,
};

use crate::audit;
use crate::store::SqlStore;
use crate::value::{sql, tuples};

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

#[async_trait::async_trait]
impl vigil_store::IntelStore for SqlStore {
    async fn observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError> {
        self.find_observable(kind, value).await
    }

    async fn related_tips_page(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError> {
        self.related_page(id, provinces, before, limit).await
    }

    async fn tip_observables(&self, tip: TipId) -> Result<Vec<ObservableRow>, StoreError> {
        self.observables_of(tip).await
    }

    async fn set_observable_mode(
        &self,
        id: ObservableId,
        mode: ObservableMode,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.write_observable_mode(id, mode, audit).await
    }

    async fn save_facilities(
        &self,
        upsert: &[FacilityWrite],
        remove: &[FacilityId],
    ) -> Result<(), StoreError> {
        self.write_facilities(upsert, remove).await
    }

    async fn facilities(&self, q: &FacilityQuery) -> Result<(Vec<FacilityRow>, i64), StoreError> {
        self.facility_page(q).await
    }

    async fn facility(&self, id: FacilityId) -> Result<(FacilityRow, Vec<TipId>), StoreError> {
        self.facility_with_tips(id).await
    }

    async fn facility_tips_page(
        &self,
        id: FacilityId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<(Vec<TipId>, i64), StoreError> {
        self.facility_tips(id, provinces, before, limit).await
    }

    async fn facilities_of(
        &self,
        tips: &[TipId],
    ) -> Result<Vec<(TipId, FacilityId, String, Option<String>)>, StoreError> {
        self.facilities_of_tips(tips).await
    }

    async fn facility_of(&self, tip: TipId) -> Result<Option<FacilityId>, StoreError> {
        self.facility_of_tip(tip).await
    }

    async fn memberships(&self) -> Result<Vec<(FacilityId, Vec<TipId>)>, StoreError> {
        self.facility_memberships().await
    }

    async fn observable_modes(&self) -> Result<Vec<(String, String, ObservableMode)>, StoreError> {
        self.marked_observables().await
    }

    async fn add_analyst_op(
        &self,
        ops: &[vigil_domain::AnalystOp],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.insert_analyst_op(ops, audit).await
    }

    async fn analyst_ops(&self) -> Result<Vec<Vec<vigil_domain::AnalystOp>>, StoreError> {
        self.all_analyst_ops().await
    }

    async fn place_counts(&self, provinces: Option<&[String]>) -> Result<PlaceCounts, StoreError> {
        let scope: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        let tips = self
            .db()
            .fetch_all(
                sql("SELECT province_code, district_code, COUNT(*) FROM tips
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
                     GROUP BY province_code, district_code")
                .bind(&scope),
            )
            .await?;
        let districts = self
            .db()
            .fetch_all(
                sql(
                    "SELECT t.province_code, t.district_code, COUNT(DISTINCT f.id), MAX(f.priority)
                     FROM tips t
                     JOIN facility_tips ft ON ft.tip_id = t.id
                     JOIN facilities f ON f.id = ft.facility_id AND f.province_code = t.province_code
                     WHERE ($1::TEXT[] IS NULL OR t.province_code = ANY($1))
                     GROUP BY t.province_code, t.district_code",
                )
                .bind(&scope),
            )
            .await?;
        let by_province = self
            .db()
            .fetch_all(
                sql(
                    "SELECT province_code, COUNT(*), MAX(priority) FROM facilities
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
                     GROUP BY province_code",
                )
                .bind(&scope),
            )
            .await?;
        Ok(PlaceCounts::assemble(
            tuples(tips)?,
            tuples::<DistrictFacilities>(districts)?,
            tuples(by_province)?,
        ))
    }

    async fn assign(&self, row: AssignmentRow, entry: NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql(
                "INSERT INTO assignments (object, staff_id, assigned_by, assigned_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (object) DO UPDATE SET staff_id = excluded.staff_id,
                    assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
            )
            .bind(row.object.to_stored())
            .bind(row.staff.0)
            .bind(row.assigned_by.0)
            .bind(row.assigned_at),
        )
        .await?;
        audit::append(&mut *tx, row.assigned_at, entry).await?;
        tx.commit().await
    }

    async fn unassign(&self, object: Assignable, entry: NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(sql("DELETE FROM assignments WHERE object = $1").bind(object.to_stored()))
            .await?;
        audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await
    }

    async fn assignment(&self, object: Assignable) -> Result<Option<AssignmentRow>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql(
                    "SELECT object, staff_id, assigned_by, assigned_at FROM assignments
                     WHERE object = $1",
                )
                .bind(object.to_stored()),
            )
            .await?;
        Ok(row
            .map(|r| r.to::<AssignmentTuple>())
            .transpose()?
            .and_then(assignment))
    }

    async fn assignments_to(&self, staff: StaffId) -> Result<Vec<AssignmentRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT object, staff_id, assigned_by, assigned_at FROM assignments
                     WHERE staff_id = $1 ORDER BY assigned_at DESC, object",
                )
                .bind(staff.0),
            )
            .await?;
        Ok(tuples::<AssignmentTuple>(rows)?
            .into_iter()
            .filter_map(assignment)
            .collect())
    }
}
