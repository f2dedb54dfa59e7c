//! Exit screenings at the counter: screen a traveller against the policy and
//! the watchlist from intelligence, store the result with the traveller's
//! personal data sealed, record the officer's decision, and forget screenings
//! older than `[screening] keep_days`. Only immigration officers and admins
//! screen; the outcome is advice to a person (`clear`, `interview`, `refer`),
//! never a refusal.

use crate::field::FieldMessage;
use std::sync::{Arc, OnceLock};
use vigil_domain::{AuditAction, Capability};

use time::OffsetDateTime;
use vigil_domain::Jurisdiction;
use vigil_domain::posts::{self, Post};
use vigil_screening::policy::DEFAULT_POLICY;
use vigil_screening::{Policy, Screening, Traveller, evaluate};
use vigil_store::NewScreening;

use crate::screening::cached_for;
use crate::settings::Settings;
use crate::staff::Principal;
use crate::{CoreError, Vigil};

/// Sealing purpose of the traveller's data.
pub(crate) const SEAL_TRAVELLER: &str = "screening.traveller";
/// Sealing purpose of the officer's note.
pub(crate) const SEAL_NOTE: &str = "screening.note";
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

pub(crate) fn may_screen(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ScreenTravellers) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// The shipped default policy.
fn shipped_policy() -> Result<Arc<Policy>, CoreError> {
    static POLICY: OnceLock<Result<Arc<Policy>, String>> = OnceLock::new();
    POLICY
        .get_or_init(|| {
            Policy::default_policy()
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| CoreError::Internal(format!("the shipped policy: {e}")))
}

/// The policy `[screening] policy_file` names, or the shipped default when
/// none is set. A file that cannot be read or does not load is refused with
/// its path and the reason.
pub fn configured_policy(settings: &Settings) -> Result<Arc<Policy>, CoreError> {
    Ok(configured_policy_source(settings)?.0)
}

/// [`configured_policy`] with its TOML text.
pub fn configured_policy_source(settings: &Settings) -> Result<(Arc<Policy>, Arc<str>), CoreError> {
    let Some(path) = settings.screening.policy_file.as_deref() else {
        return Ok((shipped_policy()?, Arc::from(DEFAULT_POLICY)));
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        CoreError::Unavailable(format!(
            "[screening] policy_file {}: cannot read it: {e}",
            path.display()
        ))
    })?;
    let policy = Policy::from_toml(&text).map_err(|e| {
        CoreError::Unavailable(format!("[screening] policy_file {}: {e}", path.display()))
    })?;
    Ok((Arc::new(policy), Arc::from(text)))
}

/// Puts `policy` in force for the screenings that follow.
pub fn install_policy(v: &Vigil, policy: Arc<Policy>) {
    set_policy(v, policy, None);
}

/// Puts `policy` in force with its TOML text, which central sends to offline
/// posts (`vigil sync pull`).
pub fn install_policy_source(v: &Vigil, policy: Arc<Policy>, source: Arc<str>) {
    set_policy(v, policy, Some(source));
}

fn set_policy(v: &Vigil, policy: Arc<Policy>, source: Option<Arc<str>>) {
    let mut slot = v
        .policy
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = Some((policy, source));
}

/// The policy in force: the one installed, else the shipped default.
pub fn policy(v: &Vigil) -> Result<Arc<Policy>, CoreError> {
    let slot = v
        .policy
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match slot.as_ref() {
        Some((p, _)) => Ok(Arc::clone(p)),
        None => shipped_policy(),
    }
}

/// The policy in force with its TOML text; unavailable when it was installed
/// without its text.
pub fn policy_source(v: &Vigil) -> Result<(Arc<Policy>, Arc<str>), CoreError> {
    let slot = v
        .policy
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match slot.as_ref() {
        Some((p, Some(text))) => Ok((Arc::clone(p), Arc::clone(text))),
        Some((_, None)) => Err(CoreError::Unavailable(
            "the policy in force was installed without its text".into(),
        )),
        None => Ok((shipped_policy()?, Arc::from(DEFAULT_POLICY))),
    }
}

/// Screens the traveller in `traveller_json` (the fields
/// `vigil_screening::Traveller` reads) at `post`, stores the screening with the
/// traveller sealed, audited. A wrong field is `InvalidField` naming it, and
/// nothing is stored.
pub async fn screen(
    v: &Vigil,
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
        .map_err(|e| crate::field::invalid(&e.field, e.kind))?;
    // The watchlist first: rebuilding it also puts a newly pulled policy in force.
    let watchlist = cached_for(v, p).await?;
    let policy = policy(v)?;
    let screening = evaluate(&policy, &traveller, &watchlist);
    let reasons: Vec<serde_json::Value> = screening
        .reasons
        .iter()
        .map(|r| serde_json::json!({"code": r.code, "weight": r.weight, "evidence": r.evidence}))
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
async fn note_policy(v: &Vigil, policy: &Policy) -> Result<(), CoreError> {
    let id = policy.id();
    let noted = |v: &Vigil| {
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

/// An exit post by its code (any case); an unknown code is `InvalidField`
/// naming `post`.
pub fn exit_post(code: &str) -> Result<&'static Post, CoreError> {
    posts::post(code).ok_or_else(|| {
        let choices = posts::posts()
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        crate::field::invalid(
            "post",
            crate::field::Reason(
                FieldMessage::NotAPost,
                vec![
                    ("value", code.trim().chars().take(64).collect::<String>()),
                    ("choices", choices),
                ],
            ),
        )
    })
}

/// Whether a screening stored at `post` lies within `p`'s jurisdiction (a
/// national account sees every post, including names stored before posts
/// were codes).
pub fn covers_post(p: &Principal, post: &str) -> bool {
    match p.jurisdiction {
        Jurisdiction::National => true,
        Jurisdiction::Provinces(_) => {
            posts::post(post).is_some_and(|x| p.jurisdiction.covers(Some(&x.province_code)))
        }
    }
}

/// The exit posts within `p`'s jurisdiction.
pub fn posts_for(p: &Principal) -> Vec<&'static Post> {
    posts::posts()
        .iter()
        .filter(|x| p.jurisdiction.covers(Some(&x.province_code)))
        .collect()
}

/// The stored screening `id` if `p` may see it (elsewhere: `NotFound`).
pub(crate) async fn visible(
    v: &Vigil,
    p: &Principal,
    id: i64,
) -> Result<vigil_store::ScreeningRow, CoreError> {
    let row = v.store.screening(id).await?;
    if covers_post(p, &row.screening.post) {
        Ok(row)
    } else {
        Err(CoreError::NotFound)
    }
}

/// The traveller's reference in a sealed traveller, if it opens.
pub(crate) fn reference_of(v: &Vigil, sealed: &[u8]) -> Option<String> {
    let json = v.keys.open(SEAL_TRAVELLER, sealed).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    value["ref"].as_str().map(str::to_string)
}

/// A stored screening with the traveller and note opened, for immigration,
/// supervisors and admins within their jurisdiction; audited.
pub async fn open(v: &Vigil, p: &Principal, id: i64) -> Result<ScreeningView, CoreError> {
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
    v: &Vigil,
    p: &Principal,
    id: i64,
    decision: &str,
    note: &str,
) -> Result<(), CoreError> {
    may_screen(p)?;
    if !matches!(decision, "clear" | "interview" | "refer") {
        return Err(crate::field::invalid(
            "decision",
            (
                FieldMessage::NotAChoice,
                "choices",
                "clear, interview, refer",
            ),
        ));
    }
    if note.len() > MAX_NOTE {
        return Err(crate::field::invalid(
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

/// The instant before which screenings are expired (`[screening] keep_days`).
pub fn expiry(settings: &Settings) -> OffsetDateTime {
    OffsetDateTime::now_utc() - time::Duration::days(i64::from(settings.screening.keep_days))
}

/// Deletes screenings older than `[screening] keep_days`; returns how many.
/// At an offline post (`[sync] central_url` set) nothing is deleted while
/// changes wait to be pushed: central must receive a screening before the
/// post forgets it. The wait is logged at each housekeeping run.
pub async fn purge_expired(v: &Vigil) -> Result<u64, CoreError> {
    if !v.settings.sync.central_url.trim().is_empty() && crate::sync::pending(v).await? {
        tracing::warn!(
            "screenings wait to be pushed to central: none is purged until `vigil sync push` \
             has sent them"
        );
        return Ok(0);
    }
    Ok(v.store.purge_screenings(expiry(&v.settings)).await?)
}
