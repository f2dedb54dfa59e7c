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

/// One field's part in a linkage decision, as stored with the pair:
/// `{"field":"dob","level":"close","weight":2.6}` (the names of
/// `vigil_linkage::Field` and `vigil_linkage::Agreement`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MatchReason {
    /// The field compared (`given`, `dob`, …).
    pub field: String,
    /// How well it agreed (`exact`, `close`, …).
    pub level: String,
    /// Its weight: positive for one person, negative against.
    pub weight: f64,
}

impl MatchReason {
    /// A reason as the linkage gives it, its weight to a tenth.
    pub fn of(r: &vigil_linkage::Reason) -> MatchReason {
        MatchReason {
            field: r.field.name().to_string(),
            level: r.agreement.name().to_string(),
            weight: (r.weight * 10.0).round() / 10.0,
        }
    }

    /// Reads a reason stored before they were typed, `dob: close (+2.6)`.
    pub fn parse_old(text: &str) -> Option<MatchReason> {
        let (field, rest) = text.split_once(": ")?;
        let (level, weight) = rest.strip_suffix(')')?.split_once(" (")?;
        Some(MatchReason {
            field: field.to_string(),
            level: level.to_string(),
            weight: weight.parse().ok()?,
        })
    }
}

/// A stored reason: typed, or a line of text from before.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Stored {
    Typed(MatchReason),
    Text(String),
}

/// The reasons stored with a pair; an old line that does not read as a
/// reason is kept as its text.
pub fn read_reasons(json: &str) -> Vec<Result<MatchReason, String>> {
    serde_json::from_str::<Vec<Stored>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|s| match s {
            Stored::Typed(r) => Ok(r),
            Stored::Text(t) => MatchReason::parse_old(&t).ok_or(t),
        })
        .collect()
}

/// A pair to review, with both records as the principal may see them.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// The pair.
    pub row: PersonReviewRow,
    /// The linkage's reasons (an old line that does not read as one, as
    /// its text).
    pub reasons: Vec<Result<MatchReason, String>>,
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
    let reasons = read_reasons(&row.reasons_json);
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

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_typed_and_old() {
        let r = |field: &str, level: &str, weight: f64| MatchReason {
            field: field.into(),
            level: level.into(),
            weight,
        };
        assert_eq!(
            read_reasons(r#"[{"field":"dob","level":"close","weight":2.6}]"#),
            vec![Ok(r("dob", "close", 2.6))]
        );
        assert_eq!(
            read_reasons(r#"["dob: close (+2.6)", "given: different (-4.0)", "odd"]"#),
            vec![
                Ok(r("dob", "close", 2.6)),
                Ok(r("given", "different", -4.0)),
                Err("odd".to_string())
            ]
        );
        assert!(read_reasons("not json").is_empty());
    }
}
