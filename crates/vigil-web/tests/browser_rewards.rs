//! Rewards in Debian's Chromium with JavaScript off, in a window 360 pixels
//! wide: a supervisor signs in, marks a tip as having led to a rescue, the
//! reporter opens the follow-up page with the receipt and reads the code,
//! and the supervisor types it on the claim page. Every form is plain HTML
//! and nothing on these pages is wider than the screen.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use fantoccini::Client;
use time::OffsetDateTime;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};

use staffkit::{code_for, tip_in};
use support::{Driver, browser, click_and_load, exists, find, sign_in, text_of, tools};

const WIDTH: f64 = 360.0;

/// Every element matched by `css` ends within the narrow window.
async fn fits(c: &Client, css: &str) {
    let (x, _, w, _) = find(c, css).await.rectangle().await.expect("rect");
    assert!(x >= 0.0 && x + w <= WIDTH, "{css} spans {x}..{} px", x + w);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_awards_and_records_the_claim_with_js_off_at_360_px() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let (tip, receipt) = tip_in(v, "18", "people held in the blue building").await;
    let secret = staffkit::enrolled(
        v,
        "dara",
        "Dara",
        Role::Supervisor,
        Jurisdiction::Provinces(vec!["18".into()]),
    )
    .await;

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), false).await;
    let base = server.url.clone();
    let journey = async {
        c.set_window_size(WIDTH as u32, 900).await.expect("narrow");
        c.goto(&format!("{base}/staff/tips/{tip}?lang=en"))
            .await
            .expect("goto");
        sign_in(&c, "dara", "a long staff password", || {
            code_for(&secret, "dara", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;

        // The tip page's reward form, in the narrow window.
        c.goto(&format!("{base}/staff/tips/{tip}?lang=en"))
            .await
            .expect("goto");
        for css in ["#reward-form", "#reason", "#award"] {
            fits(&c, css).await;
        }
        find(&c, "#reason option[value=rescue]")
            .await
            .click()
            .await
            .expect("choose");
        click_and_load(&c, "#award").await;
        assert_eq!(
            text_of(&c, "#notice").await,
            "Reward awarded: the reporter sees the code in their follow-up thread."
        );
        assert!(
            text_of(&c, "#reward-awarded")
                .await
                .contains("Rescue of victims")
        );
        assert!(!exists(&c, "#reward-form").await, "awarded once");

        // The reporter, in Khmer: the receipt opens the thread with the code.
        c.goto(&format!("{base}/km/follow-up")).await.expect("goto");
        find(&c, "#receipt")
            .await
            .send_keys(&receipt)
            .await
            .expect("type");
        click_and_load(&c, "#open").await;
        let shown = text_of(&c, "#reward-code").await;
        assert_eq!(shown.len(), 11, "{shown}");
        fits(&c, "#reward-code").await;
        fits(&c, "#reward-how").await;

        // The claim at the counter.
        c.goto(&format!("{base}/staff/rewards?lang=en"))
            .await
            .expect("goto");
        for css in ["#claim-form", "#code", "#claim"] {
            fits(&c, css).await;
        }
        find(&c, "#code")
            .await
            .send_keys(&shown.to_lowercase())
            .await
            .expect("type");
        click_and_load(&c, "#claim").await;
        assert!(text_of(&c, "#notice").await.contains(&format!("tip {tip}")));
        // Typed again: refused with the field's message, beside the field.
        find(&c, "#code")
            .await
            .send_keys(&shown)
            .await
            .expect("type");
        click_and_load(&c, "#claim").await;
        assert!(text_of(&c, "#code-error").await.contains("already claimed"));
        fits(&c, "#code-error").await;
    };
    journey.await;
    c.close().await.expect("close");
}
