//! Every field of a staff form refuses NUL and other control characters and
//! has a length cap, before the form's own rules: the refusal names the field
//! in the staff member's language and nothing is stored.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, post_form, signed_in};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};

/// The language a page is written in.
fn page_lang(body: &str) -> String {
    body.split("lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("en")
        .to_string()
}

#[tokio::test]
async fn a_staff_form_with_a_nul_or_an_overlong_field_is_refused_naming_it() {
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 1024;
        s.staff.password_iterations = 1;
    })
    .await;
    let pp = Jurisdiction::Provinces(vec!["12".into()]);
    let (cookie, csrf) = signed_in(&app.vigil, "sok", Role::Officer, pp).await;
    let long = "a".repeat(200_000);
    for (field, value, label_id) in [
        ("title", "Raid\u{0}on the tower", "field-name-title"),
        ("lead_agency", long.as_str(), "field-name-lead_agency"),
        ("place", "Tower\u{1b}[31m block", "field-name-place"),
    ] {
        let mut plan = vec![
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-021"),
            ("title", "Raid on the tower"),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("place", "Tower block"),
        ];
        for f in plan.iter_mut() {
            if f.0 == field {
                f.1 = value;
            }
        }
        let r = call(&app, post_form("/staff/operations", &cookie, &plan)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
        let lang = page_lang(&r.body);
        let none: &[(&str, String)] = &[];
        let label = app.state.i18n.format(&lang, label_id, none);
        assert!(
            r.body.contains(&label),
            "{field}: {label} not named: {}",
            r.body
        );
    }
}
