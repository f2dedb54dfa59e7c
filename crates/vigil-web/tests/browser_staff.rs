//! The analyst's journey in Debian's Chromium: sign in with a password and an
//! authenticator code, see the life-safety facility at the top of the queue,
//! open it, open its tip, reply to the reporter — and the reporter reads the
//! reply on the public follow-up page with the receipt.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;

use fantoccini::Locator;
use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_domain::{Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role};
use vigil_testkit::{Backend, TestApp};

use support::{
    Driver, browser, click_and_load, exists, find, page_and_window_width, sign_in, text_of, tools,
    wait_for,
};

const REPLY: &str = "សូមអរគុណ — which floor are they on?";

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

async fn tip(app: &TestApp, text: &str, held: bool) -> String {
    submit(
        &app.vigil.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::ScamCompound,
                text: text.into(),
                location: Location {
                    province_code: Some("18".into()),
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
    .receipt
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_signs_in_with_totp_and_answers_a_life_safety_tip() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    // Two quiet reports about one compound, and one saying people are held.
    tip(
        &app,
        "Job ads from 088 765 4321 for a casino near Otres",
        false,
    )
    .await;
    tip(
        &app,
        "Recruiter 088 765 4321 promised high pay, no experience",
        false,
    )
    .await;
    let receipt = tip(
        &app,
        "People are locked in the blue building, they beat them",
        true,
    )
    .await;
    vigil_core::pipeline::run_until_idle(&app.vigil.pipeline, |_| {})
        .await
        .expect("pipeline");
    let secret = staffkit::enrolled(
        &app.vigil,
        "sokha",
        "Sokha",
        Role::Analyst,
        Jurisdiction::Provinces(vec!["18".into()]),
    )
    .await;

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    let base = server.url.clone();
    let journey = async {
        c.goto(&format!("{base}/staff/?lang=en"))
            .await
            .expect("goto");
        sign_in(&c, "sokha", "a long staff password", || {
            code_for(&secret, "sokha", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;
        assert!(text_of(&c, "#who").await.contains("Sokha"));
        // On a phone the queue stacks its rows: nothing scrolls sideways.
        c.set_window_size(360, 900).await.expect("narrow");
        c.goto(&format!("{base}/staff/?lang=km"))
            .await
            .expect("goto");
        assert!(exists(&c, "#queue tbody tr").await, "a tip in the queue");
        let (page, window) = page_and_window_width(&c).await;
        assert!(
            page <= window + 1.0,
            "the queue at 360 px is {page} px wide"
        );
        // The public figures too: headline numbers and charts fit a phone.
        c.goto(&format!("{base}/km/figures")).await.expect("goto");
        assert!(exists(&c, "#chart-tips").await, "the monthly chart");
        let (page, window) = page_and_window_width(&c).await;
        assert!(
            page <= window + 1.0,
            "the public figures at 360 px are {page} px wide"
        );
        c.set_window_size(1280, 900).await.expect("wide");
        c.goto(&format!("{base}/staff/facilities?lang=en"))
            .await
            .expect("goto");
        let first = find(&c, "#facilities tbody tr").await;
        assert_eq!(
            first.attr("class").await.expect("class").as_deref(),
            Some("danger"),
            "the life-safety facility is at the top"
        );
        let link = first.find(Locator::Css("a")).await.expect("link");
        link.click().await.expect("open facility");
        wait_for(&c, "#reasons").await;
        assert!(text_of(&c, "#reasons").await.contains("people held"));
        let tips = c
            .find_all(Locator::Css("#facility-tips li a:first-of-type"))
            .await
            .expect("tips");
        assert_eq!(tips.len(), 1);
        tips[0].click().await.expect("open tip");
        wait_for(&c, "#tip-text").await;
        assert!(text_of(&c, "#tip-text").await.contains("locked in"));
        find(&c, "#body")
            .await
            .send_keys(REPLY)
            .await
            .expect("type");
        click_and_load(&c, "#send").await;
        assert!(exists(&c, "#notice").await);
        assert!(text_of(&c, "#thread").await.contains("which floor"));
        // The reporter opens the thread with the receipt.
        c.goto(&format!("{base}/en/follow-up")).await.expect("goto");
        find(&c, "#receipt")
            .await
            .send_keys(&receipt)
            .await
            .expect("type");
        click_and_load(&c, "#open").await;
        assert!(
            text_of(&c, "#thread")
                .await
                .contains("which floor are they on?")
        );
        // The map (drawn on the server): the province's circle opens its
        // facility queue; the facility shows its place and its link graph.
        c.goto(&format!("{base}/staff/map")).await.expect("goto");
        wait_for(&c, "#map").await;
        find(&c, "#map a.spot[data-code=\"18\"] circle")
            .await
            .click()
            .await
            .expect("click the province");
        wait_for(&c, "#filter").await;
        find(&c, "#facilities tbody tr a")
            .await
            .click()
            .await
            .expect("open facility");
        wait_for(&c, "#place-map svg").await;
        find(&c, "#graph-link")
            .await
            .click()
            .await
            .expect("open the graph");
        wait_for(&c, "#graph").await;
        assert!(exists(&c, "#graph a.node.facility.centre").await);
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(120), journey).await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-staff-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the journey finished in time");
}
