//! Identifiers on seized items: IMEI and ICCID with their Luhn check digits,
//! bank cards masked to four digits, SHA-256 hashes, cash amounts.

use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldProblem, clip};

/// A device identity as read from the device or its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imei {
    /// The 15-digit IMEI (for an IMEISV, its first 14 digits and the check
    /// digit computed from them).
    pub imei: String,
    /// The two-digit software version when an IMEISV was entered.
    pub svn: Option<String>,
    /// Whether a check digit was typed and verified (false for an IMEISV,
    /// which carries none).
    pub checked: bool,
}

/// The digits of an identifier typed with spaces, dashes, dots or slashes;
/// `None` if anything else is in it.
fn digits_of(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The Luhn check over all the digits (the last one is the check digit).
pub fn luhn_valid(digits: &str) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && luhn_sum(digits.as_bytes(), false).is_multiple_of(10)
}

/// The Luhn check digit to append to `digits`.
pub fn luhn_check_digit(digits: &str) -> char {
    let sum = luhn_sum(digits.as_bytes(), true);
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn luhn_sum(digits: &[u8], double_last: bool) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.saturating_sub(b'0'));
            if (i % 2 == 0) == double_last {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum()
}

/// Reads an IMEI as typed (spaces and dashes allowed).
///
/// * 15 digits: an IMEI; its last digit is the Luhn check digit, which must match.
/// * 16 digits: an IMEISV (14 identity digits and a 2-digit software version).
///   It has no check digit, so it is accepted with `checked: false`, and the
///   15-digit IMEI is derived from its first 14 digits.
/// * 14 digits: refused. A dropped digit anywhere also gives 14 digits, and
///   computing a check digit for it would turn a typo into a valid-looking
///   wrong IMEI; the officer is asked for all 15 digits (`*#06#` or the label).
pub fn parse_imei(text: &str) -> Result<Imei, FieldError> {
    let shown = clip(text);
    let digits = digits_of(text).ok_or_else(|| {
        FieldError::new(
            "imei",
            FieldProblem::NotDigits {
                value: shown.clone(),
            },
        )
    })?;
    match digits.len() {
        15 if luhn_valid(&digits) => Ok(Imei {
            imei: digits,
            svn: None,
            checked: true,
        }),
        15 => Err(FieldError::new(
            "imei",
            FieldProblem::CheckDigit { value: digits },
        )),
        16 => {
            let body = &digits[..14];
            let mut imei = body.to_string();
            imei.push(luhn_check_digit(body));
            Ok(Imei {
                imei,
                svn: Some(digits[14..].to_string()),
                checked: false,
            })
        }
        14 => Err(FieldError::new(
            "imei",
            FieldProblem::ImeiCheckDigitMissing { value: digits },
        )),
        count => Err(FieldError::new(
            "imei",
            FieldProblem::ImeiLength {
                value: shown,
                count,
            },
        )),
    }
}

/// Reads a SIM card's ICCID: 19 or 20 digits starting with `89`, the last a
/// Luhn check digit (spaces and dashes allowed).
pub fn parse_iccid(text: &str) -> Result<String, FieldError> {
    let shown = clip(text);
    let digits = digits_of(text)
        .ok_or_else(|| FieldError::new("iccid", FieldProblem::NotDigits { value: shown }))?;
    if !(19..=20).contains(&digits.len()) {
        return Err(FieldError::new(
            "iccid",
            FieldProblem::IccidLength {
                count: digits.len(),
                value: digits,
            },
        ));
    }
    if !digits.starts_with("89") {
        return Err(FieldError::new(
            "iccid",
            FieldProblem::IccidPrefix { value: digits },
        ));
    }
    if !luhn_valid(&digits) {
        return Err(FieldError::new(
            "iccid",
            FieldProblem::CheckDigit { value: digits },
        ));
    }
    Ok(digits)
}

/// Keeps the last four digits of a bank card number. A full number (13–19
/// digits) must pass the Luhn check; a masked one (`**** 1234`, `1234`) is
/// taken as is. The full number is never returned, nor put in a message.
pub fn mask_card(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    let masked = t.chars().any(|c| matches!(c, '*' | 'x' | 'X' | '•'));
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, '*' | 'x' | 'X' | '•'))
        .collect();
    let digits =
        digits_of(&cleaned).ok_or_else(|| FieldError::new("card", FieldProblem::NotACardNumber))?;
    let last4 = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
    if digits.len() < 4 {
        return Err(FieldError::new("card", FieldProblem::CardTooShort));
    }
    if masked || digits.len() == 4 {
        return Ok(last4.to_string());
    }
    if !(13..=19).contains(&digits.len()) {
        return Err(FieldError::new(
            "card",
            FieldProblem::CardLength {
                count: digits.len(),
            },
        ));
    }
    if !luhn_valid(&digits) {
        return Err(FieldError::new(
            "card",
            FieldProblem::CardCheckDigit {
                last4: last4.to_string(),
            },
        ));
    }
    Ok(last4.to_string())
}

/// Whether a text holds a run of 13–19 digits (spaces or dashes between
/// them allowed) that passes the Luhn check: a card number typed where it
/// should not be.
pub fn contains_card_number(text: &str) -> bool {
    let mut run = String::new();
    let check = |run: &str| (13..=19).contains(&run.len()) && luhn_valid(run);
    for c in text.chars() {
        match c {
            '0'..='9' => run.push(c),
            ' ' | '-' if !run.is_empty() => {}
            _ => {
                if check(&run) {
                    return true;
                }
                run.clear();
            }
        }
    }
    check(&run)
}

/// Reads a SHA-256 written as 64 hexadecimal digits (any case; spaces and
/// colons between bytes allowed) and returns it in lower case.
pub fn parse_sha256(field: &str, text: &str) -> Result<String, FieldError> {
    let hex: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | ':'))
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(FieldError::new(
            field,
            FieldProblem::NotASha256 { value: clip(text) },
        ));
    }
    Ok(hex)
}

pub(crate) fn parse_amount(text: &str) -> Result<String, FieldError> {
    let bad = || FieldError::new("amount", FieldProblem::NotAnAmount { value: clip(text) });
    let t = text.trim();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3));
    let whole_digits: String = groups.concat();
    if whole_digits.is_empty() || !whole_digits.bytes().all(|b| b.is_ascii_digit()) || !grouped_ok {
        return Err(bad());
    }
    let whole_digits = whole_digits.trim_start_matches('0');
    let whole_digits = if whole_digits.is_empty() {
        "0"
    } else {
        whole_digits
    };
    if whole_digits.len() > 15 {
        return Err(bad());
    }
    match frac {
        None => Ok(whole_digits.to_string()),
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(format!("{whole_digits}.{f}"))
        }
        Some(_) => Err(bad()),
    }
}

pub(crate) fn parse_currency(text: &str) -> Result<String, FieldError> {
    let t = text.trim().to_ascii_uppercase();
    let t = match t.as_str() {
        "$" | "US$" => "USD".to_string(),
        "៛" | "RIEL" | "RIELS" => "KHR".to_string(),
        "฿" | "BAHT" => "THB".to_string(),
        "¥" | "RMB" | "YUAN" => "CNY".to_string(),
        _ => t,
    };
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(FieldError::new(
            "currency",
            FieldProblem::NotACurrency { value: clip(text) },
        ))
    }
}
