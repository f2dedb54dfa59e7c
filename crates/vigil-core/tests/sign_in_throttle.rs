//! The sign-in throttle's promises (SECURITY.md, "Staff"), end to end over
//! the embedded store: parallel guesses cannot multiply, and an attack from
//! anywhere never keeps out a device that has signed in correctly before.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use vigil_core::keys::Keys;
use vigil_core::staff::{self, SignIn};
use vigil_core::throttle::ClientKey;
use vigil_core::{CoreError, Settings, Vigil};
use vigil_domain::{Jurisdiction, Role};
use vigil_store::NewStaff;

const RIGHT: &str = "correct horse battery";
const WRONG: &str = "wrong password!!";

/// Defaults as shipped (5 free failures per client, 50 per account, waits up
/// to 900 s), with a password hash slow enough for attempts to overlap.
async fn app(dir: &std::path::Path) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    settings.staff.password_memory_kib = 2048;
    settings.staff.password_iterations = 1;
    let keys = Keys::ephemeral().expect("keys");
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    let v = Vigil::new(store, keys, settings);
    let (_, token) = staff::create(
        &v.staff,
        NewStaff {
            username: "dara".into(),
            display_name: "Dara".into(),
            role: Role::Analyst,
            jurisdiction: Jurisdiction::National,
        },
        None,
    )
    .await
    .expect("create");
    staff::complete_setup(&v.staff, &token, RIGHT, None)
        .await
        .expect("setup");
    v
}

fn at(n: u8) -> Option<ClientKey> {
    Some(ClientKey([n; 16]))
}

/// Fires `n` wrong sign-ins at once from `client`; returns how many passwords
/// were evaluated (answered "wrong" rather than "slow down").
async fn parallel_guesses(v: &Vigil, n: usize, client: Option<ClientKey>) -> usize {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let s = v.staff.clone();
        tasks.push(tokio::spawn(async move {
            staff::sign_in(&s, "dara", WRONG, client, None).await
        }));
    }
    let mut evaluated = 0;
    for t in tasks {
        match t.await.expect("task") {
            Err(CoreError::BadCredentials) => evaluated += 1,
            Err(CoreError::SlowDown(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    evaluated
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_parallel_wrong_sign_ins_evaluate_at_most_the_allowed_guesses() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let free = v.settings.staff.login_free_failures as usize;
    let evaluated = parallel_guesses(&v, 100, at(1)).await;
    assert!(
        evaluated <= free + 1,
        "{evaluated} guesses evaluated, at most {} allowed",
        free + 1
    );
    assert!(evaluated >= 1);
    // Straight after, the next guess from there waits.
    assert!(matches!(
        staff::sign_in(&v.staff, "dara", WRONG, at(1), None).await,
        Err(CoreError::SlowDown(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_an_attack_from_many_addresses_a_device_that_signed_in_before_gets_in_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    // The real user signed in once on their phone, which keeps the cookie.
    assert!(matches!(
        staff::sign_in(&v.staff, "dara", RIGHT, at(200), None).await,
        Ok(SignIn::Done(_))
    ));
    let phone = staff::device_cookie(&v.staff, "dara").expect("device cookie");

    // The attack: 100 at once from one address, then 55 one after another
    // spread over 11 addresses, then 100 at once from each of 5 more.
    parallel_guesses(&v, 100, at(1)).await;
    for i in 0..55u8 {
        let _ = staff::sign_in(&v.staff, "dara", WRONG, at(10 + i % 11), None).await;
    }
    for i in 0..5u8 {
        parallel_guesses(&v, 100, at(30 + i)).await;
    }

    // A fresh address without the cookie is slowed (account-wide, capped) …
    assert!(matches!(
        staff::sign_in(&v.staff, "dara", RIGHT, at(99), None).await,
        Err(CoreError::SlowDown(s)) if s <= 900
    ));
    // … but the phone gets in at once, from a fresh address or the
    // attacker's own.
    for client in [at(98), at(1), None] {
        assert!(
            matches!(
                staff::sign_in(&v.staff, "dara", RIGHT, client, Some(&phone)).await,
                Ok(SignIn::Done(_))
            ),
            "the phone is kept out"
        );
    }
}

#[tokio::test]
async fn a_device_cookie_counts_only_for_its_account_and_only_if_unforged() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let phone = staff::device_cookie(&v.staff, "dara").expect("device cookie");
    let other = staff::device_cookie(&v.staff, "sokha").expect("device cookie");
    let mut forged = phone.clone();
    let last = forged.pop().expect("char");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    for i in 0..60u8 {
        let _ = staff::sign_in(&v.staff, "dara", WRONG, at(i), None).await;
    }
    for cookie in [other.as_str(), forged.as_str(), "", "a.b.c"] {
        assert!(
            matches!(
                staff::sign_in(&v.staff, "dara", RIGHT, at(250), Some(cookie)).await,
                Err(CoreError::SlowDown(_))
            ),
            "{cookie:?} must not exempt"
        );
    }
    assert!(
        staff::sign_in(&v.staff, "dara", RIGHT, at(250), Some(&phone))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_device_that_guesses_wrong_is_slowed_itself() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    let stolen = staff::device_cookie(&v.staff, "dara").expect("device cookie");
    let free = v.settings.staff.login_free_failures;
    for _ in 0..=free {
        assert!(matches!(
            staff::sign_in(&v.staff, "dara", WRONG, at(1), Some(&stolen)).await,
            Err(CoreError::BadCredentials)
        ));
    }
    assert!(matches!(
        staff::sign_in(&v.staff, "dara", RIGHT, at(2), Some(&stolen)).await,
        Err(CoreError::SlowDown(_))
    ));
    // Another device of the same user is not held back.
    let phone = staff::device_cookie(&v.staff, "dara").expect("device cookie");
    assert!(
        staff::sign_in(&v.staff, "dara", RIGHT, at(1), Some(&phone))
            .await
            .is_ok()
    );
}
