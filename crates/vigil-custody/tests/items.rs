//! Items: identifiers checked where a check digit exists, every error naming
//! its field, bulk entry refused whole with every bad row named.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use proptest::prelude::*;
use vigil_custody::item::{
    contains_card_number, luhn_check_digit, mask_card, parse_iccid, parse_imei, parse_sha256,
};
use vigil_custody::{
    FieldProblem, ItemInput, ItemKind, NewItem, parse_items_csv, parse_scan_lines,
};

const IMEI: &str = "490154203237518";
const IMEI2: &str = "356938035643809";
const HASH: &str = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

fn input(kind: &str) -> ItemInput {
    ItemInput {
        reference: "E-001".into(),
        kind: kind.into(),
        ..ItemInput::default()
    }
}

fn fields(r: Result<NewItem, Vec<vigil_custody::FieldError>>) -> Vec<String> {
    r.expect_err("refused")
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn imeis_are_checked_and_typed_spacing_is_accepted() {
    let i = parse_imei("49-015420-323751-8").expect("dashes");
    assert_eq!((i.imei.as_str(), i.checked), (IMEI, true));
    assert!(parse_imei("49 015420 323751 8").is_ok());
    let bad = parse_imei("490154203237519").expect_err("bad check digit");
    assert_eq!(bad.field, "imei");
    assert!(
        matches!(bad.message, FieldProblem::CheckDigit { .. }),
        "{bad}"
    );
    let short = parse_imei("49015420323751").expect_err("14 digits");
    assert!(
        matches!(short.message, FieldProblem::ImeiCheckDigitMissing { .. }),
        "{short}"
    );
    assert!(parse_imei("49015420323751A").is_err());
    assert!(parse_imei("1234").is_err());
    // An IMEISV has no check digit: kept, marked unchecked, IMEI derived.
    let sv = parse_imei("3569380356438012").expect("imeisv");
    assert_eq!(sv.imei, IMEI2);
    assert_eq!(sv.svn.as_deref(), Some("12"));
    assert!(!sv.checked);
}

#[test]
fn iccids_cards_and_hashes() {
    assert_eq!(
        parse_iccid("8901 4103 2111 1851 0720").expect("20 digits"),
        "89014103211118510720"
    );
    let body = "898550123456789012";
    let iccid19 = format!("{body}{}", luhn_check_digit(body));
    assert!(parse_iccid(&iccid19).is_ok());
    assert!(parse_iccid("89014103211118510721").is_err(), "check digit");
    assert!(parse_iccid("12014103211118510720").is_err(), "not 89");
    assert!(parse_iccid("890141032111").is_err(), "too short");

    assert_eq!(mask_card("4111 1111 1111 1111").expect("visa"), "1111");
    assert_eq!(mask_card("**** **** **** 4242").expect("masked"), "4242");
    assert_eq!(mask_card("4242").expect("last four"), "4242");
    let bad = mask_card("4111 1111 1111 1112").expect_err("luhn");
    assert_eq!(bad.field, "card");
    assert!(
        !bad.to_string().contains("411111111111"),
        "never the full number: {bad}"
    );
    assert!(mask_card("41111").is_err());
    assert!(contains_card_number("Visa 4111-1111-1111-1111, blue"));
    assert!(!contains_card_number("Visa ending 1111"));

    assert_eq!(
        parse_sha256("image_sha256", HASH).expect("upper case"),
        HASH.to_ascii_lowercase()
    );
    assert_eq!(
        parse_sha256("image_sha256", "abc")
            .expect_err("short")
            .field,
        "image_sha256"
    );
}

#[test]
fn a_full_item_validates_and_a_bank_card_keeps_four_digits() {
    let item = NewItem::from_input(&ItemInput {
        description: "iPhone 13, cracked screen".into(),
        serial: " F2LXK0ABCD12 ".into(),
        imei: format!("{IMEI}; {IMEI2}"),
        image_sha256: HASH.into(),
        ..input("Smartphone")
    })
    .expect("valid");
    assert_eq!(item.kind, ItemKind::Smartphone);
    assert_eq!(item.serial.as_deref(), Some("F2LXK0ABCD12"));
    assert_eq!(item.imeis.len(), 2);
    assert_eq!(item.image_sha256, vec![HASH.to_ascii_lowercase()]);

    let card = NewItem::from_input(&ItemInput {
        card: "4111111111111111".into(),
        ..input("bank-card")
    })
    .expect("card");
    assert_eq!(card.card_last4.as_deref(), Some("1111"));
    let json = serde_json::to_string(&card).expect("json");
    assert!(!json.contains("4111111111111111"), "{json}");

    let cash = NewItem::from_input(&ItemInput {
        amount: "12,500.50".into(),
        currency: "usd".into(),
        ..input("cash")
    })
    .expect("cash");
    let c = cash.cash.expect("amount");
    assert_eq!(
        (c.amount.as_str(), c.currency.as_str()),
        ("12500.50", "USD")
    );
}

#[test]
fn every_bad_field_is_named() {
    let f = fields(NewItem::from_input(&ItemInput {
        reference: " ".into(),
        kind: "phone".into(),
        imei: "490154203237519".into(),
        image_sha256: "xyz".into(),
        ..ItemInput::default()
    }));
    assert_eq!(f, ["ref", "kind", "imei", "image_sha256"]);
    assert_eq!(
        fields(NewItem::from_input(&ItemInput {
            imei: IMEI.into(),
            ..input("sim_card")
        })),
        ["imei"]
    );
    assert_eq!(
        fields(NewItem::from_input(&ItemInput {
            iccid: "89014103211118510720".into(),
            ..input("smartphone")
        })),
        ["iccid"]
    );
    assert_eq!(fields(NewItem::from_input(&input("cash"))), ["amount"]);
    assert_eq!(
        fields(NewItem::from_input(&ItemInput {
            amount: "12.345".into(),
            currency: "dollars".into(),
            ..input("cash")
        })),
        ["amount", "currency"]
    );
    assert_eq!(
        fields(NewItem::from_input(&ItemInput {
            description: "card no 4111 1111 1111 1111".into(),
            ..input("bank_card")
        })),
        ["description"]
    );
    assert_eq!(
        fields(NewItem::from_input(&ItemInput {
            imei: format!("{IMEI};{IMEI}"),
            ..input("smartphone")
        })),
        ["imei"]
    );
}

#[test]
fn a_csv_is_taken_whole() {
    let csv = format!(
        "ref,kind,imei,serial,image_sha256\n\
         E-001,smartphone,{IMEI},,{HASH}\n\
         E-002,computer,,C02XK1,\n\
         E-003,sim_card,,,\n"
    );
    let items = parse_items_csv(&csv).expect("valid");
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].kind, ItemKind::SimCard);
}

#[test]
fn a_csv_with_bad_rows_is_refused_naming_every_row_and_field() {
    let csv = format!(
        "ref,kind,imei,card\n\
         E-001,smartphone,490154203237519,\n\
         E-002,smartphone,{IMEI},\n\
         E-002,tablet,{IMEI},\n\
         E-004,bank_card,,4111111111111112\n"
    );
    let errors = parse_items_csv(&csv).expect_err("refused");
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(got, [(2, "imei"), (4, "kind"), (5, "card")], "{errors:#?}");
    // A duplicate reference or IMEI names the first row too.
    let dup = format!("ref,kind,imei\nA,smartphone,{IMEI}\nA,smartphone,{IMEI}\n");
    let errors = parse_items_csv(&dup).expect_err("duplicates");
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|e| e.row == 3 && matches!(e.message, FieldProblem::UsedOnRow { row: 2, .. }))
    );
    // Unknown and missing columns are named on the header row.
    let errors = parse_items_csv("ref,colour\nA,red\n").expect_err("header");
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(got, [(1, "header"), (1, "kind")]);
    assert_eq!(
        errors[0].message,
        FieldProblem::UnknownColumn {
            value: "colour".into()
        }
    );
    // A row with the wrong number of cells is named.
    let errors = parse_items_csv("ref,kind\nA,cash,1\n").expect_err("ragged");
    assert_eq!(errors[0].row, 2);
}

#[test]
fn scanned_lines_become_items() {
    let items = parse_scan_lines(&format!("{IMEI}\n\n{IMEI2}\n"), ItemKind::Smartphone, "OP7")
        .expect("scanned");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].reference, "OP7-002");
    assert_eq!(items[1].imeis[0].imei, IMEI2);
    let errors = parse_scan_lines(
        &format!("{IMEI}\n490154203237519\n{IMEI}\n"),
        ItemKind::Smartphone,
        "OP7",
    )
    .expect_err("bad and repeated");
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(got, [(2, "imei"), (3, "line")]);
    let laptops = parse_scan_lines("C02XK1\nC02XK2\n", ItemKind::Computer, "L").expect("serials");
    assert_eq!(laptops[0].serial.as_deref(), Some("C02XK1"));
}

proptest! {
    /// Any 14 digits with their computed check digit is a valid IMEI, and
    /// changing any one digit makes it invalid.
    #[test]
    fn luhn_catches_every_single_digit_error(body in "[0-9]{14}", pos in 0usize..15, delta in 1u8..10) {
        let imei = format!("{body}{}", luhn_check_digit(&body));
        prop_assert!(parse_imei(&imei).is_ok());
        let mut bytes = imei.into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let typo = String::from_utf8(bytes).unwrap();
        prop_assert!(parse_imei(&typo).is_err());
    }

    /// Whatever is typed as a card number, the item never keeps more than four digits.
    #[test]
    fn a_card_never_keeps_more_than_four_digits(card in "[0-9 *-]{0,24}") {
        if let Ok(last4) = mask_card(&card) {
            prop_assert_eq!(last4.len(), 4);
        }
    }
}

proptest! {
    /// Hostile CSV text never panics: it is taken or refused with rows named.
    #[test]
    fn any_csv_text_is_taken_or_refused(text in "(ref|kind|imei|card|[a-z0-9,;\"\n -]){0,200}") {
        if let Err(errors) = parse_items_csv(&text) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| e.row >= 1 && !e.field.is_empty()));
        }
    }

    /// Any bytes are refused as a bundle or read, never a panic.
    #[test]
    fn any_bytes_are_not_a_trusted_bundle(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let key = vigil_custody::bundle::SigningKey::from_bytes(&[1; 32]).verifying_key();
        prop_assert!(vigil_custody::verify_bundle(&bytes, &[key]).is_err());
    }
}
