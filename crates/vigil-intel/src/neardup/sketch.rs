//! Sketching a text: its sorted shingle hashes and MinHash signature, and the
//! set operations the exact check uses (shared values, shingle bitmaps).

use super::NearDupConfig;
use crate::text::{for_each_normalised, mix64};

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
pub(super) const EMPTY: u64 = u64::MAX;
/// Odd multiplier of the polynomial shingle hash.
pub(super) const POLY: u64 = 0x9E37_79B9_7F4A_7C15;

/// `x` mapped onto `0..n` by its high bits (Lemire's multiply-shift).
pub(super) fn fast_range(x: u64, n: usize) -> usize {
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
    pub(super) fn sketch_with(&self, text: &str, out: &mut Sketch, scratch: &mut Scratch) {
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
pub(super) struct Scratch {
    buf: Vec<u32>,
    counts: Vec<u32>,
}

/// Sorts `set` (uniformly spread hashes) and drops repeats: a counting pass spreads
/// the values into about twice as many buckets as values by their high bits, then an
/// insertion sort fixes the order inside the (small) buckets.
pub(super) fn sort_unique(set: &mut Vec<u32>, scratch: &mut Scratch) {
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
pub(super) fn densify(sig: &mut [u64]) {
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
pub(super) fn common(a: &[u32], b: &[u32]) -> usize {
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
pub(super) const BITMAP_WORDS: usize = 32;

/// Sets, for each shingle, the bit its hash's 11 high bits name.
pub(super) fn bitmap(shingles: &[u32], out: &mut [u64]) {
    out.fill(0);
    for &h in shingles {
        let bit = (h >> 21) as usize;
        out[bit / 64] |= 1 << (bit % 64);
    }
}

/// Bits set in both bitmaps. Every shingle two texts share sets the same bit in both,
/// so the shared shingles number at most these bits plus the shingles of either text
/// that landed on a bit already set by another of its own (see `lost`).
pub(super) fn shared_bits(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as usize)
        .sum()
}
