//! What crosses the backend interface: bound values, statements and rows, in
//! Vigil's own small vocabulary so the body never names a driver type.

use std::borrow::Cow;

use time::{Date, OffsetDateTime};
use vigil_store::StoreError;

/// A value bound to a statement. Every variant may be NULL and keeps its type,
/// because PostgreSQL wants a typed NULL.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A 64-bit integer.
    I64(Option<i64>),
    /// A double.
    F64(Option<f64>),
    /// A boolean.
    Bool(Option<bool>),
    /// Text.
    Text(Option<String>),
    /// Bytes.
    Bytes(Option<Vec<u8>>),
    /// An instant (SQLite: unix nanoseconds; PostgreSQL: `timestamptz`).
    Ts(Option<OffsetDateTime>),
    /// A calendar date (SQLite: `YYYY-MM-DD` text; PostgreSQL: `date`).
    Date(Option<Date>),
    /// A list of integers, for `= ANY($n)` (SQLite: a JSON array).
    I64s(Option<Vec<i64>>),
    /// A list of texts, for `= ANY($n)` (SQLite: a JSON array).
    Texts(Option<Vec<String>>),
}

/// Turns a Rust value into a [`Value`].
pub trait Bind {
    /// The bound value.
    fn value(self) -> Value;
}

macro_rules! bind_via {
    ($variant:ident, $t:ty, $conv:expr) => {
        impl Bind for $t {
            fn value(self) -> Value {
                Value::$variant(Some($conv(self)))
            }
        }
        impl Bind for Option<$t> {
            fn value(self) -> Value {
                Value::$variant(self.map($conv))
            }
        }
        impl Bind for &Option<$t> {
            fn value(self) -> Value {
                Value::$variant(self.clone().map($conv))
            }
        }
    };
}

bind_via!(I64, i64, |v| v);
bind_via!(I64, i32, i64::from);
bind_via!(I64, u8, i64::from);
bind_via!(F64, f64, |v| v);
bind_via!(Bool, bool, |v| v);
bind_via!(Text, String, |v| v);
bind_via!(Text, &str, str::to_owned);
bind_via!(Text, &String, |v: &String| v.clone());
bind_via!(Bytes, Vec<u8>, |v| v);
bind_via!(Bytes, &[u8], <[u8]>::to_vec);
bind_via!(Bytes, &Vec<u8>, |v: &Vec<u8>| v.clone());
bind_via!(Ts, OffsetDateTime, |v| v);
bind_via!(Date, Date, |v| v);
bind_via!(I64s, Vec<i64>, |v| v);
bind_via!(I64s, &[i64], <[i64]>::to_vec);
bind_via!(Texts, Vec<String>, |v| v);
bind_via!(Texts, &[String], <[String]>::to_vec);

impl Bind for Value {
    fn value(self) -> Value {
        self
    }
}

/// One statement with its arguments. The text is written once, in
/// PostgreSQL's spelling with `$n` placeholders; each backend renders it
/// (SQLite: see that crate's `render`).
#[derive(Debug, Clone)]
pub struct Sql {
    /// The statement text.
    pub text: Cow<'static, str>,
    /// The arguments, `$1` first.
    pub args: Vec<Value>,
}

/// A statement without arguments yet.
pub fn sql(text: impl Into<Cow<'static, str>>) -> Sql {
    Sql {
        text: text.into(),
        args: Vec::new(),
    }
}

impl Sql {
    /// Binds the next `$n`.
    #[must_use]
    pub fn bind(mut self, v: impl Bind) -> Self {
        self.args.push(v.value());
        self
    }
}

/// A column: by name or by position (0 first).
#[derive(Debug, Clone, Copy)]
pub enum Col<'a> {
    /// By name.
    Name(&'a str),
    /// By position.
    At(usize),
}

impl<'a> From<&'a str> for Col<'a> {
    fn from(s: &'a str) -> Self {
        Col::Name(s)
    }
}

impl From<usize> for Col<'_> {
    fn from(i: usize) -> Self {
        Col::At(i)
    }
}

impl std::fmt::Display for Col<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Col::Name(n) => f.write_str(n),
            Col::At(i) => write!(f, "#{i}"),
        }
    }
}

/// Reads typed columns of one result row; each backend decodes its own
/// representation (SQLite's nanosecond integers and date text among them).
pub trait RowAccess: Send + Sync {
    /// An integer (any integer width the column has).
    fn i64(&self, c: Col<'_>) -> Result<Option<i64>, StoreError>;
    /// A double.
    fn f64(&self, c: Col<'_>) -> Result<Option<f64>, StoreError>;
    /// A boolean.
    fn bool(&self, c: Col<'_>) -> Result<Option<bool>, StoreError>;
    /// Text.
    fn text(&self, c: Col<'_>) -> Result<Option<String>, StoreError>;
    /// Bytes.
    fn bytes(&self, c: Col<'_>) -> Result<Option<Vec<u8>>, StoreError>;
    /// An instant.
    fn ts(&self, c: Col<'_>) -> Result<Option<OffsetDateTime>, StoreError>;
    /// A calendar date.
    fn date(&self, c: Col<'_>) -> Result<Option<Date>, StoreError>;
}

/// One result row.
pub struct Row(pub Box<dyn RowAccess>);

impl Row {
    /// Column `c` as `T`; a NULL where `T` is not an `Option` is an error.
    pub fn get<'a, T: Decode>(&self, c: impl Into<Col<'a>>) -> Result<T, StoreError> {
        T::decode(&*self.0, c.into())
    }

    /// The whole row as a tuple of its first columns.
    pub fn to<T: FromRow>(&self) -> Result<T, StoreError> {
        T::from_row(self)
    }
}

/// Reads one column as a Rust value.
pub trait Decode: Sized {
    /// Reads column `c` of `row`.
    fn decode(row: &dyn RowAccess, c: Col<'_>) -> Result<Self, StoreError>;
}

fn null(c: Col<'_>) -> StoreError {
    StoreError::Other(format!("unexpected NULL in column {c}"))
}

macro_rules! decode_via {
    ($t:ty, $m:ident) => {
        impl Decode for $t {
            fn decode(row: &dyn RowAccess, c: Col<'_>) -> Result<Self, StoreError> {
                row.$m(c)?.ok_or_else(|| null(c))
            }
        }
        impl Decode for Option<$t> {
            fn decode(row: &dyn RowAccess, c: Col<'_>) -> Result<Self, StoreError> {
                row.$m(c)
            }
        }
    };
}

decode_via!(i64, i64);
decode_via!(f64, f64);
decode_via!(bool, bool);
decode_via!(String, text);
decode_via!(Vec<u8>, bytes);
decode_via!(OffsetDateTime, ts);
decode_via!(Date, date);

impl Decode for i32 {
    fn decode(row: &dyn RowAccess, c: Col<'_>) -> Result<Self, StoreError> {
        let v = row.i64(c)?.ok_or_else(|| null(c))?;
        i32::try_from(v).map_err(|_| StoreError::Other(format!("{v} out of range in {c}")))
    }
}

/// A whole row as a tuple, column 0 first.
pub trait FromRow: Sized {
    /// Reads the row.
    fn from_row(row: &Row) -> Result<Self, StoreError>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Decode),+> FromRow for ($($t,)+) {
            fn from_row(row: &Row) -> Result<Self, StoreError> {
                Ok(($(row.get::<$t>($i)?,)+))
            }
        }
    };
}

tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);

/// Every row as a tuple.
pub fn tuples<T: FromRow>(rows: Vec<Row>) -> Result<Vec<T>, StoreError> {
    rows.iter().map(Row::to).collect()
}

/// The first column of every row.
pub fn scalars<T: Decode>(rows: Vec<Row>) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|r| r.get::<T>(0)).collect()
}

/// Tip ids as bound to `= ANY($n)`.
pub fn tip_ids(ids: &[vigil_domain::TipId]) -> Vec<i64> {
    ids.iter().map(|t| t.0).collect()
}

/// Turns any displayable error into `StoreError::Other`.
pub fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

/// A `LIMIT` argument where a negative limit means "no limit": PostgreSQL
/// refuses a negative `LIMIT` and SQLite refuses a typed `NULL`, so "no
/// limit" is the largest integer on both.
pub fn no_limit_if_negative(limit: i64) -> i64 {
    if limit < 0 { i64::MAX } else { limit }
}
