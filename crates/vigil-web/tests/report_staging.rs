//! The report form without JavaScript keeps attached photos across a
//! narrowing step: stripped of their metadata, staged under a token the form
//! carries, stored with the tip, and removed once used or an hour old.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use vigil_core::intake::ATTACHMENT_PURPOSE;
use vigil_domain::TipId;
use vigil_testkit::{TestApp, backends};

const JPEG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.jpg");

async fn post(app: &TestApp, fields: &[(&str, &str)], files: &[&[u8]]) -> (StatusCode, String) {
    let boundary = "----vigilStagingBoundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for data in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::post("/en/report")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    let res = app.router().oneshot(req).await.expect("infallible");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The staging token the form carries, if any.
fn token(html: &str) -> Option<String> {
    let at = html.find("name=\"staged\" value=\"")? + "name=\"staged\" value=\"".len();
    Some(html[at..at + 32].to_string())
}

fn staged_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(app.vigil.settings.storage.data_dir.join("staging"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_attached_before_narrowing_is_kept_stripped_and_stored() {
    assert!(
        JPEG.windows(4).any(|w| w == b"Exif"),
        "the fixture carries EXIF"
    );
    for b in backends() {
        let app = TestApp::new(b, |_| {}).await;
        // Narrowing with a photo: the form comes back at the place, saying
        // the photo is attached.
        let (status, html) = post(
            &app,
            &[
                ("text", "a blue building"),
                ("province_code", "20"),
                ("narrow", "1"),
            ],
            &[JPEG],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("value=\"2008\""), "districts are offered");
        assert!(html.contains("Photos attached: 1."), "{html}");
        assert!(html.contains("formaction=\"/en/report#where\""));
        assert!(html.contains("id=\"where\""));
        let first = token(&html).expect("a staging token");
        let files = staged_files(&app);
        assert_eq!(files.len(), 1, "one staged file");
        let on_disk = std::fs::read(&files[0]).expect("read");
        assert!(
            !on_disk.windows(4).any(|w| w == b"Exif")
                && !on_disk.windows(3).any(|w| w == b"\xff\xd8\xff"),
            "staged sealed, never as uploaded"
        );

        // A second narrowing step keeps it (under a new token).
        let (_, html) = post(
            &app,
            &[
                ("text", "a blue building"),
                ("province_code", "20"),
                ("district_code", "2008"),
                ("narrow", "1"),
                ("staged", &first),
            ],
            &[],
        )
        .await;
        assert!(html.contains("Photos attached: 1."), "{html}");
        let second = token(&html).expect("a staging token");
        assert_ne!(first, second);
        assert_eq!(staged_files(&app).len(), 1, "the old token is gone");

        // The final submit stores the photo, without its EXIF, and removes
        // the staged file.
        let (status, html) = post(
            &app,
            &[
                ("text", "a blue building"),
                ("category", "scam_compound"),
                ("province_code", "20"),
                ("district_code", "2008"),
                ("staged", &second),
            ],
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("id=\"receipt\""), "{html}");
        let tips = app
            .vigil
            .store
            .tips_after(TipId(0), 10)
            .await
            .expect("tips");
        assert_eq!(tips.len(), 1);
        let atts = app.vigil.store.attachments(tips[0].id).await.expect("atts");
        assert_eq!(atts.len(), 1, "the staged photo is stored");
        let row = app.vigil.store.attachment(atts[0].id).await.expect("att");
        let plain = app
            .vigil
            .keys
            .open(ATTACHMENT_PURPOSE, &row.data_enc)
            .expect("open");
        assert!(plain.starts_with(b"\xff\xd8"), "a JPEG");
        assert!(!plain.windows(4).any(|w| w == b"Exif"), "EXIF removed");
        assert!(staged_files(&app).is_empty(), "used staging removed");

        // Removing a staged photo: nothing is kept. A refused photo added at
        // a narrowing step leaves the kept one as it was.
        let (_, html) = post(&app, &[("narrow", "1")], &[JPEG]).await;
        let t = token(&html).expect("token");
        let (status, html) = post(&app, &[("narrow", "1"), ("staged", &t)], &[b"GIF89a...."]).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{html}");
        assert_eq!(token(&html).as_deref(), Some(t.as_str()), "still kept");
        assert!(html.contains("Photos attached: 1."), "{html}");
        let (_, html) = post(
            &app,
            &[("narrow", "1"), ("staged", &t), ("remove_staged", "1")],
            &[],
        )
        .await;
        assert!(token(&html).is_none() && !html.contains("Photos attached"));
        assert!(staged_files(&app).is_empty(), "removed on request");

        // An hour later a staged photo is gone, and the reporter is told to
        // attach it again.
        let (_, html) = post(&app, &[("narrow", "1")], &[JPEG]).await;
        let t = token(&html).expect("token");
        let files = staged_files(&app);
        std::fs::File::options()
            .write(true)
            .open(&files[0])
            .expect("open")
            .set_modified(SystemTime::now() - Duration::from_secs(2 * 3600))
            .expect("age it");
        let (_, html) = post(&app, &[("narrow", "1"), ("staged", &t)], &[]).await;
        assert!(html.contains("id=\"staged-lost\""), "{html}");
        assert!(html.contains("Please attach them again"));
        assert!(staged_files(&app).is_empty(), "expired staging removed");
    }
}
