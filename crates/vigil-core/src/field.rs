//! A wrong field as a typed value: which field, a message id and its
//! arguments. The core builds no sentence for a form field; the web layer
//! renders the message id (`field-required`, `field-too-long`…) and the
//! field's label (`field-name-…`) in the reader's language. The refusals of
//! the lower layers (custody, documents, sync bundles, traveller records)
//! become message ids here too ([`lower`]).
//!
//! Any message may also carry where the field is: `row` (a CSV row), `line`
//! (a scanned line), `item` (a seized item's reference) or `screening` (a
//! pushed screening's uid); the pages put it before the field's label.

use std::fmt;

mod lower;

pub use lower::{from_custody, from_row};

/// Declares [`FieldMessage`] from one table: each variant with its message
/// id and the arguments its message quotes.
macro_rules! field_messages {
    ($($(#[$doc:meta])* $name:ident => $id:literal [$($arg:ident),*],)*) => {
        /// What is wrong with a field, as a message id; the values it quotes
        /// are in [`FieldError::args`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FieldMessage {
            $($(#[$doc])* $name,)*
        }

        impl FieldMessage {
            /// Every message, for the catalogues' completeness checks.
            pub const ALL: &'static [FieldMessage] = &[$(FieldMessage::$name,)*];

            /// The message id in the catalogues.
            pub fn id(self) -> &'static str {
                match self {
                    $(FieldMessage::$name => $id,)*
                }
            }

            /// The arguments the message quotes (a producer may give more,
            /// such as `row` or `item`).
            pub fn args(self) -> &'static [&'static str] {
                match self {
                    $(FieldMessage::$name => &[$(stringify!($arg)),*],)*
                }
            }
        }
    };
}

field_messages! {
    /// Nothing was given.
    Required => "field-required" [],
    /// Longer than `max` characters.
    TooLong => "field-too-long" [max],
    /// Shorter than `min` characters.
    TooShort => "field-too-short" [min],
    /// Contains control characters.
    ControlCharacters => "field-control-characters" [],
    /// Not a date (YYYY-MM-DD).
    NotADate => "field-not-a-date" [],
    /// Not a month (YYYY-MM).
    NotAMonth => "field-not-a-month" [],
    /// Not a number.
    NotANumber => "field-not-a-number" [],
    /// Not an id.
    NotAnId => "field-not-an-id" [],
    /// `value` is not a gazetteer code.
    NotAGazetteerCode => "field-not-a-gazetteer-code" [value],
    /// `value` names nothing known (an operation, a person, an item…).
    NotKnown => "field-not-known" [value],
    /// Not an exit post; one of `choices`.
    NotAPost => "field-not-a-post" [value, choices],
    /// Not one of `choices`.
    NotAChoice => "field-not-a-choice" [choices],
    /// Outside the signed-in officer's jurisdiction.
    OutsideJurisdiction => "field-outside-jurisdiction" [],
    /// A date in the future.
    InFuture => "field-in-future" [],
    /// Ends before it starts.
    EndsBeforeStart => "field-ends-before-start" [],
    /// `value` is already used (a reference, a username).
    AlreadyUsed => "field-already-used" [value],
    /// Someone else changed it meanwhile: read it again.
    ChangedMeanwhile => "field-changed-meanwhile" [],
    /// An admin cannot disable, demote or reset their own account.
    OwnAccount => "field-own-account" [],
    /// The last active admin cannot be disabled or demoted.
    LastAdmin => "field-last-admin" [],
    /// The stored chain of custody does not verify from `step` on.
    CustodyBroken => "field-custody-broken" [step],
    /// Fewer than `min` given.
    TooFew => "field-too-few" [min],
    /// More than `max` at once.
    TooMany => "field-too-many" [max],
    /// `value` is not a two-letter country code.
    NotACountry => "field-not-a-country" [value],
    /// `value` is not a two- or three-letter country code.
    NotADocumentCountry => "field-not-a-document-country" [value],
    /// `value` is not a date of birth (YYYY-MM-DD or YYYY).
    NotABirthDate => "field-not-a-birth-date" [value],
    /// `value` is not a plausible date of birth.
    ImplausibleBirthDate => "field-implausible-birth-date" [value],
    /// `value` does not fit the age `computed` from the date of birth.
    AgeMismatch => "field-age-mismatch" [value, computed],
    /// No name in any spelling.
    NoName => "field-no-name" [],
    /// Not one digit.
    NotOneDigit => "field-not-one-digit" [],
    /// `value` names `count` places: add the commune after a comma.
    AmbiguousPlace => "field-ambiguous-place" [value, count],
    /// No phone number, handle, link or account in `value`.
    NoContactFound => "field-no-contact-found" [value],
    /// Not asked of a person met in this role.
    NotForRole => "field-not-for-role" [],
    /// `value` is a gazetteer code of another level.
    WrongLevel => "field-wrong-level" [value],
    /// `value` is not within `parent`.
    NotWithin => "field-not-within" [value, parent],
    /// A commune without its district.
    NeedsDistrict => "field-needs-district" [],
    /// Required once the operation is done.
    RequiredWhenDone => "field-required-when-done" [],
    /// Operation `operation` did not hit this network.
    NetworkNotHit => "field-network-not-hit" [operation],
    /// Operation `operation` is not done.
    OperationNotDone => "field-operation-not-done" [operation],
    /// Operation `operation` was cancelled: nothing is seized in it.
    OperationCancelled => "field-operation-cancelled" [operation],
    /// The network was already dismantled.
    AlreadyDismantled => "field-already-dismantled" [],
    /// Person `value` is not a defendant of the case.
    NotADefendant => "field-not-a-defendant" [value],
    /// Person `value` is already a defendant of the case.
    AlreadyADefendant => "field-already-a-defendant" [value],
    /// Charge `value` is not a charge of the case.
    NotAChargeOfCase => "field-not-a-charge-of-case" [value],
    /// Dated before the charge of `date`.
    BeforeCharge => "field-before-charge" [date],
    /// Person `value` was never charged: no verdict before a charge.
    NeverCharged => "field-never-charged" [value],
    /// A conviction needs a charge with a convicted verdict.
    NeedsConviction => "field-needs-conviction" [],
    /// A case at stage `from` cannot go back or stay.
    StageBackwards => "field-stage-backwards" [from],
    /// An appeal only follows a verdict.
    AppealWithoutVerdict => "field-appeal-without-verdict" [],
    /// A case with no charge cannot move to stage `to`.
    StageNeedsCharge => "field-stage-needs-charge" [to],
    /// Order `value` is `status`, not issued.
    OrderNotIssued => "field-order-not-issued" [value, status],
    /// A voluntary departure has no order.
    VoluntaryHasNoOrder => "field-voluntary-has-no-order" [],
    /// The record is not flagged as a likely victim.
    NotFlagged => "field-not-flagged" [],
    /// The flag was already acknowledged.
    AlreadyAcknowledged => "field-already-acknowledged" [],
    /// Flagged as a likely victim: a supervisor must acknowledge the flag
    /// before any charge.
    LikelyVictim => "field-likely-victim" [],
    /// Already decided.
    AlreadyDecided => "field-already-decided" [],
    /// Only a referred screening has a referral result.
    NotReferred => "field-not-referred" [],
    /// `value` has characters a passport number does not.
    PassportCharacters => "field-passport-characters" [value],
    /// `value` does not match its check digit `digit`.
    CheckDigit => "field-check-digit" [value, digit],
    /// `value` is not a Cambodian passport number.
    NotCambodianPassport => "field-not-cambodian-passport" [value],
    /// `value` has characters a machine-readable zone does not.
    MrzCharacters => "field-mrz-characters" [value],
    /// An MRZ line of `count` characters, not 44.
    MrzLength => "field-mrz-length" [count],
    /// `value` is not a date written YYMMDD.
    NotAYymmdd => "field-not-a-yymmdd" [value],
    /// `value` is not a document number.
    NotADocumentNumber => "field-not-a-document-number" [value],
    /// A name with spaces at its start or end.
    Untrimmed => "field-untrimmed" [],
    /// `value` is given twice.
    GivenTwice => "field-given-twice" [value],
    /// `value` has characters other than digits, spaces and dashes.
    NotDigits => "field-not-digits" [value],
    /// `value`'s last digit is not its Luhn check digit.
    LuhnCheckDigit => "field-luhn-check-digit" [value],
    /// An IMEI of 14 digits, its check digit missing.
    ImeiCheckDigitMissing => "field-imei-check-digit-missing" [value],
    /// An IMEI of `count` digits.
    ImeiLength => "field-imei-length" [value, count],
    /// An ICCID of `count` digits.
    IccidLength => "field-iccid-length" [value, count],
    /// An ICCID that does not start with 89.
    IccidPrefix => "field-iccid-prefix" [value],
    /// Not a card number.
    NotACardNumber => "field-not-a-card-number" [],
    /// Fewer than a card's last four digits.
    CardTooShort => "field-card-too-short" [],
    /// A card number of `count` digits.
    CardLength => "field-card-length" [count],
    /// The card ending `last4` fails its check digit.
    CardCheckDigit => "field-card-check-digit" [last4],
    /// `value` is not a SHA-256.
    NotASha256 => "field-not-a-sha256" [value],
    /// `value` is not an amount.
    NotAnAmount => "field-not-an-amount" [value],
    /// `value` is not a currency code.
    NotACurrency => "field-not-a-currency" [value],
    /// An amount without its currency.
    AmountWithoutCurrency => "field-amount-without-currency" [],
    /// A currency without an amount.
    CurrencyWithoutAmount => "field-currency-without-amount" [],
    /// Cash without an amount and a currency.
    CashNeedsAmount => "field-cash-needs-amount" [],
    /// Items of `kind` do not have this field.
    NotForKind => "field-not-for-kind" [kind],
    /// Seems to hold a full card number.
    CardNumberInText => "field-card-number-in-text" [],
    /// `value` is not a time with its zone.
    NotATime => "field-not-a-time" [value],
    /// An item is seized once.
    SeizedOnce => "field-seized-once" [],
    /// Handed to the person who already holds it.
    SameHolder => "field-same-holder" [],
    /// `value` does not hold the item; `holder` does.
    NotHolder => "field-not-holder" [value, holder],
    /// Before the last entry's time `last`.
    BeforeLastEntry => "field-before-last-entry" [last],
    /// The header row does not read.
    UnreadableHeader => "field-unreadable-header" [],
    /// Column `column` has no name.
    UnnamedColumn => "field-unnamed-column" [column],
    /// `value` is not a column; the columns are `choices`.
    UnknownColumn => "field-unknown-column" [value, choices],
    /// Column `value` is given twice.
    ColumnTwice => "field-column-twice" [value],
    /// A required column is missing.
    ColumnRequired => "field-column-required" [],
    /// A row that does not read as CSV.
    UnreadableRow => "field-unreadable-row" [],
    /// A file without rows.
    NoRows => "field-no-rows" [],
    /// `value` is already used on row `first`.
    UsedOnRow => "field-used-on-row" [value, first],
    /// `value` was already scanned on line `first`.
    ScannedTwice => "field-scanned-twice" [value, first],
    /// Not a signed bundle.
    NotABundle => "field-not-a-bundle" [],
    /// The signature does not match.
    BadSignature => "field-bad-signature" [],
    /// Signed as `value`, which is not trusted here.
    UnknownSigner => "field-unknown-signer" [value],
    /// A `found` bundle where a `expected` bundle was expected.
    WrongKind => "field-wrong-kind" [found, expected],
    /// Format `value`, not the `supported` one.
    UnsupportedFormat => "field-unsupported-format" [value, supported],
    /// Its contents do not read.
    Unreadable => "field-unreadable" [],
    /// Not an Ed25519 public key.
    NotAKey => "field-not-a-key" [],
    /// Central's policy does not load.
    PolicyUnreadable => "field-policy-unreadable" [],
    /// The policy is `value` but the bundle names `expected`.
    PolicyMismatch => "field-policy-mismatch" [value, expected],
    /// `value` is not a screening of post `post`.
    NotFromPost => "field-not-from-post" [value, post],
    /// A decision without its time, or a time without its decision.
    NeedsTime => "field-needs-time" [],
    /// Not a JSON array.
    NotAList => "field-not-a-list" [],
    /// Not valid JSON.
    NotJson => "field-not-json" [],
    /// Not a field of the record.
    UnknownField => "field-unknown-field" [],
    /// A value of the wrong type or outside what the field takes.
    WrongValue => "field-wrong-value" [],
    /// Not a username (`min` to `max` lowercase letters, digits, `.`, `_`, `-`).
    NotAUsername => "field-not-a-username" [min, max],
    /// The setup form was altered.
    FormAltered => "field-form-altered" [],
    /// A wrong authenticator code.
    WrongCode => "field-wrong-code" [],
    /// This role needs an authenticator app: a code must be entered.
    NeedsAuthenticator => "field-needs-authenticator" [],
    /// This account needs an authenticator app: a new setup link is needed.
    NeedsNewSetup => "field-needs-new-setup" [],
    /// `value` is no active officer, analyst or supervisor who sees this.
    NotAssignable => "field-not-assignable" [value],
    /// Not a search the index can read.
    NotAQuery => "field-not-a-query" [],
    /// The tip already led to a reward.
    RewardAlreadyAwarded => "field-reward-already-awarded" [],
    /// No reward has this code (or none a supervisor here may see).
    RewardCodeUnknown => "field-reward-code-unknown" [],
    /// The reward was already claimed, on `date`.
    RewardAlreadyClaimed => "field-reward-already-claimed" [date],
}

/// A field of the input is wrong: which, why and the values the message
/// quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as a dotted path (`documents.visa`, `persons[2].name`).
    pub field: String,
    /// What is wrong with it.
    pub message: FieldMessage,
    /// The message's arguments (`max`, `value`, `choices`…, and where the
    /// field is: `row`, `line`, `item`, `screening`).
    pub args: Vec<(&'static str, String)>,
    /// The input's other wrong fields when it is refused whole (every bad
    /// row of a CSV after the first).
    pub more: Vec<FieldError>,
}

impl FieldError {
    /// `field` is wrong for `message`, with no arguments yet.
    pub fn new(field: impl Into<String>, message: FieldMessage) -> Self {
        FieldError {
            field: field.into(),
            message,
            args: Vec::new(),
            more: Vec::new(),
        }
    }

    /// `field` is wrong for `why`.
    pub fn of(field: impl Into<String>, why: impl Into<Reason>) -> Self {
        let Reason(message, args) = why.into();
        FieldError {
            field: field.into(),
            message,
            args,
            more: Vec::new(),
        }
    }

    /// Adds an argument of the message.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// This error and the others of the same input, in order.
    pub fn all(&self) -> impl Iterator<Item = &FieldError> {
        std::iter::once(self).chain(self.more.iter())
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message.id())?;
        for (k, v) in &self.args {
            write!(f, " {k}={v:?}")?;
        }
        for e in &self.more {
            write!(f, "; {e}")?;
        }
        Ok(())
    }
}

/// Why a field is wrong, before it is bound to its field: a message id and
/// the arguments it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(pub FieldMessage, pub Vec<(&'static str, String)>);

impl Reason {
    /// Adds an argument of the message.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.1.push((name, value.to_string()));
        self
    }
}

impl FieldMessage {
    /// This message with its first argument.
    pub fn with(self, name: &'static str, value: impl ToString) -> Reason {
        Reason(self, vec![(name, value.to_string())])
    }
}

impl From<FieldMessage> for Reason {
    fn from(m: FieldMessage) -> Self {
        Reason(m, Vec::new())
    }
}

impl<V: ToString> From<(FieldMessage, &'static str, V)> for Reason {
    fn from((m, k, v): (FieldMessage, &'static str, V)) -> Self {
        Reason(m, vec![(k, v.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoreError;
    use crate::error::{invalid, invalid_all};

    #[test]
    fn an_unknown_exit_post_is_a_typed_field_error() {
        match crate::screenings::exit_post("nowhere") {
            Err(CoreError::InvalidField(fe)) => {
                assert_eq!(fe.field, "post");
                assert_eq!(fe.message, FieldMessage::NotAPost);
                assert_eq!(fe.get("value"), Some("nowhere"));
                assert!(fe.get("choices").is_some_and(|c| !c.is_empty()));
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_message_id_and_its_arguments_become_a_reason() {
        let e = invalid("note", (FieldMessage::TooLong, "max", 2000));
        match e {
            CoreError::InvalidField(fe) => {
                assert_eq!(fe.message, FieldMessage::TooLong);
                assert_eq!(fe.args, vec![("max", "2000".to_string())]);
                assert_eq!(fe.message.id(), "field-too-long");
            }
            other => panic!("{other:?}"),
        }
        let e = invalid(
            "district_code",
            FieldMessage::NotWithin
                .with("value", "1201")
                .arg("parent", "18"),
        );
        match e {
            CoreError::InvalidField(fe) => {
                assert_eq!(fe.get("value"), Some("1201"));
                assert_eq!(fe.get("parent"), Some("18"));
                assert_eq!(
                    fe.to_string(),
                    "district_code: field-not-within value=\"1201\" parent=\"18\""
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_message_has_its_own_id_in_the_field_namespace() {
        let mut ids: Vec<&str> = FieldMessage::ALL.iter().map(|m| m.id()).collect();
        assert!(ids.iter().all(|id| id.starts_with("field-")));
        // `field-name-…` are the labels, `field-at-…` and `field-of-…` the
        // places.
        assert!(ids.iter().all(|id| !id.starts_with("field-name-")));
        assert!(ids.iter().all(|id| !id.starts_with("field-at-")));
        assert!(ids.iter().all(|id| !id.starts_with("field-of-")));
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id used twice");
    }

    #[test]
    fn a_whole_refusal_keeps_every_wrong_field() {
        let rows = vec![
            FieldError::new("name", FieldMessage::Required).arg("row", 3),
            FieldError::of("port", FieldMessage::NotKnown.with("value", "X")).arg("row", 7),
        ];
        match invalid_all(rows, "file", FieldMessage::NoRows) {
            CoreError::InvalidField(fe) => {
                assert_eq!(fe.field, "name");
                assert_eq!(fe.all().count(), 2);
                assert_eq!(fe.more[0].get("row"), Some("7"));
                assert!(fe.to_string().contains("; port: field-not-known"));
            }
            other => panic!("{other:?}"),
        }
        match invalid_all(Vec::new(), "file", FieldMessage::NoRows) {
            CoreError::InvalidField(fe) => assert_eq!(fe.message, FieldMessage::NoRows),
            other => panic!("{other:?}"),
        }
    }
}
