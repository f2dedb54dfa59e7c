//! The OpenAPI document tells the truth: every operation it lists, sent
//! malformed requests (a body that is not JSON, of the wrong type, a field
//! with a NUL, a query string or path parameter of the wrong type), answers
//! a status the document lists for it, with the API's JSON error body.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, staff_account};

async fn call(app: &TestApp, req: Request<Body>) -> (StatusCode, Option<String>, Vec<u8>) {
    let res = app.router().oneshot(req).await.expect("infallible");
    let status = res.status();
    let ctype = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, ctype, body.to_vec())
}

/// A malformed request: what it is, its query, its path value and its body
/// with the body's content type.
type Variant = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

/// The malformed variants of one operation: (what, query, path value, body,
/// content type).
fn malformed(has_body: bool, has_query: bool) -> Vec<Variant> {
    let mut v = vec![(
        "a path parameter of the wrong type",
        "",
        "not-a-number",
        None,
    )];
    if has_query {
        v.push((
            "a query string of the wrong type",
            "?page=many&limit=-1&post=%00&q=%00",
            "1",
            None,
        ));
        v.push((
            "a query string that does not read",
            "?page=%ZZ&limit=1e99",
            "1",
            None,
        ));
    }
    if has_body {
        v.push((
            "a body that is not JSON",
            "",
            "1",
            Some(("application/json", "{\"text\": ")),
        ));
        v.push((
            "a body of the wrong type",
            "",
            "1",
            Some(("text/plain", "hello")),
        ));
        v.push((
            "a body that is not UTF-8",
            "",
            "1",
            Some(("application/json", "\"\u{fffd}\"")),
        ));
        v.push((
            "a field with a NUL",
            "",
            "1",
            Some((
                "application/json",
                "{\"text\": \"a\\u0000b\", \"receipt\": \"1\\u0000\", \"note\": \"\\u0000\"}",
            )),
        ));
        v.push((
            "a body of the wrong shape",
            "",
            "1",
            Some(("application/json", "[1, 2, 3]")),
        ));
    } else {
        v.push(("no query at all", "", "1", None));
    }
    v
}

#[tokio::test]
async fn every_operation_answers_malformed_requests_with_a_listed_status_and_a_json_error() {
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    staff_account(
        &app.vigil,
        "admin.api",
        "Admin",
        Role::Admin,
        Jurisdiction::National,
    )
    .await;
    let token = vigil_core::staff::create_api_token(&app.vigil.staff, "admin.api", "fuzz")
        .await
        .expect("token");
    let (status, _, body) = call(
        &app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, item) in paths {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, op) in item.as_object().expect("item") {
            let method: Method = method.to_uppercase().parse().expect("method");
            let listed: Vec<String> = op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .cloned()
                .collect();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let has_query = params.iter().any(|p| p["in"] == "query");
            let has_body = op.get("requestBody").is_some();
            for (what, query, path_value, body) in malformed(has_body, has_query) {
                for auth in [true, false] {
                    let uri = format!(
                        "{}{query}",
                        path.replace("{id}", path_value)
                            .replace("{code}", path_value)
                    );
                    let mut req = Request::builder().method(method.clone()).uri(&uri);
                    if auth {
                        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                    }
                    let req = match body {
                        Some((ctype, text)) => {
                            let bytes = if what == "a body that is not UTF-8" {
                                vec![b'"', 0xff, 0xfe, b'"']
                            } else {
                                text.as_bytes().to_vec()
                            };
                            req.header(header::CONTENT_TYPE, ctype)
                                .body(Body::from(bytes))
                        }
                        None => req.body(Body::empty()),
                    }
                    .unwrap();
                    let (status, ctype, body) = call(&app, req).await;
                    assert!(
                        listed.contains(&status.as_u16().to_string()),
                        "{method} {uri} ({what}): {status} is not listed ({listed:?})"
                    );
                    if status.is_client_error() || status.is_server_error() {
                        assert!(
                            ctype
                                .as_deref()
                                .is_some_and(|c| c.starts_with("application/json")),
                            "{method} {uri} ({what}): {status} answered {ctype:?}"
                        );
                        let e: Value = serde_json::from_slice(&body).unwrap_or_else(|_| {
                            panic!(
                                "{method} {uri} ({what}): not JSON: {}",
                                String::from_utf8_lossy(&body)
                            )
                        });
                        assert!(e["error"]["code"].is_string(), "{method} {uri}: {e}");
                        assert!(e["error"]["message"].is_string(), "{method} {uri}: {e}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 60, "only {checked} requests checked");
}

#[tokio::test]
async fn the_document_states_the_limits_the_server_enforces() {
    let app = TestApp::new(Backend::Sqlite, |_| {}).await;
    let (_, _, body) = call(
        &app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let doc: Value = serde_json::from_slice(&body).expect("json");
    let s = &doc["components"]["schemas"];
    let tip = &s["TipIn"];
    let max = app.vigil.settings.intake.max_text_chars;
    assert_eq!(tip["properties"]["text"]["maxLength"], max);
    assert_eq!(tip["properties"]["client_ref"]["maxLength"], 128);
    assert!(tip["anyOf"].is_array(), "a report needs text or a photo");
    let receipt = s["ReceiptIn"]["properties"]["receipt"]["pattern"]
        .as_str()
        .expect("receipt pattern");
    assert!(receipt.contains("{16}"), "{receipt}");
    for (path, method) in [
        ("/api/v1/tips", "post"),
        ("/api/v1/receipts/status", "post"),
        ("/api/v1/receipts/messages", "post"),
    ] {
        let responses = &doc["paths"][path][method]["responses"];
        for status in ["400", "413", "415", "422", "503"] {
            assert!(responses[status].is_object(), "{path}: {status} not listed");
        }
    }
    assert!(doc["paths"]["/api/v1/receipts/status"]["post"]["responses"]["429"].is_object());
    // The health checks are never refused for the budgets.
    assert!(doc["paths"]["/healthz"]["get"]["responses"]["503"].is_null());
}
