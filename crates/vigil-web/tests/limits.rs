//! What the server takes on at once and what it refuses in a field, through
//! the router: the global budgets of bodies and requests (503 with
//! `Retry-After`, health checks never refused), control characters and
//! overlong values refused naming the field on the API and the report form,
//! a report refused (503, in the reporter's language) while the store cannot
//! write, and the device cookie that lets a browser that signed in before in
//! while the account is slowed for everyone else.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, staff_account};

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn call(app: &TestApp, req: Request<Body>) -> Reply {
    let res = app.router().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn post_json(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

const BOUNDARY: &str = "vigil-test-boundary";

/// A multipart body of text fields.
fn multipart(fields: &[(&str, &str)]) -> String {
    let mut b = String::new();
    for (name, value) in fields {
        b.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    b.push_str(&format!("--{BOUNDARY}--\r\n"));
    b
}

fn post_form(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(fields)))
        .expect("request")
}

/// A message of the catalogues, as a page shows it.
fn msg(app: &TestApp, lang: &str, id: &str) -> String {
    let none: &[(&str, String)] = &[];
    app.state.i18n.format(lang, id, none)
}

fn retry_after(r: &Reply) -> u64 {
    r.headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After on {}", r.status))
}

#[tokio::test]
async fn a_body_past_the_global_budget_is_refused_with_retry_after_and_health_still_answers() {
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.http.max_body_bytes_in_flight = 64 * 1024;
    })
    .await;
    // A declared length past the budget is refused before a byte is read.
    let big = json!({"text": "x".repeat(100 * 1024)});
    let r = call(&app, post_json("/api/v1/tips", &big)).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&r) > 0);
    assert_eq!(r.json()["error"]["code"], "busy");

    // A body without a length is counted as it streams, and refused as
    // soon as it passes the budget: the form answers a page in the
    // reporter's language.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|_| Ok(vec![b'a'; 4096])).collect();
    let req = Request::post("/km/report")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .expect("request");
    let r = call(&app, req).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&r) > 0);
    assert!(r.body.contains("lang=\"km\""), "{}", r.body);
    let km = msg(&app, "km", "err-busy");
    assert!(r.body.contains(&km), "the Khmer message: {}", r.body);
    assert_eq!(app.state.budgets.bytes.used(), 0, "every byte given back");

    // A body declared larger than any request may be is too large, not a
    // busy server's.
    let req = Request::post("/api/v1/tips")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "999999999999")
        .body(Body::empty())
        .expect("request");
    let r = call(&app, req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "too-large");

    // A body within the budget is read and stored.
    let r = call(
        &app,
        post_json("/api/v1/tips", &json!({"text": "held in a compound"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn requests_past_the_global_limit_are_refused_but_health_checks_are_not() {
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.http.max_requests_in_flight = 1;
    })
    .await;
    // One request holds the only slot while its body has not arrived.
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<Vec<u8>, std::io::Error>>();
    let held = Request::post("/api/v1/tips")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(rx))
        .expect("request");
    let router = app.router();
    let first = tokio::spawn(async move { router.oneshot(held).await });
    while app.state.budgets.requests.used() == 0 {
        tokio::task::yield_now().await;
    }
    let r = call(
        &app,
        Request::get("/api/v1/places/provinces")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&r) > 0);
    assert_eq!(r.json()["error"]["code"], "busy");
    let r = call(&app, Request::get("/en/").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains(&msg(&app, "en", "err-busy")));
    for path in ["/healthz", "/readyz"] {
        let r = call(&app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{path} starved");
    }
    tx.unbounded_send(Ok(br#"{"text": "held"}"#.to_vec()))
        .expect("send");
    drop(tx);
    let res = first.await.expect("task").expect("infallible");
    assert_eq!(res.status(), StatusCode::CREATED);
    let r = call(
        &app,
        Request::get("/api/v1/places/provinces")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn nul_and_overlong_values_are_refused_naming_the_field_on_the_api() {
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    let cases = [
        (json!({"text": "held\u{0}here"}), "text"),
        (json!({"text": "bell\u{7}"}), "text"),
        (
            json!({"text": "held", "client_ref": "r".repeat(1024 * 1024)}),
            "client_ref",
        ),
        (
            json!({"text": "held", "client_ref": "ref\u{0}1"}),
            "client_ref",
        ),
        (
            json!({"text": "held", "language": "km".repeat(20)}),
            "language",
        ),
        (
            json!({"text": "held", "place": "near\u{0}the bridge"}),
            "place",
        ),
        (
            json!({"text": "held", "village_code": "1".repeat(5000)}),
            "village_code",
        ),
        (
            json!({"text": "held", "province_code": "0\u{0}"}),
            "province_code",
        ),
    ];
    for (body, field) in cases {
        let r = call(&app, post_json("/api/v1/tips", &body)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
        let e = r.json();
        assert_eq!(e["error"]["code"], "invalid-field", "{}", r.body);
        assert_eq!(e["error"]["field"], field, "{}", r.body);
    }
    // The follow-up message, too.
    let r = call(
        &app,
        post_json(
            "/api/v1/receipts/messages",
            &json!({"receipt": "1234 5678 9012 3456", "body": "a\u{0}b"}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "body");
    assert_eq!(app.vigil.store.count_tips().await.expect("count"), 0);
}

#[tokio::test]
async fn nul_and_overlong_values_are_refused_naming_the_field_on_the_report_form() {
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    for (fields, label_id) in [
        (vec![("text", "held\u{0}here")], "field-name-text"),
        (
            vec![("text", "held"), ("place", &*"p".repeat(200_000))],
            "field-name-place",
        ),
        (
            vec![("text", "held"), ("village_code", "0102\u{0}")],
            "field-name-village_code",
        ),
    ] {
        let r = call(&app, post_form("/vi/report", &fields)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let label = msg(&app, "vi", label_id);
        assert!(
            r.body.contains(&label),
            "the field {label} is named: {}",
            r.body
        );
    }
    assert_eq!(app.vigil.store.count_tips().await.expect("count"), 0);
}

/// The mount point of a small file system for the data directory, or `None`
/// where this test may not mount one (not root): then it cannot run here.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = std::env::temp_dir().join(format!("vigil-small-disk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=48m", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Some(SmallDisk(dir))
        } else {
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }

    /// Fills what is left of the file system.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.0.join("filler")).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_sent_while_the_store_cannot_write_is_refused_in_the_reporters_language() {
    let Some(disk) = SmallDisk::mount() else {
        eprintln!("cannot mount a small file system here; the full-disk test needs root");
        return;
    };
    let data = disk.0.join("data");
    let data_in = data.clone();
    let app = TestApp::new(Backend::Sqlite, move |s| {
        s.storage.data_dir = data_in;
    })
    .await;
    let r = call(
        &app,
        post_form("/th/report", &[("text", "before the disk filled")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    disk.fill();
    // The database's files keep the room they had: reports go on being
    // stored until one needs more, and that one is refused.
    let mut r = None;
    let mut stored = 1;
    for n in 0..2_000 {
        let text = format!("report {n} after the disk filled: {}", "ក".repeat(15_000));
        let reply = call(&app, post_form("/th/report", &[("text", &text)])).await;
        if reply.status == StatusCode::OK {
            stored += 1;
            continue;
        }
        r = Some(reply);
        break;
    }
    let r = r.expect("a full disk refuses a report");
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert!(retry_after(&r) > 0);
    let th = msg(&app, "th", "err-unavailable");
    assert!(r.body.contains(&th), "the Thai message: {}", r.body);
    assert_eq!(app.vigil.store.count_tips().await.expect("count"), stored);
    drop(app);
    drop(disk);
}

fn login(addr: [u8; 4], password: &str, device: Option<&str>) -> Request<Body> {
    let body = format!("username=dara&password={}", password.replace(' ', "+"));
    let mut req = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "vigil.test");
    if let Some(d) = device {
        req = req.header(header::COOKIE, d);
    }
    let mut req = req.body(Body::from(body)).expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((addr, 40000))));
    req
}

fn cookie_of(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_cookie_lets_a_browser_that_signed_in_before_in_while_others_are_slowed() {
    const RIGHT: &str = "correct horse battery";
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.login_free_failures = 2;
        s.staff.login_account_failures = 4;
    })
    .await;
    let token = staff_account(
        &app.vigil,
        "dara",
        "Dara",
        Role::Analyst,
        Jurisdiction::National,
    )
    .await;
    vigil_core::staff::complete_setup(&app.vigil.staff, &token, RIGHT, None)
        .await
        .expect("setup");

    // The real user signs in on their phone, which keeps the device cookie.
    let r = call(&app, login([10, 0, 0, 1], RIGHT, None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let device = cookie_of(&r, "vigil_device").expect("device cookie");

    // Wrong passwords from many addresses slow the account for everyone.
    for i in 0..12u8 {
        let _ = call(&app, login([192, 0, 2, i], "wrong password!!", None)).await;
    }
    let r = call(&app, login([198, 51, 100, 7], RIGHT, None)).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a fresh browser is slowed"
    );

    // The phone gets in at once, from a fresh address or an attacker's.
    for addr in [[198, 51, 100, 8], [192, 0, 2, 1]] {
        let r = call(&app, login(addr, RIGHT, Some(&device))).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "the phone is kept out: {}",
            r.body
        );
        assert!(cookie_of(&r, "vigil_staff").is_some());
    }
    // A cookie of another shape is no device at all.
    let r = call(
        &app,
        login([198, 51, 100, 9], RIGHT, Some("vigil_device=forged")),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}
