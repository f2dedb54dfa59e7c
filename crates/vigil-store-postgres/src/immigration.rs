//! Detentions, deportation orders and departures (migration 0016). Every
//! write appends its audit entry under the advisory lock as its last step;
//! executing an order locks its row first, so of two departures for one order
//! only one executes it. A CSV import is one transaction of multi-row
//! statements (the same prepared statement reused per chunk).

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use time::{Date, OffsetDateTime};
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    DepartureRow, DeportationOrderRow, DetentionRow, ImmigrationFigures, ImmigrationFilter,
    ImmigrationStore, NewDeparture, NewDeportationOrder, NewDetention, StoreError,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

const DEP_COLUMNS: &str = "id, kind, subject, person_id, operation_id, order_id, nationality,
     departed_on, port, province_code, batch, created_by, created_at";
const ORDER_COLUMNS: &str = "id, reference, subject, person_id, nationality, issued_on,
     authority, province_code, status, created_by, created_at";
const DET_COLUMNS: &str = "id, subject, person_id, operation_id, nationality, place,
     province_code, from_on, until_on, created_by, created_at";

/// Rows per bulk INSERT statement (one array per column).
const BULK_CHUNK: usize = 10_000;

fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn departure_from_row(r: &PgRow) -> Result<DepartureRow, StoreError> {
    Ok(DepartureRow {
        id: get(r, 0)?,
        departure: NewDeparture {
            kind: get(r, 1)?,
            subject: get(r, 2)?,
            person_id: get(r, 3)?,
            operation_id: get(r, 4)?,
            order_id: get(r, 5)?,
            nationality: get(r, 6)?,
            departed_on: get(r, 7)?,
            port: get(r, 8)?,
            province_code: get(r, 9)?,
            batch: get(r, 10)?,
            created_by: StaffId(get(r, 11)?),
            created_at: get(r, 12)?,
        },
    })
}

fn order_from_row(r: &PgRow) -> Result<DeportationOrderRow, StoreError> {
    Ok(DeportationOrderRow {
        id: get(r, 0)?,
        order: NewDeportationOrder {
            reference: get(r, 1)?,
            subject: get(r, 2)?,
            person_id: get(r, 3)?,
            nationality: get(r, 4)?,
            issued_on: get(r, 5)?,
            authority: get(r, 6)?,
            province_code: get(r, 7)?,
            status: get(r, 8)?,
            created_by: StaffId(get(r, 9)?),
            created_at: get(r, 10)?,
        },
    })
}

fn detention_from_row(r: &PgRow) -> Result<DetentionRow, StoreError> {
    Ok(DetentionRow {
        id: get(r, 0)?,
        detention: NewDetention {
            subject: get(r, 1)?,
            person_id: get(r, 2)?,
            operation_id: get(r, 3)?,
            nationality: get(r, 4)?,
            place: get(r, 5)?,
            province_code: get(r, 6)?,
            from_on: get(r, 7)?,
            until_on: get(r, 8)?,
            created_by: StaffId(get(r, 9)?),
            created_at: get(r, 10)?,
        },
    })
}

async fn audit(tx: &mut PgConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    rows::lock_audit(tx).await?;
    rows::append_audit(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

async fn require_operation(tx: &mut PgConnection, id: Option<i64>) -> Result<(), StoreError> {
    if let Some(id) = id {
        sqlx::query("SELECT 1 FROM operations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
    }
    Ok(())
}

/// Appends ` WHERE …` for a filter over `day` and the ordering and limit.
fn filtered(
    b: &mut QueryBuilder<Postgres>,
    f: &ImmigrationFilter,
    day: &str,
) -> Result<(), StoreError> {
    b.push(" WHERE 1 = 1");
    if let Some(n) = &f.nationality {
        b.push(" AND nationality = ").push_bind(n.clone());
    }
    if let Some(d) = f.from {
        b.push(format_args!(" AND {day} >= ")).push_bind(d);
    }
    if let Some(d) = f.to {
        b.push(format_args!(" AND {day} <= ")).push_bind(d);
    }
    if let Some(list) = &f.provinces {
        b.push(" AND province_code = ANY(")
            .push_bind(list.clone())
            .push(")");
    }
    b.push(format_args!(" ORDER BY {day} DESC, id DESC"));
    if let Some(l) = f.limit {
        b.push(" LIMIT ").push_bind(i64::from(l));
    }
    Ok(())
}

fn push_departure(mut b: sqlx::query_builder::Separated<'_, Postgres, &str>, d: &NewDeparture) {
    b.push_bind(d.kind.clone())
        .push_bind(d.subject.clone())
        .push_bind(d.person_id)
        .push_bind(d.operation_id)
        .push_bind(d.order_id)
        .push_bind(d.nationality.clone())
        .push_bind(d.departed_on)
        .push_bind(d.port.clone())
        .push_bind(d.province_code.clone())
        .push_bind(d.batch.clone())
        .push_bind(d.created_by.0)
        .push_bind(d.created_at);
}

const INSERT_DEPARTURE: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at) ";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[async_trait]
impl ImmigrationStore for PgStore {
    async fn insert_detention(
        &self,
        d: &NewDetention,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        require_operation(&mut tx, d.operation_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO detentions (subject, person_id, operation_id, nationality, place,
                 province_code, from_on, until_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&d.subject)
        .bind(d.person_id)
        .bind(d.operation_id)
        .bind(&d.nationality)
        .bind(&d.place)
        .bind(&d.province_code)
        .bind(d.from_on)
        .bind(d.until_on)
        .bind(d.created_by.0)
        .bind(d.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("detention:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn insert_deportation_order(
        &self,
        o: &NewDeportationOrder,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deportation_orders (reference, subject, person_id, nationality,
                 issued_on, authority, province_code, status, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&o.reference)
        .bind(&o.subject)
        .bind(o.person_id)
        .bind(&o.nationality)
        .bind(o.issued_on)
        .bind(&o.authority)
        .bind(&o.province_code)
        .bind(&o.status)
        .bind(o.created_by.0)
        .bind(o.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "deportation order {} is already recorded",
                o.reference
            )),
            e => e,
        })?;
        entry.object = format!("deportation_order:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn deportation_order(&self, id: i64) -> Result<DeportationOrderRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ORDER_COLUMNS} FROM deportation_orders WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        order_from_row(&r)
    }

    async fn insert_departure(
        &self,
        d: &NewDeparture,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        require_operation(&mut tx, d.operation_id).await?;
        if let Some(order) = d.order_id {
            let status: String = sqlx::query_scalar(
                "SELECT status FROM deportation_orders WHERE id = $1 FOR UPDATE",
            )
            .bind(order)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
            if status != "issued" {
                return Err(StoreError::Conflict(format!(
                    "deportation order {order} is {status}, not issued"
                )));
            }
            sqlx::query("UPDATE deportation_orders SET status = 'executed' WHERE id = $1")
                .bind(order)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let mut b = QueryBuilder::<Postgres>::new(INSERT_DEPARTURE);
        b.push_values(std::iter::once(d), push_departure);
        b.push(" RETURNING id");
        let id: i64 = b
            .build_query_scalar()
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        entry.object = format!("departure:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn insert_departures_bulk(
        &self,
        rows: &[NewDeparture],
        entry: NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError> {
        if rows.iter().any(|d| d.order_id.is_some()) {
            return Err(StoreError::Other(
                "a bulk import records departures without orders".into(),
            ));
        }
        let mut tx = begin(&self.pool).await?;
        let mut done = 0usize;
        // One array per column per chunk (`UNNEST`): twelve binds, the same
        // prepared statement for every chunk.
        for chunk in rows.chunks(BULK_CHUNK) {
            let col = |f: fn(&NewDeparture) -> String| chunk.iter().map(f).collect::<Vec<_>>();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{INSERT_DEPARTURE}
                 SELECT * FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::BIGINT[],
                     $5::BIGINT[], $6::TEXT[], $7::DATE[], $8::TEXT[], $9::TEXT[], $10::TEXT[],
                     $11::BIGINT[], $12::TIMESTAMPTZ[])"
            )))
            .bind(col(|d| d.kind.clone()))
            .bind(chunk.iter().map(|d| d.subject.clone()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.person_id).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.operation_id).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.order_id).collect::<Vec<_>>())
            .bind(col(|d| d.nationality.clone()))
            .bind(chunk.iter().map(|d| d.departed_on).collect::<Vec<_>>())
            .bind(col(|d| d.port.clone()))
            .bind(col(|d| d.province_code.clone()))
            .bind(chunk.iter().map(|d| d.batch.clone()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.created_by.0).collect::<Vec<_>>())
            .bind(chunk.iter().map(|d| d.created_at).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            done += chunk.len();
            progress(done);
        }
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(done as u64)
    }

    async fn departures(&self, f: &ImmigrationFilter) -> Result<Vec<DepartureRow>, StoreError> {
        let mut b = QueryBuilder::<Postgres>::new(format!("SELECT {DEP_COLUMNS} FROM departures"));
        filtered(&mut b, f, "departed_on")?;
        let rows = b.build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(departure_from_row).collect()
    }

    async fn deportation_orders(
        &self,
        f: &ImmigrationFilter,
    ) -> Result<Vec<DeportationOrderRow>, StoreError> {
        let mut b = QueryBuilder::<Postgres>::new(format!(
            "SELECT {ORDER_COLUMNS} FROM deportation_orders"
        ));
        filtered(&mut b, f, "issued_on")?;
        let rows = b.build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(order_from_row).collect()
    }

    async fn detentions(&self, f: &ImmigrationFilter) -> Result<Vec<DetentionRow>, StoreError> {
        let mut b = QueryBuilder::<Postgres>::new(format!("SELECT {DET_COLUMNS} FROM detentions"));
        filtered(&mut b, f, "from_on")?;
        let rows = b.build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(detention_from_row).collect()
    }

    async fn immigration_figures(
        &self,
        from: Date,
        to: Date,
        provinces: Option<&[String]>,
    ) -> Result<ImmigrationFigures, StoreError> {
        let list: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT kind, nationality, SUM(n)::BIGINT FROM departure_tallies
             WHERE departed_on >= $1 AND departed_on <= $2
               AND ($3::TEXT[] IS NULL OR province_code = ANY($3))
             GROUP BY kind, nationality HAVING SUM(n) > 0",
        )
        .bind(from)
        .bind(to)
        .bind(&list)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        let detentions: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM detentions WHERE from_on >= $1 AND from_on <= $2
               AND ($3::TEXT[] IS NULL OR province_code = ANY($3))",
        )
        .bind(from)
        .bind(to)
        .bind(&list)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let orders: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deportation_orders WHERE issued_on >= $1 AND issued_on <= $2
               AND ($3::TEXT[] IS NULL OR province_code = ANY($3))",
        )
        .bind(from)
        .bind(to)
        .bind(&list)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        let mut f = ImmigrationFigures {
            detentions: count(detentions),
            orders: count(orders),
            ..ImmigrationFigures::default()
        };
        for r in &rows {
            let kind: String = get(r, 0)?;
            let nationality: String = get(r, 1)?;
            let n = count(get(r, 2)?);
            let slot = f.by_nationality.entry(nationality).or_default();
            if kind == "deported" {
                f.deportations += n;
                slot.0 += n;
            } else {
                f.voluntary_departures += n;
                slot.1 += n;
            }
        }
        Ok(f)
    }
}
