//! Every role lands on its work and its menu lists only pages it may open:
//! each role signs in, opens `/staff/home` (following where it is sent:
//! its landing page), and follows every link of the menu; each answers
//! 200, on both backends. Only admins see the accounts link.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::{StatusCode, header};
use staffkit::{call, get, signed_in};
use vigil_domain::{Capability, Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

/// The links of the page's menu.
fn menu(body: &str) -> Vec<String> {
    let start = body.find("<nav>").expect("a menu");
    let end = start + body[start..].find("</nav>").expect("its end");
    body[start..end]
        .match_indices("href=\"")
        .map(|(i, m)| {
            let rest = &body[start + i + m.len()..end];
            rest[..rest.find('"').expect("a quoted link")].replace("&amp;", "&")
        })
        .collect()
}

#[tokio::test]
async fn every_role_lands_on_its_work_and_every_menu_link_opens() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        for role in Role::ALL {
            let (cookie, _) = signed_in(
                &app.vigil,
                &format!("menu.{role}"),
                role,
                Jurisdiction::National,
            )
            .await;
            let mut r = call(&app, get("/staff/home?lang=km", &cookie)).await;
            let mut landed = "/staff/home".to_string();
            while r.status == StatusCode::SEE_OTHER {
                landed = r.headers[header::LOCATION].to_str().unwrap().to_string();
                r = call(&app, get(&landed, &cookie)).await;
            }
            let expected = match role {
                Role::Analyst => "/staff/",
                Role::Officer => "/staff/operations",
                Role::Prosecutor => "/staff/cases",
                Role::Immigration => "/staff/screen",
                Role::Supervisor | Role::Partner => "/staff/dashboard",
                Role::Admin => "/staff/accounts",
            };
            assert_eq!(landed, format!("{expected}?lang=km"), "{role}");
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{role} lands on {landed}: {}",
                r.body
            );
            let links = menu(&r.body);
            assert!(
                links.iter().any(|l| l == "/staff/dashboard"),
                "{role}: {links:?}"
            );
            assert!(r.body.contains("lang=\"km\""), "{role} keeps Khmer");
            assert_eq!(
                links.iter().any(|l| l == "/staff/accounts"),
                role.can(Capability::Administer),
                "{role}: {links:?}"
            );
            // The site's name leads back to the landing page.
            assert!(
                r.body.contains("class=\"brand\" href=\"/staff/home\""),
                "{role}"
            );
            if !role.can(Capability::ReadTips) {
                assert!(
                    !links.iter().any(|l| l == "/staff/"),
                    "{role} reads no tips"
                );
            }
            for link in &links {
                // The language switch is relative to the page.
                let link = if link.starts_with('?') {
                    format!("{}{link}", landed.split('?').next().unwrap_or_default())
                } else {
                    link.clone()
                };
                let r = call(&app, get(&link, &cookie)).await;
                assert_eq!(
                    r.status,
                    StatusCode::OK,
                    "{role} follows {link}: {}",
                    r.body
                );
            }
        }
    }
}
