//! Near-duplicate texts (a job ad pasted many times with small edits) by MinHash and
//! locality-sensitive hashing over character shingles.
//!
//! A text is normalised ([`crate::text::normalise`]), cut into overlapping shingles of
//! `shingle_chars` characters (spaces included), so Khmer and Thai, written without
//! spaces, are handled like any other script. Each shingle is hashed once; a signature
//! keeps, for each of `bands × rows` cheap permutations (`x·a + b` over 64 bits, odd
//! `a`), the smallest permuted hash. Texts whose signatures agree on all rows of at
//! least one band become candidates, and every candidate is then checked exactly
//! (Jaccard of the two shingle sets), so a reported pair is never a false positive of
//! the sketch. With the defaults (21 bands of 3 rows) a pair at Jaccard 0.5 becomes a
//! candidate with probability 1 − (1 − 0.5³)²¹ ≈ 0.94.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::text::{jaccard, mix64, normalise};

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
    /// Candidates checked per bucket at most (the most recent ones), bounding the work
    /// on very common boiler-plate; 0 means no bound.
    pub max_bucket_checks: usize,
}

impl Default for NearDupConfig {
    fn default() -> Self {
        NearDupConfig {
            shingle_chars: 4,
            bands: 21,
            rows: 3,
            threshold: 0.5,
            max_bucket_checks: 0,
        }
    }
}

/// The shingle set of a text: sorted, unique 32-bit hashes (for the exact check) and
/// the MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// Sorted, unique shingle hashes.
    pub shingles: Vec<u32>,
    /// The MinHash signature (`bands × rows` values).
    pub signature: Vec<u64>,
}

/// Sketches texts with fixed permutations (the same config gives the same sketches).
#[derive(Debug, Clone)]
pub struct Sketcher {
    k: usize,
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Sketcher {
    /// A sketcher for `config`.
    pub fn new(config: &NearDupConfig) -> Self {
        let n = config.bands.max(1) * config.rows.max(1);
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix64(state)
        };
        let a = (0..n).map(|_| next() | 1).collect();
        let b = (0..n).map(|_| next()).collect();
        Sketcher {
            k: config.shingle_chars.max(1),
            a,
            b,
        }
    }

    /// The sketch of `text`.
    pub fn sketch(&self, text: &str) -> Sketch {
        let norm = normalise(text);
        let chars: Vec<u32> = norm.chars().map(u32::from).collect();
        let mut hashes: Vec<u64> = Vec::with_capacity(chars.len());
        if chars.len() <= self.k {
            if !chars.is_empty() {
                hashes.push(hash_window(&chars));
            }
        } else {
            hashes.extend(chars.windows(self.k).map(hash_window));
        }
        hashes.sort_unstable();
        hashes.dedup();
        let mut signature = vec![u64::MAX; self.a.len()];
        for &x in &hashes {
            for ((s, &a), &b) in signature.iter_mut().zip(&self.a).zip(&self.b) {
                let v = x.wrapping_mul(a).wrapping_add(b);
                if v < *s {
                    *s = v;
                }
            }
        }
        let mut shingles: Vec<u32> = hashes.iter().map(|&h| (h >> 32) as u32).collect();
        shingles.sort_unstable();
        shingles.dedup();
        Sketch {
            shingles,
            signature,
        }
    }
}

fn hash_window(w: &[u32]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &c in w {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01B3_u64 | 0x9E37_0000_0000_0000);
    }
    mix64(h)
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

/// An incremental near-duplicate index: insert texts one by one (or in batches), get
/// back the earlier texts each one nearly duplicates.
#[derive(Debug, Clone)]
pub struct NearDupIndex {
    config: NearDupConfig,
    sketcher: Sketcher,
    ids: Vec<i64>,
    shingles: Vec<Vec<u32>>,
    buckets: Vec<FxHashMap<u64, Vec<u32>>>,
    seen: Vec<u32>,
    stamp: u32,
}

impl NearDupIndex {
    /// An empty index.
    pub fn new(config: &NearDupConfig) -> Self {
        NearDupIndex {
            config: config.clone(),
            sketcher: Sketcher::new(config),
            ids: Vec::new(),
            shingles: Vec::new(),
            buckets: vec![FxHashMap::default(); config.bands.max(1)],
            seen: Vec::new(),
            stamp: 0,
        }
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
        let sketch = self.sketcher.sketch(text);
        self.insert_sketch(id, sketch)
    }

    /// [`insert`](Self::insert) for a sketch made with the same config (so sketches
    /// can be computed in parallel by the caller).
    pub fn insert_sketch(&mut self, id: i64, sketch: Sketch) -> Vec<DupPair> {
        let me = self.ids.len() as u32;
        if sketch.shingles.is_empty() {
            // Nothing to compare: an empty text is nobody's duplicate.
            self.ids.push(id);
            self.shingles.push(Vec::new());
            self.seen.push(0);
            return Vec::new();
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        let rows = self.config.rows.max(1);
        let cap = self.config.max_bucket_checks;
        let mut out = Vec::new();
        for (band, bucket_map) in self.buckets.iter_mut().enumerate() {
            let Some(values) = sketch.signature.get(band * rows..(band + 1) * rows) else {
                continue;
            };
            let mut key = band as u64;
            for &v in values {
                key = mix64(key ^ v);
            }
            let bucket = bucket_map.entry(key).or_default();
            let start = if cap > 0 {
                bucket.len().saturating_sub(cap)
            } else {
                0
            };
            for &other in &bucket[start..] {
                let o = other as usize;
                if self.seen[o] == self.stamp {
                    continue;
                }
                self.seen[o] = self.stamp;
                let j = jaccard(&sketch.shingles, &self.shingles[o]);
                if j >= self.config.threshold {
                    out.push(DupPair {
                        a: self.ids[o],
                        b: id,
                        jaccard: j,
                    });
                }
            }
            bucket.push(me);
        }
        self.ids.push(id);
        self.shingles.push(sketch.shingles);
        self.seen.push(0);
        out.sort_by_key(|p| p.a);
        out
    }
}

/// Every near-duplicate pair among `texts` (`(id, text)`), each pair once with
/// `a < b`, sorted; the result does not depend on the input order.
pub fn near_duplicates(texts: &[(i64, &str)], config: &NearDupConfig) -> Vec<DupPair> {
    let mut sorted: Vec<&(i64, &str)> = texts.iter().collect();
    sorted.sort_by_key(|(id, _)| *id);
    let mut index = NearDupIndex::new(config);
    let mut out = Vec::new();
    for (id, text) in sorted {
        out.extend(index.insert(*id, text));
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AD: &str = "Urgent hiring! Customer service staff in Sihanoukville, salary 1500 USD, \
        free food and housing, visa provided. Contact @hr_golden_888 on Telegram now.";

    fn pairs(texts: &[(i64, &str)]) -> Vec<(i64, i64)> {
        near_duplicates(texts, &NearDupConfig::default())
            .iter()
            .map(|p| (p.a, p.b))
            .collect()
    }

    #[test]
    fn pasted_ad_with_small_edits_is_found() {
        let edited = AD.replace("1500", "1800").replace("Urgent", "URGENT!!");
        let other = "My brother is held in Bavet and they beat him every night.";
        assert_eq!(pairs(&[(1, AD), (2, &edited), (3, other)]), vec![(1, 2)]);
    }

    #[test]
    fn unspaced_scripts() {
        let km = "ក្រុមហ៊ុនកំពុងជ្រើសរើសបុគ្គលិកផ្នែកសេវាអតិថិជន ប្រាក់ខែខ្ពស់ មានកន្លែងស្នាក់នៅ ទាក់ទងតេឡេក្រាម";
        let km2 = format!("{km} ឥឡូវនេះ");
        let th = "รับสมัครพนักงานบริการลูกค้า เงินเดือนสูง มีที่พักฟรี ติดต่อทางเทเลแกรม";
        let th2 = th.replace("ฟรี", "");
        assert_eq!(
            pairs(&[(1, km), (2, &km2), (3, th), (4, &th2)]),
            vec![(1, 2), (3, 4)]
        );
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
        assert_eq!(a, near_duplicates(&rev, &NearDupConfig::default()));
        let s = Sketcher::new(&NearDupConfig::default());
        for p in &a {
            assert!(p.a < p.b);
            let j = jaccard(&s.sketch(AD).shingles, &s.sketch(&edited).shingles);
            assert_eq!(p.jaccard, j);
        }
    }

    #[test]
    fn empty_and_tiny_texts() {
        assert_eq!(pairs(&[(1, ""), (2, " !")]), Vec::<(i64, i64)>::new());
        assert_eq!(pairs(&[(1, "ab"), (2, "cd")]), Vec::<(i64, i64)>::new());
    }
}
