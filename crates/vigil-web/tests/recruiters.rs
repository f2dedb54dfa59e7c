//! The recruiter pages through the router on every available backend: an
//! officer records victims with their home villages (by code, by name and
//! commune in English and in Khmer) and the recruiter's contacts typed in
//! different ways, then the recruiter met and arrested, all through the
//! operation page's form; the person page links to the recruiter, whose
//! page lists the victims and their commune; the commune view hides small
//! counts; the prevention page and its CSV put the commune first; an
//! officer of another province finds nothing; the Khmer pages are in
//! Khmer; an ambiguous village name is refused with the localized message.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use staffkit::{Reply, call, get, post_form, signed_in};
use vigil_domain::gazetteer::{Level, gazetteer, name_key};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};
use vigil_web::I18n;

fn location(r: &Reply) -> String {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The number after `key` in `text`.
fn id_after(text: &str, key: &str) -> i64 {
    text.split_once(key)
        .map(|(_, rest)| rest)
        .and_then(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|d| d.parse().ok())
        })
        .unwrap_or_else(|| panic!("no {key} in {text}"))
}

/// A commune of `province` with at least two villages whose names are
/// unique in the country (so that a name with its commune finds one).
fn commune_with_villages(province: &str) -> (String, Vec<String>) {
    let g = gazetteer();
    for d in g.children(province) {
        for c in g.children(&d.code) {
            let villages: Vec<String> = g.children(&c.code).map(|v| v.code.clone()).collect();
            if villages.len() >= 2 {
                return (c.code.clone(), villages);
            }
        }
    }
    panic!("no commune with villages in {province}");
}

/// A village name that several villages share, whatever their commune.
fn shared_village_name() -> String {
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for u in gazetteer().units() {
        if u.level == Level::Village {
            let e = seen
                .entry(name_key(&u.name_en))
                .or_insert_with(|| (u.name_en.clone(), 0));
            e.1 += 1;
        }
    }
    seen.into_values()
        .filter(|(name, n)| *n >= 3 && !name.contains(','))
        .map(|(name, _)| name)
        .next()
        .expect("a shared village name")
}

fn person<'a>(csrf: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("role", "victim"),
        ("nationality", "KH"),
        ("language", "km"),
        ("sex", "f"),
        ("age", ""),
        ("date_of_birth", ""),
        ("given_name", "Sokha"),
        ("family_name", "Chan"),
        ("other_names", ""),
        ("documents", ""),
        ("notes", ""),
        ("consent", "refused"),
        ("home_village", ""),
        ("contacts", ""),
        ("promised_job", "Casino cashier, 1,500 USD a month"),
        ("route", "Van to the border at night"),
        ("indicator", "cannot_leave"),
    ];
    for (k, v) in fields {
        match form.iter_mut().find(|(f, _)| f == k) {
            Some(slot) => slot.1 = v,
            None => form.push((k, v)),
        }
    }
    form.retain(|(k, v)| *k != "indicator" || !v.is_empty());
    form
}

async fn plan(app: &TestApp, cookie: &str, csrf: &str, reference: &str, commune: &str) -> i64 {
    let form = [
        ("csrf", csrf),
        ("ref", reference),
        ("title", "Raid"),
        ("lead_agency", "Anti-Human Trafficking Police"),
        ("partners", ""),
        ("planned_local", "2026-11-20T05:00"),
        ("planned_offset", "+07:00"),
        ("province_code", &commune[..2]),
        ("district_code", &commune[..4]),
        ("commune_code", commune),
        ("place", "Compound"),
        ("facilities", ""),
    ];
    let r = call(app, post_form("/staff/operations", cookie, &form)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id_after(&location(&r), "/staff/operations/")
}

/// The `<tr>` (or other element) carrying `attr`, up to its end.
fn row<'a>(body: &'a str, attr: &str) -> &'a str {
    let at = body
        .find(attr)
        .unwrap_or_else(|| panic!("no {attr} in {body}"));
    let rest = &body[at..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn recruiters_are_recorded_shown_by_commune_and_ranked_for_prevention() {
    let i18n = I18n::load().expect("catalogues");
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let g = gazetteer();
        let (officer, csrf) = signed_in(
            v,
            "sok",
            Role::Officer,
            Jurisdiction::Provinces(vec!["12".into(), "14".into()]),
        )
        .await;
        let (far, _) = signed_in(
            v,
            "far",
            Role::Officer,
            Jurisdiction::Provinces(vec!["18".into()]),
        )
        .await;

        let (home_commune, villages) = commune_with_villages("14");
        let (raid_commune, _) = commune_with_villages("12");
        let raid = plan(&app, &officer, &csrf, "OP-R-1", &raid_commune).await;
        let add = format!("/staff/operations/{raid}/persons?lang=en");

        // The form has the new fields, with the suggestions' hook.
        let r = call(
            &app,
            get(&format!("/staff/operations/{raid}?lang=en"), &officer),
        )
        .await;
        for field in [
            "home_village",
            "contacts",
            "promised_job",
            "route",
            "arrested",
        ] {
            assert!(r.body.contains(&format!("name=\"{field}\"")), "{field}");
        }
        assert!(r.body.contains("data-suggest=\"/staff/villages\""));
        assert!(
            r.body
                .contains(&format!("href=\"/staff/areas/{raid_commune}\""))
        );

        // Four victims: home by code, by name and commune in English and in
        // Khmer; the recruiter's number and handle typed in several ways.
        let village_a = g.get(&villages[0]).expect("village");
        let commune = g.get(&home_commune).expect("commune");
        let by_name = format!("{}, {}", village_a.name_en, commune.name_en);
        let by_khmer = format!("{}, {}", village_a.name_km, commune.name_km);
        let mut victims = Vec::new();
        for (given, home, contacts) in [
            ("Sokha", villages[0].as_str(), "he called from 012 345 678"),
            (
                "Dara",
                by_name.as_str(),
                "+855 12 345 678, telegram @Agent_Phal",
            ),
            ("Srey", by_khmer.as_str(), "@agent_phal"),
            ("Vanna", villages[1].as_str(), "t.me/agent_phal"),
        ] {
            let form = person(
                &csrf,
                &[
                    ("given_name", given),
                    ("home_village", home),
                    ("contacts", contacts),
                ],
            );
            let r = call(&app, post_form(&add, &officer, &form)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{given}: {}", r.body);
            victims.push(id_after(&location(&r), "person="));
        }

        // An ambiguous village name: refused beside the field, in Khmer.
        let shared = shared_village_name();
        let form = person(
            &csrf,
            &[("home_village", &shared), ("contacts", "@agent_phal")],
        );
        let r = call(
            &app,
            post_form(
                &format!("/staff/operations/{raid}/persons?lang=km"),
                &officer,
                &form,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"home_village\""), "{}", r.body);
        let err = row(&r.body, "id=\"err-home_village\"");
        assert!(
            err.contains(&i18n.format("km", "field-name-home_village", &[])),
            "{err}"
        );
        assert!(err.contains("សូមបន្ថែមឈ្មោះឃុំ"), "{err}");
        assert!(
            r.body.contains(&format!("value=\"{shared}\"")),
            "input kept"
        );

        // The recruiter, met at home and arrested: their number typed
        // another way.
        let arrest_op = plan(&app, &officer, &csrf, "OP-R-2", &home_commune).await;
        let form = person(
            &csrf,
            &[
                ("role", "recruiter"),
                ("sex", "m"),
                ("given_name", "Phal"),
                ("family_name", "Meas"),
                ("home_village", villages[1].as_str()),
                ("contacts", "(+855) 12-345-678"),
                ("promised_job", ""),
                ("route", ""),
                ("indicator", ""),
                ("arrested", "on"),
            ],
        );
        let r = call(
            &app,
            post_form(
                &format!("/staff/operations/{arrest_op}/persons?lang=en"),
                &officer,
                &form,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let recruiter_person = id_after(&location(&r), "person=");

        // The victim's page: home village path, job, route, the recruiter.
        let r = call(
            &app,
            get(&format!("/staff/persons/{}?lang=en", victims[0]), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&g.path_en(village_a)), "{}", r.body);
        assert!(r.body.contains("Casino cashier"));
        assert!(r.body.contains("Van to the border at night"));
        let rid = id_after(&r.body, "href=\"/staff/recruiters/");
        let r = call(
            &app,
            get(&format!("/staff/persons/{}?lang=km", victims[0]), &officer),
        )
        .await;
        assert!(r.body.contains(&g.path_km(village_a)), "Khmer path");
        let r = call(
            &app,
            get(
                &format!("/staff/persons/{recruiter_person}?lang=en"),
                &officer,
            ),
        )
        .await;
        assert!(
            r.body
                .contains(&format!("href=\"/staff/recruiters/{rid}\""))
        );
        assert!(
            r.body.contains("This recruiter&#39;s page")
                || r.body.contains("This recruiter's page")
        );

        // The recruiter's page: arrested, named, the four victims, the
        // commune, the arrest.
        let page = format!("/staff/recruiters/{rid}?lang=en");
        let r = call(&app, get(&page, &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("data-status=\"arrested\""));
        assert!(r.body.contains("Phal Meas"));
        for p in &victims {
            assert!(
                r.body.contains(&format!("data-person=\"{p}\"")),
                "victim {p}"
            );
        }
        assert!(r.body.contains("Sokha Chan") && r.body.contains("Vanna Chan"));
        let communes = row(&r.body, &format!("data-commune=\"{home_commune}\""));
        assert!(communes.contains(&format!("/staff/areas/{home_commune}")));
        assert!(communes.contains(": 4"), "{communes}");
        assert!(
            r.body
                .contains(&format!("href=\"/staff/operations/{arrest_op}\""))
        );
        assert!(r.body.contains("/staff/observables/phone/%2B85512345678"));
        assert!(r.body.contains("id=\"nav-recruiters\""));
        // A contact no tip carries is no dead end: its page leads back.
        let r = call(
            &app,
            get("/staff/observables/phone/%2B85512345678?lang=km", &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("id=\"observable-recruiters\""),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("href=\"/staff/recruiters/{rid}\""))
        );
        let r = call(&app, get("/staff/observables/phone/%2B85512345678", &far)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "outside the jurisdiction");

        // The list.
        let r = call(&app, get("/staff/recruiters?lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK);
        let line = row(&r.body, &format!("data-recruiter=\"{rid}\""));
        assert!(line.contains("Arrested") && line.contains(">4<"), "{line}");

        // Another province: nothing.
        let r = call(&app, get(&page, &far)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = call(&app, get(&format!("/staff/areas/{home_commune}"), &far)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The commune view: three victims from one village, one (hidden)
        // from the other; the recruiter; the arrest; the trend; the map.
        let r = call(
            &app,
            get(&format!("/staff/areas/{home_commune}?lang=en"), &officer),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&commune.name_en));
        assert!(
            r.body
                .contains(&format!("href=\"/staff/areas/{}\"", &home_commune[..4]))
        );
        let a = row(&r.body, &format!("data-village=\"{}\"", villages[0]));
        assert!(a.contains(">3<"), "{a}");
        let b = row(&r.body, &format!("data-village=\"{}\"", villages[1]));
        assert!(b.contains("fewer than three") && !b.contains(">1<"), "{b}");
        assert!(r.body.contains(&format!("data-recruiter=\"{rid}\"")));
        assert!(r.body.contains("Recruiters arrested in operations here: 1"));
        assert!(r.body.contains("class=\"bar victims\""));
        assert!(r.body.contains("id=\"area-map\""));
        let r = call(
            &app,
            get(
                &format!("/staff/areas/{}?lang=en", &home_commune[..4]),
                &officer,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body
                .contains(&format!("href=\"/staff/areas/{home_commune}\""))
        );
        let r = call(&app, get("/staff/areas/14?lang=en", &officer)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a province is no area"
        );

        // Prevention: the commune first, on the page and in the CSV.
        let r = call(&app, get("/staff/prevention?lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let first = r.body.find("data-commune=").expect("a commune");
        assert!(r.body[first..].starts_with(&format!("data-commune=\"{home_commune}\"")));
        assert!(r.body.contains("href=\"/en/help\""));
        let r = call(&app, get("/staff/prevention.csv", &officer)).await;
        assert_eq!(r.status, StatusCode::OK);
        let mut lines = r.body.lines();
        assert!(
            lines
                .next()
                .expect("header")
                .starts_with("rank,commune_code,")
        );
        let first = lines.next().expect("a line");
        assert!(first.starts_with(&format!("1,{home_commune},")), "{first}");
        assert!(first.contains(&commune.name_km) && first.contains(&commune.name_en));

        // In Khmer: the words are Khmer, not English.
        for (path, ids) in [
            (
                page.replace("lang=en", "lang=km"),
                &[
                    "rec-victims-title",
                    "rec-communes-title",
                    "rec-status-arrested",
                    "rec-kind-phone",
                ][..],
            ),
            (
                format!("/staff/areas/{home_commune}?lang=km"),
                &["rec-area-villages", "rec-few", "rec-area-recruiters"][..],
            ),
            (
                "/staff/prevention?lang=km".to_string(),
                &["rec-prev-title", "rec-prev-material", "rec-prevention-nav"][..],
            ),
        ] {
            let r = call(&app, get(&path, &officer)).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            for id in ids {
                let km = i18n.format("km", id, &[]);
                let en = i18n.format("en", id, &[]);
                assert_ne!(km, en, "{id} is translated");
                assert!(r.body.contains(&km), "{path}: {id} in Khmer");
                assert!(!r.body.contains(&en), "{path}: no English {en:?}");
            }
        }
    }
}

#[tokio::test]
async fn only_roles_that_read_persons_see_the_recruiter_pages_and_their_menu() {
    use vigil_domain::Capability;
    let app = TestApp::new(vigil_testkit::Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    for role in Role::ALL {
        let (cookie, _) = signed_in(v, &format!("u.{role}"), role, Jurisdiction::National).await;
        let reads = role.can(Capability::ReadPersons);
        for path in [
            "/staff/recruiters",
            "/staff/prevention",
            "/staff/prevention.csv",
            "/staff/areas/1201",
        ] {
            let r = call(&app, get(path, &cookie)).await;
            let expect = if reads {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, expect, "{role} opens {path}");
        }
        // The menu, on a page every role may open.
        let r = call(&app, get("/staff/search?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{role} searches");
        assert_eq!(
            r.body.contains("id=\"nav-recruiters\""),
            reads,
            "{role}'s menu"
        );
        // The village suggestions need only a session.
        let r = call(&app, get("/staff/villages?q=Angkrong", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{role}");
    }
    let r = call(&app, get("/staff/recruiters", "")).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "signed out: sent to sign in"
    );
}
