//! Person record linkage: the same person met at a raid, an arrest, a case and a
//! departure is one person.
//!
//! Pure: plain data in, pairs and clusters out; no IO, no clock.
//!
//! The steps:
//! 1. **Normal forms** (`normal`): folded Latin text, transliteration keys that make the
//!    usual spellings of Khmer and Chinese names meet, script names, digits.
//! 2. **Blocking** (`block`): several keys per record (name keys, dates, documents,
//!    phone, script names, postcode), so one typo does not lose a pair.
//! 3. **Comparison** (`compare`): each field of a candidate pair gets an agreement
//!    level (exact, equivalent spelling, close, partial, different, missing); names
//!    are also tried swapped.
//! 4. **Weights** (`model`): Fellegi–Sunter `log2(m/u)` per field and level, m and u
//!    estimated by EM on the candidate pairs (or fixed defaults).
//! 5. **Decision**: match probability ≥ `match_at` is a match, ≥ `review_at` goes to a
//!    person (the review queue), below is not a match. Every pair carries its reasons.
//!
//! [`link`] links two files (each pair across them); [`dedupe`] finds the persons in
//! one file (matches joined into clusters, uncertain pairs for review).
//!
//! Choices, in short:
//! * **Weights** are Fellegi–Sunter log-likelihood ratios with several agreement
//!   levels per field. m (how often one person's two records agree at a level) and
//!   the share of matches are estimated by EM on the candidate pairs, starting from
//!   fixed defaults; u (how often two strangers agree by chance) is counted on random
//!   pairs, because among candidates — which already share a key — strangers agree on
//!   names far too often. With fewer than `em_min_pairs` candidates the defaults are
//!   kept. See [`model`].
//! * **The review band** is `review_at ≤ p < match_at` (0.2 and 0.9 by default): a
//!   name with only a year of birth in common, say, goes to a person, not to a merge.
//! * **Names in script** are compared in script after normalisation; an agreement
//!   counts only when a Latin name is missing (it is the same name said twice), a
//!   disagreement always counts.
//! * **Clusters** in [`dedupe`] join matches only, transitively; review pairs never
//!   join anything.

pub mod compare;
pub mod model;
pub mod normal;
pub mod record;
pub mod similar;

mod block;

pub use compare::{Agreement, Field};
pub use model::{Model, Reason};
pub use record::{Address, PartialDate, Person, Sex};

use compare::{Gamma, Prepared};

/// Thresholds and estimation settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Match probability from which a pair is a match (default 0.9).
    pub match_at: f64,
    /// Match probability from which a pair is put to a person (default 0.2).
    pub review_at: f64,
    /// EM iterations; 0 keeps the fixed defaults (default 40).
    pub em_iterations: usize,
    /// EM runs only with at least this many candidate pairs; fewer use the defaults
    /// (default 1,000).
    pub em_min_pairs: usize,
    /// A blocking key shared by more records than this is skipped (default 100): the
    /// other keys still apply, and a name that common cannot decide alone.
    pub max_block: usize,
    /// Two-file linkage only: keep each record's best match only (default false).
    pub one_to_one: bool,
    /// Random pairs on which chance agreement (u) is counted when EM runs; 0 keeps
    /// the u that EM finds among candidates (default 5,000).
    pub u_samples: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            match_at: 0.9,
            review_at: 0.2,
            em_iterations: 40,
            em_min_pairs: 1_000,
            max_block: 100,
            one_to_one: false,
            u_samples: 5_000,
        }
    }
}

/// What was decided about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The same person.
    Match,
    /// Uncertain: a person decides.
    Review,
    /// Different persons.
    NonMatch,
}

/// A scored pair of records, by index into the input slices.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Index in the first file (or the lower index in [`dedupe`]).
    pub a: usize,
    /// Index in the second file (or the higher index in [`dedupe`]).
    pub b: usize,
    /// Match probability, 0–1.
    pub probability: f64,
    /// Score: prior log2-odds plus the fields' weights.
    pub score: f64,
    /// The decision under the settings' thresholds.
    pub decision: Decision,
    /// Given and family names agreed only when swapped.
    pub swapped_names: bool,
    /// Every compared field, its agreement and weight, strongest first.
    pub reasons: Vec<Reason>,
}

/// The outcome of a linkage run.
#[derive(Debug, Clone)]
pub struct Linkage {
    /// Matches and review pairs (pairs below `review_at` are not returned).
    pub pairs: Vec<Pair>,
    /// Candidate pairs compared.
    pub candidates: usize,
    /// Blocking keys skipped for being too common.
    pub skipped_keys: usize,
    /// The weights used.
    pub model: Model,
}

/// Persons found in one file.
#[derive(Debug, Clone)]
pub struct Dedupe {
    /// Groups of record indices that are one person (matches, joined transitively);
    /// records matched to no other are left out. Each group sorted, groups by first index.
    pub clusters: Vec<Vec<usize>>,
    /// Uncertain pairs for a person to decide, highest probability first.
    pub review: Vec<Pair>,
    /// Every match and review pair with its reasons.
    pub linkage: Linkage,
}

fn decide(p: f64, s: &Settings) -> Decision {
    if p >= s.match_at {
        Decision::Match
    } else if p >= s.review_at {
        Decision::Review
    } else {
        Decision::NonMatch
    }
}

fn score_pairs(
    pa: &[Prepared],
    pb: &[Prepared],
    same_file: bool,
    cands: block::Candidates,
    settings: &Settings,
) -> Linkage {
    let compared: Vec<(u32, u32, Gamma, bool)> = cands
        .pairs
        .iter()
        .map(|&(i, j)| {
            let (g, s) = compare::compare(&pa[i as usize], &pb[j as usize]);
            (i, j, g, s)
        })
        .collect();
    let mut model = Model::default();
    // Too few pairs to learn from (a handful of records): the fixed defaults, whose u
    // and prior are written for candidate pairs, are used as they are.
    if settings.em_iterations == 0 || compared.len() < settings.em_min_pairs {
        return finish(compared, model, cands.skipped_keys, settings);
    }
    // At most one match per record on average.
    let max_prior = pa.len().min(pb.len()) as f64 / compared.len().max(1) as f64;
    let estimated = model.estimate(
        compared.iter().map(|c| &c.2),
        settings.em_iterations,
        max_prior,
    );
    if estimated.plausible() {
        model = estimated;
    }
    let all_pairs = if same_file {
        pa.len() as f64 * (pa.len() as f64 - 1.0) / 2.0
    } else {
        pa.len() as f64 * pb.len() as f64
    };
    if settings.u_samples > 0 && all_pairs > 2.0 * compared.len() as f64 {
        model.u = model::chance_u(pa.len(), pb.len(), same_file, settings.u_samples, |i, j| {
            compare::compare(&pa[i], &pb[j]).0
        });
        // At most one match per record on average: EM on candidates that share only
        // a common name can take a crowd of namesakes for matches.
        let cap = pa.len().min(pb.len()) as f64 / all_pairs;
        model.prior = (model.prior * compared.len() as f64 / all_pairs).clamp(1e-12, cap.min(0.5));
    }
    finish(compared, model, cands.skipped_keys, settings)
}

fn finish(
    compared: Vec<(u32, u32, Gamma, bool)>,
    model: Model,
    skipped_keys: usize,
    settings: &Settings,
) -> Linkage {
    let pairs = compared
        .iter()
        .filter_map(|(i, j, g, s)| {
            let score = model.score(g);
            let probability = model::probability(score);
            let decision = decide(probability, settings);
            (decision != Decision::NonMatch).then(|| Pair {
                a: *i as usize,
                b: *j as usize,
                probability,
                score,
                decision,
                swapped_names: *s,
                reasons: model.reasons(g),
            })
        })
        .collect();
    Linkage {
        pairs,
        candidates: compared.len(),
        skipped_keys,
        model,
    }
}

/// Links two files: every pair (one record from each) that is a match or needs review.
pub fn link(a: &[Person], b: &[Person], settings: &Settings) -> Linkage {
    let pa = compare::prepare_all(a);
    let pb = compare::prepare_all(b);
    let ka: Vec<Vec<u64>> = pa.iter().map(block::keys).collect();
    let kb: Vec<Vec<u64>> = pb.iter().map(block::keys).collect();
    let cands = block::between(&ka, &kb, settings.max_block);
    let mut out = score_pairs(&pa, &pb, false, cands, settings);
    if settings.one_to_one {
        out.pairs = one_to_one(std::mem::take(&mut out.pairs), a.len(), b.len());
    }
    out
}

/// Keeps, greedily from the most probable, pairs whose two records are not yet taken.
fn one_to_one(mut pairs: Vec<Pair>, na: usize, nb: usize) -> Vec<Pair> {
    pairs.sort_by(|x, y| y.score.total_cmp(&x.score));
    let (mut ta, mut tb) = (vec![false; na], vec![false; nb]);
    pairs.retain(|p| {
        let free = !ta[p.a] && !tb[p.b];
        ta[p.a] = true;
        tb[p.b] = true;
        free
    });
    pairs
}

/// Finds the persons in one file: matches joined into clusters, uncertain pairs for
/// review. A review pair is never merged, so one doubtful link cannot chain two
/// persons together.
pub fn dedupe(records: &[Person], settings: &Settings) -> Dedupe {
    let prepared = compare::prepare_all(records);
    let keys: Vec<Vec<u64>> = prepared.iter().map(block::keys).collect();
    let cands = block::within(&keys, settings.max_block);
    let linkage = score_pairs(&prepared, &prepared, true, cands, settings);
    let mut parent: Vec<usize> = (0..records.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for p in linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
    {
        let (ra, rb) = (root(&mut parent, p.a), root(&mut parent, p.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
    for i in 0..records.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    clusters.sort_by_key(|g| g[0]);
    let mut review: Vec<Pair> = linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Review)
        .filter(|p| root(&mut parent, p.a) != root(&mut parent, p.b))
        .cloned()
        .collect();
    review.sort_by(|x, y| y.probability.total_cmp(&x.probability));
    Dedupe {
        clusters,
        review,
        linkage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: &str, family: &str, dob: (u16, u8, u8), passport: Option<&str>) -> Person {
        Person {
            given: Some(given.into()),
            family: Some(family.into()),
            dob: Some(PartialDate::ymd(dob.0, dob.1, dob.2)),
            documents: passport.into_iter().map(String::from).collect(),
            ..Person::default()
        }
    }

    fn raids() -> Vec<Person> {
        vec![
            person("Sokha", "Chan", (1990, 3, 7), Some("N0123456")),
            person("Dara", "Keo", (1985, 1, 2), None),
            person("Sok Kha", "Chan", (1990, 7, 3), None),
            person("Xiaoming", "Zhang", (1979, 11, 30), Some("E12345678")),
            person("Chan", "Sokhar", (1990, 3, 7), None),
            person("Hsiao-Ming", "Cheung", (1979, 11, 30), Some("E12345678")),
            person("Sokha", "Chan", (2001, 5, 19), None),
            person("Vannak", "Meas", (1995, 8, 8), None),
        ]
    }

    #[test]
    fn dedupe_joins_spellings_and_keeps_namesakes_apart() {
        let out = dedupe(&raids(), &Settings::default());
        assert_eq!(out.clusters, vec![vec![0, 2, 4], vec![3, 5]]);
        // The namesake born in 2001 is in no cluster.
        assert!(out.clusters.iter().all(|c| !c.contains(&6)));
        let swapped = out.linkage.pairs.iter().find(|p| (p.a, p.b) == (0, 4));
        assert!(swapped.is_some_and(|p| p.swapped_names && p.decision == Decision::Match));
    }

    #[test]
    fn every_pair_says_why() {
        let out = dedupe(&raids(), &Settings::default());
        let pair = out.linkage.pairs.iter().find(|p| (p.a, p.b) == (3, 5));
        let Some(pair) = pair else {
            panic!("pair 3–5 not found");
        };
        let doc = pair.reasons.iter().find(|r| r.field == Field::Document);
        assert!(doc.is_some_and(|r| r.agreement == Agreement::Exact && r.weight > 0.0));
        let given = pair.reasons.iter().find(|r| r.field == Field::Given);
        assert!(given.is_some_and(|r| r.agreement == Agreement::Equivalent));
    }

    #[test]
    fn thresholds_make_the_review_band() {
        let a = vec![person("Sokha", "Chan", (1990, 3, 7), None)];
        let b = vec![Person {
            dob: Some(PartialDate {
                month: None,
                day: None,
                ..PartialDate::ymd(1990, 1, 1)
            }),
            ..person("Sokha", "Chan", (1990, 1, 1), None)
        }];
        let strict = Settings {
            match_at: 0.999_999,
            review_at: 0.01,
            ..Settings::default()
        };
        let out = link(&a, &b, &strict);
        assert_eq!(out.pairs.len(), 1);
        assert_eq!(out.pairs[0].decision, Decision::Review);
        let lax = Settings {
            match_at: 0.01,
            ..Settings::default()
        };
        assert_eq!(link(&a, &b, &lax).pairs[0].decision, Decision::Match);
    }

    #[test]
    fn one_to_one_keeps_the_best_pair() {
        let a = vec![person("Dara", "Keo", (1985, 1, 2), Some("N7654321"))];
        let b = vec![
            person("Dara", "Keo", (1985, 1, 2), None),
            person("Dara", "Keo", (1985, 1, 2), Some("N7654321")),
        ];
        let settings = Settings {
            one_to_one: true,
            ..Settings::default()
        };
        let out = link(&a, &b, &settings);
        assert_eq!(out.pairs.len(), 1);
        assert_eq!(out.pairs[0].b, 1);
    }

    #[test]
    fn empty_input_is_no_pairs() {
        assert!(link(&[], &raids(), &Settings::default()).pairs.is_empty());
        assert!(dedupe(&[], &Settings::default()).clusters.is_empty());
    }
}
