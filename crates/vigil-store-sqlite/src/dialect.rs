//! The SQLite side of the store's backend interface: rendering a statement
//! written in PostgreSQL's spelling, encoding values as SQLite keeps them
//! (instants as unix nanoseconds, dates as `YYYY-MM-DD`, lists as JSON
//! arrays), and the writer's transactions.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, AssertSqlSafe, Row as _, Sqlite, Transaction, ValueRef};
use time::{Date, Month, OffsetDateTime};
use vigil_domain::audit::AuditKey;
use vigil_store::StoreError;
use vigil_store_sql::{Col, Row, RowAccess, Sql, Tx, Value};

use crate::rows::{from_nanos, map_err, nanos};

/// Renders a statement for SQLite. The rules, the only places where the text
/// written once differs:
/// - `::type` and `::type[]` casts (PostgreSQL's type hints) are dropped;
/// - `= ANY($n)` becomes `IN (SELECT value FROM json_each($n))` (lists are
///   bound as JSON arrays);
/// - ` FOR UPDATE` is dropped: SQLite has one writer, whose `BEGIN IMMEDIATE`
///   already holds every row;
/// - `GREATEST(` and `LEAST(` become SQLite's scalar `MAX(` and `MIN(`.
pub fn render(pg: &str) -> String {
    let mut out = String::with_capacity(pg.len() + 32);
    let b = pg.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            in_str = !in_str;
        }
        if !in_str {
            if c == b':' && b.get(i + 1) == Some(&b':') {
                i += 2;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if pg[i..].starts_with("[]") {
                    i += 2;
                }
                continue;
            }
            let rest = &pg[i..];
            if let Some(after) = rest.strip_prefix("= ANY($") {
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                if after[digits.len()..].starts_with(')') {
                    out.push_str("IN (SELECT value FROM json_each($");
                    out.push_str(&digits);
                    out.push_str("))");
                    i += "= ANY($".len() + digits.len() + 1;
                    continue;
                }
            }
            if rest.starts_with(" FOR UPDATE") {
                i += " FOR UPDATE".len() + lock_options(&pg[i + " FOR UPDATE".len()..]);
                continue;
            }
            if rest.starts_with("GREATEST(") {
                out.push_str("MAX(");
                i += "GREATEST(".len();
                continue;
            }
            if rest.starts_with("LEAST(") {
                out.push_str("MIN(");
                i += "LEAST(".len();
                continue;
            }
        }
        let ch = pg[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// How many bytes of `rest` (the text after ` FOR UPDATE`) are the lock's
/// options, dropped with it: ` OF <table>` and then ` SKIP LOCKED` or
/// ` NOWAIT`, each optional, after any whitespace.
fn lock_options(rest: &str) -> usize {
    /// The length of `rest` up to and including `word` after whitespace, if
    /// `word` comes next and ends there.
    fn word(rest: &str, word: &str) -> Option<usize> {
        let trimmed = rest.trim_start();
        let gap = rest.len() - trimmed.len();
        let after = trimmed.strip_prefix(word)?;
        let ends = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        (gap > 0 && ends).then_some(gap + word.len())
    }
    let mut n = 0;
    if let Some(of) = word(rest, "OF") {
        let trimmed = rest[of..].trim_start();
        let gap = rest[of..].len() - trimmed.len();
        let table = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        if gap > 0 && table > 0 {
            n = of + gap + table;
        }
    }
    if let Some(skip) = word(&rest[n..], "SKIP") {
        if let Some(locked) = word(&rest[n + skip..], "LOCKED") {
            n += skip + locked;
        }
    } else if let Some(nowait) = word(&rest[n..], "NOWAIT") {
        n += nowait;
    }
    n
}

/// Rendered statements, by their text: each is rendered once per process.
#[derive(Default)]
pub struct Rendered(Mutex<HashMap<Cow<'static, str>, Arc<str>>>);

impl Rendered {
    /// The statement `text` rendered for SQLite.
    pub(crate) fn get(&self, text: Cow<'static, str>) -> Arc<str> {
        // A poisoned lock only means another thread panicked mid-insert; the
        // map is still a valid cache.
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(r) = map.get(&text) {
            return r.clone();
        }
        let r: Arc<str> = render(&text).into();
        if map.len() < 4096 {
            map.insert(text, r.clone());
        }
        r
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

/// `2026-12-05`.
pub fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A stored `YYYY-MM-DD` read back.
pub fn parse_date(s: &str) -> Result<Date, StoreError> {
    let bad = || StoreError::Other(format!("bad stored date {s:?}"));
    let mut parts = s.splitn(3, '-');
    let mut next = || {
        parts
            .next()
            .and_then(|p| p.parse::<i32>().ok())
            .ok_or_else(bad)
    };
    let (y, m, d) = (next()?, next()?, next()?);
    let m = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let d = u8::try_from(d).map_err(|_| bad())?;
    Date::from_calendar_date(y, m, d).map_err(|_| bad())
}

fn arguments(args: Vec<Value>) -> Result<SqliteArguments, StoreError> {
    let mut a = SqliteArguments::default();
    let add =
        |r: Result<(), sqlx::error::BoxDynError>| r.map_err(|e| StoreError::Other(e.to_string()));
    for v in args {
        match v {
            Value::I64(x) => add(a.add(x))?,
            Value::F64(x) => add(a.add(x))?,
            Value::Bool(x) => add(a.add(x))?,
            Value::Text(x) => add(a.add(x))?,
            Value::Bytes(x) => add(a.add(x))?,
            Value::Ts(x) => add(a.add(x.map(nanos)))?,
            Value::Date(x) => add(a.add(x.map(date_text)))?,
            Value::I64s(x) => add(a.add(x.as_ref().map(json).transpose()?))?,
            Value::Texts(x) => add(a.add(x.as_ref().map(json).transpose()?))?,
        }
    }
    Ok(a)
}

/// A query of `rendered` with `args` bound.
pub(crate) fn query(
    rendered: &Arc<str>,
    args: Vec<Value>,
) -> Result<sqlx::query::Query<'static, Sqlite, SqliteArguments>, StoreError> {
    Ok(sqlx::query_with(
        AssertSqlSafe(rendered.clone()),
        arguments(args)?,
    ))
}

/// One SQLite row.
struct SqliteRowAccess(SqliteRow);

impl SqliteRowAccess {
    fn get<T>(&self, c: Col<'_>) -> Result<Option<T>, StoreError>
    where
        T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
    {
        let r = match c {
            Col::Name(n) => self.0.try_get_unchecked::<Option<T>, _>(n),
            Col::At(i) => self.0.try_get_unchecked::<Option<T>, _>(i),
        };
        r.map_err(|e| StoreError::Other(format!("column {c}: {e}")))
    }

    fn is_null(&self, c: Col<'_>) -> Result<bool, StoreError> {
        let v = match c {
            Col::Name(n) => self.0.try_get_raw(n),
            Col::At(i) => self.0.try_get_raw(i),
        };
        Ok(
            v.map_err(|e| StoreError::Other(format!("column {c}: {e}")))?
                .is_null(),
        )
    }
}

impl RowAccess for SqliteRowAccess {
    fn i64(&self, c: Col<'_>) -> Result<Option<i64>, StoreError> {
        self.get(c)
    }
    fn f64(&self, c: Col<'_>) -> Result<Option<f64>, StoreError> {
        self.get(c)
    }
    fn bool(&self, c: Col<'_>) -> Result<Option<bool>, StoreError> {
        self.get(c)
    }
    fn text(&self, c: Col<'_>) -> Result<Option<String>, StoreError> {
        self.get(c)
    }
    fn bytes(&self, c: Col<'_>) -> Result<Option<Vec<u8>>, StoreError> {
        if self.is_null(c)? {
            return Ok(None);
        }
        self.get(c)
    }
    fn ts(&self, c: Col<'_>) -> Result<Option<OffsetDateTime>, StoreError> {
        self.get::<i64>(c)?.map(from_nanos).transpose()
    }
    fn date(&self, c: Col<'_>) -> Result<Option<Date>, StoreError> {
        self.get::<String>(c)?
            .as_deref()
            .map(parse_date)
            .transpose()
    }
}

/// One SQLite row behind the store's row interface.
pub(crate) fn into_row(r: SqliteRow) -> Row {
    Row(Box::new(SqliteRowAccess(r)))
}

/// SQLite rows behind the store's row interface.
pub(crate) fn rows(v: Vec<SqliteRow>) -> Vec<Row> {
    v.into_iter().map(into_row).collect()
}

/// A write transaction on the one writer connection (or a savepoint in one).
pub struct SqliteTx<'c> {
    tx: Transaction<'c, Sqlite>,
    rendered: Arc<Rendered>,
    key: Arc<AuditKey>,
}

impl<'c> SqliteTx<'c> {
    /// Wraps a transaction or savepoint of the writer.
    pub fn new(tx: Transaction<'c, Sqlite>, rendered: Arc<Rendered>, key: Arc<AuditKey>) -> Self {
        SqliteTx { tx, rendered, key }
    }

    /// The transaction, to commit or roll back a savepoint.
    pub fn into_inner(self) -> Transaction<'c, Sqlite> {
        self.tx
    }
}

#[async_trait]
impl Tx for SqliteTx<'_> {
    async fn execute(&mut self, q: Sql) -> Result<u64, StoreError> {
        let r = self.rendered.get(q.text);
        Ok(query(&r, q.args)?
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?
            .rows_affected())
    }
    async fn fetch_all(&mut self, q: Sql) -> Result<Vec<Row>, StoreError> {
        let r = self.rendered.get(q.text);
        Ok(rows(
            query(&r, q.args)?
                .fetch_all(&mut *self.tx)
                .await
                .map_err(map_err)?,
        ))
    }
    async fn fetch_optional(&mut self, q: Sql) -> Result<Option<Row>, StoreError> {
        let r = self.rendered.get(q.text);
        let row = query(&r, q.args)?
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(row.map(into_row))
    }
    async fn lock_audit(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    fn audit_key(&self) -> &AuditKey {
        &self.key
    }
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(map_err)
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    fn check(pg: &str, sqlite: &str) {
        assert_eq!(render(pg), sqlite, "rendering {pg:?}");
    }

    #[test]
    fn renders_postgres_spelling_for_sqlite() {
        check("SELECT 1 WHERE id = $1", "SELECT 1 WHERE id = $1");
        check(
            "WHERE ($1::TEXT[] IS NULL OR p = ANY($1))",
            "WHERE ($1 IS NULL OR p IN (SELECT value FROM json_each($1)))",
        );
        check(
            "SELECT * FROM cases WHERE id = $1 FOR UPDATE",
            "SELECT * FROM cases WHERE id = $1",
        );
        check(
            "SELECT seq FROM events e WHERE seq > $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED",
            "SELECT seq FROM events e WHERE seq > $1 ORDER BY seq LIMIT $2",
        );
        check(
            "SELECT e.seq FROM events e LIMIT $2\n FOR UPDATE OF e SKIP LOCKED) AS x",
            "SELECT e.seq FROM events e LIMIT $2\n) AS x",
        );
        check("SELECT 1 FROM t FOR UPDATE OF t NOWAIT", "SELECT 1 FROM t");
        check(
            "SELECT 1 FROM t FOR UPDATE OFFSET 1",
            "SELECT 1 FROM t OFFSET 1",
        );
        check(
            "SELECT GREATEST(a, b), LEAST(c, $2::bigint)",
            "SELECT MAX(a, b), MIN(c, $2)",
        );
        check(
            "SELECT 'a::b = ANY($1)' FROM t",
            "SELECT 'a::b = ANY($1)' FROM t",
        );
        check("SELECT 'សួស្តី' || x::text", "SELECT 'សួស្តី' || x");
    }
}
