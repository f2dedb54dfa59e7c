//! The prosecutor's main task in Debian's Chromium, in Khmer on a 360 px
//! screen: after a raid with persons met and a seized phone, a prosecutor
//! signs in with a password and an authenticator code, lands on the cases,
//! opens a case from the raid, picks the defendant and the phone from the
//! lists by the names they show, charges the defendant (chosen by name) and
//! records a verdict on that charge; the case page then shows the
//! defendant by name, the phone by its number and the verdict. No page is
//! wider than the screen.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use time::OffsetDateTime;
use vigil_core::persons::PersonInput;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, done_operation, seized_item};
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

/// Clicks the element whose text contains `words` (a label, an option).
async fn click_text(c: &Client, xpath_node: &str, words: &str) {
    let xpath = format!("{xpath_node}[contains(normalize-space(.), '{words}')]");
    c.find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("nothing shows {words}: {e}"))
        .click()
        .await
        .expect("click");
}

/// Sets a date field as the date picker would.
async fn set_date(c: &Client, id: &str, iso: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![id.into(), iso.into()],
    )
    .await
    .expect("set the date");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prosecutor_opens_a_case_from_a_raid_charges_and_records_a_verdict() {
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

    // The raid: done, with a suspect and a victim met and a phone seized.
    signed_in(v, "sok", Role::Officer, p18.clone()).await;
    let sok = staffkit::principal(v, "sok").await;
    let op = done_operation(v, "OP-2026-031", "Golden compound raid", "18", sok.id).await;
    let phone = seized_item(v, op, "E1", "smartphone", "Samsung A12", "sok").await;
    seized_item(v, op, "E2", "sim_card", "SIM", "sok").await;
    for (role, given, family, nationality) in [
        ("suspect", "Wei", "Zhang", "CN"),
        ("witness", "Sophal", "Keo", "KH"),
    ] {
        let met = PersonInput {
            role: role.into(),
            nationality: nationality.into(),
            language: "km".into(),
            given_name: given.into(),
            family_name: family.into(),
            ..Default::default()
        };
        vigil_core::persons::record(&v.persons, &sok, op, &met)
            .await
            .expect("person met");
    }

    // The prosecutor, enrolled with an authenticator.
    let secret = enrolled(v, "dara", "Dara", Role::Prosecutor, p18).await;

    let i18n = I18n::load().expect("catalogues");
    let km = Tr::new(&i18n, "km");
    let convicted = km.t("case-verdict-convicted");

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
        support::sign_in(&c, "dara", "a long staff password", || {
            code_for(&secret, "dara", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;
        // A prosecutor lands on the cases.
        wait_for(&c, "#stage-filter").await;
        assert!(
            c.current_url()
                .await
                .expect("url")
                .path()
                .ends_with("/staff/cases")
        );
        // In Khmer from here on (the choice is remembered).
        c.goto(&format!("{base}/staff/cases?lang=km"))
            .await
            .expect("goto");
        wait_for(&c, "#stage-filter").await;
        assert_eq!(
            find(&c, "html")
                .await
                .attr("lang")
                .await
                .expect("lang")
                .as_deref(),
            Some("km")
        );
        fits(&c, "the cases").await;

        // A case from the raid: its persons and items offered by name.
        c.goto(&format!("{base}/staff/cases/new?operation={op}"))
            .await
            .expect("goto");
        wait_for(&c, "#case-form").await;
        fits(&c, "the new case").await;
        assert!(
            text_of(&c, "#case-operations-choice")
                .await
                .contains("OP-2026-031")
        );
        find(&c, "#reference")
            .await
            .send_keys("PP-2026-031")
            .await
            .expect("type");
        find(&c, "#court")
            .await
            .send_keys("Preah Sihanouk Provincial Court")
            .await
            .expect("type");
        click_text(
            &c,
            "//fieldset[@id='case-persons-choice']//label",
            "Wei Zhang",
        )
        .await;
        click_text(&c, "//fieldset[@id='case-items-choice']//label", "E1").await;
        assert!(
            find(&c, &format!("#item-{phone}"))
                .await
                .is_selected()
                .await
                .expect("ticked"),
            "the phone is ticked"
        );
        click_and_load(&c, "#case-submit").await;
        wait_for(&c, "#case-ref").await;
        assert!(!exists(&c, ".error").await, "{}", text_of(&c, "main").await);
        fits(&c, "the case").await;
        assert_eq!(text_of(&c, ".defendant-name").await, "Wei Zhang");
        let items = text_of(&c, "#case-items").await;
        assert!(items.contains(&format!("#{phone} E1")), "{items}");
        assert!(!items.contains("E2"), "{items}");

        // The charge, the defendant chosen by name.
        click_text(&c, "//select[@id='charge-person_id']/option", "Wei Zhang").await;
        find(&c, "#charge-statute")
            .await
            .select_by_value("LSHTSE-SALE")
            .await
            .expect("statute");
        set_date(&c, "charge-charged_on", "2026-03-02").await;
        click_and_load(&c, "#charge-submit").await;
        wait_for(&c, "#notice").await;
        assert!(!exists(&c, ".error").await, "{}", text_of(&c, "main").await);
        fits(&c, "the case after the charge").await;

        // The verdict on that charge, chosen by the defendant's name.
        click_text(&c, "//select[@id='verdict-charge']/option", "Wei Zhang").await;
        find(&c, "#verdict-verdict")
            .await
            .select_by_value("convicted")
            .await
            .expect("verdict");
        set_date(&c, "verdict-verdict_on", "2026-09-30").await;
        click_and_load(&c, "#verdict-submit").await;
        wait_for(&c, "#notice").await;
        assert!(!exists(&c, ".error").await, "{}", text_of(&c, "main").await);
        fits(&c, "the case after the verdict").await;

        // What the case shows now.
        assert_eq!(text_of(&c, ".defendant-name").await, "Wei Zhang");
        let row = text_of(&c, "#defendant-table").await;
        assert!(row.contains("LSHTSE-SALE"), "{row}");
        assert_eq!(text_of(&c, ".verdict").await, convicted);
        assert!(
            text_of(&c, "#case-items")
                .await
                .contains(&format!("#{phone} E1"))
        );
        assert!(
            text_of(&c, "#case-operations")
                .await
                .contains("OP-2026-031")
        );
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(180), journey).await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-prosecutor-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the journey finished in time");
}
