//! Tampering with the audit chain, against the core verifier over an
//! in-memory chain: random single edits of every field, deletions and
//! truncations, each found and named; and the attack that passed before
//! (entries deleted and the hashes recomputed without the key) refused.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Mutex;

use time::OffsetDateTime;
use vigil_core::audit::{AnchorBreak, Anchored, AuditReport, verify};
use vigil_core::keys::Keys;
use vigil_domain::AuditAction;
use vigil_domain::audit::{
    Anchor, AuditEntry, ChainBreak, ChainHead, NewAuditEntry, chain, unkeyed_hash,
};
use vigil_store::{AuditStore, StoreError};

/// The chain as a table ordered by `seq` (as every backend reads it).
struct Mem(Mutex<Vec<AuditEntry>>);

impl Mem {
    fn new(mut entries: Vec<AuditEntry>) -> Mem {
        entries.sort_by_key(|e| e.seq);
        Mem(Mutex::new(entries))
    }
}

#[async_trait::async_trait]
impl AuditStore for Mem {
    async fn append_audit(&self, _: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        Err(StoreError::Other("read-only".into()))
    }
    async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let v = self.0.lock().unwrap();
        Ok(v.iter()
            .filter(|e| e.seq > after)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .cloned()
            .collect())
    }
    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError> {
        Ok(self.0.lock().unwrap().last().map(AuditEntry::head))
    }
    async fn claim_meta(&self, _: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        Ok(value.to_vec())
    }
}

/// A small seeded generator (splitmix64): the same cases on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn text(&mut self) -> String {
        format!("{:x}", self.next())
    }
}

const ENTRIES: usize = 120;
/// Entries before this one carry the unkeyed hash (a chain upgraded from a
/// version that did not key it).
const KEYED_FROM: i64 = 31;

fn keys() -> Keys {
    Keys::ephemeral()
        .expect("keys")
        .with_audit_keyed_from(KEYED_FROM)
}

/// A chain of `ENTRIES`, the first ones unkeyed as an older version wrote them.
fn sample(keys: &Keys, rng: &mut Rng) -> Vec<AuditEntry> {
    let key = keys.audit_key();
    let mut out: Vec<AuditEntry> = Vec::new();
    for i in 0..ENTRIES {
        let at = OffsetDateTime::from_unix_timestamp(1_764_000_000 + i as i64).expect("time");
        let entry = NewAuditEntry {
            actor: if i % 3 == 0 { "public" } else { "dara" }.into(),
            action: AuditAction::ALL[rng.below(AuditAction::ALL.len())],
            object: format!("tip:{}", rng.below(1000)),
            detail: rng.text(),
        };
        let mut e = chain(&key, out.last().map(AuditEntry::head).as_ref(), at, entry);
        if e.seq < KEYED_FROM {
            e.hash = unkeyed_hash(&e.prev_hash, e.seq, e.at_unix_nanos, &e.entry);
        }
        out.push(e);
    }
    out
}

fn expect_anchor(entries: &[AuditEntry]) -> Anchored {
    Anchored {
        anchor: Anchor::of(entries.last().map(AuditEntry::head).as_ref()),
        source: "--expect".into(),
    }
}

async fn report(keys: &Keys, entries: Vec<AuditEntry>, anchor: &Anchored) -> AuditReport {
    verify(
        &Mem::new(entries),
        keys,
        std::slice::from_ref(anchor),
        |_| {},
    )
    .await
    .expect("verify")
}

fn other_hex(rng: &mut Rng) -> String {
    (0..4).map(|_| format!("{:016x}", rng.next())).collect()
}

#[tokio::test]
async fn a_thousand_random_edits_deletions_and_truncations_are_each_found_and_named() {
    let keys = keys();
    let mut rng = Rng(0x5eed_a0d1);
    let pristine = sample(&keys, &mut rng);
    let anchor = expect_anchor(&pristine);
    let whole = report(&keys, pristine.clone(), &anchor).await;
    assert!(whole.is_whole(), "{whole:?}");
    assert_eq!(whole.unkeyed, (KEYED_FROM - 1) as u64);
    let n = pristine.len() as i64;

    let mut kinds = [0usize; 8];
    for case in 0..1000 {
        let mut v = pristine.clone();
        let i = rng.below(v.len());
        let k = v[i].seq;
        let field = rng.below(8);
        kinds[field] += 1;
        let expected = match field {
            0 => {
                v[i].entry.actor.push('x');
                Some(ChainBreak::HashMismatch { seq: k })
            }
            1 => {
                let now = v[i].entry.action;
                let others: Vec<_> = AuditAction::ALL.iter().filter(|a| **a != now).collect();
                v[i].entry.action = *others[rng.below(others.len())];
                Some(ChainBreak::HashMismatch { seq: k })
            }
            2 => {
                v[i].entry.object = format!("tip:{}", 1000 + rng.below(1000));
                Some(ChainBreak::HashMismatch { seq: k })
            }
            3 => {
                v[i].entry.detail = rng.text();
                Some(ChainBreak::HashMismatch { seq: k })
            }
            4 => {
                v[i].at_unix_nanos += 1 + rng.below(1_000_000) as i64;
                Some(ChainBreak::HashMismatch { seq: k })
            }
            5 => {
                // A free number (the column is the table's key): past the
                // end or before the start.
                let to = if rng.below(2) == 0 {
                    n + 1 + rng.below(1000) as i64
                } else {
                    -(rng.below(1000) as i64)
                };
                v[i].seq = to;
                // The walk reads entries from 1 on: either way the entry is
                // missing from its place.
                if k < n {
                    Some(ChainBreak::Gap {
                        seq: k + 1,
                        expected: k,
                    })
                } else if to > n {
                    Some(ChainBreak::Gap {
                        seq: to,
                        expected: k,
                    })
                } else {
                    // The last entry moved before the start: a truncation.
                    None
                }
            }
            6 => {
                v[i].prev_hash = other_hex(&mut rng);
                Some(ChainBreak::BadLink {
                    seq: k,
                    prev_seq: k - 1,
                })
            }
            _ => {
                v[i].hash = other_hex(&mut rng);
                Some(ChainBreak::HashMismatch { seq: k })
            }
        };
        let r = report(&keys, v, &anchor).await;
        assert_eq!(
            r.broken, expected,
            "case {case}: field {field} of entry {k}"
        );
        if expected.is_none() {
            assert_eq!(
                r.anchor,
                Some(AnchorBreak::Truncated {
                    from: "--expect".into(),
                    count: n,
                    found: n - 1
                })
            );
        }
        assert!(!r.is_whole());
    }
    assert!(
        kinds.iter().all(|&c| c > 80),
        "every field edited: {kinds:?}"
    );

    for case in 0..300 {
        let mut v = pristine.clone();
        let i = rng.below(v.len());
        let k = v.remove(i).seq;
        let r = report(&keys, v, &anchor).await;
        if k < n {
            assert_eq!(
                r.broken,
                Some(ChainBreak::Gap {
                    seq: k + 1,
                    expected: k
                }),
                "deletion {case} of entry {k}"
            );
            assert_eq!(r.broken.as_ref().map(ChainBreak::seq), Some(k));
        } else {
            // The last entry removed is a truncation: the walk cannot see it,
            // the anchor does.
            assert_eq!(r.broken, None);
            assert_eq!(
                r.anchor,
                Some(AnchorBreak::Truncated {
                    from: "--expect".into(),
                    count: n,
                    found: n - 1
                })
            );
        }
    }

    for case in 0..300 {
        let mut v = pristine.clone();
        let keep = rng.below(v.len());
        v.truncate(keep);
        let plain = verify(&Mem::new(v.clone()), &keys, &[], |_| {})
            .await
            .expect("verify");
        assert!(
            plain.is_whole(),
            "a truncated chain walks whole without an anchor"
        );
        let r = report(&keys, v, &anchor).await;
        assert_eq!(r.broken, None, "truncation {case}");
        assert_eq!(
            r.anchor,
            Some(AnchorBreak::Truncated {
                from: "--expect".into(),
                count: n,
                found: keep as i64
            }),
            "truncation {case} to {keep}"
        );
        assert!(!r.is_whole());
    }
}

/// Recomputes every hash from `from` on without the key (renumbering the
/// entries after a deletion), as someone who can write the database but not
/// read the key file would.
fn recompute_unkeyed(v: &mut [AuditEntry], from: usize) {
    for i in from..v.len() {
        let prev = if i == 0 {
            vigil_domain::audit::GENESIS.to_string()
        } else {
            v[i - 1].hash.clone()
        };
        let e = &mut v[i];
        e.seq = i as i64 + 1;
        e.prev_hash = prev;
        e.hash = unkeyed_hash(&e.prev_hash, e.seq, e.at_unix_nanos, &e.entry);
    }
}

#[tokio::test]
async fn deleting_entries_and_recomputing_the_hashes_without_the_key_is_refused() {
    let keys = keys();
    let mut rng = Rng(7);
    let pristine = sample(&keys, &mut rng);
    for delete in [0usize, 10, 29, 30, 31, 60, ENTRIES - 2] {
        let mut v = pristine.clone();
        v.remove(delete);
        recompute_unkeyed(&mut v, delete);
        let r = verify(&Mem::new(v), &keys, &[], |_| {})
            .await
            .expect("verify");
        // The first keyed position now holds an unkeyed hash.
        assert_eq!(
            r.broken,
            Some(ChainBreak::Unkeyed {
                seq: KEYED_FROM.max(delete as i64 + 1),
                keyed_from: KEYED_FROM
            }),
            "entry {} deleted",
            delete + 1
        );
    }
    // Recomputing only the unkeyed part after a deletion there leaves a gap
    // before the first keyed entry, which seals its own number and its
    // predecessor's hash.
    let mut v = pristine.clone();
    v.remove(5);
    let keyed: Vec<AuditEntry> = v.split_off(KEYED_FROM as usize - 2);
    recompute_unkeyed(&mut v, 5);
    v.extend(keyed);
    let r = verify(&Mem::new(v), &keys, &[], |_| {})
        .await
        .expect("verify");
    assert_eq!(
        r.broken,
        Some(ChainBreak::Gap {
            seq: KEYED_FROM,
            expected: KEYED_FROM - 1
        })
    );
}

#[tokio::test]
async fn a_rewrite_at_the_anchor_is_named_even_by_a_key_holder() {
    // Someone holding the key file rewrites the chain from entry 50 on: it
    // walks whole, but no longer holds the recorded head.
    let keys = keys();
    let mut rng = Rng(11);
    let pristine = sample(&keys, &mut rng);
    let anchor = expect_anchor(&pristine);
    let key = keys.audit_key();
    let mut v: Vec<AuditEntry> = pristine[..49].to_vec();
    for e in &pristine[49..] {
        let mut changed = e.entry.clone();
        changed.detail = "rewritten".into();
        let at =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.at_unix_nanos)).expect("time");
        v.push(chain(
            &key,
            v.last().map(AuditEntry::head).as_ref(),
            at,
            changed,
        ));
    }
    let r = report(&keys, v, &anchor).await;
    assert_eq!(r.broken, None);
    assert_eq!(
        r.anchor,
        Some(AnchorBreak::Rewritten {
            from: "--expect".into(),
            seq: ENTRIES as i64
        })
    );
}
