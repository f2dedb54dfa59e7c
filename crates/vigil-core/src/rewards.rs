//! Rewards for tips that led to a result. A supervisor marks a tip (raid,
//! rescue of victims, arrest, seizure, other); its reporter then reads a
//! reward code in the follow-up thread, opened with the receipt as always,
//! and claims it in person (or by the channel `[public] reward_channel`
//! names), where a supervisor types the code to mark it claimed, once.
//!
//! **How the code is kept.** The code is drawn from the operating system's
//! random generator: nine characters of an alphabet without `0`, `O`, `1`
//! and `I` (32 symbols, 45 bits), shown in groups of three (`K7P-4QX-9MZ`).
//! The thread must show it again every time the reporter opens it, and the
//! reporter is known only by the receipt, which is itself stored only as
//! hashes; so the code is stored sealed under the instance key (the same
//! XChaCha20-Poly1305 sealing as messages, purpose `reward-code`), and
//! beside it a keyed hash (HMAC under the key file's MAC key, purpose
//! `reward-lookup`) by which a claim finds it. A database stolen without the
//! key file holds neither a code nor a way to test one. Nothing about the
//! reporter is asked or stored: no name, contact, address or agent, at the
//! award or at the claim; the only people named are the supervisors who
//! awarded and who recorded the claim (on the reward and on the audit chain).
//!
//! Who may: [`Capability::AwardRewards`] (supervisors, admins), within their
//! jurisdiction (a tip outside it is `NotFound`; a code of a tip outside it
//! is an unknown code). One award per tip and one claim per code, enforced
//! by the store in the same transaction as each audit entry.

use std::sync::Arc;

use time::OffsetDateTime;
use vigil_domain::{AuditAction, Capability, RewardReason, TipId};
use vigil_store::{DynStore, NewReward, RewardRow, StoreError};

use crate::CoreError;
use crate::error::invalid;
use crate::field::FieldMessage;
use crate::keys::{Keys, random_bytes};
use crate::staff::Principal;

/// The rewards slice: awards and claims. Cheap to clone.
#[derive(Clone)]
pub struct RewardsService {
    pub(crate) store: DynStore,
    pub(crate) keys: Arc<Keys>,
}

impl RewardsService {
    /// The slice over `store`, sealing and hashing codes with `keys`.
    pub fn new(store: DynStore, keys: Arc<Keys>) -> Self {
        RewardsService { store, keys }
    }
}

/// The sealing purpose of reward codes.
pub const CODE_PURPOSE: &str = "reward-code";
/// The keyed-hash purpose of reward codes (what a claim looks up).
const LOOKUP_PURPOSE: &str = "reward-lookup";
/// The symbols of a code: digits and capitals without `0`, `O`, `1`, `I`.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a code (without the dashes).
pub const CODE_CHARS: usize = 9;
/// Characters per group as shown.
const GROUP: usize = 3;

/// Draws a code from the OS random generator, grouped (`K7P-4QX-9MZ`).
pub fn random_code() -> Result<String, CoreError> {
    // 32 symbols divide 256: a byte's low five bits pick one uniformly.
    let raw: String = random_bytes::<CODE_CHARS>()?
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(grouped(&raw))
}

fn grouped(raw: &str) -> String {
    raw.as_bytes()
        .chunks(GROUP)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed at the counter, read as its nine symbols: case, spaces
/// and dashes do not matter. `None` when it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let raw: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = raw.len() == CODE_CHARS && raw.bytes().all(|b| ALPHABET.contains(&b));
    ok.then_some(raw)
}

fn lookup_hash(keys: &Keys, raw: &str) -> Vec<u8> {
    keys.mac(LOOKUP_PURPOSE, raw.as_bytes())
}

/// A reward as staff see it: never its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardStatus {
    /// The tip it was awarded for.
    pub tip_id: TipId,
    /// What the tip led to.
    pub reason: RewardReason,
    /// When it was awarded.
    pub awarded_at: OffsetDateTime,
    /// When it was claimed, once claimed.
    pub claimed_at: Option<OffsetDateTime>,
}

impl From<&RewardRow> for RewardStatus {
    fn from(r: &RewardRow) -> Self {
        RewardStatus {
            tip_id: r.tip_id,
            reason: r.reason,
            awarded_at: r.awarded_at,
            claimed_at: r.claimed_at,
        }
    }
}

/// A reward as its reporter sees it in the thread: with its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterReward {
    /// The code to claim it with, grouped (`K7P-4QX-9MZ`).
    pub code: String,
    /// The award.
    pub status: RewardStatus,
}

/// A stored reward opened for its reporter (the code unsealed).
pub fn for_reporter(keys: &Keys, row: &RewardRow) -> Result<ReporterReward, CoreError> {
    let code = keys.open(CODE_PURPOSE, &row.code_sealed)?;
    Ok(ReporterReward {
        code: String::from_utf8_lossy(&code).into_owned(),
        status: row.into(),
    })
}

/// Now, to the microsecond: as both backends store an instant, so what an
/// award returns is what reads back.
fn now() -> OffsetDateTime {
    let at = OffsetDateTime::now_utc();
    at.replace_microsecond(at.microsecond()).unwrap_or(at)
}

fn may_award(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::AwardRewards) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// Whether `p` may see tip `tip` (its province within the jurisdiction).
async fn covers(v: &RewardsService, p: &Principal, tip: TipId) -> Result<bool, CoreError> {
    let row = v.store.tip(tip).await?;
    Ok(p.jurisdiction.covers(row.location.province_code.as_deref()))
}

/// Marks tip `tip` as having led to a result: draws its reporter's code and
/// stores the award with its audit entry. Only one per tip (a second is a
/// field error on `reason`); outside the principal's jurisdiction the tip is
/// `NotFound`.
pub async fn award(
    v: &RewardsService,
    p: &Principal,
    tip: TipId,
    reason: RewardReason,
) -> Result<RewardStatus, CoreError> {
    may_award(p)?;
    if !covers(v, p, tip).await? {
        return Err(CoreError::NotFound);
    }
    if v.store.reward_of(tip).await?.is_some() {
        return Err(invalid("reason", FieldMessage::RewardAlreadyAwarded));
    }
    // A new code whose hash another reward holds (one chance in 2^45 per
    // reward) is drawn again.
    for _ in 0..3 {
        let code = random_code()?;
        let raw = normalise(&code).ok_or_else(|| CoreError::Internal("reward code".into()))?;
        let reward = NewReward {
            tip_id: tip,
            reason,
            code_sealed: v.keys.seal(CODE_PURPOSE, code.as_bytes())?,
            code_hash: lookup_hash(&v.keys, &raw),
            awarded_by: p.id,
            awarded_at: now(),
        };
        let entry = p.audit(
            AuditAction::RewardAward,
            String::new(),
            format!("reason:{}", reason.name()),
        );
        match v.store.award_reward(&reward, entry).await {
            Ok(()) => {
                return Ok(RewardStatus {
                    tip_id: tip,
                    reason,
                    awarded_at: reward.awarded_at,
                    claimed_at: None,
                });
            }
            Err(StoreError::Conflict(_)) => {
                // Awarded meanwhile by someone else, or a code hash taken.
                if v.store.reward_of(tip).await?.is_some() {
                    return Err(invalid("reason", FieldMessage::RewardAlreadyAwarded));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(CoreError::Internal(
        "no free reward code after three draws".into(),
    ))
}

/// The reward of a tip as staff see it, if it has one. The caller has
/// checked that the principal may see the tip.
pub async fn status_of(v: &RewardsService, tip: TipId) -> Result<Option<RewardStatus>, CoreError> {
    Ok(v.store
        .reward_of(tip)
        .await?
        .as_ref()
        .map(RewardStatus::from))
}

fn claimed_on(at: OffsetDateTime) -> String {
    let local = vigil_domain::clock::in_cambodia(at);
    local.date().to_string()
}

/// Records that the reward with the code typed at the counter was handed
/// over: once. An unknown code, one of a tip outside the principal's
/// jurisdiction, or one already claimed is a field error on `code`.
pub async fn claim(
    v: &RewardsService,
    p: &Principal,
    typed: &str,
) -> Result<RewardStatus, CoreError> {
    may_award(p)?;
    let unknown = || invalid("code", FieldMessage::RewardCodeUnknown);
    let raw = normalise(typed).ok_or_else(unknown)?;
    let hash = lookup_hash(&v.keys, &raw);
    let Some(row) = v.store.reward_by_code(&hash).await? else {
        return Err(unknown());
    };
    if !covers(v, p, row.tip_id).await? {
        return Err(unknown());
    }
    let already = |at: OffsetDateTime| {
        invalid(
            "code",
            FieldMessage::RewardAlreadyClaimed.with("date", claimed_on(at)),
        )
    };
    if let Some(at) = row.claimed_at {
        return Err(already(at));
    }
    let entry = p.audit(
        AuditAction::RewardClaim,
        String::new(),
        format!("reason:{}", row.reason.name()),
    );
    match v.store.claim_reward(&hash, p.id, now(), entry).await {
        Ok(done) => Ok(RewardStatus::from(&done)),
        Err(StoreError::Conflict(_)) => {
            // Claimed meanwhile at another counter.
            let at = v
                .store
                .reward_by_code(&hash)
                .await?
                .and_then(|r| r.claimed_at)
                .unwrap_or_else(OffsetDateTime::now_utc);
            Err(already(at))
        }
        Err(StoreError::NotFound) => Err(unknown()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_unambiguous_and_read_back_however_typed() {
        for _ in 0..200 {
            let code = random_code().unwrap();
            assert_eq!(code.len(), CODE_CHARS + 2, "{code}");
            assert_eq!(code.matches('-').count(), 2, "{code}");
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
            let raw = normalise(&code).unwrap();
            assert_eq!(grouped(&raw), code);
            assert_eq!(normalise(&code.to_lowercase()), Some(raw.clone()));
            assert_eq!(normalise(&format!(" {} ", raw)), Some(raw.clone()));
        }
        assert_eq!(normalise("K7P 4QX 9MZ"), Some("K7P4QX9MZ".into()));
        assert_eq!(normalise("k7p-4qx-9mz"), Some("K7P4QX9MZ".into()));
        assert_eq!(normalise("K7P-4QX-9M"), None, "too short");
        assert_eq!(normalise("K7P-4QX-9MZZ"), None, "too long");
        assert_eq!(normalise("K7P-4QX-9M0"), None, "no zero");
        assert_eq!(normalise("K7P-4QX-9MO"), None, "no O");
        assert_eq!(normalise("K7P-4QX-9ឃZ"), None);
        assert_eq!(normalise(""), None);
    }

    #[test]
    fn codes_are_spread_over_the_whole_alphabet() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..400 {
            seen.extend(normalise(&random_code().unwrap()).unwrap().bytes());
        }
        assert_eq!(seen.len(), ALPHABET.len());
    }

    #[test]
    fn a_code_is_sealed_for_its_purpose_and_hashed_under_the_key() {
        let keys = Keys::ephemeral().unwrap();
        let sealed = keys.seal(CODE_PURPOSE, b"K7P-4QX-9MZ").unwrap();
        assert!(!sealed.windows(3).any(|w| w == b"K7P"));
        assert!(keys.open("message", &sealed).is_err());
        assert_eq!(
            lookup_hash(&keys, "K7P4QX9MZ"),
            lookup_hash(&keys, "K7P4QX9MZ")
        );
        let other = Keys::ephemeral().unwrap();
        assert_ne!(
            lookup_hash(&keys, "K7P4QX9MZ"),
            lookup_hash(&other, "K7P4QX9MZ")
        );
    }
}
