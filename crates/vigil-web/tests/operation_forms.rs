//! The operation forms through the router on every available backend: an
//! officer records an operation's outcome (done, hitting a new network),
//! dismantles the network with evidence (refused without it, the field
//! named), and records a forensic image of a seized item (a bad hash
//! refused by name, a good one a verified chain step); immigration is
//! refused the POSTs.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};

/// A 15-digit IMEI with its Luhn check digit.
fn imei(n: usize) -> String {
    let base = format!("35{:012}", 300_000 + n);
    let sum: u32 = base
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn officers_record_outcome_dismantle_and_image() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let pp = Jurisdiction::Provinces(vec!["12".into()]);
        let (cookie, csrf) = signed_in(v, "sok", Role::Officer, pp).await;
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-021"),
            ("title", "Raid on the tower"),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("place", "Tower block"),
        ];
        let r = call(&app, post_form("/staff/operations", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let op_path = location(&r);
        let r = call(&app, get(&format!("{op_path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("id=\"outcome-form\""), "{}", r.body);
        assert!(r.body.contains("value=\"+07:00\""), "offset defaults");
        assert!(!r.body.contains("id=\"dismantle-form\""), "not done yet");

        // Done, hitting a new network; a new network without a name is named.
        let mut outcome = vec![
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("happened_local", "2026-11-20T05:30"),
            ("happened_offset", "+07:00"),
            ("outcome", "Compound cleared, 40 people freed"),
            ("network", "new"),
            ("network_name", ""),
            ("network_leaders", "Boss A, Boss B"),
        ];
        let out_path = format!("{op_path}/outcome?lang=en");
        let r = call(&app, post_form(&out_path, &cookie, &outcome)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"network_name\""), "{}", r.body);
        assert!(r.body.contains("40 people freed"), "input kept");
        outcome[6].1 = "Golden line";
        let r = call(&app, post_form(&out_path, &cookie, &outcome)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{op_path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("2026-11-20 05:30 +07:00"), "{}", r.body);
        assert!(r.body.contains("Golden line"));
        assert!(r.body.contains("id=\"dismantle-form\""), "{}", r.body);
        let at = r.body.find("name=\"network\" value=\"").unwrap() + 22;
        let network = r.body[at..].split('"').next().unwrap().to_string();

        // Dismantled: without evidence the field is named, then with it.
        let dis_path = format!("{op_path}/dismantle?lang=en");
        let mut dis = vec![
            ("csrf", csrf.as_str()),
            ("network", network.as_str()),
            ("evidence", "  "),
        ];
        let r = call(&app, post_form(&dis_path, &cookie, &dis)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"evidence\""), "{}", r.body);
        dis[2].1 = "Leaders arrested, court case 12/2026";
        let r = call(&app, post_form(&dis_path, &cookie, &dis)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{op_path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("Golden line · dismantled"), "{}", r.body);
        assert!(!r.body.contains("id=\"dismantle-form\""));
        let km = call(&app, get(&format!("{op_path}?lang=km"), &cookie)).await;
        assert!(km.body.contains("កត់ត្រាលទ្ធផល"), "Khmer");

        // A seized phone, then its forensic image.
        let scan = [
            ("csrf", csrf.as_str()),
            ("kind", "smartphone"),
            ("prefix", "PH"),
            ("at_local", "2026-11-20T05:40"),
            ("at_offset", "+07:00"),
            ("lines", &imei(1)),
        ];
        let r = call(&app, post_form(&format!("{op_path}/scan"), &cookie, &scan)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&op_path, &cookie)).await;
        let at = r.body.find("data-item=\"").unwrap() + "data-item=\"".len();
        let item: i64 = r.body[at..].split('"').next().unwrap().parse().unwrap();
        let item_path = format!("/staff/items/{item}");
        let r = call(&app, get(&format!("{item_path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("id=\"image-form\""), "{}", r.body);
        let good = "ab".repeat(32);
        let mut image = vec![
            ("csrf", csrf.as_str()),
            ("by", "sok"),
            ("sha256", "not-a-hash"),
            ("at_local", "2026-11-20T09:00"),
            ("at_offset", "+07:00"),
        ];
        let img_path = format!("{item_path}/image?lang=en");
        let r = call(&app, post_form(&img_path, &cookie, &image)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"sha256\""), "{}", r.body);
        assert!(r.body.contains("value=\"not-a-hash\""), "input kept");
        image[2].1 = good.as_str();
        let r = call(&app, post_form(&img_path, &cookie, &image)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{item_path}?lang=en"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Chain verified: 2 entries"), "{}", r.body);
        assert!(r.body.contains("data-step=\"2\""));
        assert!(r.body.contains("Forensic image"));
        assert!(
            r.body.contains(&format!("sha256 {}", &good[..12])),
            "the hash shown"
        );

        // Immigration is refused the forms.
        let (imm, imm_csrf) = signed_in(v, "chan", Role::Immigration, Jurisdiction::National).await;
        let forms = [
            (format!("{op_path}/outcome"), vec![("status", "cancelled")]),
            (format!("{op_path}/dismantle"), vec![("evidence", "x")]),
            (
                format!("{item_path}/image"),
                vec![("sha256", good.as_str())],
            ),
        ];
        for (path, fields) in forms {
            let mut fields = fields;
            fields.push(("csrf", imm_csrf.as_str()));
            let r = call(&app, post_form(&path, &imm, &fields)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "immigration {path}");
        }
    }
}
