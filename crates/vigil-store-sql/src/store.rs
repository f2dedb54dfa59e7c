//! The store: one body over whichever backend was opened. Each slice of the
//! storage traits is implemented in a module of its own.

use std::sync::Arc;

use async_trait::async_trait;

use crate::backend::{Backend, Dialect};

/// The store: one body over whichever backend was opened.
#[derive(Clone)]
pub struct SqlStore {
    db: Arc<dyn Backend>,
}

impl SqlStore {
    /// The store over `db`.
    pub fn new(db: Arc<dyn Backend>) -> Self {
        SqlStore { db }
    }

    /// The backend.
    pub fn db(&self) -> &dyn Backend {
        &*self.db
    }

    /// The dialect of the backend.
    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        self.db.close().await;
    }
}

#[async_trait]
impl vigil_store::Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("dialect", &self.dialect())
            .finish()
    }
}
