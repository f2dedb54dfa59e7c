//! The audit chain: every entry carries the hash of the one before it, so any
//! edit, insertion or removal breaks the chain at that point. An entry's hash
//! is an HMAC-SHA-256 under the audit key, so only a holder of the key can
//! write a chain that verifies; entries written before the chain was keyed
//! carry a plain SHA-256 of the same encoding. Removing entries from the end
//! leaves a shorter chain that verifies: only an [`Anchor`] recorded elsewhere
//! shows it.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::vocab::AuditAction;

/// The hash that stands before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit entry before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// Who acted: `public`, `system`, `cli`, or a staff account name.
    pub actor: String,
    /// What was done; its name is what the chain hashes.
    pub action: AuditAction,
    /// What it was done to, e.g. `tip:42`.
    pub object: String,
    /// Extra detail (never personal data of a reporter).
    pub detail: String,
}

/// A chained audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When, as unix nanoseconds (exact, so hashing is stable on every backend).
    pub at_unix_nanos: i64,
    /// The entry's content.
    pub entry: NewAuditEntry,
    /// The previous entry's hash (or [`GENESIS`]).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where the chain stands: the last entry's position and hash, all a new
/// entry needs to follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The last entry's position.
    pub seq: i64,
    /// The last entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The chain's head once this entry is the last.
    pub fn head(&self) -> ChainHead {
        ChainHead {
            seq: self.seq,
            hash: self.hash.clone(),
        }
    }
}

/// The key that seals the chain's entries (32 secret bytes; its `Debug`
/// shows nothing of them).
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl AuditKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        AuditKey(bytes)
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// Feeds an entry's fields, each length-prefixed so that no two entries
/// share an encoding, to `update`.
fn encode(
    mut update: impl FnMut(&[u8]),
    prev_hash: &str,
    seq: i64,
    at_unix_nanos: i64,
    e: &NewAuditEntry,
) {
    for part in [
        prev_hash.as_bytes(),
        &seq.to_be_bytes(),
        &at_unix_nanos.to_be_bytes(),
        e.actor.as_bytes(),
        e.action.name().as_bytes(),
        e.object.as_bytes(),
        e.detail.as_bytes(),
    ] {
        update(&(part.len() as u64).to_be_bytes());
        update(part);
    }
}

/// The unkeyed hash (SHA-256) of an entry given the previous hash: what the
/// entries written before the chain was keyed carry.
pub fn unkeyed_hash(prev_hash: &str, seq: i64, at_unix_nanos: i64, e: &NewAuditEntry) -> String {
    let mut h = Sha256::new();
    encode(|b| h.update(b), prev_hash, seq, at_unix_nanos, e);
    hex::encode(h.finalize())
}

/// The keyed hash (HMAC-SHA-256 under `key`) of an entry given the previous
/// hash: what every entry appended now carries.
pub fn keyed_hash(
    key: &AuditKey,
    prev_hash: &str,
    seq: i64,
    at_unix_nanos: i64,
    e: &NewAuditEntry,
) -> String {
    // Proven invariant: HMAC accepts keys of any length.
    #[allow(clippy::expect_used)]
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&key.0).expect("HMAC takes any key");
    encode(|b| m.update(b), prev_hash, seq, at_unix_nanos, e);
    hex::encode(m.finalize().into_bytes())
}

/// Chains a new entry after `prev` (or after genesis), sealed with `key`.
pub fn chain(
    key: &AuditKey,
    prev: Option<&ChainHead>,
    at: OffsetDateTime,
    entry: NewAuditEntry,
) -> AuditEntry {
    let (seq, prev_hash) = match prev {
        Some(p) => (p.seq + 1, p.hash.clone()),
        None => (1, GENESIS.to_string()),
    };
    let at_unix_nanos = i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX);
    let hash = keyed_hash(key, &prev_hash, seq, at_unix_nanos, &entry);
    AuditEntry {
        seq,
        at_unix_nanos,
        entry,
        prev_hash,
        hash,
    }
}

/// How a chain is checked: the key, and the first entry that must be keyed.
/// Entries before it may carry the unkeyed hash the first versions wrote;
/// they are held in place by the first keyed entry, which seals its
/// predecessor's hash.
#[derive(Debug, Clone, Copy)]
pub struct Keying<'a> {
    /// The audit key.
    pub key: &'a AuditKey,
    /// The first entry that must carry a keyed hash (1: all of them).
    pub keyed_from: i64,
}

/// How a verified entry was sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed {
    /// With the audit key.
    Keyed,
    /// With the unkeyed hash, before the chain was keyed.
    Unkeyed,
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry's hash is not the hash of its content.
    #[error("entry {seq}: its hash does not match its content (edited)")]
    HashMismatch {
        /// The entry.
        seq: i64,
    },
    /// An entry carries the unkeyed hash where the chain is keyed: someone
    /// without the key recomputed it.
    #[error(
        "entry {seq}: it carries an unkeyed hash, but the chain is keyed from entry {keyed_from} (recomputed without the key)"
    )]
    Unkeyed {
        /// The entry.
        seq: i64,
        /// The first entry that must be keyed.
        keyed_from: i64,
    },
    /// An entry does not point at the previous entry's hash.
    #[error("entry {seq}: it does not follow entry {prev_seq}")]
    BadLink {
        /// The entry.
        seq: i64,
        /// The entry before it.
        prev_seq: i64,
    },
    /// A sequence number is missing.
    #[error("entry {seq}: expected entry {expected} here (entries missing)")]
    Gap {
        /// The entry found.
        seq: i64,
        /// The entry expected.
        expected: i64,
    },
}

impl ChainBreak {
    /// The entry where the chain breaks (for a gap, the one missing).
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::HashMismatch { seq }
            | ChainBreak::Unkeyed { seq, .. }
            | ChainBreak::BadLink { seq, .. } => *seq,
            ChainBreak::Gap { expected, .. } => *expected,
        }
    }
}

/// Checks one entry against the one before it; walk the chain with this.
pub fn verify_next(
    keying: Keying<'_>,
    prev: Option<&AuditEntry>,
    e: &AuditEntry,
) -> Result<Sealed, ChainBreak> {
    let (expected_seq, expected_prev) = match prev {
        Some(p) => (p.seq + 1, p.hash.as_str()),
        None => (1, GENESIS),
    };
    if e.seq != expected_seq {
        return Err(ChainBreak::Gap {
            seq: e.seq,
            expected: expected_seq,
        });
    }
    if e.prev_hash != expected_prev {
        return Err(ChainBreak::BadLink {
            seq: e.seq,
            prev_seq: expected_seq - 1,
        });
    }
    if keyed_hash(keying.key, &e.prev_hash, e.seq, e.at_unix_nanos, &e.entry) == e.hash {
        return Ok(Sealed::Keyed);
    }
    if unkeyed_hash(&e.prev_hash, e.seq, e.at_unix_nanos, &e.entry) == e.hash {
        if e.seq < keying.keyed_from {
            return Ok(Sealed::Unkeyed);
        }
        return Err(ChainBreak::Unkeyed {
            seq: e.seq,
            keyed_from: keying.keyed_from,
        });
    }
    Err(ChainBreak::HashMismatch { seq: e.seq })
}

/// A chain's head recorded elsewhere: the number of entries and the last
/// one's hash, written `COUNT:HASH`. A chain that verifies against it still
/// holds every entry up to `COUNT`, unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Entries in the chain when it was recorded.
    pub count: i64,
    /// The hash of entry `count` ([`GENESIS`] for an empty chain).
    pub hash: String,
}

impl Anchor {
    /// The anchor for a chain whose head is `head` (or that is empty).
    pub fn of(head: Option<&ChainHead>) -> Anchor {
        match head {
            Some(h) => Anchor {
                count: h.seq,
                hash: h.hash.clone(),
            },
            None => Anchor {
                count: 0,
                hash: GENESIS.to_string(),
            },
        }
    }

    /// Reads `COUNT:HASH`; `None` unless COUNT is a number from 0 and HASH
    /// 64 hex digits.
    pub fn parse(text: &str) -> Option<Anchor> {
        let (count, hash) = text.trim().split_once(':')?;
        let count: i64 = count.parse().ok()?;
        let hash = hash.to_ascii_lowercase();
        let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        (count >= 0 && hex).then_some(Anchor { count, hash })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.count, self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u32) -> NewAuditEntry {
        NewAuditEntry {
            actor: "public".into(),
            action: AuditAction::TipCreate,
            object: format!("tip:{n}"),
            detail: String::new(),
        }
    }

    fn key() -> AuditKey {
        AuditKey::from_bytes([7; 32])
    }

    fn keyed_chain(n: u32) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let head = out.last().map(AuditEntry::head);
            out.push(chain(
                &key(),
                head.as_ref(),
                OffsetDateTime::UNIX_EPOCH,
                entry(i),
            ));
        }
        out
    }

    fn walk(keying: Keying<'_>, entries: &[AuditEntry]) -> Result<Vec<Sealed>, ChainBreak> {
        let mut prev = None;
        let mut out = Vec::new();
        for e in entries {
            out.push(verify_next(keying, prev, e)?);
            prev = Some(e);
        }
        Ok(out)
    }

    #[test]
    fn a_whole_chain_verifies_and_any_edit_breaks_it() {
        let k = key();
        let keying = Keying {
            key: &k,
            keyed_from: 1,
        };
        let chain_v = keyed_chain(5);
        assert_eq!(walk(keying, &chain_v), Ok(vec![Sealed::Keyed; 5]));
        let mut edited = chain_v[2].clone();
        edited.entry.object = "tip:99".into();
        assert_eq!(
            verify_next(keying, Some(&chain_v[1]), &edited),
            Err(ChainBreak::HashMismatch { seq: 3 })
        );
        assert_eq!(
            verify_next(keying, Some(&chain_v[1]), &chain_v[3]),
            Err(ChainBreak::Gap {
                seq: 4,
                expected: 3
            })
        );
    }

    #[test]
    fn another_key_does_not_verify_the_chain() {
        let other = AuditKey::from_bytes([8; 32]);
        let keying = Keying {
            key: &other,
            keyed_from: 1,
        };
        assert_eq!(
            walk(keying, &keyed_chain(3)),
            Err(ChainBreak::HashMismatch { seq: 1 })
        );
    }

    /// An unkeyed chain recomputed by hand (what the first versions wrote,
    /// and what someone without the key can write).
    fn unkeyed_chain(n: u32) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let mut e = chain(
                &key(),
                out.last().map(AuditEntry::head).as_ref(),
                OffsetDateTime::UNIX_EPOCH,
                entry(i),
            );
            e.hash = unkeyed_hash(&e.prev_hash, e.seq, e.at_unix_nanos, &e.entry);
            out.push(e);
        }
        out
    }

    #[test]
    fn unkeyed_entries_verify_only_before_the_chain_was_keyed() {
        let k = key();
        let mut v = unkeyed_chain(3);
        for i in 3..5 {
            let head = v.last().map(AuditEntry::head);
            v.push(chain(
                &k,
                head.as_ref(),
                OffsetDateTime::UNIX_EPOCH,
                entry(i),
            ));
        }
        let upgraded = Keying {
            key: &k,
            keyed_from: 4,
        };
        assert_eq!(
            walk(upgraded, &v),
            Ok(vec![
                Sealed::Unkeyed,
                Sealed::Unkeyed,
                Sealed::Unkeyed,
                Sealed::Keyed,
                Sealed::Keyed
            ])
        );
        let strict = Keying {
            key: &k,
            keyed_from: 1,
        };
        assert_eq!(
            walk(strict, &v),
            Err(ChainBreak::Unkeyed {
                seq: 1,
                keyed_from: 1
            })
        );
        // Recomputing the whole chain without the key is refused where the
        // keyed entries were.
        assert_eq!(
            walk(upgraded, &unkeyed_chain(5)),
            Err(ChainBreak::Unkeyed {
                seq: 4,
                keyed_from: 4
            })
        );
    }

    #[test]
    fn anchors_read_back_what_they_write() {
        let head = keyed_chain(2)[1].head();
        let a = Anchor::of(Some(&head));
        assert_eq!(Anchor::parse(&a.to_string()), Some(a.clone()));
        assert_eq!(a.count, 2);
        assert_eq!(Anchor::of(None).to_string(), format!("0:{GENESIS}"));
        for bad in ["", "3", "x:00", "-1:00", &format!("2:{}", &head.hash[1..])] {
            assert_eq!(Anchor::parse(bad), None, "{bad:?}");
        }
    }
}
