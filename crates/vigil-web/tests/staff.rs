//! The staff pages through the router: sign-in with a second factor, CSRF,
//! session expiry, and the object-level authorisation matrix (every route ×
//! every role × own and other jurisdiction), on every available backend.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::http::{StatusCode, header};
use staffkit::{call, code_for, get, post_form, set_cookie, signed_in, tip_in};
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;
use vigil_core::{followup, staff};
use vigil_domain::Capability;
use vigil_domain::{Jurisdiction, Role, TipId};
use vigil_testkit::{TestApp, backends};

#[tokio::test]
async fn an_admin_signs_in_with_both_factors_through_the_pages() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let token = staff::bootstrap(&v.staff)
            .await
            .expect("boot")
            .expect("first");
        let r = call(&app, get("/staff/", "")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/staff/login?lang=km");
        let r = call(&app, get(&format!("/staff/setup/{token}?lang=en"), "")).await;
        assert_eq!(r.status, StatusCode::OK);
        let secret = r
            .body
            .split("id=\"totp-secret\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .expect("secret on the page")
            .to_string();
        let sealed = r
            .body
            .split("name=\"sealed\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("sealed")
            .to_string();
        // Each code is made just before it is sent: under load a request may
        // start in the next 30-second step.
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let path = format!("/staff/setup/{token}");
        let r = call(
            &app,
            post_form(
                &path,
                "vigil_lang=en",
                &[
                    ("password", "correct horse battery"),
                    ("password_again", "correct horse batterY"),
                    ("sealed", &sealed),
                    ("code", &code_for(&secret, "admin", now - 30)),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("not the same"), "{}", r.body);
        let r = call(
            &app,
            post_form(
                &path,
                "vigil_lang=en",
                &[
                    ("password", "correct horse battery"),
                    ("password_again", "correct horse battery"),
                    ("sealed", &sealed),
                    (
                        "code",
                        &code_for(
                            &secret,
                            "admin",
                            OffsetDateTime::now_utc().unix_timestamp() - 30,
                        ),
                    ),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"notice\""));
        // Wrong password: the same answer as an unknown account.
        let r = call(
            &app,
            post_form(
                "/staff/login",
                "vigil_lang=km",
                &[("username", "admin"), ("password", "not the password")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("មិនត្រឹមត្រូវ"), "Khmer message");
        let r = call(
            &app,
            post_form(
                "/staff/login",
                "",
                &[("username", "admin"), ("password", "correct horse battery")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/staff/login/code");
        let pending = set_cookie(&r, "vigil_pending").expect("pending cookie");
        let raw = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        assert!(
            raw.contains("HttpOnly") && raw.contains("SameSite=Strict") && raw.contains("Secure")
        );
        let r = call(
            &app,
            post_form(
                "/staff/login/code",
                &pending,
                &[(
                    "code",
                    &code_for(&secret, "admin", OffsetDateTime::now_utc().unix_timestamp()),
                )],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let session = set_cookie(&r, "vigil_staff").expect("session cookie");
        let r = call(&app, get("/staff/?lang=en", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Signed in as Administrator"), "{}", r.body);
        // A request from another site is refused even with the cookie.
        let s = staff::session(&v.staff, session.trim_start_matches("vigil_staff="))
            .await
            .expect("s")
            .expect("live");
        let mut req = post_form("/staff/logout", &session, &[("csrf", &s.csrf)]);
        req.headers_mut()
            .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert_eq!(call(&app, req).await.status, StatusCode::FORBIDDEN);
        let r = call(
            &app,
            post_form("/staff/logout", &session, &[("csrf", &s.csrf)]),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            call(&app, get("/staff/", &session)).await.status,
            StatusCode::SEE_OTHER,
            "signed out"
        );
    }
}

#[tokio::test]
async fn csrf_and_session_expiry() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let (tip, receipt) = tip_in(v, "12", "people locked in").await;
        let (cookie, csrf) = signed_in(v, "dara", Role::Analyst, Jurisdiction::National).await;
        let path = format!("/staff/tips/{tip}/reply");
        for bad in ["", "forged"] {
            let r = call(
                &app,
                post_form(&path, &cookie, &[("csrf", bad), ("body", "hello")]),
            )
            .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let r = call(
            &app,
            post_form(
                &path,
                &cookie,
                &[("csrf", &csrf), ("body", "Which building? ស្ទើរ")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // The reporter reads the reply with the receipt.
        let thread = followup::open(&v.intake, &receipt, None)
            .await
            .expect("thread");
        assert_eq!(thread.messages.len(), 1);
        assert_eq!(thread.messages[0].body, "Which building? ស្ទើរ");
        // An idle session ends.
        let token = cookie.trim_start_matches("vigil_staff=");
        let hash = staff::token_hash(&v.staff, token);
        let past = OffsetDateTime::now_utc() - Duration::minutes(1);
        v.store
            .touch_token(&hash, past, Some(past))
            .await
            .expect("age");
        let r = call(&app, get("/staff/", &cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/staff/login?lang=km");
    }
}

#[tokio::test]
async fn every_route_every_role_own_and_other_jurisdiction() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let (own, _) = tip_in(v, "12", "compound in Phnom Penh").await;
        let (other, _) = tip_in(v, "18", "compound in Sihanoukville").await;
        let photo = |t: TipId| {
            let v = v.clone();
            async move { v.store.attachments(t).await.expect("atts")[0].id }
        };
        let (own_photo, other_photo) = (photo(own).await, photo(other).await);
        vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
            .await
            .expect("pipeline");
        let facility = |t: TipId| {
            let v = v.clone();
            async move {
                v.store
                    .facility_of(t)
                    .await
                    .expect("of")
                    .expect("clustered")
            }
        };
        let (own_facility, other_facility) = (facility(own).await, facility(other).await);
        assert_ne!(own_facility, other_facility);
        let mut rewarded = false;
        for role in Role::ALL {
            let name = format!("{}.pp", role.as_str());
            let (cookie, csrf) =
                signed_in(v, &name, role, Jurisdiction::Provinces(vec!["12".into()])).await;
            let reads = role.can(Capability::ReadTips);
            let triages = role.can(Capability::TriageTips);
            let queue = call(&app, get("/staff/?lang=en", &cookie)).await;
            if reads {
                assert_eq!(queue.status, StatusCode::OK, "{role}");
                assert!(
                    queue.body.contains(&format!("data-tip=\"{own}\"")),
                    "{role}"
                );
                assert!(
                    !queue.body.contains(&format!("data-tip=\"{other}\"")),
                    "{role}"
                );
                assert!(
                    queue.body.contains("1 tips"),
                    "{role}: the count is scoped too"
                );
            } else {
                // Roles that read no tips land on their own work: the screen
                // at the counter, the cases, the figures.
                let landing = if role.can(Capability::ScreenTravellers) {
                    "/staff/screen"
                } else if role.can(Capability::ReadCases) {
                    "/staff/cases"
                } else {
                    "/staff/dashboard"
                };
                assert_eq!(queue.status, StatusCode::SEE_OTHER, "{role}");
                assert_eq!(queue.headers["location"], landing, "{role}");
            }
            let list = call(&app, get("/staff/facilities", &cookie)).await;
            if reads {
                assert_eq!(list.status, StatusCode::OK, "{role}");
                assert!(
                    list.body
                        .contains(&format!("data-facility=\"{own_facility}\""))
                );
                assert!(
                    !list
                        .body
                        .contains(&format!("data-facility=\"{other_facility}\""))
                );
            } else {
                assert_eq!(list.status, StatusCode::FORBIDDEN, "{role}");
            }
            for (tip, photo_id, facility_id, mine) in [
                (own, own_photo, own_facility, true),
                (other, other_photo, other_facility, false),
            ] {
                let read_expect = match (reads, mine) {
                    (false, _) => StatusCode::FORBIDDEN,
                    (true, true) => StatusCode::OK,
                    (true, false) => StatusCode::NOT_FOUND,
                };
                let write_expect = match (triages, mine) {
                    (false, _) => StatusCode::FORBIDDEN,
                    (true, true) => StatusCode::SEE_OTHER,
                    (true, false) => StatusCode::NOT_FOUND,
                };
                let r = call(&app, get(&format!("/staff/tips/{tip}"), &cookie)).await;
                assert_eq!(r.status, read_expect, "{role} reads tip {tip}");
                if r.status == StatusCode::OK {
                    assert!(r.body.contains("compound in <mark"), "highlighted place");
                } else {
                    assert!(!r.body.contains("compound in"), "{role}: nothing leaks");
                }
                let r = call(
                    &app,
                    get(&format!("/staff/facilities/{facility_id}"), &cookie),
                )
                .await;
                assert_eq!(r.status, read_expect, "{role} reads facility {facility_id}");
                let r = call(&app, get(&format!("/staff/photos/{photo_id}"), &cookie)).await;
                assert_eq!(r.status, read_expect, "{role} photo of {tip}");
                if r.status == StatusCode::OK {
                    assert_eq!(r.headers[header::CONTENT_TYPE], "image/jpeg");
                }
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/tips/{tip}/reply"),
                        &cookie,
                        &[("csrf", &csrf), ("body", "hello")],
                    ),
                )
                .await;
                assert_eq!(r.status, write_expect, "{role} replies to {tip}");
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/tips/{tip}/status"),
                        &cookie,
                        &[("csrf", &csrf), ("status", "in_review")],
                    ),
                )
                .await;
                assert_eq!(r.status, write_expect, "{role} sets the status of {tip}");
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/tips/{tip}/split"),
                        &cookie,
                        &[("csrf", &csrf), ("confirm", "yes")],
                    ),
                )
                .await;
                assert_eq!(r.status, write_expect, "{role} splits {tip} off");
                // A merge across provinces: the other facility is not there.
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/facilities/{own_facility}/merge"),
                        &cookie,
                        &[
                            ("csrf", &csrf),
                            ("confirm", "yes"),
                            ("other", &other_facility.to_string()),
                        ],
                    ),
                )
                .await;
                let merge_expect = if triages {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(r.status, merge_expect, "{role} merges across provinces");
                // A reward: once per tip, by the roles that award, in their
                // jurisdiction.
                let r = call(
                    &app,
                    post_form(
                        &format!("/staff/tips/{tip}/reward"),
                        &cookie,
                        &[("csrf", &csrf), ("reason", "raid")],
                    ),
                )
                .await;
                let award_expect = match (role.can(Capability::AwardRewards), mine) {
                    (false, _) => StatusCode::FORBIDDEN,
                    (true, false) => StatusCode::NOT_FOUND,
                    (true, true) if rewarded => StatusCode::CONFLICT,
                    (true, true) => StatusCode::SEE_OTHER,
                };
                assert_eq!(r.status, award_expect, "{role} awards a reward for {tip}");
                rewarded |= r.status == StatusCode::SEE_OTHER;
            }
            let r = call(&app, get("/staff/rewards", &cookie)).await;
            let claim_expect = if role.can(Capability::AwardRewards) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, claim_expect, "{role} opens the claim page");
        }
        // Nothing was written to the other province's tip.
        assert!(v.store.messages(other).await.expect("messages").is_empty());
        assert!(
            vigil_core::rewards::status_of(&v.rewards, other)
                .await
                .expect("reward")
                .is_none()
        );
        assert!(rewarded, "a supervisor of the province awarded");
    }
}

#[tokio::test]
async fn an_observable_page_counts_tips_within_the_jurisdiction() {
    let app = TestApp::new(vigil_testkit::Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    tip_in(v, "12", "recruiter +855 12 345 678 in Phnom Penh").await;
    tip_in(v, "18", "the same recruiter 012 345 678 near the port").await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let (national, _) = signed_in(v, "nat", Role::Analyst, Jurisdiction::National).await;
    let (pp, _) = signed_in(
        v,
        "pp.analyst",
        Role::Analyst,
        Jurisdiction::Provinces(vec!["12".into()]),
    )
    .await;
    let (kh, _) = signed_in(
        v,
        "kh.analyst",
        Role::Analyst,
        Jurisdiction::Provinces(vec!["01".into()]),
    )
    .await;
    // Typed in the national format; the page shows the E.164 value.
    let path = "/staff/observables/phone/012%20345%20678?lang=en";
    let r = call(&app, get(path, &national)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("+85512345678"));
    assert!(r.body.contains("2 results"), "{}", r.body);
    let r = call(&app, get(path, &pp)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("1 results"), "only its province");
    assert!(!r.body.contains("near the port"));
    let r = call(&app, get(path, &kh)).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "nothing in its province: not even that it exists"
    );
}

#[tokio::test]
async fn alerts_stream_to_reading_roles_only() {
    let app = TestApp::new(vigil_testkit::Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let (analyst, _) = signed_in(v, "dara", Role::Analyst, Jurisdiction::National).await;
    let (prosecutor, _) = signed_in(v, "sok", Role::Prosecutor, Jurisdiction::National).await;
    let res = app
        .router()
        .oneshot(get("/staff/alerts", &analyst))
        .await
        .expect("infallible");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let r = call(&app, get("/staff/alerts", &prosecutor)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The pipeline raises an alert for a tip reporting people in danger, and
    // none for a quiet one.
    let mut rx = v.pipeline.alerts.subscribe();
    tip_in(v, "12", "people are locked in and beaten").await;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let a = rx.try_recv().expect("an alert");
    assert_eq!(a.province_code.as_deref(), Some("12"));
    assert!(a.signals.contains(&"held".to_string()), "{:?}", a.signals);
    assert!(rx.try_recv().is_err(), "one alert per tip");
}
