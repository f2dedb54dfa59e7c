//! The public pages in a real browser. Headless Chromium, driven through
//! chromedriver, fills the report form in Khmer with a photo, keeps the receipt,
//! opens the follow-up page and sends a message: once with JavaScript on (the
//! place pickers fill themselves from the JSON API) and once with it off (the
//! "narrow" button reloads the form with the next level's choices). Runs on every
//! available backend (SQLite always; PostgreSQL when VIGIL_TEST_POSTGRES_URL is set).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without `chromedriver` on PATH
//! the test prints a note and passes, except under CI (`CI` set), where it fails.
//! A screenshot of the Khmer form is written under the target directory
//! (`target*/tmp/browser-km-form.png`) for a human to look at.

// A test: failing loudly is the point.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::json;
use vigil_domain::Category;
use vigil_domain::gazetteer::gazetteer;
use vigil_testkit::{Backend, TestApp, backends};

mod support;
use support::{
    Driver, WAIT, browser, click_and_load, exists, find, option_values, selected_value, text_of,
    tools,
};

const JPEG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.jpg");

/// What the reporter types (Khmer, with Khmer digits and subscript consonants).
const TEXT: &str = "មានមនុស្សប្រហែល ៣០ នាក់ត្រូវបានឃុំខ្លួននៅក្នុងអគារមួយជិតឆ្នេរ។ \
គេបានយកលិខិតឆ្លងដែនរបស់ពួកគេ។";
const PLACE: &str = "អគារពណ៌ខៀវ ជាន់ទី ៣";
const MESSAGE: &str = "សូមអរគុណ។ ពួកគេនៅតែនៅក្នុងអគារនោះ។";
/// The Khmer status of a new report starts with this.
const RECEIVED_KM: &str = "បានទទួល";
/// Sihanoukville, where many compounds are.
const PROVINCE: &str = "18";

/// What the select should offer below `parent`: "choose", then the gazetteer's children.
fn expected_children(parent: &str) -> Vec<String> {
    let mut v = vec![String::new()];
    v.extend(gazetteer().children(parent).map(|u| u.code.clone()));
    assert!(v.len() > 1, "{parent} has children in the gazetteer");
    v
}

/// Waits until `select` offers exactly `want` (JavaScript fills it asynchronously).
async fn wait_options(c: &Client, select: &str, want: &[String]) {
    let start = Instant::now();
    loop {
        let got = option_values(c, select).await;
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < WAIT,
            "{select} never offered {want:?}; it offers {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn is_receipt(s: &str) -> bool {
    let groups: Vec<&str> = s.split(' ').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------
// the journey

struct Journey {
    backend: Backend,
    js: bool,
    base: String,
    app: Arc<TestApp>,
    photo: PathBuf,
    screenshot: Option<PathBuf>,
}

/// Chooses `code` in `select`, then (JavaScript on) waits for `next` to fill by
/// itself, or (off) checks it stayed empty, presses "narrow" and checks the
/// reloaded form kept what was typed.
async fn choose_place(c: &Client, js: bool, select: &str, code: &str, next: Option<&str>) {
    find(c, select)
        .await
        .select_by_value(code)
        .await
        .unwrap_or_else(|e| panic!("choose {code} in {select}: {e}"));
    assert_eq!(
        selected_value(c, select).await,
        code,
        "{select} shows the choice"
    );
    let Some(next) = next else { return };
    let want = expected_children(code);
    if js {
        wait_options(c, next, &want).await;
    } else {
        assert_eq!(
            option_values(c, next).await,
            vec![String::new()],
            "with JavaScript off, {next} cannot fill before the form is sent"
        );
        assert!(
            find(c, "button.narrow")
                .await
                .is_displayed()
                .await
                .expect("displayed")
        );
        click_and_load(c, "button.narrow").await;
        assert_eq!(
            option_values(c, next).await,
            want,
            "narrowing offers {code}'s children"
        );
        assert_eq!(
            selected_value(c, select).await,
            code,
            "narrowing kept {select}"
        );
        let typed = find(c, "#text").await.prop("value").await.expect("value");
        assert_eq!(typed.as_deref(), Some(TEXT), "narrowing kept the text");
        assert!(
            find(c, "input[name=held]")
                .await
                .is_selected()
                .await
                .expect("held")
        );
        assert!(
            find(c, "input[name=category][value=trafficking]")
                .await
                .is_selected()
                .await
                .expect("category")
        );
    }
}

async fn journey(c: Client, j: Journey) {
    let c = &c;
    let tag = format!(
        "{:?}, JavaScript {}",
        j.backend,
        if j.js { "on" } else { "off" }
    );

    // The Khmer form.
    c.goto(&format!("{}/km/", j.base)).await.expect("open /km/");
    assert!(exists(c, "#report-form").await, "{tag}: the report form");
    let html = find(c, "html").await;
    assert_eq!(
        html.attr("lang").await.expect("lang").as_deref(),
        Some("km")
    );
    let class = html.attr("class").await.expect("class").unwrap_or_default();
    assert_eq!(
        class.split_whitespace().any(|k| k == "js"),
        j.js,
        "{tag}: app.js ran exactly when JavaScript is on (html class {class:?})"
    );
    if j.js {
        assert!(
            !find(c, "button.narrow")
                .await
                .is_displayed()
                .await
                .expect("displayed"),
            "{tag}: the narrow button is hidden when the pickers fill themselves"
        );
        // The bundled Khmer font loaded and covers Khmer: no tofu.
        let fonts = c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   document.fonts.ready.then(() => {
                     const faces = [];
                     document.fonts.forEach(f => faces.push(f.family.replace(/"/g, "") + ":" + f.status));
                     done({ check: document.fonts.check('16px "Noto Sans Khmer"', "ក"),
                            faces: faces,
                            family: getComputedStyle(document.querySelector("h1")).fontFamily });
                   });"#,
                vec![],
            )
            .await
            .expect("document.fonts");
        assert_eq!(
            fonts["check"],
            json!(true),
            "{tag}: Khmer font check: {fonts}"
        );
        let faces = fonts["faces"].as_array().cloned().unwrap_or_default();
        assert!(
            faces.contains(&json!("Noto Sans Khmer:loaded")),
            "{tag}: the page's Noto Sans Khmer was downloaded and used: {fonts}"
        );
    }

    // Fill it in.
    find(c, "#text")
        .await
        .send_keys(TEXT)
        .await
        .expect("type the text");
    find(c, "input[name=category][value=trafficking]")
        .await
        .click()
        .await
        .expect("category");
    find(c, "input[name=held]")
        .await
        .click()
        .await
        .expect("held");
    find(c, "input[name=passports_taken]")
        .await
        .click()
        .await
        .expect("passports");

    let district = gazetteer()
        .children(PROVINCE)
        .next()
        .expect("a district")
        .code
        .clone();
    let commune = gazetteer()
        .children(&district)
        .next()
        .expect("a commune")
        .code
        .clone();
    let village = gazetteer()
        .children(&commune)
        .next()
        .expect("a village")
        .code
        .clone();
    choose_place(c, j.js, "#province_code", PROVINCE, Some("#district_code")).await;
    choose_place(c, j.js, "#district_code", &district, Some("#commune_code")).await;
    choose_place(c, j.js, "#commune_code", &commune, Some("#village_code")).await;
    choose_place(c, j.js, "#village_code", &village, None).await;
    if j.js {
        let url = c.current_url().await.expect("url");
        assert_eq!(
            url.path(),
            "/km/",
            "{tag}: the pickers filled without sending the form"
        );
    }

    find(c, "#place")
        .await
        .send_keys(PLACE)
        .await
        .expect("type the place");
    find(c, "#photos")
        .await
        .send_keys(&j.photo.to_string_lossy())
        .await
        .expect("attach the photo");

    if let Some(path) = &j.screenshot {
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write the screenshot");
        eprintln!("screenshot of the Khmer form: {}", path.display());
    }

    // Send it: a receipt.
    click_and_load(c, "#send").await;
    let receipt = text_of(c, "#receipt").await;
    assert!(
        is_receipt(&receipt),
        "{tag}: receipt {receipt:?} is 4 groups of 4 digits"
    );

    // What was stored is what was typed.
    let tip_id = vigil_core::receipts::open(&j.app.vigil.intake.receipts, &receipt, None)
        .await
        .expect("the receipt opens the tip");
    let store = &j.app.vigil.store;
    let tip = store.tip(tip_id).await.expect("the tip");
    assert_eq!(tip.text, TEXT, "{tag}: the Khmer text arrived intact");
    assert_eq!(tip.category, Category::Trafficking);
    assert_eq!(tip.language.as_deref(), Some("km"));
    assert!(tip.danger.held && tip.danger.passports_taken);
    assert!(!tip.danger.violence && !tip.danger.children);
    let loc = &tip.location;
    assert_eq!(loc.province_code.as_deref(), Some(PROVINCE));
    assert_eq!(loc.district_code.as_deref(), Some(district.as_str()));
    assert_eq!(loc.commune_code.as_deref(), Some(commune.as_str()));
    assert_eq!(loc.village_code.as_deref(), Some(village.as_str()));
    assert_eq!(loc.place.as_deref(), Some(PLACE));
    assert_eq!(
        (loc.lat, loc.lon),
        (None, None),
        "{tag}: the photo's GPS was not used unasked"
    );
    assert_eq!(
        store.attachments(tip_id).await.expect("attachments").len(),
        1,
        "{tag}: one photo"
    );

    // Follow up: the link on the receipt page, the receipt typed as shown.
    click_and_load(c, "a.button[href='/km/follow-up']").await;
    find(c, "#receipt")
        .await
        .send_keys(&receipt)
        .await
        .expect("type the receipt");
    click_and_load(c, "#open").await;
    let status = text_of(c, "#status").await;
    assert!(
        status.starts_with(RECEIVED_KM),
        "{tag}: status {status:?} is Khmer 'received'"
    );
    assert!(exists(c, "#thread-empty").await, "{tag}: no messages yet");

    // Send a message with a photo.
    find(c, "#body")
        .await
        .send_keys(MESSAGE)
        .await
        .expect("type the message");
    find(c, "#reply-form #photos")
        .await
        .send_keys(&j.photo.to_string_lossy())
        .await
        .expect("attach to the message");
    click_and_load(c, "#reply-form #send").await;
    let items = c
        .find_all(Locator::Css("#thread li"))
        .await
        .expect("thread");
    assert_eq!(items.len(), 1, "{tag}: the thread shows the message");
    assert_eq!(
        items[0].attr("class").await.expect("class").as_deref(),
        Some("mine")
    );
    assert_eq!(
        text_of(c, "#thread li .body").await,
        MESSAGE,
        "{tag}: the message as sent"
    );
    assert!(!exists(c, "#thread-empty").await);
    assert!(text_of(c, "#status").await.starts_with(RECEIVED_KM));

    let thread = vigil_core::followup::thread_of(&j.app.vigil.intake, tip_id)
        .await
        .expect("thread");
    assert_eq!(thread.report_photos, 1);
    assert_eq!(thread.messages.len(), 1, "{tag}: one message stored");
    let m = &thread.messages[0];
    assert!(m.from_reporter);
    assert_eq!(m.body, MESSAGE);
    assert_eq!(m.photos, 1, "{tag}: the message's photo was stored");
}

/// Runs one journey in its own task so that a failed assertion still closes the
/// browser; saves a screenshot of the page it failed on.
async fn run(driver: &Driver, chromium: &Path, j: Journey, shots: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let tag = format!("{:?}-js-{}", j.backend, if j.js { "on" } else { "off" });
    let client = browser(driver, chromium, profile.path(), j.js).await;
    let started = Instant::now();
    let outcome = tokio::spawn(journey(client.clone(), j)).await;
    if outcome.is_err() {
        let path = shots.join(format!("browser-failed-{tag}.png"));
        if let Ok(png) = client.screenshot().await
            && std::fs::write(&path, png).is_ok()
        {
            eprintln!("the page it failed on: {}", path.display());
        }
        if let Ok(url) = client.current_url().await {
            eprintln!("at {url}");
        }
    }
    let _ = client.close().await;
    match outcome {
        Ok(()) => eprintln!("{tag}: passed in {:.1} s", started.elapsed().as_secs_f64()),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("{tag}: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn khmer_report_and_follow_up_in_chromium_with_and_without_javascript() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let files = tempfile::tempdir().expect("temp dir");
    let photo = files.path().join("photo.jpg");
    std::fs::write(&photo, JPEG).expect("write the photo");

    let driver = Driver::start(&driver_exe);
    for backend in backends() {
        let app = Arc::new(TestApp::new(backend, |_settings| {}).await);
        let server = app.spawn().await;
        for js in [true, false] {
            let j = Journey {
                backend,
                js,
                base: server.url.clone(),
                app: app.clone(),
                photo: photo.clone(),
                screenshot: (js && backend == Backend::Sqlite)
                    .then(|| shots.join("browser-km-form.png")),
            };
            run(&driver, &chromium, j, &shots).await;
        }
        drop(server);
    }
}
