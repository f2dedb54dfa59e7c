//! Near-duplicate texts (a job ad pasted many times with small edits) by MinHash and
//! locality-sensitive hashing over character shingles, every candidate checked exactly.
//!
//! A text is normalised ([`crate::text::normalise`]) and cut into overlapping shingles
//! of `shingle_chars` characters (spaces included), so Khmer and Thai, written without
//! spaces, are handled like any other script. Each shingle is hashed once (64 bits).
//! The signature is a one-permutation MinHash: the hash range is cut into
//! `bands × rows` bins and each bin keeps the smallest hash that falls into it; a bin
//! no shingle fell into borrows the value of a bin picked by a fixed pseudo-random
//! sequence (optimal densification, Shrivastava 2017), so two texts agree on any one
//! bin with probability equal to their Jaccard similarity, as with one permutation per
//! value, at the cost of one hash per shingle instead of one per shingle and value.
//!
//! Texts whose signatures agree on all rows of at least one band become candidates.
//! With the defaults (32 bands of 4 rows) a pair at Jaccard 0.5 becomes a candidate
//! with probability 1 − (1 − 0.5⁴)³² ≈ 0.87, at 0.6 with 0.99, at 0.3 with 0.23 and
//! at 0.2 with 0.05. Every candidate is then checked, cheapest test first: the sizes
//! (J ≤ smaller / larger), then an upper bound of the shared shingles from 2,048-bit
//! shingle bitmaps (bits set in both, plus the shingles either text lost to its own
//! bit collisions), which rules out most pairs of templated texts that share a few
//! sentences (J 0.2–0.4) without touching their shingles, and last the exact Jaccard
//! of the two sorted sets of 32-bit shingle hashes. A reported pair is therefore
//! never a false positive of the sketch, and the bounds lose no pair.
//!
//! The index keeps all texts' shingles and bitmaps in flat arrays and the band
//! buckets in one open-addressing table (a bucket of one text inline, a larger one as
//! a contiguous list), so inserting allocates nothing per text, and only buckets that
//! gain a second member allocate. A pair met in several bands is checked once (a
//! stamp per text); a text's candidates are gathered before any is checked, so their
//! memory accesses overlap.

use serde::{Deserialize, Serialize};

mod sketch;

use crate::text::mix64;
use sketch::{BITMAP_WORDS, POLY, Scratch, bitmap, common, shared_bits};
pub use sketch::{Sketch, Sketcher};

/// How near-duplicates are found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NearDupConfig {
    /// Characters per shingle.
    pub shingle_chars: usize,
    /// LSH bands.
    pub bands: usize,
    /// Rows (signature values) per band.
    pub rows: usize,
    /// Exact Jaccard of shingle sets from which two texts are near-duplicates.
    pub threshold: f64,
    /// Members looked at per bucket at most (the most recent ones), bounding the work
    /// on very common boiler-plate; 0 means no bound.
    pub max_bucket_checks: usize,
}

impl Default for NearDupConfig {
    fn default() -> Self {
        NearDupConfig {
            shingle_chars: 4,
            bands: 32,
            rows: 4,
            threshold: 0.5,
            max_bucket_checks: 0,
        }
    }
}

/// One near-duplicate pair: `a` is the earlier-inserted text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DupPair {
    /// Id of the earlier text.
    pub a: i64,
    /// Id of the later text.
    pub b: i64,
    /// Exact Jaccard similarity of their shingle sets.
    pub jaccard: f64,
}

/// A free place in the table of buckets.
const NONE: u32 = u32::MAX;
/// Flag of a bucket reference that names a list (`LIST | index`) rather than its one
/// member (a text number below `LIST`).
const LIST: u32 = 1 << 31;

/// Band key → bucket: open addressing with linear probing, key and bucket packed in
/// one `u64` (`NONE` marks a free place), at most three quarters full, so a lookup
/// usually costs one cache line. A bucket of one text holds that text's number; a
/// larger one (`LIST | i`) is `lists[i]`, its members in insertion order, contiguous
/// so a walk through it does not wait for one load before the next.
#[derive(Debug, Clone, Default)]
struct Buckets {
    places: Vec<u64>,
    len: usize,
    lists: Vec<Vec<u32>>,
}

impl Buckets {
    /// Makes room for `n` keys in all.
    fn reserve(&mut self, n: usize) {
        if 4 * n <= 3 * self.places.len() {
            return;
        }
        let size = (n + n / 3 + 1).next_power_of_two().max(64);
        let old = std::mem::replace(&mut self.places, vec![u64::from(NONE); size]);
        let mask = size - 1;
        for p in old {
            if p as u32 != NONE {
                let mut i = (p >> 32) as usize & mask;
                while self.places[i] as u32 != NONE {
                    i = (i + 1) & mask;
                }
                self.places[i] = p;
            }
        }
    }

    /// Adds `text` (below `LIST`) to bucket `key` and returns the earlier members:
    /// none for a new bucket, else the bucket's list (whose last member is `text`).
    fn add(&mut self, key: u32, text: u32) -> &[u32] {
        if 4 * (self.len + 1) > 3 * self.places.len() {
            self.reserve(2 * (self.len + 1));
        }
        let mask = self.places.len() - 1;
        // The key is already a hash: its bits are the position.
        let mut i = key as usize & mask;
        loop {
            let p = self.places[i];
            let bucket = p as u32;
            if bucket == NONE {
                self.len += 1;
                self.places[i] = (u64::from(key) << 32) | u64::from(text);
                return &[];
            }
            if (p >> 32) as u32 == key {
                let list = if bucket & LIST == 0 {
                    let l = self.lists.len();
                    let mut members = Vec::with_capacity(4);
                    members.push(bucket);
                    self.lists.push(members);
                    self.places[i] = (u64::from(key) << 32) | u64::from(LIST | l as u32);
                    l
                } else {
                    (bucket & !LIST) as usize
                };
                let members = &mut self.lists[list];
                members.push(text);
                return &members[..members.len() - 1];
            }
            i = (i + 1) & mask;
        }
    }
}

/// An incremental near-duplicate index: insert texts one by one (or in batches), get
/// back the earlier texts each one nearly duplicates.
#[derive(Debug, Clone)]
pub struct NearDupIndex {
    config: NearDupConfig,
    sketcher: Sketcher,
    bands: usize,
    rows: usize,
    ids: Vec<i64>,
    /// Text `t`'s shingles are `shingles[starts[t]..starts[t + 1]]`.
    shingles: Vec<u32>,
    starts: Vec<usize>,
    /// Band key (32 bits: two bands that collide only add candidates, all of which
    /// are checked) → the texts in that bucket.
    buckets: Buckets,
    /// The candidates of the text being inserted.
    candidates: Vec<u32>,
    /// Text `t`'s shingle bitmap: `bitmaps[t × BITMAP_WORDS..(t + 1) × BITMAP_WORDS]`.
    bitmaps: Vec<u64>,
    /// Per text, shingles minus bits set in its bitmap.
    lost: Vec<u32>,
    seen: Vec<u32>,
    stamp: u32,
    sketch: Sketch,
    scratch: Scratch,
    stats: NearDupStats,
}

/// What an index has done so far (for profiling).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NearDupStats {
    /// Bucket members looked at (a pair may be met in several bands).
    pub bucket_visits: u64,
    /// Distinct candidate pairs (sharing at least one band).
    pub candidates: u64,
    /// Candidates whose sizes allowed the threshold and were checked exactly.
    pub exact_checks: u64,
    /// Pairs at or above the threshold.
    pub pairs: u64,
}

impl NearDupIndex {
    /// An empty index.
    pub fn new(config: &NearDupConfig) -> Self {
        NearDupIndex {
            config: config.clone(),
            sketcher: Sketcher::new(config),
            bands: config.bands.max(1),
            rows: config.rows.max(1),
            ids: Vec::new(),
            shingles: Vec::new(),
            starts: vec![0],
            buckets: Buckets::default(),
            candidates: Vec::new(),
            bitmaps: Vec::new(),
            lost: Vec::new(),
            seen: Vec::new(),
            stamp: 0,
            sketch: Sketch::default(),
            scratch: Scratch::default(),
            stats: NearDupStats::default(),
        }
    }

    /// Makes room for `n` more texts of `bytes` bytes in all (an upper bound of
    /// their shingles).
    fn reserve(&mut self, n: usize, bytes: usize) {
        self.buckets.reserve((self.ids.len() + n) * self.bands);
        self.ids.reserve(n);
        self.starts.reserve(n);
        self.seen.reserve(n);
        self.lost.reserve(n);
        self.bitmaps.reserve(n * BITMAP_WORDS);
        self.shingles.reserve(bytes);
    }

    /// Counts of the work done so far.
    pub fn stats(&self) -> NearDupStats {
        self.stats
    }

    /// Number of texts inserted.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Inserts text `id` and returns the earlier texts at or above the threshold,
    /// sorted by id.
    pub fn insert(&mut self, id: i64, text: &str) -> Vec<DupPair> {
        let mut out = Vec::new();
        self.insert_text(id, text, &mut out);
        out
    }

    /// [`insert`](Self::insert) for a sketch made with the same config (so sketches
    /// can be computed in parallel by the caller).
    pub fn insert_sketch(&mut self, id: i64, sketch: Sketch) -> Vec<DupPair> {
        let mut out = Vec::new();
        self.insert_into(id, &sketch, &mut out);
        out
    }

    /// Sketches `text` with the index's buffers, then [`insert_into`](Self::insert_into).
    fn insert_text(&mut self, id: i64, text: &str, out: &mut Vec<DupPair>) {
        let mut sketch = std::mem::take(&mut self.sketch);
        self.sketcher
            .sketch_with(text, &mut sketch, &mut self.scratch);
        self.insert_into(id, &sketch, out);
        self.sketch = sketch;
    }

    /// Inserts and appends the pairs found (sorted by the earlier id) to `out`.
    fn insert_into(&mut self, id: i64, sketch: &Sketch, out: &mut Vec<DupPair>) {
        let me = self.ids.len();
        let first_out = out.len();
        let (bands, rows) = (self.bands, self.rows);
        let usable = sketch.signature.len() == bands * rows
            && !sketch.shingles.is_empty()
            && me < (LIST - 1) as usize
            && self.buckets.lists.len() + bands < (LIST - 1) as usize;
        if !usable {
            // Nothing to compare (an empty text is nobody's duplicate), or a sketch
            // of another config, or more texts than the buckets can number.
            self.ids.push(id);
            self.starts.push(self.shingles.len());
            self.bitmaps.extend([0; BITMAP_WORDS]);
            self.lost.push(0);
            self.seen.push(0);
            return;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        let cap = self.config.max_bucket_checks;
        let mine = &sketch.shingles;
        let words = me * BITMAP_WORDS..(me + 1) * BITMAP_WORDS;
        self.bitmaps.resize(words.end, 0);
        bitmap(mine, &mut self.bitmaps[words.clone()]);
        let my_bits = &self.bitmaps[words];
        let my_lost = mine.len() - shared_bits(my_bits, my_bits);
        self.lost.push(my_lost as u32);
        let threshold = self.config.threshold;
        // Marked as seen: two of its own bands whose 32-bit keys collide must not
        // make it its own candidate.
        self.seen.push(self.stamp);
        // First every band's bucket: the earlier members not met in another band
        // (at most `cap` per bucket, the most recent), then their checks, whose
        // memory accesses do not depend on each other.
        self.candidates.clear();
        for (band, values) in sketch.signature.chunks_exact(rows).enumerate() {
            let mut key = (band as u64 + 1).wrapping_mul(POLY);
            for &v in values {
                key = mix64(key ^ v);
            }
            let earlier = self.buckets.add(key as u32, me as u32);
            let looked = if cap == 0 {
                earlier.len()
            } else {
                earlier.len().min(cap)
            };
            self.stats.bucket_visits += looked as u64;
            for &o in earlier[earlier.len() - looked..].iter().rev() {
                let seen = &mut self.seen[o as usize];
                if *seen != self.stamp {
                    *seen = self.stamp;
                    self.candidates.push(o);
                }
            }
        }
        self.stats.candidates += self.candidates.len() as u64;
        for &o in &self.candidates {
            let o = o as usize;
            let theirs = &self.shingles[self.starts[o]..self.starts[o + 1]];
            let (small, large) = if mine.len() < theirs.len() {
                (mine.len(), theirs.len())
            } else {
                (theirs.len(), mine.len())
            };
            // J ≤ |small| / |large|.
            if (small as f64) < threshold * large as f64 {
                continue;
            }
            // The bitmaps bound the shared shingles from above: if even that
            // bound stays below the threshold, so does J.
            let bound = shared_bits(
                my_bits,
                &self.bitmaps[o * BITMAP_WORDS..(o + 1) * BITMAP_WORDS],
            ) + my_lost.min(self.lost[o] as usize);
            let sum = mine.len() + theirs.len();
            if (bound as f64) < threshold * (sum - bound.min(sum)) as f64 {
                continue;
            }
            self.stats.exact_checks += 1;
            let c = common(mine, theirs);
            let j = c as f64 / (mine.len() + theirs.len() - c) as f64;
            if j >= threshold {
                self.stats.pairs += 1;
                out.push(DupPair {
                    a: self.ids[o],
                    b: id,
                    jaccard: j,
                });
            }
        }
        self.ids.push(id);
        self.shingles.extend_from_slice(mine);
        self.starts.push(self.shingles.len());
        out[first_out..].sort_by_key(|p| p.a);
    }
}

/// Every near-duplicate pair among `texts` (`(id, text)`), each pair once with
/// `a < b`, sorted; the result does not depend on the input order.
pub fn near_duplicates(texts: &[(i64, &str)], config: &NearDupConfig) -> Vec<DupPair> {
    let mut sorted: Vec<&(i64, &str)> = texts.iter().collect();
    sorted.sort_by_key(|(id, _)| *id);
    let mut index = NearDupIndex::new(config);
    index.reserve(texts.len(), texts.iter().map(|(_, t)| t.len()).sum());
    let mut out = Vec::new();
    for (id, text) in sorted {
        index.insert_text(*id, text, &mut out);
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

#[cfg(test)]
mod tests;
