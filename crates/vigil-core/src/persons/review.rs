//! The review queue: pairs of records that linkage found uncertain. An
//! analyst, officer, supervisor or admin decides `same` (the two persons are
//! merged in one transaction: every record of one moves to the other) or
//! `different`. Only pairs whose two records both lie in the principal's
//! jurisdiction are shown or decided; every decision is audited.

use vigil_domain::{AuditAction, Capability};
use vigil_store::PersonReviewRow;

use super::{PersonsService, RecordView, views};
use crate::CoreError;
use crate::staff::Principal;

/// A pair to review, with both records as the principal may see them.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// The pair.
    pub row: PersonReviewRow,
    /// The linkage's reasons.
    pub reasons: Vec<String>,
    /// The earlier record.
    pub a: RecordView,
    /// The later record.
    pub b: RecordView,
}

/// Decides review pairs: analysts, officers, supervisors, admins.
pub fn may_review(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReviewPersonPairs) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

async fn view(
    v: &PersonsService,
    p: &Principal,
    row: PersonReviewRow,
) -> Result<ReviewView, CoreError> {
    let a = v.store.person_record(row.record_a).await?;
    let b = v.store.person_record(row.record_b).await?;
    if !p.jurisdiction.covers(Some(&a.record.province_code))
        || !p.jurisdiction.covers(Some(&b.record.province_code))
    {
        return Err(CoreError::NotFound);
    }
    let reasons = serde_json::from_str(&row.reasons_json).unwrap_or_default();
    let mut both = views(v, p, vec![a, b])?;
    let (Some(b), Some(a)) = (both.pop(), both.pop()) else {
        return Err(CoreError::Internal("two records read".into()));
    };
    Ok(ReviewView { row, reasons, a, b })
}

/// The pending pairs in the principal's jurisdiction, newest first (audited).
pub async fn pending(v: &PersonsService, p: &Principal) -> Result<Vec<ReviewView>, CoreError> {
    may_review(p)?;
    let rows = v
        .store
        .person_reviews("pending", p.jurisdiction.provinces())
        .await?;
    v.store
        .append_audit(p.audit(
            AuditAction::PersonsReviews,
            String::new(),
            rows.len().to_string(),
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(v, p, r).await?);
    }
    Ok(out)
}

/// Decides a pending pair; `same` merges the two persons. Returns the person
/// kept (for `different`, the earlier record's). Already decided is
/// `InvalidField` on `decision`.
pub async fn decide(
    v: &PersonsService,
    p: &Principal,
    id: i64,
    same: bool,
) -> Result<i64, CoreError> {
    may_review(p)?;
    let row = v.store.person_review(id).await?;
    view(v, p, row).await?;
    v.store
        .decide_person_review(
            id,
            same,
            p.id,
            p.audit(
                AuditAction::PersonsReview,
                String::new(),
                if same { "same" } else { "different" }.into(),
            ),
        )
        .await
        .map_err(|e| match e {
            vigil_store::StoreError::Conflict(_) => {
                crate::operations::invalid("decision", crate::field::FieldMessage::AlreadyDecided)
            }
            e => e.into(),
        })
}
