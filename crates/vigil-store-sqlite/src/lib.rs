//! Vigil's embedded store: SQLite in WAL mode with `synchronous=FULL`, so every
//! acknowledged write is on disk. The store's body is `vigil-store-sql`; this
//! crate is its SQLite backend: statements rendered in SQLite's dialect,
//! values encoded as SQLite keeps them, the one writer connection with its
//! group commit for tip submissions (many acknowledgements share one fsync,
//! each tip isolated by a savepoint), the WAL checkpointer, and the bulk
//! imports' JSON-array statements, and the online backup (`VACUUM INTO`).

#![forbid(unsafe_code)]

mod backend;
mod backup;
mod bulk;
mod dialect;
mod immigration;
mod migrate;
mod open;
mod pipeline;
mod rows;
mod writer;

pub use backup::backup;
pub use dialect::render;
pub use open::{DB_FILE, open};
