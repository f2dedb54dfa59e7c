//! Policies that load and policies that are refused; traveller records refused
//! with the field named.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use vigil_screening::policy::DEFAULT_POLICY;
use vigil_screening::{Indicator, Policy, PolicyError, Traveller};

const HEAD: &str = r#"
name = "test"
version = "1"
minimum_cash_usd = 50
[bands]
interview = 3
refer = 7
"#;

fn indicator(code: &str) -> String {
    format!(
        "\n[[indicators]]\ncode = \"{code}\"\nweight = 2\nquestion_en = \"q\"\nquestion_km = \"ស\"\n"
    )
}

#[test]
fn the_default_policy_sets_every_indicator_and_weights_no_attribute() {
    let p = Policy::default_policy().expect("loads");
    assert_eq!(p.id(), "default@2026.11.1");
    assert_eq!(p.minimum_cash_usd, 50);
    for i in Indicator::ALL {
        let rule = p.rule(i).unwrap_or_else(|| panic!("{} missing", i.code()));
        assert!(!rule.question_en.is_empty() && !rule.question_km.is_empty());
        let alone = matches!(
            i,
            Indicator::DocumentsHeldByOther
                | Indicator::CompanionAnswers
                | Indicator::WatchlistMatch
        );
        assert_eq!(rule.refers_alone, alone, "{}", i.code());
    }
    assert!(p.attribute_weights.is_empty() && p.protected_weights().next().is_none());
    assert!(DEFAULT_POLICY.contains("version"));
}

#[test]
fn an_unknown_indicator_is_named() {
    let err = Policy::from_toml(&format!("{HEAD}{}", indicator("looks_nervous"))).unwrap_err();
    assert!(matches!(&err, PolicyError::UnknownIndicator { code, .. } if code == "looks_nervous"));
    assert!(err.to_string().contains("looks_nervous"), "{err}");
    assert!(
        err.to_string().contains("funds_below_minimum"),
        "lists the known codes: {err}"
    );
}

#[test]
fn policy_errors_say_what_is_wrong() {
    let dup = format!(
        "{HEAD}{}{}",
        indicator("no_return_ticket"),
        indicator("no_return_ticket")
    );
    assert_eq!(
        Policy::from_toml(&dup),
        Err(PolicyError::DuplicateIndicator("no_return_ticket".into()))
    );
    let bands = HEAD.replace("interview = 3", "interview = 9");
    assert!(
        matches!(Policy::from_toml(&bands), Err(PolicyError::Invalid(m)) if m.contains("bands"))
    );
    let unknown_field = format!("{HEAD}colour = \"red\"\n");
    let unknown_field = unknown_field.replace("[bands]", "colour = \"red\"\n[bands]");
    assert!(
        matches!(Policy::from_toml(&unknown_field), Err(PolicyError::Syntax(m)) if m.contains("colour"))
    );
    let negative = format!(
        "{HEAD}{}",
        indicator("no_return_ticket").replace("weight = 2", "weight = -2")
    );
    assert!(matches!(
        Policy::from_toml(&negative),
        Err(PolicyError::Syntax(_))
    ));
    let scope = format!("{HEAD}\n[scope]\nage_min = 35\nage_max = 18\n");
    assert!(
        matches!(Policy::from_toml(&scope), Err(PolicyError::Invalid(m)) if m.contains("age_min"))
    );
    let scope = format!("{HEAD}\n[scope]\nsex = [\"women\"]\n");
    assert!(
        matches!(Policy::from_toml(&scope), Err(PolicyError::Invalid(m)) if m.contains("women"))
    );
    let attr = format!(
        "{HEAD}\n[[attribute_weights]]\nattribute = \"caste\"\nvalue = \"x\"\nweight = 1\n"
    );
    assert_eq!(
        Policy::from_toml(&attr),
        Err(PolicyError::UnknownAttribute("caste".into()))
    );
}

#[test]
fn a_protected_attribute_needs_a_written_justification() {
    for attribute in ["sex", "ethnicity", "religion"] {
        let base = format!(
            "{HEAD}\n[[attribute_weights]]\nattribute = \"{attribute}\"\nvalue = \"x\"\nweight = 1\n"
        );
        let err = Policy::from_toml(&base).unwrap_err();
        assert_eq!(
            err,
            PolicyError::ProtectedWithoutJustification(attribute.into())
        );
        assert!(err.to_string().contains("justification"), "{err}");
        let blank = format!("{base}justification = \"  \"\n");
        assert!(
            Policy::from_toml(&blank).is_err(),
            "a blank justification is none"
        );
        let justified = format!("{base}justification = \"Court order 12/2026\"\n");
        let p = Policy::from_toml(&justified).expect("justified weight loads");
        let shown: Vec<_> = p
            .protected_weights()
            .map(|a| {
                (
                    a.attribute.name(),
                    a.value.as_str(),
                    a.weight,
                    a.justification.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![(attribute, "x", 1, Some("Court order 12/2026"))]
        );
    }
    // Nationality is not protected; a zero weight needs no reason.
    let nat = format!(
        "{HEAD}\n[[attribute_weights]]\nattribute = \"nationality\"\nvalue = \"KH\"\nweight = 1\n"
    );
    assert!(Policy::from_toml(&nat).is_ok());
    let zero = format!(
        "{HEAD}\n[[attribute_weights]]\nattribute = \"sex\"\nvalue = \"female\"\nweight = 0\n"
    );
    assert!(Policy::from_toml(&zero).is_ok());
}

#[test]
fn a_justified_weight_shows_in_the_reasons() {
    let text = format!(
        "{HEAD}\n[[attribute_weights]]\nattribute = \"religion\"\nvalue = \"x\"\nweight = 3\njustification = \"test only\"\n"
    );
    let p = Policy::from_toml(&text).expect("loads");
    let mut t = Traveller::from_json(&good().to_string()).expect("valid");
    t.religion = Some("X".into());
    let s = vigil_screening::evaluate(&p, &t, &vigil_screening::Watchlist::new());
    assert_eq!(s.score, 3);
    assert_eq!(s.reasons[0].code, "attribute_religion");
    assert!(s.reasons[0].evidence.contains("test only"));
}

fn good() -> serde_json::Value {
    serde_json::json!({
        "ref": "T-1", "sex": "male", "age": 30, "nationality": "kh", "destination": "TH",
        "purpose": "work",
        "documents": {"passport": true, "visa": "work", "work_permit": true,
                      "employment_contract": true, "return_ticket": false},
        "guarantor": "verified", "cash_usd": 120.5, "ticket_paid_by": "self",
        "documents_held_by_other": false, "companion_answers": false,
        "job_offer": {"text": "Factory work", "contact": "+66 81 234 5678", "employer": "Thai Co"},
        "officer_notes": "calm"
    })
}

/// The field named when `good()` with `path` set to `value` is refused.
fn refused(path: &[&str], value: serde_json::Value) -> (String, String) {
    let mut v = good();
    let mut at = &mut v;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    at[path[path.len() - 1]] = value;
    let err = Traveller::from_json(&v.to_string()).unwrap_err();
    (err.field, err.message)
}

/// The field and kind of problem when `good()` with `path` set to `value`
/// is refused.
fn refused_kind(
    path: &[&str],
    value: serde_json::Value,
) -> (String, vigil_screening::InputProblem) {
    let mut v = good();
    let mut at = &mut v;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    at[path[path.len() - 1]] = value;
    let err = Traveller::from_json(&v.to_string()).unwrap_err();
    (err.field, err.kind)
}

#[test]
fn a_good_record_reads() {
    let t = Traveller::from_json(&good().to_string()).expect("valid");
    assert_eq!(t.nationality.as_str(), "KH");
    assert_eq!(t.age.years(), 30);
    assert_eq!(t.cash_usd.usd(), 120.5);
    let mut v = good();
    v["job_offer"] = serde_json::Value::Null;
    v.as_object_mut().unwrap().remove("officer_notes");
    assert!(Traveller::from_json(&v.to_string()).is_ok());
}

#[test]
fn bad_input_names_the_field() {
    use serde_json::json;
    let cases: Vec<(&[&str], serde_json::Value, &str, &str)> = vec![
        (&["sex"], json!("f"), "sex", "unknown variant `f`"),
        (&["age"], json!(121), "age", "outside 0–120"),
        (&["age"], json!(-1), "age", "outside 0–120"),
        (&["age"], json!("twenty"), "age", "invalid type"),
        (&["cash_usd"], json!(-5), "cash_usd", "0 or more"),
        (
            &["purpose"],
            json!("holiday"),
            "purpose",
            "unknown variant `holiday`",
        ),
        (
            &["documents", "visa"],
            json!("business"),
            "documents.visa",
            "unknown variant",
        ),
        (
            &["guarantor"],
            json!("maybe"),
            "guarantor",
            "unknown variant",
        ),
        (
            &["ticket_paid_by"],
            json!("friend"),
            "ticket_paid_by",
            "unknown variant",
        ),
        (
            &["destination"],
            json!("THA"),
            "destination",
            "ISO 3166-1 alpha-2",
        ),
        (
            &["nationality"],
            json!("K1"),
            "nationality",
            "ISO 3166-1 alpha-2",
        ),
        (
            &["job_offer", "salary"],
            json!(9),
            "job_offer",
            "unknown field `salary`",
        ),
        (&["ref"], json!(" "), "ref", "must not be empty"),
    ];
    for (path, value, field, message) in cases {
        let (f, m) = refused(path, value.clone());
        assert!(
            f.starts_with(field),
            "{path:?}={value}: field {f:?}, want {field:?} ({m})"
        );
        assert!(
            m.contains(message),
            "{path:?}={value}: message {m:?} lacks {message:?}"
        );
    }
    let mut v = good();
    v.as_object_mut().unwrap().remove("age");
    let err = Traveller::from_json(&v.to_string()).unwrap_err();
    assert!(err.message.contains("missing field `age`"), "{err}");
    assert_eq!(err.kind, vigil_screening::InputProblem::Missing);
    let err = Traveller::from_json("not json").unwrap_err();
    assert_eq!(err.kind, vigil_screening::InputProblem::Syntax);
    let (_, kind) = refused_kind(&["job_offer", "salary"], serde_json::json!(9));
    assert_eq!(kind, vigil_screening::InputProblem::UnknownField);
    let (_, kind) = refused_kind(&["age"], serde_json::json!(121));
    assert_eq!(kind, vigil_screening::InputProblem::Value);
    let (_, kind) = refused_kind(&["ref"], serde_json::json!(" "));
    assert_eq!(kind, vigil_screening::InputProblem::Empty);
}
