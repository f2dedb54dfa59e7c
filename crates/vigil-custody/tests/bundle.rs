//! Signed bundles: any altered byte or another key refuses the bundle, and
//! every chain inside is verified again, naming item and step.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use vigil_custody::bundle::{SigningKey, parse_public_key, public_key_text};
use vigil_custody::{
    Bundle, BundleError, Chain, ItemInput, NewItem, Place, Seizure, Transfer, append, check_bundle,
    parse_time, sign_bundle, verify_bundle,
};

fn chain(reference: &str) -> Chain {
    let item = NewItem::from_input(&ItemInput {
        reference: reference.into(),
        kind: "smartphone".into(),
        imei: "490154203237518".into(),
        ..ItemInput::default()
    })
    .expect("item");
    let mut c = Chain::seize(
        item,
        Seizure {
            by: "Capt. Sok".into(),
            place: Place::Code("18".into()),
            at: parse_time("at", "2026-11-20T05:30:00+07:00").unwrap(),
            operation: "OP-7".into(),
        },
    )
    .expect("seized");
    append(
        &mut c,
        Transfer {
            from: "Capt. Sok".into(),
            to: "Evidence room".into(),
            at: parse_time("at", "2026-11-20T09:00:00+07:00").unwrap(),
            place: Place::Text("Provincial police HQ".into()),
            purpose: "storage".into(),
        },
    )
    .expect("moved");
    c
}

fn bundle() -> Bundle {
    Bundle {
        format: vigil_custody::bundle::FORMAT,
        exported_by: "Preah Sihanouk provincial police".into(),
        created: parse_time("created", "2026-11-26T08:00:00+07:00").unwrap(),
        items: vec![chain("E-001"), chain("E-002")],
    }
}

#[test]
fn a_signed_bundle_verifies_and_any_altered_byte_refuses_it() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let other = SigningKey::from_bytes(&[8; 32]);
    let bytes = sign_bundle(&bundle(), &key).expect("signed");
    let public = parse_public_key(&public_key_text(&key.verifying_key())).expect("key");
    let ok = verify_bundle(&bytes, &[other.verifying_key(), public]).expect("verifies");
    assert_eq!(ok.key_index, 1);
    assert_eq!(ok.bundle, bundle());

    assert_eq!(
        verify_bundle(&bytes, &[other.verifying_key()]).expect_err("other key"),
        BundleError::BadSignature
    );
    // Every single byte changed (of a one-item bundle, to keep it quick):
    // refused, never accepted.
    let mut one = bundle();
    one.items.truncate(1);
    let bytes = sign_bundle(&one, &key).expect("signed");
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        assert!(verify_bundle(&b, &[public]).is_err(), "byte {i} changed");
    }
}

#[test]
fn a_tampered_chain_is_named_even_when_the_signature_already_fails() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let bytes = sign_bundle(&bundle(), &key).expect("signed");
    let text = String::from_utf8(bytes).unwrap();
    // Change the second item's receiver inside the signed text.
    let at = text.rfind("Evidence room").unwrap();
    let tampered = format!("{}Evidence r00m{}", &text[..at], &text[at + 13..]);
    let check = check_bundle(tampered.as_bytes(), &[key.verifying_key()]).expect("reads");
    assert_eq!(check.signed_by, None);
    assert!(check.items[0].chain.is_ok());
    let t = check.items[1].chain.clone().expect_err("broken");
    assert_eq!((t.item.as_str(), t.step), ("E-002", 2));
    assert!(!check.is_valid());

    // A broken chain signed by a trusted key is still refused, naming it.
    let mut b = bundle();
    b.items[0].entries[1].prev_hash = "0".repeat(64);
    assert!(matches!(
        sign_bundle(&b, &key),
        Err(BundleError::Chain(t)) if t.item == "E-001" && t.step == 2
    ));
}

#[test]
fn not_a_bundle_and_duplicates_are_refused() {
    let key = SigningKey::from_bytes(&[7; 32]);
    assert!(matches!(
        verify_bundle(b"hello", &[key.verifying_key()]),
        Err(BundleError::NotABundle(_))
    ));
    assert!(matches!(
        verify_bundle(b"{}", &[]),
        Err(BundleError::BadKey(_))
    ));
    let mut empty = bundle();
    empty.items.clear();
    assert!(matches!(
        sign_bundle(&empty, &key),
        Err(BundleError::Malformed(_))
    ));
    let mut b = bundle();
    b.items.push(chain("E-001"));
    assert!(matches!(
        sign_bundle(&b, &key),
        Err(BundleError::Malformed(_))
    ));
    assert!(parse_public_key("not a key").is_err());
}
