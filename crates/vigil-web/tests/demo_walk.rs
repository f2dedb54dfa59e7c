//! The newcomer's walk through the demo, on every available backend: a small
//! `vigil demo` is built; the demo officer sets a password with the printed
//! setup link and signs in, opens a raided facility, follows it to its raid,
//! the persons met there (a victim's referral shown), a seized phone's
//! custody report, the case against the suspects; the demo immigration
//! officer sees the deportations; the dashboard and the public page show the
//! generated totals, the recruiters arrested among them.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use std::sync::Mutex;

use axum::http::StatusCode;
use staffkit::{call, figure, get, principal};
use vigil_demo::{Plan, Progress, Truth};
use vigil_testkit::{TestApp, backends};

struct Quiet(Mutex<u64>);

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, n: u64) {
        *self.0.lock().unwrap() += n;
    }
}

/// Every id after `prefix` in the page, in order.
fn ids(body: &str, prefix: &str) -> Vec<i64> {
    body.match_indices(prefix)
        .filter_map(|(i, _)| {
            let rest = &body[i + prefix.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse().ok()
        })
        .collect()
}

/// Sets the password through the setup page and signs in; the session cookie.
async fn sign_in_with_link(app: &TestApp, token: &str, username: &str) -> String {
    let r = call(app, get(&format!("/staff/setup/{token}?lang=en"), "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let password = "a long demo password";
    vigil_core::staff::complete_setup(&app.vigil.staff, token, password, None)
        .await
        .expect("setup");
    match vigil_core::staff::sign_in(&app.vigil.staff, username, password, None, None)
        .await
        .expect("sign in")
    {
        vigil_core::staff::SignIn::Done(c) => format!("vigil_staff={c}"),
        other => panic!("{other:?}"),
    }
}

async fn walk(app: &TestApp, truth: &Truth, accounts: &[vigil_demo::Account]) {
    let token = |name: &str| {
        accounts
            .iter()
            .find(|a| a.username == name)
            .map(|a| a.setup_token.clone())
            .unwrap()
    };
    let officer = sign_in_with_link(app, &token("demo.officer"), "demo.officer").await;
    let me = principal(&app.vigil, "demo.officer").await;

    // A raided facility, as the officer finds it in the operations list
    // (the recruiters' arrests at home raid none).
    let ops = vigil_core::operations::list(&app.vigil.operations, &me)
        .await
        .unwrap();
    let mut walked = false;
    for op in ops.iter().filter(|o| o.operation.status == "done") {
        let Some(facility) = op.operation.facilities.first().map(|f| f.0) else {
            continue;
        };
        let r = call(
            app,
            get(&format!("/staff/facilities/{facility}?lang=en"), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"facility-operations\""), "{}", r.body);
        assert!(r.body.contains(&format!("data-operation=\"{}\"", op.id)));

        let r = call(
            app,
            get(&format!("/staff/operations/{}?lang=en", op.id), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let persons = ids(&r.body, "data-person=\"");
        let items = ids(&r.body, "data-item=\"");
        if persons.is_empty() || items.is_empty() {
            continue;
        }
        // A person met: their page, with the rule's outcome and the raid
        // named by its reference.
        let r = call(
            app,
            get(&format!("/staff/persons/{}?lang=en", persons[0]), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(&format!(
                "data-operation=\"{}\">{}</a>",
                op.id, op.operation.reference
            )),
            "{}",
            r.body
        );
        // A seized device: its custody report, the chain verified.
        let r = call(
            app,
            get(&format!("/staff/items/{}?lang=en", items[0]), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Chain verified"), "{}", r.body);
        walked = true;
        break;
    }
    assert!(walked, "a raid with persons and devices");

    // The case against suspects of a raid, with its defendants.
    let cases = vigil_core::cases::list(&app.vigil.cases, &me, None)
        .await
        .unwrap();
    assert_eq!(cases.len() as u64, truth.cases);
    let case = &cases[0];
    let r = call(
        app,
        get(&format!("/staff/cases/{}?lang=en", case.id), &officer),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let defendants = ids(&r.body, "<tr data-person=\"");
    assert!(!defendants.is_empty(), "{}", r.body);
    let r = call(
        app,
        get(
            &format!("/staff/persons/{}?lang=en", defendants[0]),
            &officer,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The recruiters, in Khmer: from the prevention list to a commune, to a
    // recruiter arrested there, to a victim of theirs and back, to the
    // other victims from the same commune, to the compound they fed.
    let r = call(app, get("/staff/prevention?lang=km", &officer)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let communes: Vec<i64> = ids(&r.body, "href=\"/staff/areas/");
    assert!(!communes.is_empty(), "{}", r.body);
    let mut followed = false;
    let mut seen = Vec::new();
    'communes: for commune in communes.iter().take(60) {
        let commune = format!("{commune:06}");
        let r = call(
            app,
            get(&format!("/staff/areas/{commune}?lang=km"), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for k in ids(&r.body, "<tr data-recruiter=\"") {
            let page = call(
                app,
                get(&format!("/staff/recruiters/{k}?lang=km"), &officer),
            )
            .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let victims = ids(&page.body, "<tr data-person=\"");
            let facilities = ids(&page.body, "href=\"/staff/facilities/");
            seen.push((commune.clone(), k, victims.len(), facilities.len()));
            if page.body.contains("data-status=\"sought\"")
                || victims.is_empty()
                || facilities.is_empty()
                || !page
                    .body
                    .contains(&format!("href=\"/staff/areas/{commune}\""))
            {
                continue;
            }
            let victim = call(
                app,
                get(&format!("/staff/persons/{}?lang=km", victims[0]), &officer),
            )
            .await;
            assert_eq!(victim.status, StatusCode::OK, "{}", victim.body);
            assert!(
                victim.body.contains(&format!("data-recruiter=\"{k}\"")),
                "the victim's record leads to the recruiter: {}",
                victim.body
            );
            let compound = call(
                app,
                get(
                    &format!("/staff/facilities/{}?lang=km", facilities[0]),
                    &officer,
                ),
            )
            .await;
            assert_eq!(compound.status, StatusCode::OK, "{}", compound.body);
            followed = true;
            break 'communes;
        }
    }
    assert!(
        followed,
        "an arrested recruiter with victims and a compound"
    );

    // The deportations, as immigration sees them.
    let immigration = sign_in_with_link(app, &token("demo.immigration"), "demo.immigration").await;
    let r = call(app, get("/staff/immigration?lang=en", &immigration)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("deported"), "{}", r.body);
    assert!(r.body.contains("data-order=\""), "{}", r.body);

    // The figures: the generated totals, for staff and for the public.
    let r = call(app, get("/staff/dashboard?lang=en", &officer)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for (key, want) in [
        ("tips", truth.tips),
        ("locations_raided", truth.locations_raided),
        ("networks_dismantled", truth.networks_dismantled),
        ("persons_met", truth.persons_met),
        ("victims_identified", truth.victims_identified),
        ("defendants_prosecuted", truth.defendants_prosecuted),
        ("deportations", truth.deportations),
        ("voluntary_departures", truth.voluntary_departures),
        (
            "devices_seized.smartphone",
            truth.devices_seized["smartphone"],
        ),
        ("devices_seized.computer", truth.devices_seized["computer"]),
        ("recruiters_arrested", truth.recruiters_arrested),
        (
            "recruiters_arrested.foreign",
            truth.recruiters_arrested_foreign,
        ),
    ] {
        assert_eq!(figure(&r.body, key), want, "dashboard {key}");
    }
    // Every arrest was made in a commune, which the table names.
    assert!(
        r.body.matches("<tr data-commune=").count() as u64 >= 1,
        "{}",
        r.body
    );
    let r = call(app, get("/staff/dashboard?lang=km", &officer)).await;
    assert_eq!(
        figure(&r.body, "recruiters_arrested"),
        truth.recruiters_arrested,
        "the arrests counted, in Khmer too"
    );
    let r = call(app, get("/en/figures", "")).await;
    assert_eq!(figure(&r.body, "locations_raided"), truth.locations_raided);
    assert_eq!(
        figure(&r.body, "recruiters_arrested"),
        truth.recruiters_arrested
    );
    assert_eq!(
        figure(&r.body, "voluntary_departures"),
        truth.voluntary_departures
    );
}

#[tokio::test]
async fn a_newcomer_follows_a_facility_through_the_demo() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let (truth, accounts) =
            vigil_demo::build(&app.vigil, &Plan::scaled(0.004), &Quiet(Mutex::new(0)))
                .await
                .expect("demo");
        walk(&app, &truth, &accounts).await;
    }
}
