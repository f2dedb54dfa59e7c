//! The audit chain: verifying it (keyed from the entry the key file names,
//! against anchors recorded elsewhere), its head, and signed checkpoints.
//!
//! The chain shows any edit, insertion or removal inside it, and only a
//! holder of the key file can write a chain that verifies. Entries removed
//! from its end leave a shorter chain that verifies all the same: that shows
//! only against an anchor (a head or a checkpoint) kept somewhere the
//! database's writer cannot reach.

use std::path::Path;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_domain::audit::{Anchor, AuditEntry, ChainBreak, Keying, Sealed, verify_next};
use vigil_store::AuditStore;
use vigil_sync::{Envelope, SigningKey, VerifyingKey};

use crate::CoreError;
use crate::keys::Keys;

/// An anchor and where it came from (`--expect`, a checkpoint's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchored {
    /// The head recorded.
    pub anchor: Anchor,
    /// Where it was recorded, as the report names it.
    pub source: String,
}

/// Why the chain does not match an anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    /// The chain holds fewer entries than the anchor counted: entries were
    /// removed from its end.
    #[error("{from}: truncated: {found} entries where {count} were recorded")]
    Truncated {
        /// Where the anchor was recorded.
        from: String,
        /// Entries recorded.
        count: i64,
        /// Entries found.
        found: i64,
    },
    /// The entry the anchor names is missing or has another hash: the chain
    /// was rewritten at or before it.
    #[error("{from}: rewritten: entry {seq} does not have the recorded hash")]
    Rewritten {
        /// Where the anchor was recorded.
        from: String,
        /// The entry the anchor names.
        seq: i64,
    },
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: u64,
    /// The last entry checked (before any break), as an anchor.
    pub head: Anchor,
    /// The first entry that had to be keyed.
    pub keyed_from: i64,
    /// Entries checked that carry the unkeyed hash (all before `keyed_from`).
    pub unkeyed: u64,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
    /// The first anchor the chain does not match, if any.
    pub anchor: Option<AnchorBreak>,
}

impl AuditReport {
    /// Whether the chain is whole and matches every anchor.
    pub fn is_whole(&self) -> bool {
        self.broken.is_none() && self.anchor.is_none()
    }
}

/// The first entry that must be keyed: what the key file records (every
/// entry when it records nothing).
pub fn keyed_from(keys: &Keys) -> i64 {
    keys.audit_keyed_from().unwrap_or(1)
}

/// Records in the key file from which entry the chain is keyed (the entry
/// after the current head), if it records nothing yet; returns the keys
/// knowing it. Run once the store is open with `keys`' audit key, so every
/// entry from that one on is keyed.
pub async fn record_keyed_from(
    store: &dyn AuditStore,
    keys: Keys,
    key_path: &Path,
) -> Result<Keys, CoreError> {
    if keys.audit_keyed_from().is_some() {
        return Ok(keys);
    }
    let next = store.audit_head().await?.map_or(1, |h| h.seq + 1);
    let from = Keys::record_audit_keyed_from(key_path, next)?;
    if from > 1 {
        tracing::info!(
            keyed_from = from,
            "the audit chain is keyed from this entry on; the entries before it keep their unkeyed hashes"
        );
    }
    Ok(keys.with_audit_keyed_from(from))
}

/// Walks the whole chain from the first entry, stops at the first break,
/// then checks every anchor.
pub async fn verify<S: AuditStore + ?Sized>(
    store: &S,
    keys: &Keys,
    anchors: &[Anchored],
    progress: impl FnMut(u64),
) -> Result<AuditReport, CoreError> {
    let key = keys.audit_key();
    let keying = Keying {
        key: &key,
        keyed_from: keyed_from(keys),
    };
    let (entries, unkeyed, broken, last) = walk(store, keying, progress).await?;
    let mut anchor = None;
    for a in anchors {
        if let Err(b) = check_anchor(store, a).await? {
            anchor = Some(b);
            break;
        }
    }
    Ok(AuditReport {
        entries,
        head: Anchor::of(last.map(|e| e.head()).as_ref()),
        keyed_from: keying.keyed_from,
        unkeyed,
        broken,
        anchor,
    })
}

async fn walk<S: AuditStore + ?Sized>(
    store: &S,
    keying: Keying<'_>,
    mut progress: impl FnMut(u64),
) -> Result<(u64, u64, Option<ChainBreak>, Option<AuditEntry>), CoreError> {
    let mut prev: Option<AuditEntry> = None;
    let mut after = 0i64;
    let mut checked = 0u64;
    let mut unkeyed = 0u64;
    loop {
        let page = store.audit_after(after, 5_000).await?;
        if page.is_empty() {
            return Ok((checked, unkeyed, None, prev));
        }
        for e in page {
            match verify_next(keying, prev.as_ref(), &e) {
                Ok(Sealed::Keyed) => {}
                Ok(Sealed::Unkeyed) => unkeyed += 1,
                Err(b) => return Ok((checked, unkeyed, Some(b), prev)),
            }
            checked += 1;
            after = e.seq;
            prev = Some(e);
        }
        progress(checked);
    }
}

/// Whether the stored chain still holds the anchor's entry with its hash.
async fn check_anchor<S: AuditStore + ?Sized>(
    store: &S,
    a: &Anchored,
) -> Result<Result<(), AnchorBreak>, CoreError> {
    let count = a.anchor.count;
    if count == 0 {
        return Ok(Ok(()));
    }
    let at = store.audit_after(count - 1, 1).await?;
    Ok(match at.first() {
        Some(e) if e.seq == count && e.hash == a.anchor.hash => Ok(()),
        Some(_) => Err(AnchorBreak::Rewritten {
            from: a.source.clone(),
            seq: count,
        }),
        None => Err(AnchorBreak::Truncated {
            from: a.source.clone(),
            count,
            found: store.audit_head().await?.map_or(0, |h| h.seq),
        }),
    })
}

/// The chain's head as stored (unverified: walk the chain to know it is
/// whole), as an anchor.
pub async fn head<S: AuditStore + ?Sized>(store: &S) -> Result<Anchor, CoreError> {
    Ok(Anchor::of(store.audit_head().await?.as_ref()))
}

/// A signed checkpoint's contents, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Signed {
    /// Always `vigil-audit-checkpoint`.
    kind: String,
    count: i64,
    hash: String,
    /// RFC 3339.
    at: String,
    /// The signing instance's public key (base64).
    key: String,
}

const CHECKPOINT_KIND: &str = "vigil-audit-checkpoint";

/// A checkpoint read back and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The head it records.
    pub anchor: Anchor,
    /// When it was made.
    pub at: OffsetDateTime,
}

/// Why a checkpoint line is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointProblem {
    /// Not a checkpoint at all.
    #[error("line {line}: not a checkpoint ({why})")]
    Unreadable {
        /// The line, from 1.
        line: usize,
        /// What the parser said.
        why: String,
    },
    /// Signed by another key, or not signed by the key it names.
    #[error("line {line}: its signature does not verify under this instance's key")]
    BadSignature {
        /// The line, from 1.
        line: usize,
    },
}

/// Verifies the chain and, if it is whole, signs the head it walked to:
/// one JSON line (an envelope whose signed text holds count, hash, time and
/// key). A broken chain is not signed: the report says why.
pub async fn checkpoint<S: AuditStore + ?Sized>(
    store: &S,
    keys: &Keys,
    signing: &SigningKey,
    at: OffsetDateTime,
) -> Result<(AuditReport, Option<String>), CoreError> {
    let report = verify(store, keys, &[], |_| {}).await?;
    if report.broken.is_some() {
        return Ok((report, None));
    }
    let signed = Signed {
        kind: CHECKPOINT_KIND.into(),
        count: report.head.count,
        hash: report.head.hash.clone(),
        at: at
            .format(&Rfc3339)
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        key: vigil_sync::public_key_text(&signing.verifying_key()),
    };
    let text = serde_json::to_string(&signed).map_err(|e| CoreError::Internal(e.to_string()))?;
    let line = serde_json::to_string(&Envelope::sign(text, signing))
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok((report, Some(line)))
}

/// Reads a checkpoints file (one line each; blank lines skipped): every
/// line must verify under `key` (this instance's public key).
pub fn read_checkpoints(
    text: &str,
    key: &VerifyingKey,
) -> Result<Vec<(usize, Checkpoint)>, CheckpointProblem> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let unreadable = |why: String| CheckpointProblem::Unreadable { line: line_no, why };
        let env = Envelope::read(line.trim().as_bytes()).map_err(unreadable)?;
        if env.signed_by([key]).is_none() {
            return Err(CheckpointProblem::BadSignature { line: line_no });
        }
        let s: Signed = serde_json::from_str(&env.signed).map_err(|e| unreadable(e.to_string()))?;
        if s.kind != CHECKPOINT_KIND {
            return Err(unreadable(format!("kind {:?}", s.kind)));
        }
        let anchor = Anchor::parse(&format!("{}:{}", s.count, s.hash))
            .ok_or_else(|| unreadable("count or hash".into()))?;
        let at = OffsetDateTime::parse(&s.at, &Rfc3339).map_err(|e| unreadable(e.to_string()))?;
        out.push((line_no, Checkpoint { anchor, at }));
    }
    Ok(out)
}

/// Checkpoints as anchors, each named by its file and line.
pub fn checkpoint_anchors(file: &str, checkpoints: &[(usize, Checkpoint)]) -> Vec<Anchored> {
    checkpoints
        .iter()
        .map(|(line, c)| Anchored {
            anchor: c.anchor.clone(),
            source: format!("checkpoint {file}:{line}"),
        })
        .collect()
}

/// Appends a checkpoint line to `file` (created 0600 if missing).
pub fn append_checkpoint(file: &Path, line: &str) -> Result<(), CoreError> {
    use std::io::Write;
    let err = |e: std::io::Error| CoreError::Unavailable(format!("{}: {e}", file.display()));
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(file).map_err(err)?;
    f.write_all(format!("{line}\n").as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)
}

/// Runs `command` (by `sh -c`) with a checkpoint line on its standard input;
/// an exit other than success is an error.
pub async fn pipe_checkpoint(command: &str, line: &str) -> Result<(), CoreError> {
    let (command, line) = (command.to_string(), format!("{line}\n"));
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let err = |e: std::io::Error| CoreError::Unavailable(format!("checkpoint command: {e}"));
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn()
            .map_err(err)?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(line.as_bytes()).map_err(err)?;
        }
        let status = child.wait().map_err(err)?;
        if status.success() {
            Ok(())
        } else {
            Err(CoreError::Unavailable(format!(
                "checkpoint command exited with {status}"
            )))
        }
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_line_reads_back_only_under_its_key() {
        let key = vigil_sync::signing_key(&[3; 32]);
        let signed = Signed {
            kind: CHECKPOINT_KIND.into(),
            count: 4,
            hash: "ab".repeat(32),
            at: "2026-12-05T08:00:00Z".into(),
            key: vigil_sync::public_key_text(&key.verifying_key()),
        };
        let line = serde_json::to_string(&Envelope::sign(
            serde_json::to_string(&signed).unwrap(),
            &key,
        ))
        .unwrap();
        let text = format!("{line}\n\n{line}\n");
        let read = read_checkpoints(&text, &key.verifying_key()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].0, 3);
        assert_eq!(read[0].1.anchor.count, 4);
        let other = vigil_sync::signing_key(&[4; 32]);
        assert_eq!(
            read_checkpoints(&text, &other.verifying_key()),
            Err(CheckpointProblem::BadSignature { line: 1 })
        );
        let forged = line.replace("\"count\\\":4", "\"count\\\":3");
        assert_ne!(forged, line);
        assert_eq!(
            read_checkpoints(&forged, &key.verifying_key()),
            Err(CheckpointProblem::BadSignature { line: 1 })
        );
        assert!(matches!(
            read_checkpoints("not json", &key.verifying_key()),
            Err(CheckpointProblem::Unreadable { line: 1, .. })
        ));
    }
}
