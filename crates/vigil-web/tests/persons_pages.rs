//! The persons-met pages through the router on every available backend: an
//! officer records persons met on the operation page (a bad field named next
//! to the field, the input kept), the referral rule's reason is shown, a
//! person met again under an uncertain match lands in the review queue and
//! is merged, a supervisor acknowledges a victim flag (shown with their name
//! and the time as the reader's locale writes it); the person page is titled
//! by the person's name and lists other names once, never the name again;
//! the operation's persons are listed by name; immigration reads
//! persons without names and may not record; another province finds nothing.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn id_after(location: &str, key: &str) -> i64 {
    location
        .split_once(key)
        .map(|(_, rest)| rest)
        .and_then(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|d| d.parse().ok())
        })
        .unwrap_or_else(|| panic!("no {key} in {location}"))
}

fn person_form<'a>(csrf: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("role", "victim"),
        ("nationality", "KH"),
        ("language", "km"),
        ("sex", "f"),
        ("age", ""),
        ("date_of_birth", "1990-03-07"),
        ("given_name", "Sokha"),
        ("family_name", "Chan"),
        ("other_names", "ចាន់ សុខា"),
        ("documents", ""),
        ("notes", ""),
        ("consent", "refused"),
    ];
    for (k, v) in fields {
        match form.iter_mut().find(|(f, _)| f == k) {
            Some(slot) => slot.1 = v,
            None => form.push((k, v)),
        }
    }
    form
}

#[tokio::test]
async fn persons_are_recorded_linked_reviewed_and_acknowledged() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let in12 = Jurisdiction::Provinces(vec!["12".into()]);
        let in18 = Jurisdiction::Provinces(vec!["18".into()]);
        let (officer, csrf) = signed_in(v, "sok", Role::Officer, in12).await;
        let (far, far_csrf) = signed_in(v, "far", Role::Officer, in18).await;
        let (sup, sup_csrf) = signed_in(v, "chan", Role::Supervisor, Jurisdiction::National).await;
        let (analyst, an_csrf) = signed_in(v, "lim", Role::Analyst, Jurisdiction::National).await;
        let (imm, imm_csrf) = signed_in(v, "imm", Role::Immigration, Jurisdiction::National).await;
        let (pros, pros_csrf) =
            signed_in(v, "pros", Role::Prosecutor, Jurisdiction::National).await;

        let district = gazetteer()
            .children("12")
            .next()
            .expect("district")
            .code
            .clone();
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-P1"),
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
        let op_path = format!("/staff/operations/{op}");
        let add_path = format!("{op_path}/persons?lang=en");

        // The section and its keyboard-friendly form.
        let r = call(&app, get(&format!("{op_path}?lang=en"), &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"persons\"") && r.body.contains("id=\"person-form\""));
        assert!(r.body.contains("id=\"no-persons\""));
        assert!(r.body.contains("name=\"indicator\" value=\"cannot_leave\""));
        assert_eq!(r.body.matches("name=\"indicator\"").count(), 10);

        // A bad field is named next to the field, the input kept.
        // (A country is typed by its name or its code; a place that is not
        // a country is refused.)
        let bad = person_form(&csrf, &[("nationality", "Atlantis")]);
        let r = call(&app, post_form(&add_path, &officer, &bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"nationality\""), "{}", r.body);
        assert!(r.body.contains("id=\"err-nationality\""));
        assert!(r.body.contains("value=\"Sokha\""), "input kept");
        let bad = person_form(&csrf, &[("documents", "passport, N1234567, KHM, 0")]);
        let r = call(&app, post_form(&add_path, &officer, &bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"err-documents\""), "{}", r.body);
        let r = call(&app, get(&format!("{op_path}?lang=en"), &officer)).await;
        assert!(r.body.contains("id=\"no-persons\""), "nothing stored");

        // A likely victim who refused referral, whose other names repeat
        // the name itself.
        let good = person_form(
            &csrf,
            &[
                ("nationality", "កម្ពុជា"),
                ("indicator", "cannot_leave"),
                ("other_names", "Sokha Chan\r\nចាន់ សុខា\r\nចាន់ សុខា"),
            ],
        );
        let r = call(&app, post_form(&add_path, &officer, &good)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let p1 = id_after(&location(&r), "person=");
        let r = call(
            &app,
            get(&format!("{op_path}?lang=en&person={p1}"), &officer),
        )
        .await;
        assert!(
            r.body.contains(&format!("data-person=\"{p1}\"")),
            "{}",
            r.body
        );
        assert!(r.body.contains("Sokha Chan") && r.body.contains("Likely victim"));
        assert!(r.body.contains("id=\"person-added\""));
        assert!(
            r.body.contains(&format!(
                "href=\"/staff/persons/{p1}\" class=\"person-link\"><span translate=\"no\">Sokha Chan</span></a>"
            )),
            "persons met by name: {}",
            r.body
        );
        assert!(
            r.body.contains(">Cambodia</td>"),
            "their nationality by its name: {}",
            r.body
        );

        // Met again, born a year apart: a new person and a pair to review.
        let again = person_form(
            &csrf,
            &[
                ("date_of_birth", "1991"),
                ("role", "witness"),
                ("consent", "not_asked"),
            ],
        );
        let r = call(&app, post_form(&add_path, &officer, &again)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let p2 = id_after(&location(&r), "person=");
        assert_ne!(p1, p2);

        // The person page: the referral reason; the acknowledgement form
        // only for a supervisor.
        let person_path = format!("/staff/persons/{p1}");
        let r = call(&app, get(&format!("{person_path}?lang=en"), &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("not consented"), "{}", r.body);
        assert!(
            r.body
                .contains("id=\"person-title\"><span translate=\"no\">Sokha Chan</span></h1>"),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains("class=\"other-names\" translate=\"no\">ចាន់ សុខា</dd>"),
            "other names once, without the name: {}",
            r.body
        );
        assert!(
            r.body.contains("data-operation=\""),
            "the operation by reference"
        );
        assert!(r.body.contains(">OP-2026-P1</a>"), "{}", r.body);
        assert!(r.body.contains("supervisor must acknowledge"));
        assert!(!r.body.contains("ack-form"));
        // The supervisor's review list names the flag waiting for them; an
        // analyst's has no such list.
        let r = call(&app, get("/staff/persons/review?lang=en", &sup)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(&format!(
                "href=\"/staff/persons/{p1}\" class=\"flag-link\" translate=\"no\">Sokha Chan</a>"
            )),
            "{}",
            r.body
        );
        let r = call(&app, get("/staff/persons/review?lang=en", &analyst)).await;
        assert!(!r.body.contains("id=\"flags\""), "{}", r.body);
        let r = call(&app, get(&format!("{person_path}?lang=en"), &sup)).await;
        assert!(r.body.contains("ack-form"), "{}", r.body);
        let record = id_after(&r.body, "/staff/persons/records/");
        let ack_path = format!("/staff/persons/records/{record}/ack?lang=en");
        let r = call(
            &app,
            post_form(&ack_path, &officer, &[("csrf", &csrf), ("note", "x")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(
            &app,
            post_form(&ack_path, &sup, &[("csrf", &sup_csrf), ("note", " ")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"ack-error\""));
        let note = [
            ("csrf", sup_csrf.as_str()),
            ("note", "forced to scam: no charge"),
        ];
        let r = call(&app, post_form(&ack_path, &sup, &note)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{person_path}?lang=en"), &sup)).await;
        assert!(r.body.contains("forced to scam: no charge") && !r.body.contains("ack-form"));
        // By name, at a time the locale writes (not a raw offset).
        assert!(
            r.body.contains("class=\"ack-by\" translate=\"no\">chan<"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("+07:00"), "{}", r.body);
        let r = call(&app, get("/staff/persons/review?lang=en", &sup)).await;
        assert!(r.body.contains("id=\"no-flags\""), "{}", r.body);
        vigil_core::persons::charge_gate(
            &v.persons,
            &vigil_core::staff::Principal {
                id: vigil_domain::StaffId(0),
                username: "chan".into(),
                display_name: "Chan".into(),
                role: Role::Prosecutor,
                jurisdiction: Jurisdiction::National,
            },
            p1,
        )
        .await
        .expect("acknowledged");

        // Khmer.
        let r = call(&app, get(&format!("{person_path}?lang=km"), &officer)).await;
        assert!(r.body.contains("ទំនងជាជនរងគ្រោះ"), "{}", r.body);

        // The review queue: decide "same" merges the two persons.
        let r = call(&app, get("/staff/persons/review?lang=en", &analyst)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let review = id_after(&r.body, "data-review=\"");
        assert!(r.body.contains("given name: exact"), "{}", r.body);
        let r = call(&app, get("/staff/persons/review", &imm)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(&app, get("/staff/persons/review", &far)).await;
        assert!(
            r.body.contains("id=\"no-pairs\""),
            "another province sees no pair"
        );
        let decide = format!("/staff/persons/review/{review}");
        let r = call(
            &app,
            post_form(&decide, &far, &[("csrf", &far_csrf), ("decision", "same")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(
            &app,
            post_form(
                &decide,
                &analyst,
                &[("csrf", &an_csrf), ("decision", "same")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let kept = id_after(&location(&r), "/staff/persons/");
        let r = call(
            &app,
            get(&format!("/staff/persons/{kept}?lang=en"), &officer),
        )
        .await;
        assert_eq!(r.body.matches("data-record=").count(), 2, "{}", r.body);
        let r = call(&app, get("/staff/persons/review", &analyst)).await;
        assert!(r.body.contains("id=\"no-pairs\""));

        // Who may do what, where.
        let r = call(&app, get(&person_path, &imm)).await;
        assert_eq!(r.status, StatusCode::OK, "immigration reads persons");
        assert!(
            !r.body.contains("Sokha") && r.body.contains("class=\"nationality\">កម្ពុជា"),
            "but no names; the nationality by its name in Khmer"
        );
        let r = call(
            &app,
            post_form(&add_path, &imm, &person_form(&imm_csrf, &[])),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(&app, get(&op_path, &imm)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(
            &app,
            post_form(&add_path, &pros, &person_form(&pros_csrf, &[])),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(&app, get(&person_path, &pros)).await;
        assert!(r.status == StatusCode::OK && r.body.contains("Sokha Chan"));
        let r = call(&app, get(&person_path, &far)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(
            &app,
            post_form(&add_path, &far, &person_form(&far_csrf, &[])),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(&app, get("/staff/persons/999999", &officer)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
