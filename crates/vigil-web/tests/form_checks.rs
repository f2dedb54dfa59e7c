//! Every staff form passes one gate (`StaffForm`, `StaffMultipart` for the
//! CSV uploads, `SignInForm` before there is a session): through the
//! router, a signed-in officer's POST without the session's CSRF token, or
//! with a wrong one, or from another site, is refused with 403 and the
//! message in the page's language, and nothing is done; with the token it
//! goes through. Sign-in, the second factor and account setup from another
//! site are refused the same way.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, code_for, get, post_form, principal, set_cookie, signed_in, tip_in};
use time::OffsetDateTime;
use vigil_core::operations::OperationInput;
use vigil_domain::{Jurisdiction, Role, TipStatus};
use vigil_testkit::{TestApp, backends, staff_account, stored_departures};

#[tokio::test]
async fn a_form_without_its_token_is_refused_before_the_handler() {
    let b = backends().into_iter().next().expect("a backend");
    let app = TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let p12 = Jurisdiction::Provinces(vec!["12".into()]);
    let (cookie, csrf) = signed_in(v, "sok", Role::Supervisor, p12).await;
    let (tip, _) = tip_in(v, "12", "held at a compound, call 012 345 678").await;
    let en = format!("{cookie}; vigil_lang=en");
    let km = format!("{cookie}; vigil_lang=km");
    for path in [
        format!("/staff/tips/{}/status", tip.0),
        format!("/staff/tips/{}/reply", tip.0),
        "/staff/cases".to_string(),
    ] {
        let r = call(
            &app,
            post_form(&path, &en, &[("status", TipStatus::InReview.as_str())]),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} without a token");
        assert!(r.body.contains("This form is out of date"), "{}", r.body);
        let r = call(&app, post_form(&path, &km, &[("csrf", "forged")])).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} with a wrong token");
        assert!(r.body.contains("ទម្រង់នេះហួសសម័យ"), "{}", r.body);
        let mut req = post_form(&path, &en, &[("csrf", &csrf)]);
        req.headers_mut()
            .insert("origin", "https://elsewhere.example".parse().expect("h"));
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} from another site");
    }
    let path = format!("/staff/tips/{}/status", tip.0);
    let r = call(
        &app,
        post_form(&path, &en, &[("status", TipStatus::InReview.as_str())]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let sok = principal(v, "sok").await;
    let seen = vigil_core::desk::tip(&v.desk, &sok, tip)
        .await
        .expect("tip");
    assert_eq!(seen.tip.status, TipStatus::Received, "nothing was done");
    let r = call(
        &app,
        post_form(
            &path,
            &en,
            &[("csrf", &csrf), ("status", TipStatus::InReview.as_str())],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// A multipart form as a browser sends it from this site, the CSV as an
/// uploaded file.
fn multipart(path: &str, cookie: &str, fields: &[(&str, &str)], file: &str) -> Request<Body> {
    let b = "vigilboundaryChecks9";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{b}--\r\n"
    ));
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .header(header::HOST, "vigil.test")
        .body(Body::from(body))
        .expect("request")
}

/// `req` as sent from another site: by `Origin`, or by `Sec-Fetch-Site`.
fn from_elsewhere(mut req: Request<Body>, by_origin: bool) -> Request<Body> {
    if by_origin {
        req.headers_mut()
            .insert(header::ORIGIN, "https://elsewhere.example".parse().unwrap());
    } else {
        req.headers_mut()
            .insert("sec-fetch-site", "cross-site".parse().unwrap());
    }
    req
}

/// `req` as a browser sends it from this site.
fn from_here(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut()
        .insert(header::ORIGIN, "http://vigil.test".parse().unwrap());
    req.headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().unwrap());
    req
}

#[tokio::test]
async fn multipart_forms_check_the_site_and_the_token_before_reading_a_row() {
    let b = backends().into_iter().next().expect("a backend");
    let app = TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;

    // The immigration import.
    let (cookie, csrf) = signed_in(v, "dara", Role::Immigration, Jurisdiction::National).await;
    let cookie = format!("{cookie}; vigil_lang=en");
    let csv = "name,nationality,passport,date_of_birth,departed_on,port\n\
               Zhang Wei,CN,E11111111,1990-01-02,2026-03-01,KTI\n";
    let path = "/staff/immigration/import";
    for (what, fields) in [
        ("without a token", vec![("csv", "")]),
        ("with a wrong token", vec![("csrf", "forged"), ("csv", "")]),
    ] {
        let r = call(&app, multipart(path, &cookie, &fields, csv)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "import {what}");
        assert!(r.body.contains("This form is out of date"), "{}", r.body);
    }
    let good = [("csrf", csrf.as_str()), ("csv", "")];
    for by_origin in [true, false] {
        let req = from_elsewhere(multipart(path, &cookie, &good, csv), by_origin);
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "import from another site");
    }
    let r = call(&app, multipart(path, "", &good, csv)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "no session");
    assert_eq!(r.headers[header::LOCATION], "/staff/login?lang=km");
    assert_eq!(stored_departures(v).await.len(), 0, "nothing was imported");
    let r = call(&app, from_here(multipart(path, &cookie, &good, csv))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff/immigration?imported=1");
    assert_eq!(stored_departures(v).await.len(), 1);

    // The CSV of seized items.
    let p12 = Jurisdiction::Provinces(vec!["12".into()]);
    let (cookie, csrf) = signed_in(v, "sok", Role::Officer, p12).await;
    let sok = principal(v, "sok").await;
    let op = vigil_core::operations::plan(
        &v.operations,
        &sok,
        &OperationInput {
            reference: "OP-2026-099".into(),
            title: "Raid".into(),
            lead_agency: "Police".into(),
            place: "By the river".into(),
            province_code: "12".into(),
            status: "planned".into(),
            ..OperationInput::default()
        },
    )
    .await
    .expect("plan");
    let path = format!("/staff/operations/{op}/csv");
    let csv = "ref,kind,description,serial\nL1,computer,laptop,SN-1\n";
    let at = [("at_local", "2026-11-20T06:10"), ("at_offset", "+07:00")];
    let items = || async {
        vigil_core::evidence::items(&v.operations, &sok, op)
            .await
            .unwrap()
            .len()
    };
    for (what, token) in [("without a token", None), ("with a wrong token", Some("x"))] {
        let mut fields = at.to_vec();
        fields.extend(token.map(|t| ("csrf", t)));
        let r = call(&app, multipart(&path, &cookie, &fields, csv)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "items {what}");
    }
    let mut good = at.to_vec();
    good.push(("csrf", csrf.as_str()));
    for by_origin in [true, false] {
        let req = from_elsewhere(multipart(&path, &cookie, &good, csv), by_origin);
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "items from another site");
    }
    assert_eq!(items().await, 0, "nothing was seized");
    let r = call(&app, from_here(multipart(&path, &cookie, &good, csv))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .ends_with("?seized=1")
    );
    assert_eq!(items().await, 1);
}

#[tokio::test]
async fn sign_in_forms_are_refused_from_another_site() {
    let b = backends().into_iter().next().expect("a backend");
    let app = TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let token = staff_account(v, "mony", "Mony", Role::Supervisor, Jurisdiction::National).await;

    // Account setup.
    let r = call(&app, get(&format!("/staff/setup/{token}?lang=en"), "")).await;
    assert_eq!(r.status, StatusCode::OK);
    let between = |after: &str, until: char| {
        r.body
            .split(after)
            .nth(1)
            .and_then(|s| s.split(until).next())
            .expect("on the setup page")
            .to_string()
    };
    let secret = between("id=\"totp-secret\">", '<');
    let sealed = between("name=\"sealed\" value=\"", '"');
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let setup_code = code_for(&secret, "mony", now - 30);
    let path = format!("/staff/setup/{token}");
    let setup = [
        ("password", "correct horse battery"),
        ("password_again", "correct horse battery"),
        ("sealed", sealed.as_str()),
        ("code", setup_code.as_str()),
    ];
    for by_origin in [true, false] {
        let req = from_elsewhere(post_form(&path, "vigil_lang=en", &setup), by_origin);
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "setup from another site");
        assert!(r.body.contains("This form is out of date"), "{}", r.body);
    }
    let r = call(&app, from_here(post_form(&path, "vigil_lang=en", &setup))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"notice\""), "{}", r.body);

    // The password.
    let login = [("username", "mony"), ("password", "correct horse battery")];
    for by_origin in [true, false] {
        let req = from_elsewhere(post_form("/staff/login", "", &login), by_origin);
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "login from another site");
        assert!(set_cookie(&r, "vigil_pending").is_none());
    }
    let r = call(&app, from_here(post_form("/staff/login", "", &login))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff/login/code");
    let pending = set_cookie(&r, "vigil_pending").expect("pending cookie");

    // The second factor.
    let code = code_for(&secret, "mony", now);
    let form = [("code", code.as_str())];
    for by_origin in [true, false] {
        let req = from_elsewhere(post_form("/staff/login/code", &pending, &form), by_origin);
        let r = call(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "code from another site");
        assert!(set_cookie(&r, "vigil_staff").is_none());
    }
    let r = call(
        &app,
        from_here(post_form("/staff/login/code", &pending, &form)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff/home");
    assert!(set_cookie(&r, "vigil_staff").is_some());
}
