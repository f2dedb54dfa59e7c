//! Clustering tips into suspected facilities and ranking them, over what the
//! pipeline recorded. The tips' facts are kept in memory (loaded once from the
//! store, then added to as the pipeline goes); each reclustering runs
//! `vigil-intel` over all of them, keeps facility ids stable by overlap with
//! the stored facilities, and writes only the facilities that changed.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;
use vigil_domain::{EventKind, FacilityId, TipId};
use vigil_intel::{
    ClusterConfig, FacilityFacts, Ident, Overrides, TipFacts, Weights, assign_ids, cluster, score,
};
use vigil_store::{FacilityWrite, TipRow};

use std::sync::Arc;

use crate::CoreError;
use vigil_store::DynStore;

/// Clustering into facilities and their ranking, over the facts kept in
/// memory. Cheap to clone.
#[derive(Clone)]
pub struct IntelService {
    pub(crate) store: DynStore,
    /// Clustering state (the tips' facts), shared by the pipeline passes.
    pub(crate) intel: Arc<tokio::sync::Mutex<IntelState>>,
}

impl IntelService {
    /// Clustering over `store`, its facts loaded at the first pass.
    pub fn new(store: DynStore) -> Self {
        IntelService {
            store,
            intel: Arc::default(),
        }
    }
}

/// The in-memory side of clustering.
#[derive(Default)]
pub struct IntelState {
    loaded: bool,
    facts: BTreeMap<i64, TipFacts>,
    /// What was last written: facility → (tips, priority in hundredths).
    written: HashMap<FacilityId, (Vec<i64>, i64)>,
    dirty: bool,
    /// A tip reporting people in danger arrived since the last reclustering.
    urgent: bool,
    last_run: Option<std::time::Instant>,
    /// The pipeline cursor the facts reflect: tips other workers processed
    /// after it are read back from the store before reclustering.
    seen: i64,
    /// Tips this worker noted since then (no need to read them back).
    noted: std::collections::HashSet<i64>,
    /// Whether this worker held the reclustering lease last time.
    leased: bool,
}

/// This process's name for leases and for the events its pipeline claims.
pub(crate) fn owner() -> &'static str {
    static OWNER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OWNER.get_or_init(|| {
        let t = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("pid{}-{t}", std::process::id())
    })
}

/// The facts of `tips` from what the pipeline recorded (their sightings and
/// photo counts), read back rather than extracted again.
async fn stored_facts(v: &IntelService, tips: &[TipRow]) -> Result<Vec<TipFacts>, CoreError> {
    let ids: Vec<TipId> = tips.iter().map(|t| t.id).collect();
    let mut idents: HashMap<i64, Vec<Ident>> = HashMap::new();
    for (t, kind, value) in v.store.sightings_of(&ids).await? {
        if let Some(kind) = vigil_extract::Kind::parse(&kind) {
            idents.entry(t.0).or_default().push(Ident::new(kind, value));
        }
    }
    let photos: HashMap<i64, i64> = v
        .store
        .attachment_counts(&ids)
        .await?
        .into_iter()
        .map(|(t, n)| (t.0, n))
        .collect();
    Ok(tips
        .iter()
        .map(|t| {
            let n = photos.get(&t.id.0).copied().unwrap_or(0);
            let ids = idents.remove(&t.id.0).unwrap_or_default();
            facts_of(t, ids, u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect())
}

/// Reads back the tips other workers processed since the facts were last
/// brought up to date; `true` when there were any.
async fn catch_up(v: &IntelService, st: &mut IntelState) -> Result<bool, CoreError> {
    let cursor = v.store.cursor(CURSOR).await?.0;
    let mut any = false;
    while st.seen < cursor {
        let events = v
            .store
            .events_after(vigil_domain::EventSeq(st.seen), 1000)
            .await?;
        let Some(last) = events.last().map(|e| e.seq.0) else {
            break;
        };
        let ids: Vec<TipId> = events
            .iter()
            .filter(|e| e.seq.0 <= cursor && e.kind == EventKind::TipCreated)
            .map(|e| e.tip_id)
            .filter(|t| !st.noted.contains(&t.0))
            .collect();
        if !ids.is_empty() {
            let rows = v.store.tips_by_ids(&ids).await?;
            for f in stored_facts(v, &rows).await? {
                st.facts.insert(f.id, f);
                any = true;
            }
        }
        st.seen = last.min(cursor);
    }
    st.noted.clear();
    Ok(any)
}

/// A tip's facts from its stored row, its identifiers and its photo count.
pub fn facts_of(tip: &TipRow, identifiers: Vec<Ident>, photos: u32) -> TipFacts {
    let loc = &tip.location;
    TipFacts {
        id: tip.id.0,
        received_at_unix: tip.received_at.unix_timestamp(),
        category: tip.category,
        province_code: loc.province_code.clone(),
        district_code: loc.district_code.clone(),
        commune_code: loc.commune_code.clone(),
        village_code: loc.village_code.clone(),
        place: loc.place.clone(),
        lat: loc.lat,
        lon: loc.lon,
        text: tip.text.clone(),
        identifiers,
        danger: tip.danger,
        photos,
    }
}

async fn ensure_loaded(v: &IntelService, st: &mut IntelState) -> Result<(), CoreError> {
    if st.loaded {
        return Ok(());
    }
    st.seen = v.store.cursor(CURSOR).await?.0;
    let mut after = TipId(0);
    loop {
        let tips = v.store.tips_after(after, 1000).await?;
        let Some(last) = tips.last() else {
            break;
        };
        after = last.id;
        // Tips the pipeline has not reached yet come through it later.
        for f in stored_facts(v, &tips).await? {
            st.facts.insert(f.id, f);
        }
    }
    for (id, tips) in v.store.memberships().await? {
        st.written
            .insert(id, (tips.iter().map(|t| t.0).collect(), i64::MIN));
    }
    st.loaded = true;
    st.dirty = true;
    Ok(())
}

/// Adds (or replaces) tips' facts after the pipeline processed them;
/// `urgent` when one of them reports people in danger (recluster at once).
pub async fn note_tips(
    v: &IntelService,
    facts: Vec<TipFacts>,
    urgent: bool,
) -> Result<(), CoreError> {
    let mut st = v.intel.lock().await;
    ensure_loaded(v, &mut st).await?;
    for f in facts {
        st.noted.insert(f.id);
        st.facts.insert(f.id, f);
    }
    st.urgent |= urgent;
    st.dirty = true;
    Ok(())
}

/// What admins and analysts decided: hub and ignored values, merges and splits.
async fn overrides(v: &IntelService) -> Result<Overrides, CoreError> {
    let mut o = Overrides::default();
    for (kind, value, mode) in v.store.observable_modes().await? {
        let Some(kind) = vigil_extract::Kind::parse(&kind) else {
            continue;
        };
        let ident = Ident::new(kind, value);
        match mode {
            vigil_store::ObservableMode::Hub => o.force_hub.push(ident),
            vigil_store::ObservableMode::Ignore => o.ignore.push(ident),
            vigil_store::ObservableMode::Auto => {}
        }
    }
    // One decision may be several operations (a merge ties every tip).
    for ops in v.store.analyst_ops().await? {
        o.ops.extend(ops);
    }
    Ok(o)
}

/// Marks the clustering out of date so the next pass reclusters at once.
pub async fn invalidate(v: &IntelService) {
    let mut st = v.intel.lock().await;
    st.dirty = true;
    st.urgent = true;
}

/// What one reclustering did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reclustered {
    /// Facilities in all.
    pub facilities: usize,
    /// Facilities written because they changed.
    pub written: usize,
    /// Facilities removed.
    pub removed: usize,
}

fn province_of(tips: &[&TipFacts]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tips {
        let p = t
            .province_code
            .as_deref()
            .or_else(|| t.district_code.as_deref().and_then(|d| d.get(..2)))
            .or_else(|| t.commune_code.as_deref().and_then(|d| d.get(..2)))
            .or_else(|| t.village_code.as_deref().and_then(|d| d.get(..2)))
            .or_else(|| {
                t.identifiers
                    .iter()
                    .find(|i| i.kind == vigil_extract::Kind::Place)
                    .and_then(|i| i.value.get(..2))
            });
        if let Some(p) = p {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(p, _)| p.to_string())
}

/// Lets another worker recluster at once (when this one stops).
pub async fn release(v: &IntelService) -> Result<(), CoreError> {
    let mut st = v.intel.lock().await;
    if st.leased {
        v.store
            .try_lease("recluster", owner(), std::time::Duration::ZERO)
            .await?;
        st.leased = false;
    }
    Ok(())
}

/// Reclusters everything if anything changed since the last time.
pub async fn recluster(v: &IntelService) -> Result<Reclustered, CoreError> {
    recluster_if_due(v, std::time::Duration::ZERO).await
}

/// Reclusters if anything changed and either `every` has passed since the
/// last reclustering or a tip reporting people in danger arrived.
pub async fn recluster_if_due(
    v: &IntelService,
    every: std::time::Duration,
) -> Result<Reclustered, CoreError> {
    let mut st = v.intel.lock().await;
    ensure_loaded(v, &mut st).await?;
    if catch_up(v, &mut st).await? {
        st.dirty = true;
    }
    let due = st.urgent || st.last_run.is_none_or(|t| t.elapsed() >= every);
    if !st.dirty || !due {
        return Ok(Reclustered::default());
    }
    // One worker at a time reclusters; one that takes over from another
    // starts from what is stored.
    let ttl = every.max(std::time::Duration::from_secs(30)) * 3;
    if !v.store.try_lease("recluster", owner(), ttl).await? {
        st.leased = false;
        return Ok(Reclustered::default());
    }
    if !st.leased && st.last_run.is_some() {
        st.written = v
            .store
            .memberships()
            .await?
            .into_iter()
            .map(|(id, tips)| (id, (tips.iter().map(|t| t.0).collect(), i64::MIN)))
            .collect();
    }
    st.leased = true;
    let overrides = overrides(v).await?;
    let facts: Vec<TipFacts> = st.facts.values().cloned().collect();
    let previous: Vec<(vigil_intel::FacilityId, Vec<i64>)> = st
        .written
        .iter()
        .map(|(id, (tips, _))| (vigil_intel::FacilityId(id.0), tips.clone()))
        .collect();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let (clusters, ids, priorities) = tokio::task::spawn_blocking(move || {
        let config = ClusterConfig::default();
        let weights = Weights::default();
        let clustering = cluster(&facts, &config, &overrides);
        let ids = assign_ids(&previous, &clustering.clusters);
        let by_id: HashMap<i64, &TipFacts> = facts.iter().map(|f| (f.id, f)).collect();
        let priorities: Vec<_> = clustering
            .clusters
            .iter()
            .map(|c| {
                let tips: Vec<&TipFacts> = c
                    .tips
                    .iter()
                    .filter_map(|t| by_id.get(t).copied())
                    .collect();
                let mut idents: Vec<&Ident> = tips
                    .iter()
                    .flat_map(|t| t.identifiers.iter())
                    .filter(|i| !c.leads.contains(i))
                    .collect();
                idents.sort();
                idents.dedup();
                let ff = FacilityFacts::from_tips(&tips, c.independent_tips, idents.len(), 0);
                let p = score(&ff, &weights, now);
                let first = tips.iter().map(|t| t.received_at_unix).min().unwrap_or(now);
                let last = tips.iter().map(|t| t.received_at_unix).max().unwrap_or(now);
                let name = vigil_intel::name_of(&tips);
                (p, province_of(&tips), first, last, name)
            })
            .collect();
        (clustering.clusters, ids, priorities)
    })
    .await
    .map_err(|e| CoreError::Internal(format!("clustering task: {e}")))?;

    let mut next = st.written.keys().map(|f| f.0).max().unwrap_or(0).max(0);
    let mut upsert = Vec::new();
    let mut kept = HashMap::new();
    for ((c, id), (p, province, first, last, name)) in clusters.iter().zip(ids).zip(priorities) {
        let id = match id {
            Some(f) => FacilityId(f.0),
            None => {
                next += 1;
                FacilityId(next)
            }
        };
        let hundredths = (p.score * 100.0).round() as i64;
        let same = st
            .written
            .get(&id)
            .is_some_and(|(tips, pr)| *tips == c.tips && *pr == hundredths);
        kept.insert(id, (c.tips.clone(), hundredths));
        if same {
            continue;
        }
        let reasons = serde_json::to_string(&p.reasons)
            .map_err(|e| CoreError::Internal(format!("reasons: {e}")))?;
        let at =
            |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let name = match name {
            Some(n) => {
                serde_json::to_string(&n).map_err(|e| CoreError::Internal(format!("name: {e}")))?
            }
            None => String::new(),
        };
        upsert.push(FacilityWrite {
            id,
            tips: c.tips.iter().map(|t| TipId(*t)).collect(),
            priority: p.score,
            reasons,
            name,
            province_code: province,
            first_at: at(first),
            last_at: at(last),
        });
    }
    let removed: Vec<FacilityId> = st
        .written
        .keys()
        .filter(|f| !kept.contains_key(f))
        .copied()
        .collect();
    if !upsert.is_empty() || !removed.is_empty() {
        v.store.save_facilities(&upsert, &removed).await?;
    }
    let out = Reclustered {
        facilities: kept.len(),
        written: upsert.len(),
        removed: removed.len(),
    };
    st.written = kept;
    st.dirty = false;
    st.urgent = false;
    st.last_run = Some(std::time::Instant::now());
    Ok(out)
}

/// One facility as `vigil export facilities` writes it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportedFacility {
    /// Facility id.
    pub id: i64,
    /// Its tips: the import `ref` where there is one, else the tip id.
    pub tips: Vec<serde_json::Value>,
    /// Priority score.
    pub priority: f64,
    /// The reasons with their weights.
    pub reasons: serde_json::Value,
    /// Province code.
    pub province_code: Option<String>,
}

/// Every facility, highest priority first, for export; `each` gets them one by one.
pub async fn export(
    v: &IntelService,
    mut each: impl FnMut(ExportedFacility) -> Result<(), CoreError>,
) -> Result<usize, CoreError> {
    let mut offset = 0;
    let mut n = 0;
    loop {
        let (page, _) = v
            .store
            .facilities(&vigil_store::FacilityQuery {
                provinces: None,
                limit: 500,
                offset,
            })
            .await?;
        if page.is_empty() {
            return Ok(n);
        }
        offset += page.len() as i64;
        for f in page {
            let (_, tips) = v.store.facility(f.id).await?;
            let refs = v
                .store
                .tips_by_ids(&tips)
                .await?
                .into_iter()
                .map(|row| match row.external_ref {
                    Some(r) => serde_json::Value::String(r),
                    None => serde_json::Value::from(row.id.0),
                })
                .collect();
            each(ExportedFacility {
                id: f.id.0,
                tips: refs,
                priority: f.priority,
                reasons: serde_json::from_str(&f.reasons)
                    .unwrap_or(serde_json::Value::Array(Vec::new())),
                province_code: f.province_code,
            })?;
            n += 1;
        }
    }
}

/// The cursor's name in the store.
pub const CURSOR: &str = "pipeline";
