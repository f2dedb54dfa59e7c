//! Exit screening over what the tip line knows: the watchlist built from
//! intelligence. Values (phones, handles, domains, wallets…) seen in tips of
//! category `recruitment` or `trafficking`, or in tips that belong to a
//! facility of two tips or more (a lone tip is a facility of its own, which
//! says nothing about recruitment), are listed with labels naming what is behind them — only as far
//! as the viewer may see: a facility or tip outside the jurisdiction, or a tip
//! for a role that does not read tips (immigration), is named only as
//! "tip-line intelligence". Values an admin marked `ignore` are never listed.
//! Employer and agency names those tips give (`vigil_extract::org`) are listed
//! under the same labels.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use time::OffsetDateTime;
use vigil_domain::posts::{self, Post};
use vigil_domain::{Capability, Category, FacilityId, Jurisdiction, TipId};
use vigil_screening::Watchlist;
use vigil_screening::policy::{DEFAULT_POLICY, Policy};
use vigil_store::{DynStore, FacilityQuery, ObservableMode};

use crate::CoreError;
use crate::field::FieldMessage;
use crate::keys::Keys;
use crate::settings::Settings;
use crate::staff::Principal;

/// The exit-screening slice: the store, the keys that seal travellers, the
/// watchlists built, the policy in force and the policies whose note is
/// stored. Cheap to clone.
#[derive(Clone)]
pub struct ScreeningService {
    pub(crate) store: DynStore,
    pub(crate) keys: Arc<Keys>,
    pub(crate) settings: Arc<Settings>,
    /// Screening watchlists built from the store, by view, for a while.
    pub(crate) watchlists: Arc<tokio::sync::Mutex<WatchlistCache>>,
    /// The policy in force (the shipped default until [`install_policy`]
    /// replaces it), with its TOML text when known (sent to offline posts).
    pub(crate) policy: Arc<RwLock<Option<PolicyInForce>>>,
    /// Policies (`name@version`) whose scope note this process has stored
    /// for the fairness report: stored once, not at every screening.
    pub(crate) policies_noted: Arc<Mutex<HashSet<String>>>,
}

/// A policy in force and its TOML text, when known.
pub(crate) type PolicyInForce = (Arc<Policy>, Option<Arc<str>>);

impl ScreeningService {
    /// The slice over `store`, screening with the shipped policy.
    pub fn new(store: DynStore, keys: Arc<Keys>, settings: Arc<Settings>) -> Self {
        ScreeningService {
            store,
            keys,
            settings,
            watchlists: Arc::default(),
            policy: Arc::default(),
            policies_noted: Arc::default(),
        }
    }
}

/// The label a recruiter's contacts carry on the watchlist.
pub fn recruiter_label(id: i64) -> String {
    format!("recruiter {id}")
}

/// The label of a hit whose sources the viewer may not see.
pub const UNNAMED: &str = "tip-line intelligence";

/// Who a watchlist is built for: what its labels may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchlistView {
    /// Tip ids may be named (roles that read tips).
    pub tips: bool,
    /// Only facilities and tips placed here are named.
    pub jurisdiction: Jurisdiction,
}

impl WatchlistView {
    /// What a signed-in account may see: facilities within its jurisdiction,
    /// and tip ids only for roles that read tips.
    pub fn of(p: &Principal) -> WatchlistView {
        WatchlistView {
            tips: p.role.can(Capability::ReadTips),
            jurisdiction: p.jurisdiction.clone(),
        }
    }

    /// The operator at the machine (`vigil screen --data-dir`): everything.
    pub fn operator() -> WatchlistView {
        WatchlistView {
            tips: true,
            jurisdiction: Jurisdiction::National,
        }
    }
}

/// Values of these kinds are places, not contacts: never listed.
fn listed(kind: &str) -> bool {
    !matches!(kind, "place" | "coordinates")
}

/// The watchlist from the store's intelligence, labelled for `view`.
pub async fn watchlist(v: &ScreeningService, view: &WatchlistView) -> Result<Watchlist, CoreError> {
    // Facilities: which tips belong to which, and whether the viewer may name them.
    let mut facility_of: HashMap<TipId, (FacilityId, bool)> = HashMap::new();
    for (f, tips) in v.store.memberships().await? {
        let corroborated = tips.len() >= 2;
        for t in tips {
            facility_of.insert(t, (f, corroborated));
        }
    }
    let mut visible_facilities: HashSet<FacilityId> = HashSet::new();
    let mut offset = 0;
    loop {
        let (page, _) = v
            .store
            .facilities(&FacilityQuery {
                provinces: view.jurisdiction.provinces().map(<[String]>::to_vec),
                limit: 1000,
                offset,
            })
            .await?;
        if page.is_empty() {
            break;
        }
        offset += page.len() as i64;
        visible_facilities.extend(page.into_iter().map(|f| f.id));
    }
    let ignored: HashSet<(String, String)> = v
        .store
        .observable_modes()
        .await?
        .into_iter()
        .filter(|(_, _, m)| *m == ObservableMode::Ignore)
        .map(|(k, val, _)| (k, val))
        .collect();

    let mut w = Watchlist::new();
    let mut after = TipId(0);
    loop {
        let tips = v.store.tips_after(after, 1000).await?;
        let Some(last) = tips.last() else {
            break;
        };
        after = last.id;
        let mut labels: HashMap<TipId, String> = HashMap::new();
        for t in &tips {
            let facility = facility_of.get(&t.id).copied();
            let tied = facility.is_some_and(|(_, corroborated)| corroborated)
                || matches!(t.category, Category::Recruitment | Category::Trafficking);
            if !tied {
                continue;
            }
            let label = label(view, &visible_facilities, facility.map(|(f, _)| f), t);
            // Employer and agency names are not observables: read from the text.
            for name in vigil_extract::org::organisations(&t.text) {
                w.add(&name, label.clone());
            }
            labels.insert(t.id, label);
        }
        if labels.is_empty() {
            continue;
        }
        let ids: Vec<TipId> = labels.keys().copied().collect();
        for (tip, kind, value) in v.store.sightings_of(&ids).await? {
            if !listed(&kind) || ignored.contains(&(kind, value.clone())) {
                continue;
            }
            if let Some(label) = labels.get(&tip) {
                w.add(&value, label.clone());
            }
        }
    }
    // Recruiters' contacts, as victims gave them or as recruiters met had
    // them: a traveller whose job offer names one meets that recruiter.
    for (recruiter, kind, value) in v.store.recruiter_contacts().await? {
        if listed(&kind) && !ignored.contains(&(kind, value.clone())) {
            w.add(&value, recruiter_label(recruiter));
        }
    }
    Ok(w)
}

/// What a hit on tip `t`'s values names for `view`: its facility, the tip, or
/// only [`UNNAMED`].
fn label(
    view: &WatchlistView,
    visible_facilities: &HashSet<FacilityId>,
    facility: Option<FacilityId>,
    t: &vigil_store::TipRow,
) -> String {
    match facility {
        Some(f) if visible_facilities.contains(&f) => format!("facility {f}"),
        _ if view.tips
            && view
                .jurisdiction
                .covers(t.location.province_code.as_deref()) =>
        {
            format!("tip {}", t.id)
        }
        _ => UNNAMED.to_string(),
    }
}

/// The watchlist as `p` may see it, built afresh.
pub async fn watchlist_for(v: &ScreeningService, p: &Principal) -> Result<Watchlist, CoreError> {
    watchlist(v, &WatchlistView::of(p)).await
}

/// Watchlists already built, by view: (tips named, jurisdiction) → (when, list).
#[derive(Default)]
pub struct WatchlistCache {
    built: HashMap<(bool, String), (std::time::Instant, Arc<Watchlist>)>,
}

/// The watchlist as `p` may see it, rebuilt at most every
/// `[screening] watchlist_refresh_secs` (and after an admin's hub/ignore mark),
/// so a screening at the counter does not read every tip.
pub async fn cached_for(v: &ScreeningService, p: &Principal) -> Result<Arc<Watchlist>, CoreError> {
    let view = WatchlistView::of(p);
    let key = (view.tips, view.jurisdiction.to_stored());
    let every = std::time::Duration::from_secs(v.settings.screening.watchlist_refresh_secs);
    // Held while building: concurrent screenings wait for one build.
    let mut cache = v.watchlists.lock().await;
    if let Some((at, w)) = cache.built.get(&key)
        && at.elapsed() < every
    {
        return Ok(Arc::clone(w));
    }
    let mut w = watchlist(v, &view).await?;
    add_pulled(v, &mut w).await?;
    let w = Arc::new(w);
    cache
        .built
        .insert(key, (std::time::Instant::now(), Arc::clone(&w)));
    Ok(w)
}

/// Forgets the built watchlists (an admin changed what is listed).
pub async fn invalidate(v: &ScreeningService) {
    v.watchlists.lock().await.built.clear();
}

/// Sealing purpose of the traveller's data.
pub(crate) const SEAL_TRAVELLER: &str = "screening.traveller";

/// Sealing purpose of the officer's note.
pub(crate) const SEAL_NOTE: &str = "screening.note";

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
pub fn install_policy(v: &ScreeningService, policy: Arc<Policy>) {
    set_policy(v, policy, None);
}

/// Puts `policy` in force with its TOML text, which central sends to offline
/// posts (`vigil sync pull`).
pub fn install_policy_source(v: &ScreeningService, policy: Arc<Policy>, source: Arc<str>) {
    set_policy(v, policy, Some(source));
}

fn set_policy(v: &ScreeningService, policy: Arc<Policy>, source: Option<Arc<str>>) {
    let mut slot = v.policy.write().unwrap_or_else(PoisonError::into_inner);
    *slot = Some((policy, source));
}

/// The policy in force: the one installed, else the shipped default.
pub fn policy(v: &ScreeningService) -> Result<Arc<Policy>, CoreError> {
    let slot = v.policy.read().unwrap_or_else(PoisonError::into_inner);
    match slot.as_ref() {
        Some((p, _)) => Ok(Arc::clone(p)),
        None => shipped_policy(),
    }
}

/// The policy in force with its TOML text; unavailable when it was installed
/// without its text.
pub fn policy_source(v: &ScreeningService) -> Result<(Arc<Policy>, Arc<str>), CoreError> {
    let slot = v.policy.read().unwrap_or_else(PoisonError::into_inner);
    match slot.as_ref() {
        Some((p, Some(text))) => Ok((Arc::clone(p), Arc::clone(text))),
        Some((_, None)) => Err(CoreError::Unavailable(
            "the policy in force was installed without its text".into(),
        )),
        None => Ok((shipped_policy()?, Arc::from(DEFAULT_POLICY))),
    }
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
        crate::error::invalid(
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
    v: &ScreeningService,
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
pub(crate) fn reference_of(v: &ScreeningService, sealed: &[u8]) -> Option<String> {
    let json = v.keys.open(SEAL_TRAVELLER, sealed).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    value["ref"].as_str().map(str::to_string)
}

/// The instant before which screenings are expired (`[screening] keep_days`).
pub fn expiry(settings: &Settings) -> OffsetDateTime {
    OffsetDateTime::now_utc() - time::Duration::days(i64::from(settings.screening.keep_days))
}

/// Adds the watchlist pulled from central, if any, to `w`: an offline post
/// screens against its own tips' watchlist and central's. A policy pulled
/// since the one in force (by another process: `vigil sync pull` beside
/// `vigil serve`) is put in force here too, unless `[screening] policy_file`
/// names one — so a running post follows a pull within `[screening]
/// watchlist_refresh_secs`.
pub async fn add_pulled(v: &ScreeningService, w: &mut Watchlist) -> Result<(), CoreError> {
    let Some(pulled) = v.store.sync_pulled().await? else {
        return Ok(());
    };
    for (value, label) in &pulled.entries {
        w.add(value, label.clone());
    }
    let in_force = policy_source(v).ok().map(|(_, text)| text);
    if v.settings.screening.policy_file.is_none()
        && in_force.as_deref() != Some(pulled.policy.as_str())
    {
        match Policy::from_toml(&pulled.policy) {
            Ok(policy) => {
                tracing::info!(policy = %pulled.policy_id, "the policy pulled from central is in force");
                install_policy_source(v, Arc::new(policy), Arc::from(pulled.policy));
            }
            // Checked when it was pulled; kept out of force rather than stop screening.
            Err(e) => {
                tracing::error!(policy = %pulled.policy_id, "pulled policy does not load: {e}")
            }
        }
    }
    Ok(())
}

/// Puts the policy last pulled from central in force, if any (at start).
pub(crate) async fn install_pulled_policy(v: &ScreeningService) -> Result<(), CoreError> {
    let Some(pulled) = v.store.sync_pulled().await? else {
        return Ok(());
    };
    let policy = Policy::from_toml(&pulled.policy).map_err(|e| {
        CoreError::Unavailable(format!(
            "the policy pulled from central ({}): {e}",
            pulled.policy_id
        ))
    })?;
    install_policy_source(v, Arc::new(policy), Arc::from(pulled.policy));
    Ok(())
}
