//! The campaign's counts (see `vigil_store::figures`): written once in
//! `vigil-store-sql` (`figures.rs`); this forwards to it.

use async_trait::async_trait;
use vigil_store::{FigureCount, FigureScope, FiguresStore, StoreError};

use crate::SqliteStore;

#[async_trait]
impl FiguresStore for SqliteStore {
    async fn figure_counts(&self, scope: &FigureScope) -> Result<Vec<FigureCount>, StoreError> {
        self.sql.figure_counts(scope).await
    }
}
