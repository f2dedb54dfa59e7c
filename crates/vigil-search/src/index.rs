//! The index itself: schema, opening (with a version check), writing with a
//! resume sequence in the commit, and searching.

use std::ops::{Bound, Range};
use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Score,
    Searcher, SegmentReader, TantivyDocument, Term,
};

use crate::error::SearchError;
use crate::query::QueryError;
use crate::tokenizer::{TOKENIZER_NAME, VigilTokenizer};

/// The version of the schema and tokenizer. Bump it whenever either changes
/// in a way that needs old documents re-indexed; an index written with
/// another version is reported as [`SearchError::NeedsRebuild`].
pub const SCHEMA_VERSION: u32 = 3;

/// Most hits returned by one search.
const MAX_LIMIT: usize = 1_000;
/// Deepest page offset accepted.
const MAX_OFFSET: usize = 10_000;
/// Longest snippet, in bytes.
const SNIPPET_BYTES: usize = 160;

const PAYLOAD_PREFIX: &str = "vigil-search/v";

/// One tip as the index sees it. Upserting the same `tip_id` replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    /// The tip's id (`TipId.0`).
    pub tip_id: i64,
    /// What the reporter wrote.
    pub text: String,
    /// The place as the reporter wrote it, searched like the text.
    pub place: Option<String>,
    /// Gazetteer province code (two digits); drives jurisdiction filtering.
    pub province_code: Option<String>,
    /// Gazetteer district code.
    pub district_code: Option<String>,
    /// Category wire name (`scam_compound`, …).
    pub category: String,
    /// Status wire name (`new`, …).
    pub status: String,
    /// When the tip was received (Unix seconds).
    pub received_at_unix: i64,
    /// Triage priority (higher first).
    pub priority: f64,
    /// The identifiers in the tip, each as `kind:normalised value` (as
    /// `vigil-extract` writes them), searched exactly with
    /// [`SearchQuery::identifiers`].
    pub observables: Vec<String>,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Most recently received first.
    Newest,
    /// Highest priority first.
    Priority,
}

/// A search: text in the people's syntax (see [`crate::query`]) and filters.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// Words ANDed, `"phrase"`, `prefix*`, `a OR b`, `-excluded`; blank matches all.
    pub text: String,
    /// Jurisdiction: `None` is national; `Some(list)` only these province codes
    /// (an empty list matches nothing; tips without a province are national only).
    pub provinces: Option<Vec<String>>,
    /// Only this category.
    pub category: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Received at or after (Unix seconds).
    pub from_unix: Option<i64>,
    /// Received at or before (Unix seconds).
    pub to_unix: Option<i64>,
    /// Priority at least this.
    pub min_priority: Option<f64>,
    /// Order of hits.
    pub sort: Sort,
    /// Hits per page (at most 1,000).
    pub limit: usize,
    /// Hits skipped (at most 10,000); ignored with `after`.
    pub offset: usize,
    /// Identifiers the tips must carry: each inner list holds alternatives
    /// (`kind:normalised value`, one of them must be carried), and every
    /// list must be met, together with `text`.
    pub identifiers: Vec<Vec<String>>,
    /// Only hits after this one in the order of `sort` (the `next` of the
    /// previous page): keyset paging with no depth limit.
    pub after: Option<Cursor>,
}

impl SearchQuery {
    /// A national search for `text`, best first, 20 hits.
    pub fn text(text: &str) -> Self {
        SearchQuery {
            text: text.to_string(),
            provinces: None,
            category: None,
            status: None,
            from_unix: None,
            to_unix: None,
            min_priority: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            identifiers: Vec::new(),
            after: None,
        }
    }
}

/// One matching tip.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The tip's id.
    pub tip_id: i64,
    /// BM25 score with [`Sort::Relevance`], 0 otherwise.
    pub score: f32,
    /// A short plain-text passage of the tip.
    pub snippet: String,
    /// Byte ranges of matched words within `snippet`.
    pub highlights: Vec<Range<usize>>,
}

/// A page of hits and how many tips match in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Tips matching the query and filters (not only this page).
    pub total: usize,
    /// This page.
    pub hits: Vec<SearchHit>,
    /// Where the next page starts, when there is one.
    pub next: Option<Cursor>,
}

/// A position in the order of a search: the sort key of the last hit of a
/// page, so the next page starts exactly after it. The order is total (ties
/// broken by tip id), so walking every page returns each matching tip once
/// while the index does not change; its text form is opaque to callers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    sort: Sort,
    key: f64,
    tip_id: i64,
}

impl Cursor {
    fn letter(sort: Sort) -> char {
        match sort {
            Sort::Relevance => 'r',
            Sort::Newest => 'n',
            Sort::Priority => 'p',
        }
    }

    /// The text form, safe in a URL.
    pub fn encode(&self) -> String {
        format!(
            "{}{:016x}.{}",
            Self::letter(self.sort),
            self.key.to_bits(),
            self.tip_id
        )
    }

    /// Reads [`Cursor::encode`]'s form; `None` if it is not one.
    pub fn parse(s: &str) -> Option<Cursor> {
        let mut chars = s.chars();
        let sort = match chars.next()? {
            'r' => Sort::Relevance,
            'n' => Sort::Newest,
            'p' => Sort::Priority,
            _ => return None,
        };
        let (bits, id) = chars.as_str().split_once('.')?;
        if bits.len() != 16 {
            return None;
        }
        let key = f64::from_bits(u64::from_str_radix(bits, 16).ok()?);
        if key.is_nan() {
            return None;
        }
        Some(Cursor {
            sort,
            key,
            tip_id: id.parse().ok()?,
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    tip_id: tantivy::schema::Field,
    body: tantivy::schema::Field,
    text: tantivy::schema::Field,
    province: tantivy::schema::Field,
    district: tantivy::schema::Field,
    category: tantivy::schema::Field,
    status: tantivy::schema::Field,
    received_at: tantivy::schema::Field,
    priority: tantivy::schema::Field,
    obs: tantivy::schema::Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let body_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        tip_id: b.add_i64_field("tip_id", INDEXED | STORED | FAST),
        body: b.add_text_field("body", body_opts),
        text: b.add_text_field("text", STORED),
        province: b.add_text_field("province", STRING),
        district: b.add_text_field("district", STRING),
        category: b.add_text_field("category", STRING),
        status: b.add_text_field("status", STRING),
        received_at: b.add_i64_field("received_at", INDEXED | FAST),
        priority: b.add_f64_field("priority", INDEXED | FAST),
        obs: b.add_text_field("obs", STRING),
    };
    (b.build(), fields)
}

fn payload(seq: u64) -> String {
    format!("{PAYLOAD_PREFIX}{SCHEMA_VERSION} seq={seq}")
}

/// `(schema version, seq)` from a commit payload.
fn parse_payload(p: &str) -> Option<(u32, u64)> {
    let rest = p.strip_prefix(PAYLOAD_PREFIX)?;
    let (version, seq) = rest.split_once(" seq=")?;
    Some((version.parse().ok()?, seq.parse().ok()?))
}

/// The search index (cheap to share behind an `Arc`; searches run in parallel).
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if
    /// missing. An index of another schema version is `NeedsRebuild`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Index(e.to_string()))?;
        let exists = Index::exists(&directory).map_err(|e| SearchError::Index(e.to_string()))?;
        let index = if exists {
            let index = Index::open(directory)?;
            if index.schema() != schema {
                return Err(SearchError::NeedsRebuild(
                    "the index schema differs from this version's".into(),
                ));
            }
            if let Some(p) = index.load_metas()?.payload {
                match parse_payload(&p) {
                    Some((v, _)) if v == SCHEMA_VERSION => {}
                    Some((v, _)) => {
                        return Err(SearchError::NeedsRebuild(format!(
                            "index version {v}, this version reads {SCHEMA_VERSION}"
                        )));
                    }
                    None => {
                        return Err(SearchError::NeedsRebuild(
                            "the index commit is not Vigil's".into(),
                        ));
                    }
                }
            }
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())?
        };
        Self::from_index(index, fields)
    }

    /// Removes the index in `dir` (only if it looks like one) and opens an
    /// empty one: the start of a full rebuild after `NeedsRebuild`.
    pub fn recreate(dir: &Path) -> Result<Self, SearchError> {
        if dir.join("meta.json").exists() {
            std::fs::remove_dir_all(dir)?;
        } else if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            return Err(SearchError::Index(format!(
                "{} is not empty and holds no index; refusing to delete it",
                dir.display()
            )));
        }
        Self::open(dir)
    }

    /// An empty index in memory, for tests.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, VigilTokenizer::default());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// A writer for tailing the outbox: one indexing thread per core (at most
    /// four), 32 MB each. Only one writer may exist at a time (`Locked` otherwise).
    pub fn writer(&self) -> Result<SearchWriter, SearchError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        self.writer_with(threads, threads * (32 << 20))
    }

    /// A writer with `threads` indexing threads sharing `memory_bytes`
    /// (at least 15 MB per thread), for bulk rebuilds.
    pub fn writer_with(
        &self,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<SearchWriter, SearchError> {
        let writer = self
            .index
            .writer_with_num_threads(threads.max(1), memory_bytes)?;
        Ok(SearchWriter {
            writer,
            reader: self.reader.clone(),
            fields: self.fields,
        })
    }

    /// The outbox sequence stored with the last commit (0 if none).
    pub fn last_seq(&self) -> Result<u64, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(parse_payload)
            .map_or(0, |(_, seq)| seq))
    }

    /// Number of tips in the index (as of the last commit seen).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs `q`: its text, the jurisdiction and every filter in one query, so
    /// `total` and `hits` only ever cover tips the filters allow.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let (text_query, highlight) = match crate::query::parse(&q.text, self.fields.body) {
            Ok(parsed) => (parsed.query, parsed.highlight),
            // Identifiers alone (the rest of the query was only them).
            Err(crate::query::QueryError::NoWords) if !q.identifiers.is_empty() => {
                (Box::new(AllQuery) as Box<dyn Query>, Vec::new())
            }
            Err(e) => return Err(e.into()),
        };
        let Some(filters) = self.filters(q) else {
            return Ok(SearchResults::default());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        for alternatives in &q.identifiers {
            if alternatives.is_empty() {
                return Ok(SearchResults::default());
            }
            clauses.push((Occur::Must, any_of(self.fields.obs, alternatives)));
        }
        for f in filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
        }
        let query: Box<dyn Query> = if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let total = searcher.search(&*query, &Count)?;
        let limit = q.limit.min(MAX_LIMIT);
        let offset = if q.after.is_some() {
            0
        } else {
            q.offset.min(MAX_OFFSET)
        };
        if limit == 0 || total <= offset {
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
                next: None,
            });
        }
        let after = match q.after {
            Some(c) if c.sort != q.sort => return Err(SearchError::Query(QueryError::BadCursor)),
            Some(c) => Some((c.key, -c.tip_id)),
            None => None,
        };
        let sort = q.sort;
        // One more than the page, to know whether a next page exists.
        let top = TopDocs::with_limit(limit + 1).and_offset(offset);
        let keyed = top.tweak_score(move |segment: &SegmentReader| {
            let ff = segment.fast_fields();
            let tip_ids = ff.i64("tip_id").ok().map(|c| c.first_or_default_col(0));
            let received = ff
                .i64("received_at")
                .ok()
                .map(|c| c.first_or_default_col(0));
            let priority = ff.f64("priority").ok().map(|c| c.first_or_default_col(0.0));
            move |doc: DocId, score: Score| -> (f64, i64) {
                let tip_id = tip_ids.as_ref().map_or(0, |c| c.get_val(doc));
                let primary = match sort {
                    Sort::Relevance => f64::from(score),
                    Sort::Newest => received.as_ref().map_or(0, |c| c.get_val(doc)) as f64,
                    Sort::Priority => priority.as_ref().map_or(0.0, |c| c.get_val(doc)),
                };
                let key = (primary, -tip_id);
                match after {
                    // Not after the cursor: sorts below every real hit and
                    // is dropped.
                    Some(c) if key >= c => (f64::NEG_INFINITY, i64::MIN),
                    _ => key,
                }
            }
        });
        let fast = if sort == Sort::Relevance && after.is_none() && offset == 0 {
            first_by_score(&searcher, &*query, limit)?
        } else {
            None
        };
        let mut page: Vec<Keyed> = match fast {
            Some(page) => page,
            None => searcher
                .search(&*query, &keyed)?
                .into_iter()
                .filter(|((k, _), _)| *k != f64::NEG_INFINITY)
                .collect(),
        };
        let more = page.len() > limit;
        page.truncate(limit);
        let next = if more {
            page.last().map(|&((key, neg_id), _)| Cursor {
                sort,
                key,
                tip_id: -neg_id,
            })
        } else {
            None
        };
        let page = page
            .into_iter()
            .map(|((key, _), addr)| {
                let score = if sort == Sort::Relevance {
                    key as f32
                } else {
                    0.0
                };
                (score, addr)
            })
            .collect();
        let hits = self.hits(&searcher, &highlight, page)?;
        Ok(SearchResults { total, hits, next })
    }

    /// The filter queries, or `None` when they can match nothing.
    fn filters(&self, q: &SearchQuery) -> Option<Vec<Box<dyn Query>>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(provinces) = &q.provinces {
            if provinces.is_empty() {
                return None;
            }
            out.push(any_of(f.province, provinces));
        }
        if let Some(c) = &q.category {
            out.push(any_of(f.category, std::slice::from_ref(c)));
        }
        if let Some(s) = &q.status {
            out.push(any_of(f.status, std::slice::from_ref(s)));
        }
        if q.from_unix.is_some() || q.to_unix.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(v) => Bound::Included(Term::from_field_i64(f.received_at, v)),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(
                bound(q.from_unix),
                bound(q.to_unix),
            )));
        }
        if let Some(p) = q.min_priority {
            if p.is_nan() {
                return None;
            }
            out.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_f64(f.priority, p)),
                Bound::Unbounded,
            )));
        }
        Some(out)
    }

    fn hits(
        &self,
        searcher: &Searcher,
        terms: &[crate::query::HighlightTerm],
        page: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let mut hits = Vec::with_capacity(page.len());
        for (score, addr) in page {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let tip_id = doc
                .get_first(self.fields.tip_id)
                .and_then(|v| v.as_i64())
                .ok_or_else(|| SearchError::Index("a document has no tip_id".into()))?;
            let text = doc
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let (snippet, highlights) = crate::snippet::snippet(text, terms, SNIPPET_BYTES);
            hits.push(SearchHit {
                tip_id,
                score,
                snippet,
                highlights,
            });
        }
        Ok(hits)
    }
}

/// A hit with its keyset sort key: (primary key, -tip id), larger first.
type Keyed = ((f64, i64), DocAddress);

/// The first page by relevance through tantivy's pruned top-k (which skips
/// blocks that cannot make the page, unlike a keyed collector that must score
/// every match), in the keyset order `(score, -tip id)`; `None` when a score
/// tie straddles the end of the page, since the pruned top-k breaks ties by
/// document address, not tip id (the caller then uses the keyed collector).
fn first_by_score(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
) -> Result<Option<Vec<Keyed>>, SearchError> {
    let top: Vec<(Score, DocAddress)> =
        searcher.search(query, &TopDocs::with_limit(limit + 1).order_by_score())?;
    if let (Some(last_in), Some(first_out)) = (top.get(limit - 1), top.get(limit))
        && last_in.0 <= first_out.0
    {
        return Ok(None);
    }
    let mut page = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let ids = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .i64("tip_id")?
            .first_or_default_col(0);
        page.push(((f64::from(score), -ids.get_val(addr.doc_id)), addr));
    }
    page.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    Ok(Some(page))
}

/// Documents whose raw `field` is one of `values`: plain term queries (their
/// skip lists intersect faster with the text query than a term-set bitset).
fn any_of(field: tantivy::schema::Field, values: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<Box<dyn Query>> = values
        .iter()
        .map(|v| {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>
        })
        .collect();
    if terms.len() == 1 {
        return terms.remove(0);
    }
    Box::new(BooleanQuery::new(
        terms.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Adds, replaces and deletes tips; nothing is visible until [`commit`](Self::commit).
pub struct SearchWriter {
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchWriter").finish_non_exhaustive()
    }
}

impl SearchWriter {
    /// Adds the tip, replacing any earlier version with the same `tip_id`.
    pub fn upsert(&mut self, d: &IndexDoc) -> Result<(), SearchError> {
        let f = &self.fields;
        self.writer
            .delete_term(Term::from_field_i64(f.tip_id, d.tip_id));
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.tip_id, d.tip_id);
        doc.add_text(f.body, &d.text);
        if let Some(place) = &d.place {
            doc.add_text(f.body, place);
        }
        doc.add_text(f.text, &d.text);
        if let Some(p) = &d.province_code {
            doc.add_text(f.province, p);
        }
        if let Some(p) = &d.district_code {
            doc.add_text(f.district, p);
        }
        doc.add_text(f.category, &d.category);
        doc.add_text(f.status, &d.status);
        doc.add_i64(f.received_at, d.received_at_unix);
        doc.add_f64(f.priority, d.priority);
        for o in &d.observables {
            doc.add_text(f.obs, o);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes the tip (a no-op if absent).
    pub fn delete(&mut self, tip_id: i64) -> Result<(), SearchError> {
        self.writer
            .delete_term(Term::from_field_i64(self.fields.tip_id, tip_id));
        Ok(())
    }

    /// Removes every tip (a rebuild starts here); takes effect at commit.
    pub fn clear(&mut self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes every change so far durable and visible, together with
    /// `last_seq`, the outbox sequence they bring the index up to.
    pub fn commit(&mut self, last_seq: u64) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload(last_seq));
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops every change since the last commit.
    pub fn rollback(&mut self) -> Result<(), SearchError> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Waits for background segment merges and releases the writer lock.
    pub fn finish(self) -> Result<(), SearchError> {
        self.writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips() {
        assert_eq!(parse_payload(&payload(42)), Some((SCHEMA_VERSION, 42)));
        assert_eq!(parse_payload("something else"), None);
    }
}
