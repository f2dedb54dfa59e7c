//! The screening watchlist from intelligence: values from recruitment and
//! trafficking tips, found in any format, labelled only as far as the viewer
//! may see; ignored values and other tips' values are not listed.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;

use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_core::keys::Keys;
use vigil_core::screening::{UNNAMED, WatchlistView, watchlist, watchlist_for};
use vigil_core::staff::Principal;
use vigil_core::{Settings, Vigil, pipeline};
use vigil_domain::{
    AuditAction, Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role, StaffId,
};

async fn app(dir: &std::path::Path) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    let keys = Keys::load_or_create(&dir.join("k")).expect("keys");
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    Vigil::new(store, keys, settings)
}

async fn tip(v: &Vigil, category: Category, text: &str) {
    submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category,
                text: text.into(),
                location: Location::default(),
                danger: DangerFlags::default(),
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: None,
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit");
}

fn principal(role: Role, jurisdiction: Jurisdiction) -> Principal {
    Principal {
        id: StaffId(1),
        username: "someone".into(),
        display_name: "Someone".into(),
        role,
        jurisdiction,
    }
}

fn labels(w: &vigil_screening::Watchlist, contact: &str) -> Vec<String> {
    w.find(contact)
        .into_iter()
        .flat_map(|(_, l)| l.to_vec())
        .collect()
}

#[tokio::test]
async fn recruiters_numbers_are_listed_and_labelled_as_far_as_the_viewer_may_see() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    tip(
        &v,
        Category::Recruitment,
        "The agent called from 012 345 678, Telegram @JobsAsia, see jobs-asia.com",
    )
    .await;
    tip(&v, Category::FraudVictim, "I lost money to 097 777 8888").await;
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");

    let all = watchlist(&v.screening, &WatchlistView::operator())
        .await
        .expect("w");
    assert_eq!(labels(&all, "+855 12 345 678"), vec!["facility 1"]);
    assert_eq!(labels(&all, "t.me/jobsasia"), vec!["facility 1"]);
    assert!(
        labels(&all, "097 777 8888").is_empty(),
        "not a recruitment tip"
    );

    let analyst = principal(Role::Analyst, Jurisdiction::National);
    let w = watchlist_for(&v.screening, &analyst).await.expect("w");
    assert_eq!(labels(&w, "0123-45678"), vec!["facility 1"]);
    // (The pipeline made the tip a facility of its own.) Immigration may see
    // which facility, never which tip; an analyst elsewhere sees neither.
    let immigration = principal(Role::Immigration, Jurisdiction::National);
    let w = watchlist_for(&v.screening, &immigration).await.expect("w");
    assert_eq!(labels(&w, "012345678"), vec!["facility 1"]);
    let elsewhere = principal(Role::Analyst, Jurisdiction::Provinces(vec!["12".into()]));
    let w = watchlist_for(&v.screening, &elsewhere).await.expect("w");
    assert_eq!(labels(&w, "012345678"), vec![UNNAMED]);

    // An ignored value is no longer listed.
    let admin = principal(Role::Admin, Jurisdiction::National);
    vigil_core::desk::set_observable_mode(
        &v.desk,
        &admin,
        "phone",
        "+85512345678",
        vigil_core::views::LinkMode::Ignore,
    )
    .await
    .expect("ignore");
    let w = watchlist(&v.screening, &WatchlistView::operator())
        .await
        .expect("w");
    assert!(labels(&w, "012 345 678").is_empty());
    assert_eq!(labels(&w, "@jobsasia"), vec!["facility 1"]);
}

#[tokio::test]
async fn employers_named_in_recruitment_tips_are_listed_in_any_legal_form() {
    use vigil_screening::{Policy, Traveller, evaluate};
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    tip(
        &v,
        Category::Recruitment,
        "My daughter was recruited by Golden Fortune Co., Ltd. They took her to Bavet.",
    )
    .await;
    tip(
        &v,
        Category::FraudVictim,
        "Silver Moon Co., Ltd sold me a fake phone online",
    )
    .await;
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let w = watchlist(&v.screening, &WatchlistView::operator())
        .await
        .expect("w");
    assert_eq!(labels(&w, "GOLDEN FORTUNE CO LTD"), vec!["facility 1"]);
    assert!(
        labels(&w, "Silver Moon Company Limited").is_empty(),
        "not a recruitment tip"
    );

    let policy = Policy::default_policy().expect("policy");
    let screen = |employer: &str, text: &str| {
        let line = TRAVELLER
            .replace(r#""contact":"0123 45678""#, r#""contact":"""#)
            .replace(r#""employer":"""#, &format!(r#""employer":"{employer}""#))
            .replace("Salary $2,500, no experience", text);
        let t = Traveller::from_json(&line).expect("traveller");
        evaluate(&policy, &t, &w)
            .reasons
            .into_iter()
            .find(|r| r.code == "watchlist_match")
            .map(|r| r.evidence)
    };
    let hit = screen("GOLDEN FORTUNE CO LTD", "Office work").expect("employer hits");
    assert!(
        hit.contains("employer golden fortune is tied to facility 1"),
        "{hit}"
    );
    let hit = screen("", "Join Golden Fortune Co., Ltd, salary $900").expect("text hits");
    assert!(hit.contains("facility 1"), "{hit}");
    assert_eq!(screen("Silver Moon Co., Ltd", "Office work"), None);
}

const TRAVELLER: &str = r#"{"ref":"AIR-1","sex":"female","age":22,"nationality":"KH","destination":"MM","purpose":"tourism","documents":{"passport":true,"visa":"tourist","work_permit":false,"employment_contract":false,"return_ticket":false},"guarantor":"none","cash_usd":30,"ticket_paid_by":"recruiter","documents_held_by_other":false,"companion_answers":false,"job_offer":{"text":"Salary $2,500, no experience","contact":"0123 45678","employer":""},"officer_notes":"Sokha Chan, passport N0123"}"#;

async fn account(v: &Vigil, name: &str, role: Role) -> Principal {
    let id = v
        .store
        .create_staff(
            vigil_store::NewStaff {
                username: name.into(),
                display_name: name.into(),
                role,
                jurisdiction: Jurisdiction::National,
            },
            vigil_domain::audit::NewAuditEntry {
                actor: "test".into(),
                action: AuditAction::StaffCreate,
                object: String::new(),
                detail: String::new(),
            },
        )
        .await
        .expect("account");
    Principal {
        id,
        ..principal(role, Jurisdiction::National)
    }
}

#[tokio::test]
async fn screenings_are_stored_sealed_decided_and_purged() {
    use vigil_core::screenings;
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    tip(&v, Category::Recruitment, "agent 012 345 678").await;
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let officer = account(&v, "sokha", Role::Immigration).await;
    let analyst = account(&v, "dara", Role::Analyst).await;

    assert!(matches!(
        screenings::screen(&v.screening, &analyst, TRAVELLER, "KTI").await,
        Err(vigil_core::CoreError::Forbidden)
    ));
    let bad = TRAVELLER.replace(r#""cash_usd":30"#, r#""cash_usd":-1"#);
    match screenings::screen(&v.screening, &officer, &bad, "KTI").await {
        Err(vigil_core::CoreError::InvalidField(fe)) => assert_eq!(fe.field, "cash_usd"),
        other => panic!("{other:?}"),
    }

    match screenings::screen(&v.screening, &officer, TRAVELLER, "PNH").await {
        Err(vigil_core::CoreError::InvalidField(fe)) => assert_eq!(fe.field, "post"),
        other => panic!("the old airport is no post: {other:?}"),
    }
    let s = screenings::screen(&v.screening, &officer, TRAVELLER, "kti")
        .await
        .expect("screen");
    assert_eq!(s.reference, "AIR-1");
    assert_eq!(s.screening.outcome.as_str(), "refer");
    let hit = s
        .screening
        .reasons
        .iter()
        .find(|r| r.code == "watchlist_match")
        .expect("the recruiter's number hits");
    assert!(hit.evidence.contains("facility 1"), "{}", hit.evidence);
    assert!(
        !hit.evidence.contains("tip "),
        "immigration sees no tip ids"
    );

    let row = v.store.screening(s.id).await.expect("row");
    assert_eq!(row.screening.policy, "default@2026.11.1");
    assert_eq!(row.screening.post, "KTI");
    let raw = String::from_utf8_lossy(&row.screening.traveller).into_owned();
    assert!(!raw.contains("Sokha"), "the traveller is sealed at rest");

    screenings::decide(
        &v.screening,
        &officer,
        s.id,
        "interview",
        "spoke with her; sister in Phnom Penh",
    )
    .await
    .expect("decide");
    assert!(matches!(
        screenings::decide(&v.screening, &officer, s.id, "deny", "").await,
        Err(vigil_core::CoreError::InvalidField(_))
    ));
    let opened = screenings::open(&v.screening, &officer, s.id)
        .await
        .expect("open");
    assert_eq!(opened.traveller, TRAVELLER);
    assert_eq!(opened.note, "spoke with her; sister in Phnom Penh");
    assert_eq!(opened.row.decision.as_deref(), Some("interview"));

    // Kept for keep_days: not yet purged; with no days to keep, gone.
    assert_eq!(
        screenings::purge_expired(&v.screening)
            .await
            .expect("purge"),
        0
    );
    let mut settings = (*v.settings).clone();
    settings.screening.keep_days = 0;
    let keys = Keys::load_or_create(&dir.path().join("k")).expect("keys");
    let v = Vigil::new(v.store.clone(), keys, settings);
    assert_eq!(
        screenings::purge_expired(&v.screening)
            .await
            .expect("purge"),
        1
    );
    assert!(
        screenings::open(&v.screening, &officer, s.id)
            .await
            .is_err()
    );

    // The watchlist is kept between screenings, but an admin's ignore mark
    // takes effect at once.
    let admin = account(&v, "admin2", Role::Admin).await;
    vigil_core::desk::set_observable_mode(
        &v.desk,
        &admin,
        "phone",
        "+85512345678",
        vigil_core::views::LinkMode::Ignore,
    )
    .await
    .expect("ignore");
    let again = screenings::screen(&v.screening, &officer, TRAVELLER, "KTI")
        .await
        .expect("screen");
    assert!(
        !again
            .screening
            .reasons
            .iter()
            .any(|r| r.code == "watchlist_match")
    );
}

#[tokio::test]
async fn the_policy_file_setting_puts_its_policy_in_force_or_stops_the_start() {
    use vigil_core::screenings;
    let dir = tempfile::tempdir().expect("dir");
    let shipped = include_str!("../../vigil-screening/policy/default.toml");
    let custom = dir.path().join("policy.toml");
    std::fs::write(
        &custom,
        shipped.replace("version = \"2026.11.1\"", "version = \"2027.1.0\""),
    )
    .expect("write");
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    settings.storage.data_dir = dir.path().join("data");
    settings.screening.policy_file = Some(custom.clone());
    let v = vigil_backends::open(settings.clone()).await.expect("open");
    assert_eq!(
        screenings::policy(&v.screening).expect("policy").id(),
        "default@2027.1.0"
    );
    drop(v);

    std::fs::write(
        &custom,
        shipped.replace("[bands]", "[bands]\nfavourite_colour = 3"),
    )
    .expect("write");
    let refused = vigil_backends::open(settings.clone())
        .await
        .err()
        .expect("refused");
    let message = refused.to_string();
    assert!(message.contains("policy.toml"), "{message}");

    settings.screening.policy_file = Some(dir.path().join("missing.toml"));
    let refused = vigil_backends::open(settings).await.err().expect("refused");
    assert!(refused.to_string().contains("missing.toml"), "{refused}");
}

#[tokio::test]
async fn the_fairness_report_shows_the_justification_of_a_weighted_attribute() {
    use vigil_core::{fairness, screenings};
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let shipped = include_str!("../../vigil-screening/policy/default.toml");
    let justified = format!(
        "{}\n[[attribute_weights]]\nattribute = \"sex\"\nvalue = \"female\"\nweight = 1\njustification = \"Pilot ordered by the ministry, reviewed monthly\"\n",
        shipped.replace("version = \"2026.11.1\"", "version = \"2026.12.0\"")
    );
    let policy = vigil_screening::Policy::from_toml(&justified).expect("policy");
    screenings::install_policy(&v.screening, Arc::new(policy));
    let officer = account(&v, "sokha", Role::Immigration).await;
    let s = screenings::screen(&v.screening, &officer, TRAVELLER, "POIPET")
        .await
        .expect("screen");
    assert!(
        s.screening
            .reasons
            .iter()
            .any(|r| r.code == "attribute_sex")
    );
    let row = v.store.screening(s.id).await.expect("row");
    assert_eq!(
        (row.screening.sex.as_str(), row.screening.age_band.as_str()),
        ("female", "18-24")
    );

    let month = fairness::this_month();
    let report = fairness::report(&v.screening, &officer, "poipet", &month)
        .await
        .expect("report");
    assert_eq!(report.total.screenings, 1);
    assert_eq!(report.policies.len(), 1);
    let p = &report.policies[0];
    assert_eq!(p.policy, "default@2026.12.0");
    assert!(p.scope_note.contains("18 to 35"));
    assert_eq!(
        p.justifications,
        vec![(
            "sex".to_string(),
            "female".to_string(),
            1,
            "Pilot ordered by the ministry, reviewed monthly".to_string()
        )]
    );
    // Supervisors read it within their jurisdiction; analysts do not.
    let mut supervisor = account(&v, "chea", Role::Supervisor).await;
    assert!(
        fairness::report(&v.screening, &supervisor, "POIPET", &month)
            .await
            .is_ok()
    );
    supervisor.jurisdiction = Jurisdiction::Provinces(vec!["20".into()]);
    assert!(matches!(
        fairness::report(&v.screening, &supervisor, "POIPET", &month).await,
        Err(vigil_core::CoreError::NotFound)
    ));
    let analyst = account(&v, "dara", Role::Analyst).await;
    assert!(matches!(
        fairness::report(&v.screening, &analyst, "POIPET", &month).await,
        Err(vigil_core::CoreError::Forbidden)
    ));
}
