//! The supervisor's main task in Debian's Chromium, in Khmer on a 360 px
//! screen: a supervisor signs in with a password and an authenticator code,
//! lands on the dashboard and its headline figures, follows the menu to the
//! operations, the raid's persons met and the review list, where the person
//! flagged as a likely victim waits by name; opens them, acknowledges the
//! flag with a note, sees the acknowledgement with their own name, and the
//! list empty. Every page is no wider than the screen.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use time::OffsetDateTime;
use vigil_core::persons::PersonInput;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, done_operation};
use vigil_web::i18n::{I18n, Tr};

use staffkit::{code_for, enrolled, signed_in};
use support::{
    Driver, browser, click_and_load, exists, find, page_and_window_width, text_of, tools, wait_for,
};

/// The page is no wider than the 360 px window.
async fn fits(c: &Client, what: &str) {
    let (page, window) = page_and_window_width(c).await;
    eprintln!("{what} at a {window} px window: {page} px wide");
    assert!(window <= 360.0, "the window is {window} px");
    assert!(page <= window + 1.0, "{what} at 360 px is {page} px wide");
}

/// Follows the link whose text contains `words`, and waits for the page.
async fn follow(c: &Client, words: &str) {
    let xpath = format!("//main//a[contains(normalize-space(.), '{words}')]");
    let old = find(c, "html").await;
    c.find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no link shows {words}: {e}"))
        .click()
        .await
        .expect("click");
    let start = std::time::Instant::now();
    while old.tag_name().await.is_ok() {
        assert!(start.elapsed() < support::WAIT, "{words} loaded no page");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_acknowledges_a_likely_victim_from_the_dashboard() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let p18 = Jurisdiction::Provinces(vec!["18".into()]);

    // A raid where a woman who could not leave was met and refused referral:
    // flagged as a likely victim, waiting for a supervisor.
    signed_in(v, "sok", Role::Officer, p18.clone()).await;
    let sok = staffkit::principal(v, "sok").await;
    let op = done_operation(v, "OP-2026-044", "Compound raid", "18", sok.id).await;
    let victim = PersonInput {
        role: "victim".into(),
        nationality: "KH".into(),
        language: "km".into(),
        sex: "f".into(),
        given_name: "Sokha".into(),
        family_name: "Chan".into(),
        indicators: vec!["cannot_leave".into()],
        consent: "refused".into(),
        ..Default::default()
    };
    vigil_core::persons::record(&v.persons, &sok, op, &victim)
        .await
        .expect("person met");

    // The supervisor, enrolled with an authenticator.
    let secret = enrolled(v, "bopha", "Bopha Lim", Role::Supervisor, p18).await;

    let i18n = I18n::load().expect("catalogues");
    let km = Tr::new(&i18n, "km");
    let likely = km.t("persons-likely-victim");
    let note = "បង្ខំឱ្យបោកប្រាស់ មិនចោទប្រកាន់ទេ";

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    c.set_window_size(360, 900).await.expect("a phone's width");
    let base = server.url.clone();
    let journey = async {
        c.goto(&format!("{base}/staff/home?lang=km"))
            .await
            .expect("goto");
        support::sign_in(&c, "bopha", "a long staff password", || {
            code_for(&secret, "bopha", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;
        // A supervisor lands on the dashboard: its headline figures, in
        // Khmer from here on (the choice is remembered).
        wait_for(&c, "#headline").await;
        assert!(
            c.current_url()
                .await
                .expect("url")
                .path()
                .ends_with("/staff/dashboard")
        );
        c.goto(&format!("{base}/staff/dashboard?lang=km"))
            .await
            .expect("goto");
        wait_for(&c, "#headline").await;
        assert_eq!(
            find(&c, "html")
                .await
                .attr("lang")
                .await
                .expect("lang")
                .as_deref(),
            Some("km")
        );
        let figures = c
            .find_all(Locator::Css("#headline .figure dd"))
            .await
            .expect("figures");
        assert!(!figures.is_empty(), "headline figures");
        for f in figures {
            assert!(!f.text().await.expect("text").trim().is_empty());
        }
        // The headline figures fit the screen. (The tables by province and
        // by month below them are the dashboard's own to fold.)
        let right = c
            .execute(
                "return document.getElementById('headline').getBoundingClientRect().right;",
                vec![],
            )
            .await
            .expect("the figures' edge")
            .as_f64()
            .expect("a number");
        fits(&c, "the dashboard").await;
        let (_, window) = page_and_window_width(&c).await;
        assert!(
            right <= window,
            "the headline figures end at {right} px in a {window} px window"
        );

        // The menu's operations, the raid, its persons met.
        let old = find(&c, "html").await;
        find(&c, "#nav-operations")
            .await
            .click()
            .await
            .expect("menu");
        while old.tag_name().await.is_ok() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        wait_for(&c, "#operations").await;
        fits(&c, "the operations").await;
        follow(&c, "OP-2026-044").await;
        wait_for(&c, "#persons-met").await;
        let met = text_of(&c, "#persons-met").await;
        assert!(met.contains("Sokha Chan") && met.contains(&likely), "{met}");
        fits(&c, "the operation").await;
        // Its persons met fit the screen.
        let right = c
            .execute(
                "return document.getElementById('persons-met').getBoundingClientRect().right;",
                vec![],
            )
            .await
            .expect("the table's edge")
            .as_f64()
            .expect("a number");
        assert!(right <= 360.0, "the persons met end at {right} px");
        // The review list the raid links to names the flag waiting for the
        // supervisor; the person flagged, by name; the acknowledgement with
        // a note.
        let old = find(&c, "html").await;
        find(&c, "#persons-review-link")
            .await
            .click()
            .await
            .expect("review");
        while old.tag_name().await.is_ok() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        wait_for(&c, "#flag-list").await;
        fits(&c, "the review list").await;
        follow(&c, "Sokha Chan").await;
        wait_for(&c, "#person-title").await;
        assert_eq!(text_of(&c, "#person-title").await, "Sokha Chan");
        assert!(text_of(&c, ".flags").await.contains(&likely));
        assert!(
            exists(&c, ".ack-form").await,
            "the supervisor may acknowledge"
        );
        fits(&c, "the person").await;
        let form = find(&c, ".ack-form").await;
        let (page, window) = page_and_window_width(&c).await;
        let box_width = c
            .execute(
                "return document.querySelector('.ack-form').getBoundingClientRect().right;",
                vec![],
            )
            .await
            .expect("form width")
            .as_f64()
            .expect("a number");
        assert!(
            box_width <= window,
            "the form ends at {box_width} px in a {window} px window (page {page} px)"
        );
        form.find(Locator::Css("textarea"))
            .await
            .expect("note")
            .send_keys(note)
            .await
            .expect("type");
        click_and_load(&c, ".ack-form button[type=submit]").await;
        wait_for(&c, "#person-title").await;
        assert!(!exists(&c, ".error").await, "{}", text_of(&c, "main").await);
        assert!(!exists(&c, ".ack-form").await, "acknowledged once");
        assert_eq!(text_of(&c, ".ack-note").await, note);
        assert_eq!(text_of(&c, ".ack-by").await, "Bopha Lim");
        fits(&c, "the person acknowledged").await;
        c.goto(&format!("{base}/staff/persons/review"))
            .await
            .expect("goto");
        wait_for(&c, "#no-flags").await;
        fits(&c, "the review list, done").await;
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(180), journey).await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-supervisor-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the journey finished in time");
}
