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

use crate::text::{for_each_normalised, mix64};

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

/// The shingle set of a text: sorted, unique 32-bit hashes (for the exact check) and
/// the MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sketch {
    /// Sorted, unique shingle hashes.
    pub shingles: Vec<u32>,
    /// The MinHash signature (`bands × rows` values), empty for a text without
    /// shingles.
    pub signature: Vec<u64>,
}

/// Sketches texts (the same config gives the same sketches).
#[derive(Debug, Clone)]
pub struct Sketcher {
    k: usize,
    bins: usize,
}

/// A bin that no shingle fell into.
const EMPTY: u64 = u64::MAX;
/// Odd multiplier of the polynomial shingle hash.
const POLY: u64 = 0x9E37_79B9_7F4A_7C15;

/// `x` mapped onto `0..n` by its high bits (Lemire's multiply-shift).
fn fast_range(x: u64, n: usize) -> usize {
    ((u128::from(x) * n as u128) >> 64) as usize
}

impl Sketcher {
    /// A sketcher for `config`.
    pub fn new(config: &NearDupConfig) -> Self {
        Sketcher {
            k: config.shingle_chars.max(1),
            bins: config.bands.max(1) * config.rows.max(1),
        }
    }

    /// The sketch of `text`.
    pub fn sketch(&self, text: &str) -> Sketch {
        let mut out = Sketch::default();
        self.sketch_into(text, &mut out);
        out
    }

    /// [`sketch`](Self::sketch) into `out`, reusing its buffers.
    pub fn sketch_into(&self, text: &str, out: &mut Sketch) {
        self.sketch_with(text, out, &mut Scratch::default());
    }

    /// [`sketch_into`](Self::sketch_into) with work buffers kept by the caller.
    fn sketch_with(&self, text: &str, out: &mut Sketch, scratch: &mut Scratch) {
        let set = &mut out.shingles;
        let sig = &mut out.signature;
        set.clear();
        sig.clear();
        // The normalised characters first; each shingle's hash then overwrites the
        // first character of its window, which no later window needs.
        for_each_normalised(text, |c| set.push(u32::from(c)));
        if set.is_empty() {
            return;
        }
        sig.resize(self.bins, EMPTY);
        let windows = set.len().saturating_sub(self.k) + 1;
        let k = self.k.min(set.len());
        // A polynomial hash of each window, rolled on: remove the character that
        // leaves (its weight is POLY^(k-1)), shift, add the one that enters.
        let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(POLY));
        let mut h = set[..k].iter().fold(0u64, |h, &c| {
            h.wrapping_mul(POLY).wrapping_add(u64::from(c) + 1)
        });
        let bins = self.bins;
        for i in 0..windows {
            let mixed = mix64(h);
            let bin = fast_range(mixed, bins);
            if let Some(slot) = sig.get_mut(bin) {
                *slot = (*slot).min(mixed);
            }
            let (leaving, entering) = (set[i], set.get(i + k).copied());
            set[i] = mixed as u32;
            if let Some(e) = entering {
                h = h
                    .wrapping_sub((u64::from(leaving) + 1).wrapping_mul(top))
                    .wrapping_mul(POLY)
                    .wrapping_add(u64::from(e) + 1);
            }
        }
        set.truncate(windows);
        sort_unique(set, scratch);
        densify(sig);
    }
}

/// Work buffers for sketching.
#[derive(Debug, Clone, Default)]
struct Scratch {
    buf: Vec<u32>,
    counts: Vec<u32>,
}

/// Sorts `set` (uniformly spread hashes) and drops repeats: a counting pass spreads
/// the values into about twice as many buckets as values by their high bits, then an
/// insertion sort fixes the order inside the (small) buckets.
fn sort_unique(set: &mut Vec<u32>, scratch: &mut Scratch) {
    let n = set.len();
    if n < 64 {
        set.sort_unstable();
        set.dedup();
        return;
    }
    // About two buckets per value: few values to move in the insertion sort.
    let bits = usize::BITS - (n - 1).leading_zeros() + 1;
    let shift = 32 - bits;
    let counts = &mut scratch.counts;
    counts.clear();
    counts.resize((1 << bits) + 1, 0);
    for &x in set.iter() {
        counts[(x >> shift) as usize + 1] += 1;
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let buf = &mut scratch.buf;
    buf.clear();
    buf.resize(n, 0);
    for &x in set.iter() {
        let b = &mut counts[(x >> shift) as usize];
        buf[*b as usize] = x;
        *b += 1;
    }
    for i in 1..n {
        let x = buf[i];
        let mut j = i;
        while j > 0 && buf[j - 1] > x {
            buf[j] = buf[j - 1];
            j -= 1;
        }
        buf[j] = x;
    }
    std::mem::swap(set, buf);
    set.dedup();
}

/// Fills each empty bin with the value of the first originally non-empty bin in a
/// fixed pseudo-random sequence of bins that depends only on the empty bin's number.
fn densify(sig: &mut [u64]) {
    let n = sig.len();
    // Which bins were filled by shingles (on the stack up to 1,024 bins).
    let words = n.div_ceil(64);
    let mut stack = [0u64; 16];
    let mut heap = Vec::new();
    let filled: &mut [u64] = if words <= stack.len() {
        &mut stack[..words]
    } else {
        heap.resize(words, 0);
        &mut heap
    };
    let mut count = 0;
    for (i, &v) in sig.iter().enumerate() {
        if v != EMPTY {
            filled[i / 64] |= 1 << (i % 64);
            count += 1;
        }
    }
    if count == n || count == 0 {
        return;
    }
    let is_filled = |j: usize| filled[j / 64] >> (j % 64) & 1 == 1;
    for i in 0..n {
        if is_filled(i) {
            continue;
        }
        let mut attempt: u64 = 0;
        let source = loop {
            attempt += 1;
            let j = fast_range(
                mix64(((i as u64) << 32) ^ attempt ^ 0xD1B5_4A32_D192_ED03),
                n,
            );
            if is_filled(j) {
                break j;
            }
            if attempt >= 64 {
                // Very few shingles: walk on from the last bin tried (still a
                // function of the set alone).
                let mut j = j;
                while !is_filled(j) {
                    j = (j + 1) % n;
                }
                break j;
            }
        };
        sig[i] = sig[source];
    }
}

/// Number of values two sorted, unique slices share: a merge that compares blocks of
/// four against four (sixteen comparisons without branches, which the compiler turns
/// into a few vector instructions) and advances the block with the smaller last
/// value, then a plain merge of what is left. Each pair of blocks meets at most once
/// and an equal pair always meets, so every shared value is counted exactly once.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i + 4 <= a.len() && j + 4 <= b.len() {
        let (x, y) = (&a[i..i + 4], &b[j..j + 4]);
        for &p in x {
            c += y.iter().filter(|&&q| p == q).count();
        }
        let (xl, yl) = (x[3], y[3]);
        i += 4 * usize::from(xl <= yl);
        j += 4 * usize::from(yl <= xl);
    }
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        c += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    c
}

/// Words of a shingle bitmap: 2,048 bits.
const BITMAP_WORDS: usize = 32;

/// Sets, for each shingle, the bit its hash's 11 high bits name.
fn bitmap(shingles: &[u32], out: &mut [u64]) {
    out.fill(0);
    for &h in shingles {
        let bit = (h >> 21) as usize;
        out[bit / 64] |= 1 << (bit % 64);
    }
}

/// Bits set in both bitmaps. Every shingle two texts share sets the same bit in both,
/// so the shared shingles number at most these bits plus the shingles of either text
/// that landed on a bit already set by another of its own (see `lost`).
fn shared_bits(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as usize)
        .sum()
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
mod tests {
    use super::*;
    use crate::text::jaccard;
    use proptest::prelude::*;

    const AD: &str = "Urgent hiring! Customer service staff in Sihanoukville, salary 1500 USD, \
        free food and housing, visa provided. Contact @hr_golden_888 on Telegram now.";
    const KM: &str = "ក្រុមហ៊ុនកំពុងជ្រើសរើសបុគ្គលិកផ្នែកសេវាអតិថិជន ប្រាក់ខែខ្ពស់ មានកន្លែងស្នាក់នៅ ទាក់ទងតេឡេក្រាម";
    const TH: &str = "รับสมัครพนักงานบริการลูกค้า เงินเดือนสูง มีที่พักฟรี ติดต่อทางเทเลแกรม";
    const ABUSE: &str = "My brother is held in Bavet and they beat him every night.";

    /// A name, texts (ids 1, 2, …) and the pairs expected among them.
    type Case<'a> = (&'a str, &'a [&'a str], &'a [(i64, i64)]);

    /// The near-duplicate pairs among `texts` (ids 1, 2, …) are `expected`.
    fn check(name: &str, texts: &[&str], expected: &[(i64, i64)]) {
        let with_ids: Vec<(i64, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64 + 1, *t))
            .collect();
        let got: Vec<(i64, i64)> = near_duplicates(&with_ids, &NearDupConfig::default())
            .iter()
            .map(|p| (p.a, p.b))
            .collect();
        assert_eq!(got, expected, "{name}");
    }

    #[test]
    fn table() {
        let ad_edited = AD.replace("1500", "1800").replace("Urgent", "URGENT!!");
        let ad_reworded = AD.replace("free food and housing", "meals and a room");
        let ad_half = format!(
            "{} Bring your passport, we pay the bus from Phnom Penh.",
            &AD[..70]
        );
        let km_longer = format!("{KM} ឥឡូវនេះ");
        let th_edited = TH.replace("ฟรี", "");
        let cases: &[Case] = &[
            ("identical texts", &[AD, AD], &[(1, 2)]),
            (
                "case and punctuation only",
                &[AD, &AD.to_uppercase().replace(',', " ;")],
                &[(1, 2)],
            ),
            (
                "pasted ad with small edits",
                &[AD, &ad_edited, ABUSE],
                &[(1, 2)],
            ),
            ("reworded ad", &[&ad_reworded, ABUSE, AD], &[(1, 3)]),
            ("half of an ad is not a duplicate", &[AD, &ad_half], &[]),
            ("unrelated texts", &[AD, ABUSE, KM, TH], &[]),
            (
                "Khmer, written without spaces",
                &[KM, TH, &km_longer],
                &[(1, 3)],
            ),
            ("Thai with a word dropped", &[&th_edited, KM, TH], &[(1, 3)]),
            (
                "three copies",
                &[AD, ABUSE, AD, &ad_edited],
                &[(1, 3), (1, 4), (3, 4)],
            ),
            ("empty and punctuation only", &["", " !", "", "?!"], &[]),
            ("tiny texts", &["ab", "cd", "x"], &[]),
        ];
        for (name, texts, expected) in cases {
            check(name, texts, expected);
        }
    }

    #[test]
    fn pairs_are_exact_and_order_free() {
        let edited = AD.replace("free food", "meals");
        let texts = [
            (5, AD),
            (2, edited.as_str()),
            (9, "unrelated short text here"),
        ];
        let mut rev = texts;
        rev.reverse();
        let a = near_duplicates(&texts, &NearDupConfig::default());
        assert_eq!(a.len(), 1);
        assert_eq!(a, near_duplicates(&rev, &NearDupConfig::default()));
        let s = Sketcher::new(&NearDupConfig::default());
        let j = jaccard(&s.sketch(AD).shingles, &s.sketch(&edited).shingles);
        assert_eq!((a[0].a, a[0].b, a[0].jaccard), (2, 5, j));
    }

    #[test]
    fn incremental_index_agrees_with_the_batch() {
        let edited = AD.replace("1500", "2000");
        let texts = [(1, AD), (2, ABUSE), (3, edited.as_str()), (4, AD), (5, "")];
        let mut index = NearDupIndex::new(&NearDupConfig::default());
        let mut incremental = Vec::new();
        for (id, t) in texts {
            incremental.extend(index.insert(id, t));
        }
        incremental.sort_by_key(|p| (p.a, p.b));
        assert_eq!(
            incremental,
            near_duplicates(&texts, &NearDupConfig::default())
        );
        assert_eq!(index.len(), 5);
        assert_eq!(index.stats().pairs, 3);
    }

    #[test]
    fn sketches_are_deterministic_and_sized() {
        let config = NearDupConfig::default();
        let a = Sketcher::new(&config).sketch(AD);
        assert_eq!(a, Sketcher::new(&config).sketch(AD));
        assert_eq!(a.signature.len(), config.bands * config.rows);
        assert!(a.signature.iter().all(|&v| v != EMPTY));
        assert!(a.shingles.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Sketcher::new(&config).sketch(" .,"), Sketch::default());
    }

    #[test]
    fn buckets_list_earlier_members_through_growth() {
        let mut buckets = Buckets::default();
        for text in 0..5000u32 {
            // 1,000 keys, some sharing their low bits (the probe start).
            let key = (text % 1000) << 20 | (text % 1000 % 7);
            let expected: Vec<u32> = (0..text / 1000).map(|k| k * 1000 + text % 1000).collect();
            assert_eq!(buckets.add(key, text), expected.as_slice());
        }
        assert_eq!((buckets.len, buckets.lists.len()), (1000, 1000));
    }

    proptest! {
        #[test]
        fn block_merge_counts_shared_values(
            a in proptest::collection::btree_set(0u32..400, 0..120),
            b in proptest::collection::btree_set(0u32..400, 0..120),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let naive = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            prop_assert_eq!(common(&a, &b), naive);
            prop_assert_eq!(common(&b, &a), naive);
        }

        #[test]
        fn sort_unique_sorts(mut v in proptest::collection::vec(any::<u32>(), 0..600), dup in 0usize..50) {
            let extra: Vec<u32> = v.iter().take(dup).copied().collect();
            v.extend(extra);
            let mut expected = v.clone();
            expected.sort_unstable();
            expected.dedup();
            sort_unique(&mut v, &mut Scratch::default());
            prop_assert_eq!(v, expected);
        }

        #[test]
        fn bitmap_bound_never_undercounts(
            a in proptest::collection::btree_set(any::<u32>(), 0..3000),
            b in proptest::collection::btree_set(any::<u32>(), 0..3000),
            shared in proptest::collection::btree_set(any::<u32>(), 0..1000),
        ) {
            let a: Vec<u32> = a.union(&shared).copied().collect();
            let b: Vec<u32> = b.union(&shared).copied().collect();
            let (mut ba, mut bb) = ([0u64; BITMAP_WORDS], [0u64; BITMAP_WORDS]);
            bitmap(&a, &mut ba);
            bitmap(&b, &mut bb);
            let lost = (a.len() - shared_bits(&ba, &ba)).min(b.len() - shared_bits(&bb, &bb));
            prop_assert!(shared_bits(&ba, &bb) + lost >= common(&a, &b));
        }

        #[test]
        fn result_does_not_depend_on_input_order(
            picks in proptest::collection::vec((0usize..4, 0usize..60), 1..12),
            rotate in 0usize..12,
        ) {
            let bases = [AD, ABUSE, KM, TH];
            let texts: Vec<String> = picks
                .iter()
                .map(|&(b, cut)| {
                    let t = bases[b];
                    let cut = t.char_indices().nth(cut).map_or(t.len(), |(i, _)| i);
                    format!("{}{}", &t[cut..], &t[..cut])
                })
                .collect();
            let items: Vec<(i64, &str)> =
                texts.iter().enumerate().map(|(i, t)| (i as i64 * 7 + 3, t.as_str())).collect();
            let mut rotated = items.clone();
            rotated.rotate_left(rotate % items.len());
            let config = NearDupConfig::default();
            let got = near_duplicates(&items, &config);
            prop_assert_eq!(&got, &near_duplicates(&rotated, &config));
            let s = Sketcher::new(&config);
            for p in &got {
                prop_assert!(p.a < p.b && p.jaccard >= config.threshold);
                let ta = items.iter().find(|(id, _)| *id == p.a).map(|x| x.1).unwrap_or("");
                let tb = items.iter().find(|(id, _)| *id == p.b).map(|x| x.1).unwrap_or("");
                prop_assert_eq!(p.jaccard, jaccard(&s.sketch(ta).shingles, &s.sketch(tb).shingles));
            }
        }
    }
}
