//! The admins' accounts pages through the router, on both backends: an
//! admin creates an account in Khmer and hands over its setup link; the new
//! person sets a password and lands on their role's work; a role change
//! takes effect on their next page; disabling needs its confirmation and
//! stops sign-in; other roles cannot open the pages; nobody locks the admins
//! out; every change is on the audit chain under the admin's name.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::{StatusCode, header};
use staffkit::{Reply, call, get, post_form, principal, set_cookie, signed_in};
use vigil_core::field::FieldMessage;
use vigil_core::{CoreError, staff};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, staff_account};

const PASSWORD: &str = "correct horse battery";

/// Follows redirects (GET) from a reply, the way a browser would.
async fn follow(app: &TestApp, mut r: Reply, cookie: &str) -> (String, Reply) {
    let mut at = String::new();
    while r.status == StatusCode::SEE_OTHER {
        at = r.headers[header::LOCATION].to_str().unwrap().to_string();
        r = call(app, get(&at, cookie)).await;
    }
    (at, r)
}

/// The setup link the page shows.
fn setup_link(body: &str) -> String {
    body.split("id=\"setup-link\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a setup link on the page")
        .to_string()
}

/// The id of an account's page, from the list.
fn account_id(body: &str, username: &str) -> String {
    let row = body
        .split(&format!("data-username=\"{username}\""))
        .nth(1)
        .expect("the account's row");
    row.split("/staff/accounts/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("its page")
        .to_string()
}

/// Signs in with a password (no second factor); the session cookie.
async fn sign_in(app: &TestApp, username: &str) -> Reply {
    call(
        app,
        post_form(
            "/staff/login",
            "",
            &[("username", username), ("password", PASSWORD)],
        ),
    )
    .await
}

#[tokio::test]
async fn an_admin_manages_accounts_from_the_web() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let (admin, csrf) = signed_in(v, "root", Role::Admin, Jurisdiction::National).await;
        let admin_km = format!("{admin}; vigil_lang=km");

        // Signing in lands on the accounts page, with its menu link.
        let (landed, r) = follow(&app, call(&app, get("/staff/home", &admin)).await, &admin).await;
        assert_eq!(landed, "/staff/accounts");
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("id=\"nav-accounts\""), "{}", r.body);

        // Create an officer for two provinces, in Khmer.
        let r = call(
            &app,
            post_form(
                "/staff/accounts",
                &admin_km,
                &[
                    ("csrf", &csrf),
                    ("username", "Sokha.Police"),
                    ("display_name", "សុខា"),
                    ("role", "officer"),
                    ("scope", "provinces"),
                    ("province", "02"),
                    ("province", "12"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("lang=\"km\""));
        assert!(r.body.contains("គណនី sokha.police ត្រូវបានបង្កើត"), "{}", r.body);
        let link = setup_link(&r.body);
        assert!(link.starts_with("/staff/setup/"), "{link}");
        // The list names the role and provinces in Khmer.
        assert!(r.body.contains("មន្ត្រីនគរបាល"), "role in Khmer");
        assert!(r.body.contains("បាត់ដំបង"), "Battambang in Khmer");
        assert!(r.body.contains("ភ្នំពេញ"), "Phnom Penh in Khmer");
        assert!(r.body.contains("data-status=\"pending\""));
        let id = account_id(&r.body, "sokha.police");
        // Every cell of the list is labelled for phones.
        let table = r.body.split("<tbody>").nth(1).unwrap();
        let table = table.split("</tbody>").next().unwrap();
        assert_eq!(
            table.matches("<td").count(),
            table.matches("<td data-label=\"").count()
        );

        // A taken username is a field error on the form, kept as typed.
        let r = call(
            &app,
            post_form(
                "/staff/accounts",
                &admin_km,
                &[
                    ("csrf", &csrf),
                    ("username", "sokha.police"),
                    ("display_name", "ផ្សេង"),
                    ("role", "analyst"),
                    ("scope", "national"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("data-field=\"username\""), "{}", r.body);
        // Provinces chosen but none ticked.
        let r = call(
            &app,
            post_form(
                "/staff/accounts",
                &admin_km,
                &[
                    ("csrf", &csrf),
                    ("username", "dara"),
                    ("display_name", "ដារា"),
                    ("role", "analyst"),
                    ("scope", "provinces"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("data-field=\"jurisdiction\""), "{}", r.body);

        // The new person sets a password and lands on their operations.
        let r = call(
            &app,
            post_form(
                &link,
                "",
                &[("password", PASSWORD), ("password_again", PASSWORD)],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = sign_in(&app, "sokha.police").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let officer = set_cookie(&r, "vigil_staff").expect("session");
        let (landed, page) = follow(&app, r, &officer).await;
        assert_eq!(landed, "/staff/operations");
        assert_eq!(page.status, StatusCode::OK);
        let row = v
            .store
            .staff_by_username("sokha.police")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.role, Role::Officer);
        assert_eq!(
            row.jurisdiction,
            Jurisdiction::Provinces(vec!["02".into(), "12".into()])
        );

        // Officers cannot open the accounts pages nor post to them.
        for path in [
            "/staff/accounts".to_string(),
            format!("/staff/accounts/{id}"),
        ] {
            let r = call(&app, get(&path, &officer)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let s = staff::session(&v.staff, officer.trim_start_matches("vigil_staff="))
            .await
            .unwrap()
            .unwrap();
        let r = call(
            &app,
            post_form(
                &format!("/staff/accounts/{id}/change"),
                &officer,
                &[("csrf", &s.csrf), ("role", "admin"), ("scope", "national")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!r.body.contains("id=\"nav-accounts\""));

        // The admin makes them a national analyst: their next page follows.
        let r = call(
            &app,
            post_form(
                &format!("/staff/accounts/{id}/change"),
                &admin_km,
                &[("csrf", &csrf), ("role", "analyst"), ("scope", "national")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (_, page) = follow(&app, r, &admin_km).await;
        assert!(
            page.body.contains("id=\"role-now\">អ្នកវិភាគ<"),
            "{}",
            page.body
        );
        let (landed, _) = follow(
            &app,
            call(&app, get("/staff/home", &officer)).await,
            &officer,
        )
        .await;
        assert_eq!(landed, "/staff/");
        let row = v
            .store
            .staff_by_username("sokha.police")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.role, row.jurisdiction),
            (Role::Analyst, Jurisdiction::National)
        );

        // Disabling without the box ticked changes nothing.
        let disable = format!("/staff/accounts/{id}/disable");
        let r = call(&app, post_form(&disable, &admin_km, &[("csrf", &csrf)])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("data-field=\"confirm\""), "{}", r.body);
        assert!(!v.store.staff(row.id).await.unwrap().disabled);
        let r = call(
            &app,
            post_form(&disable, &admin_km, &[("csrf", &csrf), ("confirm", "yes")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(v.store.staff(row.id).await.unwrap().disabled);
        // Their session ends and they cannot sign in again.
        let r = call(&app, get("/staff/", &officer)).await;
        assert_eq!(r.headers[header::LOCATION], "/staff/login?lang=km");
        assert_eq!(
            sign_in(&app, "sokha.police").await.status,
            StatusCode::UNAUTHORIZED
        );

        // A reset (confirmed) gives a new link and enables the account.
        let reset = format!("/staff/accounts/{id}/reset");
        let r = call(&app, post_form(&reset, &admin_km, &[("csrf", &csrf)])).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = call(
            &app,
            post_form(&reset, &admin_km, &[("csrf", &csrf), ("confirm", "yes")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let again = setup_link(&r.body);
        assert_ne!(again, link);
        let row = v.store.staff(row.id).await.unwrap();
        assert!(!row.disabled && row.password_hash.is_none());

        // The only admin can neither disable nor demote themselves.
        let root = principal(v, "root").await;
        let mine = format!("/staff/accounts/{}", root.id);
        let r = call(
            &app,
            post_form(
                &format!("{mine}/disable"),
                &admin_km,
                &[("csrf", &csrf), ("confirm", "yes")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"confirm-error\""), "{}", r.body);
        assert!(r.body.contains("គណនីផ្ទាល់ខ្លួន"), "{}", r.body);
        let r = call(
            &app,
            post_form(
                &format!("{mine}/change"),
                &admin_km,
                &[
                    ("csrf", &csrf),
                    ("role", "supervisor"),
                    ("scope", "national"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("data-field=\"role\""), "{}", r.body);
        let root_row = v.store.staff(root.id).await.unwrap();
        assert!(!root_row.disabled && root_row.role == Role::Admin);

        // Every change is on the chain under the admin's name.
        let trail = v.store.audit_after(0, 10_000).await.expect("audit");
        let by_root: Vec<&str> = trail
            .iter()
            .filter(|e| e.entry.actor == "staff:root")
            .filter(|e| e.entry.object == format!("staff:{id}"))
            .map(|e| e.entry.action.name())
            .collect();
        assert_eq!(
            by_root,
            vec![
                "staff.create",
                "staff.change",
                "staff.disable",
                "staff.reset"
            ]
        );
    }
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_disabled_or_demoted() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        signed_in(v, "root", Role::Admin, Jurisdiction::National).await;
        // An admin account not set up (acting, say, through an API token)
        // is not an active admin: root is the last one.
        staff_account(v, "helper", "helper", Role::Admin, Jurisdiction::National).await;
        let helper = principal(v, "helper").await;
        let root = principal(v, "root").await;
        let last = |r: Result<(), CoreError>| match r {
            Err(CoreError::InvalidField(fe)) => fe.message == FieldMessage::LastAdmin,
            _ => false,
        };
        assert!(last(
            staff::disable_account(&v.staff, &helper, root.id, true).await
        ));
        assert!(last(
            staff::change(
                &v.staff,
                &helper,
                root.id,
                Role::Analyst,
                Jurisdiction::National
            )
            .await
        ));
        // Demoting the pending admin is fine: root stays.
        staff::change(
            &v.staff,
            &root,
            helper.id,
            Role::Analyst,
            Jurisdiction::National,
        )
        .await
        .expect("demote the other");
        // Non-admins are refused outright.
        let analyst = principal(v, "helper").await;
        assert!(matches!(
            staff::list(&v.staff, &analyst).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            staff::disable_account(&v.staff, &analyst, root.id, true).await,
            Err(CoreError::Forbidden)
        ));
    }
}
