//! The analyst's triage of a facility over HTTP: its tips page by page
//! (every tip once), the corrections that change nothing without their
//! "I confirm" tick, and raided facilities below the others on the queue —
//! on every available backend.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::{StatusCode, header};
use staffkit::{call, get, post_form, principal, signed_in};
use time::OffsetDateTime;
use vigil_core::Vigil;
use vigil_core::intake::{TipRequest, submit};
use vigil_domain::{
    Category, Channel, DangerFlags, FacilityId, Jurisdiction, Location, NewTip, Role, TipId,
};
use vigil_testkit::{TestApp, backends, raid_on};

async fn app(b: vigil_testkit::Backend) -> TestApp {
    TestApp::new(b, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await
}

/// A tip in province 12 without photos, reporting people held when `held`.
async fn tip(v: &Vigil, text: &str, held: bool) -> TipId {
    tip_received(v, text, held, OffsetDateTime::now_utc()).await
}

/// [`tip`] received at `at`.
async fn tip_received(v: &Vigil, text: &str, held: bool, at: OffsetDateTime) -> TipId {
    submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::ScamCompound,
                text: text.into(),
                location: Location {
                    province_code: Some("12".into()),
                    ..Location::default()
                },
                danger: DangerFlags {
                    held,
                    ..DangerFlags::default()
                },
                received_at: at,
                external_ref: None,
                language: Some("en".into()),
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit")
    .tip_id
}

async fn clustered(v: &Vigil) {
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
}

async fn facility_of(v: &Vigil, t: TipId) -> Option<FacilityId> {
    v.store.facility_of(t).await.expect("facility of")
}

async fn decisions(v: &Vigil) -> usize {
    v.store.analyst_ops().await.expect("ops").len()
}

/// The tip ids a facility page lists, in order.
fn listed_tips(body: &str) -> Vec<i64> {
    let list = body
        .split("id=\"facility-tips\"")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .expect("the tip list");
    list.split("data-tip=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

/// The older page's link, if any.
fn older_link(body: &str) -> Option<String> {
    let at = body.find("id=\"older-tips\"")?;
    let start = body[..at].rfind("href=\"")? + 6;
    let end = start + body[start..].find('"')?;
    Some(body[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn a_facility_pages_its_tips_by_a_cursor() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let mut tips = Vec::new();
        for n in 0..57 {
            let text = format!("Report {n}: the compound boss answers on +855 12 777 888");
            tips.push(tip(v, &text, false).await);
        }
        clustered(v).await;
        let f = facility_of(v, tips[0]).await.expect("clustered");
        for t in &tips {
            assert_eq!(facility_of(v, *t).await, Some(f), "one facility");
        }
        let (cookie, _) = signed_in(v, "dara", Role::Analyst, Jurisdiction::National).await;
        let first = call(
            &app,
            get(&format!("/staff/facilities/{f}?lang=en"), &cookie),
        )
        .await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(
            first.body.contains("57 tips in this facility"),
            "the total: {}",
            first.body
        );
        let page_one = listed_tips(&first.body);
        assert_eq!(page_one.len(), 50, "the newest fifty");
        let newest: Vec<i64> = tips.iter().rev().take(50).map(|t| t.0).collect();
        assert_eq!(page_one, newest, "newest first");
        let next = older_link(&first.body).expect("a next page");
        assert!(next.contains("after="), "{next}");
        assert!(!first.body.contains("id=\"newest-tips\""));
        let second = call(&app, get(&next, &cookie)).await;
        assert_eq!(second.status, StatusCode::OK);
        let page_two = listed_tips(&second.body);
        assert_eq!(page_two.len(), 7);
        assert!(
            page_two.iter().all(|t| !page_one.contains(t)),
            "no tip on both pages"
        );
        let mut all: Vec<i64> = page_one.iter().chain(&page_two).copied().collect();
        all.sort_unstable();
        let mut expected: Vec<i64> = tips.iter().map(|t| t.0).collect();
        expected.sort_unstable();
        assert_eq!(all, expected, "every tip reachable");
        assert!(older_link(&second.body).is_none(), "the last page");
        assert!(second.body.contains("id=\"newest-tips\""));
        // The count in Khmer, as the locale writes it.
        let km = call(
            &app,
            get(&format!("/staff/facilities/{f}?lang=km"), &cookie),
        )
        .await;
        assert!(km.body.contains("ក្នុងទីតាំងសង្ស័យនេះ"), "{}", km.body);
        // A cursor that is not one is refused, not read as the first page.
        let bad = call(
            &app,
            get(&format!("/staff/facilities/{f}?after=zz"), &cookie),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn corrections_change_nothing_unconfirmed() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        let a1 = tip(v, "Boss on +855 12 111 222 keeps us", true).await;
        let a2 = tip(v, "Call +855 12 111 222, the guards took passports", true).await;
        let c = tip(v, "Another compound, manager +855 97 333 4444", false).await;
        clustered(v).await;
        let fa = facility_of(v, a1).await.expect("a");
        let fc = facility_of(v, c).await.expect("c");
        assert_eq!(facility_of(v, a2).await, Some(fa));
        assert_ne!(fa, fc);
        let (cookie, csrf) = signed_in(v, "dara", Role::Analyst, Jurisdiction::National).await;

        // Keep apart, merge and take out, each without the tick: refused
        // with the message, nothing recorded.
        let (a1s, a2s, fcs) = (a1.to_string(), a2.to_string(), fc.to_string());
        let attempts: [(String, Vec<(&str, &str)>); 3] = [
            (
                format!("/staff/facilities/{fa}/keep-apart?lang=en"),
                vec![("csrf", &csrf), ("tip", &a1s), ("tip", &a2s)],
            ),
            (
                format!("/staff/facilities/{fa}/merge?lang=en"),
                vec![("csrf", &csrf), ("other", &fcs)],
            ),
            (
                format!("/staff/tips/{a1}/split?lang=en"),
                vec![("csrf", &csrf), ("confirm", "no")],
            ),
        ];
        for (path, form) in &attempts {
            let r = call(&app, post_form(path, &cookie, form)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(r.body.contains("Nothing was changed"), "{path}: {}", r.body);
            assert!(r.body.contains("id=\"triage-error\""));
        }
        clustered(v).await;
        assert_eq!(decisions(v).await, 0, "no decision recorded");
        assert_eq!(facility_of(v, a1).await, Some(fa));
        assert_eq!(facility_of(v, a2).await, Some(fa));
        assert_eq!(facility_of(v, c).await, Some(fc));

        // In Khmer, the refusal is in Khmer.
        let r = call(
            &app,
            post_form(
                &format!("/staff/facilities/{fa}/merge?lang=km"),
                &cookie,
                &[("csrf", &csrf), ("other", &fcs)],
            ),
        )
        .await;
        assert!(r.body.contains("គ្មានអ្វីត្រូវបានផ្លាស់ប្តូរទេ"));

        // The facility page asks for the tick on both forms, and offers the
        // confirmation page, not a button, beside each tip.
        let page = call(&app, get(&format!("/staff/facilities/{fa}"), &cookie)).await;
        assert!(page.body.contains("id=\"merge-confirm\""));
        assert!(page.body.contains("id=\"keep-apart-confirm\""));
        assert!(
            !page
                .body
                .contains(&format!("action=\"/staff/tips/{a1}/split\""))
        );
        let ask = call(&app, get(&format!("/staff/tips/{a1}/split"), &cookie)).await;
        assert_eq!(ask.status, StatusCode::OK);
        assert!(ask.body.contains("id=\"split-confirm\""));
        assert!(
            ask.body
                .contains(&format!("href=\"/staff/facilities/{fa}\""))
        );

        // Confirmed, the tip leaves its facility.
        let r = call(
            &app,
            post_form(
                &format!("/staff/tips/{a1}/split"),
                &cookie,
                &[("csrf", &csrf), ("confirm", "yes")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], format!("/staff/tips/{a1}"));
        assert_eq!(decisions(v).await, 1);
        assert_ne!(facility_of(v, a1).await, facility_of(v, a2).await);

        // Confirmed, two facilities merge.
        let fa2 = facility_of(v, a2).await.expect("a2");
        let r = call(
            &app,
            post_form(
                &format!("/staff/facilities/{fa2}/merge"),
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("other", &fc.to_string()),
                    ("confirm", "yes"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(facility_of(v, a2).await, facility_of(v, c).await);
    }
}

/// The position of a facility's row on the queue page.
fn row_at(body: &str, f: FacilityId) -> usize {
    body.find(&format!("data-facility=\"{f}\""))
        .unwrap_or_else(|| panic!("facility {f} not listed: {body}"))
}

#[tokio::test]
async fn a_raid_sends_a_facility_below_until_new_tips_come() {
    for b in backends() {
        let app = app(b).await;
        let v = &app.vigil;
        // A: people held, reported twice an hour ago; B: one quiet report.
        let hour_ago = OffsetDateTime::now_utc() - time::Duration::hours(1);
        let a1 = tip_received(v, "We are held, boss +855 12 555 666", true, hour_ago).await;
        tip_received(
            v,
            "Held at the compound, call +855 12 555 666",
            true,
            hour_ago,
        )
        .await;
        let b1 = tip_received(
            v,
            "A job offer that felt wrong, +855 97 888 9999",
            false,
            hour_ago,
        )
        .await;
        clustered(v).await;
        let fa = facility_of(v, a1).await.expect("a");
        let fb = facility_of(v, b1).await.expect("b");
        let (cookie, _) = signed_in(v, "dara", Role::Analyst, Jurisdiction::National).await;
        let queue = call(&app, get("/staff/facilities?lang=en", &cookie)).await;
        assert!(row_at(&queue.body, fa) < row_at(&queue.body, fb), "A first");

        staffkit::signed_in(v, "sok", Role::Officer, Jurisdiction::National).await;
        let officer = principal(v, "sok").await;
        raid_on(
            v,
            "OP-2026-7",
            "12",
            fa.0,
            hour_ago + time::Duration::minutes(30),
            officer.id,
        )
        .await;
        let queue = call(&app, get("/staff/facilities?lang=en", &cookie)).await;
        assert!(
            row_at(&queue.body, fb) < row_at(&queue.body, fa),
            "the raided facility below"
        );
        assert!(queue.body.contains("Raided: OP-2026-7"), "{}", queue.body);
        let page = call(
            &app,
            get(&format!("/staff/facilities/{fa}?lang=en"), &cookie),
        )
        .await;
        assert!(page.body.contains("id=\"facility-raid\""));
        assert!(page.body.contains("No tip since the raid"));

        // A tip after the raid (received now) brings it back above.
        tip(v, "Still held here, +855 12 555 666", true).await;
        clustered(v).await;
        let queue = call(&app, get("/staff/facilities?lang=en", &cookie)).await;
        assert!(
            row_at(&queue.body, fa) < row_at(&queue.body, fb),
            "back among the others"
        );
        let page = call(
            &app,
            get(&format!("/staff/facilities/{fa}?lang=en"), &cookie),
        )
        .await;
        assert!(page.body.contains("New tips since the raid"));
    }
}
