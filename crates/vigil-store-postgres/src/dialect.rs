//! The PostgreSQL side of the store's backend interface: statements run as
//! written, values encoded natively, and write transactions that take the
//! audit chain's advisory lock when asked.

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, AssertSqlSafe, Column, PgPool, Postgres, Row as _, Transaction, TypeInfo};
use time::{Date, OffsetDateTime};
use vigil_domain::audit::AuditKey;
use vigil_store::StoreError;
use vigil_store_sql::{Col, Row, RowAccess, Sql, Tx, Value};

use crate::rows::map_err;

/// The key of the transaction-scoped advisory lock (`pg_advisory_xact_lock`)
/// that serialises appends to the audit chain and the outbox across every
/// connection of every node sharing the database ("VIGILAUD" in ASCII).
pub const AUDIT_LOCK_KEY: i64 = 0x5649_4749_4c41_5544;

fn arguments(args: Vec<Value>) -> Result<PgArguments, StoreError> {
    let mut a = PgArguments::default();
    let add =
        |r: Result<(), sqlx::error::BoxDynError>| r.map_err(|e| StoreError::Other(e.to_string()));
    for v in args {
        match v {
            Value::I64(x) => add(a.add(x))?,
            Value::F64(x) => add(a.add(x))?,
            Value::Bool(x) => add(a.add(x))?,
            Value::Text(x) => add(a.add(x))?,
            Value::Bytes(x) => add(a.add(x))?,
            Value::Ts(x) => add(a.add(x))?,
            Value::Date(x) => add(a.add(x))?,
            Value::I64s(x) => add(a.add(x))?,
            Value::Texts(x) => add(a.add(x))?,
        }
    }
    Ok(a)
}

/// A query of `q` with its values bound.
pub(crate) fn query(
    q: Sql,
) -> Result<sqlx::query::Query<'static, Postgres, PgArguments>, StoreError> {
    let args = arguments(q.args)?;
    Ok(sqlx::query_with(AssertSqlSafe(q.text), args))
}

/// One PostgreSQL row.
struct PgRowAccess(PgRow);

impl PgRowAccess {
    fn get<T>(&self, c: Col<'_>) -> Result<Option<T>, StoreError>
    where
        T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    {
        let r = match c {
            Col::Name(n) => self.0.try_get::<Option<T>, _>(n),
            Col::At(i) => self.0.try_get::<Option<T>, _>(i),
        };
        r.map_err(|e| StoreError::Other(format!("column {c}: {e}")))
    }

    fn type_name(&self, c: Col<'_>) -> Result<&str, StoreError> {
        let col = match c {
            Col::Name(n) => self.0.columns().iter().find(|x| x.name() == n),
            Col::At(i) => self.0.columns().get(i),
        };
        col.map(|x| x.type_info().name())
            .ok_or_else(|| StoreError::Other(format!("no column {c}")))
    }
}

impl RowAccess for PgRowAccess {
    fn i64(&self, c: Col<'_>) -> Result<Option<i64>, StoreError> {
        match self.type_name(c)? {
            "INT4" => Ok(self.get::<i32>(c)?.map(i64::from)),
            "INT2" => Ok(self.get::<i16>(c)?.map(i64::from)),
            _ => self.get(c),
        }
    }
    fn f64(&self, c: Col<'_>) -> Result<Option<f64>, StoreError> {
        match self.type_name(c)? {
            "FLOAT4" => Ok(self.get::<f32>(c)?.map(f64::from)),
            _ => self.get(c),
        }
    }
    fn bool(&self, c: Col<'_>) -> Result<Option<bool>, StoreError> {
        self.get(c)
    }
    fn text(&self, c: Col<'_>) -> Result<Option<String>, StoreError> {
        self.get(c)
    }
    fn bytes(&self, c: Col<'_>) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(c)
    }
    fn ts(&self, c: Col<'_>) -> Result<Option<OffsetDateTime>, StoreError> {
        self.get(c)
    }
    fn date(&self, c: Col<'_>) -> Result<Option<Date>, StoreError> {
        self.get(c)
    }
}

/// One PostgreSQL row behind the store's row interface.
pub(crate) fn into_row(r: PgRow) -> Row {
    Row(Box::new(PgRowAccess(r)))
}

/// PostgreSQL rows behind the store's row interface.
pub(crate) fn rows(v: Vec<PgRow>) -> Vec<Row> {
    v.into_iter().map(into_row).collect()
}

/// A READ COMMITTED write transaction.
pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    locked: bool,
    key: Arc<AuditKey>,
}

impl PgTx {
    /// Begins one. READ COMMITTED is stated, not assumed: the audit chain
    /// relies on each statement seeing what was committed before the audit
    /// lock was granted, whatever the server's default isolation.
    /// Its audit entries are sealed with `key`.
    pub async fn begin(pool: &PgPool, key: &Arc<AuditKey>) -> Result<PgTx, StoreError> {
        let tx = pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(map_err)?;
        Ok(PgTx {
            tx,
            locked: false,
            key: key.clone(),
        })
    }

    /// The connection, for statements the shared values cannot bind.
    pub fn conn(&mut self) -> &mut sqlx::PgConnection {
        &mut self.tx
    }
}

#[async_trait]
impl Tx for PgTx {
    async fn execute(&mut self, q: Sql) -> Result<u64, StoreError> {
        Ok(query(q)?
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?
            .rows_affected())
    }
    async fn fetch_all(&mut self, q: Sql) -> Result<Vec<Row>, StoreError> {
        Ok(rows(
            query(q)?.fetch_all(&mut *self.tx).await.map_err(map_err)?,
        ))
    }
    async fn fetch_optional(&mut self, q: Sql) -> Result<Option<Row>, StoreError> {
        let row = query(q)?
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(row.map(into_row))
    }
    async fn lock_audit(&mut self) -> Result<(), StoreError> {
        if !self.locked {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_LOCK_KEY)
                .execute(&mut *self.tx)
                .await
                .map_err(map_err)?;
            self.locked = true;
        }
        Ok(())
    }
    fn audit_key(&self) -> &AuditKey {
        &self.key
    }
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(map_err)
    }
}
