//! The audit chain: every entry carries the hash of the one before it, so any
//! edit, insertion or removal breaks the chain at that point.

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

/// The hash of an entry given the previous hash.
pub fn chain_hash(prev_hash: &str, seq: i64, at_unix_nanos: i64, e: &NewAuditEntry) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash.as_bytes(),
        &seq.to_be_bytes(),
        &at_unix_nanos.to_be_bytes(),
        e.actor.as_bytes(),
        e.action.name().as_bytes(),
        e.object.as_bytes(),
        e.detail.as_bytes(),
    ] {
        // Length-prefix each field so that no two entries share an encoding.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    hex::encode(h.finalize())
}

/// Chains a new entry after `prev` (or after genesis).
pub fn chain(prev: Option<&ChainHead>, at: OffsetDateTime, entry: NewAuditEntry) -> AuditEntry {
    let (seq, prev_hash) = match prev {
        Some(p) => (p.seq + 1, p.hash.clone()),
        None => (1, GENESIS.to_string()),
    };
    let at_unix_nanos = i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX);
    let hash = chain_hash(&prev_hash, seq, at_unix_nanos, &entry);
    AuditEntry {
        seq,
        at_unix_nanos,
        entry,
        prev_hash,
        hash,
    }
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry's hash is not the hash of its content.
    #[error("entry {seq}: its hash does not match its content")]
    HashMismatch {
        /// The entry.
        seq: i64,
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

/// Checks one entry against the one before it; walk the chain with this.
pub fn verify_next(prev: Option<&AuditEntry>, e: &AuditEntry) -> Result<(), ChainBreak> {
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
    if chain_hash(&e.prev_hash, e.seq, e.at_unix_nanos, &e.entry) != e.hash {
        return Err(ChainBreak::HashMismatch { seq: e.seq });
    }
    Ok(())
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

    #[test]
    fn a_whole_chain_verifies_and_any_edit_breaks_it() {
        let mut chain_v: Vec<AuditEntry> = Vec::new();
        for n in 0..5 {
            let head = chain_v.last().map(AuditEntry::head);
            let e = chain(head.as_ref(), OffsetDateTime::UNIX_EPOCH, entry(n));
            chain_v.push(e);
        }
        let mut prev = None;
        for e in &chain_v {
            assert_eq!(verify_next(prev, e), Ok(()));
            prev = Some(e);
        }
        let mut edited = chain_v[2].clone();
        edited.entry.object = "tip:99".into();
        assert_eq!(
            verify_next(Some(&chain_v[1]), &edited),
            Err(ChainBreak::HashMismatch { seq: 3 })
        );
        assert_eq!(
            verify_next(Some(&chain_v[1]), &chain_v[3]),
            Err(ChainBreak::Gap {
                seq: 4,
                expected: 3
            })
        );
    }
}
