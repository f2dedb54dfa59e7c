//! The figures through the router on every available backend: a raid in
//! Phnom Penh that dismantled a network and seized two phones and a computer,
//! a planned raid in Preah Sihanouk and tips in both; the raid, in a commune
//! of Phnom Penh, arrested a Cambodian and a foreign recruiter; the national
//! officer's dashboard counts them all, the arrests by commune under the
//! commune's name (its charts and CSV agree), a provincial
//! officer's counts only their province and cannot ask for another, a bad
//! date is named, and the public page shows the national totals and nothing
//! by province.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, figure, get, principal, signed_in, tip_in};
use vigil_core::operations::OperationInput;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

fn raid(reference: &str, province: &str) -> OperationInput {
    OperationInput {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "Anti-Human Trafficking Police".into(),
        province_code: province.into(),
        place: "Compound by the river".into(),
        status: "planned".into(),
        planned_for: "2026-03-09T08:00:00+07:00".into(),
        ..OperationInput::default()
    }
}

const ITEMS: &str = "ref,kind,description,imei\n\
PH-1,smartphone,black phone,490154203237518\n\
PH-2,smartphone,white phone,356938035643809\n\
PC-1,computer,laptop,\n";

#[tokio::test]
async fn the_dashboard_counts_within_the_jurisdiction() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        tip_in(v, "12", "scam compound by the river, call 012 345 678").await;
        tip_in(v, "18", "people held in the blue building").await;
        tip_in(v, "18", "passports taken at the casino").await;

        let (cookie, _) = signed_in(v, "chief", Role::Officer, Jurisdiction::National).await;
        let p = principal(v, "chief").await;
        let net = vigil_core::operations::create_network(
            &v.operations,
            &p,
            "Golden line",
            &["Boss".into()],
        )
        .await
        .expect("network");
        let op = vigil_core::operations::plan(&v.operations, &p, &raid("OP-1", "12"))
            .await
            .expect("plan");
        let mut done = raid("OP-1", "12");
        done.status = "done".into();
        done.happened_at = "2026-03-10T09:00:00+07:00".into();
        done.outcome = "42 people found".into();
        done.network_id = Some(net);
        let commune = vigil_domain::gazetteer::gazetteer()
            .units()
            .iter()
            .find(|u| u.code.len() == 6 && u.code.starts_with("12"))
            .expect("a commune of Phnom Penh")
            .clone();
        done.district_code = commune.code[..4].into();
        done.commune_code = commune.code.clone();
        vigil_core::operations::update(&v.operations, &p, op, &done)
            .await
            .expect("done");
        for (given, nationality, contacts) in [
            ("Phal", "KH", "012 345 678"),
            ("Wei", "CN", "t.me/agent_wei"),
        ] {
            vigil_core::persons::record(
                &v.persons,
                &p,
                op,
                &vigil_core::persons::PersonInput {
                    role: "recruiter".into(),
                    nationality: nationality.into(),
                    sex: "m".into(),
                    given_name: given.into(),
                    family_name: "Recruiter".into(),
                    contacts: contacts.into(),
                    arrested: true,
                    ..Default::default()
                },
            )
            .await
            .expect("recruiter arrested");
        }
        vigil_core::operations::dismantle(
            &v.operations,
            &p,
            net,
            op,
            "ledger seized, leaders arrested",
        )
        .await
        .expect("dismantle");
        let at = time::OffsetDateTime::parse(
            "2026-03-10T09:30:00+07:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        vigil_core::evidence::import_items_csv(&v.operations, &p, op, ITEMS, at)
            .await
            .expect("items");
        vigil_core::operations::plan(&v.operations, &p, &raid("OP-2", "18"))
            .await
            .expect("planned raid");

        let r = call(&app, get("/staff/dashboard?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"nav-dashboard\""));
        assert_eq!(figure(&r.body, "tips"), 3);
        assert_eq!(
            figure(&r.body, "locations_raided"),
            1,
            "planned raids do not count"
        );
        assert_eq!(figure(&r.body, "networks_dismantled"), 1);
        assert_eq!(figure(&r.body, "devices_seized.smartphone"), 2);
        assert_eq!(figure(&r.body, "devices_seized.computer"), 1);
        assert_eq!(figure(&r.body, "recruiters_arrested"), 2);
        assert_eq!(figure(&r.body, "recruiters_arrested.domestic"), 1);
        assert_eq!(figure(&r.body, "recruiters_arrested.foreign"), 1);
        assert!(
            r.body.contains(&format!(
                "<tr data-commune=\"{}\"><td>{}, ",
                commune.code, commune.name_en
            )),
            "{}",
            r.body
        );
        assert!(r.body.contains("id=\"chart-recruiters-by-province\""));
        assert!(r.body.contains("data-province=\"12\"") && r.body.contains("data-province=\"18\""));
        assert!(r.body.contains("data-month=\"2026-03\""));
        // The charts are text and boxes drawn on the server, with the same
        // numbers, legible at a phone's width.
        assert!(r.body.contains("<ol class=\"bars\">"), "{}", r.body);
        assert!(r.body.contains("id=\"as-of\""), "{}", r.body);
        assert!(r.body.contains("id=\"chart-devices\""));
        assert!(
            r.body
                .contains("data-label=\"Smartphone\" data-value=\"2\""),
            "{}",
            r.body
        );

        let r = call(&app, get("/staff/dashboard.csv", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.starts_with("dimension,key,figure,count\n"));
        assert!(
            r.body.contains("total,,devices_seized.smartphone,2\n"),
            "{}",
            r.body
        );
        assert!(r.body.contains("province,18,tips,2\n"), "{}", r.body);
        assert!(
            r.body.contains("total,,recruiters_arrested,2\n"),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains("province,12,recruiters_arrested.foreign,1\n"),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("commune,{},recruiters_arrested,2\n", commune.code)),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("month,2026-03,locations_raided,1\n"),
            "{}",
            r.body
        );

        // A period that ends before the raid counts none of it.
        let r = call(
            &app,
            get("/staff/dashboard?from=2026-01-01&to=2026-03-09", &cookie),
        )
        .await;
        assert_eq!(figure(&r.body, "locations_raided"), 0);
        assert_eq!(figure(&r.body, "devices_seized.smartphone"), 0);
        // A bad date is named.
        let r = call(
            &app,
            get("/staff/dashboard?lang=en&from=2026-13-01", &cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("From: is not a date"), "{}", r.body);

        // A Preah Sihanouk officer counts only Preah Sihanouk.
        let (local, _) = signed_in(
            v,
            "dara",
            Role::Officer,
            Jurisdiction::Provinces(vec!["18".into()]),
        )
        .await;
        let r = call(&app, get("/staff/dashboard", &local)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(figure(&r.body, "tips"), 2);
        assert_eq!(figure(&r.body, "locations_raided"), 0);
        assert_eq!(figure(&r.body, "recruiters_arrested"), 0);
        assert!(r.body.contains("id=\"by-commune-none\""), "{}", r.body);
        assert!(!r.body.contains("data-province=\"12\""), "{}", r.body);
        let r = call(&app, get("/staff/dashboard?province=12", &local)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(&app, get("/staff/dashboard.csv?province=12", &local)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The public page: national totals, no province, no sign-in.
        let r = call(&app, get("/en/figures", "")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(figure(&r.body, "tips"), 3);
        assert_eq!(figure(&r.body, "locations_raided"), 1);
        assert_eq!(figure(&r.body, "devices_seized.smartphone"), 2);
        assert_eq!(figure(&r.body, "recruiters_arrested"), 2);
        assert!(!r.body.contains("data-province"), "nothing by province");
        assert!(!r.body.contains("data-commune"), "nothing by commune");
        // As of when, since when, and one quantity per chart, by month.
        assert!(r.body.contains("As of "), "{}", r.body);
        assert!(r.body.contains("Counted since "), "{}", r.body);
        assert!(r.body.contains("id=\"chart-tips\""), "{}", r.body);
        assert!(r.body.contains("id=\"chart-raids\""), "{}", r.body);
        assert!(!r.body.contains("id=\"chart-totals\""), "{}", r.body);
        let r = call(&app, get("/km/figures", "")).await;
        assert!(r.body.contains("គិតត្រឹម "), "{}", r.body);
        assert!(r.body.contains("ទីតាំងដែលបានបង្ក្រាប"), "{}", r.body);
        assert!(r.body.contains("អ្នកជ្រើសរើសដែលត្រូវបានចាប់ខ្លួន"), "{}", r.body);
    }
}
