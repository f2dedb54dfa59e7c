//! The officer's screen, the screenings pages and the fairness report through
//! the router on every available backend: a traveller screened at the
//! counter, a wrong field shown again with the input kept, the decision and
//! the referral's result recorded; posts and screenings outside the
//! jurisdiction refused or not found; the fairness counts, before and after
//! the purge folds the screenings into tallies.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, set_cookie, signed_in};
use time::{Duration, OffsetDateTime};
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

fn traveller<'a>(
    csrf: &'a str,
    post: &'a str,
    reference: &'a str,
    age: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("post", post),
        ("ref", reference),
        ("sex", "female"),
        ("age", age),
        ("nationality", "KH"),
        ("destination", "MM"),
        ("purpose", "tourism"),
        ("passport", "yes"),
        ("visa", "none"),
        ("guarantor", "none"),
        ("cash_usd", "30"),
        ("ticket_paid_by", "recruiter"),
        (
            "offer_text",
            "Easy job, no experience, high salary, travel paid",
        ),
        ("offer_contact", "@fastjobs"),
        ("offer_employer", ""),
        ("officer_notes", "traveller nervous"),
    ]
}

/// The screening id in the decision form's action.
fn screening_id(body: &str) -> i64 {
    let at = body.find("/staff/screen/").expect("a decision form") + "/staff/screen/".len();
    body[at..]
        .split('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// The number in the fairness table's cell `class` of the row `sex`/`band`.
fn cell(body: &str, sex: &str, band: &str, class: &str) -> i64 {
    let row_start = body
        .find(&format!("data-sex=\"{sex}\" data-band=\"{band}\""))
        .unwrap_or_else(|| panic!("no row {sex} {band}"));
    let row = &body[row_start..];
    let row = &row[..row.find("</tr>").expect("row end")];
    let at = row.find(&format!("class=\"{class}\">")).expect("cell") + class.len() + 9;
    row[at..]
        .split('<')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a number")
}

#[tokio::test]
async fn officers_screen_at_the_counter_and_the_fairness_report_counts() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let bm = Jurisdiction::Provinces(vec!["01".into()]);
        let (cookie, csrf) = signed_in(v, "sokha", Role::Immigration, bm.clone()).await;

        // The form: the officer's posts only, focus on the first field.
        let r = call(&app, get("/staff/screen?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("value=\"POIPET\""), "{}", r.body);
        assert!(!r.body.contains("value=\"BAVET\""));
        assert!(r.body.contains("id=\"ref\"") && r.body.contains("autofocus"));
        assert!(
            r.body.contains("href=\"/staff/screen\""),
            "the nav links the screen"
        );
        let km = call(&app, get("/staff/screen?lang=km", &cookie)).await;
        assert!(km.body.contains("ពិនិត្យអ្នកដំណើរចេញ"), "Khmer labels");

        // A wrong field: shown again next to the field, the input kept.
        let bad = traveller(&csrf, "POIPET", "AIR-77", "121");
        let r = call(&app, post_form("/staff/screen?lang=en", &cookie, &bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"error-age\""), "{}", r.body);
        assert!(
            r.body.contains("from 0 to 120"),
            "said in words: {}",
            r.body
        );
        assert!(r.body.contains("value=\"AIR-77\""), "kept");
        let r = call(&app, post_form("/staff/screen?lang=km", &cookie, &bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("អាយុ៖ ចំនួនឆ្នាំគត់"),
            "said in the page's language: {}",
            r.body
        );
        assert!(
            r.body
                .contains("value=\"Easy job, no experience, high salary, travel paid\"")
        );
        assert!(
            v.store
                .recent_screenings(None, 10)
                .await
                .expect("list")
                .is_empty()
        );

        // The passport is answered, never assumed: no answer is ticked on a
        // fresh form, and none sent is said next to it, the input kept.
        assert!(
            km.body.contains("id=\"passport-yes\"") && km.body.contains("id=\"passport-no\""),
            "a yes/no pair"
        );
        assert!(
            !km.body
                .contains("name=\"passport\" value=\"yes\" id=\"passport-yes\" required checked")
        );
        assert!(
            km.body.contains("<kbd>F</kbd><kbd>M</kbd>"),
            "shortcuts shown"
        );
        let unanswered: Vec<_> = traveller(&csrf, "POIPET", "AIR-77", "22")
            .into_iter()
            .filter(|(k, _)| *k != "passport")
            .collect();
        let r = call(
            &app,
            post_form("/staff/screen?lang=km", &cookie, &unanswered),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"error-passport\""), "{}", r.body);
        assert!(r.body.contains("លិខិតឆ្លងដែន៖ សូមឆ្លើយ"), "{}", r.body);
        assert!(r.body.contains("value=\"AIR-77\""), "kept");

        // Screened: the advice, every reason with its evidence, the questions.
        let good = traveller(&csrf, "POIPET", "AIR-77", "22");
        let r = call(&app, post_form("/staff/screen?lang=en", &cookie, &good)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("data-outcome=\"refer\""), "{}", r.body);
        assert!(r.body.contains("you decide"), "advice, not a decision");
        assert!(r.body.contains("carries 30 USD, minimum 50"), "{}", r.body);
        assert!(
            r.body.contains("Who paid for your ticket"),
            "English question"
        );
        assert!(
            set_cookie(&r, "vigil_post").as_deref() == Some("vigil_post=POIPET"),
            "the post is remembered"
        );
        let id = screening_id(&r.body);
        let km = call(
            &app,
            post_form(
                "/staff/screen?lang=km",
                &cookie,
                &traveller(&csrf, "POIPET", "AIR-78", "40"),
            ),
        )
        .await;
        assert_eq!(km.status, StatusCode::OK, "{}", km.body);
        assert!(
            !km.body.contains("Who paid for your ticket"),
            "Khmer question only"
        );
        let other = screening_id(&km.body);

        // The decision, then a fresh form.
        let r = call(
            &app,
            post_form(
                &format!("/staff/screen/{id}/decision"),
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("decision", "refer"),
                    ("note", "sister waiting"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let next = r.headers["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert!(next.starts_with("/staff/screen?done="), "{next}");
        assert!(
            !next.contains("AIR-77"),
            "no traveller's reference in a URL"
        );
        let r = call(&app, get(&format!("{next}&lang=en"), &cookie)).await;
        assert!(
            r.body.contains("Decision recorded for screening #"),
            "{}",
            r.body
        );
        let r = call(
            &app,
            post_form(
                &format!("/staff/screen/{other}/decision"),
                &cookie,
                &[("csrf", &csrf), ("decision", "clear"), ("note", "")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(
            &app,
            post_form(
                &format!("/staff/screen/{id}/decision"),
                &cookie,
                &[("csrf", "forged"), ("decision", "clear")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // The list (references only) and the screening with its referral result.
        let r = call(&app, get("/staff/screenings?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("AIR-77") && r.body.contains("AIR-78"));
        assert!(
            !r.body.contains("traveller nervous"),
            "no personal data in the list"
        );
        let r = call(
            &app,
            get(&format!("/staff/screenings/{id}?lang=en"), &cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("sister waiting") && r.body.contains("referral-form"));
        let r = call(
            &app,
            post_form(
                &format!("/staff/screenings/{id}/referral"),
                &cookie,
                &[("csrf", &csrf), ("result", "confirmed")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let row = v.store.screening(id).await.expect("row");
        assert_eq!(row.referral.expect("recorded").result, "confirmed");
        let r = call(
            &app,
            post_form(
                &format!("/staff/screenings/{other}/referral"),
                &cookie,
                &[("csrf", &csrf), ("result", "confirmed")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "only referrals");
        assert!(
            v.store
                .audit_after(0, 10_000)
                .await
                .expect("audit")
                .iter()
                .any(|e| e.entry.action == AuditAction::ScreeningReferral)
        );

        // Jurisdiction: Bavet is Svay Rieng's.
        let r = call(
            &app,
            post_form(
                "/staff/screen",
                &cookie,
                &traveller(&csrf, "BAVET", "B-1", "30"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let sr = Jurisdiction::Provinces(vec!["20".into()]);
        let (sr_cookie, sr_csrf) = signed_in(v, "dara", Role::Immigration, sr).await;
        let r = call(
            &app,
            post_form(
                "/staff/screen",
                &sr_cookie,
                &traveller(&sr_csrf, "BAVET", "B-1", "30"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let bavet = screening_id(&r.body);
        for path in [
            format!("/staff/screenings/{bavet}"),
            "/staff/fairness?post=BAVET".to_string(),
            "/staff/fairness.csv?post=BAVET".to_string(),
        ] {
            let r = call(&app, get(&path, &cookie)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        }
        let r = call(
            &app,
            post_form(
                &format!("/staff/screen/{bavet}/decision"),
                &cookie,
                &[("csrf", &csrf), ("decision", "clear")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(&app, get("/staff/screenings", &cookie)).await;
        assert!(!r.body.contains("B-1"), "{}", r.body);
        let r = call(&app, get(&format!("/staff/screenings/{id}"), &sr_cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Roles: an analyst neither screens nor reads the report; a
        // supervisor reads the report but does not screen.
        let (analyst, _) = signed_in(v, "vanna", Role::Analyst, bm.clone()).await;
        for path in ["/staff/screen", "/staff/screenings", "/staff/fairness"] {
            let r = call(&app, get(path, &analyst)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let (supervisor, _) = signed_in(v, "chea", Role::Supervisor, bm.clone()).await;
        assert_eq!(
            call(&app, get("/staff/screen", &supervisor)).await.status,
            StatusCode::FORBIDDEN
        );

        // The fairness report of this month at Poipet.
        let month = vigil_core::fairness::this_month();
        let path = format!("/staff/fairness?post=POIPET&month={month}&lang=en");
        let check = |body: &str| {
            assert_eq!(cell(body, "female", "18-24", "screenings"), 1, "{body}");
            assert_eq!(cell(body, "female", "18-24", "advised-refer"), 1);
            assert_eq!(cell(body, "female", "18-24", "decided-refer"), 1);
            assert_eq!(cell(body, "female", "18-24", "confirmed"), 1);
            assert_eq!(cell(body, "female", "36-49", "screenings"), 1);
            assert_eq!(cell(body, "female", "36-49", "decided-clear"), 1);
            assert_eq!(cell(body, "male", "25-35", "screenings"), 0);
            assert!(body.contains("default@2026.11.1"));
            assert!(body.contains("women aged 18 to 35"), "the scope note");
        };
        let r = call(&app, get(&path, &supervisor)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        check(&r.body);
        let r = call(&app, get(&path, &cookie)).await;
        check(&r.body);
        let csv = call(
            &app,
            get(
                &format!("/staff/fairness.csv?post=POIPET&month={month}"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            csv.body
                .contains(&format!("POIPET,{month},female,18-24,1,0,1,0,0,1,1,0")),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains(&format!("POIPET,{month},all,all,2,")),
            "{}",
            csv.body
        );

        // Purged: the rows are gone, the month's counts stay.
        let gone = v
            .store
            .purge_screenings(OffsetDateTime::now_utc() + Duration::seconds(1))
            .await
            .expect("purge");
        assert_eq!(gone, 3);
        assert!(v.store.screening(id).await.is_err());
        let r = call(&app, get(&path, &cookie)).await;
        check(&r.body);
        let r = call(
            &app,
            get("/staff/fairness?post=POIPET&month=2026-13", &cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
