//! Fellegi–Sunter weights: m and u probabilities per field and agreement level, fixed
//! defaults or estimated by expectation–maximisation on the candidate pairs.
//!
//! For each field `f` and level `l`, `m[f][l]` is the probability of that level among
//! pairs of records of one person and `u[f][l]` among pairs of different persons. A
//! pair's score is `log2(λ/(1−λ)) + Σ log2(m/u)` over its compared fields (a missing
//! field adds nothing), and its match probability is `2^score / (1 + 2^score)`. `λ`
//! is the share of candidate pairs that are matches. Fields are assumed independent
//! given the match status (the usual Fellegi–Sunter simplification).
//!
//! EM (Winkler's use of Dempster–Laird–Rubin for record linkage) starts from the
//! defaults, then alternates: each distinct comparison vector gets its match
//! probability, and m, u and λ are re-counted from those probabilities. Identical
//! vectors are counted once with their multiplicity, so an iteration costs the number
//! of distinct vectors, not of pairs. A half pseudo-count per level keeps every
//! probability above zero.
//!
//! Candidate pairs already share a blocking key, so among them two different persons
//! agree on names far more often than two strangers do: u estimated on candidates
//! would make a shared name worth almost nothing. So, as in splink, the u used to
//! score are counted on random pairs ([`chance_u`]), m comes from EM on the candidates,
//! and the prior becomes the share of matches among *all* pairs (EM's share among
//! candidates × candidates ÷ all pairs).
//!
//! Two guards keep EM from learning the wrong thing when a name is shared by crowds
//! (every Chan Sokha in a big file is a candidate of every other): the share of
//! matches is bounded by one match per record on average, and an estimate whose
//! "matches" mostly disagree on the date of birth is refused ([`Model::plausible`]),
//! keeping the fixed m defaults.

use rustc_hash::FxHashMap;

use crate::compare::{Agreement, FIELDS, Field, Gamma, LEVELS};

/// m and u probabilities per field and level, and the prior share of matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// P(level | same person), per field, indexed by `Agreement as usize`.
    pub m: [[f64; LEVELS]; FIELDS],
    /// P(level | different persons), per field.
    pub u: [[f64; LEVELS]; FIELDS],
    /// Share of candidate pairs that are matches (λ).
    pub prior: f64,
    /// EM iterations run (0 for the fixed defaults).
    pub iterations: usize,
}

/// Default m and u for a name-like field (exact, equivalent, close, partial, different).
const NAME: ([f64; 5], [f64; 5]) = (
    [0.80, 0.06, 0.07, 0.04, 0.03],
    [0.02, 0.01, 0.02, 0.05, 0.90],
);
/// Default m and u for a number or date.
const NUMBER: ([f64; 5], [f64; 5]) = (
    [0.88, 0.02, 0.06, 0.02, 0.02],
    [0.005, 0.001, 0.01, 0.05, 0.934],
);
/// Default m and u for an attribute many people share (sex, nationality, province).
const SHARED: ([f64; 5], [f64; 5]) = ([0.95, 0.0, 0.0, 0.0, 0.05], [0.5, 0.0, 0.0, 0.0, 0.5]);
/// Default m and u for an address part.
const PLACE: ([f64; 5], [f64; 5]) = (
    [0.75, 0.02, 0.08, 0.05, 0.10],
    [0.05, 0.01, 0.02, 0.05, 0.87],
);

impl Default for Model {
    /// Fixed defaults, written for candidate pairs (which already share a key).
    fn default() -> Self {
        let mut m = [[0.0; LEVELS]; FIELDS];
        let mut u = [[0.0; LEVELS]; FIELDS];
        for (i, f) in Field::ALL.iter().enumerate() {
            let (dm, du) = match f {
                Field::Given | Field::Family | Field::ScriptName => NAME,
                Field::Dob | Field::Document | Field::Phone => NUMBER,
                Field::Sex | Field::Nationality | Field::Province => SHARED,
                Field::Number | Field::Street | Field::Locality | Field::Area | Field::Postcode => {
                    PLACE
                }
            };
            for l in 0..5 {
                m[i][l + 1] = dm[l].max(1e-4);
                u[i][l + 1] = du[l].max(1e-4);
            }
        }
        Model {
            m,
            u,
            prior: 0.05,
            iterations: 0,
        }
    }
}

impl Model {
    /// The weight `log2(m/u)` of one field at one level (0 when missing).
    pub fn weight(&self, field: usize, level: u8) -> f64 {
        let l = usize::from(level);
        if l == 0 || l >= LEVELS || field >= FIELDS {
            return 0.0;
        }
        (self.m[field][l] / self.u[field][l]).log2()
    }

    /// The score of a comparison vector: prior log-odds plus every field's weight.
    pub fn score(&self, gamma: &Gamma) -> f64 {
        let prior = (self.prior / (1.0 - self.prior)).log2();
        prior
            + gamma
                .iter()
                .enumerate()
                .map(|(f, &l)| self.weight(f, l))
                .sum::<f64>()
    }

    /// Estimates m, u and λ by EM from the candidate pairs' comparison vectors,
    /// starting from `self`. Stops after `max_iterations` or when no probability
    /// moves by more than 1e-5.
    ///
    /// `max_prior` bounds the share of matches: with many namesakes among the
    /// candidates, unbounded EM can settle on "same name" as its match class.
    pub fn estimate<'a>(
        &self,
        gammas: impl Iterator<Item = &'a Gamma>,
        max_iterations: usize,
        max_prior: f64,
    ) -> Model {
        let mut patterns: FxHashMap<Gamma, f64> = FxHashMap::default();
        for g in gammas {
            *patterns.entry(*g).or_insert(0.0) += 1.0;
        }
        let patterns: Vec<(Gamma, f64)> = patterns.into_iter().collect();
        let mut model = self.clone();
        if patterns.is_empty() {
            return model;
        }
        for it in 1..=max_iterations {
            let mut mc = [[0.5; LEVELS]; FIELDS];
            let mut uc = [[0.5; LEVELS]; FIELDS];
            let (mut matches, mut total) = (0.0, 0.0);
            for (g, n) in &patterns {
                let p = probability(model.score(g));
                matches += p * n;
                total += n;
                for (f, &l) in g.iter().enumerate() {
                    if l != 0 {
                        mc[f][usize::from(l)] += p * n;
                        uc[f][usize::from(l)] += (1.0 - p) * n;
                    }
                }
            }
            let mut next = Model {
                m: [[0.0; LEVELS]; FIELDS],
                u: [[0.0; LEVELS]; FIELDS],
                prior: (matches / total).clamp(1e-6, max_prior.clamp(1e-6, 1.0 - 1e-6)),
                iterations: it,
            };
            let mut moved: f64 = (next.prior - model.prior).abs();
            for f in 0..FIELDS {
                let (sm, su): (f64, f64) = (mc[f][1..].iter().sum(), uc[f][1..].iter().sum());
                for l in 1..LEVELS {
                    next.m[f][l] = mc[f][l] / sm;
                    next.u[f][l] = uc[f][l] / su;
                    moved = moved
                        .max((next.m[f][l] - model.m[f][l]).abs())
                        .max((next.u[f][l] - model.u[f][l]).abs());
                }
            }
            model = next;
            if moved < 1e-5 {
                break;
            }
        }
        model
    }

    /// Whether an EM estimate describes matches: one person's two records give mostly
    /// the same date of birth (exact, one typo off, or agreeing where both are known).
    /// When names are shared by crowds, EM can instead settle on "same name" as its
    /// match class; such an estimate is refused and the defaults are kept.
    pub fn plausible(&self) -> bool {
        let dob = Field::ALL
            .iter()
            .position(|f| *f == Field::Dob)
            .unwrap_or(0);
        let agree = [Agreement::Exact, Agreement::Close, Agreement::Partial]
            .iter()
            .map(|&l| self.m[dob][l as usize])
            .sum::<f64>();
        agree >= 0.5
    }

    /// The reasons of a comparison vector: every compared field with its level and
    /// weight, strongest first.
    pub fn reasons(&self, gamma: &Gamma) -> Vec<Reason> {
        let mut out: Vec<Reason> = gamma
            .iter()
            .enumerate()
            .filter(|(_, l)| **l != 0)
            .map(|(f, &l)| Reason {
                field: Field::ALL[f],
                agreement: Agreement::from_index(l),
                weight: self.weight(f, l),
            })
            .collect();
        out.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        out
    }
}

/// The u probabilities of chance agreement, counted on `samples` pairs of records
/// drawn at random (a fixed-seed generator, so runs are repeatable) from `na × nb`
/// (or from distinct pairs of one file when `same_file`). Half a pseudo-count per level
/// keeps rare levels (two strangers with the same date of birth) above zero.
pub fn chance_u(
    na: usize,
    nb: usize,
    same_file: bool,
    samples: usize,
    mut compare: impl FnMut(usize, usize) -> Gamma,
) -> [[f64; LEVELS]; FIELDS] {
    let mut counts = [[0.5; LEVELS]; FIELDS];
    let mut state: u64 = 0x5eed_1a9e_d00d_f00d;
    let mut next = |n: usize| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    };
    if na == 0 || nb == 0 || (same_file && na < 2) {
        return Model::default().u;
    }
    for _ in 0..samples {
        let i = next(na);
        let mut j = next(nb);
        if same_file && i == j {
            j = (j + 1) % nb;
        }
        for (f, &l) in compare(i, j).iter().enumerate() {
            if l != 0 {
                counts[f][usize::from(l)] += 1.0;
            }
        }
    }
    let mut u = [[0.0; LEVELS]; FIELDS];
    for f in 0..FIELDS {
        let sum: f64 = counts[f][1..].iter().sum();
        for l in 1..LEVELS {
            u[f][l] = counts[f][l] / sum;
        }
    }
    u
}

/// The match probability of a score (log2 odds).
pub fn probability(score: f64) -> f64 {
    let odds = score.clamp(-1000.0, 1000.0).exp2();
    odds / (1.0 + odds)
}

/// One field's part in a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// The field compared.
    pub field: Field,
    /// How well it agreed.
    pub agreement: Agreement,
    /// Its weight `log2(m/u)`: positive for evidence of one person, negative against.
    pub weight: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_weighs_for_and_disagreement_against() {
        let m = Model::default();
        assert!(m.weight(0, Agreement::Exact as u8) > 3.0);
        assert!(m.weight(0, Agreement::Different as u8) < -3.0);
        assert_eq!(m.weight(0, 0), 0.0);
        let all_exact = [1u8; FIELDS];
        assert!(probability(m.score(&all_exact)) > 0.999);
    }

    #[test]
    fn em_separates_two_populations() {
        let mut gammas = Vec::new();
        for i in 0..200 {
            let mut g = [5u8; FIELDS];
            if i % 10 == 0 {
                g = [1u8; FIELDS];
                g[(i / 10) % FIELDS] = 5;
            }
            gammas.push(g);
        }
        let est = Model::default().estimate(gammas.iter(), 50, 1.0);
        assert!((est.prior - 0.1).abs() < 0.02, "{}", est.prior);
        assert!(est.weight(0, 1) > 3.0);
        assert!(probability(est.score(&gammas[0])) > 0.99);
        assert!(probability(est.score(&gammas[1])) < 0.01);
        assert!(est.plausible() && Model::default().plausible());
        // A "match" class whose dates of birth disagree is refused.
        let mut namesakes = est.clone();
        namesakes.m[2] = [0.0, 0.02, 0.0, 0.0, 0.0, 0.98];
        assert!(!namesakes.plausible());
    }
}
