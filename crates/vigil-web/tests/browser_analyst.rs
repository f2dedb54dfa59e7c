//! The analyst's main task in Debian's Chromium, in Khmer, in a window 360
//! pixels wide and without JavaScript: a tip reporting people held arrives
//! with a phone number a facility's reporters already gave, the pipeline
//! joins it to that facility, the analyst signs in, finds the tip at the top
//! of the queue with its facility by name, opens the facility (first on the
//! facility queue too), assigns it to an officer and sees the assignment.
//! No page is wider than the window.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;

use fantoccini::Client;
use fantoccini::Locator;
use time::OffsetDateTime;
use vigil_core::Vigil;
use vigil_core::intake::{TipRequest, submit};
use vigil_domain::{Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role, TipId};
use vigil_testkit::{Backend, TestApp};

use support::{
    Driver, browser, click_and_load, exists, find, page_and_window_width, sign_in, text_of, tools,
};

/// The compound as its reporters name it.
const COMPOUND: &str = "អគារមាសខៀវ ជិតកាស៊ីណូ";

async fn report(v: &Vigil, text: &str, place: Option<&str>, held: bool) -> TipId {
    submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::ScamCompound,
                text: text.into(),
                location: Location {
                    province_code: Some("18".into()),
                    place: place.map(str::to_string),
                    ..Location::default()
                },
                danger: DangerFlags {
                    held,
                    ..DangerFlags::default()
                },
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: Some("km".into()),
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit")
    .tip_id
}

async fn narrow(c: &Client, what: &str) {
    let lang = find(c, "html").await.attr("lang").await.expect("lang");
    assert_eq!(lang.as_deref(), Some("km"), "{what} in Khmer");
    let (page, window) = page_and_window_width(c).await;
    assert!(window <= 360.0, "the window is {window} px wide");
    if page > window + 1.0 {
        // Name what sticks out, to say what to fix.
        let wide = c
            .execute(
                "const w = window.innerWidth; return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1)
                   .slice(0, 8)
                   .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' +
                        Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .expect("wide elements");
        panic!("{what} at 360 px is {page} px wide: {wide}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_triages_a_life_safety_tip_in_khmer_on_a_phone() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    // A facility two reporters named, and others quieter.
    for text in [
        "ក្រុមហ៊ុនបោកប្រាស់ ថៅកែលេខ +855 12 444 555",
        "Boss phone +855 12 444 555, the building by the casino",
    ] {
        report(v, text, Some(COMPOUND), false).await;
    }
    for n in 0..3 {
        let text = format!("Job offer {n} from +855 97 60{n} 1234, online");
        report(v, &text, None, false).await;
    }
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    // The life-safety tip: the same boss's number, people held.
    let urgent = report(
        v,
        "ពួកយើងត្រូវគេឃុំខ្លួន! ថៅកែ +855 12 444 555 យកលិខិតឆ្លងដែនយើង",
        None,
        true,
    )
    .await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let facility = v
        .store
        .facility_of(urgent)
        .await
        .expect("of")
        .expect("joined to the facility");

    // The officer the facility goes to, and the analyst.
    staffkit::signed_in(v, "sok", Role::Officer, Jurisdiction::National).await;
    let secret = staffkit::enrolled(v, "dara", "Dara", Role::Analyst, Jurisdiction::National).await;

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), false).await;
    c.set_window_size(360, 900).await.expect("narrow");
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        journey(&c, &server.url, &secret, urgent, facility.0),
    )
    .await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-analyst-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the journey finished in time");
}

async fn journey(c: &Client, base: &str, secret: &str, urgent: TipId, facility: i64) {
    c.goto(&format!("{base}/staff/home?lang=km"))
        .await
        .expect("goto");
    sign_in(c, "dara", "a long staff password", || {
        staffkit::code_for(secret, "dara", OffsetDateTime::now_utc().unix_timestamp())
    })
    .await;
    // The analyst lands on the queue: the life-safety tip first, with its
    // facility by name.
    assert!(exists(c, "#queue").await, "landed on the queue");
    // Signing in forgets the `lang` the sign-in page was asked in: ask for
    // Khmer once more, remembered from there on.
    if find(c, "html")
        .await
        .attr("lang")
        .await
        .expect("lang")
        .as_deref()
        != Some("km")
    {
        c.goto(&format!("{base}/staff/?lang=km"))
            .await
            .expect("in Khmer");
    }
    narrow(c, "the queue").await;
    let first = find(c, "#queue tbody tr").await;
    assert_eq!(
        first.attr("data-tip").await.expect("attr").as_deref(),
        Some(urgent.to_string().as_str()),
        "the life-safety tip first"
    );
    let link = first
        .find(Locator::Css("a.facility-link"))
        .await
        .expect("its facility");
    assert_eq!(link.text().await.expect("text").trim(), COMPOUND);
    // The facility queue agrees: that facility first, by name.
    c.goto(&format!("{base}/staff/facilities"))
        .await
        .expect("facilities");
    narrow(c, "the facility queue").await;
    let top = find(c, "#facilities tbody tr").await;
    assert_eq!(
        top.attr("data-facility").await.expect("attr").as_deref(),
        Some(facility.to_string().as_str())
    );
    assert_eq!(
        text_of(c, "#facilities tbody tr .facility-name a").await,
        COMPOUND
    );
    click_and_load(c, "#facilities tbody tr .facility-name a").await;
    assert_eq!(text_of(c, "#facility-name").await, COMPOUND);
    let count = text_of(c, "#facility-tip-count").await;
    assert!(count.contains("ព័ត៌មាន"), "the count in Khmer: {count}");
    assert!(exists(c, &format!("#facility-tips li[data-tip=\"{urgent}\"]")).await);
    narrow(c, "the facility page").await;
    // Assign it to the officer.
    find(c, "#assign-to option[value=\"sok\"]")
        .await
        .click()
        .await
        .expect("choose");
    click_and_load(c, "#assign").await;
    assert_eq!(text_of(c, "#facility-name").await, COMPOUND);
    let to = text_of(c, "#assigned-to").await;
    assert!(to.contains("sok"), "assigned to the officer: {to}");
    narrow(c, "the facility page once assigned").await;
}
