//! Clustering tips into suspected facilities.
//!
//! Tips are joined (union–find) by four rules, in this order:
//! 1. **identifier**: they share an identifier value that is not a hub (see
//!    [`crate::hubs`]) and not ignored; WhatsApp and Zalo numbers count as phones;
//! 2. **place**: same commune *and* place descriptions whose token Jaccard (each
//!    token weighted by its rarity among all descriptions) is at least
//!    [`ClusterConfig::place_similarity`];
//! 3. **coordinates**: within [`ClusterConfig::radius_m`] (haversine, grid index);
//! 4. **text**: near-identical texts (exact shingle Jaccard at least
//!    [`ClusterConfig::text_link_jaccard`]).
//!
//! Analyst decisions ([`AnalystOp`]) are inputs, so they hold on every recluster:
//! merges are applied first, a split tip takes part in no automatic link, and tips
//! kept apart are never put in one cluster (a link that would do so is skipped).
//! Everything is computed over tips sorted by id, so the result does not depend on
//! the order of the input.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use vigil_extract::Kind;

use crate::facts::{Ident, TipFacts};
use crate::geo::pairs_within;
use crate::hubs::{self, HubConfig, HubInput, HubVerdict};
use crate::neardup::{NearDupConfig, near_duplicates};
use crate::text::{token_hashes, weighted_jaccard};
use crate::uf::UnionFind;

/// Every clustering parameter (a configuration section; missing fields take defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Tips whose positions are at most this far apart are linked (metres).
    pub radius_m: f64,
    /// Minimum token Jaccard of two place descriptions in one village/commune.
    pub place_similarity: f64,
    /// Near-duplicate detection (its threshold decides which tips count once for
    /// corroboration).
    pub text: NearDupConfig,
    /// Minimum exact shingle Jaccard for two texts to link their tips.
    pub text_link_jaccard: f64,
    /// Hub detection.
    pub hubs: HubConfig,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            radius_m: 250.0,
            place_similarity: 0.5,
            text: NearDupConfig::default(),
            text_link_jaccard: 0.9,
            hubs: HubConfig::default(),
        }
    }
}

/// An analyst's decision, applied on top of the automatic links.
pub use vigil_domain::AnalystOp;

/// Administrator and analyst input that survives reclustering.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Values always treated as hubs (shown as leads, never merging).
    pub force_hub: Vec<Ident>,
    /// Values never treated as hubs.
    pub never_hub: Vec<Ident>,
    /// Values ignored entirely (neither links nor leads).
    pub ignore: Vec<Ident>,
    /// Analyst merges, splits and separations, in the order they were made.
    pub ops: Vec<AnalystOp>,
}

/// Which rule linked tips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// An analyst merged them.
    Analyst,
    /// A shared identifier.
    Identifier,
    /// Same village/commune and a similar place description.
    Place,
    /// Coordinates within the radius.
    Coordinates,
    /// Near-identical text.
    Text,
}

/// One reason a cluster holds together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The rule.
    pub rule: Rule,
    /// What was shared: `kind:value` for identifiers, `village:code` or
    /// `commune:code` for places, empty for coordinates, text and analyst links.
    pub key: String,
    /// Tips of the cluster joined by this reason.
    pub tips: usize,
}

/// A suspected facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Its tips' ids, ascending.
    pub tips: Vec<i64>,
    /// Why they are together, most tips first.
    pub links: Vec<Link>,
    /// Hub values its tips carry: leads to follow, not links.
    pub leads: Vec<Ident>,
    /// Tips that are not near-duplicates of one another (a pasted text counts once).
    pub independent_tips: usize,
}

/// A value judged to be a hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hub {
    /// The value.
    pub ident: Ident,
    /// Tips carrying it.
    pub tips: usize,
    /// Why.
    pub verdict: HubVerdict,
}

/// The result of [`cluster`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// Every tip in exactly one cluster (singletons included), ordered by first tip id.
    pub clusters: Vec<Cluster>,
    /// Hub values, ordered by kind and value.
    pub hubs: Vec<Hub>,
}

/// Hosts whose links are messenger or social profiles: the extractor also
/// reads the profile itself (`t.me/name` gives the Telegram handle `name`), so
/// the link and the platform's domain add nothing of their own. Were they
/// linked separately, a recruiter's handle judged a hub could still glue
/// facilities together through its link.
const PROFILE_HOSTS: &[&str] = &[
    "t.me",
    "telegram.me",
    "telegram.dog",
    "wa.me",
    "whatsapp.com",
    "line.me",
    "zalo.me",
    "facebook.com",
    "fb.com",
    "m.me",
    "tiktok.com",
    "instagram.com",
    "weixin.qq.com",
];

fn profile_host(value: &str) -> bool {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host
        .strip_prefix("m.")
        .filter(|h| h.contains('.'))
        .unwrap_or(host);
    PROFILE_HOSTS.contains(&host)
}

/// The key an identifier links by (WhatsApp and phone-number Zalo ids are phones);
/// `None` for kinds handled by the location rules and for profile links and
/// platform domains (their handles link instead).
fn link_ident(i: &Ident) -> Option<Ident> {
    match i.kind {
        Kind::Place | Kind::Coordinates => None,
        Kind::Url | Kind::Domain if profile_host(&i.value) => None,
        Kind::Whatsapp => Some(Ident::new(Kind::Phone, i.value.clone())),
        Kind::Zalo if i.value.starts_with('+') => Some(Ident::new(Kind::Phone, i.value.clone())),
        _ => Some(i.clone()),
    }
}

struct Interner<'a> {
    ids: FxHashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, s: &'a str) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(s).or_insert(n)
    }
}

/// Clusters `tips` into suspected facilities; see the module documentation.
pub fn cluster(tips: &[TipFacts], config: &ClusterConfig, overrides: &Overrides) -> Clustering {
    let mut order: Vec<&TipFacts> = tips.iter().collect();
    order.sort_by_key(|t| t.id);
    order.dedup_by_key(|t| t.id);
    let n = order.len();
    let pos: FxHashMap<i64, usize> = order.iter().enumerate().map(|(i, t)| (t.id, i)).collect();

    // Identifier keys, numbered in order of first appearance over sorted tips.
    let ignored: Vec<Ident> = overrides.ignore.iter().filter_map(link_ident).collect();
    let mut key_of: FxHashMap<Ident, u32> = FxHashMap::default();
    let mut keys: Vec<Ident> = Vec::new();
    let mut tip_keys: Vec<Vec<u32>> = Vec::with_capacity(n);
    for t in &order {
        let mut ks = Vec::with_capacity(t.identifiers.len());
        for i in &t.identifiers {
            let Some(li) = link_ident(i) else { continue };
            if ignored.contains(&li) {
                continue;
            }
            let k = match key_of.get(&li) {
                Some(&k) => k,
                None => {
                    let k = keys.len() as u32;
                    key_of.insert(li.clone(), k);
                    keys.push(li);
                    k
                }
            };
            ks.push(k);
        }
        ks.sort_unstable();
        ks.dedup();
        tip_keys.push(ks);
    }
    let mut key_tips: Vec<Vec<u32>> = vec![Vec::new(); keys.len()];
    for (t, ks) in tip_keys.iter().enumerate() {
        for &k in ks {
            key_tips[k as usize].push(t as u32);
        }
    }

    // Locations.
    let mut codes = Interner {
        ids: FxHashMap::default(),
    };
    // Hub detection trusts only places the reporters chose: a town named in
    // the text may be a neighbour ("near Bavet") or a common word elsewhere.
    let province: Vec<Option<u32>> = order
        .iter()
        .map(|t| t.chosen_province().map(|p| codes.get(p)))
        .collect();
    let commune: Vec<Option<u32>> = order
        .iter()
        .map(|t| t.chosen_commune().map(|c| codes.get(c)))
        .collect();
    let point: Vec<Option<(f64, f64)>> = order.iter().map(|t| t.point()).collect();

    // Near-duplicate texts.
    let texts: Vec<(i64, &str)> = order.iter().map(|t| (t.id, t.text.as_str())).collect();
    let dups = near_duplicates(&texts, &config.text);
    let mut dup_uf = UnionFind::new(n);
    let mut link_uf = UnionFind::new(n);
    let mut text_edges = Vec::new();
    for p in &dups {
        let (Some(&a), Some(&b)) = (pos.get(&p.a), pos.get(&p.b)) else {
            continue;
        };
        dup_uf.union(a, b);
        if p.jaccard >= config.text_link_jaccard {
            link_uf.union(a, b);
            text_edges.push((a, b));
        }
    }
    let text_group: Vec<u32> = (0..n).map(|i| link_uf.find(i) as u32).collect();

    // Hubs.
    let mark = |list: &[Ident]| {
        let mut v = vec![false; keys.len()];
        for i in list.iter().filter_map(link_ident) {
            if let Some(&k) = key_of.get(&i) {
                v[k as usize] = true;
            }
        }
        v
    };
    let input = HubInput {
        tip_keys: &tip_keys,
        key_tips: &key_tips,
        province: &province,
        commune: &commune,
        point: &point,
        text_group: &text_group,
    };
    let verdicts = hubs::detect(
        &input,
        &config.hubs,
        &mark(&overrides.force_hub),
        &mark(&overrides.never_hub),
    );

    // Edges, in rule order.
    let mut edges: Vec<(usize, usize, Rule, u32)> = Vec::new();
    for (k, ts) in key_tips.iter().enumerate() {
        if verdicts[k].is_none() {
            for &t in ts.iter().skip(1) {
                edges.push((ts[0] as usize, t as usize, Rule::Identifier, k as u32));
            }
        }
    }
    place_edges(&order, config.place_similarity, &mut codes, &mut edges);
    for (a, b) in pairs_within(&point, config.radius_m) {
        edges.push((a, b, Rule::Coordinates, 0));
    }
    for (a, b) in text_edges {
        edges.push((a, b, Rule::Text, 0));
    }

    // Analyst decisions.
    let mut split = vec![false; n];
    let mut merges: Vec<(usize, usize)> = Vec::new();
    let mut apart: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (g, op) in overrides.ops.iter().enumerate() {
        match op {
            AnalystOp::Merge { a, b } => {
                if let (Some(&a), Some(&b)) = (pos.get(a), pos.get(b)) {
                    merges.push((a, b));
                }
            }
            AnalystOp::Split { tip } => {
                if let Some(&t) = pos.get(tip) {
                    split[t] = true;
                    merges.retain(|&(a, b)| a != t && b != t);
                }
            }
            AnalystOp::KeepApart { tips } => {
                let members: Vec<usize> = tips.iter().filter_map(|t| pos.get(t).copied()).collect();
                merges.retain(|(a, b)| !(members.contains(a) && members.contains(b)));
                for &m in &members {
                    apart[m].push((g as u32, m as u32));
                }
            }
        }
    }
    let mut uf = UnionFind::new(n);
    let mut applied: Vec<(usize, usize, Rule, u32)> = Vec::new();
    let analyst = merges.into_iter().map(|(a, b)| (a, b, Rule::Analyst, 0));
    for (a, b, rule, key) in analyst.chain(edges) {
        if rule != Rule::Analyst && (split[a] || split[b]) {
            continue;
        }
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra == rb {
            applied.push((a, b, rule, key));
            continue;
        }
        let clash = apart[ra]
            .iter()
            .any(|(g, _)| apart[rb].iter().any(|(h, _)| g == h));
        if clash {
            continue;
        }
        let root = uf.union(a, b);
        let other = if root == ra { rb } else { ra };
        let moved = std::mem::take(&mut apart[other]);
        apart[root].extend(moved);
        applied.push((a, b, rule, key));
    }

    build_output(
        &order,
        &mut uf,
        &mut dup_uf,
        &applied,
        &keys,
        &verdicts,
        &codes,
        &tip_keys,
    )
}

/// Place edges: per commune, descriptions at least `threshold` alike (Jaccard of
/// their tokens, each weighted by its rarity); the link is
/// named by the village when both tips chose the same one, else by the commune.
fn place_edges<'a>(
    order: &[&'a TipFacts],
    threshold: f64,
    codes: &mut Interner<'a>,
    edges: &mut Vec<(usize, usize, Rule, u32)>,
) {
    let mut groups: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, t) in order.iter().enumerate() {
        if t.place.as_deref().is_none_or(|p| p.trim().is_empty()) {
            continue;
        }
        if let Some(c) = t.commune() {
            groups.entry(c).or_default().push(i);
        }
    }
    // Each token weighs by its rarity over every place description, so the
    // words all descriptions use ("building", "អគារ", "园区") count for little
    // and names and numbers for much.
    let tokens: FxHashMap<usize, Vec<u64>> = groups
        .values()
        .flatten()
        .map(|&m| (m, token_hashes(order[m].place.as_deref().unwrap_or(""))))
        .collect();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for ts in tokens.values() {
        for &t in ts {
            *df.entry(t).or_default() += 1;
        }
    }
    // A hundred imaginary descriptions without the token smooth the rarity, so
    // that in a small collection a facility's own name, shared by most of its
    // few descriptions, is not taken for a common word.
    let described = tokens.len() as f64 + 100.0;
    let weight = |t: &u64| (described / (f64::from(df.get(t).copied().unwrap_or(0)) + 1.0)).ln();
    let mut sorted: Vec<_> = groups.into_iter().collect();
    sorted.sort_by_key(|(code, members)| (members[0], *code));
    for (commune, members) in sorted {
        // Identical descriptions (and villages) first, then one comparison per
        // distinct pair.
        let mut distinct: Vec<(Vec<u64>, Option<&str>, Vec<usize>)> = Vec::new();
        for &m in &members {
            let toks = tokens.get(&m).cloned().unwrap_or_default();
            let village = order[m].village_code.as_deref();
            match distinct
                .iter_mut()
                .find(|(t, v, _)| *t == toks && *v == village)
            {
                Some(d) => d.2.push(m),
                None => distinct.push((toks, village, vec![m])),
            }
        }
        let key = |codes: &mut Interner<'a>, a: Option<&'a str>, b: Option<&'a str>| match (a, b) {
            (Some(v), Some(w)) if v == w => codes.get(v) | 1 << 31,
            _ => codes.get(commune),
        };
        for (i, (ta, va, ma)) in distinct.iter().enumerate() {
            for &m in &ma[1..] {
                let k = key(codes, *va, *va);
                edges.push((ma[0], m, Rule::Place, k));
            }
            for (tb, vb, mb) in &distinct[i + 1..] {
                if weighted_jaccard(ta, tb, weight) >= threshold {
                    let k = key(codes, *va, *vb);
                    edges.push((ma[0], mb[0], Rule::Place, k));
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn build_output(
    order: &[&TipFacts],
    uf: &mut UnionFind,
    dup_uf: &mut UnionFind,
    applied: &[(usize, usize, Rule, u32)],
    keys: &[Ident],
    verdicts: &[Option<HubVerdict>],
    codes: &Interner<'_>,
    tip_keys: &[Vec<u32>],
) -> Clustering {
    let n = order.len();
    let mut cluster_of: FxHashMap<usize, usize> = FxHashMap::default();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let root = uf.find(i);
        let c = *cluster_of.entry(root).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[c].push(i);
    }
    let code_names: FxHashMap<u32, &str> = codes.ids.iter().map(|(s, &k)| (k, *s)).collect();
    let mut link_tips: Vec<FxHashMap<(Rule, u32), Vec<usize>>> =
        vec![FxHashMap::default(); members.len()];
    for &(a, b, rule, key) in applied {
        let c = cluster_of[&uf.find(a)];
        let e = link_tips[c].entry((rule, key)).or_default();
        e.push(a);
        e.push(b);
    }
    let clusters = members
        .iter()
        .zip(link_tips)
        .map(|(ms, lt)| {
            let mut links: Vec<Link> = lt
                .into_iter()
                .map(|((rule, key), mut ts)| {
                    ts.sort_unstable();
                    ts.dedup();
                    let key = match rule {
                        Rule::Identifier => keys[key as usize].to_string(),
                        Rule::Place => {
                            let level = if key & (1 << 31) != 0 {
                                "village"
                            } else {
                                "commune"
                            };
                            let code = code_names.get(&(key & !(1 << 31))).copied().unwrap_or("");
                            format!("{level}:{code}")
                        }
                        _ => String::new(),
                    };
                    Link {
                        rule,
                        key,
                        tips: ts.len(),
                    }
                })
                .collect();
            links.sort_by(|a, b| {
                b.tips
                    .cmp(&a.tips)
                    .then(a.rule.cmp(&b.rule))
                    .then(a.key.cmp(&b.key))
            });
            let mut leads: Vec<Ident> = ms
                .iter()
                .flat_map(|&m| tip_keys[m].iter())
                .filter(|&&k| verdicts[k as usize].is_some())
                .map(|&k| keys[k as usize].clone())
                .collect();
            leads.sort();
            leads.dedup();
            let mut dup_roots: Vec<usize> = ms.iter().map(|&m| dup_uf.find(m)).collect();
            dup_roots.sort_unstable();
            dup_roots.dedup();
            Cluster {
                tips: ms.iter().map(|&m| order[m].id).collect(),
                links,
                leads,
                independent_tips: dup_roots.len(),
            }
        })
        .collect();
    let mut hubs: Vec<Hub> = verdicts
        .iter()
        .enumerate()
        .filter_map(|(k, v)| {
            let verdict = v.clone()?;
            let tips = tip_keys
                .iter()
                .filter(|ks| ks.binary_search(&(k as u32)).is_ok())
                .count();
            Some(Hub {
                ident: keys[k].clone(),
                tips,
                verdict,
            })
        })
        .collect();
    hubs.sort_by(|a, b| a.ident.cmp(&b.ident));
    Clustering { clusters, hubs }
}

/// A facility's stable id (kept across reclusterings by [`assign_ids`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FacilityId(pub i64);

/// For each new cluster (by position), the previous facility id it continues, or
/// `None` for a new facility. Pairs are matched one to one by the number of tips they
/// share, greatest first (ties: smaller previous id, then earlier cluster).
pub fn assign_ids(
    previous: &[(FacilityId, Vec<i64>)],
    clusters: &[Cluster],
) -> Vec<Option<FacilityId>> {
    let mut owner: FxHashMap<i64, FacilityId> = FxHashMap::default();
    for (id, tips) in previous {
        for &t in tips {
            owner.entry(t).or_insert(*id);
        }
    }
    let mut overlap: FxHashMap<(FacilityId, usize), usize> = FxHashMap::default();
    for (c, cl) in clusters.iter().enumerate() {
        for t in &cl.tips {
            if let Some(&f) = owner.get(t) {
                *overlap.entry((f, c)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((FacilityId, usize), usize)> = overlap.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = vec![None; clusters.len()];
    let mut used: rustc_hash::FxHashSet<FacilityId> = Default::default();
    for ((f, c), _) in pairs {
        if out[c].is_none() && !used.contains(&f) {
            out[c] = Some(f);
            used.insert(f);
        }
    }
    out
}
