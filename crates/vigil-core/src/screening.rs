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
use std::sync::Arc;
use vigil_domain::Capability;

use vigil_domain::{Category, FacilityId, Jurisdiction, TipId};
use vigil_screening::Watchlist;
use vigil_store::{FacilityQuery, ObservableMode};

use crate::staff::Principal;
use crate::{CoreError, Vigil};

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
pub async fn watchlist(v: &Vigil, view: &WatchlistView) -> Result<Watchlist, CoreError> {
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
pub async fn watchlist_for(v: &Vigil, p: &Principal) -> Result<Watchlist, CoreError> {
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
pub async fn cached_for(v: &Vigil, p: &Principal) -> Result<Arc<Watchlist>, CoreError> {
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
    crate::sync::add_pulled(v, &mut w).await?;
    let w = Arc::new(w);
    cache
        .built
        .insert(key, (std::time::Instant::now(), Arc::clone(&w)));
    Ok(w)
}

/// Forgets the built watchlists (an admin changed what is listed).
pub async fn invalidate(v: &Vigil) {
    v.watchlists.lock().await.built.clear();
}
