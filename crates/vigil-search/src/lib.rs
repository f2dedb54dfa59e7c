//! The full-text search index over tips: a derived tantivy index (the database
//! holds the truth; this can always be rebuilt), fed from the `events` outbox.
//!
//! Khmer, Thai, Lao and Burmese are written without spaces between words, so
//! text is split with ICU4X's dictionary word segmenter (see [`tokenizer`]).
//! Jurisdiction (a list of provinces) is part of the query itself, so counts
//! and hits never include another province's tips.
//!
//! ```
//! use vigil_search::{IndexDoc, SearchIndex, SearchQuery};
//!
//! let index = SearchIndex::in_memory()?;
//! let mut writer = index.writer()?;
//! writer.upsert(&IndexDoc {
//!     tip_id: 1,
//!     text: "ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារ".into(),
//!     place: None,
//!     province_code: Some("18".into()),
//!     district_code: None,
//!     category: "trafficking".into(),
//!     status: "new".into(),
//!     received_at_unix: 1_700_000_000,
//!     priority: 0.5,
//! })?;
//! writer.commit(41)?;
//! let found = index.search(&SearchQuery::text("អគារ"))?;
//! assert_eq!(found.total, 1);
//! assert_eq!(index.last_seq()?, 41);
//! # Ok::<(), vigil_search::SearchError>(())
//! ```

#![forbid(unsafe_code)]

mod index;
pub mod query;
mod snippet;
pub mod tokenizer;

pub use index::{
    IndexDoc, SCHEMA_VERSION, SearchHit, SearchIndex, SearchQuery, SearchResults, SearchWriter,
    Sort,
};
pub use query::QueryError;

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
