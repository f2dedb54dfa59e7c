#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use super::*;

fn key(n: u8) -> SigningKey {
    signing_key(&[n; 32])
}

fn item(uid: &str) -> ScreeningItem {
    ScreeningItem {
        uid: uid.into(),
        policy: "default@2026.11.1".into(),
        outcome: "refer".into(),
        score: 7,
        reasons: "[]".into(),
        post: "Poipet".into(),
        officer: 3,
        traveller: r#"{"ref":"AIR-1"}"#.into(),
        created_ns: 1_700_000_000_000_000_000,
        decision: Some("interview".into()),
        note: "ស្រី asked for help".into(),
        decided_ns: Some(1_700_000_000_500_000_000),
    }
}

fn bundle() -> Bundle<ScreeningItems> {
    Bundle {
        format: FORMAT,
        kind: Kind::Screenings,
        from: "poipet".into(),
        created_ns: 1_700_000_001_000_000_000,
        after: 0,
        upto: 2,
        items: vec![item("poipet:1"), item("poipet:2")],
    }
}

fn poipet() -> Vec<Signer> {
    vec![Signer {
        name: Some("poipet".into()),
        key: key(1).verifying_key(),
    }]
}

#[test]
fn a_sealed_bundle_opens_as_it_was() {
    let text = seal(&bundle(), &key(1)).unwrap();
    let back: Bundle<ScreeningItems> = open(&text, Kind::Screenings, &poipet()).unwrap();
    assert_eq!(back, bundle());
    // Reproducible bytes.
    assert_eq!(seal(&bundle(), &key(1)).unwrap(), text);
}

#[test]
fn any_altered_byte_refuses_the_bundle_whole() {
    let text = seal(&bundle(), &key(1)).unwrap();
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let mut altered = bytes.to_vec();
        altered[i] = if altered[i] == b'x' { b'y' } else { b'x' };
        let Ok(altered) = String::from_utf8(altered) else {
            continue;
        };
        let r = open::<ScreeningItems>(&altered, Kind::Screenings, &poipet());
        assert!(r.is_err(), "byte {i} altered and still accepted");
    }
}

#[test]
fn a_changed_item_is_a_bad_signature() {
    let text = seal(&bundle(), &key(1)).unwrap();
    let altered = text.replace(r#"\"score\":7"#, r#"\"score\":0"#);
    assert_ne!(altered, text);
    let r = open::<ScreeningItems>(&altered, Kind::Screenings, &poipet());
    assert_eq!(r.unwrap_err(), SyncError::BadSignature);
}

#[test]
fn signers_kinds_and_formats_are_checked() {
    let check = |text: &str, trusted: &[Signer], expected: SyncError| {
        let r = open::<ScreeningItems>(text, Kind::Screenings, trusted);
        assert_eq!(r.unwrap_err(), expected);
    };
    // Another key signing as poipet.
    check(
        &seal(&bundle(), &key(2)).unwrap(),
        &poipet(),
        SyncError::BadSignature,
    );
    // A name nobody trusts.
    let mut b = bundle();
    b.from = "kohkong".into();
    check(
        &seal(&b, &key(1)).unwrap(),
        &poipet(),
        SyncError::UnknownSigner("kohkong".into()),
    );
    // The wrong kind.
    let mut b = bundle();
    b.kind = Kind::Watchlist;
    check(
        &seal(&b, &key(1)).unwrap(),
        &poipet(),
        SyncError::WrongKind {
            expected: "screenings",
            found: "watchlist",
        },
    );
    // A format from the future.
    let mut b = bundle();
    b.format = 9;
    check(&seal(&b, &key(1)).unwrap(), &poipet(), SyncError::Format(9));
    // Any name, one key: central's key at a post.
    let any = [Signer {
        name: None,
        key: key(1).verifying_key(),
    }];
    let text = seal(&bundle(), &key(1)).unwrap();
    assert!(open::<ScreeningItems>(&text, Kind::Screenings, &any).is_ok());
    // Not an envelope at all.
    assert!(matches!(
        open::<ScreeningItems>("{}", Kind::Screenings, &poipet()),
        Err(SyncError::NotABundle(_))
    ));
}

#[test]
fn watchlist_bundles_and_keys_round_trip() {
    let b = Bundle {
        format: FORMAT,
        kind: Kind::Watchlist,
        from: "central".into(),
        created_ns: 5,
        after: 0,
        upto: 0,
        items: WatchlistItems {
            entries: vec![WatchlistEntry {
                value: "+85512345678".into(),
                label: "facility 3".into(),
            }],
            policy_id: "default@1".into(),
            policy: "name = \"default\"".into(),
        },
    };
    let k = key(7);
    let public = parse_public_key(&public_key_text(&k.verifying_key())).unwrap();
    let text = seal(&b, &k).unwrap();
    let trusted = [Signer {
        name: None,
        key: public,
    }];
    let back: Bundle<WatchlistItems> = open(&text, Kind::Watchlist, &trusted).unwrap();
    assert_eq!(back, b);
    assert!(parse_public_key("not a key").is_err());
    assert!(parse_public_key("AAAA").is_err());
}
