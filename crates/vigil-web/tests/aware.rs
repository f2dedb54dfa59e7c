//! The help pages through the router: every page in every language, with
//! its title and heading from the catalogue, small and self-contained; the
//! hotlines of the settings as `tel:` links; the licensed agencies with and
//! without the ministry's file, searched with JavaScript off (`?q=`); an
//! unknown language is the 404 page. The pages read no stored data, so one
//! backend (SQLite) is enough.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use vigil_core::settings::Hotline;
use vigil_testkit::{Backend, TestApp};
use vigil_web::I18n;
use vigil_web::i18n::LOCALES;

/// Every help page: (path below `/{lang}`, message id of its title).
const PAGES: [(&str, &str); 5] = [
    ("help", "aware-index-title"),
    ("help/jobs", "aware-jobs-title"),
    ("help/fakes", "aware-fakes-title"),
    ("help/held", "aware-held-title"),
    ("help/report", "aware-report-title"),
];

const MAX_PAGE: usize = 50 * 1024;

/// The ministry's list as a deployment would configure it (invented
/// agencies, for the test only).
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

[[agency]]
name = "Never Shown Example"
licence = "T-0003"
province = "12"
phone = "023 000 000"
example = true
"#;

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = app
        .router()
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8(body.to_vec()).expect("utf-8"))
}

/// Text as askama writes it into HTML.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn message(i18n: &I18n, lang: &str, id: &str) -> String {
    let m = i18n.format(lang, id, &[]);
    assert_ne!(m, id, "{lang} has {id}");
    escaped(&m)
}

async fn app(tweak: impl FnOnce(&mut vigil_core::Settings)) -> TestApp {
    TestApp::new(Backend::Sqlite, tweak).await
}

/// Every `src`/`href`/`action` target and `url(…)` of a page that names a host.
fn foreign_references(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\"", "action=\"", "url("] {
        for (i, _) in page.match_indices(attr) {
            let target = &page[i + attr.len()..];
            let target = target.trim_start_matches(['\'', '"']);
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("//")
            {
                found.push(target.chars().take(60).collect());
            }
        }
    }
    found
}

#[tokio::test]
async fn every_help_page_answers_in_every_language() {
    let app = app(|_| {}).await;
    let i18n = I18n::load().expect("catalogues");
    for (lang, _, _) in LOCALES {
        for (path, title_id) in PAGES {
            let url = format!("/{lang}/{path}");
            let (status, page) = get(&app, &url).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            let title = message(&i18n, lang, title_id);
            assert!(
                page.contains(&format!("<title>{title} · ")),
                "{url}: the title {title:?}"
            );
            assert!(
                page.contains(&format!("<h1>{title}</h1>")),
                "{url}: the heading {title:?}"
            );
            assert!(
                page.contains(&format!("<html lang=\"{lang}\">")),
                "{url}: the lang attribute"
            );
            assert!(page.len() < MAX_PAGE, "{url}: {} bytes", page.len());
            eprintln!("{url}: {} bytes", page.len());
            assert_eq!(foreign_references(&page), Vec::<String>::new(), "{url}");
            for nav in ["nav-help", "nav-check"] {
                assert!(page.contains(&message(&i18n, lang, nav)), "{url}: {nav}");
            }
            assert!(page.contains(&format!("href=\"/{lang}/help\"")), "{url}");
            assert!(page.contains(&format!("href=\"/{lang}/check\"")), "{url}");
            assert!(
                page.contains(&format!("href=\"/{lang}/\"")),
                "{url}: report"
            );
        }
        let (_, index) = get(&app, &format!("/{lang}/help")).await;
        for (path, title_id) in &PAGES[1..] {
            assert!(
                index.contains(&format!("href=\"/{lang}/{path}\"")),
                "{lang}: the index links {path}"
            );
            assert!(index.contains(&message(&i18n, lang, title_id)));
        }
    }
}

#[tokio::test]
async fn the_pages_are_in_their_own_language() {
    let app = app(|_| {}).await;
    let i18n = I18n::load().expect("catalogues");
    let english = message(&i18n, "en", "aware-test-codeword");
    for (lang, _, _) in LOCALES.iter().filter(|(l, _, _)| *l != "en") {
        let (_, page) = get(&app, &format!("/{lang}/help/fakes")).await;
        assert!(page.contains(&message(&i18n, lang, "aware-test-codeword")));
        assert!(!page.contains(&english), "{lang} is not an English copy");
    }
    let (_, jobs) = get(&app, "/km/help/jobs").await;
    let cash = escaped(&i18n.format("km", "aware-exit-cash", &[("amount", "50".into())]));
    assert!(jobs.contains(&cash), "the exit warning names its amount");
}

#[tokio::test]
async fn an_unknown_language_is_not_found() {
    let app = app(|_| {}).await;
    for (path, _) in PAGES {
        let (status, page) = get(&app, &format!("/xx/{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/xx/{path}");
        assert!(page.contains("<html lang=\"km\">"), "the 404 page");
    }
    let (status, _) = get(&app, "/en/help/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_hotlines_of_the_settings_are_links_to_call() {
    let app = app(|s| {
        s.public.hotlines = vec![
            Hotline {
                key: String::new(),
                name: "Provincial police, Preah Sihanouk".into(),
                number: "034 000 800".into(),
            },
            Hotline {
                key: String::new(),
                name: "Embassy line".into(),
                number: "+855 12 345 678".into(),
            },
        ];
    })
    .await;
    for (lang, _, _) in LOCALES {
        let (status, page) = get(&app, &format!("/{lang}/help/held")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<a class=\"button\" href=\"tel:034000800\">034 000 800</a> Provincial police, Preah Sihanouk"), "{lang}");
        assert!(
            page.contains("href=\"tel:+85512345678\">+855 12 345 678</a> Embassy line"),
            "{lang}"
        );
        assert!(
            !page.contains("tel:117"),
            "{lang}: only the hotlines configured"
        );
        assert!(page.contains(&format!("href=\"/{lang}/follow-up\"")));
    }
    let defaults = self::app(|_| {}).await;
    let (_, page) = get(&defaults, "/en/help/held").await;
    assert!(page.contains("href=\"tel:117\">117</a> Police"), "{page}");
    assert!(page.contains("href=\"tel:1288\">1288</a>"));
    // The default hotlines are named in the reader's language.
    let (_, page) = get(&defaults, "/km/help/held").await;
    assert!(page.contains("href=\"tel:117\">117</a> នគរបាល"), "{page}");
    assert!(!page.contains("Anti-human-trafficking"), "{page}");
}

#[tokio::test]
async fn without_the_ministry_s_file_the_reader_is_sent_to_ask_the_ministry() {
    let app = app(|_| {}).await;
    let i18n = I18n::load().expect("catalogues");
    for q in ["", "?q=", "?q=Mekong", "?q=%E1%9E%98%E1%9F%81"] {
        let (status, page) = get(&app, &format!("/km/help/jobs{q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert!(
            page.contains(&message(&i18n, "km", "aware-agency-ask")),
            "{q}"
        );
        assert!(!page.contains("id=\"agency-search\""), "no list to search");
        assert!(!page.contains("class=\"agency\""));
    }
}

#[tokio::test]
async fn the_ministry_s_agencies_are_listed_and_searched_without_javascript() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("agencies.toml");
    std::fs::write(&file, AGENCIES).expect("write");
    let path = file.display().to_string();
    let app = app(move |s| s.public.agencies_file = path).await;
    let i18n = I18n::load().expect("catalogues");

    let licences = |page: &str| -> Vec<String> {
        page.match_indices("data-licence=\"")
            .map(|(i, m)| {
                let rest = &page[i + m.len()..];
                rest[..rest.find('"').expect("closed")].to_string()
            })
            .collect()
    };
    let search = |q: &'static str| {
        let app = &app;
        async move {
            let (status, page) = get(app, &format!("/en/help/jobs?q={q}")).await;
            assert_eq!(status, StatusCode::OK, "{q}");
            page
        }
    };

    let (_, all) = get(&app, "/en/help/jobs").await;
    assert_eq!(
        licences(&all),
        ["T-0001", "T-0002"],
        "examples are not shown"
    );
    assert!(all.contains("<form method=\"get\" action=\"/en/help/jobs#agencies\""));
    assert!(all.contains("href=\"tel:+85523111222\">+855 23 111 222</a>"));
    assert!(
        all.contains("Siemreap"),
        "the province by its gazetteer name"
    );
    let source = i18n.format(
        "en",
        "aware-agency-source",
        &[
            (
                "source",
                "Ministry of Labour and Vocational Training".into(),
            ),
            ("updated", "2026-11-02".into()),
        ],
    );
    assert!(
        all.contains(&escaped(&source)),
        "names the list's source and date"
    );
    assert!(!all.contains(&message(&i18n, "en", "aware-agency-ask")));

    assert_eq!(licences(&search("mekong").await), ["T-0001"]);
    assert_eq!(licences(&search("ANGKOR+recruitment").await), ["T-0002"]);
    assert_eq!(licences(&search("t0002").await), ["T-0002"]);
    assert_eq!(licences(&search("023+111+222").await), ["T-0001"]);
    // Khmer as written: មេគង្គ, and ០៦៣ (Khmer digits) for a phone.
    let khmer = "%E1%9E%98%E1%9F%81%E1%9E%82%E1%9E%84%E1%9F%92%E1%9E%82";
    assert_eq!(licences(&search(khmer).await), ["T-0001"]);
    assert_eq!(
        licences(&search("%E1%9F%A0%E1%9F%A6%E1%9F%A3").await),
        ["T-0002"]
    );
    let (_, km) = get(
        &app,
        "/km/help/jobs?q=%E1%9E%9F%E1%9F%80%E1%9E%98%E1%9E%9A%E1%9E%B6%E1%9E%94",
    )
    .await;
    assert_eq!(licences(&km), ["T-0002"], "សៀមរាប, the province in Khmer");
    assert!(km.contains("សៀមរាប"));

    let none = search("Never+Shown").await;
    assert!(licences(&none).is_empty());
    let expected = escaped(&i18n.format(
        "en",
        "aware-agency-none",
        &[("query", "Never Shown".into())],
    ));
    assert!(none.contains(&expected), "says nothing matched");
    assert!(
        none.contains("value=\"Never Shown\""),
        "keeps what was typed"
    );

    let hostile = search("%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!hostile.contains("<script>alert"), "the query is escaped");

    std::fs::write(&file, AGENCIES.replace("\"17\"", "\"99\"")).expect("break the file");
    let (status, broken) = get(&app, "/en/help/jobs?q=mekong").await;
    assert_eq!(status, StatusCode::OK, "the advice is still shown");
    assert!(broken.contains(&message(&i18n, "en", "aware-agency-unavailable")));
    assert!(licences(&broken).is_empty(), "no partial list");
}
