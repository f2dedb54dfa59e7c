//! Detentions, deportation orders and departures (migration 0016). Every
//! write is one transaction whose audit entry is its last step (on PostgreSQL
//! under the advisory lock); executing an order locks its row first
//! (`FOR UPDATE`; SQLite's one writer already holds every row), so of two
//! departures for one order only one executes it.
//!
//! The CSV import (`insert_departures_bulk`) is the one method whose fast
//! statement truly differs by backend (PostgreSQL: `UNNEST` over one typed
//! array per column; SQLite: one JSON array of rows per chunk, unpacked by
//! `json_each`), and its typed, nullable column lists cannot be bound through
//! this crate's values: each backend keeps its own
//! ([`crate::Backend::insert_departures_bulk`]).

use time::Date;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    DepartureRow, DeportationOrderRow, DetentionRow, ImmigrationFigures, ImmigrationFilter,
    ImmigrationStore, NewDeparture, NewDeportationOrder, NewDetention, StoreError,
};

use crate::audit::record as audit;
use crate::backend::Tx;
use crate::store::SqlStore;
use crate::value::{Row, Sql, Value, sql};

const DEP_COLUMNS: &str = "id, kind, subject, person_id, operation_id, order_id, nationality,
     departed_on, port, province_code, batch, created_by, created_at";
const ORDER_COLUMNS: &str = "id, reference, subject, person_id, nationality, issued_on,
     authority, province_code, status, created_by, created_at";
const DET_COLUMNS: &str = "id, subject, person_id, operation_id, nationality, place,
     province_code, from_on, until_on, created_by, created_at";

const INSERT_DEPARTURE: &str = "INSERT INTO departures (kind, subject, person_id, operation_id,
     order_id, nationality, departed_on, port, province_code, batch, created_by, created_at)";

/// Values bound per departure.
const DEPARTURE_VALUES: usize = 12;

fn departure_from_row(r: &Row) -> Result<DepartureRow, StoreError> {
    Ok(DepartureRow {
        id: r.get("id")?,
        departure: NewDeparture {
            kind: r.get("kind")?,
            subject: r.get("subject")?,
            person_id: r.get("person_id")?,
            operation_id: r.get("operation_id")?,
            order_id: r.get("order_id")?,
            nationality: r.get("nationality")?,
            departed_on: r.get("departed_on")?,
            port: r.get("port")?,
            province_code: r.get("province_code")?,
            batch: r.get("batch")?,
            created_by: StaffId(r.get("created_by")?),
            created_at: r.get("created_at")?,
        },
    })
}

fn order_from_row(r: &Row) -> Result<DeportationOrderRow, StoreError> {
    Ok(DeportationOrderRow {
        id: r.get("id")?,
        order: NewDeportationOrder {
            reference: r.get("reference")?,
            subject: r.get("subject")?,
            person_id: r.get("person_id")?,
            nationality: r.get("nationality")?,
            issued_on: r.get("issued_on")?,
            authority: r.get("authority")?,
            province_code: r.get("province_code")?,
            status: r.get("status")?,
            created_by: StaffId(r.get("created_by")?),
            created_at: r.get("created_at")?,
        },
    })
}

fn detention_from_row(r: &Row) -> Result<DetentionRow, StoreError> {
    Ok(DetentionRow {
        id: r.get("id")?,
        detention: NewDetention {
            subject: r.get("subject")?,
            person_id: r.get("person_id")?,
            operation_id: r.get("operation_id")?,
            nationality: r.get("nationality")?,
            place: r.get("place")?,
            province_code: r.get("province_code")?,
            from_on: r.get("from_on")?,
            until_on: r.get("until_on")?,
            created_by: StaffId(r.get("created_by")?),
            created_at: r.get("created_at")?,
        },
    })
}

async fn require_operation(tx: &mut dyn Tx, id: Option<i64>) -> Result<(), StoreError> {
    if let Some(id) = id {
        tx.fetch_one(sql("SELECT 1 FROM operations WHERE id = $1").bind(id))
            .await?;
    }
    Ok(())
}

/// `SELECT {columns} FROM {table}` with the filter over `day`, newest first:
/// only the conditions the filter sets, so each shape keeps its own plan.
fn filtered(columns: &str, table: &str, f: &ImmigrationFilter, day: &str) -> Sql {
    let mut text = format!("SELECT {columns} FROM {table} WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut cond = |text: &mut String, c: String, v: Value| {
        args.push(v);
        text.push_str(&c.replace("$n", &format!("${}", args.len())));
    };
    if let Some(n) = &f.nationality {
        cond(
            &mut text,
            " AND nationality = $n".into(),
            Value::Text(Some(n.clone())),
        );
    }
    if let Some(d) = f.from {
        cond(&mut text, format!(" AND {day} >= $n"), Value::Date(Some(d)));
    }
    if let Some(d) = f.to {
        cond(&mut text, format!(" AND {day} <= $n"), Value::Date(Some(d)));
    }
    if let Some(list) = &f.provinces {
        cond(
            &mut text,
            " AND province_code = ANY($n)".into(),
            Value::Texts(Some(list.clone())),
        );
    }
    text.push_str(&format!(" ORDER BY {day} DESC, id DESC"));
    if let Some(l) = f.limit {
        cond(
            &mut text,
            " LIMIT $n".into(),
            Value::I64(Some(i64::from(l))),
        );
    }
    args.into_iter().fold(sql(text), Sql::bind)
}

/// Binds a departure's twelve values, in `INSERT_DEPARTURE`'s order.
fn bind_departure(q: Sql, d: &NewDeparture) -> Sql {
    q.bind(&d.kind)
        .bind(&d.subject)
        .bind(d.person_id)
        .bind(d.operation_id)
        .bind(d.order_id)
        .bind(&d.nationality)
        .bind(d.departed_on)
        .bind(&d.port)
        .bind(&d.province_code)
        .bind(&d.batch)
        .bind(d.created_by.0)
        .bind(d.created_at)
}

/// `INSERT_DEPARTURE VALUES (...), (...)` for `rows` rows.
fn insert_departures_text(rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let first = r * DEPARTURE_VALUES + 1;
            let ps: Vec<String> = (first..first + DEPARTURE_VALUES)
                .map(|i| format!("${i}"))
                .collect();
            format!("({})", ps.join(", "))
        })
        .collect();
    format!("{INSERT_DEPARTURE} VALUES {}", tuples.join(", "))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[async_trait::async_trait]
impl ImmigrationStore for SqlStore {
    async fn insert_detention(
        &self,
        d: &NewDetention,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        require_operation(&mut *tx, d.operation_id).await?;
        let id: i64 = tx
            .fetch_one(
                sql(
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
                .bind(d.created_at),
            )
            .await?
            .get(0)?;
        entry.object = format!("detention:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_deportation_order(
        &self,
        o: &NewDeportationOrder,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
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
                .bind(o.created_at),
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "deportation order {} is already recorded",
                    o.reference
                )),
                e => e,
            })?
            .get(0)?;
        entry.object = format!("deportation_order:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn deportation_order(&self, id: i64) -> Result<DeportationOrderRow, StoreError> {
        let r = self
            .db()
            .fetch_one(
                sql(format!(
                    "SELECT {ORDER_COLUMNS} FROM deportation_orders WHERE id = $1"
                ))
                .bind(id),
            )
            .await?;
        order_from_row(&r)
    }

    async fn insert_departure(
        &self,
        d: &NewDeparture,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        require_operation(&mut *tx, d.operation_id).await?;
        if let Some(order) = d.order_id {
            let status: String = tx
                .fetch_one(
                    sql("SELECT status FROM deportation_orders WHERE id = $1 FOR UPDATE")
                        .bind(order),
                )
                .await?
                .get(0)?;
            if status != "issued" {
                return Err(StoreError::Conflict(format!(
                    "deportation order {order} is {status}, not issued"
                )));
            }
            tx.execute(
                sql("UPDATE deportation_orders SET status = 'executed' WHERE id = $1").bind(order),
            )
            .await?;
        }
        let text = format!("{} RETURNING id", insert_departures_text(1));
        let id: i64 = tx.fetch_one(bind_departure(sql(text), d)).await?.get(0)?;
        entry.object = format!("departure:{id}");
        audit(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_departures_bulk(
        &self,
        rows: &[NewDeparture],
        entry: NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError> {
        self.db()
            .insert_departures_bulk(rows, entry, progress)
            .await
    }

    async fn departures(&self, f: &ImmigrationFilter) -> Result<Vec<DepartureRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(filtered(DEP_COLUMNS, "departures", f, "departed_on"))
            .await?;
        rows.iter().map(departure_from_row).collect()
    }

    async fn deportation_orders(
        &self,
        f: &ImmigrationFilter,
    ) -> Result<Vec<DeportationOrderRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(filtered(
                ORDER_COLUMNS,
                "deportation_orders",
                f,
                "issued_on",
            ))
            .await?;
        rows.iter().map(order_from_row).collect()
    }

    async fn detentions(&self, f: &ImmigrationFilter) -> Result<Vec<DetentionRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(filtered(DET_COLUMNS, "detentions", f, "from_on"))
            .await?;
        rows.iter().map(detention_from_row).collect()
    }

    async fn immigration_figures(
        &self,
        from: Date,
        to: Date,
        provinces: Option<&[String]>,
    ) -> Result<ImmigrationFigures, StoreError> {
        // One statement, so the tallies and both counts come from one
        // snapshot on both backends. Kinds starting with '#' are the counts.
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT kind, nationality, CAST(SUM(n) AS BIGINT) FROM departure_tallies
                     WHERE departed_on >= $1 AND departed_on <= $2
                       AND ($3::TEXT[] IS NULL OR province_code = ANY($3))
                     GROUP BY kind, nationality HAVING SUM(n) > 0
                     UNION ALL
                     SELECT '#detentions', '', COUNT(*) FROM detentions
                     WHERE from_on >= $1 AND from_on <= $2
                       AND ($3::TEXT[] IS NULL OR province_code = ANY($3))
                     UNION ALL
                     SELECT '#orders', '', COUNT(*) FROM deportation_orders
                     WHERE issued_on >= $1 AND issued_on <= $2
                       AND ($3::TEXT[] IS NULL OR province_code = ANY($3))",
                )
                .bind(from)
                .bind(to)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        let mut f = ImmigrationFigures::default();
        for (kind, nationality, n) in crate::tuples::<(String, String, i64)>(rows)? {
            let n = count(n);
            match kind.as_str() {
                "#detentions" => f.detentions = n,
                "#orders" => f.orders = n,
                "deported" => {
                    f.deportations += n;
                    f.by_nationality.entry(nationality).or_default().0 += n;
                }
                _ => {
                    f.voluntary_departures += n;
                    f.by_nationality.entry(nationality).or_default().1 += n;
                }
            }
        }
        Ok(f)
    }
}
