//! The immigration officer's counter in Debian's Chromium, keyboard only:
//! sign in with a password and an authenticator code, screen a traveller by
//! typing, Tab and Enter, read the advice with its reasons and questions,
//! record the decision with the arrow keys and Enter, and open the fairness
//! report to see the traveller counted — once without JavaScript (the
//! browser's own type-ahead and arrow keys), once with the page's script
//! (letters pick choices in any language, R picks the decision).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;
use std::time::Instant;

use fantoccini::Client;
use fantoccini::key::Key;
use time::OffsetDateTime;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};

use support::{Driver, browser, exists, find, text_of, tools, wait_for};

fn code_for(secret_base32: &str, username: &str, at: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("secret");
    totp_rs::Builder::new()
        .with_secret(secret.as_ref().to_vec())
        .with_account_name(username.to_string())
        .build()
        .expect("totp")
        .generate(at as u64)
        .to_string()
}

/// Types into whatever has the focus, as a person at the keyboard does.
async fn keys(c: &Client, text: &str) {
    c.active_element()
        .await
        .expect("a focused element")
        .send_keys(text)
        .await
        .expect("type");
}

fn tab() -> String {
    char::from(Key::Tab).to_string()
}

fn enter() -> String {
    char::from(Key::Enter).to_string()
}

/// The id of the focused element.
async fn focused(c: &Client) -> String {
    c.active_element()
        .await
        .expect("focus")
        .attr("id")
        .await
        .expect("id")
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_immigration_officer_screens_a_traveller_with_the_keyboard_only() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let secret = staffkit::enrolled(
        &app.vigil,
        "sophea",
        "Sophea",
        Role::Immigration,
        Jurisdiction::Provinces(vec!["01".into()]),
    )
    .await;

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    // Without JavaScript first (the browser's own type-ahead), then with the
    // page's script (letters pick choices, R picks the decision).
    for (js, count) in [(false, 1), (true, 2)] {
        let profile = tempfile::tempdir().expect("profile");
        let c = browser(&driver, &chromium, profile.path(), js).await;
        let outcome = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            journey(&c, &server.url, &secret, js, count),
        )
        .await;
        if outcome.is_err() || std::thread::panicking() {
            let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screen-failed.png");
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(&shot, png);
            }
        }
        let _ = c.close().await;
        outcome.expect("the journey finished in time");
    }
    let decided = app
        .vigil
        .store
        .recent_screenings(None, 1)
        .await
        .expect("list");
    assert_eq!(decided[0].decision.as_deref(), Some("refer"));
}

/// Signs in, screens one traveller with the keyboard, decides, and reads the
/// fairness report (`count`: the traveller's group after this screening).
async fn journey(c: &Client, base: &str, secret: &str, js: bool, count: u32) {
    c.goto(&format!("{base}/staff/screen?lang=en"))
        .await
        .expect("goto");
    assert!(exists(c, "#login-form").await, "sent to sign in");
    find(c, "#username")
        .await
        .send_keys("sophea")
        .await
        .expect("type");
    keys(c, &format!("{}a long staff password{}", tab(), enter())).await;
    wait_for(c, "#code").await;
    // A code is good once: the second sign-in uses the next one (a step ahead
    // is accepted).
    let at = OffsetDateTime::now_utc().unix_timestamp() + if js { 30 } else { 0 };
    let code = code_for(secret, "sophea", at);
    find(c, "#code")
        .await
        .send_keys(&format!("{code}{}", enter()))
        .await
        .expect("type");
    // Immigration officers land on the screen.
    wait_for(c, "#screen-form").await;
    c.goto(&format!("{base}/staff/screen?lang=en"))
        .await
        .expect("goto");
    wait_for(c, "#screen-form").await;
    assert_eq!(focused(c).await, "ref", "the first field has the focus");

    // The traveller, field after field, with Tab; letters pick choices.
    for (expect, typed) in [
        ("ref", "AIR-9"),
        ("sex", "f"),
        ("age", "22"),
        ("nationality", ""),
        ("destination", "MM"),
        ("purpose", "t"),
        ("passport-yes", " "),
        ("visa", "n"),
        ("work_permit", ""),
        ("employment_contract", ""),
        ("return_ticket", ""),
        ("guarantor", "n"),
        ("cash_usd", "30"),
        ("ticket_paid_by", "r"),
        ("documents_held_by_other", ""),
        ("companion_answers", ""),
        ("offer_text", "Easy job, no experience, travel paid"),
    ] {
        assert_eq!(focused(c).await, expect, "tab order");
        keys(c, &format!("{typed}{}", tab())).await;
    }
    assert_eq!(focused(c).await, "offer_contact");
    let started = Instant::now();
    keys(c, &format!("@fastjobs{}", enter())).await;
    wait_for(c, "#advice").await;
    eprintln!("screened in {:?} (debug build)", started.elapsed());

    // The advice, every reason with its evidence, the questions.
    let outcome = find(c, "#outcome").await;
    assert_eq!(
        outcome.attr("data-outcome").await.expect("attr").as_deref(),
        Some("refer")
    );
    assert!(text_of(c, "#advice").await.contains("you decide"));
    let reasons = text_of(c, "#reasons").await;
    assert!(reasons.contains("carries 30 USD, minimum 50"), "{reasons}");
    assert!(reasons.contains("Ticket paid by someone else"), "{reasons}");
    assert!(
        text_of(c, "#questions")
            .await
            .contains("Who paid for your ticket")
    );

    // The decision: arrows choose, Tab to the note, Enter records.
    assert_eq!(focused(c).await, "decide-clear");
    if js {
        keys(c, "r").await;
    } else {
        let down = char::from(Key::Down).to_string();
        keys(c, &format!("{down}{down}")).await;
    }
    assert_eq!(focused(c).await, "decide-refer");
    keys(c, &tab()).await;
    assert_eq!(focused(c).await, "note");
    keys(c, &format!("recruiter waiting outside{}", enter())).await;
    wait_for(c, "#notice").await;
    assert!(
        text_of(c, "#notice")
            .await
            .contains("Decision recorded for screening #")
    );
    assert_eq!(focused(c).await, "ref", "ready for the next traveller");

    // The fairness report counts her.
    find(c, "#nav-fairness")
        .await
        .click()
        .await
        .expect("open the report");
    wait_for(c, "#fairness").await;
    let row = text_of(c, "#fairness tr[data-sex=\"female\"][data-band=\"18-24\"]").await;
    let expected = format!("Female 18-24 {count} 0 {count} 0 0 {count}");
    assert!(row.starts_with(&expected), "{row}");
    assert!(text_of(c, "#total").await.contains(&count.to_string()));
    assert!(text_of(c, "#policies").await.contains("default@2026.11.1"));
}

/// Types `text` into the focused element, then waits until the next page
/// replaced this one (`text` ends with the key that submits).
async fn keys_and_load(c: &Client, text: &str) {
    let old = find(c, "html").await;
    keys(c, text).await;
    let start = Instant::now();
    loop {
        if old.tag_name().await.is_err() {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no new page after typing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The page fits the window sideways.
async fn fits(c: &Client, what: &str) {
    let (page, window) = support::page_and_window_width(c).await;
    assert!(window <= 361.0, "the window is a phone's: {window}");
    assert!(
        page <= window + 1.0,
        "{what}: {page} px wide in {window} px"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_screens_three_travellers_in_khmer_at_360_px_by_keyboard() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    // Three airports in her jurisdiction: the post is hers to choose.
    let secret = staffkit::enrolled(
        &app.vigil,
        "dara",
        "Dara",
        Role::Immigration,
        Jurisdiction::Provinces(vec!["08".into(), "17".into(), "18".into()]),
    )
    .await;
    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    c.set_window_size(360, 1200).await.expect("a phone's width");
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(180),
        three_travellers(&c, &server.url, &secret),
    )
    .await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-desk-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    let outcomes = outcome.expect("the three travellers were screened in time");

    let done = app
        .vigil
        .store
        .recent_screenings(None, 10)
        .await
        .expect("list");
    assert_eq!(done.len(), 3, "three travellers screened");
    let mut decisions: Vec<_> = done
        .iter()
        .map(|s| {
            (
                s.decision.clone().unwrap_or_default(),
                s.screening.post.clone(),
            )
        })
        .collect();
    decisions.sort();
    let referred = decisions.iter().filter(|(d, _)| d == "refer").count();
    assert_eq!(referred, 1, "one traveller referred: {decisions:?}");
    assert!(
        decisions.iter().all(|(_, p)| p == "KOS"),
        "every screening at the post chosen by its code: {decisions:?}"
    );
    assert_eq!(outcomes[0], "refer");
    assert_ne!(outcomes[1], "refer");
    assert_ne!(outcomes[2], "refer");
}

/// Signs in and screens three travellers in Khmer by the keyboard alone;
/// returns the advice given to each.
async fn three_travellers(c: &Client, base: &str, secret: &str) -> Vec<String> {
    c.goto(&format!("{base}/staff/screen?lang=km"))
        .await
        .expect("goto");
    wait_for(c, "#login-form").await;
    find(c, "#username")
        .await
        .send_keys("dara")
        .await
        .expect("type");
    keys_and_load(c, &format!("{}a long staff password{}", tab(), enter())).await;
    wait_for(c, "#code").await;
    let code = code_for(secret, "dara", OffsetDateTime::now_utc().unix_timestamp());
    find(c, "#code")
        .await
        .send_keys(&format!("{code}{}", enter()))
        .await
        .expect("type");
    wait_for(c, "#screen-form").await;
    c.goto(&format!("{base}/staff/screen?lang=km"))
        .await
        .expect("goto");
    wait_for(c, "#screen-form").await;
    fits(c, "the form").await;

    // The shortcuts are shown next to the Khmer labels, explained in Khmer.
    assert_eq!(
        text_of(c, "#keys-sex")
            .await
            .replace(char::is_whitespace, ""),
        "FMOU"
    );
    assert!(text_of(c, "#desk-keys").await.contains("Enter"));
    assert!(text_of(c, "#desk-keys").await.contains("ចុចអក្សរ"));
    // No passport answer is given for her: Space cannot silently undo one.
    assert!(!exists(c, "input[name=passport]:checked").await);

    // No post is chosen for her: the post takes the focus and its code's
    // letter picks it (K twice: Techo, then Sihanouk).
    assert_eq!(focused(c).await, "post");
    keys(c, "kk").await;
    assert_eq!(support::selected_value(c, "#post").await, "KOS");
    keys(c, &tab()).await;

    let mut outcomes = Vec::new();
    // (fields typed in tab order, the key that ends them, the decision key)
    let travellers: [(&[(&str, &str)], &str); 3] = [
        (
            &[
                ("ref", "AIR-31"),
                ("sex", "f"),
                ("age", "22"),
                ("nationality", ""),
                ("destination", "MM"),
                ("purpose", "t"),
                ("passport-yes", " "),
                ("visa", "n"),
                ("work_permit", ""),
                ("employment_contract", ""),
                ("return_ticket", ""),
                ("guarantor", "n"),
                ("cash_usd", "30"),
                ("ticket_paid_by", "r"),
                ("documents_held_by_other", ""),
                ("companion_answers", ""),
                ("offer_text", "Easy job, no experience, travel paid"),
                ("offer_contact", "@fastjobs"),
            ],
            "r",
        ),
        (
            &[
                ("ref", "AIR-32"),
                ("sex", "m"),
                ("age", "41"),
                ("nationality", ""),
                // Countries are typed by their Khmer names.
                ("destination", "ថៃ"),
                ("purpose", "t"),
                ("passport-yes", " "),
                ("visa", "t"),
                ("work_permit", ""),
                ("employment_contract", ""),
                ("return_ticket", " "),
                ("guarantor", "v"),
                ("cash_usd", "600"),
                ("ticket_paid_by", "s"),
            ],
            "c",
        ),
        (
            &[
                ("ref", "AIR-33"),
                ("sex", "f"),
                ("age", "35"),
                ("nationality", ""),
                ("destination", "TH"),
                ("purpose", "f"),
                ("passport-yes", " "),
                ("visa", "t"),
                ("work_permit", ""),
                ("employment_contract", ""),
                ("return_ticket", " "),
                ("guarantor", "v"),
                ("cash_usd", "300"),
                ("ticket_paid_by", "f"),
            ],
            "c",
        ),
    ];
    for (n, (fields, decide)) in travellers.iter().enumerate() {
        let last = fields.len() - 1;
        for (i, (expect, typed)) in fields.iter().enumerate() {
            assert_eq!(focused(c).await, *expect, "traveller {n}: tab order");
            if i == last {
                // Enter screens from whatever field has the focus: a text
                // field for the first, a select for the others.
                keys_and_load(c, &format!("{typed}{}", enter())).await;
            } else {
                keys(c, &format!("{typed}{}", tab())).await;
            }
        }
        wait_for(c, "#advice").await;
        fits(c, "the advice").await;
        assert_eq!(
            find(c, "#advice")
                .await
                .attr("aria-live")
                .await
                .expect("attr")
                .as_deref(),
            Some("polite"),
            "the advice is read out"
        );
        let outcome = find(c, "#outcome")
            .await
            .attr("data-outcome")
            .await
            .expect("attr")
            .unwrap_or_default();
        outcomes.push(outcome);
        // The focus is on the decision; its letter chooses, Enter records.
        assert_eq!(focused(c).await, "decide-clear");
        keys(c, decide).await;
        keys_and_load(c, &enter()).await;
        wait_for(c, "#notice").await;
        fits(c, "the next form").await;
        assert!(text_of(c, "#notice").await.contains('#'));
        // The post is remembered: the next traveller starts at the reference.
        assert_eq!(focused(c).await, "ref", "ready for the next traveller");
        assert_eq!(support::selected_value(c, "#post").await, "KOS");
    }
    outcomes
}
