//! The report form with JavaScript off in Chromium: a photo attached before
//! the reporter narrows the place is kept (said on the page, with a way to
//! remove it), the page comes back at the place, and the photo is stored
//! with the tip, without its metadata.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use vigil_core::intake::ATTACHMENT_PURPOSE;
use vigil_domain::TipId;
use vigil_testkit::{Backend, TestApp};

use support::{Driver, browser, click_and_load, exists, find, text_of, tools};

const JPEG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.jpg");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_attached_before_narrowing_reaches_the_tip_without_javascript() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let files = tempfile::tempdir().expect("files");
    let photo = files.path().join("photo.jpg");
    std::fs::write(&photo, JPEG).expect("write the photo");
    let c = browser(&driver, &chromium, profile.path(), false).await;

    c.goto(&format!("{}/km/", server.url)).await.expect("goto");
    find(&c, "#text")
        .await
        .send_keys("អគារពណ៌ខៀវ")
        .await
        .expect("type");
    find(&c, "#photos")
        .await
        .send_keys(&photo.to_string_lossy())
        .await
        .expect("attach");
    find(&c, "#province_code")
        .await
        .select_by_value("20")
        .await
        .expect("province");
    click_and_load(&c, "button.narrow").await;
    let url = c.current_url().await.expect("url");
    assert_eq!(url.fragment(), Some("where"), "back at the place: {url}");
    assert!(exists(&c, "#staged").await, "the photo is said to be kept");
    assert!(text_of(&c, "#staged").await.contains('1'));
    assert!(exists(&c, "#remove_staged").await, "and can be removed");

    find(&c, "#district_code")
        .await
        .select_by_value("2008")
        .await
        .expect("district");
    click_and_load(&c, "button.narrow").await;
    assert!(
        exists(&c, "#staged").await,
        "still kept after a second step"
    );
    click_and_load(&c, "#send").await;
    assert!(exists(&c, "#receipt").await, "the tip was sent");
    let _ = c.close().await;

    let tips = app
        .vigil
        .store
        .tips_after(TipId(0), 10)
        .await
        .expect("tips");
    assert_eq!(tips.len(), 1);
    let atts = app.vigil.store.attachments(tips[0].id).await.expect("atts");
    assert_eq!(
        atts.len(),
        1,
        "the photo attached before narrowing is stored"
    );
    let row = app.vigil.store.attachment(atts[0].id).await.expect("att");
    let plain = app
        .vigil
        .keys
        .open(ATTACHMENT_PURPOSE, &row.data_enc)
        .expect("open");
    assert!(!plain.windows(4).any(|w| w == b"Exif"), "EXIF removed");
}
