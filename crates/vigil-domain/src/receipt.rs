//! The 16-digit receipt a reporter gets once and types back to follow up.
//!
//! The first eight digits are the *lookup* part (stored only as a keyed hash, to
//! find the tip); the last eight are the *secret* part (stored only as an argon2id
//! hash). Neither is ever stored in the clear.

use crate::digits::digit_value;

/// Number of digits in a receipt.
pub const RECEIPT_DIGITS: usize = 16;

/// A well-formed receipt: exactly sixteen ASCII digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Receipt(String);

/// Why a typed receipt could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptParseError {
    /// Something other than digits, spaces or dashes was typed.
    #[error("a receipt contains only digits")]
    NotDigits,
    /// The wrong number of digits was typed.
    #[error("a receipt has 16 digits, {0} were given")]
    WrongLength(usize),
}

impl Receipt {
    /// Builds a receipt from sixteen digit values (each 0–9), as drawn at random.
    pub fn from_digit_values(values: [u8; RECEIPT_DIGITS]) -> Self {
        Receipt(values.iter().map(|d| char::from(b'0' + (d % 10))).collect())
    }

    /// Reads a receipt as a person typed it: any supported digit script
    /// (Khmer ០-៩, Thai, Lao, Myanmar, full-width, ASCII), with spaces, dashes
    /// or dots between groups.
    pub fn parse(input: &str) -> Result<Self, ReceiptParseError> {
        let mut out = String::with_capacity(RECEIPT_DIGITS);
        let mut count = 0usize;
        for c in input.chars() {
            if let Some(d) = digit_value(c) {
                count += 1;
                if count <= RECEIPT_DIGITS {
                    out.push(char::from(b'0' + d));
                }
            } else if c.is_whitespace() || matches!(c, '-' | '.' | '\u{2010}'..='\u{2015}') {
                continue;
            } else {
                return Err(ReceiptParseError::NotDigits);
            }
        }
        if count != RECEIPT_DIGITS {
            return Err(ReceiptParseError::WrongLength(count));
        }
        Ok(Receipt(out))
    }

    /// The lookup part: the first eight digits.
    pub fn lookup_part(&self) -> &str {
        &self.0[..8]
    }

    /// The secret part: the last eight digits.
    pub fn secret_part(&self) -> &str {
        &self.0[8..]
    }

    /// The sixteen digits without spaces.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The receipt in four groups of four, as shown to the reporter.
    pub fn grouped(&self) -> String {
        let d = &self.0;
        format!("{} {} {} {}", &d[0..4], &d[4..8], &d[8..12], &d[12..16])
    }
}

impl std::fmt::Display for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl std::fmt::Debug for Receipt {
    /// Never prints the digits: receipts must not reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Receipt(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, ReceiptParseError>) {
        let got = Receipt::parse(input).map(|r| r.digits().to_string());
        assert_eq!(got, expected.map(str::to_string), "input {input:?}");
    }

    #[test]
    fn parses_what_people_type() {
        check("1234 5678 9012 3456", Ok("1234567890123456"));
        check("1234567890123456", Ok("1234567890123456"));
        check("1234-5678-9012-3456", Ok("1234567890123456"));
        check("១២៣៤ ៥៦៧៨ ៩០១២ ៣៤៥៦", Ok("1234567890123456"));
        check("๑๒๓๔ ๕๖๗๘ ๙๐๑๒ ๓๔๕๖", Ok("1234567890123456"));
        check("１２３４５６７８９０１２３４５６", Ok("1234567890123456"));
        check(" 1234 5678 ៩០១២ 3456 ", Ok("1234567890123456"));
        check(
            "1234 5678 9012 345",
            Err(ReceiptParseError::WrongLength(15)),
        );
        check(
            "1234 5678 9012 34567",
            Err(ReceiptParseError::WrongLength(17)),
        );
        check("1234 5678 9012 345a", Err(ReceiptParseError::NotDigits));
        check("", Err(ReceiptParseError::WrongLength(0)));
    }

    #[test]
    fn groups_and_parts() {
        let r = Receipt::from_digit_values([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(r.grouped(), "1234 5678 9012 3456");
        assert_eq!(r.lookup_part(), "12345678");
        assert_eq!(r.secret_part(), "90123456");
        assert_eq!(format!("{r:?}"), "Receipt(****)");
    }
}
