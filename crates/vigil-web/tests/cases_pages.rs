//! The case pages through the router on every available backend: an officer
//! opens a case from an operation's page (the operation and its province
//! filled in, its persons met offered by name and its seized items by
//! number and kind), choosing a defendant and an item from those lists as a
//! browser without JavaScript posts them (one field per ticked box), then
//! adds a second defendant from the case page's list; a prosecutor charges
//! them under a statute, choosing the defendant by name, records a hearing
//! and a verdict on a charge chosen by name (a verdict dated before the
//! charge refused next to its field, in Khmer and in English), moves the
//! case forward, and the case page shows defendants, operations and items by
//! name; the named case shows by its name on the list, filtered by stage.
//! Immigration is refused (403); another province finds nothing (404).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, done_operation, seized_item};

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_case_from_an_operation_to_its_verdict() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let p18 = Jurisdiction::Provinces(vec!["18".into()]);
        let (officer, ocsrf) = signed_in(v, "sok", Role::Officer, p18.clone()).await;
        let (pros, pcsrf) = signed_in(v, "dara", Role::Prosecutor, p18).await;
        let by = v
            .store
            .staff_by_username("sok")
            .await
            .expect("staff")
            .expect("sok")
            .id;
        // An operation in province 18 with one seized phone.
        let op = done_operation(v, "OP-2026-031", "Raid on the golden compound", "18", by).await;
        let item = seized_item(v, op, "E1", "smartphone", "phone", "sok").await;
        // A suspect met in the raid: the defendant.
        let sok = staffkit::principal(v, "sok").await;
        let suspect = vigil_core::persons::PersonInput {
            role: "suspect".into(),
            nationality: "CN".into(),
            language: "zh".into(),
            given_name: "Wei".into(),
            family_name: "Zhang".into(),
            ..Default::default()
        };
        let person = vigil_core::persons::record(&v.persons, &sok, op, &suspect)
            .await
            .expect("person")
            .1
            .to_string();
        let recruiter = vigil_core::persons::PersonInput {
            role: "recruiter".into(),
            nationality: "KH".into(),
            language: "km".into(),
            given_name: "Dara".into(),
            family_name: "Keo".into(),
            ..Default::default()
        };
        let second = vigil_core::persons::record(&v.persons, &sok, op, &recruiter)
            .await
            .expect("person")
            .1
            .to_string();

        // The operation's page links to a new case filled in from it.
        let r = call(
            &app,
            get(&format!("/staff/operations/{op}?lang=en"), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let link = format!("/staff/cases/new?operation={op}");
        assert!(r.body.contains(&link), "{}", r.body);
        let r = call(&app, get(&format!("{link}&lang=en"), &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"nav-cases\""));
        // The raid ticked, the province chosen by name, the persons met and
        // the seized items offered by name: no id to type.
        assert!(
            r.body.contains(&format!(
                "name=\"operations\" value=\"{op}\" id=\"op-{op}\" checked"
            )),
            "{}",
            r.body
        );
        assert!(r.body.contains("OP-2026-031 · Raid on the golden compound"));
        assert!(
            r.body
                .contains("<option value=\"18\" selected>Sihanoukville</option>"),
            "{}",
            r.body
        );
        assert!(r.body.contains(&format!(
            "name=\"persons\" value=\"{person}\" id=\"person-{person}\"> <span translate=\"no\">Wei Zhang · Suspect · China"
        )));
        assert!(r.body.contains(&format!(
            "name=\"items\" value=\"{item}\" id=\"item-{item}\"> <span translate=\"no\">#{item} E1 · Smartphone"
        )));
        assert!(!r.body.contains("placeholder=\"101, 102\""));
        // Without a raid yet, the form offers the raids by reference to
        // choose from (a plain GET form), and choosing none is no error.
        let r = call(&app, get("/staff/cases/new?lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"no-operation-chosen\""), "{}", r.body);
        assert!(
            r.body.contains(&format!(
                "<option translate=\"no\" value=\"{op}\">OP-2026-031 · Raid on the golden compound"
            )),
            "{}",
            r.body
        );
        let r = call(&app, get("/staff/cases/new?operation=&lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // A raid planned from a facility the pipeline made: the facility is
        // named beside it, never by its number alone.
        let (tip, _) = staffkit::tip_in(
            v,
            "18",
            "Golden Dragon compound, people held, call +855 12 345 678",
        )
        .await;
        vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
            .await
            .expect("pipeline");
        let facility = v
            .store
            .facility_of(tip)
            .await
            .expect("of")
            .expect("a facility");
        let planned = vigil_core::operations::plan(
            &v.operations,
            &sok,
            &vigil_core::operations::OperationInput {
                reference: "OP-2026-032".into(),
                title: "Second raid".into(),
                lead_agency: "Police".into(),
                province_code: "18".into(),
                place: "Compound".into(),
                status: "planned".into(),
                facilities: vec![facility],
                ..Default::default()
            },
        )
        .await
        .expect("planned");
        let r = call(
            &app,
            get(
                &format!("/staff/cases/new?operation={planned}&lang=en"),
                &officer,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let link = format!(
            "<a href=\"/staff/facilities/{}\" translate=\"no\">",
            facility.0
        );
        let at = r.body.find(&link).unwrap_or_else(|| panic!("{}", r.body)) + link.len();
        let shown = r.body[at..].split('<').next().unwrap_or_default();
        assert!(
            !shown.trim().is_empty() && shown != format!("#{}", facility.0),
            "the facility by its name: {shown}"
        );

        let ops = op.to_string();
        let items = item.to_string();
        let mut form = vec![
            ("csrf", ocsrf.as_str()),
            ("ref", "PP-2026-031"),
            ("title", "Compound fraud"),
            ("name", "The golden compound case"),
            ("province_code", "18"),
            ("court", "Preah Sihanouk Provincial Court"),
            ("operations", ops.as_str()),
            ("items", "99999"),
            ("persons", person.as_str()),
        ];
        // An unknown item is named next to its field, the input kept.
        let r = call(&app, post_form("/staff/cases?lang=en", &officer, &form)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"items-error\""), "{}", r.body);
        assert!(
            r.body.contains("Evidence items: choose items seized"),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"PP-2026-031\""));
        // As a browser without JavaScript posts the form: one field per
        // ticked box.
        form[7].1 = items.as_str();
        let r = call(&app, post_form("/staff/cases", &officer, &form)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let path = location(&r);
        let id: i64 = path
            .strip_prefix("/staff/cases/")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{path}"));

        // The suspect is a defendant already; the officer adds the
        // recruiter from the list of persons met, but may not charge.
        let r = call(&app, get(&format!("{path}?lang=en"), &officer)).await;
        assert!(
            r.body
                .contains("class=\"defendant-name\" translate=\"no\">Wei Zhang</a>"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains(&format!(
                "type=\"radio\" name=\"person_id\" value=\"{second}\""
            )),
            "{}",
            r.body
        );
        assert!(r.body.contains("Dara Keo · Recruiter · Cambodia"));
        assert!(
            !r.body.contains(&format!(
                "type=\"radio\" name=\"person_id\" value=\"{person}\""
            )),
            "a defendant is not offered again"
        );
        let r = call(
            &app,
            post_form(
                &format!("{path}/defendant"),
                &officer,
                &[("csrf", &ocsrf), ("person_id", second.as_str())],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Choosing nobody is named next to the list, in words about choosing.
        let r = call(
            &app,
            post_form(
                &format!("{path}/defendant?lang=en"),
                &officer,
                &[("csrf", &ocsrf)],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"defendant-person_id-error\""));
        assert!(r.body.contains("Person: choose a person met"), "{}", r.body);
        let charge = |csrf: &str, date: &str| {
            vec![
                ("csrf", csrf.to_string()),
                ("person_id", person.clone()),
                ("statute", "LSHTSE-SALE".to_string()),
                ("charged_on", date.to_string()),
            ]
        };
        let post = |p: &str, cookie: &str, f: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(p, cookie, &f)
        };
        let r = call(
            &app,
            post(
                &format!("{path}/charge"),
                &officer,
                charge(&ocsrf, "2026-03-02"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // The prosecutor charges; an unknown statute is refused by name.
        let mut bad = charge(&pcsrf, "2026-03-02");
        bad[2].1 = "CC-NOPE".into();
        let r = call(&app, post(&format!("{path}/charge?lang=en"), &pros, bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"charge-statute-error\""), "{}", r.body);
        let r = call(
            &app,
            post(
                &format!("{path}/charge"),
                &pros,
                charge(&pcsrf, "2026-03-02"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{path}?lang=en"), &pros)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(&format!("data-person=\"{person}\"")),
            "{}",
            r.body
        );
        assert!(r.body.contains("LSHTSE-SALE"), "{}", r.body);
        assert!(r.body.contains(&format!(
            "href=\"/staff/items/{item}\" data-item=\"{item}\" translate=\"no\">#{item} E1 · Smartphone"
        )));
        assert!(r.body.contains(&format!(
            "href=\"/staff/operations/{op}\" data-operation=\"{op}\" translate=\"no\">OP-2026-031 · Raid on the golden compound"
        )));
        assert!(
            !r.body.contains(&format!(">#{person}<")),
            "no defendant by number"
        );
        // The charge and outcome forms offer the defendants by name, the
        // verdict form the charges by defendant and statute.
        assert!(
            r.body.contains(&format!(
                "<option translate=\"no\" value=\"{person}\">Wei Zhang</option>"
            )),
            "{}",
            r.body
        );
        assert!(r.body.contains("Wei Zhang · LSHTSE-SALE · "), "{}", r.body);
        let charge_id = {
            let at = r.body.find("data-charge=\"").expect("a charge") + 13;
            r.body[at..].split('"').next().expect("id").to_string()
        };

        // A hearing.
        let r = call(
            &app,
            post(
                &format!("{path}/hearing"),
                &pros,
                vec![
                    ("csrf", pcsrf.clone()),
                    ("at_local", "2026-06-01T09:00".into()),
                    ("at_offset", "+07:00".into()),
                    ("court", "Preah Sihanouk Provincial Court".into()),
                    ("kind", "Trial hearing".into()),
                    ("hearing_outcome", "Heard".into()),
                    ("notes", String::new()),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // A verdict dated before its charge: refused next to the field, in
        // Khmer and in English; then the real one.
        let verdict = |date: &str| {
            vec![
                ("csrf", pcsrf.clone()),
                ("charge", charge_id.clone()),
                ("verdict", "convicted".to_string()),
                ("verdict_on", date.to_string()),
            ]
        };
        let r = call(
            &app,
            post(
                &format!("{path}/verdict?lang=km"),
                &pros,
                verdict("2026-03-01"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("id=\"verdict-verdict_on-error\""),
            "{}",
            r.body
        );
        assert!(r.body.contains("ថ្ងៃសាលក្រម៖"), "Khmer: {}", r.body);
        let r = call(
            &app,
            post(
                &format!("{path}/verdict?lang=en"),
                &pros,
                verdict("2026-03-01"),
            ),
        )
        .await;
        assert!(
            r.body
                .contains("Verdict date: give a date, not before the charge.")
        );
        assert!(r.body.contains("value=\"2026-03-01\""), "input kept");
        // An appeal before a verdict is refused next to the stage field.
        let r = call(
            &app,
            post(
                &format!("{path}/stage?lang=en"),
                &pros,
                vec![("csrf", pcsrf.clone()), ("stage", "appeal".into())],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"stage-stage-error\""), "{}", r.body);
        let r = call(
            &app,
            post(&format!("{path}/verdict"), &pros, verdict("2026-09-30")),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for stage in ["trial", "verdict"] {
            let r = call(
                &app,
                post(
                    &format!("{path}/stage"),
                    &pros,
                    vec![("csrf", pcsrf.clone()), ("stage", stage.into())],
                ),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{stage}: {}", r.body);
        }
        let r = call(
            &app,
            post(
                &format!("{path}/outcome"),
                &pros,
                vec![
                    ("csrf", pcsrf.clone()),
                    ("person_id", person.clone()),
                    ("outcome", "convicted".into()),
                    ("outcome_on", "2026-09-30".into()),
                    ("sentence", "7 years".into()),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{path}?done=outcome&lang=en"), &pros)).await;
        assert!(r.body.contains("id=\"case-stage\">Verdict<"), "{}", r.body);
        assert!(r.body.contains("Trial hearing"));
        assert!(r.body.contains("Jun 1, 2026"), "{}", r.body);
        assert!(!r.body.contains("+07:00<"), "{}", r.body);
        assert!(r.body.contains("7 years"));
        assert!(r.body.contains("The outcome was recorded."));

        // The named case on the list, by name, filtered by stage.
        let r = call(&app, get("/staff/cases?stage=verdict&lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("data-case=\"{id}\"")));
        assert!(r.body.contains("The golden compound case"), "{}", r.body);
        let r = call(&app, get("/staff/cases?stage=trial", &officer)).await;
        assert!(!r.body.contains(&format!("data-case=\"{id}\"")));
        let r = call(&app, get("/staff/cases?lang=km", &officer)).await;
        assert!(r.body.contains("សំណុំរឿង"));

        // Immigration: 403. Another province: 404.
        let (imm, icsrf) = signed_in(v, "imm", Role::Immigration, Jurisdiction::National).await;
        for p in [
            "/staff/cases".to_string(),
            path.clone(),
            "/staff/cases/new".into(),
        ] {
            let r = call(&app, get(&p, &imm)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "immigration {p}");
        }
        let r = call(
            &app,
            post(
                &format!("{path}/defendant"),
                &imm,
                vec![("csrf", icsrf), ("person_id", "9".into())],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let p12 = Jurisdiction::Provinces(vec!["12".into()]);
        let (other, ocsrf12) = signed_in(v, "kanha", Role::Prosecutor, p12).await;
        let r = call(&app, get(&path, &other)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(
            &app,
            post(
                &format!("{path}/charge"),
                &other,
                charge(&ocsrf12, "2026-03-02"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(&app, get("/staff/cases", &other)).await;
        assert!(!r.body.contains(&format!("data-case=\"{id}\"")));
    }
}
