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
//!     observables: vec!["phone:+85512345678".into()],
//! })?;
//! writer.commit(41)?;
//! let found = index.search(&SearchQuery::text("អគារ"))?;
//! assert_eq!(found.total, 1);
//! assert_eq!(index.last_seq()?, 41);
//! # Ok::<(), vigil_search::SearchError>(())
//! ```

#![forbid(unsafe_code)]

mod error;
mod index;
pub mod query;
pub mod snippet;
pub mod tokenizer;

pub use error::SearchError;
pub use index::{
    Cursor, IndexDoc, SCHEMA_VERSION, SearchHit, SearchIndex, SearchQuery, SearchResults,
    SearchWriter, Sort,
};
pub use query::QueryError;
