//! One table per indicator: a clean traveller with one change, and whether the
//! indicator holds (with the words its evidence must contain).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use serde_json::{Value, json};
use vigil_screening::{Outcome, Policy, Screening, Traveller, Watchlist, evaluate};

fn clean() -> Value {
    json!({
        "ref": "T-1", "sex": "female", "age": 24, "nationality": "KH", "destination": "TH",
        "purpose": "tourism",
        "documents": {"passport": true, "visa": "tourist", "work_permit": false,
                      "employment_contract": false, "return_ticket": true},
        "guarantor": "verified", "cash_usd": 400, "ticket_paid_by": "self",
        "documents_held_by_other": false, "companion_answers": false,
        "job_offer": null, "officer_notes": ""
    })
}

/// `clean()` with `patch` merged in (one level deep for objects).
fn traveller(patch: Value) -> Traveller {
    let mut t = clean();
    for (k, v) in patch.as_object().expect("patch is an object") {
        match (t.get_mut(k), v) {
            (Some(Value::Object(base)), Value::Object(p)) => {
                for (pk, pv) in p {
                    base.insert(pk.clone(), pv.clone());
                }
            }
            _ => {
                t[k] = v.clone();
            }
        }
    }
    Traveller::from_json(&t.to_string()).expect("valid traveller")
}

fn screen(patch: Value, watchlist: &Watchlist) -> Screening {
    let policy = Policy::default_policy().expect("default policy loads");
    evaluate(&policy, &traveller(patch), watchlist)
}

/// Whether `code` holds for the patched traveller, with evidence containing `want`.
fn check(code: &str, patch: Value, want: Option<&str>) {
    check_with(code, patch, want, &Watchlist::new());
}

fn check_with(code: &str, patch: Value, want: Option<&str>, wl: &Watchlist) {
    let s = screen(patch.clone(), wl);
    let reason = s.reasons.iter().find(|r| r.code == code);
    match (want, reason) {
        (None, None) => {}
        (Some(w), Some(r)) => assert!(
            r.evidence.contains(w),
            "{code} for {patch}: evidence {:?} lacks {w:?}",
            r.evidence
        ),
        (None, Some(r)) => panic!("{code} held for {patch}: {:?}", r.evidence),
        (Some(w), None) => panic!("{code} did not hold for {patch} (wanted {w:?}): {s:?}"),
    }
}

#[test]
fn a_clean_tourist_is_clear_with_no_questions() {
    let s = screen(json!({}), &Watchlist::new());
    assert_eq!(s.outcome, Outcome::Clear);
    assert_eq!(s.score, 0);
    assert!(s.reasons.is_empty() && s.questions.is_empty());
    assert_eq!(s.policy, "default@2026.11.1");
    assert!(s.in_scope, "a woman of 24 is in the default scope");
}

#[test]
fn no_clear_documents() {
    let c = "no_clear_documents";
    check(
        c,
        json!({"documents": {"passport": false}}),
        Some("no valid passport"),
    );
    check(
        c,
        json!({"documents": {"visa": "other"}}),
        Some("unclear kind"),
    );
    check(c, json!({"documents": {"visa": "none"}}), None);
}

#[test]
fn purpose_mismatch() {
    let c = "purpose_mismatch";
    let offer = json!({"text": "shop assistant", "contact": "", "employer": "A shop"});
    check(
        c,
        json!({"job_offer": offer}),
        Some("says tourism but has a job offer"),
    );
    check(
        c,
        json!({"purpose": "work", "documents": {"visa": "tourist"}}),
        Some("without a work visa"),
    );
    check(
        c,
        json!({"purpose": "work", "documents": {"visa": "work", "employment_contract": false}}),
        Some("without an employment contract"),
    );
    check(
        c,
        json!({"purpose": "work", "documents": {"visa": "work", "employment_contract": true}, "job_offer": offer}),
        None,
    );
    check(
        c,
        json!({"purpose": "work", "documents": {"visa": "none", "work_permit": true, "employment_contract": true}}),
        None,
    );
    check(
        c,
        json!({"purpose": "study", "documents": {"visa": "student"}}),
        None,
    );
}

#[test]
fn no_authentic_guarantor() {
    let c = "no_authentic_guarantor";
    check(c, json!({"guarantor": "none"}), Some("no guarantor"));
    check(c, json!({"guarantor": "unverified"}), Some("not verified"));
    check(c, json!({"guarantor": "verified"}), None);
}

#[test]
fn funds_below_minimum() {
    let c = "funds_below_minimum";
    check(
        c,
        json!({"cash_usd": 30}),
        Some("carries 30 USD, minimum 50"),
    );
    check(
        c,
        json!({"cash_usd": 49.5}),
        Some("carries 49.50 USD, minimum 50"),
    );
    check(c, json!({"cash_usd": 0}), Some("carries 0 USD"));
    check(c, json!({"cash_usd": 50}), None);
}

#[test]
fn no_return_ticket() {
    let c = "no_return_ticket";
    check(
        c,
        json!({"documents": {"return_ticket": false}}),
        Some("no return ticket for a tourism trip"),
    );
    check(
        c,
        json!({"purpose": "family", "documents": {"return_ticket": false}}),
        Some("family"),
    );
    check(
        c,
        json!({"purpose": "study", "documents": {"visa": "student", "return_ticket": false}}),
        None,
    );
}

#[test]
fn ticket_paid_by_third_party() {
    let c = "ticket_paid_by_third_party";
    check(
        c,
        json!({"ticket_paid_by": "recruiter"}),
        Some("paid by the recruiter"),
    );
    check(
        c,
        json!({"ticket_paid_by": "employer"}),
        Some("paid by the employer"),
    );
    check(
        c,
        json!({"ticket_paid_by": "unknown"}),
        Some("does not know"),
    );
    check(c, json!({"ticket_paid_by": "family"}), None);
    check(c, json!({"ticket_paid_by": "self"}), None);
}

#[test]
fn documents_held_by_other_refers_alone() {
    check(
        "documents_held_by_other",
        json!({"documents_held_by_other": true}),
        Some("holds"),
    );
    let s = screen(json!({"documents_held_by_other": true}), &Watchlist::new());
    assert_eq!(s.outcome, Outcome::Refer);
    assert_eq!(s.questions.len(), 1);
    assert!(s.questions[0].en.contains("passport") && !s.questions[0].km.is_empty());
}

#[test]
fn companion_answers_refers_alone() {
    check(
        "companion_answers",
        json!({"companion_answers": true}),
        Some("companion"),
    );
    let s = screen(json!({"companion_answers": true}), &Watchlist::new());
    assert_eq!(s.outcome, Outcome::Refer);
}

#[test]
fn job_offer_red_flags() {
    let c = "job_offer_red_flags";
    let offer = |text: &str, contact: &str| {
        json!({"purpose": "work",
               "documents": {"visa": "work", "work_permit": true, "employment_contract": true},
               "job_offer": {"text": text, "contact": contact, "employer": ""}})
    };
    check(
        c,
        offer("Salary $3,000 per month", "+855 12 345 678"),
        Some("offers 3000 USD"),
    );
    check(
        c,
        offer("Salary 800 USD per month", "+855 12 345 678"),
        None,
    );
    check(
        c,
        offer("No experience needed", "+855 12 345 678"),
        Some("no experience needed"),
    );
    check(
        c,
        offer("មិនត្រូវការបទពិសោធន៍", "+855 12 345 678"),
        Some("no experience"),
    );
    check(
        c,
        offer("Free ticket and visa", "+855 12 345 678"),
        Some("travel paid"),
    );
    check(
        c,
        offer("Office work", "@hr_asia"),
        Some("contact only by messaging app (telegram)"),
    );
    check(
        c,
        offer("Office work", "t.me/hr_asia"),
        Some("messaging app (telegram)"),
    );
    check(
        c,
        offer("Office work, apply at jobs-example.com", "@hr_asia"),
        None,
    );
    let mut mm = offer("Office work", "+855 12 345 678");
    mm["destination"] = json!("MM");
    check(c, mm, Some("job in MM"));
    check(c, json!({"destination": "MM"}), None);
}

#[test]
fn watchlist_match_in_any_format_refers_alone() {
    let mut wl = Watchlist::new();
    wl.add("+855 12 345 678", "facility F-12");
    wl.add("@Recruiter_KH", "tip HL-7");
    wl.add("Golden Star Recruitment Co., Ltd", "facility F-3");
    let c = "watchlist_match";
    let offer = |contact: &str, employer: &str, text: &str| json!({"job_offer": {"text": text, "contact": contact, "employer": employer}});
    check_with(
        c,
        offer("012 345 678", "", ""),
        Some("+85512345678 is tied to facility F-12"),
        &wl,
    );
    check_with(c, offer("+855-12-345-678", "", ""), Some("F-12"), &wl);
    check_with(
        c,
        offer("https://wa.me/85512345678", "", ""),
        Some("F-12"),
        &wl,
    );
    check_with(c, offer("t.me/recruiter_kh", "", ""), Some("tip HL-7"), &wl);
    check_with(c, offer("recruiter_kh", "", ""), Some("tip HL-7"), &wl);
    check_with(
        c,
        offer("", "golden star recruitment co ltd", ""),
        Some("facility F-3"),
        &wl,
    );
    check_with(
        c,
        offer("", "", "Call 012 345 678 now"),
        Some("offer text +85512345678"),
        &wl,
    );
    check_with(
        c,
        offer("", "", "Join GOLDEN STAR Recruitment Co. Ltd in Bangkok"),
        Some("offer text golden star recruitment is tied to facility F-3"),
        &wl,
    );
    // A handle is found as a handle, not as a word of the text.
    check_with(c, offer("", "", "message recruiter_kh today"), None, &wl);
    check_with(c, offer("", "Golden Star", "recruitment"), None, &wl);
    check_with(
        c,
        offer("012 345 679", "Silver Moon", "t.me/other"),
        None,
        &wl,
    );
    // A platform is not a lead: another account on t.me does not match.
    let mut platform = Watchlist::new();
    platform.add("t.me/recruiter_kh", "tip HL-7");
    check_with(c, offer("t.me/someone_else", "", ""), None, &platform);
    let s = screen(offer("012 345 678", "", ""), &wl);
    assert_eq!(s.outcome, Outcome::Refer);
    let from_file = Watchlist::from_jsonl(
        "{\"value\":\"+855 12 345 678\",\"label\":\"facility F-12\"}\n\n{\"value\":\"@Recruiter_KH\",\"label\":\"tip HL-7\"}",
    )
    .expect("two entries");
    check_with(
        c,
        offer("t.me/recruiter_kh", "", ""),
        Some("tip HL-7"),
        &from_file,
    );
    let err =
        Watchlist::from_jsonl("{\"value\":\"x\",\"label\":\"y\"}\n{\"value\":1}").unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn bands_add_up_to_interview_and_refer() {
    let s = screen(
        json!({"cash_usd": 30, "guarantor": "none"}),
        &Watchlist::new(),
    );
    assert_eq!((s.score, s.outcome), (4, Outcome::Interview));
    assert_eq!(s.questions.len(), 2);
    let s = screen(
        json!({"cash_usd": 30, "guarantor": "none", "documents": {"passport": false}}),
        &Watchlist::new(),
    );
    assert_eq!((s.score, s.outcome), (7, Outcome::Refer));
    let s = screen(json!({"guarantor": "unverified"}), &Watchlist::new());
    assert_eq!((s.score, s.outcome), (2, Outcome::Clear));
}

#[test]
fn scope_is_reported_but_never_scored() {
    let young = screen(json!({"cash_usd": 30}), &Watchlist::new());
    let older = screen(
        json!({"cash_usd": 30, "age": 50, "sex": "male"}),
        &Watchlist::new(),
    );
    assert!(young.in_scope && !older.in_scope);
    assert_eq!((young.score, young.outcome), (older.score, older.outcome));
}

/// The facts of reason `code` for the patched traveller: (id, args).
fn facts(code: &str, patch: Value, wl: &Watchlist) -> Vec<(String, Vec<(String, String)>)> {
    let s = screen(patch, wl);
    let r = s.reasons.iter().find(|r| r.code == code).expect(code);
    r.facts
        .iter()
        .map(|f| {
            let args = f.args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            (f.id.clone(), args)
        })
        .collect()
}

fn fact(id: &str, args: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let args = args
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    (id.to_string(), args)
}

#[test]
fn each_reason_names_its_facts() {
    let none = Watchlist::new();
    assert_eq!(
        facts("funds_below_minimum", json!({"cash_usd": 30}), &none),
        vec![fact(
            "funds_below_minimum",
            &[("cash", "30"), ("minimum", "50")]
        )]
    );
    assert_eq!(
        facts(
            "no_clear_documents",
            json!({"documents": {"passport": false, "visa": "other"}}),
            &none
        ),
        vec![fact("no_passport", &[]), fact("visa_unclear", &[])]
    );
    assert_eq!(
        facts(
            "no_return_ticket",
            json!({"documents": {"return_ticket": false}}),
            &none
        ),
        vec![fact("no_return_ticket", &[("purpose", "tourism")])]
    );
    assert_eq!(
        facts(
            "ticket_paid_by_third_party",
            json!({"ticket_paid_by": "recruiter"}),
            &none
        ),
        vec![fact("ticket_paid_by", &[("payer", "recruiter")])]
    );
    let mut wl = Watchlist::new();
    wl.add("+855 12 345 678", "facility F-12");
    let offer =
        json!({"job_offer": {"text": "Call now", "contact": "012 345 678", "employer": ""}});
    let got = facts("watchlist_match", offer, &wl);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "watchlist");
    assert!(
        got[0]
            .1
            .contains(&("what".to_string(), "contact".to_string()))
    );
    assert!(
        got[0]
            .1
            .contains(&("labels".to_string(), "facility F-12".to_string()))
    );
}
