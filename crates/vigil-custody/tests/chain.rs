//! Custody chains: only the holder hands over, time never goes back, and
//! tampering with any stored field is named by item and step.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use serde_json::Value;
use vigil_custody::{
    Chain, CustodyError, Imaging, ItemInput, NewItem, Place, Seizure, TamperReason, Transfer,
    append, parse_time, record_image, verify,
};

const HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn item() -> NewItem {
    NewItem::from_input(&ItemInput {
        reference: "OP-2026-07/E-001".into(),
        kind: "smartphone".into(),
        description: "Samsung A54, black".into(),
        serial: "R58W123ABC".into(),
        imei: "490154203237518; 3569380356438012".into(),
        image_sha256: HASH.into(),
        photo_sha256: HASH.into(),
        ..ItemInput::default()
    })
    .expect("item")
}

fn t(text: &str) -> time::OffsetDateTime {
    parse_time("at", text).expect("time")
}

fn transfer(from: &str, to: &str, at: &str) -> Transfer {
    Transfer {
        from: from.into(),
        to: to.into(),
        at: t(at),
        place: Place::Text("Evidence room, Sihanoukville provincial police".into()),
        purpose: "storage".into(),
    }
}

/// A chain of four entries: seizure, transfer, forensic image, transfer.
fn chain() -> Chain {
    let mut c = Chain::seize(
        item(),
        Seizure {
            by: "Capt. Sok Dara".into(),
            place: Place::Code("18".into()),
            at: t("2026-11-20T05:30:00+07:00"),
            operation: "OP-2026-07".into(),
        },
    )
    .expect("seized");
    append(
        &mut c,
        transfer(
            "Capt. Sok Dara",
            "Evidence officer Chan",
            "2026-11-20T11:00:00+07:00",
        ),
    )
    .expect("to storage");
    record_image(
        &mut c,
        Imaging {
            by: "Evidence officer Chan".into(),
            at: t("2026-11-21T02:00:00Z"),
            sha256: HASH.to_ascii_uppercase(),
        },
    )
    .expect("imaged");
    append(
        &mut c,
        transfer(
            "Evidence officer Chan",
            "Forensic lab, Phnom Penh",
            "2026-11-22T09:00:00+07:00",
        ),
    )
    .expect("to the lab");
    c
}

#[test]
fn a_chain_verifies_and_knows_its_holder() {
    let c = chain();
    assert_eq!(c.entries.len(), 4);
    verify(&c).expect("verifies");
    assert_eq!(c.holder(), Some("Forensic lab, Phnom Penh"));
    assert_eq!(c.image_sha256(), [HASH, HASH]);
    // The stored form reads back and still verifies.
    let json = serde_json::to_string(&c).expect("json");
    let back: Chain = serde_json::from_str(&json).expect("read back");
    assert_eq!(back, c);
    verify(&back).expect("still verifies");
}

#[test]
fn only_the_holder_hands_over_and_time_goes_forward() {
    let mut c = chain();
    let e = append(
        &mut c,
        transfer("Capt. Sok Dara", "Court clerk", "2026-11-23T09:00:00+07:00"),
    )
    .expect_err("not the holder");
    assert!(
        matches!(&e, CustodyError::NotHolder { item, holder, .. }
            if item == "OP-2026-07/E-001" && holder == "Forensic lab, Phnom Penh"),
        "{e}"
    );
    assert!(e.to_string().contains("does not hold it"), "{e}");
    let e = append(
        &mut c,
        transfer(
            "Forensic lab, Phnom Penh",
            "Court clerk",
            "2026-11-22T01:59:59Z",
        ),
    )
    .expect_err("back in time");
    assert!(matches!(e, CustodyError::TimeBackwards { .. }), "{e}");
    // The same instant written in another zone is not going back.
    append(
        &mut c,
        transfer(
            "Forensic lab, Phnom Penh",
            "Court clerk",
            "2026-11-22T02:00:00Z",
        ),
    )
    .expect("same instant");
    let e = record_image(
        &mut c,
        Imaging {
            by: "Forensic lab, Phnom Penh".into(),
            at: t("2026-11-23T00:00:00Z"),
            sha256: HASH.into(),
        },
    )
    .expect_err("the lab no longer holds it");
    assert!(matches!(e, CustodyError::NotHolder { .. }));
    verify(&c).expect("the refused entries left no trace");
    assert_eq!(c.entries.len(), 5);
}

#[test]
fn bad_fields_are_named() {
    let mut c = chain();
    let holder = c.holder().unwrap().to_string();
    let cases: Vec<(Transfer, &str)> = vec![
        (transfer(&holder, "", "2026-11-23T00:00:00Z"), "to"),
        (transfer(&holder, &holder, "2026-11-23T00:00:00Z"), "to"),
        (
            Transfer {
                place: Place::Code("99".into()),
                ..transfer(&holder, "Court", "2026-11-23T00:00:00Z")
            },
            "place",
        ),
        (
            Transfer {
                purpose: " ".into(),
                ..transfer(&holder, "Court", "2026-11-23T00:00:00Z")
            },
            "purpose",
        ),
    ];
    for (tr, field) in cases {
        match append(&mut c, tr) {
            Err(CustodyError::Field { error, .. }) => assert_eq!(error.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(
        parse_time("at", "2026-11-23 09:00")
            .expect_err("no zone")
            .field,
        "at"
    );
}

/// Changes one JSON leaf so that it still reads as a chain but differs.
fn alter(v: &mut Value) -> bool {
    match v {
        Value::String(s) => {
            if let Ok(at) =
                time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            {
                let moved = at + time::Duration::seconds(1);
                *s = moved
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap();
            } else if s == "smartphone" {
                *s = "computer".into();
            } else {
                s.push('0');
            }
            true
        }
        Value::Number(n) => {
            *v = Value::from(n.as_u64().unwrap() + 1);
            true
        }
        Value::Bool(b) => {
            *b = !*b;
            true
        }
        _ => false,
    }
}

/// Every path to a leaf under `v`.
fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, format!("{path}/{i}"), out);
            }
        }
        Value::Null => {}
        _ => out.push(path),
    }
}

#[test]
fn tampering_with_any_stored_field_names_the_item_and_step() {
    let c = chain();
    let stored = serde_json::to_value(&c).expect("json");
    let mut tested = 0;
    for (step, entry) in stored["entries"].as_array().unwrap().iter().enumerate() {
        let mut paths = Vec::new();
        leaves(entry, format!("/entries/{step}"), &mut paths);
        for path in paths {
            let mut v = stored.clone();
            assert!(alter(v.pointer_mut(&path).unwrap()), "{path}");
            let tampered: Chain = serde_json::from_value(v).expect(&path);
            let t = verify(&tampered).expect_err(&path);
            assert_eq!(t.item, "OP-2026-07/E-001", "{path}");
            assert_eq!(t.step as usize, step + 1, "{path}: {t}");
            tested += 1;
        }
    }
    // seizure: step, item_sha256, by, place, at, operation, prev_hash, hash;
    // transfers 8 each, the image 6.
    assert_eq!(tested, 8 + 8 + 6 + 8);

    // The item's description is fixed by the seizure: any change is step 1.
    let mut paths = Vec::new();
    leaves(&stored["item"], "/item".into(), &mut paths);
    assert!(paths.len() >= 10, "{paths:?}");
    for path in paths {
        let mut v = stored.clone();
        assert!(alter(v.pointer_mut(&path).unwrap()), "{path}");
        let tampered: Chain = serde_json::from_value(v).expect(&path);
        let t = verify(&tampered).expect_err(&path);
        assert_eq!(t.step, 1, "{path}: {t}");
        if path != "/item/reference" {
            assert_eq!(t.reason, TamperReason::ItemChanged, "{path}");
            assert_eq!(t.item, "OP-2026-07/E-001");
        }
    }
}

#[test]
fn removed_reordered_and_forged_entries_are_named() {
    let c = chain();
    let mut removed = c.clone();
    removed.entries.remove(1);
    let t = verify(&removed).expect_err("removed");
    assert_eq!(
        (t.step, t.reason),
        (2, TamperReason::StepNumber { found: 3 })
    );

    let mut swapped = c.clone();
    swapped.entries.swap(1, 2);
    assert_eq!(verify(&swapped).expect_err("swapped").step, 2);

    // A forged transfer, rehashed by someone without the original chain's
    // links, still breaks at its own step.
    let mut forged = c.clone();
    if let vigil_custody::Event::Transfer(t) = &mut forged.entries[3].event {
        t.to = "Someone else".into();
    }
    let e = &forged.entries[3];
    forged.entries[3].hash =
        vigil_custody::chain::entry_hash(&forged.item.reference, 4, &e.event, &e.prev_hash);
    verify(&forged).expect("a consistent rehash of the last entry verifies: bundles anchor it");

    let mut not_holder = c.clone();
    if let vigil_custody::Event::Transfer(t) = &mut not_holder.entries[3].event {
        t.from = "Capt. Sok Dara".into();
    }
    let e = &not_holder.entries[3];
    not_holder.entries[3].hash =
        vigil_custody::chain::entry_hash(&not_holder.item.reference, 4, &e.event, &e.prev_hash);
    let t = verify(&not_holder).expect_err("not the holder");
    assert_eq!(t.step, 4);
    assert!(matches!(t.reason, TamperReason::NotHolder { .. }));

    let mut broken = c.clone();
    broken.entries[1].prev_hash = "1".repeat(64);
    assert!(matches!(
        append(&mut broken, transfer("Forensic lab, Phnom Penh", "Court", "2026-11-23T00:00:00Z")),
        Err(CustodyError::Broken(t)) if t.step == 2
    ));

    let empty = Chain {
        item: item(),
        entries: vec![],
    };
    assert_eq!(
        verify(&empty).expect_err("empty").reason,
        TamperReason::Empty
    );
}
