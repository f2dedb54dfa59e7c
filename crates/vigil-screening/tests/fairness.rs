//! Fair by construction: under the default policy, sex never changes a score,
//! an outcome or a reason.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::{Value, json};
use vigil_screening::{Policy, Traveller, Watchlist, evaluate};

const SEXES: [&str; 4] = ["female", "male", "other", "unspecified"];

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(options)
}

prop_compose! {
    fn offer()(
        text in pick(&["", "Salary $3,000 no experience", "Free ticket, call 012 345 678",
                       "Office work in Bangkok 700 USD", "ការងារស្រួល ប្រាក់ខែ 2000 ដុល្លារ"]),
        contact in pick(&["", "@hr_asia", "t.me/Recruiter_KH", "+855 12 345 678", "jobs@example.com"]),
        employer in pick(&["", "Golden Star Recruitment", "Thai Co"]),
    ) -> Value {
        json!({"text": text, "contact": contact, "employer": employer})
    }
}

prop_compose! {
    fn traveller()(
        age in 0i64..=120,
        nationality in pick(&["KH", "VN", "TH"]),
        destination in pick(&["TH", "MM", "LA", "JP", "AE"]),
        purpose in pick(&["tourism", "work", "study", "family", "business", "other"]),
        passport in any::<bool>(),
        visa in pick(&["tourist", "work", "student", "none", "other"]),
        work_permit in any::<bool>(),
        employment_contract in any::<bool>(),
        return_ticket in any::<bool>(),
        guarantor in pick(&["none", "unverified", "verified"]),
        cash in 0u32..2000,
        ticket in pick(&["self", "family", "employer", "recruiter", "unknown"]),
        held in any::<bool>(),
        companion in any::<bool>(),
        job_offer in proptest::option::of(offer()),
    ) -> Value {
        json!({
            "ref": "P", "sex": "female", "age": age, "nationality": nationality,
            "destination": destination, "purpose": purpose,
            "documents": {"passport": passport, "visa": visa, "work_permit": work_permit,
                          "employment_contract": employment_contract,
                          "return_ticket": return_ticket},
            "guarantor": guarantor, "cash_usd": cash, "ticket_paid_by": ticket,
            "documents_held_by_other": held, "companion_answers": companion,
            "job_offer": job_offer,
        })
    }
}

fn with_sex(v: &Value, sex: &str) -> Traveller {
    let mut v = v.clone();
    v["sex"] = json!(sex);
    Traveller::from_json(&v.to_string()).expect("generated travellers are valid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sex_never_changes_score_outcome_or_reasons(t in traveller(), a in 0usize..4, b in 0usize..4) {
        let policy = Policy::default_policy().expect("default policy loads");
        let mut wl = Watchlist::new();
        wl.add("@recruiter_kh", "tip HL-7");
        let x = evaluate(&policy, &with_sex(&t, SEXES[a]), &wl);
        let y = evaluate(&policy, &with_sex(&t, SEXES[b]), &wl);
        prop_assert_eq!(x.score, y.score);
        prop_assert_eq!(x.outcome, y.outcome);
        prop_assert_eq!(x.reasons, y.reasons);
        prop_assert_eq!(x.questions, y.questions);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Hostile policy files and traveller lines are refused, never a panic.
    #[test]
    fn any_text_is_read_or_refused_without_panic(text in ".{0,200}") {
        let _ = Policy::from_toml(&text);
        let _ = Traveller::from_json(&text);
    }

    /// A refused line names a field from the input's vocabulary (or `.`).
    #[test]
    fn a_mangled_field_is_named(t in traveller(), field in pick(&[
        "sex", "age", "purpose", "guarantor", "cash_usd", "ticket_paid_by", "destination",
    ]), junk in pick(&["x", "-1", "999", ""])) {
        let mut v = t.clone();
        v[field] = json!(junk);
        let err = Traveller::from_json(&v.to_string()).expect_err("junk is refused");
        prop_assert_eq!(err.field, field);
    }
}
