//! Every write that records someone's action leaves exactly one audit entry,
//! in its own transaction; a refused write leaves none.

use vigil_domain::{AuditAction, TipId, TipStatus};

use super::{audit, created, sample_submission};
use crate::{Author, DynStore, NewMessage, StoreError};

async fn entries(store: &DynStore) -> usize {
    store.audit_after(0, -1).await.expect("audit").len()
}

pub(super) async fn intake_writes_are_audited(store: DynStore) {
    let n = entries(&store).await;
    let tip = created(&store, sample_submission(1)).await;
    assert_eq!(entries(&store).await, n + 1, "a stored tip is audited");
    assert!(store.submit_tip(sample_submission(1)).await.is_ok());
    assert_eq!(entries(&store).await, n + 1, "a refused duplicate is not");

    store
        .set_status(tip, TipStatus::InReview, audit(AuditAction::TipStatus))
        .await
        .expect("status");
    assert_eq!(entries(&store).await, n + 2, "a status change is audited");
    assert!(matches!(
        store
            .set_status(
                TipId(999_999),
                TipStatus::InReview,
                audit(AuditAction::TipStatus)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        entries(&store).await,
        n + 2,
        "a refused status change is not"
    );

    let message = |tip_id| NewMessage {
        tip_id,
        author: Author::Reporter,
        body_enc: b"sealed".to_vec(),
        attachments: Vec::new(),
        audit: audit(AuditAction::MessageCreate),
    };
    store.add_message(message(tip)).await.expect("message");
    assert_eq!(entries(&store).await, n + 3, "a message is audited");
    assert!(matches!(
        store.add_message(message(TipId(999_999))).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(entries(&store).await, n + 3, "a refused message is not");

    let e = store
        .append_audit(audit(AuditAction::TipRead))
        .await
        .expect("append");
    assert_eq!(entries(&store).await, n + 4);
    let last = store.audit_after(e.seq - 1, 1).await.expect("read back");
    assert_eq!(last, vec![e], "the entry reads back as appended");
}
