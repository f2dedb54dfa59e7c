//! A seized item and its strict validation: identifiers are checked where a
//! check digit exists, bank cards are masked, and every error names its field.

use serde::{Deserialize, Serialize};

use crate::field::clip;
pub use crate::field::{FieldError, FieldProblem};
pub use crate::ident::{
    Imei, contains_card_number, luhn_check_digit, luhn_valid, mask_card, parse_iccid, parse_imei,
    parse_sha256,
};
use crate::ident::{parse_amount, parse_currency};

/// What kind of thing was seized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A laptop, desktop or server.
    Computer,
    /// A mobile phone.
    Smartphone,
    /// A SIM card.
    SimCard,
    /// A bank or payment card.
    BankCard,
    /// Banknotes or coins.
    Cash,
    /// Passports, contracts, ledgers and other papers.
    Documents,
    /// Anything else (GSM gateways, routers, storage media…).
    Other,
}

impl ItemKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [ItemKind; 7] = [
        ItemKind::Computer,
        ItemKind::Smartphone,
        ItemKind::SimCard,
        ItemKind::BankCard,
        ItemKind::Cash,
        ItemKind::Documents,
        ItemKind::Other,
    ];

    /// The kind's name as written in files and bundles.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Computer => "computer",
            ItemKind::Smartphone => "smartphone",
            ItemKind::SimCard => "sim_card",
            ItemKind::BankCard => "bank_card",
            ItemKind::Cash => "cash",
            ItemKind::Documents => "documents",
            ItemKind::Other => "other",
        }
    }

    /// Reads a kind's name (case-insensitive; `-` or a space may stand for `_`).
    pub fn parse(text: &str) -> Option<ItemKind> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        ItemKind::ALL.into_iter().find(|k| k.as_str() == t)
    }

    /// Whether items of this kind may carry IMEIs.
    fn has_imei(self) -> bool {
        matches!(
            self,
            ItemKind::Smartphone | ItemKind::Computer | ItemKind::Other
        )
    }
}

/// Cash, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cash {
    /// The amount as a plain decimal (`1500`, `20.50`), no separators.
    pub amount: String,
    /// ISO 4217 code, upper case (`USD`, `KHR`, `THB`…).
    pub currency: String,
}

/// A seized item as typed on a form or in a CSV row: text, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    /// The exhibit reference, unique within the operation (`E-001`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The kind's name.
    pub kind: String,
    /// What it looks like.
    pub description: String,
    /// The serial number.
    pub serial: String,
    /// One or more IMEIs, separated by `;` or `|`.
    pub imei: String,
    /// A SIM card's ICCID.
    pub iccid: String,
    /// A bank card's number, full or already masked: only the last 4 digits are kept.
    pub card: String,
    /// Cash amount.
    pub amount: String,
    /// Cash currency.
    pub currency: String,
    /// SHA-256 of forensic images, separated by `;` or `|`.
    pub image_sha256: String,
    /// SHA-256 of photos, separated by `;` or `|`.
    pub photo_sha256: String,
}

/// A validated seized item. Bank cards keep only their last four digits: the
/// full card number is never stored, hashed or exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// The exhibit reference, unique within the operation.
    pub reference: String,
    /// The kind.
    pub kind: ItemKind,
    /// What it looks like (may be empty).
    pub description: String,
    /// The serial number, trimmed.
    pub serial: Option<String>,
    /// IMEIs (a dual-SIM phone has two; a GSM gateway many).
    pub imeis: Vec<Imei>,
    /// A SIM card's ICCID, digits only.
    pub iccid: Option<String>,
    /// A bank card's last four digits.
    pub card_last4: Option<String>,
    /// Cash, for kind `cash`.
    pub cash: Option<Cash>,
    /// SHA-256 of forensic images, lower-case hex.
    pub image_sha256: Vec<String>,
    /// SHA-256 of photos of the item, lower-case hex.
    pub photo_sha256: Vec<String>,
}

const MAX_REF: usize = 64;
const MAX_SERIAL: usize = 64;
const MAX_DESCRIPTION: usize = 2000;

impl NewItem {
    /// Checks and normalises an input; every bad field is reported.
    pub fn from_input(input: &ItemInput) -> Result<NewItem, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ok = |r: Result<(), FieldError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        let reference = input.reference.trim().to_string();
        ok(check_reference(&reference));
        let kind = ItemKind::parse(&input.kind);
        if kind.is_none() {
            ok(Err(FieldError::new(
                "kind",
                FieldProblem::NotAKind {
                    value: clip(&input.kind),
                },
            )));
        }
        let description = input.description.trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION {
            ok(Err(FieldError::new(
                "description",
                FieldProblem::TooLong {
                    max: MAX_DESCRIPTION,
                },
            )));
        }
        if description.chars().any(|c| c.is_control() && c != '\n') {
            ok(Err(FieldError::new(
                "description",
                FieldProblem::ControlCharacters,
            )));
        }
        let serial = non_empty(&input.serial);
        if let Some(s) = &serial {
            ok(check_serial(s));
        }
        let mut imeis = Vec::new();
        for part in split_list(&input.imei) {
            match parse_imei(part) {
                Ok(i) if imeis.contains(&i) => ok(Err(FieldError::new(
                    "imei",
                    FieldProblem::GivenTwice { value: i.imei },
                ))),
                Ok(i) => imeis.push(i),
                Err(e) => ok(Err(e)),
            }
        }
        let iccid = match non_empty(&input.iccid) {
            Some(t) => match parse_iccid(&t) {
                Ok(v) => Some(v),
                Err(e) => {
                    ok(Err(e));
                    None
                }
            },
            None => None,
        };
        let card_last4 = match non_empty(&input.card) {
            Some(t) => match mask_card(&t) {
                Ok(v) => Some(v),
                Err(e) => {
                    ok(Err(e));
                    None
                }
            },
            None => None,
        };
        let cash = match (non_empty(&input.amount), non_empty(&input.currency)) {
            (None, None) => None,
            (Some(a), Some(c)) => {
                let amount = parse_amount(&a);
                let currency = parse_currency(&c);
                match (amount, currency) {
                    (Ok(amount), Ok(currency)) => Some(Cash { amount, currency }),
                    (a, c) => {
                        ok(a.map(|_| ()));
                        ok(c.map(|_| ()));
                        None
                    }
                }
            }
            (Some(_), None) => {
                ok(Err(FieldError::new(
                    "currency",
                    FieldProblem::AmountWithoutCurrency,
                )));
                None
            }
            (None, Some(_)) => {
                ok(Err(FieldError::new(
                    "amount",
                    FieldProblem::CurrencyWithoutAmount,
                )));
                None
            }
        };
        let image_sha256 = hashes("image_sha256", &input.image_sha256, &mut ok);
        let photo_sha256 = hashes("photo_sha256", &input.photo_sha256, &mut ok);
        if let Some(kind) = kind {
            if !imeis.is_empty() && !kind.has_imei() {
                ok(Err(FieldError::new(
                    "imei",
                    FieldProblem::NotForKind {
                        kind: kind.as_str(),
                    },
                )));
            }
            if iccid.is_some() && kind != ItemKind::SimCard {
                ok(Err(FieldError::new(
                    "iccid",
                    FieldProblem::NotForKind {
                        kind: kind.as_str(),
                    },
                )));
            }
            if card_last4.is_some() && kind != ItemKind::BankCard {
                ok(Err(FieldError::new(
                    "card",
                    FieldProblem::NotForKind {
                        kind: kind.as_str(),
                    },
                )));
            }
            if kind == ItemKind::Cash
                && input.amount.trim().is_empty()
                && input.currency.trim().is_empty()
            {
                ok(Err(FieldError::new(
                    "amount",
                    FieldProblem::CashNeedsAmount,
                )));
            }
            if cash.is_some() && kind != ItemKind::Cash {
                ok(Err(FieldError::new(
                    "amount",
                    FieldProblem::NotForKind {
                        kind: kind.as_str(),
                    },
                )));
            }
            if kind == ItemKind::BankCard && contains_card_number(&description) {
                ok(Err(FieldError::new(
                    "description",
                    FieldProblem::CardNumberInText,
                )));
            }
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(NewItem {
                reference,
                kind,
                description,
                serial,
                imeis,
                iccid,
                card_last4,
                cash,
                image_sha256,
                photo_sha256,
            }),
            _ => Err(errors),
        }
    }
}

fn hashes(field: &str, text: &str, ok: &mut impl FnMut(Result<(), FieldError>)) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in split_list(text) {
        match parse_sha256(field, part) {
            Ok(h) if out.contains(&h) => ok(Err(FieldError::new(
                field,
                FieldProblem::GivenTwice { value: h },
            ))),
            Ok(h) => out.push(h),
            Err(e) => ok(Err(e)),
        }
    }
    out
}

/// Checks an exhibit reference: 1–64 characters, no control characters.
pub fn check_reference(reference: &str) -> Result<(), FieldError> {
    if reference.is_empty() {
        return Err(FieldError::new("ref", FieldProblem::Required));
    }
    if reference.chars().count() > MAX_REF {
        return Err(FieldError::new(
            "ref",
            FieldProblem::TooLong { max: MAX_REF },
        ));
    }
    if reference.chars().any(char::is_control) {
        return Err(FieldError::new("ref", FieldProblem::ControlCharacters));
    }
    Ok(())
}

fn check_serial(serial: &str) -> Result<(), FieldError> {
    if serial.chars().count() > MAX_SERIAL {
        return Err(FieldError::new(
            "serial",
            FieldProblem::TooLong { max: MAX_SERIAL },
        ));
    }
    if serial.chars().any(char::is_control) {
        return Err(FieldError::new("serial", FieldProblem::ControlCharacters));
    }
    Ok(())
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Splits a list typed in one cell (`;`, `|` or a newline between values).
pub(crate) fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '|', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}
