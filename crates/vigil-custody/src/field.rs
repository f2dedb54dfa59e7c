//! A field that does not validate, as a typed value: the field and what is
//! wrong with it, with the values it quotes. Pages translate the problem;
//! the English wording of [`FieldProblem`]'s `Display` is for logs and the
//! command line.

/// A field that does not validate, and why. A problem never quotes a full
/// card number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field, as named in forms and CSV headers (`imei`, `iccid`…).
    pub field: String,
    /// What is wrong.
    pub message: FieldProblem,
}

impl FieldError {
    /// An error on `field`.
    pub fn new(field: impl Into<String>, message: FieldProblem) -> Self {
        FieldError {
            field: field.into(),
            message,
        }
    }
}

/// What is wrong with a field. `value` is what was typed, cut to 40
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// Nothing was given.
    #[error("must be given")]
    Required,
    /// Longer than `max` characters.
    #[error("longer than {max} characters")]
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Holds control characters.
    #[error("contains control characters")]
    ControlCharacters,
    /// A name with spaces at its start or end (names must match exactly).
    #[error("has spaces at its start or end; names must match exactly")]
    Untrimmed,
    /// Not one of the item kinds ([`crate::ItemKind::ALL`]).
    #[error("\"{value}\" is not a kind")]
    NotAKind {
        /// What was typed.
        value: String,
    },
    /// The same value twice in one item.
    #[error("{value} is given twice")]
    GivenTwice {
        /// The value.
        value: String,
    },
    /// An identifier with characters other than digits, spaces and dashes.
    #[error("\"{value}\" has characters other than digits, spaces and dashes")]
    NotDigits {
        /// What was typed.
        value: String,
    },
    /// The last digit is not the Luhn check digit of the others.
    #[error("{value}: the check digit (last digit) does not match; one digit is mistyped")]
    CheckDigit {
        /// The digits.
        value: String,
    },
    /// An IMEI of 14 digits: its check digit is missing.
    #[error("{value}: 14 digits, the check digit is missing; type all 15 digits")]
    ImeiCheckDigitMissing {
        /// The digits.
        value: String,
    },
    /// An IMEI with neither 15 nor 16 digits.
    #[error("\"{value}\" has {count} digits; an IMEI has 15 (an IMEISV 16)")]
    ImeiLength {
        /// What was typed.
        value: String,
        /// How many digits it has.
        count: usize,
    },
    /// An ICCID with neither 19 nor 20 digits.
    #[error("{value} has {count} digits; an ICCID has 19 or 20")]
    IccidLength {
        /// The digits.
        value: String,
        /// How many there are.
        count: usize,
    },
    /// An ICCID that does not start with 89.
    #[error("{value} does not start with 89, as every SIM card's ICCID does")]
    IccidPrefix {
        /// The digits.
        value: String,
    },
    /// A card number with characters other than digits, spaces, dashes and `*`.
    #[error("not a card number: only digits, spaces, dashes and * for hidden digits")]
    NotACardNumber,
    /// Fewer than the card's last four digits.
    #[error("give at least the last 4 digits")]
    CardTooShort,
    /// A card number that is neither masked, four digits, nor 13 to 19 digits.
    #[error("{count} digits: give the full number (13–19 digits) or only the last 4")]
    CardLength {
        /// How many digits were given.
        count: usize,
    },
    /// A full card number that fails its check digit.
    #[error("the card number ending {last4} does not pass its check digit; one digit is mistyped")]
    CardCheckDigit {
        /// Its last four digits.
        last4: String,
    },
    /// Not 64 hexadecimal digits.
    #[error("\"{value}\" is not a SHA-256 (64 hexadecimal digits)")]
    NotASha256 {
        /// What was typed.
        value: String,
    },
    /// Not a plain amount (digits, `,` between thousands, at most 2 decimals).
    #[error("\"{value}\" is not an amount")]
    NotAnAmount {
        /// What was typed.
        value: String,
    },
    /// Not a three-letter currency code.
    #[error("\"{value}\" is not a currency code (USD, KHR, THB, CNY…)")]
    NotACurrency {
        /// What was typed.
        value: String,
    },
    /// An amount without its currency.
    #[error("an amount needs its currency")]
    AmountWithoutCurrency,
    /// A currency without an amount.
    #[error("a currency needs an amount")]
    CurrencyWithoutAmount,
    /// Cash with neither amount nor currency.
    #[error("cash needs an amount and a currency")]
    CashNeedsAmount,
    /// A field that items of `kind` do not have (an IMEI on a SIM card…).
    #[error("an item of kind {kind} has no such field")]
    NotForKind {
        /// The item's kind, as written in files (`sim_card`…).
        kind: &'static str,
    },
    /// A bank card's description that seems to hold its full number.
    #[error(
        "looks like it holds a full card number: write it in `card`, which keeps only the last 4 digits"
    )]
    CardNumberInText,
    /// Not a code of the gazetteer.
    #[error("\"{value}\" is not a gazetteer code")]
    NotAGazetteerCode {
        /// What was typed.
        value: String,
    },
    /// Not a time with its zone (RFC 3339).
    #[error("\"{value}\" is not a time with its zone, e.g. 2026-11-26T14:05:00+07:00")]
    NotATime {
        /// What was typed.
        value: String,
    },
    /// A second seizure of an item.
    #[error("an item is seized once, at the start of its chain")]
    SeizedOnce,
    /// A hand-over to the person who already holds the item.
    #[error("the item is handed to the person who already holds it")]
    SameHolder,
    /// The header row of a CSV does not read.
    #[error("the header row does not read")]
    UnreadableHeader,
    /// A header cell is empty.
    #[error("column {column} has no name")]
    UnnamedColumn {
        /// The column's position, from 1.
        column: usize,
    },
    /// A header names no known column.
    #[error("\"{value}\" is not a column")]
    UnknownColumn {
        /// The header.
        value: String,
    },
    /// A column named twice in the header.
    #[error("the column \"{value}\" is given twice")]
    ColumnTwice {
        /// The header.
        value: String,
    },
    /// A required column is missing from the header.
    #[error("this column is required")]
    ColumnRequired,
    /// A row that does not read as CSV (a quote left open, too many cells…).
    #[error("does not read as CSV")]
    UnreadableRow,
    /// A value already used on an earlier row.
    #[error("{value} is already used on row {row}")]
    UsedOnRow {
        /// The value.
        value: String,
        /// The row that first used it.
        row: u64,
    },
    /// A line that repeats one scanned before.
    #[error("{value} was already scanned on line {line}")]
    ScannedTwice {
        /// The value.
        value: String,
        /// The line that first had it.
        line: u64,
    },
}

/// At most 40 characters of what was typed, for messages.
pub(crate) fn clip(text: &str) -> String {
    let t = text.trim();
    let mut out: String = t.chars().take(40).collect();
    if t.chars().count() > 40 {
        out.push('…');
    }
    out
}
