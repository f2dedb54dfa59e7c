//! The accounts page in Debian's Chromium at 360 px with JavaScript off: an
//! admin signs in, lands on the accounts list, creates an account with the
//! form, and neither the list nor the form is wider than the phone.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use fantoccini::{Client, Locator};
use time::OffsetDateTime;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, staff_account};

use staffkit::code_for;
use support::{
    Driver, browser, click_and_load, exists, find, page_and_window_width, sign_in, tools,
};

const WIDTH: f64 = 360.0;

/// Every element matched by `css` ends within the narrow window.
async fn fits(c: &Client, css: &str) {
    let all = c.find_all(Locator::Css(css)).await.expect("find_all");
    assert!(!all.is_empty(), "no {css}");
    for e in all {
        let (x, _, w, _) = e.rectangle().await.expect("rect");
        assert!(
            x >= 0.0 && x + w <= WIDTH + 0.5,
            "{css} spans {x}..{} px",
            x + w
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accounts_page_fits_a_phone_without_javascript() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let secret = staffkit::enrolled(v, "root", "Root", Role::Admin, Jurisdiction::National).await;
    staff_account(
        v,
        "officer.with.a.rather.long.name",
        "ប្រធានក្រុមការងារស៊ើបអង្កេតខេត្តព្រះសីហនុ",
        Role::Officer,
        Jurisdiction::Provinces(vec!["02".into(), "12".into(), "18".into()]),
    )
    .await;

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), false).await;
    let base = server.url.clone();
    let journey = async {
        c.set_window_size(WIDTH as u32, 900).await.expect("narrow");
        c.goto(&format!("{base}/staff/home?lang=km"))
            .await
            .expect("goto");
        sign_in(&c, "root", "a long staff password", || {
            code_for(&secret, "root", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;
        assert!(exists(&c, "#accounts").await, "landed on the accounts");
        for css in ["main", "#accounts", "#accounts tr", "#new-account"] {
            fits(&c, css).await;
        }
        // The form works without JavaScript.
        find(&c, "#username")
            .await
            .send_keys("dara")
            .await
            .expect("type");
        find(&c, "#display_name")
            .await
            .send_keys("ដារា")
            .await
            .expect("type");
        click_and_load(&c, "#create").await;
        assert!(exists(&c, "#setup-link").await, "the setup link is shown");
        for css in ["main", "#created", "#accounts tr"] {
            fits(&c, css).await;
        }
        let (page, window) = page_and_window_width(&c).await;
        assert!(page <= window + 1.0, "{page} px on a {window} px window");
    };
    journey.await;
}
