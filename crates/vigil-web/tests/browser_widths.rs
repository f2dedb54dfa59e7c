//! Every page on a phone: a small national demo is built, every role's
//! pages and the public pages are found by following links (one page of
//! each kind), and each is opened in Debian's Chromium at 360 px in Khmer;
//! none may be wider than the window (nothing scrolls sideways).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod crawl;
mod staffkit;
mod support;

use std::collections::BTreeSet;
use std::sync::Mutex;

use fantoccini::cookies::Cookie;
use staffkit::signed_in;
use vigil_demo::{Plan, Progress};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};

use crawl::{crawl, pattern};
use support::{Driver, browser, exists, page_and_window_width, tools};

struct Quiet(Mutex<u64>);

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, n: u64) {
        *self.0.lock().unwrap() += n;
    }
}

/// The innermost elements that reach past the window's right edge, as
/// `tag#id.class`, for the failure's message.
async fn overflowing(c: &fantoccini::Client) -> String {
    let v = c
        .execute(
            "const w = window.innerWidth; const out = [];
             for (const e of document.querySelectorAll('body *')) {
               if (e.getBoundingClientRect().right <= w + 1) continue;
               if ([...e.children].some(k => k.getBoundingClientRect().right > w + 1)) continue;
               out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')
                 + ' (' + Math.round(e.getBoundingClientRect().right) + ')');
               if (out.length >= 4) break;
             }
             return out.join(', ');",
            vec![],
        )
        .await
        .expect("overflowing");
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_in_khmer() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    vigil_demo::build(&app.vigil, &Plan::scaled(0.004), &Quiet(Mutex::new(0)))
        .await
        .expect("demo");

    // (session cookie, page): one page of each kind, found by whoever
    // reaches it first.
    let mut kinds = BTreeSet::new();
    let mut todo: Vec<(String, String)> = Vec::new();
    let public = [
        "/km",
        "/km/check",
        "/km/figures",
        "/km/follow-up",
        "/km/help",
    ];
    for p in crawl(&app, "", &public, 1).await {
        if p.status.is_success() && kinds.insert(pattern(&p.url)) {
            todo.push((String::new(), p.url));
        }
    }
    for role in Role::ALL {
        let (cookie, _) = signed_in(
            &app.vigil,
            &format!("phone.{role}"),
            role,
            Jurisdiction::National,
        )
        .await;
        for p in crawl(&app, &cookie, &["/staff/home"], 1).await {
            if p.status.is_success() && kinds.insert(pattern(&p.url)) {
                todo.push((cookie.clone(), p.url));
            }
        }
    }
    assert!(todo.len() > 40, "only {} kinds of page", todo.len());

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    c.set_window_size(360, 900).await.expect("a phone's width");
    let mut wide = Vec::new();
    let mut current = None::<String>;
    for (cookie, url) in &todo {
        if current.as_deref() != Some(cookie.as_str()) {
            c.goto(&format!("{}/staff/login", server.url))
                .await
                .expect("goto");
            c.delete_all_cookies().await.expect("cookies");
            if let Some(value) = cookie.strip_prefix("vigil_staff=") {
                let k = Cookie::parse(format!(
                    "vigil_staff={value}; Path=/staff; Domain=127.0.0.1; SameSite=Strict"
                ))
                .expect("a cookie");
                c.add_cookie(k).await.expect("session");
            }
            current = Some(cookie.clone());
        }
        c.goto(&format!("{}{url}", server.url)).await.expect("goto");
        if !cookie.is_empty() {
            assert!(!exists(&c, "#login-form").await, "{url} opens signed in");
        }
        let (page, window) = page_and_window_width(&c).await;
        if page > window + 1.0 {
            wide.push(format!(
                "{url}: {page} px in a {window} px window, past its edge: {}",
                overflowing(&c).await
            ));
        }
    }
    let _ = c.close().await;
    assert!(
        wide.is_empty(),
        "{} of {} pages scroll sideways at 360 px:\n{}",
        wide.len(),
        todo.len(),
        wide.join("\n")
    );
}
