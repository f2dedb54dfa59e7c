//! Staff search and an identifier's page through the router: one number
//! typed four ways gives the same count and the same first page; the "next
//! page" links (plain links, no script) walk every tip exactly once.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use staffkit::{call, get, signed_in, urlencode};
use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_domain::{Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role};
use vigil_testkit::TestApp;

const FORMATS: [&str; 4] = [
    "012 345 678",
    "+855 12 345 678",
    "012345678",
    "(+855) 12-345-678",
];

/// `data-tip` ids in the list that opens at `marker`, in order.
fn tips_in(body: &str, marker: &str) -> Vec<i64> {
    let rest = body.split_once(marker).map_or("", |(_, rest)| rest);
    let end = ["</ol>", "</ul>"]
        .iter()
        .filter_map(|t| rest.find(t))
        .min()
        .unwrap_or(rest.len());
    rest[..end]
        .split("data-tip=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

/// The `href` of the link with `id`, unescaped.
fn link(body: &str, id: &str) -> Option<String> {
    let (before, _) = body.split_once(&format!("id=\"{id}\""))?;
    let href = before.rsplit_once("href=\"")?.1.split('"').next()?;
    Some(
        href.replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&#x2B;", "+"),
    )
}

#[tokio::test]
async fn a_number_typed_four_ways_pages_the_same_and_every_tip_once() {
    let app = TestApp::new(vigil_testkit::Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let mut carrying = BTreeSet::new();
    for i in 0..64 {
        let text = if i % 8 == 7 {
            format!("Call 012 345 {:03} for the job, 345 678 people", 100 + i)
        } else {
            format!("The recruiter's number {} (tip {i})", FORMATS[i % 4])
        };
        let out = submit(
            &v.intake,
            TipRequest {
                tip: NewTip {
                    channel: Channel::Web,
                    category: Category::ScamCompound,
                    text,
                    location: Location {
                        province_code: Some("12".into()),
                        ..Location::default()
                    },
                    danger: DangerFlags::default(),
                    received_at: OffsetDateTime::now_utc(),
                    external_ref: None,
                    language: Some("en".into()),
                },
                photos: vec![],
                use_photo_location: false,
                client_ref: None,
            },
        )
        .await
        .expect("submit");
        if i % 8 != 7 {
            carrying.insert(out.tip_id.0);
        }
    }
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    vigil_core::search::reindex(&v.search, |_| {})
        .await
        .expect("index");
    let (cookie, _) = signed_in(v, "analyst", Role::Analyst, Jurisdiction::National).await;
    assert_eq!(carrying.len(), 56);

    let mut first_page: Option<(String, Vec<i64>)> = None;
    for q in FORMATS {
        let r = call(
            &app,
            get(
                &format!("/staff/search?lang=en&q={}", urlencode(q)),
                &cookie,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        let count = r
            .body
            .split_once("id=\"result-count\">")
            .and_then(|(_, rest)| rest.split_once('<'))
            .map(|(c, _)| c.to_string())
            .unwrap_or_default();
        assert!(count.contains("56"), "{q}: {count}");
        let page = tips_in(&r.body, "id=\"results\"");
        assert_eq!(page.len(), 50, "{q}");
        match &first_page {
            None => first_page = Some((count.clone(), page.clone())),
            Some((c, p)) => {
                assert_eq!(&count, c, "{q}: the same count");
                assert_eq!(&page, p, "{q}: the same first page");
            }
        }
        // Walk the pages by their links.
        let mut seen = page;
        assert!(link(&r.body, "first-page").is_none());
        let mut next = link(&r.body, "next-page");
        while let Some(href) = next {
            assert!(href.starts_with("/staff/search?q="), "{href}");
            let r = call(&app, get(&format!("{href}&lang=en"), &cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{href}");
            assert!(
                r.body.contains(&count),
                "the count on every page: {href} {}",
                &r.body[r.body.find("<main").unwrap_or(0)..]
                    [..1500.min(r.body.len() - r.body.find("<main").unwrap_or(0))]
            );
            assert!(link(&r.body, "first-page").is_some());
            seen.extend(tips_in(&r.body, "id=\"results\""));
            next = link(&r.body, "next-page");
        }
        let set: BTreeSet<i64> = seen.iter().copied().collect();
        assert_eq!(set.len(), seen.len(), "{q}: no tip twice");
        assert_eq!(set, carrying, "{q}: every tip");
    }

    // A cursor that is not one is refused, not a server error.
    let r = call(&app, get("/staff/search?lang=en&q=job&after=zz", &cookie)).await;
    assert!(r.status.is_client_error(), "{}", r.status);

    // The number's own page, newest first, by its "older tips" links.
    let mut path = "/staff/observables/phone/%2B85512345678?lang=en".to_string();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = call(&app, get(&path, &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let ids = tips_in(&r.body, "id=\"observable-tips\"");
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        assert!(ids.len() <= 50);
        seen.extend(ids);
        pages += 1;
        assert_eq!(pages > 1, link(&r.body, "newest-tips").is_some());
        match link(&r.body, "older-tips") {
            Some(href) => path = format!("{href}&lang=en"),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    let set: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(set.len(), seen.len());
    assert_eq!(set, carrying);
}
