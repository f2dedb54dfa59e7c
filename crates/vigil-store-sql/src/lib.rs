//! Vigil's store, written once. Every statement, transaction, audit append
//! and row mapping lives here, over [`Backend`]: a small interface that the
//! SQLite and PostgreSQL crates implement (connections, rendering a statement
//! in their dialect, encoding values, the SQLite group-commit writer,
//! PostgreSQL's advisory locks and `SKIP LOCKED`).
//!
//! Statements are written in PostgreSQL's spelling with `$n` placeholders.
//! Where the two dialects truly differ, both spellings stand side by side
//! through [`Dialect::pick`], so they cannot drift apart unnoticed.

#![forbid(unsafe_code)]

pub mod audit;
mod backend;
mod cases;
mod check;
mod facilities;
mod figures;
mod immigration;
mod intake;
mod merges;
pub mod migrations;
mod observables;
mod operations;
mod persons;
mod pipeline;
mod recruiters;
mod rewards;
mod screenings;
pub mod spelling;
mod staff;
mod store;
mod sync;
mod value;
mod workspace;

pub use backend::{Backend, Dialect, Tx};
pub use intake::{insert_attachment, store_submission, tip_from_row};
pub use store::SqlStore;
pub use value::{
    Bind, Col, Decode, FromRow, Row, RowAccess, Sql, Value, no_limit_if_negative, other, scalars,
    sql, tip_ids, tuples,
};
