//! The public check in a real browser, in Khmer and English, with
//! JavaScript on and off: paste a message, read the band of reports for the
//! recruiter's handle and the warnings of a deceptive link, then turn the
//! check into a report with the text filled in.
//!
//! Needs Debian's `chromium` and `chromium-driver` (see `browser.rs`).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use fantoccini::Client;
use vigil_domain::Category;
use vigil_testkit::{Backend, TestApp};

mod support;
use support::{Driver, browser, click_and_load, exists, find, text_of, tools};

const MESSAGE: &str = "Good job in Sihanoukville! Contact t.me/recruit_boss \
or pay the visa at https://aba.com.kh@203.0.113.9/pay";

async fn seed(app: &TestApp) {
    for s in [
        "My cousin answered a job advert and was driven across the border at night",
        "A recruiter came to our village school promising hotel work in Thailand",
        "They keep forty people in the blue building behind the casino",
    ] {
        let text = format!("{s}. Telegram @recruit_boss");
        vigil_testkit::reported(&app.vigil, Category::Recruitment, &text, "12").await;
    }
    while vigil_core::pipeline::run_once(&app.vigil.pipeline, 100)
        .await
        .expect("pipeline")
        .events
        > 0
    {}
}

async fn walk(c: &Client, base: &str, lang: &str) {
    c.goto(&format!("{base}/{lang}/check")).await.expect("open");
    find(c, "#text")
        .await
        .send_keys(MESSAGE)
        .await
        .expect("type");
    click_and_load(c, "#check").await;
    assert!(exists(c, "#answer").await, "{lang}: an answer");
    let known = text_of(c, ".result.known").await;
    assert!(known.contains("recruit_boss"), "{lang}: {known}");
    assert!(known.contains("3–9"), "{lang}: {known}");
    assert!(exists(c, ".warning").await, "{lang}: the link's warning");
    click_and_load(c, "#report-this").await;
    let text = find(c, "textarea#text")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(text, MESSAGE, "{lang}: the report form carries the text");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_in_khmer_and_english_with_and_without_javascript() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let driver = Driver::start(&driver_exe);
    let app = Arc::new(TestApp::new(Backend::Sqlite, |_| {}).await);
    seed(&app).await;
    let server = app.spawn().await;
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for js in [true, false] {
        for lang in ["km", "en"] {
            let profile = tempfile::tempdir().expect("profile");
            let c = browser(&driver, &chromium, profile.path(), js).await;
            let base = server.url.clone();
            let outcome = tokio::spawn({
                let c = c.clone();
                async move { walk(&c, &base, lang).await }
            })
            .await;
            if outcome.is_err()
                && let Ok(png) = c.screenshot().await
            {
                let _ = std::fs::write(shots.join(format!("check-{lang}-js-{js}.png")), png);
            }
            let _ = c.close().await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }
}
