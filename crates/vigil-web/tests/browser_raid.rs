//! A raid recorded in Debian's Chromium with the keyboard only: an officer
//! signs in with a password and an authenticator code, plans an operation
//! against a facility the pipeline made, types 50 phones' IMEIs into the
//! scanner box the way a barcode scanner does (each followed by Enter),
//! seizes them with Tab then Enter, opens one item's custody report, hands
//! it over, and prints the report to PDF through WebDriver.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;
use std::time::Instant;

use fantoccini::Client;
use fantoccini::Locator;
use fantoccini::key::Key;
use fantoccini::wd::PrintConfiguration;
use time::OffsetDateTime;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Location, Role};
use vigil_testkit::{Backend, TestApp};

use staffkit::{code_for, tip_at};
use support::{Driver, browser, exists, find, page_and_window_width, text_of, tools, wait_for};

/// Types into whatever has the focus, as a person (or a scanner) does.
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

/// Waits until the page at hand is no longer `old` (a form was submitted by
/// a key press), then that the new page shows no error.
async fn wait_replaced(c: &Client, old: fantoccini::elements::Element, what: &str) {
    let start = Instant::now();
    loop {
        match old.tag_name().await {
            Err(e) if e.is_stale_element_reference() || e.is_no_such_element() => break,
            Err(e) if e.to_string().contains("does not belong to the document") => break,
            Err(e) => panic!("after {what}: {e}"),
            Ok(_) => {}
        }
        assert!(start.elapsed() < support::WAIT, "{what} loaded no new page");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for error in ["#form-error", "#scan-error", "#transfer-error"] {
        assert!(
            !exists(c, error).await,
            "after {what} the page shows an error: {}",
            text_of(c, error).await
        );
    }
}

/// A 15-digit IMEI with its Luhn check digit.
fn imei(n: usize) -> String {
    let base = format!("35{:012}", 731_000 + n);
    let sum: u32 = base
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// Luhn over all 15 digits, as a check on the generator.
fn luhn_ok(s: &str) -> bool {
    let sum: u32 = s
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    s.len() == 15 && sum.is_multiple_of(10)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_records_a_raid_of_50_phones_and_prints_a_custody_report() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;

    // A facility in Battambang (02), made by the pipeline from a tip.
    let district = gazetteer()
        .children("02")
        .next()
        .expect("a district")
        .code
        .clone();
    let (tip, _) = tip_at(
        v,
        Location {
            province_code: Some("02".into()),
            district_code: Some(district.clone()),
            ..Location::default()
        },
        "scam compound behind the casino, people held, call +855 12 345 678",
    )
    .await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let facility = v
        .store
        .facility_of(tip)
        .await
        .expect("of")
        .expect("facility");

    // An officer for the province, enrolled with an authenticator.
    let secret = staffkit::enrolled(
        v,
        "vanna",
        "Vanna",
        Role::Officer,
        Jurisdiction::Provinces(vec!["02".into()]),
    )
    .await;

    let imeis: Vec<String> = (0..50).map(imei).collect();
    assert!(imeis.iter().all(|i| luhn_ok(i)), "the IMEIs are Luhn-valid");

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    let base = server.url.clone();
    let journey = async {
        // Sign in: username, Tab, password, Enter; then the code and Enter.
        c.goto(&format!("{base}/staff/operations?lang=en"))
            .await
            .expect("goto");
        assert!(exists(&c, "#login-form").await, "sent to sign in");
        find(&c, "#username")
            .await
            .send_keys("vanna")
            .await
            .expect("type");
        let old = find(&c, "html").await;
        keys(&c, &format!("{}a long staff password{}", tab(), enter())).await;
        wait_replaced(&c, old, "the password").await;
        let code = code_for(&secret, "vanna", OffsetDateTime::now_utc().unix_timestamp());
        let old = find(&c, "html").await;
        find(&c, "#code")
            .await
            .send_keys(&format!("{code}{}", enter()))
            .await
            .expect("type");
        wait_replaced(&c, old, "the code").await;
        assert!(text_of(&c, "#who").await.contains("Vanna"));

        // Plan the operation from the keyboard.
        c.goto(&format!("{base}/staff/operations?lang=en"))
            .await
            .expect("goto");
        wait_for(&c, "#plan-form").await;
        find(&c, "#ref").await.click().await.expect("focus ref");
        keys(
            &c,
            &format!(
                "OP-2026-031{t}Raid on the casino compound{t}Anti-Human Trafficking Police{t}Immigration",
                t = tab()
            ),
        )
        .await;
        assert_eq!(focused(&c).await, "partners");
        // The place from its lists (the district's filled by the page's
        // script once the province is chosen), the facility ticked by name.
        find(&c, "#province_code")
            .await
            .select_by_value("02")
            .await
            .expect("the province");
        wait_for(&c, &format!("#district_code option[value=\"{district}\"]")).await;
        find(&c, "#district_code")
            .await
            .select_by_value(&district)
            .await
            .expect("the district");
        find(&c, "#place")
            .await
            .send_keys("Compound behind the casino")
            .await
            .expect("type");
        find(&c, &format!("#facility-{}", facility.0))
            .await
            .click()
            .await
            .expect("tick the facility");
        find(&c, "#place").await.click().await.expect("focus place");
        let old = find(&c, "html").await;
        keys(&c, &enter()).await;
        wait_replaced(&c, old, "planning").await;
        assert!(
            text_of(&c, "#op-ref").await.contains("OP-2026-031"),
            "on the operation's page"
        );
        assert!(
            exists(
                &c,
                &format!("#op-facilities a[data-facility=\"{}\"]", facility.0)
            )
            .await
        );
        assert!(exists(&c, "#no-items").await);

        // The scanner: the box has the focus; each IMEI then Enter.
        assert_eq!(focused(&c).await, "lines", "the scanner box has the focus");
        let started = Instant::now();
        for i in &imeis {
            keys(&c, &format!("{i}{}", enter())).await;
        }
        let typing = started.elapsed();
        eprintln!(
            "typing 50 IMEIs as a scanner (each then Enter) took {:.1} s",
            typing.as_secs_f64()
        );
        // Tab then Enter seizes them, as the page's hint says.
        assert!(
            text_of(&c, "#scan-form .hint")
                .await
                .contains("press Tab then Enter")
        );
        keys(&c, &tab()).await;
        assert_eq!(focused(&c).await, "scan-submit");
        let old = find(&c, "html").await;
        keys(&c, &enter()).await;
        wait_replaced(&c, old, "seizing").await;
        assert_eq!(text_of(&c, "#notice").await, "50 items seized.");
        let rows = c
            .find_all(Locator::Css("#items tbody tr[data-item]"))
            .await
            .expect("rows");
        assert_eq!(rows.len(), 50);
        let table = text_of(&c, "#items").await;
        for i in &imeis {
            assert!(table.contains(i.as_str()), "{i} is listed");
        }

        // One item's custody report.
        let first = rows[0]
            .find(Locator::Css("td.item-ref a"))
            .await
            .expect("link");
        let reference = first.text().await.expect("text");
        let old = find(&c, "html").await;
        first.click().await.expect("open the item");
        wait_replaced(&c, old, "opening the item").await;
        assert_eq!(text_of(&c, "#item-ref").await, reference.trim());
        assert!(text_of(&c, "#chain-verified").await.contains("1 entries"));
        assert!(text_of(&c, "main, body").await.contains(imeis[0].as_str()));

        // A hand-over by keyboard: "to" has the focus, "from" is the holder.
        assert_eq!(focused(&c).await, "to");
        let old = find(&c, "html").await;
        keys(
            &c,
            &format!(
                "evidence.room{t}Provincial police evidence room{t}storage{e}",
                t = tab(),
                e = enter()
            ),
        )
        .await;
        wait_replaced(&c, old, "the hand-over").await;
        assert!(text_of(&c, "#chain-verified").await.contains("2 entries"));
        assert_eq!(text_of(&c, "#holder").await, "evidence.room");
        let step1 = text_of(&c, "#chain tr[data-step=\"1\"]").await;
        let step2 = text_of(&c, "#chain tr[data-step=\"2\"]").await;
        assert!(step1.contains("vanna"), "{step1}");
        assert!(
            step2.contains("vanna") && step2.contains("evidence.room"),
            "{step2}"
        );
        assert!(step2.contains("Provincial police evidence room"));
        assert!(step2.contains("storage"));
        // On a phone the chain stacks its steps: nothing scrolls sideways.
        let item_page = c.current_url().await.expect("url");
        let size = c.get_window_size().await.expect("size");
        c.set_window_size(360, 900).await.expect("narrow");
        let mut in_khmer = item_page.clone();
        in_khmer.query_pairs_mut().append_pair("lang", "km");
        c.goto(in_khmer.as_str()).await.expect("in Khmer");
        let (page, window) = page_and_window_width(&c).await;
        assert!(
            page <= window + 1.0,
            "the custody chain at 360 px is {page} px wide"
        );
        c.set_window_size(size.0 as u32, size.1 as u32)
            .await
            .expect("wide again");
        let mut in_english = item_page.clone();
        in_english.query_pairs_mut().append_pair("lang", "en");
        c.goto(in_english.as_str()).await.expect("back");

        // Print it: WebDriver's Print Page renders with print media.
        // Headless Chromium now and then answers "Printing failed" to a
        // page that has just loaded; a second request prints it.
        let mut printed = Err(None);
        for _ in 0..3 {
            match c.print(PrintConfiguration::default()).await {
                Ok(pdf) => {
                    printed = Ok(pdf);
                    break;
                }
                Err(e) => {
                    printed = Err(Some(e));
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }
        let pdf = printed.expect("print the custody report");
        eprintln!("the printed custody report is {} bytes of PDF", pdf.len());
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        assert!(pdf.len() > 2_000, "a PDF with something in it");
        let pdf_out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-raid-custody.pdf");
        let _ = std::fs::write(&pdf_out, &pdf);
        // The print rules the PDF was rendered with hide the navigation and
        // the forms.
        let css = fetched_text(&c, &format!("{base}/static/staff.css")).await;
        let print_rules = css
            .split_once("@media print")
            .map(|(_, rest)| rest.split_once("\n}").map_or(rest, |(block, _)| block))
            .expect("print styles served");
        assert!(
            print_rules.contains(".noprint") && print_rules.contains("display: none"),
            "{print_rules}"
        );
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(180), journey).await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-raid-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the journey finished in time");
}

/// The text of a URL, fetched by the browser itself.
async fn fetched_text(c: &Client, url: &str) -> String {
    let v = c
        .execute_async(
            "const [u, done] = arguments; fetch(u).then(r => r.text()).then(done, e => done('ERR ' + e));",
            vec![serde_json::Value::String(url.to_string())],
        )
        .await
        .expect("fetch");
    v.as_str().unwrap_or_default().to_string()
}
