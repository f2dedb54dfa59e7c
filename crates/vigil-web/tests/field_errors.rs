//! A wrong field on a staff form is shown in the officer's language: the
//! field's label and what is wrong with it both come from the catalogue, in
//! Khmer for a Khmer-speaking officer and in English for an English one.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, post_form, signed_in};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

#[tokio::test]
async fn a_missing_title_is_named_in_the_officers_language() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let pp = Jurisdiction::Provinces(vec!["12".into()]);
        let (cookie, csrf) = signed_in(v, "sok", Role::Officer, pp).await;
        let district = gazetteer()
            .children("12")
            .next()
            .expect("a district")
            .code
            .clone();
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-015"),
            ("title", ""),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("partners", ""),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("district_code", district.as_str()),
            ("commune_code", ""),
            ("place", "Compound by the river"),
            ("facilities", ""),
        ];

        let r = call(&app, post_form("/staff/operations?lang=km", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"title\""), "{}", r.body);
        assert!(r.body.contains("ចំណងជើង៖ ត្រូវតែបំពេញ"), "{}", r.body);
        for english in ["must be given", "Title", "field-required", "field-name-"] {
            assert!(!r.body.contains(english), "{english} in {}", r.body);
        }

        let r = call(&app, post_form("/staff/operations?lang=en", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Title: must be given"), "{}", r.body);
        assert!(!r.body.contains("field-required"), "{}", r.body);
    }
}
