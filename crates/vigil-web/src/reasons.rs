//! Reasons the pure cores give — a facility's priority, a victim's referral,
//! a screening's evidence, a linkage's field weights — as message ids and
//! arguments, worded here in the reader's language (`locales/reasons/`).
//! Reasons stored before they carried arguments read as their label only
//! (or, for a referral, as the words stored).

use std::collections::BTreeMap;

use vigil_core::persons::review::MatchReason;
use vigil_domain::victims::{Indicator, ReferralReason};

use crate::i18n::Tr;

/// The life-safety codes of a facility's priority.
const LIFE_SAFETY: [&str; 4] = ["held", "passports_taken", "violence", "children"];

/// A number as a message argument (integers without a point).
fn num(v: f64) -> String {
    v.to_string()
}

/// The evidence of a facility's reason `code` from its numbers; empty for a
/// reason stored without them.
pub fn facility_detail(t: &Tr<'_>, code: &str, args: &BTreeMap<String, f64>) -> String {
    if args.is_empty() {
        return String::new();
    }
    let id = if LIFE_SAFETY.contains(&code) {
        "reason-detail-signal".to_string()
    } else {
        format!("reason-detail-{code}")
    };
    let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), num(*v))).collect();
    let out = t.ta(&id, &args);
    if out == id { String::new() } else { out }
}

/// A victim indicator's label in the reader's language (the checklist's
/// wording, Khmer or English).
pub fn indicator_label(t: &Tr<'_>, code: &str) -> String {
    match Indicator::from_code(code) {
        Some(i) if t.lang == "km" => i.km().to_string(),
        Some(i) => i.en().to_string(),
        None => code.to_string(),
    }
}

/// One referral reason in words.
pub fn referral_reason(t: &Tr<'_>, r: &ReferralReason) -> String {
    match *r {
        ReferralReason::ChildAged { age } => t.t1("referral-child-aged", "age", age),
        ReferralReason::ChildAppears => t.t("referral-child-appears"),
        ReferralReason::StrongIndicator { indicator } => t.t1(
            "referral-strong-indicator",
            "indicator",
            indicator_label(t, indicator.code()),
        ),
        ReferralReason::OtherIndicators { count } => {
            t.t1("referral-other-indicators", "count", count)
        }
        ReferralReason::TooFewIndicators { others } => {
            t.t1("referral-too-few-indicators", "count", others)
        }
        ReferralReason::ImminentDanger => t.t("referral-imminent-danger"),
        ReferralReason::AdultConsented => t.t("referral-adult-consented"),
        ReferralReason::AdultNotConsented => t.t("referral-adult-not-consented"),
    }
}

/// A person record's stored referral reasons in words (`; ` between them);
/// words stored before the reasons were typed are shown as stored.
pub fn referral(t: &Tr<'_>, stored: &str) -> String {
    match serde_json::from_str::<Vec<ReferralReason>>(stored) {
        Ok(reasons) => reasons
            .iter()
            .map(|r| referral_reason(t, r))
            .collect::<Vec<_>>()
            .join(t.t("reasons-separator").as_str()),
        Err(_) => stored.to_string(),
    }
}

/// A screening fact `id` with its arguments, in words; the message id
/// itself when the catalogue does not know it.
pub fn screening_fact<'s>(
    t: &Tr<'_>,
    id: &str,
    args: impl IntoIterator<Item = (&'s str, &'s str)>,
) -> String {
    let key = format!("screen-fact-{id}");
    let args: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    let out = t.ta(&key, &args);
    if out == key { id.to_string() } else { out }
}

/// The evidence of a stored screening reason (`{code, weight, evidence,
/// facts}`) in words: its facts, or for a reason stored without them the
/// English evidence to English readers and nothing to others.
pub fn screening_evidence(t: &Tr<'_>, reason: &serde_json::Value) -> String {
    match reason["facts"].as_array() {
        Some(facts) => facts
            .iter()
            .map(|f| {
                let args = f["args"]
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                screening_fact(t, f["id"].as_str().unwrap_or_default(), args)
            })
            .collect::<Vec<_>>()
            .join(t.t("reasons-separator").as_str()),
        None if t.lang == "en" => reason["evidence"].as_str().unwrap_or_default().to_string(),
        None => String::new(),
    }
}

/// One field's part in a linkage decision, in words (a line stored before
/// the reasons were typed that does not read as one is shown as stored).
pub fn match_reason(t: &Tr<'_>, r: &Result<MatchReason, String>) -> String {
    let r = match r {
        Ok(r) => r,
        Err(text) => return text.clone(),
    };
    let label = |prefix: &str, name: &str| {
        let key = format!("{prefix}-{name}");
        let out = t.t(&key);
        if out == key { name.to_string() } else { out }
    };
    t.ta(
        "match-reason",
        &[
            ("field", label("match-field", &r.field)),
            ("level", label("match-level", &r.level)),
            (
                "toward",
                if r.weight < 0.0 { "against" } else { "for" }.into(),
            ),
            ("weight", num((r.weight.abs() * 10.0).round() / 10.0)),
        ],
    )
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    fn args(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
    }

    #[test]
    fn facility_details_take_plurals_and_levels() {
        let i = I18n::load().expect("load");
        let en = Tr::new(&i, "en");
        let km = Tr::new(&i, "km");
        assert_eq!(
            facility_detail(&en, "held", &args(&[("tips", 1.0)])),
            "1 tip reports it"
        );
        assert_eq!(
            facility_detail(&en, "held", &args(&[("tips", 337.0)])),
            "337 tips report it"
        );
        assert_eq!(
            facility_detail(&en, "recency", &args(&[("days", 10.3)])),
            "latest tip 10.3 days ago"
        );
        assert_eq!(
            facility_detail(&km, "specific_place", &args(&[("level", 2.0)])),
            "ស្រុក/ខណ្ឌ"
        );
        assert_eq!(
            facility_detail(&km, "photos", &args(&[("count", 2.0)])),
            "រូបថត 2"
        );
        assert_eq!(facility_detail(&km, "photos", &BTreeMap::new()), "");
    }

    #[test]
    fn referrals_read_typed_and_old() {
        let i = I18n::load().expect("load");
        let km = Tr::new(&i, "km");
        let stored = r#"[{"id":"strong_indicator","indicator":"debt_or_ransom"},{"id":"other_indicators","count":2}]"#;
        let text = referral(&km, stored);
        assert!(text.starts_with("សូចនាករខ្លាំង៖ ត្រូវបានគេប្រាប់ឱ្យសងបំណុល"), "{text}");
        assert!(text.ends_with("សូចនាករផ្សេងទៀត 2"), "{text}");
        assert_eq!(
            referral(&km, "strong indicator: cannot_leave"),
            "strong indicator: cannot_leave"
        );
    }

    #[test]
    fn match_reasons_name_field_level_and_direction() {
        let i = I18n::load().expect("load");
        let r = |weight| {
            Ok(MatchReason {
                field: "dob".into(),
                level: "close".into(),
                weight,
            })
        };
        assert_eq!(
            match_reason(&Tr::new(&i, "en"), &r(2.6)),
            "date of birth: close (+2.6)"
        );
        assert_eq!(
            match_reason(&Tr::new(&i, "km"), &r(-4.0)),
            "ថ្ងៃខែឆ្នាំកំណើត៖ ជិតគ្នា (−4)"
        );
        assert_eq!(match_reason(&Tr::new(&i, "km"), &Err("odd".into())), "odd");
    }

    #[test]
    fn screening_evidence_reads_facts_or_falls_back() {
        let i = I18n::load().expect("load");
        let (en, km) = (Tr::new(&i, "en"), Tr::new(&i, "km"));
        let typed = serde_json::json!({"code": "funds_below_minimum", "weight": 10,
            "evidence": "carries 30 USD, minimum 50",
            "facts": [{"id": "funds_below_minimum", "args": {"cash": "30", "minimum": "50"}}]});
        assert_eq!(
            screening_evidence(&km, &typed),
            "មានប្រាក់ 30 ដុល្លារ អប្បបរមា 50 ដុល្លារ"
        );
        let old = serde_json::json!({"code": "funds_below_minimum", "weight": 10,
            "evidence": "carries 30 USD, minimum 50"});
        assert_eq!(screening_evidence(&en, &old), "carries 30 USD, minimum 50");
        assert_eq!(screening_evidence(&km, &old), "");
    }
}
