//! An offline post (its own Vigil on SQLite) syncs both ways with a central
//! instance on every available backend, both served on local ports: screenings
//! go up in signed bundles (pushed twice, resent after an interruption or in
//! reverse order, one row each with its newest decision); central's watchlist
//! and policy come down and the post's next screening hits a recruiter's
//! number from a central tip. Altered bundles and unknown signers are refused
//! whole, and nothing of them is stored.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use staffkit::tip_in;
use vigil_core::staff::Principal;
use vigil_core::{Settings, Vigil, screenings, sync};
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp, backends, staff_account, stored_screenings};
use vigil_web::sync_client::{self, Central, SyncClientError};

const TRAVELLER: &str = r#"{"ref":"AIR-1","sex":"female","age":22,"nationality":"KH","destination":"TH","purpose":"tourism","documents":{"passport":true,"visa":"tourist","work_permit":false,"employment_contract":false,"return_ticket":true},"guarantor":"verified","cash_usd":300,"ticket_paid_by":"self","documents_held_by_other":false,"companion_answers":false,"job_offer":{"text":"hotel work","contact":"CONTACT","employer":""},"officer_notes":""}"#;

fn traveller(reference: &str, contact: &str) -> String {
    TRAVELLER
        .replace("AIR-1", reference)
        .replace("CONTACT", contact)
}

/// A data directory with this instance's sync key made, and its public key.
fn keyed_dir() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Settings::default();
    s.storage.data_dir = dir.path().to_path_buf();
    let key = sync::public_key(&s).expect("key");
    (dir, key)
}

async fn app(b: Backend, dir: &tempfile::TempDir, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = dir.path().to_path_buf();
    TestApp::new(b, |s| {
        // The sync key made beforehand (and, on SQLite, the database).
        s.storage.data_dir = dir;
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
        tweak(s);
    })
    .await
}

/// An immigration account and its API token.
async fn officer(v: &Vigil, name: &str) -> (Principal, String) {
    staff_account(v, name, name, Role::Immigration, Jurisdiction::National).await;
    let token = vigil_core::staff::create_api_token(&v.staff, name, "sync")
        .await
        .expect("token");
    let p = vigil_core::staff::api_principal(&v.staff, &token)
        .await
        .expect("principal")
        .expect("known");
    (p, token)
}

async fn receipts(v: &Vigil) -> usize {
    v.store
        .audit_after(0, 100_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.entry.action == AuditAction::SyncReceive)
        .count()
}

async fn post_bundle(url: &str, token: &str, bundle: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/sync/screenings"))
        .bearer_auth(token)
        .body(bundle.to_string())
        .send()
        .await
        .expect("send");
    (r.status().as_u16(), r.text().await.expect("body"))
}

fn hits_watchlist(s: &screenings::Screened) -> bool {
    s.screening
        .reasons
        .iter()
        .any(|r| r.code == "watchlist_match")
}

#[tokio::test]
async fn an_offline_post_syncs_both_ways() {
    for b in backends() {
        let (post_dir, post_key) = keyed_dir();
        let (central_dir, central_key) = keyed_dir();
        let policy_file = central_dir.path().join("policy.toml");
        std::fs::write(
            &policy_file,
            vigil_screening::policy::DEFAULT_POLICY
                .replace(r#"version = "2026.11.1""#, r#"version = "2026.12.0""#),
        )
        .expect("policy");
        let central = app(b, &central_dir, |s| {
            s.sync.instance = "central".into();
            s.sync.posts = vec![vigil_core::settings::SyncPost {
                name: "poipet".into(),
                key: post_key.clone(),
            }];
            s.screening.policy_file = Some(policy_file.clone());
        })
        .await;
        let post = app(Backend::Sqlite, &post_dir, |s| {
            s.sync.instance = "poipet".into();
            s.sync.central_key = central_key.clone();
            s.sync.batch = 2;
            s.screening.watchlist_refresh_secs = 0;
        })
        .await;
        let server = central.spawn().await;
        let cv = &central.vigil;
        let pv = &post.vigil;
        let (central_officer, token) = officer(cv, "poipet.link").await;
        let (p, _) = officer(pv, "dara").await;
        let to_central = Central::new(&server.url, &token).expect("central");
        let err = Central::new("http://vigil.example.org", &token).unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");

        // Central knows a recruiter's number from two tips.
        tip_in(
            cv,
            "12",
            "recruiter on 097 123 4567 took people to a compound",
        )
        .await;
        tip_in(
            cv,
            "12",
            "the agent 0971234567 offered a casino job, people held",
        )
        .await;
        vigil_core::pipeline::run_until_idle(&cv.pipeline, |_| {})
            .await
            .expect("pipeline");

        // The post screens three travellers and pushes them in two bundles.
        for n in 1..=3 {
            let t = traveller(&format!("P-{n}"), "+855 12 000 000");
            screenings::screen(&pv.screening, &p, &t, "POIPET")
                .await
                .expect("screen");
        }
        let first = sync::next_push(&pv.screening)
            .await
            .expect("bundle")
            .expect("some");
        let report = sync_client::push(pv, &to_central, |_| {})
            .await
            .expect("push");
        assert_eq!((report.bundles, report.new, report.unchanged), (2, 3, 0));
        let held = stored_screenings(cv).await;
        assert_eq!(held.len(), 3);
        // Sealed under central's own keys; the officer is the pushing account.
        let opened = screenings::open(&cv.screening, &central_officer, held[0].id)
            .await
            .expect("open");
        assert!(opened.traveller.contains("P-1"), "{}", opened.traveller);
        assert_eq!(held[0].screening.officer, central_officer.id);
        assert_eq!(held[0].screening.post, "POIPET");

        // Pushed again: nothing to send; the first bundle sent again: no duplicate.
        let again = sync_client::push(pv, &to_central, |_| {})
            .await
            .expect("push");
        assert_eq!(again.bundles, 0);
        let (status, body) = post_bundle(&server.url, &token, &first.bundle).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(r#""unchanged":2"#), "{body}");
        assert_eq!(stored_screenings(cv).await.len(), 3);

        // A decision recorded later goes up and updates central's row; the
        // older bundle arriving after it changes nothing.
        screenings::decide(&pv.screening, &p, 1, "interview", "met her sister")
            .await
            .expect("decide");
        let report = sync_client::push(pv, &to_central, |_| {})
            .await
            .expect("push");
        assert_eq!((report.new, report.updated), (0, 1));
        let (status, body) = post_bundle(&server.url, &token, &first.bundle).await;
        assert_eq!(status, 200, "{body}");
        let row = cv.store.screening(held[0].id).await.expect("row");
        assert_eq!(row.decision.as_deref(), Some("interview"));
        let opened = screenings::open(&cv.screening, &central_officer, row.id)
            .await
            .expect("open");
        assert_eq!(opened.note, "met her sister");
        assert_eq!(stored_screenings(cv).await.len(), 3);
        // Central's fairness report counts what the post screened.
        let month = vigil_core::fairness::this_month();
        let fair = vigil_core::fairness::report(&cv.screening, &central_officer, "POIPET", &month)
            .await
            .expect("report");
        assert_eq!(fair.total.screenings, 3);
        assert_eq!(fair.total.decided_interview, 1);
        assert_eq!(
            fair.rows
                .iter()
                .filter(|r| r.screenings > 0)
                .map(|r| r.sex.as_str())
                .collect::<Vec<_>>(),
            vec!["female"],
            "each pushed screening keeps its traveller's sex"
        );

        // Altered or wrongly signed bundles: refused whole, nothing stored.
        screenings::screen(&pv.screening, &p, &traveller("P-4", "x"), "POIPET")
            .await
            .expect("screen");
        let fresh = sync::next_push(&pv.screening)
            .await
            .expect("bundle")
            .expect("some");
        let before = receipts(cv).await;
        let altered = fresh.bundle.replacen("P-4", "P-5", 1);
        assert_ne!(altered, fresh.bundle);
        let (status, body) = post_bundle(&server.url, &token, &altered).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("signature"), "{body}");
        let forged: vigil_sync::Bundle<vigil_sync::ScreeningItems> = serde_json::from_str(
            serde_json::from_str::<serde_json::Value>(&fresh.bundle).expect("json")["signed"]
                .as_str()
                .expect("signed"),
        )
        .expect("bundle");
        let stranger = vigil_sync::signing_key(&[9; 32]);
        for (from, expected) in [("poipet", "signature"), ("kohkong", "kohkong")] {
            let mut b = forged.clone();
            b.from = from.into();
            let text = vigil_sync::seal(&b, &stranger).expect("seal");
            let (status, body) = post_bundle(&server.url, &token, &text).await;
            assert_eq!(status, 422, "{body}");
            assert!(body.contains(expected), "{body}");
        }
        // Signed by the post, but speaking for another post's screening, or
        // carrying a traveller that is not JSON: refused whole too.
        let own_key = sync::signing_key(&pv.settings).expect("key");
        let mut other = forged.clone();
        other.items[0].uid = "bavet:1".into();
        let mut broken = forged.clone();
        broken.items[0].traveller = "not json".into();
        for (b, expected) in [(other, "uid"), (broken, "traveller")] {
            let text = vigil_sync::seal(&b, &own_key).expect("seal");
            let (status, body) = post_bundle(&server.url, &token, &text).await;
            assert_eq!(status, 422, "{body}");
            assert!(body.contains(expected), "{body}");
        }
        assert_eq!(stored_screenings(cv).await.len(), 3);
        assert_eq!(receipts(cv).await, before);

        // An interrupted push: central unreachable, then a bundle central took
        // whose acknowledgement was lost; the next push resumes at the cursor.
        for n in 5..=6 {
            let t = traveller(&format!("P-{n}"), "x");
            screenings::screen(&pv.screening, &p, &t, "POIPET")
                .await
                .expect("screen");
        }
        let cursor = sync::push_cursor(&pv.screening).await.expect("cursor");
        let down = Central::new("http://127.0.0.1:1", &token).expect("central");
        let err = sync_client::push(pv, &down, |_| {}).await.unwrap_err();
        assert!(matches!(err, SyncClientError::Unreachable { .. }), "{err}");
        assert!(err.to_string().contains("cannot reach central"), "{err}");
        assert_eq!(
            sync::push_cursor(&pv.screening).await.expect("cursor"),
            cursor
        );
        let one = sync::next_push(&pv.screening)
            .await
            .expect("bundle")
            .expect("some");
        assert_eq!(one.count, 2);
        let (status, body) = post_bundle(&server.url, &token, &one.bundle).await;
        assert_eq!(status, 200, "{body}");
        sync::acknowledge(&pv.screening, one.upto)
            .await
            .expect("ack");
        let lost = sync::next_push(&pv.screening)
            .await
            .expect("bundle")
            .expect("some");
        let (status, body) = post_bundle(&server.url, &token, &lost.bundle).await;
        assert_eq!(status, 200, "{body}");
        let mut seen = Vec::new();
        let report = sync_client::push(pv, &to_central, |r| seen.push(*r))
            .await
            .expect("push");
        assert_eq!((report.bundles, report.new, report.unchanged), (1, 0, 1));
        assert_eq!(seen.len(), 1);
        let held = stored_screenings(cv).await;
        assert_eq!(held.len(), 6);
        let mut refs = Vec::new();
        for r in &held {
            let t = screenings::open(&cv.screening, &central_officer, r.id)
                .await
                .expect("open");
            let v: serde_json::Value = serde_json::from_str(&t.traveller).expect("json");
            refs.push(v["ref"].as_str().expect("ref").to_string());
        }
        refs.sort();
        assert_eq!(refs, ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6"]);

        // Pull: the recruiter's number, typed another way, now hits at the post,
        // under central's policy.
        let offer = traveller("P-7", "+855 97 123 4567");
        let s = screenings::screen(&pv.screening, &p, &offer, "POIPET")
            .await
            .expect("screen");
        assert!(!hits_watchlist(&s), "{:?}", s.screening.reasons);
        // Pulled by another process on the post's data directory (`vigil sync
        // pull` from a timer beside `vigil serve`): the serving post follows.
        let puller = vigil_backends::open((*pv.settings).clone())
            .await
            .expect("a second process");
        let pulled = sync_client::pull(&puller, &to_central).await.expect("pull");
        drop(puller);
        assert!(pulled.replaced && pulled.entries > 0, "{pulled:?}");
        assert_eq!(pulled.policy_id, "default@2026.12.0");
        let s = screenings::screen(&pv.screening, &p, &offer, "POIPET")
            .await
            .expect("screen");
        assert!(hits_watchlist(&s), "{:?}", s.screening.reasons);
        assert_eq!(s.screening.policy, "default@2026.12.0");

        // A tampered or wrongly signed watchlist bundle: refused, the copy stays.
        let held_copy = pv.store.sync_pulled().await.expect("pulled");
        let good = sync::watchlist_bundle(&cv.screening, &central_officer)
            .await
            .expect("bundle");
        let altered = good.replacen("+855", "+856", 1);
        assert_ne!(altered, good);
        let err = sync::apply_pulled(&pv.screening, &altered)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("signature"), "{err}");
        let post_signed = sync::next_push(&pv.screening)
            .await
            .expect("bundle")
            .expect("some");
        let err = sync::apply_pulled(&pv.screening, &post_signed.bundle)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("bundle"), "{err}");
        assert_eq!(pv.store.sync_pulled().await.expect("pulled"), held_copy);
        let s = screenings::screen(&pv.screening, &p, &offer, "POIPET")
            .await
            .expect("screen");
        assert!(hits_watchlist(&s), "the previous copy stays in use");

        // Restarted, the post screens under the policy it pulled.
        let settings = (*pv.settings).clone();
        drop(post);
        let again = vigil_backends::open(settings).await.expect("reopen");
        let policy = screenings::policy(&again.screening).expect("policy");
        assert_eq!(policy.id(), "default@2026.12.0");
    }
}

#[tokio::test]
async fn a_post_keeps_what_central_has_not_received_and_central_stores_nothing_expired() {
    let (post_dir, post_key) = keyed_dir();
    let (central_dir, central_key) = keyed_dir();
    // Central keeps screenings no time at all: whatever a post sends is past it.
    let central = app(Backend::Sqlite, &central_dir, |s| {
        s.sync.instance = "central".into();
        s.sync.posts = vec![vigil_core::settings::SyncPost {
            name: "poipet".into(),
            key: post_key.clone(),
        }];
        s.screening.keep_days = 0;
    })
    .await;
    let server = central.spawn().await;
    let post = app(Backend::Sqlite, &post_dir, |s| {
        s.sync.instance = "poipet".into();
        s.sync.central_key = central_key.clone();
        s.sync.central_url = server.url.clone();
        s.screening.keep_days = 0;
    })
    .await;
    let (cv, pv) = (&central.vigil, &post.vigil);
    let (_, token) = officer(cv, "poipet.link").await;
    let (p, _) = officer(pv, "dara").await;
    screenings::screen(&pv.screening, &p, &traveller("K-1", "x"), "POIPET")
        .await
        .expect("screen");

    // Expired at the post, but not yet at central: kept.
    assert_eq!(
        screenings::purge_expired(&pv.screening)
            .await
            .expect("purge"),
        0
    );
    assert_eq!(stored_screenings(pv).await.len(), 1);

    // Pushed: central counts it as already there and stores nothing past its
    // own retention; then the post may forget it.
    let to_central = Central::new(&server.url, &token).expect("central");
    let report = sync_client::push(pv, &to_central, |_| {})
        .await
        .expect("push");
    assert_eq!((report.new, report.unchanged), (0, 1));
    assert!(stored_screenings(cv).await.is_empty());
    assert_eq!(
        screenings::purge_expired(&pv.screening)
            .await
            .expect("purge"),
        1
    );
    assert!(stored_screenings(pv).await.is_empty());
}
