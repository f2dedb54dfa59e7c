//! `vigil custody verify` as a process: a good bundle is OK per item; a
//! tampered one, a wrong key or a missing key exit non-zero, naming the item
//! and step.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use vigil_custody::bundle::{FORMAT, SigningKey, public_key_text};
use vigil_custody::{
    Bundle, Chain, ItemInput, NewItem, Place, Seizure, Transfer, append, parse_time, sign_bundle,
};

fn vigil(args: &[&str], bundle: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["custody", "verify"])
        .arg(bundle)
        .args(args)
        .env_remove("VIGIL_DATABASE_URL")
        .output()
        .expect("run vigil")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn chain(reference: &str, imei: &str) -> Chain {
    let item = NewItem::from_input(&ItemInput {
        reference: reference.into(),
        kind: "smartphone".into(),
        imei: imei.into(),
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

#[test]
fn custody_verify_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let key = SigningKey::from_bytes(&[3; 32]);
    let public = public_key_text(&key.verifying_key());
    let bundle = Bundle {
        format: FORMAT,
        exported_by: "Preah Sihanouk provincial police".into(),
        created: parse_time("created", "2026-11-26T08:00:00+07:00").unwrap(),
        items: vec![
            chain("E-001", "490154203237518"),
            chain("E-002", "356938035643809"),
        ],
    };
    let bytes = sign_bundle(&bundle, &key).expect("signed");
    let good = dir.path().join("good.json");
    std::fs::write(&good, &bytes).expect("write");

    let ok = vigil(&["--key", &public], &good);
    let (out, err) = text(&ok);
    assert!(ok.status.success(), "{out}\n{err}");
    assert!(out.contains("signature: OK"), "{out}");
    assert!(
        out.contains("OK      E-001  smartphone  2 steps, held by Evidence room"),
        "{out}"
    );
    assert!(out.contains("OK      E-002"), "{out}");
    assert!(out.contains("2026-11-26T08:00:00+07:00"), "{out}");

    // A key file with a comment and two keys, one of them the signer's.
    let keys = dir.path().join("keys.txt");
    let other = public_key_text(&SigningKey::from_bytes(&[4; 32]).verifying_key());
    std::fs::write(&keys, format!("# trusted\n{other}\n{public}\n")).expect("keys");
    let ok = vigil(&["--key-file", keys.to_str().unwrap()], &good);
    assert!(ok.status.success(), "{:?}", text(&ok));
    assert!(text(&ok).0.contains("trusted key 2 of 2"));

    // Tampered: the second item's receiver changed inside the signed text.
    let t = String::from_utf8(bytes).unwrap();
    let at = t.rfind("Evidence room").unwrap();
    let tampered = format!("{}Evidence r00m{}", &t[..at], &t[at + 13..]);
    let bad = dir.path().join("tampered.json");
    std::fs::write(&bad, tampered).expect("write");
    let no = vigil(&["--key", &public], &bad);
    let (out, err) = text(&no);
    assert!(!no.status.success(), "{out}");
    assert!(out.contains("signature: FAILED"), "{out}");
    assert!(out.contains("OK      E-001"), "{out}");
    assert!(out.contains("BROKEN  E-002  step 2"), "{out}");
    assert!(err.contains("chain(s) of custody are broken"), "{err}");

    // The right bundle with another key: refused.
    let no = vigil(&["--key", &other], &good);
    assert!(!no.status.success());
    assert!(
        text(&no).1.contains("signature does not verify"),
        "{:?}",
        text(&no)
    );

    // No key, a bad key, not a bundle: refused in plain words.
    let no = vigil(&[], &good);
    assert!(!no.status.success());
    assert!(text(&no).1.contains("--key"), "{:?}", text(&no));
    let no = vigil(&["--key", "nonsense"], &good);
    assert!(!no.status.success());
    assert!(
        text(&no).1.contains("not an Ed25519 public key"),
        "{:?}",
        text(&no)
    );
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "hello").expect("write");
    let no = vigil(&["--key", &public], &junk);
    assert!(!no.status.success());
    assert!(
        text(&no).1.contains("not a custody bundle"),
        "{:?}",
        text(&no)
    );
}
