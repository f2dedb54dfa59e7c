//! Exit screenings at the counter: screen a traveller against the policy and
//! the watchlist from intelligence, store the result with the traveller's
//! personal data sealed, record the officer's decision, and forget screenings
//! older than `[screening] keep_days`. Only immigration officers and admins
//! screen; the outcome is advice to a person (`clear`, `interview`, `refer`),
//! never a refusal.

use vigil_domain::{AuditAction, Capability};

use vigil_screening::{Policy, Screening, Traveller, evaluate};
use vigil_store::NewScreening;

use time::OffsetDateTime;

use crate::CoreError;
use crate::field::FieldMessage;
use crate::screening::{SEAL_NOTE, SEAL_TRAVELLER, cached_for, may_screen, visible};
pub use crate::screening::{
    ScreeningService, configured_policy, configured_policy_source, covers_post, exit_post, expiry,
    install_policy, install_policy_source, policy, policy_source, posts_for,
};
use crate::staff::Principal;

/// The longest officer's note, in bytes.
const MAX_NOTE: usize = 4000;

/// A screening just made.
#[derive(Debug, Clone)]
pub struct Screened {
    /// The stored screening's id.
    pub id: i64,
    /// The traveller's reference, as sent.
    pub reference: String,
    /// The outcome, score, reasons, policy and questions.
    pub screening: Screening,
}

/// A stored screening, opened for an officer.
#[derive(Debug, Clone)]
pub struct ScreeningView {
    /// The stored row (sealed fields still sealed).
    pub row: vigil_store::ScreeningRow,
    /// The traveller as sent (JSON).
    pub traveller: String,
    /// The officer's note.
    pub note: String,
}

/// Screens the traveller in `traveller_json` (the fields
/// `vigil_screening::Traveller` reads) at `post`, stores the screening with the
/// traveller sealed, audited. A wrong field is `InvalidField` naming it, and
/// nothing is stored.
pub async fn screen(
    v: &ScreeningService,
    p: &Principal,
    traveller_json: &str,
    post: &str,
) -> Result<Screened, CoreError> {
    may_screen(p)?;
    let post = exit_post(post)?;
    if !p.jurisdiction.covers(Some(&post.province_code)) {
        return Err(CoreError::Forbidden);
    }
    let traveller = Traveller::from_json(traveller_json)
        .map_err(|e| crate::error::invalid(&e.field, e.kind))?;
    // The watchlist first: rebuilding it also puts a newly pulled policy in force.
    let watchlist = cached_for(v, p).await?;
    let policy = policy(v)?;
    let screening = evaluate(&policy, &traveller, &watchlist);
    let reasons: Vec<serde_json::Value> = screening
        .reasons
        .iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code, "weight": r.weight, "evidence": r.evidence, "facts": r.facts,
            })
        })
        .collect();
    let reasons = serde_json::to_string(&reasons)
        .map_err(|e| CoreError::Internal(format!("reasons: {e}")))?;
    note_policy(v, &policy).await?;
    let row = NewScreening {
        policy: screening.policy.clone(),
        outcome: screening.outcome.as_str().into(),
        score: i64::from(screening.score),
        reasons,
        post: post.code.clone(),
        officer: p.id,
        traveller: v.keys.seal(SEAL_TRAVELLER, traveller_json.as_bytes())?,
        sex: traveller.sex.as_str().into(),
        age_band: crate::fairness::age_band(traveller.age.years()).into(),
        created_at: OffsetDateTime::now_utc(),
    };
    let detail = format!(
        "policy={} outcome={} score={}",
        screening.policy,
        screening.outcome.as_str(),
        screening.score
    );
    let id = v
        .store
        .insert_screening(
            &row,
            p.audit(AuditAction::ScreeningCreate, String::new(), detail),
        )
        .await?;
    Ok(Screened {
        id,
        reference: traveller.reference,
        screening,
    })
}

/// Stores `policy`'s scope note and justifications for the fairness report,
/// the first time this process screens under it (the store keeps the first
/// note of a `name@version`, so later writes would change nothing).
async fn note_policy(v: &ScreeningService, policy: &Policy) -> Result<(), CoreError> {
    let id = policy.id();
    let noted = |v: &ScreeningService| {
        v.policies_noted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(&id)
    };
    if noted(v) {
        return Ok(());
    }
    v.store
        .record_policy_note(&crate::fairness::policy_note(policy))
        .await?;
    v.policies_noted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(id.clone());
    Ok(())
}

/// A stored screening with the traveller and note opened, for immigration,
/// supervisors and admins within their jurisdiction; audited.
pub async fn open(
    v: &ScreeningService,
    p: &Principal,
    id: i64,
) -> Result<ScreeningView, CoreError> {
    if !p.role.can(Capability::ReviewScreenings) {
        return Err(CoreError::Forbidden);
    }
    let row = visible(v, p, id).await?;
    let traveller = String::from_utf8(v.keys.open(SEAL_TRAVELLER, &row.screening.traveller)?)
        .map_err(|_| CoreError::Internal("a sealed traveller is not UTF-8".into()))?;
    let note = if row.note.is_empty() {
        String::new()
    } else {
        String::from_utf8(v.keys.open(SEAL_NOTE, &row.note)?)
            .map_err(|_| CoreError::Internal("a sealed note is not UTF-8".into()))?
    };
    v.store
        .append_audit(p.audit(
            AuditAction::ScreeningRead,
            format!("screening:{id}"),
            String::new(),
        ))
        .await?;
    Ok(ScreeningView {
        row,
        traveller,
        note,
    })
}

/// Records the officer's decision (`clear`, `interview` or `refer`) and a
/// note (sealed), audited.
pub async fn decide(
    v: &ScreeningService,
    p: &Principal,
    id: i64,
    decision: &str,
    note: &str,
) -> Result<(), CoreError> {
    may_screen(p)?;
    if vigil_screening::Outcome::parse(decision).is_none() {
        return Err(crate::error::invalid(
            "decision",
            (
                FieldMessage::NotAChoice,
                "choices",
                "clear, interview, refer",
            ),
        ));
    }
    if note.len() > MAX_NOTE {
        return Err(crate::error::invalid(
            "note",
            (FieldMessage::TooLong, "max", MAX_NOTE),
        ));
    }
    visible(v, p, id).await?;
    let sealed = if note.is_empty() {
        Vec::new()
    } else {
        v.keys.seal(SEAL_NOTE, note.as_bytes())?
    };
    v.store
        .decide_screening(
            id,
            decision,
            &sealed,
            p.audit(
                AuditAction::ScreeningDecide,
                format!("screening:{id}"),
                format!("decision={decision}"),
            ),
        )
        .await?;
    Ok(())
}

/// Deletes screenings older than `[screening] keep_days`; returns how many.
/// At an offline post (`[sync] central_url` set) nothing is deleted while
/// changes wait to be pushed: central must receive a screening before the
/// post forgets it. The wait is logged at each housekeeping run.
pub async fn purge_expired(v: &ScreeningService) -> Result<u64, CoreError> {
    if !v.settings.sync.central_url.trim().is_empty() && pending(v).await? {
        tracing::warn!(
            "screenings wait to be pushed to central: none is purged until `vigil sync push` \
             has sent them"
        );
        return Ok(0);
    }
    Ok(v.store.purge_screenings(expiry(&v.settings)).await?)
}

/// The push cursor's name.
pub(crate) const PUSH_CURSOR: &str = "push";

/// Whether local screening changes wait to be pushed to central.
pub async fn pending(v: &ScreeningService) -> Result<bool, CoreError> {
    let cursor = v.store.sync_cursor(PUSH_CURSOR).await?;
    Ok(!v.store.sync_outgoing(cursor, 1).await?.is_empty())
}
