//! The lower layers' typed refusals as message ids: custody's field problems,
//! travel documents, sync bundles, traveller records and the charge gate.

use vigil_custody::FieldProblem as P;
use vigil_domain::documents::DocumentProblem as D;

use super::{FieldError, FieldMessage as M, Reason};

impl From<P> for Reason {
    fn from(p: P) -> Self {
        match p {
            P::Required => M::Required.into(),
            P::TooLong { max } => M::TooLong.with("max", max),
            P::ControlCharacters => M::ControlCharacters.into(),
            P::Untrimmed => M::Untrimmed.into(),
            P::NotAKind { value } => {
                let kinds: Vec<&str> = vigil_custody::ItemKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect();
                M::NotAChoice
                    .with("value", value)
                    .arg("choices", kinds.join(", "))
            }
            P::GivenTwice { value } => M::GivenTwice.with("value", value),
            P::NotDigits { value } => M::NotDigits.with("value", value),
            P::CheckDigit { value } => M::LuhnCheckDigit.with("value", value),
            P::ImeiCheckDigitMissing { value } => M::ImeiCheckDigitMissing.with("value", value),
            P::ImeiLength { value, count } => {
                M::ImeiLength.with("value", value).arg("count", count)
            }
            P::IccidLength { value, count } => {
                M::IccidLength.with("value", value).arg("count", count)
            }
            P::IccidPrefix { value } => M::IccidPrefix.with("value", value),
            P::NotACardNumber => M::NotACardNumber.into(),
            P::CardTooShort => M::CardTooShort.into(),
            P::CardLength { count } => M::CardLength.with("count", count),
            P::CardCheckDigit { last4 } => M::CardCheckDigit.with("last4", last4),
            P::NotASha256 { value } => M::NotASha256.with("value", value),
            P::NotAnAmount { value } => M::NotAnAmount.with("value", value),
            P::NotACurrency { value } => M::NotACurrency.with("value", value),
            P::AmountWithoutCurrency => M::AmountWithoutCurrency.into(),
            P::CurrencyWithoutAmount => M::CurrencyWithoutAmount.into(),
            P::CashNeedsAmount => M::CashNeedsAmount.into(),
            P::NotForKind { kind } => M::NotForKind.with("kind", kind),
            P::CardNumberInText => M::CardNumberInText.into(),
            P::NotAGazetteerCode { value } => M::NotAGazetteerCode.with("value", value),
            P::NotATime { value } => M::NotATime.with("value", value),
            P::SeizedOnce => M::SeizedOnce.into(),
            P::SameHolder => M::SameHolder.into(),
            P::UnreadableHeader => M::UnreadableHeader.into(),
            P::UnnamedColumn { column } => M::UnnamedColumn.with("column", column),
            P::UnknownColumn { value } => M::UnknownColumn
                .with("value", value)
                .arg("choices", vigil_custody::bulk::CSV_COLUMNS.join(", ")),
            P::ColumnTwice { value } => M::ColumnTwice.with("value", value),
            P::ColumnRequired => M::ColumnRequired.into(),
            P::UnreadableRow => M::UnreadableRow.into(),
            P::UsedOnRow { value, row } => M::UsedOnRow.with("value", value).arg("first", row),
            P::ScannedTwice { value, line } => {
                M::ScannedTwice.with("value", value).arg("first", line)
            }
        }
    }
}

/// A custody field error as a field error of the core.
pub fn from_custody(e: vigil_custody::FieldError) -> FieldError {
    FieldError::of(e.field, e.message)
}

/// A bad row of a bulk entry (a CSV of items, scanned lines) as a field
/// error placed by `at`: `row` for a CSV, `line` for scanned lines.
pub fn from_row(r: &vigil_custody::RowError, at: &'static str) -> FieldError {
    FieldError::of(r.field.clone(), r.message.clone()).arg(at, r.row)
}

impl From<D> for Reason {
    fn from(d: D) -> Self {
        match d {
            D::Required => M::Required.into(),
            D::PassportCharacters { value } => M::PassportCharacters.with("value", value),
            D::PassportTooLong { value } => M::TooLong.with("max", 9).arg("value", value),
            D::NotACheckDigit { value } => M::NotOneDigit.with("value", value),
            D::CheckDigit { value, digit } => {
                M::CheckDigit.with("value", value).arg("digit", digit)
            }
            D::NotCambodian { value } => M::NotCambodianPassport.with("value", value),
            D::MrzCharacters { value } => M::MrzCharacters.with("value", value),
            D::MrzLength { count } => M::MrzLength.with("count", count),
            D::NotAYymmdd { value } => M::NotAYymmdd.with("value", value),
            D::NotANationality { value } => M::NotADocumentCountry.with("value", value),
            D::NotASex { value } => M::NotAChoice.with("value", value).arg("choices", "M, F, <"),
            D::NotADocumentNumber { value } => M::NotADocumentNumber.with("value", value),
        }
    }
}

impl From<vigil_sync::SyncError> for Reason {
    fn from(e: vigil_sync::SyncError) -> Self {
        use vigil_sync::SyncError as S;
        match e {
            S::NotABundle(_) => M::NotABundle.into(),
            S::BadSignature => M::BadSignature.into(),
            S::UnknownSigner(name) => M::UnknownSigner.with("value", name),
            S::WrongKind { expected, found } => {
                M::WrongKind.with("found", found).arg("expected", expected)
            }
            S::Format(n) => M::UnsupportedFormat
                .with("value", n)
                .arg("supported", vigil_sync::FORMAT),
            S::Malformed(_) => M::Unreadable.into(),
            S::BadKey(_) => M::NotAKey.into(),
        }
    }
}

impl From<vigil_screening::InputProblem> for Reason {
    fn from(p: vigil_screening::InputProblem) -> Self {
        use vigil_screening::InputProblem as I;
        match p {
            I::Syntax => M::NotJson,
            I::UnknownField => M::UnknownField,
            I::Missing | I::Empty => M::Required,
            I::Value => M::WrongValue,
        }
        .into()
    }
}

impl From<vigil_domain::victims::ChargeBlocked> for Reason {
    fn from(_: vigil_domain::victims::ChargeBlocked) -> Self {
        M::LikelyVictim.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custody_problem_keeps_its_values() {
        let e = vigil_custody::parse_time("at", "tomorrow").expect_err("not a time");
        let fe = from_custody(e);
        assert_eq!(fe.field, "at");
        assert_eq!(fe.message, M::NotATime);
        assert_eq!(fe.get("value"), Some("tomorrow"));
        let Reason(m, args) = P::NotAKind {
            value: "toaster".into(),
        }
        .into();
        assert_eq!(m, M::NotAChoice);
        assert!(
            args.iter()
                .any(|(k, v)| *k == "choices" && v.contains("sim_card"))
        );
    }

    #[test]
    fn a_document_problem_names_its_values() {
        let e = vigil_domain::documents::check_passport_number("L898902C3", Some('5'))
            .expect_err("wrong check digit");
        let fe = FieldError::of(e.field, e.message);
        assert_eq!(fe.field, "check_digit");
        assert_eq!(fe.message, M::CheckDigit);
        assert_eq!(fe.get("value"), Some("L898902C3"));
        assert_eq!(fe.get("digit"), Some("5"));
    }
}
