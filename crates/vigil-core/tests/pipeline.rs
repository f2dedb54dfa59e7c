//! The pipeline over the embedded store: identifiers in any format become one
//! observable; passes are idempotent and resume from the cursor.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_core::keys::Keys;
use vigil_core::{Settings, Vigil, pipeline};
use vigil_domain::{Category, Channel, DangerFlags, Location, NewTip};

async fn app(dir: &std::path::Path, keys: Keys) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    Vigil::new(store, keys, settings)
}

async fn tip(v: &Vigil, text: &str, commune: Option<&str>) {
    submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::Recruitment,
                text: text.into(),
                location: Location {
                    commune_code: commune.map(str::to_string),
                    ..Location::default()
                },
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

#[tokio::test]
async fn one_number_in_many_formats_is_one_observable_and_passes_resume() {
    let dir = tempfile::tempdir().expect("dir");
    let keys_path = dir.path().join("k");
    let v = app(dir.path(), Keys::load_or_create(&keys_path).expect("keys")).await;
    for text in [
        "Recruiter called from 012 345 678, Telegram @JobsAsia",
        "ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨ ប្រាប់ឲ្យទៅបាវិត",
        "+855 (0)12 345 678 offered a job at hxxps://jobs-asia[.]com",
        "nothing to see here",
    ] {
        tip(&v, text, None).await;
    }
    tip(&v, "a place only", Some("200802")).await;
    // One event, then a "crash": a new process picks up from the cursor.
    let first = pipeline::run_once(&v.pipeline, 1).await.expect("pass");
    assert_eq!((first.events, first.tips), (1, 1));
    drop(v);
    let v = app(dir.path(), Keys::load_or_create(&keys_path).expect("keys")).await;
    let rest = pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("rest");
    assert_eq!(rest.tips, 4, "only what was left");
    let phone = v
        .store
        .observable("phone", "+85512345678")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(phone.tips, 3);
    let handle = v
        .store
        .observable("telegram", "jobsasia")
        .await
        .expect("get");
    assert_eq!(handle.map(|h| h.tips), Some(1));
    assert!(
        v.store
            .observable("domain", "jobs-asia.com")
            .await
            .expect("get")
            .is_some()
    );
    let place = v.store.observable("place", "200802").await.expect("get");
    assert_eq!(place.map(|p| p.tips), Some(1), "the chosen commune counts");
    // Caught up: another pass reads nothing and changes nothing.
    assert_eq!(
        pipeline::run_once(&v.pipeline, 100)
            .await
            .expect("idle")
            .events,
        0
    );
    let phone_again = v
        .store
        .observable("phone", "+85512345678")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(phone_again.tips, 3);
}

#[tokio::test]
async fn staff_search_finds_words_and_identifiers_within_the_jurisdiction() {
    use vigil_core::{search, staff};
    use vigil_domain::{Jurisdiction, Role};
    let dir = tempfile::tempdir().expect("dir");
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    settings.staff.password_memory_kib = 64;
    settings.staff.password_iterations = 1;
    settings.storage.data_dir = dir.path().to_path_buf();
    let v = vigil_backends::open(settings).await.expect("open");
    for (text, province) in [
        (
            "Recruiter +855 12 345 678 keeps people in the casino building",
            "18",
        ),
        ("ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារ ទូរស័ព្ទ 012345678", "12"),
        ("Nothing about anyone", "18"),
    ] {
        submit(
            &v.intake,
            TipRequest {
                tip: NewTip {
                    channel: Channel::Web,
                    category: Category::ScamCompound,
                    text: text.into(),
                    location: Location {
                        province_code: Some(province.into()),
                        ..Location::default()
                    },
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
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let (_, token) = staff::create(
        &v.staff,
        vigil_store::NewStaff {
            username: "sihanouk".into(),
            display_name: "S".into(),
            role: Role::Analyst,
            jurisdiction: Jurisdiction::Provinces(vec!["18".into()]),
        },
        None,
    )
    .await
    .expect("account");
    staff::complete_setup(&v.staff, &token, "correct horse battery", None)
        .await
        .expect("setup");
    let cookie = match staff::sign_in(&v.staff, "sihanouk", "correct horse battery", None, None)
        .await
        .expect("in")
    {
        staff::SignIn::Done(c) => c,
        other => panic!("{other:?}"),
    };
    let p = staff::session(&v.staff, &cookie)
        .await
        .expect("s")
        .expect("live")
        .principal;
    let national = vigil_core::staff::Principal {
        jurisdiction: Jurisdiction::National,
        ..p.clone()
    };
    // The same number typed in another format finds both tips nationally,
    // and only the Sihanoukville one for a Sihanoukville analyst.
    let found = search::search(&v.search, &national, "012 345 678", 10, None)
        .await
        .expect("search")
        .found;
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.by_identifier));
    let found = search::search(&v.search, &p, "012 345 678", 10, None)
        .await
        .expect("search")
        .found;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].tip.location.province_code.as_deref(), Some("18"));
    // Words, in Khmer without spaces too.
    let found = search::search(&v.search, &national, "អគារ", 10, None)
        .await
        .expect("search")
        .found;
    assert_eq!(found.len(), 1);
    assert!(found[0].tip.text.starts_with("ខ្ញុំ"));
    let r = search::search(&v.search, &p, "អគារ", 10, None)
        .await
        .expect("search");
    let (found, total) = (r.found, r.total);
    assert_eq!(
        (found.len(), total),
        (0, 0),
        "nothing from another province, not even a count"
    );
    let found = search::search(&v.search, &p, "casino", 10, None)
        .await
        .expect("search")
        .found;
    assert_eq!(found.len(), 1);
    assert!(matches!(
        search::search(&v.search, &p, "\"unclosed", 10, None).await,
        Err(vigil_core::CoreError::InvalidField(fe))
            if fe.field == "q" && fe.message == vigil_core::FieldMessage::NotAQuery
    ));
}

#[tokio::test]
async fn merges_splits_and_hub_marks_survive_reclustering() {
    use vigil_core::{desk, facilities, staff};
    use vigil_domain::{Jurisdiction, Role};
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), Keys::ephemeral().expect("keys")).await;
    for text in [
        "Compound A, boss on 012 345 678",
        "Compound A again, call 012 345 678",
        "Compound B in Bavet, telegram @bavet_boss",
        "Compound B, t.me/bavet_boss",
    ] {
        tip(&v, text, None).await;
    }
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    let members = |v: Vigil| async move {
        let mut m: Vec<Vec<i64>> = v
            .store
            .memberships()
            .await
            .expect("memberships")
            .into_iter()
            .map(|(_, t)| t.into_iter().map(|t| t.0).collect())
            .collect();
        m.sort();
        m
    };
    assert_eq!(members(v.clone()).await, vec![vec![1, 2], vec![3, 4]]);
    let analyst = staff::Principal {
        id: vigil_domain::StaffId(1),
        username: "dara".into(),
        display_name: "Dara".into(),
        role: Role::Analyst,
        jurisdiction: Jurisdiction::National,
    };
    let admin = staff::Principal {
        role: Role::Admin,
        username: "admin".into(),
        ..analyst.clone()
    };
    let fa = v
        .store
        .facility_of(vigil_domain::TipId(1))
        .await
        .unwrap()
        .unwrap();
    let fb = v
        .store
        .facility_of(vigil_domain::TipId(3))
        .await
        .unwrap()
        .unwrap();
    desk::merge(&v.desk, &analyst, fa, fb).await.expect("merge");
    assert_eq!(members(v.clone()).await, vec![vec![1, 2, 3, 4]]);
    // A new tip arrives: the merge holds.
    tip(&v, "Compound B is still there, @bavet_boss", None).await;
    pipeline::run_until_idle(&v.pipeline, |_| {})
        .await
        .expect("pipeline");
    assert_eq!(members(v.clone()).await, vec![vec![1, 2, 3, 4, 5]]);
    desk::split(&v.desk, &analyst, vigil_domain::TipId(5))
        .await
        .expect("split");
    assert_eq!(members(v.clone()).await, vec![vec![1, 2, 3, 4], vec![5]]);
    // Only an admin marks hubs; a hub no longer links.
    assert!(matches!(
        desk::set_observable_mode(
            &v.desk,
            &analyst,
            "phone",
            "+85512345678",
            vigil_core::views::LinkMode::Hub
        )
        .await,
        Err(vigil_core::CoreError::Forbidden)
    ));
    desk::set_observable_mode(
        &v.desk,
        &admin,
        "phone",
        "+85512345678",
        vigil_core::views::LinkMode::Hub,
    )
    .await
    .expect("hub");
    let m = members(v.clone()).await;
    assert!(m.contains(&vec![5]), "{m:?}");
    assert!(
        m.iter().any(|g| g.contains(&1) && g.contains(&3)),
        "the analyst's merge still holds: {m:?}"
    );
    // The actions are on the audit chain.
    let actions: Vec<&str> = v
        .store
        .audit_after(0, 1000)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.entry.action.name())
        .filter(|a| a.starts_with("facility.") || a.starts_with("observable."))
        .collect();
    // (Merging reads both facilities first, and each read is audited too.)
    assert_eq!(
        actions,
        vec![
            "facility.read",
            "facility.read",
            "facility.merge",
            "facility.split",
            "observable.mode"
        ]
    );
    // Nothing changed since: reclustering again writes nothing.
    assert_eq!(
        facilities::recluster(&v.intel).await.expect("idle"),
        facilities::Reclustered::default()
    );
}
