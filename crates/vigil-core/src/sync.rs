//! Offline posts: a post with a poor link runs its own Vigil and exchanges
//! signed bundles with central (`vigil-sync`): its screenings go up in bundles
//! of `[sync] batch`, in change order, the push cursor moving after each one
//! central acknowledges; central's watchlist (labelled for the post's account)
//! and policy come down. A bundle that fails its signature or was altered is
//! refused whole and nothing of it is stored.

use std::sync::Arc;
use vigil_domain::AuditAction;

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_screening::{Policy, Traveller};
use vigil_store::{NewScreening, SyncCounts, SyncIncoming, SyncPulled};
use vigil_sync::{
    Bundle, FORMAT, Kind, ScreeningItem, ScreeningItems, Signer, WatchlistEntry, WatchlistItems,
};

use crate::CoreError;
use crate::screening::{
    SEAL_NOTE, SEAL_TRAVELLER, ScreeningService, WatchlistView, exit_post, install_policy_source,
    invalidate, may_screen, policy_source, watchlist,
};
use crate::screenings::PUSH_CURSOR;
pub use crate::screenings::pending;
use crate::settings::Settings;
pub use crate::signing::{SYNC_KEY_FILE, key_path, public_key, signing_key};
use crate::staff::Principal;

fn instance(settings: &Settings) -> Result<&str, CoreError> {
    let name = settings.sync.instance.trim();
    if name.is_empty() || name.contains(':') {
        return Err(CoreError::Unavailable(
            "[sync] instance is not set (a name without ':', e.g. \"poipet\")".into(),
        ));
    }
    Ok(name)
}

fn now_ns() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn from_ns(ns: i64) -> Result<OffsetDateTime, CoreError> {
    // Whole microseconds: PostgreSQL keeps no more, so a time read back
    // compares equal to the one received.
    let micros = i128::from(ns).div_euclid(1000) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(micros)
        .map_err(|_| bad_bundle((crate::field::FieldMessage::NotATime, "value", ns)))
}

fn to_ns(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn bad_bundle(why: impl Into<crate::field::Reason>) -> CoreError {
    crate::error::invalid("bundle", why)
}

fn audit(action: AuditAction, object: String, detail: String) -> NewAuditEntry {
    NewAuditEntry {
        actor: "cli".into(),
        action,
        object,
        detail,
    }
}

/// A bundle of local screenings ready to push.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The signed bundle (JSON text).
    pub bundle: String,
    /// How many screenings it carries.
    pub count: usize,
    /// The change sequence it reaches: acknowledge it once central has it.
    pub upto: i64,
}

/// The next bundle of local screenings changed after the push cursor (at most
/// `[sync] batch`), or `None` when central has everything.
pub async fn next_push(v: &ScreeningService) -> Result<Option<Outgoing>, CoreError> {
    let from = instance(&v.settings)?;
    let key = signing_key(&v.settings)?;
    let after = v.store.sync_cursor(PUSH_CURSOR).await?;
    let batch = i64::try_from(v.settings.sync.batch.clamp(1, 10_000)).unwrap_or(500);
    let rows = v.store.sync_outgoing(after, batch).await?;
    let Some(upto) = rows.last().map(|r| r.seq) else {
        return Ok(None);
    };
    let mut items: ScreeningItems = Vec::with_capacity(rows.len());
    for r in rows {
        let row = r.row;
        let traveller =
            String::from_utf8(v.keys.open(SEAL_TRAVELLER, &row.screening.traveller)?)
                .map_err(|_| CoreError::Internal("a sealed traveller is not UTF-8".into()))?;
        let note = if row.note.is_empty() {
            String::new()
        } else {
            String::from_utf8(v.keys.open(SEAL_NOTE, &row.note)?)
                .map_err(|_| CoreError::Internal("a sealed note is not UTF-8".into()))?
        };
        let s = row.screening;
        items.push(ScreeningItem {
            uid: format!("{from}:{}", row.id),
            policy: s.policy,
            outcome: s.outcome,
            score: s.score,
            reasons: s.reasons,
            post: s.post,
            officer: s.officer.0,
            traveller,
            created_ns: to_ns(s.created_at),
            decision: row.decision,
            note,
            decided_ns: row.decided_at.map(to_ns),
        });
    }
    let count = items.len();
    let bundle = Bundle {
        format: FORMAT,
        kind: Kind::Screenings,
        from: from.to_string(),
        created_ns: now_ns(),
        after,
        upto,
        items,
    };
    let bundle = vigil_sync::seal(&bundle, &key).map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok(Some(Outgoing {
        bundle,
        count,
        upto,
    }))
}

/// Central has the changes up to `upto`: the next push starts after them.
pub async fn acknowledge(v: &ScreeningService, upto: i64) -> Result<(), CoreError> {
    Ok(v.store.sync_set_cursor(PUSH_CURSOR, upto).await?)
}

/// The push cursor: local changes up to it are at central.
pub async fn push_cursor(v: &ScreeningService) -> Result<i64, CoreError> {
    Ok(v.store.sync_cursor(PUSH_CURSOR).await?)
}

fn trusted_posts(settings: &Settings) -> Result<Vec<Signer>, CoreError> {
    settings
        .sync
        .posts
        .iter()
        .map(|p| {
            let key = vigil_sync::parse_public_key(&p.key).map_err(|e| {
                CoreError::Unavailable(format!("[sync] posts: the key of \"{}\": {e}", p.name))
            })?;
            Ok(Signer {
                name: Some(p.name.clone()),
                key,
            })
        })
        .collect()
}

/// A received screening as this instance stores it: the traveller and note
/// sealed under this instance's keys, the officer the account that pushed it.
/// The one place a received screening becomes a [`NewScreening`].
fn received(
    v: &ScreeningService,
    p: &Principal,
    from: &str,
    item: &ScreeningItem,
) -> Result<SyncIncoming, CoreError> {
    // Each refusal names the item's field, and the screening by its uid.
    let field = |name: &str, why: crate::field::Reason| {
        CoreError::InvalidField(crate::field::FieldError::of(name, why).arg("screening", &item.uid))
    };
    let own = item
        .uid
        .strip_prefix(from)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|id| !id.is_empty());
    if !own {
        return Err(field(
            "uid",
            crate::field::FieldMessage::NotFromPost
                .with("value", &item.uid)
                .arg("post", from),
        ));
    }
    let outcome_ok = |o: &str| vigil_screening::Outcome::parse(o).is_some();
    let outcomes = (
        crate::field::FieldMessage::NotAChoice,
        "choices",
        "clear, interview, refer",
    );
    if !outcome_ok(&item.outcome) {
        return Err(field("outcome", outcomes.into()));
    }
    if item.decision.as_deref().is_some_and(|d| !outcome_ok(d)) {
        return Err(field("decision", outcomes.into()));
    }
    if item.decision.is_some() != item.decided_ns.is_some() {
        return Err(field(
            "decision",
            crate::field::FieldMessage::NeedsTime.into(),
        ));
    }
    let post = exit_post(&item.post).map_err(|e| match e {
        CoreError::InvalidField(fe) => CoreError::InvalidField(fe.arg("screening", &item.uid)),
        e => e,
    })?;
    if !p.jurisdiction.covers(Some(&post.province_code)) {
        return Err(field(
            "post",
            crate::field::FieldMessage::OutsideJurisdiction.into(),
        ));
    }
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
    if !json(&item.reasons).is_some_and(|r| r.is_array()) {
        return Err(field(
            "reasons",
            crate::field::FieldMessage::NotAList.into(),
        ));
    }
    let traveller = Traveller::from_json(&item.traveller).map_err(|e| {
        let name = match e.field.as_str() {
            "." => "traveller".to_string(),
            f => format!("traveller.{f}"),
        };
        field(&name, e.kind.into())
    })?;
    let note = if item.note.is_empty() {
        Vec::new()
    } else {
        v.keys.seal(SEAL_NOTE, item.note.as_bytes())?
    };
    Ok(SyncIncoming {
        origin: item.uid.clone(),
        screening: NewScreening {
            policy: item.policy.clone(),
            outcome: item.outcome.clone(),
            score: item.score,
            reasons: item.reasons.clone(),
            post: post.code.clone(),
            officer: p.id,
            traveller: v.keys.seal(SEAL_TRAVELLER, item.traveller.as_bytes())?,
            sex: traveller.sex.as_str().into(),
            age_band: crate::fairness::age_band(traveller.age.years()).into(),
            created_at: from_ns(item.created_ns)?,
        },
        decision: item.decision.clone(),
        note,
        decided_at: item.decided_ns.map(from_ns).transpose()?,
    })
}

/// Central receives a post's bundle (pushed with `p`'s token): verified
/// against `[sync] posts`, then every screening stored in one transaction,
/// audited. A bundle that does not verify or read is refused whole
/// (`InvalidField` on `bundle`, saying why) and nothing is stored.
pub async fn receive_screenings(
    v: &ScreeningService,
    p: &Principal,
    text: &str,
) -> Result<SyncCounts, CoreError> {
    may_screen(p)?;
    let trusted = trusted_posts(&v.settings)?;
    let bundle: Bundle<ScreeningItems> =
        vigil_sync::open(text, Kind::Screenings, &trusted).map_err(bad_bundle)?;
    let items = bundle
        .items
        .iter()
        .map(|item| received(v, p, &bundle.from, item))
        .collect::<Result<Vec<_>, _>>()?;
    // Screenings already past `[screening] keep_days` here are not stored
    // again (central may have purged them): counted as already there.
    let expiry = crate::screening::expiry(&v.settings);
    let (items, expired): (Vec<_>, Vec<_>) = items
        .into_iter()
        .partition(|i| i.screening.created_at >= expiry);
    let mut counts = v
        .store
        .sync_upsert_screenings(
            &items,
            p.audit(
                AuditAction::SyncReceive,
                format!("post:{}", bundle.from),
                format!(
                    "after={} upto={} items={}",
                    bundle.after,
                    bundle.upto,
                    items.len()
                ),
            ),
        )
        .await?;
    counts.unchanged += expired.len() as u64;
    Ok(counts)
}

/// Central's watchlist as `p` may see it and the policy in force, signed, for
/// a post to pull; audited.
pub async fn watchlist_bundle(v: &ScreeningService, p: &Principal) -> Result<String, CoreError> {
    may_screen(p)?;
    let key = signing_key(&v.settings)?;
    let from = match v.settings.sync.instance.trim() {
        "" => "central",
        name => name,
    };
    let list = watchlist(v, &WatchlistView::of(p)).await?;
    let mut entries: Vec<WatchlistEntry> = Vec::new();
    for (value, labels) in list.entries() {
        for label in labels {
            entries.push(WatchlistEntry {
                value: value.clone(),
                label: label.clone(),
            });
        }
    }
    entries.sort_by(|a, b| (&a.value, &a.label).cmp(&(&b.value, &b.label)));
    let (policy, source) = policy_source(v)?;
    let count = entries.len();
    let bundle = Bundle {
        format: FORMAT,
        kind: Kind::Watchlist,
        from: from.to_string(),
        created_ns: now_ns(),
        after: 0,
        upto: 0,
        items: WatchlistItems {
            entries,
            policy_id: policy.id(),
            policy: source.to_string(),
        },
    };
    let text = vigil_sync::seal(&bundle, &key).map_err(|e| CoreError::Internal(e.to_string()))?;
    v.store
        .append_audit(p.audit(
            AuditAction::SyncWatchlist,
            String::new(),
            format!("entries={count} policy={}", policy.id()),
        ))
        .await?;
    Ok(text)
}

/// What a pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// Values in the pulled watchlist.
    pub entries: usize,
    /// The pulled policy, `name@version`.
    pub policy_id: String,
    /// False when the copy held was newer and stays.
    pub replaced: bool,
}

/// A post applies a bundle pulled from central: verified against `[sync]
/// central_key`, its policy must load, then the watchlist and policy replace
/// the copy held (in one transaction, audited) and the policy is put in force
/// unless `[screening] policy_file` names one. A bundle refused for any
/// reason changes nothing.
pub async fn apply_pulled(v: &ScreeningService, text: &str) -> Result<Pulled, CoreError> {
    let central = v.settings.sync.central_key.trim();
    if central.is_empty() {
        return Err(CoreError::Unavailable(
            "[sync] central_key is not set (run `vigil sync key` on central)".into(),
        ));
    }
    let key = vigil_sync::parse_public_key(central)
        .map_err(|e| CoreError::Unavailable(format!("[sync] central_key: {e}")))?;
    let trusted = [Signer { name: None, key }];
    let bundle: Bundle<WatchlistItems> =
        vigil_sync::open(text, Kind::Watchlist, &trusted).map_err(bad_bundle)?;
    let items = bundle.items;
    let policy = Policy::from_toml(&items.policy).map_err(|e| {
        tracing::warn!(error = %e, "central's policy does not load");
        bad_bundle(crate::field::FieldMessage::PolicyUnreadable)
    })?;
    if policy.id() != items.policy_id {
        return Err(bad_bundle(
            crate::field::FieldMessage::PolicyMismatch
                .with("value", policy.id())
                .arg("expected", &items.policy_id),
        ));
    }
    let entries = items.entries.len();
    let pulled = SyncPulled {
        entries: items
            .entries
            .into_iter()
            .map(|e| (e.value, e.label))
            .collect(),
        policy_id: items.policy_id.clone(),
        policy: items.policy,
        created_at: from_ns(bundle.created_ns)?,
    };
    let replaced = v
        .store
        .sync_replace_pulled(
            &pulled,
            audit(
                AuditAction::SyncPull,
                format!("central:{}", bundle.from),
                format!("entries={entries} policy={}", items.policy_id),
            ),
        )
        .await?;
    if replaced {
        if v.settings.screening.policy_file.is_none() {
            install_policy_source(v, Arc::new(policy), Arc::from(pulled.policy.as_str()));
        }
        invalidate(v).await;
    }
    Ok(Pulled {
        entries,
        policy_id: items.policy_id,
        replaced,
    })
}
