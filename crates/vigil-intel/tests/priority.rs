//! Life-safety signals in five languages and the priority score.

use vigil_domain::DangerFlags;
use vigil_intel::{FacilityFacts, SignalKind, TipFacts, Weights, life_safety, score};

fn check(text: &str, expected: &[SignalKind]) {
    let mut got: Vec<SignalKind> = life_safety(text, DangerFlags::default())
        .into_iter()
        .map(|s| s.kind)
        .collect();
    got.sort_unstable();
    got.dedup();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "{text}");
}

#[test]
fn life_safety_table() {
    use SignalKind::*;
    check(
        "They took my passport and we are locked in.",
        &[PassportsTaken, Held],
    );
    check("People who miss targets are BEATEN.", &[Violence]);
    check("There are children working there", &[Children]);
    check("He upheld the contract; a minority stake", &[]);
    check(
        "ខ្ញុំត្រូវគេវាយ ហើយពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ",
        &[Violence, PassportsTaken],
    );
    check("ខ្ញុំត្រូវគេវាយ", &[Violence]);
    check("ពួកគេយកលិខិតឆ្លងដែន ហើយឃុំខ្លួនយើង", &[PassportsTaken, Held]);
    check("មានកុមារនៅទីនោះ", &[Children]);
    check(
        "我被关在园区里，他们收走了我的护照，还打人。",
        &[Held, PassportsTaken, Violence],
    );
    check("有未成年人", &[Children]);
    check(
        "Tôi bị đánh và bị giam, họ lấy hộ chiếu",
        &[Violence, Held, PassportsTaken],
    );
    check("Có trẻ em ở đó", &[Children]);
    check(
        "ฉันถูกขังและถูกทำร้าย เขายึดหนังสือเดินทาง",
        &[Held, Violence, PassportsTaken],
    );
    check("มีเด็กอยู่ด้วย", &[Children]);
    check("Good job offer in Phnom Penh, salary 1500 USD", &[]);
}

#[test]
fn flags_count_as_signals() {
    let flags = DangerFlags {
        held: true,
        children: true,
        ..DangerFlags::default()
    };
    let s = life_safety("no words", flags);
    assert_eq!(s.len(), 2);
    assert!(s.iter().all(|s| s.source == "form"));
}

#[test]
fn life_safety_outranks_everything_else() {
    let now = 1_800_000_000;
    let mut quiet = TipFacts::from_text(1, now, "Scam office, call 012 345 678, @boss_1, t.me/x1");
    quiet.village_code = Some("18020304".into());
    quiet.photos = 5;
    let busy: Vec<&TipFacts> = std::iter::repeat_n(&quiet, 40).collect();
    let calm = score(
        &FacilityFacts::from_tips(&busy, 40, 5, 3),
        &Weights::default(),
        now,
    );
    let held = TipFacts::from_text(2, now - 90 * 86_400, "They took my passport");
    let urgent = score(
        &FacilityFacts::from_tips(&[&held], 1, 0, 0),
        &Weights::default(),
        now,
    );
    assert!(urgent.score > calm.score, "{urgent:?} vs {calm:?}");
    assert_eq!(urgent.reasons[0].code, "passports_taken");
    let codes: Vec<&str> = calm.reasons.iter().map(|r| r.code.as_str()).collect();
    for code in [
        "corroboration",
        "specific_place",
        "identifiers",
        "photos",
        "recency",
        "earlier_operations",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let sum: f64 = calm.reasons.iter().map(|r| r.weight).sum();
    assert!((sum - calm.score).abs() < 1e-9);
}

#[test]
fn recency_halves_every_half_life() {
    let w = Weights::default();
    let facts = |age_days: i64| FacilityFacts {
        latest_unix: 1_000_000_000 - age_days * 86_400,
        ..FacilityFacts::default()
    };
    let r = |age| {
        score(&facts(age), &w, 1_000_000_000)
            .reasons
            .iter()
            .find(|r| r.code == "recency")
            .map(|r| r.weight)
    };
    assert_eq!(r(0), Some(w.recency));
    let half = r(14).unwrap_or(0.0);
    assert!((half - w.recency / 2.0).abs() < 1e-9);
}

#[test]
fn weights_deserialize_with_defaults() -> Result<(), serde_json::Error> {
    let w: Weights = serde_json::from_str(r#"{"held": 100.0}"#)?;
    assert_eq!(w.held, 100.0);
    assert_eq!(w.children, Weights::default().children);
    Ok(())
}

#[test]
fn each_reason_carries_its_numbers() {
    let facts = FacilityFacts {
        signal_tips: vec![(SignalKind::Held, 3)],
        tips: 5,
        independent_tips: 3,
        place_precision: 2,
        identifiers: 4,
        photos: 2,
        latest_unix: 1_000_000_000 - 10 * 86_400 - 30_000,
        earlier_operations: 1,
    };
    let p = score(&facts, &Weights::default(), 1_000_000_000);
    let args = |code: &str| -> Vec<(String, f64)> {
        let r = p.reasons.iter().find(|r| r.code == code).expect(code);
        r.args.iter().map(|(k, v)| (k.clone(), *v)).collect()
    };
    let a = |pairs: &[(&str, f64)]| -> Vec<(String, f64)> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
    };
    assert_eq!(args("held"), a(&[("tips", 3.0)]));
    assert_eq!(
        args("corroboration"),
        a(&[("independent", 3.0), ("tips", 5.0)])
    );
    assert_eq!(args("specific_place"), a(&[("level", 2.0)]));
    assert_eq!(args("identifiers"), a(&[("count", 4.0)]));
    assert_eq!(args("photos"), a(&[("count", 2.0)]));
    assert_eq!(args("recency"), a(&[("days", 10.3)]));
    assert_eq!(args("earlier_operations"), a(&[("count", 1.0)]));
}

#[test]
fn a_reason_stored_before_its_numbers_still_reads() {
    let old = r#"{"code":"photos","weight":2.0,"detail":"2 photo(s)"}"#;
    let r: vigil_intel::Reason = serde_json::from_str(old).expect("old reason");
    assert!(r.args.is_empty());
    assert_eq!(r.detail, "2 photo(s)");
}
