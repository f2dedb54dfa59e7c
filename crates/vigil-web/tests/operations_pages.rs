//! The operations and custody pages through the router on every available
//! backend: an officer plans an operation from a facility the pipeline made,
//! seizes 50 phones by pasting their IMEIs (a bad line refused by its number
//! with nothing stored and the input kept), reads an item's custody report
//! with its chain verified, hands it over, downloads the signed bundle and
//! verifies it offline; immigration is refused and another province's
//! officer finds nothing.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, get, post_form, principal, signed_in, tip_at};
use vigil_core::Vigil;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{FacilityId, Jurisdiction, Location, Role};
use vigil_testkit::{TestApp, backends};

fn district_of(province: &str) -> String {
    gazetteer()
        .children(province)
        .next()
        .expect("a district")
        .code
        .clone()
}

/// A facility made by the pipeline from a tip in `province`.
async fn facility_in(v: &Vigil, province: &str) -> FacilityId {
    let (tip, _) = tip_at(
        v,
        Location {
            province_code: Some(province.into()),
            district_code: Some(district_of(province)),
            ..Location::default()
        },
        "scam compound by the river, people held, call +855 12 345 678",
    )
    .await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    v.store
        .facility_of(tip)
        .await
        .expect("of")
        .expect("facility")
}

/// A 15-digit IMEI with its Luhn check digit.
fn imei(n: usize) -> String {
    let base = format!("35{:012}", 200_000 + n);
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

/// The id after `prefix` in a redirect's `Location`.
fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

/// A multipart form (the CSV form), the CSV sent as an uploaded file.
fn multipart(path: &str, cookie: &str, fields: &[(&str, &str)], file: &str) -> Request<Body> {
    let b = "vigilboundary7MA4YWxk";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"items.csv\"\r\n\
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

fn location(r: &staffkit::Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn officers_plan_seize_and_hand_over_evidence() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let facility = facility_in(v, "12").await;
        let pp = Jurisdiction::Provinces(vec!["12".into()]);
        let (cookie, csrf) = signed_in(v, "sok", Role::Officer, pp).await;

        // The list, the nav link and the planning form.
        let r = call(&app, get("/staff/operations?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"nav-operations\""));
        assert!(r.body.contains("id=\"plan-form\""));
        assert!(r.body.contains("value=\"+07:00\""), "offset defaults");

        let district = district_of("12");
        let fid = facility.0.to_string();
        let mut plan = vec![
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-014"),
            ("title", "Raid on the river compound"),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("partners", "Immigration, Military Police"),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("district_code", district.as_str()),
            ("commune_code", ""),
            ("place", "Compound by the river"),
            ("facility", fid.as_str()),
        ];
        // A district outside the province is named, the input kept.
        plan[8].1 = "0102";
        let r = call(&app, post_form("/staff/operations?lang=en", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("data-field=\"district_code\""),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"OP-2026-014\""));
        plan[8].1 = district.as_str();
        let r = call(&app, post_form("/staff/operations", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let op = id_in(&location(&r), "/staff/operations/");
        let op_path = format!("/staff/operations/{op}");

        let r = call(&app, get(&format!("{op_path}?lang=en"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body
                .contains(&format!("href=\"/staff/facilities/{fid}\""))
        );
        assert!(r.body.contains("2026-11-20 05:00 +07:00"), "{}", r.body);
        assert!(r.body.contains("id=\"lines\"") && r.body.contains("autofocus"));
        assert!(r.body.contains("value=\"sok\" readonly"), "the officer");
        assert!(r.body.contains("value=\"smartphone\" selected"));
        let r = call(&app, get("/staff/operations", &cookie)).await;
        assert!(
            r.body.contains(&format!("data-operation=\"{op}\"")),
            "listed"
        );

        // 50 phones, as a scanner types them; one bad line refuses them all.
        let imeis: Vec<String> = (0..50).map(imei).collect();
        let mut bad = imeis.clone();
        let mut wrong = imeis[6].clone();
        let last = wrong.pop().unwrap().to_digit(10).unwrap();
        wrong.push(char::from_digit((last + 1) % 10, 10).unwrap());
        bad[6] = wrong;
        let bad = bad.join("\r\n");
        let scan_path = format!("{op_path}/scan?lang=en");
        let scan = |lines: &'_ str| {
            vec![
                ("csrf", csrf.clone()),
                ("kind", "smartphone".to_string()),
                ("prefix", "PH".to_string()),
                ("at_local", "2026-11-20T05:40".to_string()),
                ("at_offset", "+07:00".to_string()),
                ("lines", lines.to_string()),
            ]
        };
        let bad_form = scan(&bad);
        let pairs: Vec<(&str, &str)> = bad_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = call(&app, post_form(&scan_path, &cookie, &pairs)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"line 7, imei\""), "{}", r.body);
        assert!(
            r.body.contains("Line 7, IMEI: ") && r.body.contains("one digit is mistyped"),
            "{}",
            r.body
        );
        assert!(r.body.contains(&imeis[49]), "the input is kept");
        assert!(r.body.contains("id=\"no-items\""), "nothing stored");
        assert!(
            vigil_core::evidence::items(&v.operations, &principal(v, "sok").await, op)
                .await
                .unwrap()
                .is_empty()
        );

        // A wrong token is refused.
        let r = call(
            &app,
            post_form(&scan_path, &cookie, &[("csrf", "x"), ("lines", &imeis[0])]),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let good = imeis.join("\r\n");
        let good_form = scan(&good);
        let pairs: Vec<(&str, &str)> = good_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = call(&app, post_form(&scan_path, &cookie, &pairs)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(location(&r).ends_with("?seized=50"));
        let r = call(&app, get(&format!("{op_path}?lang=en&seized=50"), &cookie)).await;
        assert_eq!(r.body.matches("data-item=").count(), 50, "{}", r.body);
        assert!(r.body.contains("PH-001") && r.body.contains("PH-050"));
        assert!(r.body.contains("50 items seized"));
        // A CSV file: a bad row refuses it whole, naming row and field.
        let csv_path = format!("{op_path}/csv?lang=en");
        let fields = [
            ("csrf", csrf.as_str()),
            ("csv", ""),
            ("at_local", "2026-11-20T06:10"),
            ("at_offset", "+07:00"),
        ];
        let bad_csv = format!(
            "ref,kind,description,imei\nL1,computer,laptop,\nS1,smartphone,x,{}\n",
            &imeis[0][..14]
        );
        let r = call(&app, multipart(&csv_path, &cookie, &fields, &bad_csv)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"imei\""), "{}", r.body);
        assert!(
            r.body.contains("Row 3, IMEI: ") && r.body.contains("the check digit is missing"),
            "{}",
            r.body
        );
        let good_csv = "ref,kind,description,serial\nL1,computer,laptop,SN-1\n";
        let r = call(&app, multipart(&csv_path, &cookie, &fields, good_csv)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(location(&r).ends_with("?seized=1"));
        let r = call(&app, get(&op_path, &cookie)).await;
        assert_eq!(r.body.matches("data-item=").count(), 51);

        let at = r.body.find("data-item=\"").unwrap() + "data-item=\"".len();
        let item: i64 = r.body[at..].split('"').next().unwrap().parse().unwrap();
        let item_path = format!("/staff/items/{item}");

        // The custody report: the chain verified, printable, with its bundle.
        let r = call(&app, get(&format!("{item_path}?lang=en"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"chain-verified\""));
        assert!(r.body.contains("Chain verified: 1 entries"), "{}", r.body);
        assert!(r.body.contains("data-step=\"1\""));
        assert!(r.body.contains("2026-11-20 05:40 +07:00"));
        assert!(r.body.contains(&imeis[0]));
        assert!(r.body.contains("value=\"sok\""), "from is the holder");
        assert!(r.body.contains(&format!("href=\"{item_path}/bundle\"")));
        let km = call(&app, get(&format!("{item_path}?lang=km"), &cookie)).await;
        assert!(km.body.contains("របាយការណ៍កាន់កាប់វត្ថុតាង"), "Khmer");

        // A hand-over from someone who does not hold it is named; then one
        // from the holder is appended.
        let mut hand = vec![
            ("csrf", csrf.as_str()),
            ("from", "dara"),
            ("to", "evidence.room"),
            ("place", "Police station evidence room"),
            ("purpose", "storage"),
            ("at_local", "2026-11-20T09:00"),
            ("at_offset", "+07:00"),
        ];
        let transfer = format!("{item_path}/transfer?lang=en");
        let r = call(&app, post_form(&transfer, &cookie, &hand)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"from\""), "{}", r.body);
        hand[1].1 = "sok";
        let r = call(&app, post_form(&transfer, &cookie, &hand)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get(&format!("{item_path}?lang=en"), &cookie)).await;
        assert!(r.body.contains("data-step=\"2\""), "{}", r.body);
        assert!(r.body.contains("Chain verified: 2 entries"));
        assert!(r.body.contains("id=\"holder\">evidence.room<"));

        // The bundle verifies offline with the instance's key.
        let r = call(&app, get(&format!("{item_path}/bundle"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/json");
        assert!(
            r.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let key = vigil_core::sync::signing_key(&v.settings)
            .unwrap()
            .verifying_key();
        let verified = vigil_custody::verify_bundle(r.body.as_bytes(), &[key]).expect("verifies");
        assert_eq!(verified.bundle.items.len(), 1);
        assert_eq!(verified.bundle.items[0].entries.len(), 2);

        // A chain altered in the database: the page still opens, in the
        // reader's language, names the step and offers no hand-over or bundle.
        app.db
            .tamper(&format!(
                "UPDATE custody_entries SET event = REPLACE(event, 'storage', 'st0rage') \
                 WHERE item_id = {item} AND step = 2"
            ))
            .await;
        let r = call(&app, get(&format!("{item_path}?lang=en"), &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("id=\"chain-broken\"")
                && r.body
                    .contains("does not verify from step 2: a field of the entry was changed."),
            "{}",
            r.body
        );
        assert!(!r.body.contains("id=\"chain-verified\""));
        assert!(!r.body.contains("id=\"transfer-form\"") && !r.body.contains("id=\"bundle\""));
        let km = call(&app, get(&format!("{item_path}?lang=km"), &cookie)).await;
        assert_eq!(km.status, StatusCode::OK);
        assert!(
            km.body.contains("ចាប់ពីជំហានទី 2") && km.body.contains("វាលមួយនៃធាតុនេះត្រូវបានកែប្រែ"),
            "{}",
            km.body
        );
        hand[1].1 = "evidence.room";
        let r = call(&app, post_form(&transfer, &cookie, &hand)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"chain-broken\""), "{}", r.body);
        let r = call(&app, get(&format!("{item_path}/bundle?lang=en"), &cookie)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // Immigration may not; another province's officer finds nothing.
        let (imm, _) = signed_in(v, "chan", Role::Immigration, Jurisdiction::National).await;
        let r = call(&app, get("/staff/screen", &imm)).await;
        assert!(!r.body.contains("id=\"nav-operations\""));
        let prov18 = Jurisdiction::Provinces(vec!["18".into()]);
        let (other, other_csrf) = signed_in(v, "dara", Role::Officer, prov18).await;
        for path in [
            "/staff/operations".to_string(),
            op_path.clone(),
            item_path.clone(),
            format!("{item_path}/bundle"),
        ] {
            let r = call(&app, get(&path, &imm)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "immigration {path}");
        }
        for path in [
            op_path.clone(),
            item_path.clone(),
            format!("{item_path}/bundle"),
        ] {
            let r = call(&app, get(&path, &other)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "province 18 {path}");
        }
        let r = call(&app, get("/staff/operations", &other)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("data-operation="), "not listed");
        let r = call(
            &app,
            post_form(
                &format!("{op_path}/scan"),
                &other,
                &[
                    ("csrf", other_csrf.as_str()),
                    ("kind", "smartphone"),
                    ("prefix", "X"),
                    ("at_local", "2026-11-20T05:40"),
                    ("lines", imeis[0].as_str()),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
