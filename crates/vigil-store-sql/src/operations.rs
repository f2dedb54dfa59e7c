//! Operations, networks, seized items and custody chains (migration 0013).
//! Every write is one transaction whose audit entry is its last step (on
//! PostgreSQL under the advisory lock). A custody append locks the item's row
//! first (`FOR UPDATE`; SQLite's one writer already holds every row), so
//! appends to one item take turns and the second sees the first's step.
//! Instants are kept as an instant and the minutes of their local offset, so
//! they read back with the offset they were written with.

use time::{OffsetDateTime, UtcOffset};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{FacilityId, StaffId};
use vigil_store::{
    CustodyEntryRow, NetworkRow, NewOperation, NewSeizedItem, OperationRow, OperationsStore,
    SeizedItemRow, StoreError,
};

use crate::audit::record as audit;
use crate::backend::Tx;
use crate::store::SqlStore;
use crate::value::{Row, Sql, other, sql, tuples};

const OP_COLUMNS: &str = "id, reference, title, lead_agency, partners, planned_for,
     planned_offset, happened_at, happened_offset, province_code, district_code,
     commune_code, place, status, outcome, network_id, created_by, created_at";

fn offset_minutes(t: OffsetDateTime) -> i64 {
    i64::from(t.offset().whole_minutes())
}

fn with_offset(t: OffsetDateTime, minutes: i64) -> Result<OffsetDateTime, StoreError> {
    let secs = i32::try_from(minutes.saturating_mul(60)).map_err(other)?;
    let off = UtcOffset::from_whole_seconds(secs).map_err(other)?;
    Ok(t.to_offset(off))
}

fn opt_time(
    t: Option<OffsetDateTime>,
    off: Option<i64>,
) -> Result<Option<OffsetDateTime>, StoreError> {
    t.map(|t| with_offset(t, off.unwrap_or(0))).transpose()
}

/// A list of names as the JSON text the column keeps.
fn json(v: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(other)
}

fn operation_from_row(r: &Row, facilities: Vec<FacilityId>) -> Result<OperationRow, StoreError> {
    let partners: String = r.get("partners")?;
    Ok(OperationRow {
        id: r.get("id")?,
        operation: NewOperation {
            reference: r.get("reference")?,
            title: r.get("title")?,
            lead_agency: r.get("lead_agency")?,
            partners: serde_json::from_str(&partners).map_err(other)?,
            planned_for: opt_time(r.get("planned_for")?, r.get("planned_offset")?)?,
            happened_at: opt_time(r.get("happened_at")?, r.get("happened_offset")?)?,
            province_code: r.get("province_code")?,
            district_code: r.get("district_code")?,
            commune_code: r.get("commune_code")?,
            place: r.get("place")?,
            status: r.get("status")?,
            outcome: r.get("outcome")?,
            network_id: r.get("network_id")?,
            facilities,
            created_by: StaffId(r.get("created_by")?),
            created_at: r.get("created_at")?,
        },
    })
}

/// An item from the first nine columns of a row (see `seized_item`'s and
/// `operation_items`' column lists).
fn item_from_row(r: &Row) -> Result<SeizedItemRow, StoreError> {
    Ok(SeizedItemRow {
        id: r.get(0)?,
        operation_id: r.get(1)?,
        reference: r.get(2)?,
        kind: r.get(3)?,
        serial: r.get(4)?,
        imei: r.get(5)?,
        item_json: r.get(6)?,
        holder: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// A custody entry from columns 9.. of a `seized_item` row.
fn entry_from_row(r: &Row) -> Result<CustodyEntryRow, StoreError> {
    Ok(CustodyEntryRow {
        step: r.get(9)?,
        kind: r.get(10)?,
        at: with_offset(r.get(11)?, r.get(12)?)?,
        event_json: r.get(13)?,
        prev_hash: r.get(14)?,
        hash: r.get(15)?,
    })
}

/// `NotFound` unless the statement (taking the id as `$1`) finds a row; no
/// check when `id` is `None`.
async fn require(tx: &mut dyn Tx, text: &'static str, id: Option<i64>) -> Result<(), StoreError> {
    if let Some(id) = id {
        tx.fetch_one(sql(text).bind(id)).await?;
    }
    Ok(())
}

/// A unique violation reported as `Conflict(message)`; other errors as they are.
fn conflict_as(message: impl FnOnce() -> String) -> impl FnOnce(StoreError) -> StoreError {
    move |e| match e {
        StoreError::Conflict(_) => StoreError::Conflict(message()),
        e => e,
    }
}

async fn insert_entry(tx: &mut dyn Tx, item: i64, e: &CustodyEntryRow) -> Result<(), StoreError> {
    tx.execute(
        sql(
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
        .bind(&e.hash),
    )
    .await?;
    Ok(())
}

async fn write_facilities(
    tx: &mut dyn Tx,
    id: i64,
    facilities: &[FacilityId],
) -> Result<(), StoreError> {
    tx.execute(sql("DELETE FROM operation_facilities WHERE operation_id = $1").bind(id))
        .await?;
    for f in facilities {
        tx.execute(
            sql(
                "INSERT INTO operation_facilities (operation_id, facility_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(f.0),
        )
        .await?;
    }
    Ok(())
}

/// Binds an operation's fields as `$1..$15`, in `OP_COLUMNS` order from
/// `reference` to `network_id`.
fn bind_operation(q: Sql, op: &NewOperation) -> Result<Sql, StoreError> {
    Ok(q.bind(&op.reference)
        .bind(&op.title)
        .bind(&op.lead_agency)
        .bind(json(&op.partners)?)
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

impl SqlStore {
    /// Operation rows with the facilities each was planned from.
    async fn with_facilities(&self, rows: Vec<Row>) -> Result<Vec<OperationRow>, StoreError> {
        let ids = rows
            .iter()
            .map(|r| r.get::<i64>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        let links: Vec<(i64, i64)> = tuples(
            self.db()
                .fetch_all(
                    sql("SELECT operation_id, facility_id FROM operation_facilities
                         WHERE operation_id = ANY($1) ORDER BY 1, 2")
                    .bind(ids.clone()),
                )
                .await?,
        )?;
        rows.iter()
            .zip(ids)
            .map(|(r, id)| {
                let fs = links
                    .iter()
                    .filter(|(o, _)| *o == id)
                    .map(|&(_, f)| FacilityId(f))
                    .collect();
                operation_from_row(r, fs)
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl OperationsStore for SqlStore {
    async fn create_network(
        &self,
        name: &str,
        leaders: &[String],
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO networks (name, leaders, created_at) VALUES ($1, $2, $3)
                     RETURNING id",
                )
                .bind(name)
                .bind(json(leaders)?)
                .bind(OffsetDateTime::now_utc()),
            )
            .await?
            .get(0)?;
        entry.object = format!("network:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn network(&self, id: i64) -> Result<NetworkRow, StoreError> {
        let r = self
            .db()
            .fetch_one(
                sql(
                    "SELECT id, name, leaders, dismantled_by_operation, dismantled_evidence
                     FROM networks WHERE id = $1",
                )
                .bind(id),
            )
            .await?;
        let leaders: String = r.get("leaders")?;
        Ok(NetworkRow {
            id: r.get("id")?,
            name: r.get("name")?,
            leaders: serde_json::from_str(&leaders).map_err(other)?,
            dismantled_by: r.get("dismantled_by_operation")?,
            dismantled_evidence: r.get("dismantled_evidence")?,
        })
    }

    async fn create_operation(
        &self,
        op: &NewOperation,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        require(
            &mut *tx,
            "SELECT 1 FROM networks WHERE id = $1",
            op.network_id,
        )
        .await?;
        let q = sql(
            "INSERT INTO operations (reference, title, lead_agency, partners, planned_for,
                 planned_offset, happened_at, happened_offset, province_code, district_code,
                 commune_code, place, status, outcome, network_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             RETURNING id",
        );
        let id: i64 = tx
            .fetch_one(
                bind_operation(q, op)?
                    .bind(op.created_by.0)
                    .bind(op.created_at),
            )
            .await
            .map_err(conflict_as(|| {
                format!("operation reference {} is already used", op.reference)
            }))?
            .get(0)?;
        write_facilities(&mut *tx, id, &op.facilities).await?;
        entry.object = format!("operation:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_operation(
        &self,
        id: i64,
        op: &NewOperation,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        require(
            &mut *tx,
            "SELECT 1 FROM networks WHERE id = $1",
            op.network_id,
        )
        .await?;
        let q = sql(
            "UPDATE operations SET reference = $1, title = $2, lead_agency = $3, partners = $4,
                 planned_for = $5, planned_offset = $6, happened_at = $7, happened_offset = $8,
                 province_code = $9, district_code = $10, commune_code = $11, place = $12,
                 status = $13, outcome = $14, network_id = $15
             WHERE id = $16",
        );
        let done = tx
            .execute(bind_operation(q, op)?.bind(id))
            .await
            .map_err(conflict_as(|| {
                format!("operation reference {} is already used", op.reference)
            }))?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        write_facilities(&mut *tx, id, &op.facilities).await?;
        entry.object = format!("operation:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn operation(&self, id: i64) -> Result<OperationRow, StoreError> {
        let r = self
            .db()
            .fetch_one(sql(format!("SELECT {OP_COLUMNS} FROM operations WHERE id = $1")).bind(id))
            .await?;
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
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {OP_COLUMNS} FROM operations
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
                       AND ($2::BIGINT IS NULL OR id IN
                            (SELECT operation_id FROM operation_facilities WHERE facility_id = $2))
                     ORDER BY id DESC"
                ))
                .bind(provinces.map(<[String]>::to_vec))
                .bind(facility.map(|f| f.0)),
            )
            .await?;
        self.with_facilities(rows).await
    }

    async fn dismantle_network(
        &self,
        network: i64,
        operation: i64,
        evidence: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        require(
            &mut *tx,
            "SELECT 1 FROM operations WHERE id = $1",
            Some(operation),
        )
        .await?;
        let by: Option<i64> = tx
            .fetch_one(
                sql("SELECT dismantled_by_operation FROM networks WHERE id = $1 FOR UPDATE")
                    .bind(network),
            )
            .await?
            .get(0)?;
        if let Some(op) = by {
            return Err(StoreError::Conflict(format!(
                "network {network} was already dismantled by operation {op}"
            )));
        }
        tx.execute(
            sql(
                "UPDATE networks SET dismantled_by_operation = $1, dismantled_evidence = $2
                 WHERE id = $3",
            )
            .bind(operation)
            .bind(evidence)
            .bind(network),
        )
        .await?;
        entry.object = format!("network:{network}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_seized_items(
        &self,
        operation: i64,
        items: &[NewSeizedItem],
        mut entry: NewAuditEntry,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.db().begin().await?;
        require(
            &mut *tx,
            "SELECT 1 FROM operations WHERE id = $1",
            Some(operation),
        )
        .await?;
        let now = OffsetDateTime::now_utc();
        let mut ids = Vec::with_capacity(items.len());
        for it in items {
            let id: i64 = tx
                .fetch_one(
                    sql(
                        "INSERT INTO seized_items (operation_id, reference, kind, serial, imei,
                             iccid, card_last4, cash_amount, cash_currency, description,
                             image_sha256, item, holder, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                         RETURNING id",
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
                    .bind(now),
                )
                .await
                .map_err(conflict_as(|| {
                    format!(
                        "item reference {} is already in operation {operation}",
                        it.reference
                    )
                }))?
                .get(0)?;
            insert_entry(&mut *tx, id, &it.seizure).await?;
            ids.push(id);
        }
        entry.object = format!("operation:{operation}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn append_custody(
        &self,
        item: i64,
        e: &CustodyEntryRow,
        holder: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.fetch_one(sql("SELECT 1 FROM seized_items WHERE id = $1 FOR UPDATE").bind(item))
            .await?;
        let (step, hash): (i64, String) = tx
            .fetch_one(
                sql("SELECT step, hash FROM custody_entries WHERE item_id = $1
                     ORDER BY step DESC LIMIT 1")
                .bind(item),
            )
            .await?
            .to()?;
        if e.step != step + 1 || e.prev_hash != hash {
            return Err(StoreError::Conflict(format!(
                "item {item}: the chain's last step is now {step}; read it again"
            )));
        }
        insert_entry(&mut *tx, item, e).await?;
        tx.execute(
            sql("UPDATE seized_items SET holder = $1 WHERE id = $2")
                .bind(holder)
                .bind(item),
        )
        .await?;
        entry.object = format!("item:{item}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn seized_item(
        &self,
        id: i64,
    ) -> Result<(SeizedItemRow, Vec<CustodyEntryRow>), StoreError> {
        // One statement, so the item (its holder) and its chain are read
        // from the same snapshot on both backends.
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT i.id, i.operation_id, i.reference, i.kind, i.serial, i.imei, i.item,
                            i.holder, i.created_at,
                            e.step, e.kind, e.at, e.at_offset, e.event, e.prev_hash, e.hash
                     FROM seized_items i
                     LEFT JOIN custody_entries e ON e.item_id = i.id
                     WHERE i.id = $1
                     ORDER BY e.step",
                )
                .bind(id),
            )
            .await?;
        let first = rows.first().ok_or(StoreError::NotFound)?;
        let item = item_from_row(first)?;
        let mut entries = Vec::with_capacity(rows.len());
        for r in &rows {
            if r.get::<Option<i64>>(9)?.is_some() {
                entries.push(entry_from_row(r)?);
            }
        }
        Ok((item, entries))
    }

    async fn operation_items(&self, operation: i64) -> Result<Vec<SeizedItemRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT id, operation_id, reference, kind, serial, imei, item, holder,
                            created_at
                     FROM seized_items WHERE operation_id = $1 ORDER BY id",
                )
                .bind(operation),
            )
            .await?;
        rows.iter().map(item_from_row).collect()
    }
}
