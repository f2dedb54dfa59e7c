//! Every staff form passes one gate (`StaffForm`): through the router, a
//! signed-in officer's POST without the session's CSRF token, or with a
//! wrong one, or from another site, is refused with 403 and the message in
//! the page's language, and nothing is done; with the token it goes through.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, post_form, principal, signed_in, tip_in};
use vigil_domain::{Jurisdiction, Role, TipStatus};
use vigil_testkit::{TestApp, backends};

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
