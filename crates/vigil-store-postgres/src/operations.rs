//! Operations, networks, seized items and custody chains (migration 0013).
//! Every write appends its audit entry under the advisory lock as its last
//! step; a custody append locks the item's row first, so appends to one item
//! take turns and the second sees the first's step.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::{OffsetDateTime, UtcOffset};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{FacilityId, StaffId};
use vigil_store::{
    CustodyEntryRow, NetworkRow, NewOperation, NewSeizedItem, OperationRow, OperationsStore,
    SeizedItemRow, StoreError,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

const OP_COLUMNS: &str = "id, reference, title, lead_agency, partners, planned_for,
     planned_offset, happened_at, happened_offset, province_code, district_code,
     commune_code, place, status, outcome, network_id, created_by, created_at";

const ITEM_COLUMNS: &str =
    "id, operation_id, reference, kind, serial, imei, item, holder, created_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn offset_minutes(t: OffsetDateTime) -> i64 {
    i64::from(t.offset().whole_minutes())
}

fn with_offset(n: OffsetDateTime, minutes: i64) -> Result<OffsetDateTime, StoreError> {
    let secs = i32::try_from(minutes.saturating_mul(60)).map_err(other)?;
    let off = UtcOffset::from_whole_seconds(secs).map_err(other)?;
    Ok(n.to_offset(off))
}

fn opt_time(
    n: Option<OffsetDateTime>,
    off: Option<i64>,
) -> Result<Option<OffsetDateTime>, StoreError> {
    n.map(|n| with_offset(n, off.unwrap_or(0))).transpose()
}

fn operation_from_row(r: &PgRow, facilities: Vec<FacilityId>) -> Result<OperationRow, StoreError> {
    let partners: String = get(r, 4)?;
    Ok(OperationRow {
        id: get(r, 0)?,
        operation: NewOperation {
            reference: get(r, 1)?,
            title: get(r, 2)?,
            lead_agency: get(r, 3)?,
            partners: serde_json::from_str(&partners).map_err(other)?,
            planned_for: opt_time(get(r, 5)?, get(r, 6)?)?,
            happened_at: opt_time(get(r, 7)?, get(r, 8)?)?,
            province_code: get(r, 9)?,
            district_code: get(r, 10)?,
            commune_code: get(r, 11)?,
            place: get(r, 12)?,
            status: get(r, 13)?,
            outcome: get(r, 14)?,
            network_id: get(r, 15)?,
            facilities,
            created_by: StaffId(get(r, 16)?),
            created_at: get(r, 17)?,
        },
    })
}

fn item_from_row(r: &PgRow) -> Result<SeizedItemRow, StoreError> {
    Ok(SeizedItemRow {
        id: get(r, 0)?,
        operation_id: get(r, 1)?,
        reference: get(r, 2)?,
        kind: get(r, 3)?,
        serial: get(r, 4)?,
        imei: get(r, 5)?,
        item_json: get(r, 6)?,
        holder: get(r, 7)?,
        created_at: get(r, 8)?,
    })
}

async fn audit(tx: &mut PgConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    rows::lock_audit(tx).await?;
    rows::append_audit(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

async fn insert_entry(
    tx: &mut PgConnection,
    item: i64,
    e: &CustodyEntryRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO custody_entries (item_id, step, kind, at, at_offset, event, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(item)
    .bind(e.step)
    .bind(&e.kind)
    .bind(e.at)
    .bind(offset_minutes(e.at))
    .bind(&e.event_json)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

async fn write_facilities(
    tx: &mut PgConnection,
    id: i64,
    facilities: &[FacilityId],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM operation_facilities WHERE operation_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
    for f in facilities {
        sqlx::query(
            "INSERT INTO operation_facilities (operation_id, facility_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(f.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

async fn require(
    tx: &mut PgConnection,
    sql: &'static str,
    id: Option<i64>,
) -> Result<(), StoreError> {
    if let Some(id) = id {
        sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
    }
    Ok(())
}

impl PgStore {
    async fn facilities_of(&self, ids: &[i64]) -> Result<Vec<(i64, FacilityId)>, StoreError> {
        let rows = sqlx::query(
            "SELECT operation_id, facility_id FROM operation_facilities
             WHERE operation_id = ANY($1) ORDER BY 1, 2",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((get(r, 0)?, FacilityId(get(r, 1)?))))
            .collect()
    }

    async fn with_facilities(&self, rows: Vec<PgRow>) -> Result<Vec<OperationRow>, StoreError> {
        let ids = rows
            .iter()
            .map(|r| get(r, 0))
            .collect::<Result<Vec<i64>, _>>()?;
        let links = self.facilities_of(&ids).await?;
        rows.iter()
            .zip(ids)
            .map(|(r, id)| {
                let fs = links
                    .iter()
                    .filter(|(o, _)| *o == id)
                    .map(|(_, f)| *f)
                    .collect();
                operation_from_row(r, fs)
            })
            .collect()
    }
}

fn bind_operation<'q>(
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    op: &'q NewOperation,
) -> Result<sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>, StoreError> {
    Ok(q.bind(&op.reference)
        .bind(&op.title)
        .bind(&op.lead_agency)
        .bind(serde_json::to_string(&op.partners).map_err(other)?)
        .bind(op.planned_for)
        .bind(op.planned_for.map(offset_minutes))
        .bind(op.happened_at)
        .bind(op.happened_at.map(offset_minutes))
        .bind(&op.province_code)
        .bind(&op.district_code)
        .bind(&op.commune_code)
        .bind(&op.place)
        .bind(&op.status)
        .bind(&op.outcome)
        .bind(op.network_id))
}

#[async_trait]
impl OperationsStore for PgStore {
    async fn create_network(
        &self,
        name: &str,
        leaders: &[String],
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO networks (name, leaders, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(serde_json::to_string(leaders).map_err(other)?)
        .bind(OffsetDateTime::now_utc())
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("network:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn network(&self, id: i64) -> Result<NetworkRow, StoreError> {
        let r = sqlx::query(
            "SELECT id, name, leaders, dismantled_by_operation, dismantled_evidence
             FROM networks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let leaders: String = get(&r, 2)?;
        Ok(NetworkRow {
            id: get(&r, 0)?,
            name: get(&r, 1)?,
            leaders: serde_json::from_str(&leaders).map_err(other)?,
            dismantled_by: get(&r, 3)?,
            dismantled_evidence: get(&r, 4)?,
        })
    }

    async fn create_operation(
        &self,
        op: &NewOperation,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        require(
            &mut tx,
            "SELECT 1 FROM networks WHERE id = $1",
            op.network_id,
        )
        .await?;
        let q = sqlx::query(
            "INSERT INTO operations (reference, title, lead_agency, partners, planned_for,
                 planned_offset, happened_at, happened_offset, province_code, district_code,
                 commune_code, place, status, outcome, network_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        );
        let row = bind_operation(q, op)?
            .bind(op.created_by.0)
            .bind(op.created_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match map_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "operation reference {} is already used",
                    op.reference
                )),
                e => e,
            })?;
        let id: i64 = get(&row, 0)?;
        write_facilities(&mut tx, id, &op.facilities).await?;
        entry.object = format!("operation:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn update_operation(
        &self,
        id: i64,
        op: &NewOperation,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        require(
            &mut tx,
            "SELECT 1 FROM networks WHERE id = $1",
            op.network_id,
        )
        .await?;
        let q = sqlx::query(
            "UPDATE operations SET reference = $1, title = $2, lead_agency = $3, partners = $4,
                 planned_for = $5, planned_offset = $6, happened_at = $7, happened_offset = $8,
                 province_code = $9, district_code = $10, commune_code = $11, place = $12,
                 status = $13, outcome = $14, network_id = $15
             WHERE id = $16",
        );
        let done = bind_operation(q, op)?
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_facilities(&mut tx, id, &op.facilities).await?;
        entry.object = format!("operation:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn operation(&self, id: i64) -> Result<OperationRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OP_COLUMNS} FROM operations WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        self.with_facilities(vec![r])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn operations(
        &self,
        provinces: Option<&[String]>,
        facility: Option<FacilityId>,
    ) -> Result<Vec<OperationRow>, StoreError> {
        let list: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OP_COLUMNS} FROM operations
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
               AND ($2::BIGINT IS NULL OR id IN
                    (SELECT operation_id FROM operation_facilities WHERE facility_id = $2))
             ORDER BY id DESC"
        )))
        .bind(list)
        .bind(facility.map(|f| f.0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        self.with_facilities(rows).await
    }

    async fn dismantle_network(
        &self,
        network: i64,
        operation: i64,
        evidence: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        require(
            &mut tx,
            "SELECT 1 FROM operations WHERE id = $1",
            Some(operation),
        )
        .await?;
        let by: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT dismantled_by_operation FROM networks WHERE id = $1 FOR UPDATE",
        )
        .bind(network)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        match by {
            None => return Err(StoreError::NotFound),
            Some(Some(op)) => {
                return Err(StoreError::Conflict(format!(
                    "network {network} was already dismantled by operation {op}"
                )));
            }
            Some(None) => {}
        }
        sqlx::query(
            "UPDATE networks SET dismantled_by_operation = $1, dismantled_evidence = $2 WHERE id = $3",
        )
        .bind(operation)
        .bind(evidence)
        .bind(network)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("network:{network}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn insert_seized_items(
        &self,
        operation: i64,
        items: &[NewSeizedItem],
        mut entry: NewAuditEntry,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = begin(&self.pool).await?;
        require(
            &mut tx,
            "SELECT 1 FROM operations WHERE id = $1",
            Some(operation),
        )
        .await?;
        let now = OffsetDateTime::now_utc();
        let mut ids = Vec::with_capacity(items.len());
        for it in items {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO seized_items (operation_id, reference, kind, serial, imei, iccid,
                     card_last4, cash_amount, cash_currency, description, image_sha256, item,
                     holder, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(operation)
            .bind(&it.reference)
            .bind(&it.kind)
            .bind(&it.serial)
            .bind(&it.imei)
            .bind(&it.iccid)
            .bind(&it.card_last4)
            .bind(&it.cash_amount)
            .bind(&it.cash_currency)
            .bind(&it.description)
            .bind(&it.image_sha256)
            .bind(&it.item_json)
            .bind(&it.holder)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match map_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "item reference {} is already in operation {operation}",
                    it.reference
                )),
                e => e,
            })?;
            insert_entry(&mut tx, id, &it.seizure).await?;
            ids.push(id);
        }
        entry.object = format!("operation:{operation}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(ids)
    }

    async fn append_custody(
        &self,
        item: i64,
        e: &CustodyEntryRow,
        holder: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        sqlx::query("SELECT 1 FROM seized_items WHERE id = $1 FOR UPDATE")
            .bind(item)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        let last = sqlx::query(
            "SELECT step, hash FROM custody_entries WHERE item_id = $1 ORDER BY step DESC LIMIT 1",
        )
        .bind(item)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let (step, hash): (i64, String) = (get(&last, 0)?, get(&last, 1)?);
        if e.step != step + 1 || e.prev_hash != hash {
            return Err(StoreError::Conflict(format!(
                "item {item}: the chain's last step is now {step}; read it again"
            )));
        }
        insert_entry(&mut tx, item, e).await?;
        sqlx::query("UPDATE seized_items SET holder = $1 WHERE id = $2")
            .bind(holder)
            .bind(item)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        entry.object = format!("item:{item}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn seized_item(
        &self,
        id: i64,
    ) -> Result<(SeizedItemRow, Vec<CustodyEntryRow>), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM seized_items WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(
            "SELECT step, kind, at, at_offset, event, prev_hash, hash
             FROM custody_entries WHERE item_id = $1 ORDER BY step",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(CustodyEntryRow {
                    step: get(r, 0)?,
                    kind: get(r, 1)?,
                    at: with_offset(get(r, 2)?, get(r, 3)?)?,
                    event_json: get(r, 4)?,
                    prev_hash: get(r, 5)?,
                    hash: get(r, 6)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((item_from_row(&r)?, entries))
    }

    async fn operation_items(&self, operation: i64) -> Result<Vec<SeizedItemRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM seized_items WHERE operation_id = $1 ORDER BY id"
        )))
        .bind(operation)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(item_from_row).collect()
    }
}
