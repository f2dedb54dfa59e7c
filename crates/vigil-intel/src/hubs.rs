//! Hub detection: which over-common identifier values must not merge facilities.
//!
//! A count cut-off cannot tell a busy facility from a recruiter: a compound reported
//! 30 times shares its own number 30 times, while a recruiter working for 20
//! compounds may appear only 25 times. What differs is *where* the tips carrying the
//! value point. For a candidate value `v` (seen in at least
//! [`HubConfig::min_support`] tips):
//!
//! 1. Take the tips carrying `v` and link them to one another by everything *except*
//!    `v`: their other identifiers and near-identical texts. Values already judged to
//!    be hubs are left out, and so, in the first round, are values more common than
//!    `v` (they are judged later), so a platform domain cannot glue a recruiter's tips
//!    together. This gives local groups: "the tips that agree with one another
//!    without `v`".
//! 2. Give each local group a place by majority vote of its tips (one misreported
//!    province is outvoted by the group): its province, its commune, and the centroid
//!    of its coordinates.
//! 3. In each of three views — province, commune, coordinates (groups whose centroids
//!    lie within [`HubConfig::separation_m`] count as one place) — weigh the places by
//!    their tips. `v` is a hub when, in any view with at least
//!    [`HubConfig::min_placed`] placed tips, there are at least
//!    [`HubConfig::min_groups`] places and the largest holds at most
//!    [`HubConfig::max_dominant_share`] of the tips.
//!
//! A second round repeats the test with every first-round hub left out (and nothing
//! else), so values judged early do not depend on the order of judgement. The
//! analyst's overrides come last: forced hubs are hubs, `never_hub` values never are.
//! Hubs stay visible as leads on the clusters whose tips carry them.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::geo::haversine_m;
use crate::uf::UnionFind;

/// Parameters of hub detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HubConfig {
    /// Values seen in fewer tips are never hubs.
    pub min_support: usize,
    /// A view is only used when this many of the value's tips have a place in it.
    pub min_placed: usize,
    /// At least this many separate places make a hub.
    pub min_groups: usize,
    /// ...provided the largest place holds at most this share of the placed tips.
    pub max_dominant_share: f64,
    /// Groups whose coordinates are closer than this are one place (metres).
    pub separation_m: f64,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            min_support: 3,
            min_placed: 3,
            min_groups: 2,
            max_dominant_share: 0.7,
            separation_m: 2_000.0,
        }
    }
}

/// The view in which a value looked like a hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HubView {
    /// Its tips point to several provinces.
    Province,
    /// Its tips point to several communes.
    Commune,
    /// Its tips point to coordinates far apart.
    Coordinates,
    /// An administrator said so.
    Forced,
}

/// Why a value is a hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubVerdict {
    /// The view that decided.
    pub view: HubView,
    /// Separate places seen in that view.
    pub groups: usize,
    /// Share of the placed tips in the largest place.
    pub dominant_share: f64,
}

/// Per-tip facts hub detection reads, indexed by tip position.
pub(crate) struct HubInput<'a> {
    pub tip_keys: &'a [Vec<u32>],
    pub key_tips: &'a [Vec<u32>],
    pub province: &'a [Option<u32>],
    pub commune: &'a [Option<u32>],
    pub point: &'a [Option<(f64, f64)>],
    /// Near-duplicate text group of each tip.
    pub text_group: &'a [u32],
}

/// The verdict for every key (`None`: not a hub). `forced[k]`/`never[k]` apply the
/// administrator's overrides.
pub(crate) fn detect(
    input: &HubInput<'_>,
    cfg: &HubConfig,
    forced: &[bool],
    never: &[bool],
) -> Vec<Option<HubVerdict>> {
    let n = input.key_tips.len();
    let support = |k: usize| input.key_tips[k].len();
    let mut order: Vec<usize> = (0..n)
        .filter(|&k| support(k) >= cfg.min_support.max(2) && !never[k] && !forced[k])
        .collect();
    order.sort_by_key(|&k| (support(k), k));
    let mut rank = vec![usize::MAX; n];
    for (r, &k) in order.iter().enumerate() {
        rank[k] = r;
    }
    // Round 1: in order of support; values not yet judged are left out.
    let mut first: Vec<bool> = forced.to_vec();
    for (r, &v) in order.iter().enumerate() {
        let skip = |u: usize| first[u] || (rank[u] != usize::MAX && rank[u] > r);
        if judge(input, cfg, v, &skip).is_some() {
            first[v] = true;
        }
    }
    // Round 2: every first-round hub left out.
    let mut out: Vec<Option<HubVerdict>> = vec![None; n];
    for &v in &order {
        let skip = |u: usize| first[u];
        out[v] = judge(input, cfg, v, &skip);
    }
    for (k, f) in forced.iter().enumerate() {
        if *f {
            out[k] = Some(HubVerdict {
                view: HubView::Forced,
                groups: 0,
                dominant_share: 0.0,
            });
        }
    }
    out
}

#[derive(Default)]
struct Group {
    tips: usize,
    provinces: Vec<(u32, usize)>,
    communes: Vec<(u32, usize)>,
    lat: f64,
    lon: f64,
    points: usize,
}

fn vote(counts: &mut Vec<(u32, usize)>, x: u32) {
    match counts.iter_mut().find(|(c, _)| *c == x) {
        Some(e) => e.1 += 1,
        None => counts.push((x, 1)),
    }
}

fn majority(counts: &[(u32, usize)]) -> Option<u32> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| *c)
}

fn judge(
    input: &HubInput<'_>,
    cfg: &HubConfig,
    v: usize,
    skip: &dyn Fn(usize) -> bool,
) -> Option<HubVerdict> {
    let tips = &input.key_tips[v];
    let mut uf = UnionFind::new(tips.len());
    let mut first_with: FxHashMap<u32, u32> = FxHashMap::default();
    let mut first_text: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, &t) in tips.iter().enumerate() {
        for &u in &input.tip_keys[t as usize] {
            if u as usize == v || skip(u as usize) {
                continue;
            }
            let j = *first_with.entry(u).or_insert(i as u32);
            uf.union(i, j as usize);
        }
        let j = *first_text
            .entry(input.text_group[t as usize])
            .or_insert(i as u32);
        uf.union(i, j as usize);
    }
    let mut groups: FxHashMap<usize, Group> = FxHashMap::default();
    let mut roots = Vec::new();
    for (i, &t) in tips.iter().enumerate() {
        let root = uf.find(i);
        let g = groups.entry(root).or_insert_with(|| {
            roots.push(root);
            Group::default()
        });
        let t = t as usize;
        g.tips += 1;
        if let Some(p) = input.province[t] {
            vote(&mut g.provinces, p);
        }
        if let Some(c) = input.commune[t] {
            vote(&mut g.communes, c);
        }
        if let Some((lat, lon)) = input.point[t] {
            g.lat += lat;
            g.lon += lon;
            g.points += 1;
        }
    }
    // Views: place → tips.
    let mut by_province: Vec<(u32, usize)> = Vec::new();
    let mut by_commune: Vec<(u32, usize)> = Vec::new();
    let mut leaders: Vec<((f64, f64), usize)> = Vec::new();
    for root in &roots {
        let Some(g) = groups.get(root) else { continue };
        if let Some(p) = majority(&g.provinces) {
            add(&mut by_province, p, g.tips);
        }
        if let Some(c) = majority(&g.communes) {
            add(&mut by_commune, c, g.tips);
        }
        if g.points > 0 {
            let centre = (g.lat / g.points as f64, g.lon / g.points as f64);
            match leaders
                .iter_mut()
                .find(|(l, _)| haversine_m(*l, centre) <= cfg.separation_m)
            {
                Some(l) => l.1 += g.tips,
                None => leaders.push((centre, g.tips)),
            }
        }
    }
    let by_coords: Vec<(u32, usize)> = leaders
        .iter()
        .enumerate()
        .map(|(i, (_, n))| (i as u32, *n))
        .collect();
    [
        (HubView::Province, by_province),
        (HubView::Commune, by_commune),
        (HubView::Coordinates, by_coords),
    ]
    .into_iter()
    .find_map(|(view, places)| {
        let total: usize = places.iter().map(|p| p.1).sum();
        let largest = places.iter().map(|p| p.1).max().unwrap_or(0);
        let share = largest as f64 / total.max(1) as f64;
        (total >= cfg.min_placed
            && places.len() >= cfg.min_groups
            && share <= cfg.max_dominant_share)
            .then_some(HubVerdict {
                view,
                groups: places.len(),
                dominant_share: share,
            })
    })
}

fn add(places: &mut Vec<(u32, usize)>, key: u32, n: usize) {
    match places.iter_mut().find(|(k, _)| *k == key) {
        Some(e) => e.1 += n,
        None => places.push((key, n)),
    }
}
