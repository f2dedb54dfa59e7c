//! Staff accounts, sign-in with TOTP, sessions, and the desk's access rules,
//! end to end over the embedded store.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_core::keys::Keys;
use vigil_core::staff::{self, SignIn};
use vigil_core::{CoreError, FieldMessage, Settings, Vigil, desk};
use vigil_domain::{
    AuditAction, Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role, TipStatus,
};
use vigil_store::NewStaff;

async fn app(dir: &std::path::Path) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    settings.staff.password_memory_kib = 64;
    settings.staff.password_iterations = 1;
    let keys = Keys::ephemeral().expect("keys");
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    Vigil::new(store, keys, settings)
}

fn code_for(secret_base32: &str, username: &str, at: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("secret");
    totp_rs::Builder::new()
        .with_secret(secret.as_ref().to_vec())
        .with_account_name(username.to_string())
        .build()
        .expect("totp")
        .generate(at)
        .to_string()
}

fn now() -> u64 {
    OffsetDateTime::now_utc().unix_timestamp() as u64
}

async fn account(v: &Vigil, name: &str, role: Role, j: Jurisdiction) -> String {
    let (_, token) = staff::create(
        &v.staff,
        NewStaff {
            username: name.into(),
            display_name: name.into(),
            role,
            jurisdiction: j,
        },
        None,
    )
    .await
    .expect("create");
    staff::complete_setup(&v.staff, &token, "correct horse battery", None)
        .await
        .expect("setup");
    match staff::sign_in(&v.staff, name, "correct horse battery", None, None)
        .await
        .expect("sign in")
    {
        SignIn::Done(cookie) => cookie,
        other => panic!("{other:?}"),
    }
}

async fn tip_in(v: &Vigil, province: Option<&str>, text: &str) -> vigil_domain::TipId {
    let out = submit(
        &v.intake,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category: Category::ScamCompound,
                text: text.into(),
                location: Location {
                    province_code: province.map(str::to_string),
                    ..Location::default()
                },
                danger: DangerFlags::default(),
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: Some("en".into()),
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit");
    out.tip_id
}

#[tokio::test]
async fn the_first_admin_sets_up_with_totp_and_signs_in_with_both_factors() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let token = staff::bootstrap(&v.staff)
        .await
        .expect("bootstrap")
        .expect("first start");
    assert_eq!(
        staff::bootstrap(&v.staff).await.expect("again"),
        None,
        "only once"
    );
    let admin = staff::setup_account(&v.staff, &token)
        .await
        .expect("link opens");
    assert_eq!(admin.role, Role::Admin);
    // An admin must enrol a second factor.
    let err = staff::complete_setup(&v.staff, &token, "correct horse battery", None).await;
    assert!(
        matches!(&err, Err(CoreError::InvalidField(fe)) if fe.message == FieldMessage::NeedsAuthenticator),
        "{err:?}"
    );
    let enrol = staff::totp_enroll(&v.staff, "admin").expect("enrol");
    assert!(enrol.url.starts_with("otpauth://totp/"));
    let err = staff::complete_setup(
        &v.staff,
        &token,
        "short",
        Some((
            &enrol.sealed,
            &code_for(&enrol.secret_base32, "admin", now()),
        )),
    )
    .await;
    assert!(
        matches!(&err, Err(CoreError::InvalidField(fe)) if fe.field == "password" && fe.get("min") == Some("12")),
        "short password: {err:?}"
    );
    let step_before = now() - 30;
    let code = code_for(&enrol.secret_base32, "admin", step_before);
    staff::complete_setup(
        &v.staff,
        &token,
        "correct horse battery",
        Some((&enrol.sealed, &code)),
    )
    .await
    .expect("setup");
    assert!(
        matches!(
            staff::setup_account(&v.staff, &token).await,
            Err(CoreError::NotFound)
        ),
        "a setup link works once"
    );

    assert!(matches!(
        staff::sign_in(&v.staff, "admin", "wrong password!!", None, None).await,
        Err(CoreError::BadCredentials)
    ));
    assert!(matches!(
        staff::sign_in(&v.staff, "nobody", "correct horse battery", None, None).await,
        Err(CoreError::BadCredentials)
    ));
    // An account not yet set up has no password at all, whatever is typed
    // (the dummy hash verified for timing never counts).
    staff::create(
        &v.staff,
        NewStaff {
            username: "newbie".into(),
            display_name: "New".into(),
            role: Role::Analyst,
            jurisdiction: Jurisdiction::National,
        },
        None,
    )
    .await
    .expect("create");
    for guess in ["no such account", "", "correct horse battery"] {
        assert!(matches!(
            staff::sign_in(&v.staff, "newbie", guess, None, None).await,
            Err(CoreError::BadCredentials)
        ));
    }
    let pending = match staff::sign_in(&v.staff, "admin", "correct horse battery", None, None)
        .await
        .expect("password")
    {
        SignIn::NeedsTotp(p) => p,
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        staff::sign_in_totp(&v.staff, &pending, "000000", None, None).await,
        Err(CoreError::BadCredentials)
    ));
    // A code already used (at setup) is refused; Khmer digits are read.
    let code = code_for(&enrol.secret_base32, "admin", now());
    let khmer: String = code
        .chars()
        .map(|c| char::from_u32(0x17E0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    let cookie = staff::sign_in_totp(&v.staff, &pending, &khmer, None, None)
        .await
        .expect("second factor");
    let session = staff::session(&v.staff, &cookie)
        .await
        .expect("session")
        .expect("live");
    assert_eq!(session.principal.username, "admin");
    assert!(session.csrf_ok(&session.csrf) && !session.csrf_ok("forged"));
    assert!(
        staff::sign_in_totp(&v.staff, &pending, &code, None, None)
            .await
            .is_err(),
        "a pending sign-in is used once"
    );
    staff::sign_out(&v.staff, &cookie).await.expect("out");
    assert!(
        staff::session(&v.staff, &cookie)
            .await
            .expect("session")
            .is_none()
    );
}

#[tokio::test]
async fn failed_sign_ins_slow_down_but_the_user_gets_back_in() {
    let dir = tempfile::tempdir().expect("dir");
    let mut v = app(dir.path()).await;
    let mut s = (*v.settings).clone();
    s.staff.login_free_failures = 2;
    s.staff.login_max_delay_secs = 1;
    v = Vigil::new(v.store.clone(), Keys::ephemeral().expect("keys"), s);
    account(&v, "dara", Role::Analyst, Jurisdiction::National).await;
    let client = Some(vigil_core::throttle::ClientKey([7; 16]));
    for _ in 0..3 {
        let _ = staff::sign_in(&v.staff, "dara", "wrong password!!", client, None).await;
    }
    assert!(matches!(
        staff::sign_in(&v.staff, "dara", "correct horse battery", client, None).await,
        Err(CoreError::SlowDown(_))
    ));
    // From another device the user is not held back.
    assert!(
        staff::sign_in(
            &v.staff,
            "dara",
            "correct horse battery",
            Some(vigil_core::throttle::ClientKey([8; 16])),
            None
        )
        .await
        .is_ok()
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(
        staff::sign_in(&v.staff, "dara", "correct horse battery", client, None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_desk_keeps_each_province_to_itself_and_audits_reads() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let in_12 = tip_in(&v, Some("12"), "compound in Phnom Penh").await;
    let in_18 = tip_in(&v, Some("18"), "compound in Sihanoukville").await;
    let nowhere = tip_in(&v, None, "somewhere").await;
    let pp = account(
        &v,
        "pp.analyst",
        Role::Analyst,
        Jurisdiction::Provinces(vec!["12".into()]),
    )
    .await;
    let nat = account(&v, "national", Role::Analyst, Jurisdiction::National).await;
    let officer = account(&v, "officer", Role::Officer, Jurisdiction::National).await;
    let prosecutor = account(&v, "prosecutor", Role::Prosecutor, Jurisdiction::National).await;
    let who = |c: &String| {
        let v = v.clone();
        let c = c.clone();
        async move {
            staff::session(&v.staff, &c)
                .await
                .unwrap()
                .unwrap()
                .principal
        }
    };
    let pp = who(&pp).await;
    let nat = who(&nat).await;
    let officer = who(&officer).await;
    let prosecutor = who(&prosecutor).await;

    let q = desk::queue(&v.desk, &pp, None, 0).await.expect("queue");
    assert_eq!(
        (q.total, q.tips.iter().map(|t| t.id).collect::<Vec<_>>()),
        (1, vec![in_12])
    );
    assert_eq!(
        desk::queue(&v.desk, &nat, None, 0)
            .await
            .expect("queue")
            .total,
        3
    );
    assert!(desk::tip(&v.desk, &pp, in_12).await.is_ok());
    for other in [in_18, nowhere] {
        assert!(matches!(
            desk::tip(&v.desk, &pp, other).await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            desk::reply(&v.desk, &pp, other, "hello").await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            desk::set_status(&v.desk, &pp, other, TipStatus::InReview).await,
            Err(CoreError::NotFound)
        ));
    }
    assert!(matches!(
        desk::queue(&v.desk, &prosecutor, None, 0).await,
        Err(CoreError::Forbidden)
    ));
    assert!(
        desk::tip(&v.desk, &officer, in_18).await.is_ok(),
        "officers read"
    );
    assert!(matches!(
        desk::reply(&v.desk, &officer, in_18, "hello").await,
        Err(CoreError::Forbidden)
    ));
    desk::reply(
        &v.desk,
        &nat,
        in_18,
        "Thank you — can you say which building?",
    )
    .await
    .expect("reply");
    desk::set_status(&v.desk, &nat, in_18, TipStatus::InReview)
        .await
        .expect("status");
    let view = desk::tip(&v.desk, &nat, in_18).await.expect("tip");
    assert_eq!(view.tip.status, TipStatus::InReview);
    assert_eq!(view.thread.messages.len(), 1);
    assert!(!view.thread.messages[0].from_reporter);
    assert!(
        view.identifiers
            .iter()
            .any(|f| f.kind == vigil_extract::Kind::Place && f.value == "18"),
        "{:?}",
        view.identifiers
    );
    let reads: Vec<_> = v
        .store
        .audit_after(0, 1000)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.entry.action == AuditAction::TipRead)
        .map(|e| (e.entry.actor, e.entry.object))
        .collect();
    assert_eq!(
        reads,
        vec![
            ("staff:pp.analyst".to_string(), format!("tip:{in_12}")),
            ("staff:officer".to_string(), format!("tip:{in_18}")),
            ("staff:national".to_string(), format!("tip:{in_18}")),
        ]
    );
    // A disabled account's sessions end at once.
    staff::disable(&v.staff, "national").await.expect("disable");
    assert!(matches!(
        staff::sign_in(&v.staff, "national", "correct horse battery", None, None).await,
        Err(CoreError::BadCredentials)
    ));
    let link = staff::reset(&v.staff, "national").await.expect("reset");
    assert!(staff::setup_account(&v.staff, &link).await.is_ok());
}
