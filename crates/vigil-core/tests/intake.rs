//! Intake, receipts and the follow-up thread, end to end over the embedded store.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, Upload, submit};
use vigil_core::keys::Keys;
use vigil_core::{CoreError, Settings, Vigil, followup, receipts};
use vigil_domain::{Category, Channel, DangerFlags, Location, NewTip, TipStatus};

const JPEG: &[u8] = include_bytes!("../../vigil-media/tests/fixtures/photo.jpg");

async fn app(dir: &std::path::Path, tweak: impl FnOnce(&mut Settings)) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    tweak(&mut settings);
    let keys = Keys::ephemeral().expect("keys");
    let store = vigil_backends::open_store("", dir, keys.audit_key())
        .await
        .expect("store");
    Vigil::new(store, keys, settings)
}

fn tip(text: &str) -> NewTip {
    NewTip {
        channel: Channel::Web,
        category: Category::ScamCompound,
        text: text.into(),
        location: Location {
            commune_code: Some("200802".into()),
            ..Location::default()
        },
        danger: DangerFlags {
            held: true,
            ..DangerFlags::default()
        },
        received_at: OffsetDateTime::now_utc(),
        external_ref: None,
        language: Some("km".into()),
    }
}

fn request(text: &str) -> TipRequest {
    TipRequest {
        tip: tip(text),
        photos: vec![],
        use_photo_location: false,
        client_ref: None,
    }
}

#[tokio::test]
async fn a_tip_goes_in_and_its_receipt_opens_the_thread() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |_| {}).await;
    let mut req = request("មានមនុស្សត្រូវបានឃុំខ្លួននៅបាវិត");
    req.photos.push(Upload {
        bytes: JPEG.to_vec(),
        declared_mime: Some("image/jpeg".into()),
    });
    let done = submit(&v.intake, req).await.expect("submit");
    assert!(!done.replayed);
    let stored = v.store.tip(done.tip_id).await.expect("tip");
    // The commune filled in its district and province.
    assert_eq!(stored.location.province_code.as_deref(), Some("20"));
    assert_eq!(stored.location.district_code.as_deref(), Some("2008"));

    // The receipt typed in Khmer digits opens the thread.
    let khmer: String = done
        .receipt
        .grouped()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x17E0 + d).unwrap_or(c),
            None => c,
        })
        .collect();
    let view = followup::open(&v.intake, &khmer, None).await.expect("open");
    assert_eq!(view.status, TipStatus::Received);
    assert_eq!(view.report_photos, 1);
    assert!(view.messages.is_empty());

    followup::staff_reply(&v.intake, done.tip_id, "analyst1", "Which floor?")
        .await
        .expect("staff");
    let view = followup::reporter_reply(&v.intake, done.receipt.digits(), None, "ជាន់ទី៣", vec![])
        .await
        .expect("reply");
    let bodies: Vec<(&str, bool)> = view
        .messages
        .iter()
        .map(|m| (m.body.as_str(), m.from_reporter))
        .collect();
    assert_eq!(bodies, vec![("Which floor?", false), ("ជាន់ទី៣", true)]);

    // Attachments and messages are not stored in the clear.
    let att = v.store.attachments(done.tip_id).await.expect("atts");
    let row = v.store.attachment(att[0].id).await.expect("att");
    assert_ne!(row.data_enc.get(..2), Some(&[0xFF, 0xD8][..]));
    let msgs = v.store.messages(done.tip_id).await.expect("msgs");
    assert!(
        !msgs
            .iter()
            .any(|m| m.body_enc.windows(5).any(|w| w == b"Which"))
    );
}

#[tokio::test]
async fn a_retry_with_the_same_client_ref_gets_the_same_receipt_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |_| {}).await;
    let mut req = request("recruiter at the border");
    req.client_ref = Some("phone-42-attempt".into());
    let a = submit(&v.intake, req.clone()).await.expect("first");
    let b = submit(&v.intake, req.clone()).await.expect("retry");
    assert!(b.replayed);
    assert_eq!(a.receipt.digits(), b.receipt.digits());
    assert_eq!(a.tip_id, b.tip_id);
    assert_eq!(v.store.count_tips().await.expect("count"), 1);
    // Concurrent retries also store one tip.
    let mut req2 = request("another");
    req2.client_ref = Some("concurrent".into());
    let (x, y) = tokio::join!(
        submit(&v.intake, req2.clone()),
        submit(&v.intake, req2.clone())
    );
    let (x, y) = (x.expect("x"), y.expect("y"));
    assert_eq!(x.receipt.digits(), y.receipt.digits());
    assert_eq!(v.store.count_tips().await.expect("count"), 2);
}

#[tokio::test]
async fn retry_receipts_are_forgotten_after_the_window() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| s.intake.client_ref_window_secs = 0).await;
    let mut req = request("x");
    req.client_ref = Some("k".into());
    submit(&v.intake, req.clone()).await.expect("first");
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    assert_eq!(
        vigil_core::intake::expire_client_refs(&v.intake)
            .await
            .expect("expire"),
        1
    );
    let again = submit(&v.intake, req).await;
    assert!(matches!(again, Err(CoreError::Duplicate)), "{again:?}");
    assert_eq!(v.store.count_tips().await.expect("count"), 1);
}

#[tokio::test]
async fn ten_thousand_random_guesses_find_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| {
        s.receipts.failures_per_receipt = u32::MAX;
        s.receipts.argon2_memory_kib = 8;
    })
    .await;
    for i in 0..50 {
        submit(&v.intake, request(&format!("tip {i}")))
            .await
            .expect("submit");
    }
    let mut found = 0;
    for _ in 0..10_000 {
        let guess = receipts::random_receipt().expect("guess");
        match receipts::open(&v.intake.receipts, guess.digits(), None).await {
            Ok(_) => found += 1,
            Err(CoreError::NotFound) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(found, 0);
}

#[tokio::test]
async fn failed_attempts_are_throttled_per_client_only() {
    use vigil_core::throttle::ClientKey;
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| s.receipts.failures_per_client = 5).await;
    let ok = submit(&v.intake, request("real")).await.expect("submit");
    let attacker = Some(ClientKey([7; 16]));
    let honest = Some(ClientKey([8; 16]));
    for _ in 0..5 {
        let g = receipts::random_receipt().expect("guess");
        assert!(matches!(
            receipts::open(&v.intake.receipts, g.digits(), attacker).await,
            Err(CoreError::NotFound)
        ));
    }
    assert!(matches!(
        receipts::open(&v.intake.receipts, ok.receipt.digits(), attacker).await,
        Err(CoreError::Throttled)
    ));
    // Another reporter behind the same carrier is not affected.
    assert_eq!(
        receipts::open(&v.intake.receipts, ok.receipt.digits(), honest)
            .await
            .expect("honest"),
        ok.tip_id
    );
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| s.intake.max_text_chars = 50).await;
    let empty = submit(&v.intake, request("   ")).await;
    assert!(matches!(empty, Err(CoreError::Invalid(_))), "{empty:?}");
    let long = submit(&v.intake, request(&"a".repeat(51))).await;
    assert!(matches!(long, Err(CoreError::Invalid(_))));
    let mut outside = request("x");
    outside.tip.location.province_code = Some("01".into());
    assert!(matches!(
        submit(&v.intake, outside).await,
        Err(CoreError::Invalid(_))
    ));
    let mut liar = request("x");
    liar.photos.push(Upload {
        bytes: b"<html><script>alert(1)</script></html>".to_vec(),
        declared_mime: Some("image/jpeg".into()),
    });
    assert!(matches!(
        submit(&v.intake, liar).await,
        Err(CoreError::Photo(_))
    ));
    let mut png_as_jpeg = request("x");
    png_as_jpeg.photos.push(Upload {
        bytes: include_bytes!("../../vigil-media/tests/fixtures/photo.png").to_vec(),
        declared_mime: Some("image/jpeg".into()),
    });
    assert!(matches!(
        submit(&v.intake, png_as_jpeg).await,
        Err(CoreError::Photo(_))
    ));
    assert_eq!(v.store.count_tips().await.expect("count"), 0);
    assert!(
        v.store
            .events_after(vigil_domain::EventSeq(0), 10)
            .await
            .expect("ev")
            .is_empty()
    );
}

#[tokio::test]
async fn the_audit_chain_verifies_after_intake_and_names_a_tampered_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |_| {}).await;
    for i in 0..5 {
        submit(&v.intake, request(&format!("t{i}")))
            .await
            .expect("submit");
    }
    let report = vigil_core::audit::verify(&*v.store, &v.keys, &[], |_| {})
        .await
        .expect("verify");
    assert_eq!(report.entries, 5);
    assert_eq!(report.broken, None);
}

#[tokio::test]
async fn a_node_with_another_key_file_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Settings::default();
    s.storage.data_dir = dir.path().to_path_buf();
    vigil_backends::open(s.clone()).await.expect("first open");
    vigil_backends::open(s.clone())
        .await
        .expect("same key again");
    let other = tempfile::tempdir().expect("other");
    s.storage.key_file = other.path().join("other.key");
    let refused = vigil_backends::open(s).await;
    assert!(
        matches!(&refused, Err(CoreError::Unavailable(m)) if m.contains("does not belong")),
        "{:?}",
        refused.err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_wrong_receipts_from_many_addresses_never_refuses_a_fresh_reporter() {
    use vigil_core::throttle::ClientKey;
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| s.receipts.argon2_memory_kib = 8).await;
    let ok = submit(&v.intake, request("real")).await.expect("submit");
    // 4,000 wrong receipts from 200 addresses, 20 each, all at once.
    let mut tasks = Vec::new();
    for a in 0..200u32 {
        let r = v.intake.receipts.clone();
        tasks.push(tokio::spawn(async move {
            let mut k = [0u8; 16];
            k[..4].copy_from_slice(&a.to_le_bytes());
            for _ in 0..20 {
                let g = receipts::random_receipt().expect("guess");
                let _ = receipts::open(&r, g.digits(), Some(ClientKey(k))).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    // A reporter from a fresh address, and one with no known address at all,
    // open their valid receipt at once.
    for client in [Some(ClientKey([0xEE; 16])), None] {
        assert_eq!(
            receipts::open(&v.intake.receipts, ok.receipt.digits(), client)
                .await
                .expect("fresh reporter"),
            ok.tip_id
        );
    }
}

#[tokio::test]
async fn failures_on_one_receipt_prefix_do_not_touch_other_prefixes() {
    use vigil_core::throttle::ClientKey;
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |s| s.receipts.failures_per_receipt = 3).await;
    let ok = submit(&v.intake, request("real")).await.expect("submit");
    let digits = ok.receipt.digits().to_string();
    // Someone who knows the first 8 digits guesses the rest from many
    // addresses: that prefix is refused for the window …
    for i in 0..3u8 {
        let wrong_tail = if digits.ends_with("00000000") {
            "11111111"
        } else {
            "00000000"
        };
        let guess = format!("{}{}", &digits[..8], wrong_tail);
        assert!(matches!(
            receipts::open(&v.intake.receipts, &guess, Some(ClientKey([i; 16]))).await,
            Err(CoreError::NotFound)
        ));
    }
    assert!(matches!(
        receipts::open(&v.intake.receipts, &digits, Some(ClientKey([9; 16]))).await,
        Err(CoreError::Throttled)
    ));
    // … and every other receipt still opens.
    let other = submit(&v.intake, request("another")).await.expect("submit");
    assert_eq!(
        receipts::open(
            &v.intake.receipts,
            other.receipt.digits(),
            Some(ClientKey([9; 16]))
        )
        .await
        .expect("other prefix"),
        other.tip_id
    );
}

#[tokio::test]
async fn the_public_totals_are_counted_once_while_fresh() {
    use std::sync::Arc;
    use vigil_core::figures::{self, FiguresService};
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path(), |_| {}).await;
    submit(&v.intake, request("a first tip"))
        .await
        .expect("submit");
    let cached = FiguresService::new(v.store.clone());
    let always = FiguresService::with_public_fresh_for(v.store.clone(), std::time::Duration::ZERO);
    let first = figures::public_national(&cached).await.expect("count");
    assert_eq!(first.tips, 1);
    submit(&v.intake, request("a second tip"))
        .await
        .expect("submit");
    let again = figures::public_national(&cached).await.expect("reuse");
    assert!(
        Arc::ptr_eq(&first, &again),
        "reused while fresh, not counted again"
    );
    assert_eq!(again.tips, 1);
    let counted = figures::public_national(&always).await.expect("count");
    assert_eq!(counted.tips, 2, "counted again once no longer fresh");
    // Many readers at once share one count.
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let c = cached.clone();
            tokio::spawn(async move { figures::public_national(&c).await })
        })
        .collect();
    for r in readers {
        let f = r.await.expect("join").expect("count");
        assert!(Arc::ptr_eq(&f, &first));
    }
}
