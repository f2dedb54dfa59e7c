//! A wrong field as a typed value: which field, a message id and its
//! arguments. The core builds no sentence for a form field; the web layer
//! renders the message id (`field-required`, `field-too-long`…) and the
//! field's label (`field-name-…`) in the reader's language.

use std::fmt;

/// What is wrong with a field, as a message id; the values it quotes are in
/// [`FieldError::args`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldMessage {
    /// Nothing was given.
    Required,
    /// Longer than `max` characters.
    TooLong,
    /// Contains control characters.
    ControlCharacters,
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// Not a month (YYYY-MM).
    NotAMonth,
    /// Not a number.
    NotANumber,
    /// Not an id.
    NotAnId,
    /// `value` is not a gazetteer code.
    NotAGazetteerCode,
    /// `value` names nothing known (an operation, a person, an item…).
    NotKnown,
    /// Not an exit post; one of `choices`.
    NotAPost,
    /// Not one of `choices`.
    NotAChoice,
    /// Outside the signed-in officer's jurisdiction.
    OutsideJurisdiction,
    /// A date in the future.
    InFuture,
    /// Ends before it starts.
    EndsBeforeStart,
    /// Any other refusal; `detail` says why, as the lower layer wrote it.
    Other,
}

impl FieldMessage {
    /// The message id in the catalogues.
    pub fn id(self) -> &'static str {
        match self {
            FieldMessage::Required => "field-required",
            FieldMessage::TooLong => "field-too-long",
            FieldMessage::ControlCharacters => "field-control-characters",
            FieldMessage::NotADate => "field-not-a-date",
            FieldMessage::NotAMonth => "field-not-a-month",
            FieldMessage::NotANumber => "field-not-a-number",
            FieldMessage::NotAnId => "field-not-an-id",
            FieldMessage::NotAGazetteerCode => "field-not-a-gazetteer-code",
            FieldMessage::NotKnown => "field-not-known",
            FieldMessage::NotAPost => "field-not-a-post",
            FieldMessage::NotAChoice => "field-not-a-choice",
            FieldMessage::OutsideJurisdiction => "field-outside-jurisdiction",
            FieldMessage::InFuture => "field-in-future",
            FieldMessage::EndsBeforeStart => "field-ends-before-start",
            FieldMessage::Other => "field-other",
        }
    }
}

/// A field of the input is wrong: which, why and the values the message
/// quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as a dotted path (`documents.visa`, `persons[2].name`).
    pub field: String,
    /// What is wrong with it.
    pub message: FieldMessage,
    /// The message's arguments (`max`, `value`, `choices`, `detail`).
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// `field` is wrong for `message`, with no arguments yet.
    pub fn new(field: impl Into<String>, message: FieldMessage) -> Self {
        FieldError {
            field: field.into(),
            message,
            args: Vec::new(),
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
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message.id())?;
        for (k, v) in &self.args {
            write!(f, " {k}={v:?}")?;
        }
        Ok(())
    }
}

/// Why a field is wrong, before it is bound to its field: a message id alone,
/// a message id with one argument, or a lower layer's own words.
#[derive(Debug, Clone)]
pub struct Reason(pub FieldMessage, pub Vec<(&'static str, String)>);

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

impl From<&str> for Reason {
    fn from(s: &str) -> Self {
        Reason(FieldMessage::Other, vec![("detail", s.to_string())])
    }
}

impl From<String> for Reason {
    fn from(s: String) -> Self {
        Reason(FieldMessage::Other, vec![("detail", s)])
    }
}

/// The error for `field` being wrong for `why`.
pub fn invalid(field: &str, why: impl Into<Reason>) -> crate::CoreError {
    let Reason(message, args) = why.into();
    crate::CoreError::InvalidField(FieldError {
        field: field.into(),
        message,
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoreError;

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
    fn a_message_id_or_a_lower_layers_words_become_a_reason() {
        let e = invalid("note", (FieldMessage::TooLong, "max", 2000));
        match e {
            CoreError::InvalidField(fe) => {
                assert_eq!(fe.message, FieldMessage::TooLong);
                assert_eq!(fe.args, vec![("max", "2000".to_string())]);
                assert_eq!(fe.message.id(), "field-too-long");
            }
            other => panic!("{other:?}"),
        }
        match invalid("bundle", "broken signature") {
            CoreError::InvalidField(fe) => {
                assert_eq!(fe.message, FieldMessage::Other);
                assert_eq!(fe.get("detail"), Some("broken signature"));
            }
            other => panic!("{other:?}"),
        }
    }
}
