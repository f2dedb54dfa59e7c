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
//! 2. Give each local group a place by the votes of its tips *and of their context*:
//!    every tip that shares one of the group's other identifiers. A facility's tips
//!    agree on its place even when a few reporters got the province wrong, and a
//!    recruiter's one mention in another compound's tip is placed by that compound's
//!    own reports. A group has a place in a view (province, commune) when at least
//!    [`HubConfig::min_votes`] votes name it by a two-thirds majority; in the
//!    coordinates view, when it has that many positions (centroids within
//!    [`HubConfig::separation_m`] count as one place). Groups without a clear place
//!    are left out, so one misplaced tip with nothing else to go on cannot make a
//!    value a hub.
//! 3. `v` is a hub when, in any view, its groups stand in at least
//!    [`HubConfig::min_groups`] separate places. However unequal the places are:
//!    a recruiter named in 20 reports about one compound and once about another
//!    still ties two compounds that must not become one.
//!
//! A second round repeats the test with every first-round hub left out (and nothing
//! else), so values judged early do not depend on the order of judgement. The
//! analyst's overrides come last: forced hubs are hubs, `never_hub` values never are.
//! Hubs stay visible as leads on the clusters whose tips carry them.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::uf::UnionFind;

/// Parameters of hub detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HubConfig {
    /// Values seen in fewer tips are never hubs.
    pub min_support: usize,
    /// A local group has a place in a view only when at least this many votes
    /// (its tips and their context) name it, by a two-thirds majority.
    pub min_votes: usize,
    /// At least this many separate places make a hub.
    pub min_groups: usize,
    /// Groups whose coordinates are closer than this are one place (metres).
    pub separation_m: f64,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            min_support: 2,
            min_votes: 2,
            min_groups: 2,
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
    let sums = summaries(input, cfg.separation_m);
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
        if judge(input, cfg, &sums, v, &skip).is_some() {
            first[v] = true;
        }
    }
    // Round 2: every first-round hub left out.
    let mut out: Vec<Option<HubVerdict>> = vec![None; n];
    for &v in &order {
        let skip = |u: usize| first[u];
        out[v] = judge(input, cfg, &sums, v, &skip);
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

/// Where the tips carrying one key point: votes per province, commune and
/// grid cell of their coordinates.
#[derive(Default, Clone)]
struct Summary {
    provinces: Vec<(u32, usize)>,
    communes: Vec<(u32, usize)>,
    cells: Vec<(u32, usize)>,
}

/// The grid cell of a position, as two 16-bit cell numbers (latitude, longitude)
/// in one key; a cell is `separation_m` wide.
fn cell((lat, lon): (f64, f64), separation_m: f64) -> u32 {
    let deg = (separation_m / 111_320.0).max(1e-5);
    let c = |x: f64| ((x / deg).floor() as i64).clamp(i16::MIN as i64, i16::MAX as i64) as i16;
    (u32::from(c(lat) as u16) << 16) | u32::from(c(lon) as u16)
}

/// Whether two cells touch (or are one).
fn near(a: u32, b: u32) -> bool {
    let d = |x: u32, y: u32| (i32::from(x as u16 as i16) - i32::from(y as u16 as i16)).abs();
    d(a >> 16, b >> 16) <= 1 && d(a, b) <= 1
}

impl Summary {
    fn add_tip(&mut self, input: &HubInput<'_>, t: usize, separation_m: f64) {
        if let Some(p) = input.province[t] {
            vote(&mut self.provinces, p, 1);
        }
        if let Some(c) = input.commune[t] {
            vote(&mut self.communes, c, 1);
        }
        if let Some(p) = input.point[t] {
            vote(&mut self.cells, cell(p, separation_m), 1);
        }
    }

    /// Takes one tip's votes back out (each tip counts once in a group).
    fn sub_tip(&mut self, input: &HubInput<'_>, t: usize, separation_m: f64) {
        let take = |counts: &mut Vec<(u32, usize)>, x: u32| {
            if let Some(e) = counts.iter_mut().find(|(c, _)| *c == x) {
                e.1 = e.1.saturating_sub(1);
            }
        };
        if let Some(p) = input.province[t] {
            take(&mut self.provinces, p);
        }
        if let Some(c) = input.commune[t] {
            take(&mut self.communes, c);
        }
        if let Some(p) = input.point[t] {
            take(&mut self.cells, cell(p, separation_m));
        }
    }

    fn add(&mut self, other: &Summary) {
        for &(p, n) in &other.provinces {
            vote(&mut self.provinces, p, n);
        }
        for &(c, n) in &other.communes {
            vote(&mut self.communes, c, n);
        }
        for &(c, n) in &other.cells {
            vote(&mut self.cells, c, n);
        }
    }
}

/// The places of every key's tips, computed once per detection.
fn summaries(input: &HubInput<'_>, separation_m: f64) -> Vec<Summary> {
    input
        .key_tips
        .iter()
        .map(|ts| {
            let mut s = Summary::default();
            for &t in ts {
                s.add_tip(input, t as usize, separation_m);
            }
            s
        })
        .collect()
}

fn vote(counts: &mut Vec<(u32, usize)>, x: u32, n: usize) {
    match counts.iter_mut().find(|(c, _)| *c == x) {
        Some(e) => e.1 += n,
        None => counts.push((x, n)),
    }
}

/// The place most votes name, when it has at least `min_votes` of them and a
/// clear majority (two thirds); a group without one is left out of the view.
fn clear_majority(counts: &[(u32, usize)], min_votes: usize) -> Option<u32> {
    let total: usize = counts.iter().map(|c| c.1).sum();
    let &(place, n) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    (n >= min_votes && 3 * n >= 2 * total).then_some(place)
}

fn judge(
    input: &HubInput<'_>,
    cfg: &HubConfig,
    sums: &[Summary],
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
    // Each local group's place: its own tips' places, and those of every tip
    // sharing one of its other identifiers (its context), each key counted once.
    let mut index: FxHashMap<usize, usize> = FxHashMap::default();
    let mut groups: Vec<(usize, Summary, Vec<u32>)> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, &t) in tips.iter().enumerate() {
        let root = uf.find(i);
        let g = *index.entry(root).or_insert_with(|| {
            groups.push((0, Summary::default(), Vec::new()));
            members.push(Vec::new());
            groups.len() - 1
        });
        let (n, sum, keys) = &mut groups[g];
        *n += 1;
        let t = t as usize;
        sum.add_tip(input, t, cfg.separation_m);
        keys.extend(
            input.tip_keys[t]
                .iter()
                .filter(|&&u| u as usize != v && !skip(u as usize)),
        );
        members[g].push(t);
    }
    let mut by_province: Vec<(u32, usize)> = Vec::new();
    let mut by_commune: Vec<(u32, usize)> = Vec::new();
    let mut by_cell: Vec<(u32, usize)> = Vec::new();
    for ((n, sum, keys), ts) in groups.iter_mut().zip(&members) {
        keys.sort_unstable();
        keys.dedup();
        for &u in keys.iter() {
            sum.add(&sums[u as usize]);
        }
        // Each key's summary counted the group's own tips again: take them out.
        for &t in ts {
            for &u in &input.tip_keys[t] {
                if u as usize != v && !skip(u as usize) {
                    sum.sub_tip(input, t, cfg.separation_m);
                }
            }
        }
        if let Some(p) = clear_majority(&sum.provinces, cfg.min_votes) {
            vote(&mut by_province, p, *n);
        }
        if let Some(c) = clear_majority(&sum.communes, cfg.min_votes) {
            vote(&mut by_commune, c, *n);
        }
        if let Some(c) = clear_majority(&sum.cells, cfg.min_votes) {
            vote(&mut by_cell, c, *n);
        }
    }
    // Touching cells are one place (a facility on a cell's edge).
    let mut by_coords: Vec<(u32, usize)> = Vec::new();
    by_cell.sort_unstable();
    for (c, n) in by_cell {
        match by_coords.iter_mut().find(|(l, _)| near(*l, c)) {
            Some(l) => l.1 += n,
            None => by_coords.push((c, n)),
        }
    }
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
        (places.len() >= cfg.min_groups).then_some(HubVerdict {
            view,
            groups: places.len(),
            dominant_share: share,
        })
    })
}
