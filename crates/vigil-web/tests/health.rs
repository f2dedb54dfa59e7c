//! The health endpoints, through the router, on every available backend.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use vigil_testkit::{TestApp, backends};

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let req = Request::get(path).body(Body::empty()).expect("request");
    let res = app.router().oneshot(req).await.expect("infallible");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok_and_readyz_answers_ok_when_the_store_writes() {
    for b in backends() {
        let app = TestApp::new(b, |_| {}).await;
        assert_eq!(get(&app, "/healthz").await, (StatusCode::OK, "ok".into()));
        assert_eq!(get(&app, "/readyz").await, (StatusCode::OK, "ok".into()));
        // A second ask within the probe's lifetime is answered from it.
        assert_eq!(get(&app, "/readyz").await, (StatusCode::OK, "ok".into()));
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_health_endpoints() {
    let app = TestApp::new(vigil_testkit::Backend::Sqlite, |_| {}).await;
    let (status, body) = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(doc["paths"]["/healthz"]["get"].is_object());
    assert!(doc["paths"]["/readyz"]["get"]["responses"]["503"].is_object());
}
