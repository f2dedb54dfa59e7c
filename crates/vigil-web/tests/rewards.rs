//! Rewards through the router on every available backend: a supervisor marks
//! a tip as having led to a result (once; an analyst may not), the reporter's
//! follow-up page opened with the receipt shows the code in Khmer and in
//! English (staff never see it), a supervisor types it at the counter to mark
//! it claimed (once; an unknown code is a field error), and the figures count
//! one award and one claim.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, figure, get, post_form, signed_in, tip_in};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

fn follow_up(lang: &str, receipt: &str) -> Request<Body> {
    Request::post(format!("/{lang}/follow-up"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("receipt={}", receipt.replace(' ', "+"))))
        .expect("request")
}

/// The thread as the API answers it to whoever holds the receipt.
fn api_status(receipt: &str) -> Request<Body> {
    Request::post("/api/v1/receipts/status")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "receipt": receipt }).to_string(),
        ))
        .expect("request")
}

/// The code shown in `id="reward-code"`.
fn shown_code(body: &str) -> String {
    let start = body.find("id=\"reward-code\"").expect("a reward code");
    let rest = &body[start..];
    let open = rest.find('>').expect(">") + 1;
    let close = rest[open..].find('<').expect("<");
    rest[open..open + close].trim().to_string()
}

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_reward_is_awarded_shown_to_the_reporter_claimed_once_and_counted() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
            s.receipts.argon2_memory_kib = 64;
        })
        .await;
        let v = &app.vigil;
        let (tip, receipt) = tip_in(v, "18", "people held in the blue building").await;
        let (sup, sup_csrf) = signed_in(
            v,
            "dara",
            Role::Supervisor,
            Jurisdiction::Provinces(vec!["18".into()]),
        )
        .await;
        let (analyst, analyst_csrf) =
            signed_in(v, "sok", Role::Analyst, Jurisdiction::National).await;
        let tip_page = format!("/staff/tips/{tip}?lang=en");
        let award = format!("/staff/tips/{tip}/reward");

        // Before: the supervisor sees the form, the analyst neither the form
        // nor the right to post it; the reporter's thread shows no reward.
        let page = call(&app, get(&tip_page, &sup)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"reward-form\""));
        assert!(
            page.body
                .contains("<option value=\"rescue\">Rescue of victims</option>")
        );
        let page = call(&app, get(&tip_page, &analyst)).await;
        assert!(!page.body.contains("id=\"reward-form\""));
        let refused = call(
            &app,
            post_form(
                &award,
                &analyst,
                &[("csrf", &analyst_csrf), ("reason", "raid")],
            ),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let thread = call(&app, follow_up("en", &receipt)).await;
        assert_eq!(thread.status, StatusCode::OK, "{}", thread.body);
        assert!(!thread.body.contains("id=\"reward\""));
        let api = call(&app, api_status(&receipt)).await;
        assert!(api.body.contains("\"reward\":null"), "{}", api.body);

        // A reason that is not one of the list is a field error.
        let bad = call(
            &app,
            post_form(&award, &sup, &[("csrf", &sup_csrf), ("reason", "bribe")]),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("id=\"reason-error\""), "{}", bad.body);

        // The supervisor awards; a second award is a conflict, shown on the form.
        let done = call(
            &app,
            post_form(&award, &sup, &[("csrf", &sup_csrf), ("reason", "rescue")]),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(
            location(&done),
            format!("/staff/tips/{tip}?done=reward#reward")
        );
        let again = call(
            &app,
            post_form(&award, &sup, &[("csrf", &sup_csrf), ("reason", "raid")]),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.body.contains("id=\"reason-error\""));
        // Posted without `?lang=`, the page answers in Khmer.
        assert!(
            again.body.contains("ព័ត៌មាននេះបាននាំឱ្យមានរង្វាន់រួចហើយ"),
            "{}",
            again.body
        );

        // The reporter reads the code, in English and in Khmer.
        let en = call(&app, follow_up("en", &receipt)).await;
        assert_eq!(en.status, StatusCode::OK, "{}", en.body);
        let code = shown_code(&en.body);
        assert_eq!(code.len(), 11, "{code}");
        assert_eq!(code.matches('-').count(), 2, "{code}");
        assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
        assert!(en.body.contains("Your report led to a result"));
        assert!(
            en.body
                .contains("show this code in person at a police station"),
            "{}",
            en.body
        );
        let km = call(&app, follow_up("km", &receipt)).await;
        assert_eq!(km.status, StatusCode::OK);
        assert_eq!(shown_code(&km.body), code);
        assert!(km.body.contains("លេខកូដរង្វាន់របស់អ្នក"), "{}", km.body);
        assert!(km.body.contains("ប៉ុស្តិ៍ ឬស្នងការដ្ឋាននគរបាល"));
        // The API gives the same code to whoever holds the receipt.
        let api = call(&app, api_status(&receipt)).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let api: serde_json::Value = serde_json::from_str(&api.body).expect("json");
        assert_eq!(api["reward"]["code"], code.as_str());
        assert_eq!(api["reward"]["claimed_at"], serde_json::Value::Null);

        // Staff see that it was awarded, never the code.
        let page = call(&app, get(&tip_page, &sup)).await;
        assert!(page.body.contains("id=\"reward-awarded\""));
        assert!(page.body.contains("Rescue of victims"));
        assert!(page.body.contains("Not claimed yet."));
        assert!(!page.body.contains("id=\"reward-form\""));
        assert!(!page.body.contains(&code));

        // The claim page: supervisors only; an unknown code is a field error.
        let claim_page = call(&app, get("/staff/rewards?lang=en", &sup)).await;
        assert_eq!(claim_page.status, StatusCode::OK);
        assert!(claim_page.body.contains("id=\"claim-form\""));
        assert!(claim_page.body.contains("id=\"nav-rewards\""));
        let no = call(&app, get("/staff/rewards", &analyst)).await;
        assert_eq!(no.status, StatusCode::FORBIDDEN);
        let unknown = call(
            &app,
            post_form(
                "/staff/rewards/claim",
                &sup,
                &[("csrf", &sup_csrf), ("code", "K7P-4QX-9MZ")],
            ),
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("id=\"code-error\""));
        assert!(
            unknown.body.contains("គ្មានរង្វាន់ណាមានលេខកូដនេះទេ"),
            "{}",
            unknown.body
        );

        // Typed at the counter in lower case: claimed, once.
        let typed = code.to_lowercase();
        let claimed = call(
            &app,
            post_form(
                "/staff/rewards/claim",
                &sup,
                &[("csrf", &sup_csrf), ("code", &typed)],
            ),
        )
        .await;
        assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
        let shown = call(&app, get(&format!("{}&lang=en", location(&claimed)), &sup)).await;
        assert!(shown.body.contains("id=\"notice\""), "{}", shown.body);
        assert!(shown.body.contains(&format!("tip {tip}")), "{}", shown.body);
        let twice = call(
            &app,
            post_form(
                "/staff/rewards/claim",
                &sup,
                &[("csrf", &sup_csrf), ("code", &code)],
            ),
        )
        .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        let claimed_twice = call(
            &app,
            post_form(
                "/staff/rewards/claim?lang=en",
                &sup,
                &[("csrf", &sup_csrf), ("code", &code)],
            ),
        )
        .await;
        assert_eq!(claimed_twice.status, StatusCode::CONFLICT);
        assert!(
            claimed_twice
                .body
                .contains("this reward was already claimed on"),
            "{}",
            claimed_twice.body
        );
        assert!(twice.body.contains("រង្វាន់នេះត្រូវបានទទួលរួចហើយ"));
        let en = call(&app, follow_up("en", &receipt)).await;
        assert!(en.body.contains("id=\"reward-claimed\""));
        let page = call(&app, get(&tip_page, &sup)).await;
        assert!(page.body.contains("Claimed on"));

        // The figures: one awarded, one claimed.
        let dash = call(&app, get("/staff/dashboard?lang=en", &sup)).await;
        assert_eq!(dash.status, StatusCode::OK);
        assert_eq!(figure(&dash.body, "rewards_awarded"), 1);
        assert_eq!(figure(&dash.body, "rewards_claimed"), 1);
        let csv = call(&app, get("/staff/dashboard.csv", &sup)).await;
        assert!(
            csv.body.contains("total,,rewards_awarded,1\n"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("total,,rewards_claimed,1\n"));
        let public = call(&app, get("/en/figures", "")).await;
        assert_eq!(figure(&public.body, "rewards_awarded"), 1);
        assert!(public.body.contains("Rewards given to people who reported"));
    }
}
