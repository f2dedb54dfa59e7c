//! Shared by the staff page tests: requests through the router, accounts
//! signed in with both factors, tips in a province.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use time::OffsetDateTime;
use tower::ServiceExt;
use vigil_core::intake::{TipRequest, Upload, submit};
use vigil_core::{Vigil, staff};
use vigil_domain::{Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role, TipId};
use vigil_testkit::{TestApp, staff_account};

pub const JPEG: &[u8] = include_bytes!("../../../vigil-media/tests/fixtures/photo.jpg");

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

pub async fn call(app: &TestApp, req: Request<Body>) -> Reply {
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

pub fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

pub fn post_form(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "vigil.test")
        .body(Body::from(body))
        .expect("request")
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn set_cookie(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

pub fn code_for(secret_base32: &str, username: &str, at: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("secret");
    totp_rs::Builder::new()
        .with_secret(secret.as_ref().to_vec())
        .with_account_name(username.to_string())
        .build()
        .expect("totp")
        .generate(at as u64)
        .to_string()
}

/// The password of [`enrolled`] accounts.
pub const PASSWORD: &str = "a long staff password";

/// An account set up as its owner would with the one-time link: the
/// password [`PASSWORD`] and an authenticator; the authenticator's secret
/// (for [`code_for`]).
pub async fn enrolled(v: &Vigil, name: &str, display: &str, role: Role, j: Jurisdiction) -> String {
    let token = staff_account(v, name, display, role, j).await;
    let enrol = staff::totp_enroll(&v.staff, name).expect("enrol");
    let now = OffsetDateTime::now_utc().unix_timestamp();
    staff::complete_setup(
        &v.staff,
        &token,
        PASSWORD,
        Some((
            &enrol.sealed,
            &code_for(&enrol.secret_base32, name, now - 30),
        )),
    )
    .await
    .expect("setup");
    enrol.secret_base32
}

/// An account signed in through core; returns (cookie header, csrf).
pub async fn signed_in(v: &Vigil, name: &str, role: Role, j: Jurisdiction) -> (String, String) {
    let token = staff_account(v, name, name, role, j).await;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let enrol = staff::totp_enroll(&v.staff, name).expect("enrol");
    let code = code_for(&enrol.secret_base32, name, now - 30);
    staff::complete_setup(
        &v.staff,
        &token,
        "correct horse battery",
        Some((&enrol.sealed, &code)),
    )
    .await
    .expect("setup");
    let pending = match staff::sign_in(&v.staff, name, "correct horse battery", None, None)
        .await
        .expect("sign in")
    {
        staff::SignIn::NeedsTotp(p) => p,
        other => panic!("{other:?}"),
    };
    let cookie = staff::sign_in_totp(
        &v.staff,
        &pending,
        &code_for(&enrol.secret_base32, name, now),
        None,
        None,
    )
    .await
    .expect("code");
    let s = staff::session(&v.staff, &cookie)
        .await
        .expect("s")
        .expect("live");
    (format!("vigil_staff={cookie}"), s.csrf)
}

pub async fn tip_in(v: &Vigil, province: &str, text: &str) -> (TipId, String) {
    tip_at(
        v,
        Location {
            province_code: Some(province.into()),
            ..Location::default()
        },
        text,
    )
    .await
}

/// A tip (with a photo, reporting people held) at a place.
pub async fn tip_at(v: &Vigil, location: Location, text: &str) -> (TipId, String) {
    let out = submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::ScamCompound,
                text: text.into(),
                location,
                danger: DangerFlags {
                    held: true,
                    ..DangerFlags::default()
                },
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: Some("en".into()),
            },
            photos: vec![Upload {
                bytes: JPEG.to_vec(),
                declared_mime: Some("image/jpeg".into()),
            }],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit");
    (out.tip_id, out.receipt.to_string())
}

/// The principal an existing account acts as.
pub async fn principal(v: &Vigil, name: &str) -> staff::Principal {
    let row = v
        .store
        .staff_by_username(name)
        .await
        .expect("staff")
        .expect("known");
    staff::Principal::of(&row)
}

/// The number a figures page shows for `data-figure="key"`.
pub fn figure(body: &str, key: &str) -> u64 {
    let start = body
        .find(&format!("data-figure=\"{key}\""))
        .unwrap_or_else(|| panic!("no {key} in {body}"));
    let rest = &body[start..];
    let dd = rest.find("<dd>").expect("dd") + 4;
    let end = rest[dd..].find("</dd>").expect("/dd");
    rest[dd..dd + end].trim().parse().expect("a number")
}
