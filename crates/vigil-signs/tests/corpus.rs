//! The labelled corpus: per-language and overall precision and recall.

mod support;

use support::corpus::{FILES, Score, load};
use vigil_signs::Rules;

#[test]
fn corpus_precision_and_recall() {
    let rules = Rules::embedded().expect("embedded rules");
    let mut total = Score::default();
    let mut held_out = Score::default();
    let mut misses = Vec::new();
    println!("lang  messages  expected  precision  recall");
    for (lang, src) in FILES {
        let mut score = Score::default();
        for m in load(src) {
            let hits = rules.find(&m.text);
            let found: Vec<&str> = hits.iter().map(|h| h.sign).collect();
            score.add(&m.signs, &found);
            if m.set == "held-out" {
                held_out.add(&m.signs, &found);
            }
            let want: Vec<&str> = m.signs.iter().map(String::as_str).collect();
            let mut a = want.clone();
            a.sort();
            let mut b = found.clone();
            b.sort();
            if a != b {
                misses.push(format!(
                    "[{lang}] want {want:?} found {hits:?}\n      {}",
                    m.text
                ));
            }
        }
        println!(
            "{lang:4}  {:8}  {:8}  {:9.3}  {:6.3}",
            score.messages,
            score.expected,
            score.precision(),
            score.recall()
        );
        assert!(score.messages >= 40, "{lang}: {} messages", score.messages);
        total.merge(score);
    }
    println!(
        "all   {:8}  {:8}  {:9.3}  {:6.3}",
        total.messages,
        total.expected,
        total.precision(),
        total.recall()
    );
    println!(
        "held-out {:5}  {:8}  {:9.3}  {:6.3}",
        held_out.messages,
        held_out.expected,
        held_out.precision(),
        held_out.recall()
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(
        total.precision() >= 0.9,
        "precision {:.3}",
        total.precision()
    );
    assert!(total.recall() >= 0.85, "recall {:.3}", total.recall());
}

#[test]
fn plain_negatives_show_no_sign() {
    let rules = Rules::embedded().expect("embedded rules");
    for (lang, src) in FILES {
        for m in load(src).into_iter().filter(|m| m.kind == "negative") {
            assert!(m.signs.is_empty(), "[{lang}] a plain negative lists signs");
            let hits = rules.find(&m.text);
            assert!(hits.is_empty(), "[{lang}] {hits:?} in {}", m.text);
        }
    }
}

#[test]
fn combined_matcher_agrees_with_each_pattern_alone() {
    let rules = Rules::embedded().expect("embedded rules");
    for (_, src) in FILES {
        for m in load(src) {
            let a: Vec<&str> = rules.find(&m.text).iter().map(|h| h.sign).collect();
            let b: Vec<&str> = rules
                .find_each_pattern(&m.text)
                .iter()
                .map(|h| h.sign)
                .collect();
            assert_eq!(a, b, "{}", m.text);
        }
    }
}

#[test]
fn corpus_labels_are_rule_ids() {
    let rules = Rules::embedded().expect("embedded rules");
    let ids: Vec<&str> = rules.ids().collect();
    for (lang, src) in FILES {
        for m in load(src) {
            assert!(
                ["scam", "negative", "hard"].contains(&m.kind.as_str()),
                "[{lang}] kind {}",
                m.kind
            );
            assert_eq!(m.kind == "scam", !m.signs.is_empty(), "[{lang}] {}", m.text);
            for s in &m.signs {
                assert!(ids.contains(&s.as_str()), "[{lang}] unknown sign {s}");
            }
        }
    }
}
