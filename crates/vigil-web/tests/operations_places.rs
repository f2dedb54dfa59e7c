//! Planning a raid by names, without JavaScript, through the router on
//! every available backend: the province, district and commune are lists
//! of names in the reader's language, each filled by the form's "narrow"
//! button once the one above is chosen (a district of another province
//! dropped), or found by a name typed; the facilities are offered by name
//! with their tips and priority, `?facility=` ticks one and chooses its
//! province; the operation planned shows its place and facility by name,
//! never by code, and without the reporters' words to a role that does not
//! read tips.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in, tip_at};
use vigil_core::Vigil;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{FacilityId, Jurisdiction, Location, Role};
use vigil_testkit::{Backend, TestApp, backends};

/// The province, its first district and that district's first commune.
fn place(province: &str) -> (String, String) {
    let g = gazetteer();
    let district = g
        .children(province)
        .next()
        .expect("a district")
        .code
        .clone();
    let commune = g
        .children(&district)
        .next()
        .expect("a commune")
        .code
        .clone();
    (district, commune)
}

fn km(code: &str) -> String {
    gazetteer().get(code).expect("known").name_km.clone()
}

fn en(code: &str) -> String {
    gazetteer().get(code).expect("known").name_en.clone()
}

/// A facility the pipeline made of two tips that call it by the same words
/// and share a phone.
async fn named_facility(v: &Vigil, province: &str, words: &str) -> FacilityId {
    let (district, commune) = place(province);
    let mut tip = None;
    for text in [
        "people held in the compound, call +855 12 777 431",
        "they took our passports, the boss answers +855 12 777 431",
    ] {
        let (t, _) = tip_at(
            v,
            Location {
                province_code: Some(province.into()),
                district_code: Some(district.clone()),
                commune_code: Some(commune.clone()),
                place: Some(words.into()),
                ..Location::default()
            },
            text,
        )
        .await;
        tip = Some(t);
    }
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    v.store
        .facility_of(tip.expect("a tip"))
        .await
        .expect("of")
        .expect("facility")
}

/// The `<select id=…>` element of a page.
fn select<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!("<select name=\"{id}\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} list in {body}"));
    let len = body[start..].find("</select>").expect("closed");
    &body[start..start + len]
}

/// The labels of a list's options (the "choose" one included).
fn labels(list: &str) -> Vec<String> {
    list.split("<option")
        .skip(1)
        .map(|o| {
            let start = o.find('>').expect(">") + 1;
            let end = o.find("</option>").expect("</option>");
            o[start..end].to_string()
        })
        .collect()
}

#[tokio::test]
async fn places_and_facilities_are_chosen_by_name_without_javascript() {
    for b in backends() {
        plan_by_names(b).await;
    }
}

async fn plan_by_names(b: Backend) {
    let app = TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let province = "02";
    let (district, commune) = place(province);
    let facility = named_facility(v, province, "កាស៊ីណូនាគមាស").await;
    let fid = facility.0.to_string();
    let (cookie, csrf) = signed_in(
        v,
        "sokha",
        Role::Officer,
        Jurisdiction::Provinces(vec![province.into()]),
    )
    .await;

    // The form: the officer's one province chosen, its districts by their
    // Khmer names, no code shown; the facility offered by its name.
    let r = call(&app, get("/staff/operations?lang=km", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let provinces = select(&r.body, "province_code");
    assert!(
        provinces.contains(&format!(
            "<option value=\"{province}\" selected>{}</option>",
            km(province)
        )),
        "{provinces}"
    );
    let districts = labels(select(&r.body, "district_code"));
    assert!(districts.contains(&km(&district)), "{districts:?}");
    assert_eq!(
        districts.len(),
        gazetteer().children(province).count() + 1,
        "every district and the choice"
    );
    for l in districts.iter().chain(labels(provinces).iter()) {
        assert!(!l.chars().any(|c| c.is_ascii_digit()), "a code in {l}");
    }
    assert!(
        labels(select(&r.body, "commune_code")).len() == 1,
        "no commune yet"
    );
    assert!(r.body.contains("កាស៊ីណូនាគមាស"), "the facility by name");
    assert!(
        r.body.contains(&format!(
            "name=\"facility\" value=\"{fid}\" id=\"facility-{fid}\">"
        )),
        "offered, not ticked"
    );
    assert!(!r.body.contains("ops-") && !r.body.contains("opsx-"));

    // Narrowing to the district fills its communes, what was typed kept,
    // nothing planned.
    let form = |district: &str, commune: &str, narrow: bool| {
        let mut f = vec![
            ("csrf", csrf.clone()),
            ("ref", "OP-2026-040".to_string()),
            ("title", "វាយឆ្មក់កាស៊ីណូ".to_string()),
            ("lead_agency", "នគរបាលប្រឆាំងការជួញដូរមនុស្ស".to_string()),
            ("partners", String::new()),
            ("planned_local", "2026-11-20T05:00".to_string()),
            ("planned_offset", "+07:00".to_string()),
            ("province_code", province.to_string()),
            ("district_code", district.to_string()),
            ("commune_code", commune.to_string()),
            ("place", "ខាងក្រោយកាស៊ីណូ".to_string()),
            ("facility", fid.clone()),
        ];
        if narrow {
            f.push(("narrow", "1".to_string()));
        }
        f
    };
    let send = |f: &[(&'static str, String)]| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post_form("/staff/operations?lang=km", &cookie, &pairs)
    };
    let r = call(&app, send(&form(&district, "", true))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("id=\"form-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"OP-2026-040\""), "kept");
    assert!(select(&r.body, "district_code").contains(&format!(
        "<option value=\"{district}\" selected>{}</option>",
        km(&district)
    )));
    let communes = labels(select(&r.body, "commune_code"));
    assert!(communes.contains(&km(&commune)), "{communes:?}");
    assert_eq!(communes.len(), gazetteer().children(&district).count() + 1);
    assert!(
        r.body.contains(&format!(
            "name=\"facility\" value=\"{fid}\" id=\"facility-{fid}\" checked>"
        )),
        "still ticked"
    );
    let listed = call(&app, get("/staff/operations", &cookie)).await;
    assert!(!listed.body.contains("data-operation="), "nothing planned");

    // A district of another province is dropped when narrowing.
    let (elsewhere, _) = place("12");
    let r = call(&app, send(&form(&elsewhere, "", true))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!select(&r.body, "district_code").contains(" selected>"));
    assert_eq!(labels(select(&r.body, "commune_code")).len(), 1);

    // In English, the names are English (the Khmer after them).
    let pairs: Vec<(&str, String)> = form(&district, "", true);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = call(
        &app,
        post_form("/staff/operations?lang=en", &cookie, &pairs),
    )
    .await;
    let communes = labels(select(&r.body, "commune_code"));
    assert!(
        communes.contains(&format!("{} ({})", en(&commune), km(&commune))),
        "{communes:?}"
    );

    // A place typed by its Khmer name is chosen in the lists; one outside
    // the officer's provinces, or no place at all, is named wrong.
    let mut typed = form("", "", true);
    typed.push(("place_name", km(&district)));
    let r = call(&app, send(&typed)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        select(&r.body, "district_code").contains(&format!("value=\"{district}\" selected")),
        "{}",
        r.body
    );
    assert!(labels(select(&r.body, "commune_code")).contains(&km(&commune)));
    for elsewhere in [km("12"), "Atlantis".to_string()] {
        let mut typed = form("", "", true);
        typed.push(("place_name", elsewhere));
        let r = call(&app, send(&typed)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"place_name\""), "{}", r.body);
        assert!(r.body.contains("រកមិនឃើញទីកន្លែង"), "{}", r.body);
    }

    // A facility's "plan a raid here": ticked, its province chosen.
    let national = signed_in(v, "chan", Role::Officer, Jurisdiction::National).await;
    let r = call(
        &app,
        get(
            &format!("/staff/operations?lang=km&facility={fid}"),
            &national.0,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!(
            "name=\"facility\" value=\"{fid}\" id=\"facility-{fid}\" checked>"
        )),
        "{}",
        r.body
    );
    assert!(select(&r.body, "province_code").contains(&format!("value=\"{province}\" selected")));

    // An officer of another province is not offered it.
    let other = signed_in(
        v,
        "piseth",
        Role::Officer,
        Jurisdiction::Provinces(vec!["12".into()]),
    )
    .await;
    let r = call(
        &app,
        get(
            &format!("/staff/operations?lang=km&facility={fid}"),
            &other.0,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains(&format!("id=\"facility-{fid}\"")));
    assert!(!r.body.contains("កាស៊ីណូនាគមាស"));

    // Planned: the operation's page names its place and facility.
    let r = call(&app, send(&form(&district, &commune, false))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r
        .headers
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("to the operation")
        .to_string();
    let r = call(&app, get(&format!("{to}?lang=km"), &cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r.body.find("id=\"op-place\"").expect("the place");
    let shown = &r.body[at..at + r.body[at..].find("</dd>").expect("dd")];
    for code in [province, district.as_str(), commune.as_str()] {
        assert!(shown.contains(&km(code)), "{shown}");
        assert!(!shown.contains(&format!(">{code}<")) && !shown.contains(&format!("({code})")));
    }
    let at = r.body.find("id=\"op-facilities\"").expect("the facilities");
    let shown = &r.body[at..at + r.body[at..].find("</dd>").expect("dd")];
    assert!(shown.contains("កាស៊ីណូនាគមាស"), "{shown}");
    assert!(!shown.contains(&format!("#{fid}")), "{shown}");

    // A prosecutor, who reads operations but not tips, sees the facility
    // without the reporters' words.
    let prosecutor = signed_in(v, "rotha", Role::Prosecutor, Jurisdiction::National).await;
    let r = call(&app, get(&format!("{to}?lang=km"), &prosecutor.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r.body.find("id=\"op-facilities\"").expect("the facilities");
    let shown = &r.body[at..at + r.body[at..].find("</dd>").expect("dd")];
    assert!(shown.contains(&format!("ទីតាំងសង្ស័យ {fid}")), "{shown}");
    assert!(!shown.contains("កាស៊ីណូនាគមាស"), "{shown}");

    // A facility that is not one is named, the rest kept.
    let mut bad = form(&district, &commune, false);
    bad[1].1 = "OP-2026-041".into();
    bad.last_mut().expect("facility").1 = "x".into();
    let r = call(&app, send(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("data-field=\"facilities\""), "{}", r.body);
    assert!(r.body.contains("value=\"OP-2026-041\""));
}
