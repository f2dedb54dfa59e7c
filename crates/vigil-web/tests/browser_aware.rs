//! The help pages in a real browser, as a reader on a small phone uses them:
//! from the report form to "Help" in the navigation, to the page on job
//! offers, a search of the ministry's agencies typed in Khmer, then the page
//! for someone held with its hotlines to call — once with JavaScript on and
//! once off (the search is a plain GET form). With JavaScript on, every help
//! page is also measured at 360 px wide: nothing may be wider than the screen.
//! The pages read no stored data, so one backend (SQLite) is enough.
//!
//! Needs Debian's `chromium` and `chromium-driver` (see `browser.rs`). A
//! screenshot of the Khmer help index at 360 px is written under the target
//! directory (`target*/tmp/browser-km-help.png`) for a human to look at.

// A test: failing loudly is the point.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use fantoccini::{Client, Locator};
use serde_json::json;
use vigil_core::settings::Hotline;
use vigil_testkit::{Backend, TestApp};
use vigil_web::I18n;

mod support;
use support::{Driver, browser, click_and_load, exists, find, text_of, tools};

/// The ministry's list, invented for the test.
const AGENCIES: &str = r#"
source = "Ministry of Labour and Vocational Training"
updated = "2026-11-02"

[[agency]]
name = "Mekong Test Manpower Co., Ltd."
name_km = "ក្រុមហ៊ុន មេគង្គ តេស្ត"
licence = "T-0001"
province = "12"
phone = "+855 23 111 222"

[[agency]]
name = "Angkor Sample Recruitment"
licence = "T-0002"
province = "17"
phone = "063 333 444"
"#;

/// The help pages below `/km/`.
const PAGES: [&str; 5] = [
    "help",
    "help/jobs",
    "help/fakes",
    "help/held",
    "help/report",
];

async fn licences(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for li in c
        .find_all(Locator::Css("li.agency"))
        .await
        .expect("agencies")
    {
        out.push(
            li.attr("data-licence")
                .await
                .expect("attr")
                .unwrap_or_default(),
        );
    }
    out
}

async fn journey(c: Client, base: String, js: bool, shots: PathBuf) {
    let c = &c;
    let i18n = I18n::load().expect("catalogues");
    let tag = if js {
        "JavaScript on"
    } else {
        "JavaScript off"
    };

    c.goto(&format!("{base}/km/")).await.expect("open /km/");
    let class = find(c, "html")
        .await
        .attr("class")
        .await
        .expect("class")
        .unwrap_or_default();
    assert_eq!(class.split_whitespace().any(|k| k == "js"), js, "{tag}");
    assert_eq!(
        text_of(c, "header nav a[href='/km/check']").await,
        i18n.format("km", "nav-check", &[]),
        "{tag}: the check page is in the navigation"
    );

    click_and_load(c, "header nav a[href='/km/help']").await;
    assert_eq!(
        text_of(c, "h1").await,
        i18n.format("km", "aware-index-title", &[])
    );
    assert_eq!(
        c.find_all(Locator::Css("#help-pages li"))
            .await
            .expect("pages")
            .len(),
        4,
        "{tag}: the index lists the four pages"
    );

    click_and_load(c, "#help-pages a[href='/km/help/jobs']").await;
    assert_eq!(
        text_of(c, "h1").await,
        i18n.format("km", "aware-jobs-title", &[])
    );
    assert_eq!(licences(c).await, ["T-0001", "T-0002"], "{tag}");
    find(c, "#q").await.send_keys("មេគង្គ").await.expect("type");
    click_and_load(c, "#search").await;
    assert_eq!(licences(c).await, ["T-0001"], "{tag}: the Khmer search");
    let url = c.current_url().await.expect("url");
    assert!(url.query().is_some_and(|q| q.starts_with("q=")), "{url}");
    let typed = find(c, "#q").await.prop("value").await.expect("value");
    assert_eq!(typed.as_deref(), Some("មេគង្គ"), "{tag}: the search is kept");
    assert_eq!(
        find(c, "li.agency a[href^='tel:']")
            .await
            .attr("href")
            .await
            .expect("href")
            .as_deref(),
        Some("tel:+85523111222")
    );

    click_and_load(c, "#next a[href='/km/help']").await;
    click_and_load(c, "#help-pages a[href='/km/help/held']").await;
    let mut numbers = Vec::new();
    for a in c
        .find_all(Locator::Css("#hotlines a[href^='tel:']"))
        .await
        .expect("hotlines")
    {
        numbers.push(a.attr("href").await.expect("href").unwrap_or_default());
    }
    assert_eq!(numbers, ["tel:117", "tel:023000111"], "{tag}");
    assert!(exists(c, "#next a[href='/km/check']").await);
    assert!(exists(c, "#next a[href='/km/']").await);

    if js {
        c.set_window_size(360, 800).await.expect("360 px");
        for page in PAGES {
            c.goto(&format!("{base}/km/{page}")).await.expect("open");
            let sizes = c
                .execute(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                    vec![],
                )
                .await
                .expect("sizes");
            let (scroll, client) = (sizes[0].as_u64(), sizes[1].as_u64());
            assert!(
                scroll <= client && client <= Some(360),
                "/km/{page} is wider than a 360 px screen: {sizes}"
            );
            if page == "help"
                && let Ok(png) = c.screenshot().await
            {
                let _ = std::fs::write(shots.join("browser-km-help.png"), png);
            }
        }
        assert_eq!(
            c.execute(
                "return document.fonts.check('16px \"Noto Sans Khmer\"', 'ក');",
                vec![]
            )
            .await
            .expect("fonts"),
            json!(true),
            "the bundled Khmer font"
        );
    }
}

async fn run(driver: &Driver, chromium: &Path, base: &str, js: bool, shots: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let client = browser(driver, chromium, profile.path(), js).await;
    let outcome = tokio::spawn(journey(
        client.clone(),
        base.to_string(),
        js,
        shots.to_path_buf(),
    ))
    .await;
    if outcome.is_err() {
        let path = shots.join(format!("browser-aware-failed-js-{js}.png"));
        if let Ok(png) = client.screenshot().await
            && std::fs::write(&path, png).is_ok()
        {
            eprintln!("the page it failed on: {}", path.display());
        }
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("JavaScript {js}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_pages_in_chromium_with_and_without_javascript() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let files = tempfile::tempdir().expect("temp dir");
    let list = files.path().join("agencies.toml");
    std::fs::write(&list, AGENCIES).expect("write the list");
    let path = list.display().to_string();
    let app = TestApp::new(Backend::Sqlite, move |s| {
        s.public.agencies_file = path;
        s.public.hotlines = vec![
            Hotline {
                key: String::new(),
                name: "Police".into(),
                number: "117".into(),
            },
            Hotline {
                key: String::new(),
                name: "Anti-trafficking office".into(),
                number: "023 000 111".into(),
            },
        ];
    })
    .await;
    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    for js in [true, false] {
        run(&driver, &chromium, &server.url, js, &shots).await;
    }
    drop(server);
}
