//! Precision and recall on synthetic persons (see `synth`): the floors sit just below
//! what was measured, so a change that loses links or merges persons fails here.

mod synth;

use std::collections::HashSet;

use vigil_linkage::{Decision, Settings, dedupe, link};

// Floors just below the figures measured (seeds 7 and 11, 3,000 persons each):
// dedupe P 0.9944 R 0.8110 (R 0.9249 counting true pairs put to review);
// link P 0.9903 R 0.8180 (R 0.9147 with review). Most pairs missed at `match_at` have
// only names and a year of birth in common, with about four persons per Khmer name in
// this corpus: they belong in the review queue, not among matches.
const DEDUPE_PRECISION: f64 = 0.98;
const DEDUPE_RECALL: f64 = 0.80;
const DEDUPE_RECALL_WITH_REVIEW: f64 = 0.91;
const LINK_PRECISION: f64 = 0.985;
const LINK_RECALL: f64 = 0.80;
const LINK_RECALL_WITH_REVIEW: f64 = 0.90;

fn pairs_of(clusters: &[Vec<usize>]) -> HashSet<(usize, usize)> {
    let mut out = HashSet::new();
    for c in clusters {
        for (i, &a) in c.iter().enumerate() {
            for &b in &c[i + 1..] {
                out.insert((a.min(b), a.max(b)));
            }
        }
    }
    out
}

fn measure(found: &HashSet<(usize, usize)>, truth: &HashSet<(usize, usize)>) -> (f64, f64) {
    let tp = found.intersection(truth).count() as f64;
    (
        tp / found.len().max(1) as f64,
        tp / truth.len().max(1) as f64,
    )
}

#[test]
fn dedupe_finds_persons_met_several_times() {
    let (records, ids) = synth::corpus(7, 3_000);
    let out = dedupe(&records, &Settings::default());
    let mut by_person: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, id) in ids.iter().enumerate() {
        by_person.entry(*id).or_default().push(i);
    }
    let truth = pairs_of(&by_person.into_values().collect::<Vec<_>>());
    let found = pairs_of(&out.clusters);
    let (p, r) = measure(&found, &truth);
    let review: HashSet<(usize, usize)> = out.review.iter().map(|x| (x.a, x.b)).collect();
    let review_true = review.intersection(&truth).count();
    eprintln!(
        "dedupe: {} records, {} true pairs, {} candidates, precision {p:.4}, recall {r:.4}, \
         review {} ({} true)",
        records.len(),
        truth.len(),
        out.linkage.candidates,
        review.len(),
        review_true
    );
    let with_review =
        (found.intersection(&truth).count() + review_true) as f64 / truth.len() as f64;
    eprintln!("dedupe: recall with the review queue {with_review:.4}");
    assert!(p >= DEDUPE_PRECISION, "precision {p}");
    assert!(r >= DEDUPE_RECALL, "recall {r}");
    assert!(
        with_review >= DEDUPE_RECALL_WITH_REVIEW,
        "recall with review {with_review}"
    );
    // Every review pair and match explains itself.
    for pair in &out.linkage.pairs {
        assert!(!pair.reasons.is_empty());
        let sum: f64 = pair.reasons.iter().map(|x| x.weight).sum();
        let prior = (out.linkage.model.prior / (1.0 - out.linkage.model.prior)).log2();
        assert!((prior + sum - pair.score).abs() < 1e-6);
    }
}

#[test]
fn link_two_files_of_the_same_persons() {
    let (a, b) = synth::two_files(11, 3_000);
    let out = link(&a, &b, &Settings::default());
    let truth: HashSet<(usize, usize)> = (0..a.len()).map(|i| (i, i)).collect();
    let found: HashSet<(usize, usize)> = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .map(|p| (p.a, p.b))
        .collect();
    let (p, r) = measure(&found, &truth);
    let review: HashSet<(usize, usize)> = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Review)
        .map(|p| (p.a, p.b))
        .collect();
    let review_true = review.intersection(&truth).count();
    let with_review =
        (found.intersection(&truth).count() + review_true) as f64 / truth.len() as f64;
    eprintln!(
        "link: {} × {}, {} candidates, precision {p:.4}, recall {r:.4}, review {} ({review_true} \
         true), recall with the review queue {with_review:.4}",
        a.len(),
        b.len(),
        out.candidates,
        review.len()
    );
    assert!(p >= LINK_PRECISION, "precision {p}");
    assert!(r >= LINK_RECALL, "recall {r}");
    assert!(
        with_review >= LINK_RECALL_WITH_REVIEW,
        "recall with review {with_review}"
    );
}

/// Scale check (60,000 records), not run by default: `cargo test --release -p vigil-linkage --test
/// synthetic -- --ignored --nocapture`.
#[test]
#[ignore]
fn dedupe_scales_to_tens_of_thousands() {
    let (records, ids) = synth::corpus(3, 30_000);
    let start = std::time::Instant::now();
    let out = dedupe(&records, &Settings::default());
    let seconds = start.elapsed().as_secs_f64();
    let mut by_person: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, id) in ids.iter().enumerate() {
        by_person.entry(*id).or_default().push(i);
    }
    let truth = pairs_of(&by_person.into_values().collect::<Vec<_>>());
    let (p, r) = measure(&pairs_of(&out.clusters), &truth);
    eprintln!(
        "scale: {} records in {seconds:.2} s, {} candidates, {} keys skipped, precision {p:.4}, \
         recall {r:.4}, review {}",
        records.len(),
        out.linkage.candidates,
        out.linkage.skipped_keys,
        out.review.len()
    );
    eprintln!("scale: EM iterations kept {}", out.linkage.model.iterations);
    // Measured: 60,279 records, 2.3 M candidates, P 0.9928, R 0.7259 in 1.6 s. This
    // corpus has about forty persons per Khmer name, EM's estimate is refused
    // (`Model::plausible`) and the defaults are kept.
    assert!(p >= 0.98 && r >= 0.70, "precision {p}, recall {r}");
}
