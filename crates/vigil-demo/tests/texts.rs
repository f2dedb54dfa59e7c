//! The demo's tip texts read as people write them: the Khmer, Thai and
//! Chinese ones are made of the report templates' words and nothing else
//! (the benchmark's runs of random syllables are not); they carry the same
//! identifiers as the benchmark's texts of the same world; and unrelated
//! reports are not so alike that clustering would join them by text.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;

use vigil_demo::{Plan, tip_texts};
use vigil_intel::{ClusterConfig, NearDupConfig, near_duplicates};
use vigil_synth::facilities::{FacilityTip, phrases, reports_scaled, tips_scaled};

/// The literal pieces of `lang`'s phrases (slots cut out), longest first.
fn pieces(lang: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    for p in phrases(lang) {
        let mut piece = String::new();
        let mut depth = 0;
        for c in p.chars() {
            match c {
                '{' => {
                    depth += 1;
                    out.insert(std::mem::take(&mut piece));
                }
                '}' => depth -= 1,
                _ if depth == 0 => piece.push(c),
                _ => {}
            }
        }
        out.insert(piece);
    }
    let mut out: Vec<String> = out.into_iter().filter(|p| !p.trim().is_empty()).collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    out
}

/// The letters of `script` left in `text` once every piece is taken out.
fn leftover(text: &str, pieces: &[String], script: fn(char) -> bool) -> String {
    let mut t = text.to_string();
    for p in pieces {
        if t.contains(p.as_str()) {
            t = t.replace(p.as_str(), "|");
        }
    }
    t.chars().filter(|c| script(*c)).collect()
}

fn khmer(c: char) -> bool {
    // Khmer letters and signs; its digits are how some write phone numbers.
    ('\u{1780}'..='\u{17DF}').contains(&c) || ('\u{17F0}'..='\u{17FF}').contains(&c)
}

fn thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4F}').contains(&c) || ('\u{0E5A}'..='\u{0E7F}').contains(&c)
}

fn chinese(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// How many of `texts` in `lang` leave letters of `script` over.
fn unexplained(texts: &[(&str, String)], lang: &str, script: fn(char) -> bool) -> (usize, usize) {
    let pieces = pieces(lang);
    let mine: Vec<&String> = texts
        .iter()
        .filter(|(l, _)| *l == lang)
        .map(|(_, t)| t)
        .collect();
    let bad = mine
        .iter()
        .filter(|t| !leftover(t, &pieces, script).is_empty())
        .count();
    (bad, mine.len())
}

#[test]
fn khmer_thai_and_chinese_tips_are_made_of_the_templates_words() {
    let plan = Plan::scaled(0.01);
    let texts = tip_texts(&plan);
    assert_eq!(texts.len(), plan.tips);
    for (lang, script) in [
        ("km", khmer as fn(char) -> bool),
        ("th", thai),
        ("zh", chinese),
    ] {
        let pieces = pieces(lang);
        let mut seen = 0;
        for (_, t) in texts.iter().filter(|(l, _)| *l == lang) {
            seen += 1;
            let rest = leftover(t, &pieces, script);
            assert!(rest.is_empty(), "{lang}: {rest:?} unexplained in {t}");
        }
        assert!(seen > 30, "{lang}: {seen} tips");
    }
    // The check tells random syllables apart: the benchmark's texts of the
    // same world fail it.
    let bench: Vec<(&str, String)> = tips_scaled(plan.seed, plan.tips, plan.facility_scale)
        .into_iter()
        .map(|t| (t.language, t.text))
        .collect();
    let (bad, all) = unexplained(&bench, "km", khmer);
    assert!(bad * 2 > all, "{bad} of {all}");
}

/// The identifiers found in a text, but places (the benchmark's random
/// syllables may spell one by chance).
fn identifiers(text: &str) -> BTreeSet<(String, String)> {
    vigil_extract::extract(text)
        .into_iter()
        .filter(|f| f.kind != vigil_extract::Kind::Place)
        .map(|f| (format!("{:?}", f.kind), f.value))
        .collect()
}

#[test]
fn reports_carry_the_identifiers_of_the_benchmarks_texts() {
    let plan = Plan::scaled(0.02);
    let bench = tips_scaled(plan.seed, plan.tips, plan.facility_scale);
    let reports = reports_scaled(plan.seed, plan.tips, plan.facility_scale);
    let mut with = 0;
    for (a, b) in bench.iter().zip(&reports) {
        let (x, y) = (identifiers(&a.text), identifiers(&b.text));
        // Nothing new, and nothing the world drew is lost: every phone,
        // handle, site and page of the world has digits; what only the
        // benchmark's runs of syllables spelled (`ebookc`) has none.
        let lost: Vec<_> = x.difference(&y).collect();
        assert!(y.is_subset(&x), "\n{}\n{}\n{x:?}\n{y:?}", a.text, b.text);
        assert!(
            lost.iter()
                .all(|(_, v)| !v.bytes().any(|c| c.is_ascii_digit())),
            "{lost:?} lost:\n{}\n{}",
            a.text,
            b.text
        );
        with += usize::from(!y.is_empty());
    }
    assert!(with > bench.len() / 2, "{with}");
}

#[test]
fn unrelated_reports_are_not_joined_by_their_text() {
    let plan = Plan::scaled(0.05);
    let reports = reports_scaled(plan.seed, plan.tips, plan.facility_scale);
    let texts: Vec<(i64, &str)> = reports
        .iter()
        .enumerate()
        .map(|(i, t)| (i as i64, t.text.as_str()))
        .collect();
    let link = ClusterConfig::default().text_link_jaccard;
    let facility = |i: i64| -> Option<u32> { reports[i as usize].facility };
    let same = |t: &FacilityTip, u: &FacilityTip| t.facility.is_some() && t.facility == u.facility;
    let pairs = near_duplicates(&texts, &NearDupConfig::default());
    let wrong: Vec<_> = pairs
        .iter()
        .filter(|p| p.jaccard >= link)
        .filter(|p| !same(&reports[p.a as usize], &reports[p.b as usize]))
        .map(|p| {
            let text = |i: i64| reports[i as usize].text.as_str();
            (
                facility(p.a),
                facility(p.b),
                p.jaccard,
                text(p.a),
                text(p.b),
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} pairs: {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(3)]
    );
}
