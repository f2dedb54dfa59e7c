//! A police officer's raid in Khmer on a phone, in Debian's Chromium with
//! JavaScript on and the window 360 px wide: she signs in, plans the raid
//! by choosing the province, district and commune by their Khmer names (the
//! commune list filled by the page's script) and ticking the facility by
//! its name, records a victim met there and seizes a phone. What she reads
//! afterwards names the place in Khmer, the facility by name, the person
//! and the phone with its item number; no page is wider than the window,
//! and none shows an English catalogue message.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use time::OffsetDateTime;
use vigil_core::Vigil;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Location, Role};
use vigil_testkit::{Backend, TestApp};

use staffkit::{code_for, enrolled, tip_at};
use support::{
    Driver, browser, click_and_load, exists, find, page_and_window_width, sign_in, text_of, tools,
    wait_for,
};

/// What the reporters call the compound (so the facility's name).
const WORDS: &str = "កាស៊ីណូនាគមាស";

const PROVINCE: &str = "02";

fn km(code: &str) -> String {
    gazetteer().get(code).expect("known").name_km.clone()
}

/// The messages an English reader would see on these pages, as the English
/// catalogues write them: the operation, persons, custody and staff
/// messages and the place pickers' words. Only those different in Khmer
/// and long enough not to be a code or a name are kept.
fn english_messages() -> Vec<(String, String)> {
    let catalogue = |src: &'static str, prefixes: &[&str]| -> Vec<(String, String)> {
        src.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(" = "))
            .filter(|(id, _)| prefixes.iter().any(|p| id.starts_with(p)))
            .map(|(id, v)| {
                // The words before the first argument.
                let words = v.split('{').next().unwrap_or_default().trim();
                (id.to_string(), words.to_string())
            })
            .collect()
    };
    let khmer = [
        include_str!("../locales/operations/km.ftl"),
        include_str!("../locales/staff/km.ftl"),
        include_str!("../locales/km.ftl"),
    ]
    .concat();
    let in_khmer = |id: &str| -> Option<String> {
        khmer
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{id} = ")).map(str::to_string))
    };
    let mut all = catalogue(include_str!("../locales/operations/en.ftl"), &["opsx-"]);
    all.extend(catalogue(
        include_str!("../locales/staff/en.ftl"),
        &[
            "ops-",
            "persons-",
            "custody-",
            "opf-",
            "item-kind-",
            "staff-",
            "case-",
        ],
    ));
    all.extend(catalogue(
        include_str!("../locales/en.ftl"),
        &[
            "choose",
            "field-province",
            "field-district",
            "field-commune",
        ],
    ));
    all.into_iter()
        .filter(|(_, words)| words.chars().filter(|c| c.is_alphabetic()).count() >= 5)
        .filter(|(id, words)| in_khmer(id).is_some_and(|k| !k.contains(words.as_str())))
        .collect()
}

/// The page is no wider than the 360 px window, and reads in Khmer.
async fn fits_in_khmer(c: &Client, what: &str, english: &[(String, String)]) {
    let (page, window) = page_and_window_width(c).await;
    eprintln!("{what}: {page} px wide in a {window} px window");
    assert!(window <= 361.0, "the window is a phone's: {window}");
    if page > window + 1.0 {
        // What sticks out, to say where the page is too wide.
        let wide = c
            .execute(
                "return Array.from(document.querySelectorAll('body *'))\
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)\
                 .slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + \
                 Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .expect("wide elements");
        panic!("{what}: {page} px wide in {window} px: {wide}");
    }
    let text = c
        .execute("return document.body.innerText;", vec![])
        .await
        .expect("text");
    let text = text.as_str().unwrap_or_default();
    let found: Vec<&(String, String)> = english
        .iter()
        .filter(|(_, words)| as_words(text, words))
        .collect();
    let around = |w: &str| {
        let at = text.find(w).unwrap_or_default();
        let before: String = text[..at].chars().rev().take(40).collect();
        let after: String = text[at..].chars().take(w.chars().count() + 40).collect();
        format!("{}{after}", before.chars().rev().collect::<String>())
    };
    assert!(
        found.is_empty(),
        "{what} shows English: {found:?} in {:?}",
        found.first().map(|(_, w)| around(w))
    );
    assert_eq!(
        find(c, "html")
            .await
            .attr("lang")
            .await
            .expect("lang")
            .as_deref(),
        Some("km")
    );
}

/// Whether `words` stand in `text` as words of their own (not inside a
/// longer word or a typed value such as `national_id`).
fn as_words(text: &str, words: &str) -> bool {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(words).any(|(at, _)| {
        !part(text[..at].chars().next_back()) && !part(text[at + words.len()..].chars().next())
    })
}

/// A facility the pipeline made of two tips that call it by the same words
/// and share a phone, in a commune of the province.
async fn facility(v: &Vigil, district: &str, commune: &str) -> i64 {
    let mut tip = None;
    for text in [
        "people held in the compound, call +855 12 777 431",
        "they took our passports, the boss answers +855 12 777 431",
    ] {
        let (t, _) = tip_at(
            v,
            Location {
                province_code: Some(PROVINCE.into()),
                district_code: Some(district.into()),
                commune_code: Some(commune.into()),
                place: Some(WORDS.into()),
                ..Location::default()
            },
            text,
        )
        .await;
        tip = Some(t);
    }
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    v.store
        .facility_of(tip.expect("a tip"))
        .await
        .expect("of")
        .expect("facility")
        .0
}

/// A 15-digit IMEI with its Luhn check digit.
fn imei() -> String {
    let base = "35209900176148";
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_plans_a_raid_by_names_in_khmer_at_360_px() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let g = gazetteer();
    let district = g
        .children(PROVINCE)
        .nth(1)
        .expect("a district")
        .code
        .clone();
    let commune = g
        .children(&district)
        .nth(1)
        .expect("a commune")
        .code
        .clone();
    let facility = facility(v, &district, &commune).await;

    let secret = enrolled(
        v,
        "srey",
        "Srey",
        Role::Officer,
        Jurisdiction::Provinces(vec![PROVINCE.into()]),
    )
    .await;

    let english = english_messages();
    assert!(
        english.len() > 50,
        "the English messages: {}",
        english.len()
    );
    let phone = imei();
    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    c.set_window_size(360, 1400).await.expect("a phone's width");
    let base = server.url.clone();
    let journey = async {
        c.goto(&format!("{base}/staff/operations?lang=km"))
            .await
            .expect("goto");
        sign_in(&c, "srey", "a long staff password", || {
            code_for(&secret, "srey", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;
        c.goto(&format!("{base}/staff/operations?lang=km"))
            .await
            .expect("goto");
        wait_for(&c, "#plan-form").await;
        fits_in_khmer(&c, "the planning form", &english).await;

        // What she types, in Khmer.
        for (field, text) in [
            ("#ref", "OP-2026-051"),
            ("#title", "វាយឆ្មក់កាស៊ីណូនាគមាស"),
            ("#lead_agency", "នគរបាលប្រឆាំងការជួញដូរមនុស្ស"),
            ("#place", "អគារខាងក្រោយកាស៊ីណូ"),
        ] {
            find(&c, field).await.send_keys(text).await.expect("type");
        }
        // The place by its Khmer names: the commune list is filled by the
        // page's script once the district is chosen.
        find(&c, "#province_code")
            .await
            .select_by_label(&km(PROVINCE))
            .await
            .expect("the province by name");
        find(&c, "#district_code")
            .await
            .select_by_label(&km(&district))
            .await
            .expect("the district by name");
        wait_for(&c, &format!("#commune_code option[value=\"{commune}\"]")).await;
        find(&c, "#commune_code")
            .await
            .select_by_label(&km(&commune))
            .await
            .expect("the commune by name");
        // The facility ticked by its name.
        let choice = c
            .find(Locator::XPath(&format!(
                "//label[contains(@class, 'facility-choice')][.//span[@class='facility-name' and .='{WORDS}']]//input"
            )))
            .await
            .expect("the facility offered by its name");
        assert_eq!(
            choice.attr("value").await.expect("value"),
            Some(facility.to_string())
        );
        choice.click().await.expect("tick");
        // What she saw, kept to look at.
        if let Ok(png) = c.screenshot().await {
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-officer-plan.png");
            let _ = std::fs::write(&out, png);
        }
        click_and_load(&c, "#plan-submit").await;

        // The operation's page: the place in Khmer, the facility by name.
        assert!(text_of(&c, "#op-ref").await.contains("OP-2026-051"));
        let place = text_of(&c, "#op-place").await;
        for code in [PROVINCE, district.as_str(), commune.as_str()] {
            assert!(place.contains(&km(code)), "{place}");
            assert!(!place.contains(code), "{place}");
        }
        assert_eq!(text_of(&c, "#op-facilities").await, WORDS);
        fits_in_khmer(&c, "the operation's page", &english).await;

        // A victim met there.
        find(&c, "#p_role")
            .await
            .select_by_value("victim")
            .await
            .expect("role");
        for (field, text) in [
            ("#p_nationality", "KH"),
            ("#p_given", "សុខា"),
            ("#p_family", "ចាន់"),
        ] {
            find(&c, field).await.send_keys(text).await.expect("type");
        }
        let old = find(&c, "html").await;
        find(&c, "#person-submit").await.click().await.expect("add");
        wait_gone(old).await;
        assert!(
            !exists(&c, "#person-error").await,
            "{}",
            text_of(&c, "main").await
        );
        assert!(exists(&c, "#person-added").await);
        let persons = text_of(&c, "#persons-met").await;
        assert!(persons.contains("សុខា"), "{persons}");
        fits_in_khmer(&c, "the operation with a person", &english).await;

        // A phone seized.
        find(&c, "#lines")
            .await
            .send_keys(&phone)
            .await
            .expect("type");
        let old = find(&c, "html").await;
        find(&c, "#scan-submit").await.click().await.expect("seize");
        wait_gone(old).await;
        assert!(
            !exists(&c, "#scan-error").await,
            "{}",
            text_of(&c, "main").await
        );
        let rows = c
            .find_all(Locator::Css("#items tbody tr[data-item]"))
            .await
            .expect("rows");
        assert_eq!(rows.len(), 1);
        let id = rows[0]
            .attr("data-item")
            .await
            .expect("attr")
            .expect("an item");
        let number = rows[0]
            .find(Locator::Css("td.item-number a"))
            .await
            .expect("its number");
        assert_eq!(number.text().await.expect("text").trim(), id);
        assert_eq!(
            number.attr("href").await.expect("href"),
            Some(format!("/staff/items/{id}"))
        );
        let row = rows[0].text().await.expect("text");
        assert!(row.contains(&phone), "{row}");
        fits_in_khmer(&c, "the operation with a phone", &english).await;
        c.execute(
            "document.getElementById('op-ref').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll");
        if let Ok(png) = c.screenshot().await {
            let out =
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-officer-operation.png");
            let _ = std::fs::write(&out, png);
        }

        // Its custody report, found by its number.
        click_and_load(&c, "#items td.item-number a").await;
        assert_eq!(text_of(&c, "#item-number").await, id);
        assert!(text_of(&c, "main").await.contains(&phone));
        fits_in_khmer(&c, "the item's page", &english).await;
        // The same page in English shows those messages: the check sees them.
        let item_page = c.current_url().await.expect("url");
        c.goto(&format!(
            "{}?lang=en",
            item_page.as_str().split('?').next().unwrap_or_default()
        ))
        .await
        .expect("in English");
        let text = c
            .execute("return document.body.innerText;", vec![])
            .await
            .expect("text");
        let text = text.as_str().unwrap_or_default();
        assert!(english.iter().any(|(_, w)| as_words(text, w)), "{text}");
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(180), journey).await;
    if outcome.is_err() || std::thread::panicking() {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-officer-failed.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
    }
    let _ = c.close().await;
    outcome.expect("the raid was recorded in time");
}

/// Waits until `old` (the page before a form was sent) is replaced.
async fn wait_gone(old: fantoccini::elements::Element) {
    let start = std::time::Instant::now();
    while old.tag_name().await.is_ok() {
        assert!(start.elapsed() < support::WAIT, "no new page");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
