//! The public check through the router on every available backend: the page
//! in five languages, answers in bands from k independent reports with the
//! provinces, the same page for a value seen k - 1 times as for one never
//! seen, "report this" prefilling the report form, the JSON check, the
//! range API and its partners' bulk form.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, get, post_form, tip_in};
use vigil_core::Vigil;
use vigil_domain::check::ValueDigest;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, staff_account};

const STORIES: [&str; 3] = [
    "My cousin answered a job advert and was driven across the border at night",
    "A recruiter came to our village school promising hotel work in Thailand",
    "They keep forty people in the blue building behind the casino",
];

async fn app(b: vigil_testkit::Backend) -> TestApp {
    TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await
}

/// Three independent reports of @recruit_boss in Phnom Penh, two of
/// 012 345 678.
async fn seed(v: &Vigil) {
    for s in STORIES {
        tip_in(v, "12", &format!("{s}. Telegram @recruit_boss")).await;
    }
    for s in &STORIES[..2] {
        tip_in(v, "12", &format!("{s}. Call 012 345 678")).await;
    }
    while vigil_core::pipeline::run_once(&v.pipeline, 100)
        .await
        .expect("pipeline")
        .events
        > 0
    {}
}

fn json(method: &str, path: &str, body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).expect("request")
}

async fn token(v: &Vigil, name: &str, role: Role) -> String {
    staff_account(v, name, name, role, Jurisdiction::National).await;
    vigil_core::staff::create_api_token(&v.staff, name, "partner system")
        .await
        .expect("token")
}

#[tokio::test]
async fn the_page_answers_in_bands_in_every_language() {
    for b in backends() {
        let app = app(b).await;
        seed(&app.vigil).await;
        for lang in ["km", "en", "zh", "vi", "th"] {
            let page = call(&app, get(&format!("/{lang}/check"), "")).await;
            assert_eq!(page.status, StatusCode::OK, "{lang}");
            assert!(page.body.contains(&format!("<html lang=\"{lang}\"")));
            assert!(page.body.contains("id=\"check-form\""));
            assert!(
                page.body.len() < 50_000,
                "{lang}: {} bytes",
                page.body.len()
            );
        }
        let en = call(
            &app,
            post_form(
                "/en/check",
                "",
                &[("text", "They said: contact @recruit_boss")],
            ),
        )
        .await;
        assert_eq!(en.status, StatusCode::OK);
        assert!(
            en.body.contains("Named in 3–9 independent reports."),
            "{}",
            en.body
        );
        assert!(
            en.body.contains("Reports place it in: Phnom Penh"),
            "{}",
            en.body
        );
        assert!(en.body.len() < 50_000);
        let km = call(
            &app,
            post_form("/km/check", "", &[("text", "@recruit_boss")]),
        )
        .await;
        assert!(
            km.body.contains("ត្រូវបានលើកឡើងក្នុងរបាយការណ៍ឯករាជ្យចំនួន 3–9"),
            "{}",
            km.body
        );
        assert!(km.body.contains("ភ្នំពេញ"), "the province in Khmer");

        // Warning signs, in the reader's language, with the words quoted.
        let offer = "ការងារនៅក្រុងព្រះសីហនុ ប្រាក់ខែ 3000 ដុល្លារ ក្នុងមួយខែ មិនត្រូវការបទពិសោធន៍";
        let km = call(&app, post_form("/km/check", "", &[("text", offer)])).await;
        assert!(km.body.contains("ប្រាក់ខែខ្ពស់ហួសពីការងារ"), "{}", km.body);
        assert!(km.body.contains("<q>ប្រាក់ខែ 3000 ដុល្លារ</q>"), "{}", km.body);
        let en = call(
            &app,
            post_form(
                "/en/check",
                "",
                &[("text", "Salary 3000 USD per month, no experience needed")],
            ),
        )
        .await;
        assert!(en.body.contains("Pay far above the job"), "{}", en.body);
        assert!(!en.body.contains("id=\"no-signs\""));

        // k - 1 reports: the same page as a value never reported.
        let twice = call(&app, post_form("/en/check", "", &[("text", "012 345 678")])).await;
        let never = call(&app, post_form("/en/check", "", &[("text", "011 999 888")])).await;
        assert_eq!(twice.status, StatusCode::OK);
        assert_eq!(
            twice
                .body
                .replace("012 345 678", "TEXT")
                .replace("+85512345678", "VALUE"),
            never
                .body
                .replace("011 999 888", "TEXT")
                .replace("+85511999888", "VALUE"),
        );
        assert!(never.body.contains("Not in our reports."));

        // Nothing to check, or a control character: said in the language.
        let empty = call(&app, post_form("/km/check", "", &[("text", "  ")])).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"form-error\""));
        let bad = call(&app, post_form("/en/check", "", &[("text", "a\u{7}b")])).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        // "Report this" opens the report form with the text, nothing stored.
        let before = app.vigil.store.count_tips().await.expect("count");
        let report = call(
            &app,
            post_form(
                "/en/check/report",
                "",
                &[("text", "Job offer from @recruit_boss")],
            ),
        )
        .await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(
            report
                .body
                .contains("Job offer from @recruit_boss</textarea>"),
            "{}",
            report.body
        );
        assert_eq!(app.vigil.store.count_tips().await.expect("count"), before);
    }
}

#[tokio::test]
async fn the_api_checks_texts_and_ranges() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        seed(v).await;
        let r = call(
            &app,
            json(
                "POST",
                "/api/v1/check",
                r#"{"text":"@recruit_boss 012345678"}"#,
                None,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let out: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(out["min_reports"], 3);
        let values = out["values"].as_array().expect("values");
        let boss = values
            .iter()
            .find(|x| x["kind"] == "telegram")
            .expect("boss");
        assert_eq!(boss["reports"], serde_json::json!({"from": 3, "to": 9}));
        assert_eq!(boss["provinces"], serde_json::json!(["12"]));
        let phone = values.iter().find(|x| x["kind"] == "phone").expect("phone");
        assert!(phone.get("reports").is_none(), "{phone}");

        let d = ValueDigest::of("recruit_boss");
        let r = call(
            &app,
            get(
                &format!("/api/v1/check/range/{}", d.range().hex().to_uppercase()),
                "",
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let out: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(out["prefix"], d.range().hex());
        assert!(
            out["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .any(|e| e["suffix"] == d.suffix() && e["kind"] == "telegram"),
            "{out}"
        );
        let twice = ValueDigest::of("+85512345678");
        let r = call(
            &app,
            get(&format!("/api/v1/check/range/{}", twice.range().hex()), ""),
        )
        .await;
        assert!(!r.body.contains(&twice.suffix()), "below k: {}", r.body);
        let r = call(&app, get("/api/v1/check/range/xyz12", "")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("\"prefix\""), "{}", r.body);

        let body = format!(
            r#"{{"prefixes":["{}","{}"]}}"#,
            d.range().hex(),
            twice.range().hex()
        );
        let r = call(&app, json("POST", "/api/v1/check/ranges", &body, None)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let officer = token(v, "officer.api", Role::Officer).await;
        let r = call(
            &app,
            json("POST", "/api/v1/check/ranges", &body, Some(&officer)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let partner = token(v, "telco", Role::Partner).await;
        let r = call(
            &app,
            json("POST", "/api/v1/check/ranges", &body, Some(&partner)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let out: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(out["ranges"].as_array().expect("ranges").len(), 2);
        assert!(r.body.contains(&d.suffix()));
    }
}

#[tokio::test]
async fn analysts_set_the_standing_the_check_shows() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        seed(v).await;
        let (cookie, csrf) =
            staffkit::signed_in(v, "ana", Role::Analyst, Jurisdiction::National).await;
        let page = call(
            &app,
            get("/staff/observables/phone/%2B85512345678", &cookie),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"standing-form\""));
        let set = call(
            &app,
            post_form(
                "/staff/observables/phone/%2B85512345678/standing",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("standing", "confirmed"),
                    ("reason", "recruitment"),
                ],
            ),
        )
        .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        let page = call(
            &app,
            get("/staff/observables/phone/%2B85512345678", &cookie),
        )
        .await;
        assert!(page.body.contains("id=\"standing-now\""), "{}", page.body);
        // Seen only twice, but confirmed: the check says so, with no band.
        let en = call(&app, post_form("/en/check", "", &[("text", "012 345 678")])).await;
        assert!(en.body.contains("Confirmed scam (since"), "{}", en.body);
        assert!(en.body.contains("recruits people for scam compounds"));
        assert!(!en.body.contains("independent reports."));
        let bad = call(
            &app,
            post_form(
                "/staff/observables/phone/%2B85512345678/standing",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("standing", "blocked"),
                    ("reason", "money"),
                ],
            ),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        let (officer, ocsrf) =
            staffkit::signed_in(v, "off", Role::Officer, Jurisdiction::National).await;
        let page = call(
            &app,
            get("/staff/observables/phone/%2B85512345678", &officer),
        )
        .await;
        assert!(!page.body.contains("id=\"standing-form\""));
        let refused = call(
            &app,
            post_form(
                "/staff/observables/phone/%2B85512345678/standing",
                &officer,
                &[("csrf", &ocsrf), ("standing", "none")],
            ),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // Withdrawn: the check is back to what the reports say.
        call(
            &app,
            post_form(
                "/staff/observables/phone/%2B85512345678/standing",
                &cookie,
                &[("csrf", &csrf), ("standing", "none")],
            ),
        )
        .await;
        let en = call(&app, post_form("/en/check", "", &[("text", "012 345 678")])).await;
        assert!(en.body.contains("Not in our reports."));
    }
}

#[tokio::test]
async fn partners_read_the_signed_feed_of_confirmed_scams() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        seed(v).await;
        staff_account(v, "ana", "ana", Role::Analyst, Jurisdiction::National).await;
        let analyst = staffkit::principal(v, "ana").await;
        for (kind, value) in [("telegram", "recruit_boss"), ("phone", "+85512345678")] {
            vigil_core::check::set_standing(
                &v.check,
                &analyst,
                kind,
                value,
                Some((
                    vigil_domain::Standing::Confirmed,
                    vigil_domain::StandingReason::Recruitment,
                )),
            )
            .await
            .expect("confirm");
        }
        let partner = token(v, "bank", Role::Partner).await;
        let officer = token(v, "officer.feed", Role::Officer).await;
        let feed = |t: Option<&str>, file: &str| {
            let mut r = Request::get(format!("/api/v1/feed/{file}"));
            if let Some(t) = t {
                r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
            }
            r.body(Body::empty()).expect("request")
        };
        assert_eq!(
            call(&app, feed(None, "latest.json")).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            call(&app, feed(Some(&officer), "latest.json")).await.status,
            StatusCode::FORBIDDEN
        );
        let key = call(&app, feed(None, "key")).await;
        assert_eq!(key.status, StatusCode::OK);
        for file in ["latest.json", "latest.csv"] {
            let r = call(&app, feed(Some(&partner), file)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let sig = r.headers["vigil-signature"]
                .to_str()
                .expect("sig")
                .to_string();
            assert!(
                vigil_core::feed::verify(&r.body, &sig, key.body.trim()),
                "{file}"
            );
            assert!(!vigil_core::feed::verify(
                &r.body.replace("recruit", "rekruit"),
                &sig,
                key.body.trim()
            ));
            assert!(r.body.contains("recruit_boss") && r.body.contains("+85512345678"));
            assert!(r.body.contains(&ValueDigest::of("recruit_boss").hex()));
            assert!(r.body.contains("recruitment"));
            for story in STORIES {
                assert!(!r.body.contains(&story[..30]), "no tip text in {file}");
            }
        }
        let r = call(&app, feed(Some(&partner), "latest.json")).await;
        let doc: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(doc["format"], "vigil-feed-1");
        assert_eq!(doc["count"], 2);
    }
}
