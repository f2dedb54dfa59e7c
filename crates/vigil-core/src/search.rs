//! The full-text index (`vigil-search`), kept in step with the `events`
//! outbox by its own cursor (stored in the index's commits), so it can lag,
//! crash or be rebuilt without touching the database; and the staff search
//! that combines it with exact identifier search through the observables.

use std::path::Path;
use std::sync::Arc;
use vigil_domain::Capability;

use vigil_domain::{AuditAction, EventSeq, TipId};
use vigil_search::{IndexDoc, SearchError, SearchIndex, SearchQuery};
use vigil_store::TipRow;

use crate::CoreError;
use crate::staff::Principal;
use vigil_store::DynStore;

/// Staff search and the full-text index it reads. Cheap to clone.
#[derive(Clone)]
pub struct SearchService {
    pub(crate) store: DynStore,
    /// The full-text index (in memory unless opened in a data directory).
    pub(crate) search: Arc<SearchIndex>,
    /// One index writer at a time in this process.
    pub(crate) search_writer: Arc<tokio::sync::Mutex<()>>,
}

impl SearchService {
    /// How many tips the index holds.
    pub fn num_docs(&self) -> u64 {
        self.search.num_docs()
    }

    /// Search over `store` with `index`.
    pub fn new(store: DynStore, index: Arc<SearchIndex>) -> Self {
        SearchService {
            store,
            search: index,
            search_writer: Arc::default(),
        }
    }
}

/// Events indexed per commit.
const BATCH: i64 = 1000;

fn search_err(e: SearchError) -> CoreError {
    match e {
        SearchError::Query(q) => {
            tracing::debug!(error = %q, "search query does not parse");
            crate::error::invalid("q", crate::field::FieldMessage::NotAQuery)
        }
        other => CoreError::Internal(format!("search index: {other}")),
    }
}

/// Opens the index in `dir`, recreating it (empty, to be filled from the
/// outbox) when it was built by an older version.
pub fn open_index(dir: &Path) -> Result<SearchIndex, CoreError> {
    match SearchIndex::open(dir) {
        Ok(i) => Ok(i),
        Err(SearchError::NeedsRebuild(why)) => {
            tracing::warn!(%why, "rebuilding the search index from the outbox");
            SearchIndex::recreate(dir).map_err(search_err)
        }
        Err(e) => Err(search_err(e)),
    }
}

fn doc(tip: &TipRow) -> IndexDoc {
    IndexDoc {
        tip_id: tip.id.0,
        text: tip.text.clone(),
        place: tip.location.place.clone(),
        province_code: tip.location.province_code.clone(),
        district_code: tip.location.district_code.clone(),
        category: tip.category.as_str().into(),
        status: tip.status.as_str().into(),
        received_at_unix: tip.received_at.unix_timestamp(),
        priority: f64::from(tip.danger.to_bits().count_ones()),
    }
}

/// Indexes at most one batch of events after the index's cursor; returns how
/// many events it read.
pub async fn index_once(v: &SearchService) -> Result<usize, CoreError> {
    let index = v.search.clone();
    let from = index.last_seq().map_err(search_err)?;
    let events = v
        .store
        .events_after(EventSeq(i64::try_from(from).unwrap_or(i64::MAX)), BATCH)
        .await?;
    let Some(last) = events.last().map(|e| e.seq) else {
        return Ok(0);
    };
    let mut ids: Vec<TipId> = events.iter().map(|e| e.tip_id).collect();
    ids.sort();
    ids.dedup();
    let docs: Vec<IndexDoc> = v.store.tips_by_ids(&ids).await?.iter().map(doc).collect();
    let n = events.len();
    let seq = u64::try_from(last.0).unwrap_or(0);
    let _guard = v.search_writer.lock().await;
    tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
        let mut w = index.writer()?;
        for d in &docs {
            w.upsert(d)?;
        }
        w.commit(seq)?;
        w.finish()
    })
    .await
    .map_err(|e| CoreError::Internal(format!("indexing task: {e}")))?
    .map_err(search_err)?;
    Ok(n)
}

/// Empties the index and fills it again from the whole outbox.
pub async fn reindex(
    v: &SearchService,
    mut progress: impl FnMut(usize),
) -> Result<usize, CoreError> {
    {
        let index = v.search.clone();
        let _guard = v.search_writer.lock().await;
        tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
            let mut w = index.writer()?;
            w.clear()?;
            w.commit(0)?;
            w.finish()
        })
        .await
        .map_err(|e| CoreError::Internal(format!("indexing task: {e}")))?
        .map_err(search_err)?;
    }
    let mut total = 0;
    loop {
        let n = index_once(v).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
        progress(total);
    }
}

/// One search result as staff see it.
#[derive(Debug, Clone)]
pub struct Found {
    /// The tip.
    pub tip: crate::views::Tip,
    /// A short extract around the match.
    pub snippet: String,
    /// Whether it was found by an identifier rather than by words.
    pub by_identifier: bool,
}

/// Searches tips within the principal's jurisdiction: tips carrying any
/// identifier typed in the query (in whatever format), then full-text hits.
pub async fn search(
    v: &SearchService,
    p: &Principal,
    text: &str,
    limit: usize,
) -> Result<(Vec<Found>, usize), CoreError> {
    if !p.role.can(Capability::ReadTips) {
        return Err(CoreError::Forbidden);
    }
    let provinces = p.jurisdiction.provinces().map(<[String]>::to_vec);
    let mut out: Vec<Found> = Vec::new();
    for f in vigil_extract::extract(text) {
        if let Some(o) = v.store.observable(f.kind.as_str(), &f.value).await? {
            for id in v
                .store
                .related_tips(o.id, provinces.as_deref(), limit as i64)
                .await?
            {
                if out.iter().all(|x| x.tip.id != id) {
                    let tip = v.store.tip(id).await?;
                    out.push(Found {
                        snippet: tip.text.chars().take(200).collect(),
                        tip: tip.into(),
                        by_identifier: true,
                    });
                }
            }
        }
    }
    let index = v.search.clone();
    let q = SearchQuery {
        provinces: provinces.clone(),
        limit,
        ..SearchQuery::text(text)
    };
    let results = tokio::task::spawn_blocking(move || index.search(&q))
        .await
        .map_err(|e| CoreError::Internal(format!("search task: {e}")))?;
    let (hits, total) = match results {
        Ok(r) => (r.hits, r.total),
        // A query of identifiers only may have no words to search for.
        Err(SearchError::Query(_)) if !out.is_empty() => (Vec::new(), 0),
        Err(e) => return Err(search_err(e)),
    };
    let wanted: Vec<TipId> = hits.iter().map(|h| TipId(h.tip_id)).collect();
    let mut rows: std::collections::HashMap<i64, vigil_store::TipRow> = v
        .store
        .tips_by_ids(&wanted)
        .await?
        .into_iter()
        .map(|t| (t.id.0, t))
        .collect();
    for h in hits {
        if out.len() >= limit {
            break;
        }
        if out.iter().any(|x| x.tip.id.0 == h.tip_id) {
            continue;
        }
        let Some(tip) = rows.remove(&h.tip_id) else {
            continue;
        };
        // The index may lag a status or place change: check again.
        if p.jurisdiction.covers(tip.location.province_code.as_deref()) {
            out.push(Found {
                tip: tip.into(),
                snippet: h.snippet,
                by_identifier: false,
            });
        }
    }
    v.store
        .append_audit(p.audit(
            AuditAction::TipSearch,
            String::new(),
            format!("{} results", out.len()),
        ))
        .await?;
    let shown = out.len();
    Ok((out, total.max(shown)))
}

/// An index for tests and tools that have no data directory.
pub fn in_memory() -> Arc<SearchIndex> {
    // Proven invariant: an in-memory index has no files to fail on.
    #[allow(clippy::expect_used)]
    Arc::new(SearchIndex::in_memory().expect("an in-memory index"))
}
