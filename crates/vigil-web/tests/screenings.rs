//! `POST /api/v1/screenings` through the router on every available backend:
//! immigration and admin tokens screen, other roles get 403; a wrong field is
//! 422 naming it and stores nothing; a recruiter's number typed in another
//! format hits the watchlist, naming the facility only within the token's
//! jurisdiction; the screening is stored sealed and audited.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, tip_in};
use vigil_core::Vigil;
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, staff_account};

const TRAVELLER: &str = r#"{"ref":"AIR-1","sex":"female","age":22,"nationality":"KH","destination":"MM","purpose":"tourism","documents":{"passport":true,"visa":"tourist","work_permit":false,"employment_contract":false,"return_ticket":true},"guarantor":"verified","cash_usd":300,"ticket_paid_by":"self","documents_held_by_other":false,"companion_answers":false,"job_offer":{"text":"hotel work","contact":"+855 12-345-678","employer":""},"officer_notes":"Sokha Chan"}"#;

async fn app(b: vigil_testkit::Backend) -> TestApp {
    TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await
}

fn screening(token: &str, body: &str) -> Request<Body> {
    screening_at("POIPET", token, body)
}

fn screening_at(post: &str, token: &str, body: &str) -> Request<Body> {
    Request::post(format!("/api/v1/screenings?post={post}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

async fn token(v: &Vigil, role: Role, province: &str) -> String {
    // Every account also covers Banteay Meanchey, where Poipet is.
    token_in(v, role, &["01", province]).await
}

async fn token_in(v: &Vigil, role: Role, provinces: &[&str]) -> String {
    let name = if provinces.len() == 2 {
        format!("{}.{}", role.as_str(), provinces[1])
    } else {
        format!("{}.only.{}", role.as_str(), provinces.join("-"))
    };
    let j = Jurisdiction::Provinces(provinces.iter().map(|p| (*p).into()).collect());
    staff_account(v, &name, &name, role, j).await;
    vigil_core::staff::create_api_token(&v.staff, &name, "border system")
        .await
        .expect("token")
}

async fn stored(v: &Vigil) -> usize {
    v.store
        .audit_after(0, 10_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.entry.action == AuditAction::ScreeningCreate)
        .count()
}

#[tokio::test]
async fn border_systems_screen_travellers_with_an_immigration_token() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        // Two tips about one number: a facility in Phnom Penh.
        tip_in(v, "12", "compound recruits on 012 345 678, people held").await;
        tip_in(v, "12", "they called me from 012345678 about a job").await;
        vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
            .await
            .expect("pipeline");

        let r = call(&app, screening("vgl_forged", TRAVELLER)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        for role in Role::ALL {
            let t = token(v, role, "12").await;
            let r = call(&app, screening(&t, TRAVELLER)).await;
            let allowed = matches!(role, Role::Immigration | Role::Admin);
            let expected = if allowed {
                StatusCode::CREATED
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, expected, "{role}: {}", r.body);
            if !allowed {
                continue;
            }
            let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
            assert_eq!(json["ref"], "AIR-1");
            assert_eq!(json["outcome"], "refer", "{json}");
            assert_eq!(json["policy"], "default@2026.11.1");
            assert!(json["id"].as_i64().is_some());
            let hit = json["reasons"]
                .as_array()
                .expect("reasons")
                .iter()
                .find(|r| r["code"] == "watchlist_match")
                .unwrap_or_else(|| panic!("{json}"))
                .clone();
            let evidence = hit["evidence"].as_str().expect("evidence");
            assert!(evidence.contains("facility "), "{role}: {evidence}");
            assert!(!evidence.contains("tip "), "{role}: no tip ids: {evidence}");
            assert!(hit["weight"].as_u64().is_some());
            let q = &json["questions"][0];
            assert!(q["km"].is_string() && q["en"].is_string(), "{json}");
        }
        assert_eq!(stored(v).await, 2);

        // Outside the facility's province the hit is still made, unnamed.
        let elsewhere = token(v, Role::Immigration, "18").await;
        let r = call(&app, screening(&elsewhere, TRAVELLER)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(r.body.contains("tip-line intelligence"), "{}", r.body);
        assert!(!r.body.contains("facility "), "{}", r.body);

        // Bad input: 422 naming the field, nothing stored.
        let before = stored(v).await;
        for (body, field) in [
            (TRAVELLER.replace(r#""age":22"#, r#""age":121"#), "age"),
            (
                TRAVELLER.replace(r#""cash_usd":300"#, r#""cash_usd":-5"#),
                "cash_usd",
            ),
            (
                TRAVELLER.replace(r#""visa":"tourist""#, r#""visa":"maybe""#),
                "documents.visa",
            ),
            (
                TRAVELLER.replace(r#""ref":"AIR-1","#, r#""ref":"AIR-1","salary_hint":"x","#),
                "salary_hint",
            ),
        ] {
            let r = call(&app, screening(&elsewhere, &body)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
            assert_eq!(json["error"]["code"], "invalid-field");
            assert_eq!(json["error"]["field"], field, "{json}");
            assert!(
                !json["error"]["message"]
                    .as_str()
                    .expect("message")
                    .contains("field-"),
                "{field}: {json}"
            );
        }
        for (post, status) in [
            ("PNH", StatusCode::UNPROCESSABLE_ENTITY),
            ("", StatusCode::UNPROCESSABLE_ENTITY),
            ("BAVET", StatusCode::FORBIDDEN),
        ] {
            let r = call(&app, screening_at(post, &elsewhere, TRAVELLER)).await;
            assert_eq!(r.status, status, "{post}: {}", r.body);
            if status == StatusCode::UNPROCESSABLE_ENTITY {
                assert!(r.body.contains("post"), "{}", r.body);
            }
        }
        let r = call(&app, screening(&elsewhere, "not json")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(stored(v).await, before, "nothing stored");

        // Stored with the traveller sealed.
        let trail = v.store.audit_after(0, 10_000).await.expect("audit");
        let last = trail
            .iter()
            .rev()
            .find(|e| e.entry.action == AuditAction::ScreeningCreate)
            .expect("audited");
        assert_eq!(last.entry.actor, "staff:immigration.18");
        let id: i64 = last
            .entry
            .object
            .strip_prefix("screening:")
            .and_then(|s| s.parse().ok())
            .expect("object");
        let row = v.store.screening(id).await.expect("row");
        assert_eq!(row.screening.post, "POIPET");
        assert!(!String::from_utf8_lossy(&row.screening.traveller).contains("Sokha"));

        // The officer's decision, sealed note and all.
        let decide = |t: &str, id: i64, body: &str| {
            Request::post(format!("/api/v1/screenings/{id}/decision"))
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request")
        };
        let r = call(
            &app,
            decide(
                &elsewhere,
                id,
                r#"{"decision":"interview","note":"met her sister"}"#,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let row = v.store.screening(id).await.expect("row");
        assert_eq!(row.decision.as_deref(), Some("interview"));
        assert!(!row.note.is_empty() && !String::from_utf8_lossy(&row.note).contains("sister"));
        let r = call(&app, decide(&elsewhere, id, r#"{"decision":"deny"}"#)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("decision"), "{}", r.body);
        let r = call(&app, decide(&elsewhere, id, r#"{"verdict":"refer"}"#)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = call(&app, decide(&elsewhere, 999_999, r#"{"decision":"refer"}"#)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // An officer of another post's province does not find it.
        let svay_rieng = token_in(v, Role::Immigration, &["20"]).await;
        let bavet = call(&app, screening_at("BAVET", &svay_rieng, TRAVELLER)).await;
        assert_eq!(bavet.status, StatusCode::CREATED, "{}", bavet.body);
        let r = call(&app, decide(&svay_rieng, id, r#"{"decision":"refer"}"#)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let analyst = token(v, Role::Analyst, "18").await;
        let r = call(&app, decide(&analyst, id, r#"{"decision":"refer"}"#)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        let r = call(
            &app,
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert!(r.body.contains("/api/v1/screenings"), "in the description");
    }
}
