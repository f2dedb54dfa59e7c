//! Blocking: each record gets several keys, and only records sharing a key are
//! compared. The keys are chosen so one typo, a missing field or swapped names lose
//! only some of them:
//!
//! 1. a name's transliteration key with the first letter of the other name's key —
//!    given and family under one tag, so swapped names still meet;
//! 2. the first four letters of each name key with the date of birth;
//! 3. each name key with the year of birth;
//! 4. the full date of birth with the first letter of a name key;
//! 5. each document number, the phone, each script name;
//! 6. the postcode with the house number, and the postcode with a name's initial.
//!
//! A key shared by more than `max_block` records is skipped (counted in the result)
//! so a common name cannot make the work quadratic; the other keys still apply.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use crate::compare::Prepared;

fn key(tag: u8, parts: &[&[u8]]) -> u64 {
    let mut h = FxHasher::default();
    tag.hash(&mut h);
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// The blocking keys of a prepared record.
pub(crate) fn keys(p: &Prepared) -> Vec<u64> {
    let mut out = Vec::with_capacity(16);
    let gk = p.given_key.as_bytes();
    let fk = p.family_key.as_bytes();
    let names: Vec<&[u8]> = [gk, fk].into_iter().filter(|k| !k.is_empty()).collect();
    let initial = |k: &[u8]| -> Vec<u8> { k.iter().take(1).copied().collect() };
    if !gk.is_empty() && !fk.is_empty() {
        out.push(key(1, &[gk, &initial(fk)]));
        out.push(key(1, &[fk, &initial(gk)]));
    } else if let Some(only) = names.first() {
        out.push(key(1, &[only]));
    }
    let dob = p.dob.filter(|d| !d.contains(&b'?'));
    for n in &names {
        if let Some(d) = &dob {
            out.push(key(2, &[&n[..n.len().min(4)], d]));
        }
        if let Some(d) = &p.dob
            && !d[..4].contains(&b'?')
        {
            out.push(key(3, &[n, &d[..4]]));
        }
    }
    if let Some(d) = &dob {
        for n in &names {
            out.push(key(4, &[d, &initial(n)]));
        }
        if names.is_empty() {
            out.push(key(4, &[d]));
        }
    }
    for d in &p.documents {
        out.push(key(5, &[d.as_bytes()]));
    }
    if let Some(ph) = &p.phone {
        out.push(key(6, &[ph.as_bytes()]));
    }
    for (s, _) in &p.scripts {
        out.push(key(7, &[s.as_bytes()]));
    }
    let postcode = p.address[4].as_bytes();
    if !postcode.is_empty() {
        if !p.address[0].is_empty() {
            out.push(key(8, &[postcode, p.address[0].as_bytes()]));
        }
        for n in &names {
            out.push(key(9, &[postcode, &initial(n)]));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Candidate pairs and what blocking skipped.
pub(crate) struct Candidates {
    /// Pairs `(a, b)` to compare, each once.
    pub pairs: Vec<(u32, u32)>,
    /// Keys skipped for being shared by more than `max_block` records.
    pub skipped_keys: usize,
}

/// Every (key, record) pair sorted by key: one allocation instead of one list per key.
fn index(keys: &[Vec<u64>]) -> Vec<(u64, u32)> {
    let mut entries: Vec<(u64, u32)> = keys
        .iter()
        .enumerate()
        // Record counts are far below u32::MAX (a person file, not a census).
        .flat_map(|(i, ks)| ks.iter().map(move |&k| (k, i as u32)))
        .collect();
    entries.sort_unstable();
    entries
}

/// The records sharing `key`, in index order.
fn block(index: &[(u64, u32)], key: u64) -> &[(u64, u32)] {
    let lo = index.partition_point(|e| e.0 < key);
    let len = index[lo..].partition_point(|e| e.0 == key);
    &index[lo..lo + len]
}

/// Pairs between two files.
pub(crate) fn between(a: &[Vec<u64>], b: &[Vec<u64>], max_block: usize) -> Candidates {
    let index = index(b);
    let mut seen = vec![u32::MAX; b.len()];
    let mut pairs = Vec::new();
    let mut skipped = rustc_hash::FxHashSet::default();
    for (i, ks) in a.iter().enumerate() {
        for &k in ks {
            let block = block(&index, k);
            if block.len() > max_block {
                skipped.insert(k);
                continue;
            }
            for &(_, j) in block {
                if seen[j as usize] != i as u32 {
                    seen[j as usize] = i as u32;
                    pairs.push((i as u32, j));
                }
            }
        }
    }
    Candidates {
        pairs,
        skipped_keys: skipped.len(),
    }
}

/// Pairs within one file, `a < b`.
pub(crate) fn within(records: &[Vec<u64>], max_block: usize) -> Candidates {
    let index = index(records);
    let mut seen = vec![u32::MAX; records.len()];
    let mut pairs = Vec::new();
    let mut skipped = 0;
    for (i, ks) in records.iter().enumerate() {
        for &k in ks {
            let block = block(&index, k);
            if block.len() > max_block {
                if block.first().map(|e| e.1) == Some(i as u32) {
                    skipped += 1;
                }
                continue;
            }
            for &(_, j) in block.iter().filter(|e| e.1 > i as u32) {
                if seen[j as usize] != i as u32 {
                    seen[j as usize] = i as u32;
                    pairs.push((i as u32, j));
                }
            }
        }
    }
    Candidates {
        pairs,
        skipped_keys: skipped,
    }
}
