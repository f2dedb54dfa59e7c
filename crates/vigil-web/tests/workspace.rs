//! The analyst's workspace beyond the queue: the map, the link graph,
//! assignments and keep-apart — each route × every role × own and other
//! province, on every available backend.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::StatusCode;
use staffkit::{call, get, post_form, signed_in, tip_at};
use vigil_core::Vigil;
use vigil_domain::Capability;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{AuditAction, FacilityId, Jurisdiction, Location, Role, TipId};
use vigil_testkit::{TestApp, backends, staff_account};

async fn app(b: vigil_testkit::Backend) -> TestApp {
    TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await
}

fn district_of(province: &str) -> String {
    gazetteer()
        .children(province)
        .next()
        .expect("a district")
        .code
        .clone()
}

/// A tip in a district of `province`, with the pipeline run over it.
async fn placed(v: &Vigil, province: &str, text: &str) -> (TipId, FacilityId) {
    let (tip, _) = tip_at(
        v,
        Location {
            province_code: Some(province.into()),
            district_code: Some(district_of(province)),
            ..Location::default()
        },
        text,
    )
    .await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let f = v
        .store
        .facility_of(tip)
        .await
        .expect("of")
        .expect("facility");
    (tip, f)
}

fn read_status(role: Role, mine: bool) -> StatusCode {
    match (role.can(Capability::ReadTips), mine) {
        (false, _) => StatusCode::FORBIDDEN,
        (true, true) => StatusCode::OK,
        (true, false) => StatusCode::NOT_FOUND,
    }
}

#[tokio::test]
async fn the_map_counts_only_the_jurisdiction() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let (_, own) = placed(v, "12", "compound in Phnom Penh, people held").await;
        let (_, other) = placed(v, "18", "compound in Sihanoukville, people held").await;
        let (pp_d, sh_d) = (district_of("12"), district_of("18"));
        let (national, _) = signed_in(v, "nat", Role::Analyst, Jurisdiction::National).await;
        let r = call(&app, get("/staff/map?lang=en", &national)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("<svg id=\"map\""), "drawn on the server");
        assert!(r.body.contains("data-code=\"12\"") && r.body.contains("data-code=\"18\""));
        assert!(r.body.contains("class=\"spot life-safety\""), "{}", r.body);
        assert!(r.body.contains("GeoNames") && r.body.contains("CC BY 4.0"));
        assert!(!r.body.contains("http://tile") && !r.body.contains("https://"));
        for role in Role::ALL {
            let name = format!("{}.pp", role.as_str());
            let (cookie, _) =
                signed_in(v, &name, role, Jurisdiction::Provinces(vec!["12".into()])).await;
            let r = call(&app, get("/staff/map", &cookie)).await;
            assert_eq!(r.status, read_status(role, true), "{role} map");
            if r.status == StatusCode::OK {
                assert!(r.body.contains("data-code=\"12\""), "{role}");
                assert!(
                    !r.body.contains("data-code=\"18\""),
                    "{role}: no other province"
                );
            }
            for (province, district, facility, mine) in
                [("12", &pp_d, own, true), ("18", &sh_d, other, false)]
            {
                let expect = read_status(role, mine);
                let r = call(&app, get(&format!("/staff/map/{province}"), &cookie)).await;
                assert_eq!(r.status, expect, "{role} district map of {province}");
                if mine && r.status == StatusCode::OK {
                    assert!(r.body.contains(&format!("data-code=\"{district}\"")));
                } else {
                    assert!(!r.body.contains(district.as_str()), "{role}: nothing leaks");
                }
                let r = call(
                    &app,
                    get(&format!("/staff/facilities?province={province}"), &cookie),
                )
                .await;
                assert_eq!(r.status, expect, "{role} queue of {province}");
                if r.status == StatusCode::OK {
                    assert!(r.body.contains(&format!("data-facility=\"{facility}\"")));
                }
                let r = call(&app, get(&format!("/staff/facilities/{facility}"), &cookie)).await;
                assert_eq!(r.status, expect, "{role} facility {facility}");
                if r.status == StatusCode::OK {
                    assert!(r.body.contains("id=\"place-map\""), "its place on the map");
                    // Named by its district, in the reader's language.
                    let g = vigil_domain::gazetteer::gazetteer();
                    let unit = g.get(&district_of(province)).expect("district");
                    let named = [&unit.name_km, &unit.name_en].iter().any(|n| {
                        r.body
                            .contains(&format!("id=\"facility-name\" translate=\"no\">{n}, "))
                    });
                    assert!(named, "{}", r.body);
                }
            }
        }
        let r = call(&app, get("/staff/map/99", &national)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "not a province");
    }
}

async fn members(v: &Vigil, tip: TipId) -> FacilityId {
    v.store
        .facility_of(tip)
        .await
        .expect("of")
        .expect("facility")
}

#[tokio::test]
async fn keep_apart_holds_and_the_graph_shows_the_lead_within_the_jurisdiction() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let (own, _) = placed(v, "12", "the boss 012 345 678 runs compound A").await;
        let (other, _) = placed(v, "18", "the same boss +855 12 345 678, compound B").await;
        let (own_b, _) = placed(v, "12", "a guarded building in the north").await;
        let (national, csrf) = signed_in(v, "nat", Role::Analyst, Jurisdiction::National).await;
        let f = members(v, own).await;
        let r = call(
            &app,
            post_form(
                &format!("/staff/facilities/{f}/keep-apart"),
                &national,
                &[
                    ("csrf", &csrf),
                    ("confirm", "yes"),
                    ("tip", &own.to_string()),
                    ("tip", &other.to_string()),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_ne!(members(v, own).await, members(v, other).await);
        let trail = v.store.audit_after(0, 1000).await.expect("audit");
        assert!(
            trail
                .iter()
                .any(|e| e.entry.action == AuditAction::FacilityKeepApart
                    && e.entry.object == format!("tip:{own}+tip:{other}"))
        );
        // Reprocessing: a new tip linking both, then a fresh start over the
        // same store (clustering rebuilt from the stored facts and decisions).
        placed(v, "12", "call 012 345 678 about compound A").await;
        assert_ne!(members(v, own).await, members(v, other).await);
        let fresh = Vigil::new(
            v.store.clone(),
            vigil_core::keys::Keys::ephemeral().expect("keys"),
            (*v.settings).clone(),
        );
        vigil_core::facilities::recluster(&fresh.intel)
            .await
            .expect("recluster");
        let (fo, fx) = (members(&fresh, own).await, members(&fresh, other).await);
        assert_ne!(fo, fx, "kept apart after reprocessing");
        // The national graph draws the other facility through the shared
        // number, as a lead.
        let r = call(
            &app,
            get(&format!("/staff/facilities/{fo}/graph?lang=en"), &national),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("<svg id=\"graph\""));
        assert!(
            r.body.contains(&format!("href=\"/staff/facilities/{fx}\"")),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("observable lead"),
            "the shared number is a lead"
        );
        let phone = "/staff/observables/phone/%2B85512345678/graph";
        let r = call(&app, get(phone, &national)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("href=\"/staff/facilities/{fx}\"")));
        assert!(r.body.contains(&format!("href=\"/staff/facilities/{fo}\"")));
        for role in Role::ALL {
            let name = format!("{}.pp", role.as_str());
            let (cookie, csrf) =
                signed_in(v, &name, role, Jurisdiction::Provinces(vec!["12".into()])).await;
            let (fo, fx) = (members(v, own).await, members(v, other).await);
            for (facility, mine) in [(fo, true), (fx, false)] {
                let r = call(
                    &app,
                    get(&format!("/staff/facilities/{facility}/graph"), &cookie),
                )
                .await;
                assert_eq!(
                    r.status,
                    read_status(role, mine),
                    "{role} graph of {facility}"
                );
                if r.status == StatusCode::OK {
                    assert!(
                        !r.body.contains(&format!("href=\"/staff/facilities/{fx}\"")),
                        "{role}: another province's facility is not drawn"
                    );
                }
            }
            let r = call(&app, get(phone, &cookie)).await;
            assert_eq!(
                r.status,
                read_status(role, true),
                "{role} graph of the number"
            );
            if r.status == StatusCode::OK {
                assert!(!r.body.contains(&format!("href=\"/staff/facilities/{fx}\"")));
            }
            let write = |mine: bool| match (role.can(Capability::TriageTips), mine) {
                (false, _) => StatusCode::FORBIDDEN,
                (true, true) => StatusCode::SEE_OTHER,
                (true, false) => StatusCode::NOT_FOUND,
            };
            for (pair, mine) in [((own, own_b), true), ((own, other), false)] {
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/facilities/{fo}/keep-apart"),
                        &cookie,
                        &[
                            ("csrf", &csrf),
                            ("confirm", "yes"),
                            ("tip", &pair.0.to_string()),
                            ("tip", &pair.1.to_string()),
                        ],
                    ),
                )
                .await;
                assert_eq!(r.status, write(mine), "{role} keeps {pair:?} apart");
            }
        }
        // An observable seen only in another province: not even its graph.
        let (sh, _) = signed_in(
            v,
            "sh.analyst",
            Role::Analyst,
            Jurisdiction::Provinces(vec!["01".into()]),
        )
        .await;
        assert_eq!(
            call(&app, get(phone, &sh)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn assignments_within_the_jurisdiction_and_assigned_to_me() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let (own_tip, own) = placed(v, "12", "compound in Phnom Penh, people held").await;
        let (other_tip, other) = placed(v, "18", "compound in Sihanoukville, people held").await;
        let (officer, _) = signed_in(
            v,
            "sok.officer",
            Role::Officer,
            Jurisdiction::Provinces(vec!["12".into()]),
        )
        .await;
        signed_in(
            v,
            "far.officer",
            Role::Officer,
            Jurisdiction::Provinces(vec!["18".into()]),
        )
        .await;
        for role in Role::ALL {
            let name = format!("{}.pp", role.as_str());
            let (cookie, csrf) =
                signed_in(v, &name, role, Jurisdiction::Provinces(vec!["12".into()])).await;
            let write = |mine: bool| match (role.can(Capability::TriageTips), mine) {
                (false, _) => StatusCode::FORBIDDEN,
                (true, true) => StatusCode::SEE_OTHER,
                (true, false) => StatusCode::NOT_FOUND,
            };
            for (path, mine) in [
                (format!("/staff/facilities/{own}/assign"), true),
                (format!("/staff/tips/{own_tip}/assign"), true),
                (format!("/staff/facilities/{other}/assign"), false),
                (format!("/staff/tips/{other_tip}/assign"), false),
            ] {
                let r = call(
                    &app,
                    post_form(&path, &cookie, &[("csrf", &csrf), ("to", "sok.officer")]),
                )
                .await;
                assert_eq!(r.status, write(mine), "{role} {path}");
            }
            let r = call(&app, get("/staff/facilities?mine=true", &cookie)).await;
            assert_eq!(r.status, read_status(role, true), "{role} assigned to me");
            if role.can(Capability::TriageTips) {
                // Someone who cannot see the facility cannot be given it.
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/facilities/{own}/assign"),
                        &cookie,
                        &[("csrf", &csrf), ("to", "far.officer")],
                    ),
                )
                .await;
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
                let r = call(
                    &app,
                    get(&format!("/staff/facilities/{own}?lang=en"), &cookie),
                )
                .await;
                assert!(r.body.contains("id=\"assign-form\""), "{role}");
                assert!(r.body.contains("sok.officer") && !r.body.contains("far.officer"));
            }
        }
        // The officer sees what is assigned to them, and nothing else.
        let r = call(&app, get("/staff/facilities?mine=true&lang=en", &officer)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains(&format!("data-facility=\"{own}\"")),
            "{}",
            r.body
        );
        assert!(r.body.contains(&format!("data-tip=\"{own_tip}\"")));
        assert!(!r.body.contains(&format!("data-facility=\"{other}\"")));
        let r = call(
            &app,
            get(&format!("/staff/facilities/{own}?lang=en"), &officer),
        )
        .await;
        assert!(
            r.body
                .contains("id=\"assigned-to\" translate=\"no\">sok.officer"),
            "{}",
            r.body
        );
        assert!(
            !r.body.contains("id=\"assign-form\""),
            "an officer does not assign"
        );
        let trail = v.store.audit_after(0, 1000).await.expect("audit");
        assert!(
            trail
                .iter()
                .any(|e| e.entry.action == AuditAction::FacilityAssign
                    && e.entry.object == format!("facility:{own}")
                    && e.entry.detail == "staff:sok.officer")
        );
        assert!(
            trail
                .iter()
                .any(|e| e.entry.action == AuditAction::TipAssign)
        );
        // Clearing it.
        let (boss, csrf) = signed_in(v, "boss", Role::Supervisor, Jurisdiction::National).await;
        let r = call(
            &app,
            post_form(
                &format!("/staff/facilities/{own}/assign"),
                &boss,
                &[("csrf", &csrf), ("to", "")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = call(&app, get("/staff/facilities?mine=true", &officer)).await;
        assert!(!r.body.contains(&format!("data-facility=\"{own}\"")));
        assert!(trail.len() < v.store.audit_after(0, 1000).await.expect("audit").len());
    }
}

fn bearer(path: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(path)
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request")
}

#[tokio::test]
async fn api_tokens_read_facilities_within_the_jurisdiction() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let (_, own) = placed(v, "12", "compound in Phnom Penh, people held").await;
        let (_, other) = placed(v, "18", "compound in Sihanoukville, people held").await;
        let r = call(&app, get("/api/v1/facilities", "")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("\"api-token\""), "{}", r.body);
        let r = call(&app, bearer("/api/v1/facilities", "vgl_forged")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        for role in Role::ALL {
            let name = format!("{}.api", role.as_str());
            let p12 = Jurisdiction::Provinces(vec!["12".into()]);
            staff_account(v, &name, &name, role, p12).await;
            let token = vigil_core::staff::create_api_token(&v.staff, &name, "test")
                .await
                .expect("token");
            let r = call(&app, bearer("/api/v1/facilities", &token)).await;
            assert_eq!(r.status, read_status(role, true), "{role} lists");
            if r.status == StatusCode::OK {
                let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
                assert_eq!(json["total"], 1, "{role}: the count is scoped too");
                assert_eq!(json["facilities"][0]["id"], own.0);
                assert_eq!(json["facilities"][0]["province_code"], "12");
                assert!(json["facilities"][0]["reasons"].is_array());
            } else {
                assert!(r.body.contains("\"forbidden\""));
            }
            for (f, mine) in [(own, true), (other, false)] {
                let r = call(&app, bearer(&format!("/api/v1/facilities/{f}"), &token)).await;
                assert_eq!(r.status, read_status(role, mine), "{role} reads {f}");
                if r.status == StatusCode::OK {
                    let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
                    assert_eq!(json["facility"]["id"], f.0);
                    assert_eq!(json["tips"].as_array().map(Vec::len), Some(1));
                    assert!(json["tips"][0].get("text").is_none(), "no tip text");
                } else {
                    assert!(!r.body.contains("Sihanoukville"), "nothing leaks");
                }
            }
        }
        let trail = v.store.audit_after(0, 1000).await.expect("audit");
        assert!(
            trail
                .iter()
                .any(|e| e.entry.action == AuditAction::FacilityRead
                    && e.entry.actor == "staff:analyst.api")
        );
        // A disabled account's token stops working.
        let token = vigil_core::staff::create_api_token(&v.staff, "analyst.api", "second")
            .await
            .expect("token");
        let r = call(&app, bearer("/api/v1/facilities", &token)).await;
        assert_eq!(r.status, StatusCode::OK);
        vigil_core::staff::disable(&v.staff, "analyst.api")
            .await
            .expect("disable");
        let r = call(&app, bearer("/api/v1/facilities", &token)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = call(&app, get("/api/v1/openapi.json", "")).await;
        assert!(r.body.contains("/api/v1/facilities/{id}") && r.body.contains("bearer"));
    }
}

#[tokio::test]
async fn a_facility_of_another_province_is_not_named_on_pages_of_its_tips() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        // Two tips in Sihanoukville and one in Phnom Penh about one number,
        // merged by an analyst: one facility, placed in Sihanoukville.
        let (a, _) = placed(v, "18", "the boss 012 999 888 at the port").await;
        let (b, _) = placed(v, "18", "call 012 999 888, port compound").await;
        let (pp_tip, _) = placed(v, "12", "recruited by 012 999 888").await;
        let (nat, csrf) = signed_in(v, "nat", Role::Analyst, Jurisdiction::National).await;
        for t in [b, pp_tip] {
            let (fa, ft) = (members(v, a).await, members(v, t).await);
            if fa != ft {
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/facilities/{fa}/merge"),
                        &nat,
                        &[
                            ("csrf", &csrf),
                            ("confirm", "yes"),
                            ("other", &ft.to_string()),
                        ],
                    ),
                )
                .await;
                assert_eq!(r.status, StatusCode::SEE_OTHER);
            }
        }
        let f = members(v, pp_tip).await;
        assert_eq!(f, members(v, a).await);
        let (row, _) = v.store.facility(f).await.expect("facility");
        assert_eq!(row.province_code.as_deref(), Some("18"), "{row:?}");
        let (pp, _) = signed_in(
            v,
            "pp.analyst",
            Role::Analyst,
            Jurisdiction::Provinces(vec!["12".into()]),
        )
        .await;
        let link = format!("/staff/facilities/{f}\"");
        let r = call(&app, get(&format!("/staff/tips/{pp_tip}"), &pp)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains(&link), "the tip page does not name it");
        let r = call(&app, get("/staff/observables/phone/%2B85512999888", &pp)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            !r.body.contains(&link),
            "the observable page does not name it"
        );
        let r = call(
            &app,
            get("/staff/observables/phone/%2B85512999888/graph", &pp),
        )
        .await;
        assert!(!r.body.contains(&link), "nor does its graph");
        let r = call(&app, get(&format!("/staff/tips/{pp_tip}"), &nat)).await;
        assert!(r.body.contains(&link), "a national analyst sees it");
    }
}
