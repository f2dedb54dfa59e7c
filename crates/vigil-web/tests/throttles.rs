//! Throttling over HTTP: which address a request is counted under. Forwarding
//! headers count only from a peer in `[http] trusted_proxies`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use vigil_testkit::{Backend, TestApp};

const WRONG: &str = "0000 0000 0000 0001";

async fn status(
    app: &TestApp,
    receipt: &str,
    peer: &str,
    forwarded: &[(&str, &str)],
) -> StatusCode {
    let mut req =
        Request::post("/api/v1/receipts/status").header(header::CONTENT_TYPE, "application/json");
    for (k, v) in forwarded {
        req = req.header(*k, *v);
    }
    let mut req = req
        .body(Body::from(json!({ "receipt": receipt }).to_string()))
        .expect("request");
    let peer: SocketAddr = peer.parse().expect("peer");
    req.extensions_mut().insert(ConnectInfo(peer));
    app.router()
        .oneshot(req)
        .await
        .expect("infallible")
        .status()
}

async fn receipt(app: &TestApp) -> String {
    let req = Request::post("/api/v1/tips")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"text": "a compound near the border", "category": "recruitment"}).to_string(),
        ))
        .expect("request");
    let res = app.router().oneshot(req).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::CREATED);
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let v: Value = serde_json::from_slice(&body).expect("json");
    v["receipt"].as_str().expect("receipt").to_string()
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_ignored() {
    let app = TestApp::new(Backend::Sqlite, |s| s.receipts.failures_per_client = 3).await;
    let good = receipt(&app).await;
    for i in 0..3 {
        let xff = format!("203.0.113.{i}");
        let fwd = format!("for=198.51.100.{i}");
        let headers = [
            ("x-forwarded-for", xff.as_str()),
            ("forwarded", fwd.as_str()),
        ];
        assert_eq!(
            status(&app, WRONG, "192.0.2.7:4000", &headers).await,
            StatusCode::NOT_FOUND
        );
    }
    // Claiming yet another address does not escape the peer's count.
    let headers = [
        ("x-forwarded-for", "203.0.113.99"),
        ("forwarded", "for=198.51.100.99"),
    ];
    assert_eq!(
        status(&app, &good, "192.0.2.7:4000", &headers).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another peer is not held back.
    assert_eq!(
        status(&app, &good, "192.0.2.8:4000", &[]).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_reporter_is_counted_on_their_own() {
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.receipts.failures_per_client = 3;
        s.http.trusted_proxies = vec![
            "127.0.0.1/32".to_string().try_into().expect("cidr"),
            "10.0.0.0/8".to_string().try_into().expect("cidr"),
        ];
    })
    .await;
    let good = receipt(&app).await;
    // A guesser behind the proxy, spoofing the left-most entry each time.
    for i in 0..3 {
        let xff = format!("198.51.100.{i}, 203.0.113.5, 10.1.2.3");
        assert_eq!(
            status(
                &app,
                WRONG,
                "127.0.0.1:4000",
                &[("x-forwarded-for", xff.as_str())]
            )
            .await,
            StatusCode::NOT_FOUND
        );
    }
    let spoofed = [("x-forwarded-for", "198.51.100.77, 203.0.113.5")];
    assert_eq!(
        status(&app, &good, "127.0.0.1:4000", &spoofed).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the right-most untrusted address is the client"
    );
    // Honest reporters behind the same proxy are not held back.
    assert_eq!(
        status(
            &app,
            &good,
            "127.0.0.1:4000",
            &[("x-forwarded-for", "203.0.113.6")]
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        status(
            &app,
            &good,
            "127.0.0.1:4000",
            &[("forwarded", "for=\"[2001:db8::1]:443\";proto=https")]
        )
        .await,
        StatusCode::OK
    );
}
