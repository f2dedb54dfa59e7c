//! Merged rows (persons, recruiters) point to the row they were merged
//! into; readers follow the chain to the row that stands for them now.

use vigil_store::StoreError;

use crate::backend::Tx;
use crate::store::SqlStore;
use crate::value::sql;

/// Where a `merged_into` is read from: inside a write transaction or, for
/// reads, straight from the backend.
pub(crate) enum Reader<'a> {
    Tx(&'a mut dyn Tx),
    Store(&'a SqlStore),
}

/// The row `id` of `table` (`persons` or `recruiters`) stands for now,
/// following its `merged_into` chain.
pub(crate) async fn follow_merges(
    mut from: Reader<'_>,
    table: &'static str,
    id: i64,
) -> Result<i64, StoreError> {
    let mut id = id;
    // A merge chain is short; the bound guards against a corrupted cycle.
    for _ in 0..64 {
        let q = sql(format!("SELECT merged_into FROM {table} WHERE id = $1")).bind(id);
        let row = match &mut from {
            Reader::Tx(tx) => tx.fetch_one(q).await?,
            Reader::Store(s) => s.db().fetch_one(q).await?,
        };
        match row.get::<Option<i64>>(0)? {
            Some(n) => id = n,
            None => return Ok(id),
        }
    }
    Err(StoreError::Other(format!(
        "{table} {id}: merge chain too long"
    )))
}
