//! The HTTP contract, through the router as a client would use it, on every
//! available backend (SQLite always; PostgreSQL when VIGIL_TEST_POSTGRES_URL is set).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use vigil_testkit::{Backend, TestApp, backends};

const JPEG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.jpg");
const PNG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.png");

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn call(app: &TestApp, req: Request<Body>) -> Reply {
    let res = app.router().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn post_json(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn post_raw(path: &str, content_type: &str, lang: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(body.into())
        .expect("request")
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).expect("request")
}

async fn count(app: &TestApp) -> i64 {
    app.vigil.store.count_tips().await.expect("count")
}

async fn each_backend<F, Fut>(tweak: fn(&mut vigil_core::Settings), f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in backends() {
        eprintln!("backend: {b:?}");
        f(TestApp::new(b, tweak).await).await;
    }
}

fn is_receipt(s: &str) -> bool {
    let groups: Vec<&str> = s.split(' ').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tip_receipt_status_and_messages() {
    each_backend(|_| {}, |app| async move {
        let r = call(
            &app,
            post_json(
                "/api/v1/tips",
                &json!({
                    "text": "បុរសម្នាក់ឈ្មោះ @boss_kh ជ្រើសរើសការងារ 012 345 678",
                    "category": "recruitment",
                    "province_code": "18", "district_code": "1806",
                    "danger": {"held": true},
                    "client_ref": "retry-1",
                    "photos": [{"content_type": "image/jpeg",
                                "data_base64": base64::engine::general_purpose::STANDARD.encode(JPEG)}]
                }),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let receipt = r.json()["receipt"].as_str().unwrap_or("").to_string();
        assert!(is_receipt(&receipt), "{receipt}");
        assert_eq!(r.json()["replayed"], false);

        // A retry with the same client_ref: same receipt, nothing stored twice.
        let again = call(&app, post_json("/api/v1/tips", &json!({"text": "changed", "client_ref": "retry-1"}))).await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.json()["receipt"], receipt.as_str());
        assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.as_bytes()), Some(&b"true"[..]));
        assert_eq!(count(&app).await, 1);

        let s = call(&app, post_json("/api/v1/receipts/status", &json!({"receipt": receipt}))).await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.text());
        assert_eq!(s.json()["status"], "received");
        assert_eq!(s.json()["report_photos"], 1);
        assert_eq!(s.json()["messages"], json!([]));

        let m = call(&app, post_json("/api/v1/receipts/messages", &json!({"receipt": receipt, "body": "ព័ត៌មានបន្ថែម"}))).await;
        assert_eq!(m.status, StatusCode::CREATED, "{}", m.text());
        assert_eq!(m.json()["messages"][0]["from"], "reporter");
        assert_eq!(m.json()["messages"][0]["body"], "ព័ត៌មានបន្ថែម");

        // Without spaces, in Khmer digits.
        let khmer: String = receipt
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x17E0 + d)).unwrap_or(c))
            .collect();
        let s = call(&app, post_json("/api/v1/receipts/status", &json!({"receipt": khmer}))).await;
        assert_eq!(s.status, StatusCode::OK);
        assert_eq!(s.json()["messages"].as_array().map(Vec::len), Some(1));

        let unknown = call(&app, post_json("/api/v1/receipts/status", &json!({"receipt": "0000 0000 0000 0001"}))).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.json()["error"]["code"], "receipt-not-found");
        let short = call(&app, post_json("/api/v1/receipts/status", &json!({"receipt": "1234"}))).await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);
        assert_eq!(short.json()["error"]["code"], "receipt-format");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_4xx_and_stores_nothing() {
    each_backend(|s| s.intake.max_text_chars = 100, |app| async move {
        let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
            (post_raw("/api/v1/tips", "application/json", "en", "{\"text\": "), StatusCode::BAD_REQUEST, "json"),
            (post_raw("/api/v1/tips", "text/plain", "en", "{}"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "content-type"),
            (post_raw("/api/v1/tips", "application/json", "en", vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']), StatusCode::BAD_REQUEST, "json"),
            (post_json("/api/v1/tips", &json!({"text": ""})), StatusCode::UNPROCESSABLE_ENTITY, "empty-report"),
            (post_json("/api/v1/tips", &json!({"text": "x".repeat(101)})), StatusCode::UNPROCESSABLE_ENTITY, "text-too-long"),
            (post_json("/api/v1/tips", &json!({"text": "x", "province_code": "99"})), StatusCode::UNPROCESSABLE_ENTITY, "unknown-place-code"),
            (post_json("/api/v1/tips", &json!({"text": "x", "district_code": "0102", "commune_code": "200802"})), StatusCode::UNPROCESSABLE_ENTITY, "place-code-outside-parent"),
            (post_json("/api/v1/tips", &json!({"text": "x", "lat": 11.5})), StatusCode::UNPROCESSABLE_ENTITY, "bad-coordinates"),
            (post_json("/api/v1/tips", &json!({"text": "x", "category": "spam"})), StatusCode::UNPROCESSABLE_ENTITY, "unknown-category"),
            (post_json("/api/v1/tips", &json!({"text": "x", "surprise": 1})), StatusCode::BAD_REQUEST, "json"),
            (post_json("/api/v1/tips", &json!({"text": "x", "photos": [{"content_type": "image/jpeg", "data_base64": "%%%"}]})), StatusCode::BAD_REQUEST, "bad-request"),
            (post_json("/api/v1/tips", &json!({"text": "x", "photos": [{"content_type": "image/jpeg",
                "data_base64": base64::engine::general_purpose::STANDARD.encode(PNG)}]})), StatusCode::UNSUPPORTED_MEDIA_TYPE, "photo-type-mismatch"),
            (post_json("/api/v1/tips", &json!({"text": "x", "photos": [{"content_type": "image/jpeg",
                "data_base64": base64::engine::general_purpose::STANDARD.encode(b"<html>not a photo</html>")}]})), StatusCode::UNSUPPORTED_MEDIA_TYPE, "photo-type-mismatch"),
            (post_json("/api/v1/tips", &json!({"text": "x", "photos": [{"content_type": "image/heic",
                "data_base64": base64::engine::general_purpose::STANDARD.encode(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic")}]})), StatusCode::UNSUPPORTED_MEDIA_TYPE, "photo-heic"),
            (post_raw("/api/v1/tips", "application/json", "en", vec![b' '; 80 * 1024 * 1024]), StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
        ];
        for (i, (req, status, code)) in cases.into_iter().enumerate() {
            let r = call(&app, req).await;
            assert_eq!(r.status, status, "case {i}: {}", r.text());
            assert_eq!(r.json()["error"]["code"], code, "case {i}: {}", r.text());
            assert!(r.json()["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        // The reporter's language.
        let km = call(&app, post_raw("/api/v1/tips", "application/json", "km", "{\"text\": \"\"}")).await;
        assert_eq!(km.json()["error"]["code"], "empty-report");
        assert!(km.json()["error"]["message"].as_str().is_some_and(|m| m.contains("សូម")), "{}", km.text());
        // Nothing partially stored, and the server still serves.
        assert_eq!(count(&app).await, 0);
        assert!(app.vigil.store.events_after(vigil_domain::EventSeq(0), 10).await.expect("events").is_empty());
        let ok = call(&app, post_json("/api/v1/tips", &json!({"text": "still serving"}))).await;
        assert_eq!(ok.status, StatusCode::CREATED);
    })
    .await;
}

fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----vigilTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, mime, data) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn extract_receipt(html: &str) -> Option<String> {
    let start = html.find("id=\"receipt\">")? + "id=\"receipt\">".len();
    let end = html[start..].find('<')?;
    Some(html[start..start + end].trim().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_works_without_javascript() {
    each_backend(
        |_| {},
        |app| async move {
            // The landing page sends people to their language.
            let root = call(
                &app,
                Request::get("/")
                    .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
                    .body(Body::empty())
                    .expect("req"),
            )
            .await;
            assert_eq!(root.status, StatusCode::SEE_OTHER);
            assert_eq!(
                root.headers.get(header::LOCATION).map(|v| v.as_bytes()),
                Some(&b"/en/"[..])
            );

            let page = call(&app, get("/km/")).await;
            assert_eq!(page.status, StatusCode::OK);
            let html = page.text();
            assert!(html.contains("<html lang=\"km\">"));
            assert!(html.contains("រាយការណ៍អំពីអ្វីដែលអ្នកបានឃើញ"));
            assert!(html.contains("បាត់ដំបង"), "provinces are listed");
            // Nothing from other hosts, a strict CSP, and no caching.
            assert!(
                !html.contains("https://") && !html.contains("http://") && !html.contains("//cdn")
            );
            let csp = page
                .headers
                .get(header::CONTENT_SECURITY_POLICY)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                csp.contains("default-src 'none'")
                    && csp.contains("script-src 'self'")
                    && !csp.contains("unsafe")
            );
            assert_eq!(
                page.headers
                    .get(header::CACHE_CONTROL)
                    .map(|v| v.as_bytes()),
                Some(&b"no-store"[..])
            );

            // Narrowing without JavaScript: choose a province, press the button.
            let (ct, body) = multipart(
                &[
                    ("text", "typed before narrowing"),
                    ("province_code", "20"),
                    ("narrow", "1"),
                ],
                &[],
            );
            let narrowed = call(&app, post_raw("/km/report", &ct, "km", body)).await;
            assert_eq!(narrowed.status, StatusCode::OK);
            let html = narrowed.text();
            assert!(
                html.contains("value=\"2008\""),
                "districts of Svay Rieng are offered"
            );
            assert!(
                html.contains("typed before narrowing"),
                "typed text is kept"
            );
            assert_eq!(count(&app).await, 0, "narrowing stores nothing");

            // Submit with a photo.
            let (ct, body) = multipart(
                &[
                    ("text", "មនុស្សត្រូវបានឃុំនៅបាវិត"),
                    ("category", "scam_compound"),
                    ("province_code", "20"),
                    ("district_code", "2008"),
                    ("commune_code", "200802"),
                    ("held", "1"),
                    ("place", "អគារពណ៌ខៀវ"),
                ],
                &[("p.jpg", "image/jpeg", JPEG)],
            );
            let done = call(&app, post_raw("/km/report", &ct, "km", body)).await;
            assert_eq!(done.status, StatusCode::OK, "{}", done.text());
            let receipt = extract_receipt(&done.text()).unwrap_or_default();
            assert!(is_receipt(&receipt), "{receipt:?}");
            assert_eq!(count(&app).await, 1);

            // A refused photo shows the form again, with the text kept and the problem in Khmer.
            let (ct, body) = multipart(
                &[("text", "keep me")],
                &[("x.jpg", "image/jpeg", b"GIF89a....")],
            );
            let refused = call(&app, post_raw("/km/report", &ct, "km", body)).await;
            assert_eq!(refused.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
            assert!(
                refused.text().contains("keep me") && refused.text().contains("id=\"form-error\"")
            );
            assert_eq!(count(&app).await, 1);

            // Follow up: the receipt travels in the body; a reply with a photo.
            let form = format!("receipt={}", receipt.replace(' ', "+"));
            let thread = call(
                &app,
                post_raw(
                    "/en/follow-up",
                    "application/x-www-form-urlencoded",
                    "en",
                    form,
                ),
            )
            .await;
            assert_eq!(thread.status, StatusCode::OK, "{}", thread.text());
            assert!(thread.text().contains("Received — waiting to be reviewed"));
            let (ct, body) = multipart(
                &[
                    ("receipt", &receipt),
                    ("body", "more: the guards have guns"),
                ],
                &[("q.png", "image/png", PNG)],
            );
            let replied = call(&app, post_raw("/en/follow-up/reply", &ct, "en", body)).await;
            assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
            assert!(replied.text().contains("more: the guards have guns"));
            assert!(replied.text().contains("Photos: 1"));

            let wrong = call(
                &app,
                post_raw(
                    "/km/follow-up",
                    "application/x-www-form-urlencoded",
                    "km",
                    "receipt=1111+2222+3333+4444",
                ),
            )
            .await;
            assert_eq!(wrong.status, StatusCode::NOT_FOUND);
            assert!(wrong.text().contains("គ្មានរបាយការណ៍"));
        },
    )
    .await;
}

#[tokio::test]
async fn static_assets_openapi_and_places() {
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    let font = call(&app, get("/static/fonts/noto-sans-khmer.woff2")).await;
    assert_eq!(font.status, StatusCode::OK);
    assert_eq!(&font.body[..4], b"wOF2");
    let js = call(&app, get("/static/app.js")).await;
    assert!(js.text().contains("/api/v1/places/"));
    let spec = call(&app, get("/api/v1/openapi.json")).await;
    let paths = spec.json()["paths"]
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for p in [
        "/api/v1/tips",
        "/api/v1/receipts/status",
        "/api/v1/receipts/messages",
    ] {
        assert!(paths.iter().any(|k| k == p), "{p} missing from {paths:?}");
    }
    let kids = call(&app, get("/api/v1/places/20/children")).await;
    assert!(
        kids.json()
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p["code"] == "2008"))
    );
    let found = call(&app, get("/api/v1/places?q=Kampong%20Som")).await;
    assert_eq!(found.json()[0]["code"], "18");
    let missing = call(&app, get("/km/nowhere")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("ទំព័រនេះមិនមានទេ"));
    let api_missing = call(&app, get("/api/v1/nowhere")).await;
    assert_eq!(api_missing.json()["error"]["code"], "not-found");
}

/// A raw HTTP/1.1 request over TCP from 127.0.0.1, so the server sees a real
/// client address and user agent.
async fn raw(url: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: VigilFingerprintProbe/9.9\r\nX-Forwarded-For: 203.0.113.77\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_address_or_agent_is_kept_and_failed_guesses_are_throttled() {
    let app = TestApp::new(Backend::Sqlite, |s| s.receipts.failures_per_client = 5).await;
    let server = app.spawn().await;
    let (status, text) = raw(
        &server.url,
        "POST",
        "/api/v1/tips",
        r#"{"text":"fingerprint probe"}"#,
    )
    .await;
    assert_eq!(status, 201, "{text}");
    for _ in 0..5 {
        let (status, _) = raw(
            &server.url,
            "POST",
            "/api/v1/receipts/status",
            r#"{"receipt":"9999 9999 9999 9999"}"#,
        )
        .await;
        assert_eq!(status, 404);
    }
    let (status, text) = raw(
        &server.url,
        "POST",
        "/api/v1/receipts/status",
        r#"{"receipt":"9999 9999 9999 9999"}"#,
    )
    .await;
    assert_eq!(status, 429, "{text}");
    assert!(text.to_ascii_lowercase().contains("retry-after"));
    drop(server);
    // Nothing in the data directory (database, WAL, key file, search index) holds the
    // client's address, forwarded address or user agent.
    let mut checked = 0;
    let mut dirs = vec![app.db.dir.path().to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let bytes = std::fs::read(&path).expect("read");
        checked += 1;
        for needle in [&b"127.0.0.1"[..], b"203.0.113.77", b"VigilFingerprintProbe"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} contains {}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    assert!(checked >= 2, "database and key file were checked");
}
