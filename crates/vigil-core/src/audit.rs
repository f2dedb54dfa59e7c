//! Verifying the audit chain.

use vigil_domain::audit::{AuditEntry, ChainBreak, verify_next};
use vigil_store::DynStore;

use crate::CoreError;

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: u64,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
}

/// Walks the whole chain from the first entry and stops at the first break.
pub async fn verify(
    store: &DynStore,
    mut progress: impl FnMut(u64),
) -> Result<AuditReport, CoreError> {
    let mut prev: Option<AuditEntry> = None;
    let mut after = 0i64;
    let mut checked = 0u64;
    loop {
        let page = store.audit_after(after, 5_000).await?;
        if page.is_empty() {
            return Ok(AuditReport {
                entries: checked,
                broken: None,
            });
        }
        for e in page {
            if let Err(b) = verify_next(prev.as_ref(), &e) {
                return Ok(AuditReport {
                    entries: checked,
                    broken: Some(b),
                });
            }
            checked += 1;
            after = e.seq;
            prev = Some(e);
        }
        progress(checked);
    }
}
