//! The full-text index (`vigil-search`), kept in step with the `events`
//! outbox by its own cursor (stored in the index's commits), so it can lag,
//! crash or be rebuilt without touching the database; and the staff search
//! that combines it with exact identifier search through the observables.

use std::path::Path;
use std::sync::Arc;
use vigil_domain::Capability;

use vigil_domain::{AuditAction, EventSeq, TipId};
use vigil_extract::Kind;
use vigil_search::{Cursor, IndexDoc, SearchError, SearchIndex, SearchQuery};
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
        observables: index_observables(&match &tip.location.place {
            Some(place) => format!("{}\n{place}", tip.text),
            None => tip.text.clone(),
        }),
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
    /// A short extract around the match, cut on word (or at least grapheme
    /// cluster) boundaries.
    pub snippet: String,
    /// Byte ranges of `snippet` to mark: matched words and identifiers.
    pub marks: Vec<std::ops::Range<usize>>,
    /// Whether the query named an identifier the tip carries.
    pub by_identifier: bool,
}

/// A page of results.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// This page, best first.
    pub found: Vec<Found>,
    /// How many tips within the jurisdiction match in all (exact).
    pub total: usize,
    /// The cursor of the next page (opaque, for a URL), when there is one.
    pub next: Option<String>,
}

/// Kinds that are handles: written as a word in tips (`@name`, `t.me/name`,
/// `name`), so they are searched as that word, which finds every way of
/// writing them.
fn is_handle(k: Kind) -> bool {
    matches!(
        k,
        Kind::Telegram
            | Kind::Line
            | Kind::Wechat
            | Kind::Facebook
            | Kind::Tiktok
            | Kind::Instagram
    )
}

/// The identifiers in a tip as the index holds them (`kind:value`): the same
/// extraction intake records sightings with. Place names stay words.
pub fn index_observables(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vigil_extract::extract(text)
        .into_iter()
        .filter(|f| f.kind != Kind::Place)
        .map(|f| format!("{}:{}", f.kind.as_str(), f.value))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A query split into the identifiers it names and the words left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The query with identifiers taken out (handles left as their bare word).
    pub words: String,
    /// Each identifier typed, as the index's `kind:value` alternatives.
    pub identifiers: Vec<Vec<String>>,
}

/// Whether a query token may be part of a number written with separators.
fn numeric_token(t: &str) -> bool {
    t.chars().any(char::is_numeric)
        && t.chars()
            .all(|c| c.is_numeric() || matches!(c, '+' | '(' | ')' | '-' | '.' | '/'))
}

/// Identifiers in `text`: what the extractor finds in the whole query, and in
/// each run of number-like tokens alone (words around a number can hide it
/// from the extractor, which reads context).
fn query_finds(text: &str) -> Vec<vigil_extract::Found> {
    let mut finds: Vec<vigil_extract::Found> = vigil_extract::extract(text)
        .into_iter()
        .filter(|f| f.kind != Kind::Place)
        .collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for token in text.split_whitespace() {
        let from = at + text[at..].find(token).unwrap_or(0);
        let to = from + token.len();
        at = to;
        if !numeric_token(token) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if text[run.1..from].trim().is_empty() => run.1 = to,
            _ => runs.push((from, to)),
        }
    }
    for (from, to) in runs {
        if finds.iter().any(|f| f.start < to && from < f.end) {
            continue;
        }
        finds.extend(
            vigil_extract::extract(&text[from..to])
                .into_iter()
                .filter(|f| f.kind != Kind::Place)
                .map(|mut f| {
                    f.start += from;
                    f.end += from;
                    f
                }),
        );
    }
    finds.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    finds
}

/// Splits a query into identifiers (normalised, so any way of typing one is
/// the same search) and the words around them.
pub fn parse_query(text: &str) -> ParsedQuery {
    let finds = query_finds(text);
    // Overlapping finds are one identifier typed once (`t.me/x` is a link,
    // a domain and a Telegram handle).
    let mut groups: Vec<(usize, usize, Vec<&vigil_extract::Found>)> = Vec::new();
    for f in &finds {
        match groups.last_mut() {
            Some(g) if f.start < g.1 => {
                g.1 = g.1.max(f.end);
                g.2.push(f);
            }
            _ => groups.push((f.start, f.end, vec![f])),
        }
    }
    let mut words = String::with_capacity(text.len());
    let mut identifiers = Vec::new();
    let mut at = 0;
    for (from, to, group) in groups {
        words.push_str(&text[at..from]);
        words.push(' ');
        at = to;
        if let Some(h) = group.iter().find(|f| is_handle(f.kind)) {
            words.push_str(&h.value);
            words.push(' ');
            continue;
        }
        // The kinds read from the whole span (not a domain inside a link).
        let mut alternatives: Vec<String> = group
            .iter()
            .filter(|f| f.start == from && f.end == to)
            .flat_map(|f| {
                let mut v = vec![format!("{}:{}", f.kind.as_str(), f.value)];
                // A number is the same number on WhatsApp and Zalo.
                if f.kind == Kind::Phone {
                    v.push(format!("{}:{}", Kind::Whatsapp.as_str(), f.value));
                    v.push(format!("{}:{}", Kind::Zalo.as_str(), f.value));
                }
                v
            })
            .collect();
        if alternatives.is_empty() {
            alternatives = group
                .iter()
                .map(|f| format!("{}:{}", f.kind.as_str(), f.value))
                .collect();
        }
        alternatives.sort();
        alternatives.dedup();
        identifiers.push(alternatives);
    }
    words.push_str(&text[at..]);
    ParsedQuery {
        words: words.split_whitespace().collect::<Vec<_>>().join(" "),
        identifiers,
    }
}

/// Longest passage shown per result, in bytes.
const SNIPPET_BYTES: usize = 200;

/// Searches tips within the principal's jurisdiction, one page of `limit`
/// after the cursor `after` (from the previous page's `next`): identifiers
/// typed in any format are searched by their normal form, together with the
/// words around them, in one query, so the total is exact and the same
/// whichever way an identifier was typed.
pub async fn search(
    v: &SearchService,
    p: &Principal,
    text: &str,
    limit: usize,
    after: Option<&str>,
) -> Result<Results, CoreError> {
    if !p.role.can(Capability::ReadTips) {
        return Err(CoreError::Forbidden);
    }
    let provinces = p.jurisdiction.provinces().map(<[String]>::to_vec);
    let parsed = parse_query(text);
    let after = match after.filter(|a| !a.is_empty()) {
        Some(a) => Some(Cursor::parse(a).ok_or_else(|| {
            crate::error::invalid("after", crate::field::FieldMessage::NotAQuery)
        })?),
        None => None,
    };
    let index = v.search.clone();
    let q = SearchQuery {
        provinces,
        limit,
        identifiers: parsed.identifiers.clone(),
        after,
        ..SearchQuery::text(&parsed.words)
    };
    let results = tokio::task::spawn_blocking(move || index.search(&q))
        .await
        .map_err(|e| CoreError::Internal(format!("search task: {e}")))?
        .map_err(search_err)?;
    let wanted: Vec<TipId> = results.hits.iter().map(|h| TipId(h.tip_id)).collect();
    let mut rows: std::collections::HashMap<i64, vigil_store::TipRow> = v
        .store
        .tips_by_ids(&wanted)
        .await?
        .into_iter()
        .map(|t| (t.id.0, t))
        .collect();
    let named: Vec<&String> = parsed.identifiers.iter().flatten().collect();
    let terms = if named.is_empty() {
        Vec::new()
    } else {
        vigil_search::query::highlight_terms(&parsed.words)
    };
    let mut found = Vec::with_capacity(results.hits.len());
    for h in results.hits {
        let Some(tip) = rows.remove(&h.tip_id) else {
            continue;
        };
        // The index may lag a place change: check again.
        if !p.jurisdiction.covers(tip.location.province_code.as_deref()) {
            continue;
        }
        let (snippet, marks) = if named.is_empty() {
            (h.snippet, h.highlights)
        } else {
            // Open the passage on the identifier, as the tip wrote it.
            let spans: Vec<std::ops::Range<usize>> = vigil_extract::extract(&tip.text)
                .into_iter()
                .filter(|f| {
                    let key = format!("{}:{}", f.kind.as_str(), f.value);
                    named.iter().any(|n| **n == key)
                })
                .map(|f| f.start..f.end)
                .collect();
            vigil_search::snippet::snippet_marked(&tip.text, &terms, &spans, SNIPPET_BYTES)
        };
        found.push(Found {
            tip: tip.into(),
            snippet,
            marks,
            by_identifier: !named.is_empty(),
        });
    }
    v.store
        .append_audit(p.audit(
            AuditAction::TipSearch,
            String::new(),
            format!("{} results", found.len()),
        ))
        .await?;
    Ok(Results {
        found,
        total: results.total,
        next: results.next.map(|c| c.encode()),
    })
}

/// An index for tests and tools that have no data directory.
pub fn in_memory() -> Arc<SearchIndex> {
    // Proven invariant: an in-memory index has no files to fail on.
    #[allow(clippy::expect_used)]
    Arc::new(SearchIndex::in_memory().expect("an in-memory index"))
}
