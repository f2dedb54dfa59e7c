//! Machine-made reasons read in the officer's language, through the router
//! on every available backend: a facility's priority, a screening's
//! evidence, a person's referral and a linkage pair's field weights, in
//! Khmer with none of the English sentences the cores once wrote; a
//! facility's reasons stored before they carried numbers still read.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in, tip_in};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, facility_reasons_stored};

/// The English sentences no Khmer page may carry.
const ENGLISH: &[&str] = &[
    "tip(s)",
    "report it",
    "photo(s)",
    "independent tip",
    "day(s) ago",
    "carries 30 USD",
    "ticket paid by the",
    "strong indicator",
    "other indicators",
    "consented",
    "given: exact",
    "dob:",
];

fn no_english(body: &str, page: &str) {
    for phrase in ENGLISH {
        assert!(!body.contains(phrase), "{page} has {phrase:?}: {body}");
    }
}

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn id_after(text: &str, key: &str) -> i64 {
    text.split_once(key)
        .map(|(_, rest)| rest)
        .and_then(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|d| d.parse().ok())
        })
        .unwrap_or_else(|| panic!("no {key} in {text}"))
}

#[tokio::test]
async fn facility_reasons_read_in_khmer_and_old_rows_still_read() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let (cookie, _) = signed_in(v, "sok", Role::Analyst, Jurisdiction::National).await;
        let (tip, _) = tip_in(v, "12", "compound in Phnom Penh").await;
        vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
            .await
            .expect("pipeline");
        let facility = v.store.facility_of(tip).await.expect("of").expect("one");
        let path = format!("/staff/facilities/{}", facility.0);

        let r = call(&app, get(&format!("{path}?lang=km"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("ព័ត៌មាន 1 បានរាយការណ៍ពីរឿងនេះ"),
            "the tip reporting people held: {}",
            r.body
        );
        assert!(r.body.contains("រូបថត 1"), "{}", r.body);
        no_english(&r.body, "facility");
        let r = call(&app, get(&format!("{path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("1 tip reports it"), "{}", r.body);
        assert!(r.body.contains("1 photo<"), "{}", r.body);

        // A row written before reasons carried numbers: its label only.
        let old = r#"[{"code":"photos","weight":2.0,"detail":"2 photo(s)"}]"#;
        facility_reasons_stored(v, facility, old)
            .await
            .expect("old row");
        let r = call(&app, get(&format!("{path}?lang=km"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("<th>រូបថត</th>"), "{}", r.body);
        no_english(&r.body, "old facility");
        let r = call(&app, get("/staff/facilities?lang=km", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

#[tokio::test]
async fn screening_evidence_reads_in_khmer() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let bm = Jurisdiction::Provinces(vec!["01".into()]);
        let (cookie, csrf) = signed_in(v, "sokha", Role::Immigration, bm).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("post", "POIPET"),
            ("ref", "AIR-9"),
            ("sex", "female"),
            ("age", "22"),
            ("nationality", "KH"),
            ("destination", "MM"),
            ("purpose", "tourism"),
            ("passport", "yes"),
            ("visa", "none"),
            ("guarantor", "none"),
            ("cash_usd", "30"),
            ("ticket_paid_by", "recruiter"),
            ("offer_text", "Easy job, no experience, travel paid"),
            ("offer_contact", "@fastjobs"),
            ("offer_employer", ""),
            ("officer_notes", ""),
        ];
        let r = call(&app, post_form("/staff/screen?lang=km", &cookie, &form)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("មានប្រាក់ 30 ដុល្លារ អប្បបរមា 50 ដុល្លារ"),
            "{}",
            r.body
        );
        assert!(r.body.contains("សំបុត្របង់ដោយភ្នាក់ងារជ្រើសរើសពលករ"));
        no_english(&r.body, "screen");
        let id = id_after(&r.body, "/staff/screen/");

        // Read back from the stored reasons.
        let r = call(
            &app,
            get(&format!("/staff/screenings/{id}?lang=km"), &cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("មានប្រាក់ 30 ដុល្លារ អប្បបរមា 50 ដុល្លារ"),
            "{}",
            r.body
        );
        no_english(&r.body, "screening");
        let r = call(
            &app,
            get(&format!("/staff/screenings/{id}?lang=en"), &cookie),
        )
        .await;
        assert!(
            r.body.contains("carries 30 USD, minimum 50 USD"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn referral_and_match_reasons_read_in_khmer() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let in12 = Jurisdiction::Provinces(vec!["12".into()]);
        let (officer, csrf) = signed_in(v, "sok", Role::Officer, in12).await;
        let (analyst, _) = signed_in(v, "lim", Role::Analyst, Jurisdiction::National).await;
        let district = gazetteer()
            .children("12")
            .next()
            .expect("district")
            .code
            .clone();
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-R1"),
            ("title", "Raid"),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("partners", ""),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("district_code", district.as_str()),
            ("commune_code", ""),
            ("place", "Compound"),
            ("facilities", ""),
        ];
        let r = call(&app, post_form("/staff/operations", &officer, &plan)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let op = id_after(&location(&r), "/staff/operations/");
        let add = format!("/staff/operations/{op}/persons?lang=en");
        let person = |dob: &'static str, consent: &'static str| {
            vec![
                ("csrf", csrf.as_str()),
                ("role", "victim"),
                ("nationality", "KH"),
                ("language", "km"),
                ("sex", "f"),
                ("age", ""),
                ("date_of_birth", dob),
                ("given_name", "Sokha"),
                ("family_name", "Chan"),
                ("other_names", ""),
                ("documents", ""),
                ("notes", ""),
                ("consent", consent),
                ("indicator", "debt_or_ransom"),
                ("indicator", "threats"),
                ("indicator", "isolation"),
            ]
        };
        let r = call(
            &app,
            post_form(&add, &officer, &person("1990-03-07", "given")),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let p1 = id_after(&location(&r), "person=");
        let r = call(&app, get(&format!("/staff/persons/{p1}?lang=km"), &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("សូចនាករខ្លាំង៖ ត្រូវបានគេប្រាប់ឱ្យសងបំណុល"),
            "{}",
            r.body
        );
        assert!(r.body.contains("សូចនាករផ្សេងទៀត 2"), "{}", r.body);
        assert!(r.body.contains("មនុស្សពេញវ័យដែលបានយល់ព្រមឱ្យបញ្ជូនបន្ត"));
        no_english(&r.body, "person");

        // Met again born a year apart: a pair to review, its reasons in Khmer.
        let r = call(&app, post_form(&add, &officer, &person("1991", "given"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get("/staff/persons/review?lang=km", &analyst)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("data-review=\""), "a pair: {}", r.body);
        assert!(r.body.contains("នាមខ្លួន៖ ដូចគ្នាបេះបិទ (+"), "{}", r.body);
        no_english(&r.body, "review");
        let r = call(&app, get("/staff/persons/review?lang=en", &analyst)).await;
        assert!(r.body.contains("given name: exact (+"), "{}", r.body);
    }
}
