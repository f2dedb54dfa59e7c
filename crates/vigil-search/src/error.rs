//! What can go wrong with the index.

use crate::query::QueryError;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text could not be understood; the message is for the person
    /// who typed it.
    #[error("invalid query: {0}")]
    Query(#[from] QueryError),
    /// The index on disk was written by an incompatible version (schema or
    /// tokenizer): rebuild it from the database (`SearchIndex::recreate`).
    #[error("the search index needs a rebuild: {0}")]
    NeedsRebuild(String),
    /// Another writer holds the index.
    #[error("the search index is locked by another writer")]
    Locked,
    /// Disk or tantivy failure.
    #[error("search index failure: {0}")]
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
            other => SearchError::Index(other.to_string()),
        }
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Index(e.to_string())
    }
}
