//! What a chain of custody records: seizures, hand-overs and forensic
//! images, and where they happened.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Where something happened: a gazetteer code (province to village) or,
/// when there is none, a place in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Place {
    /// A code of Cambodia's gazetteer, checked against it.
    Code(String),
    /// A place in words (a police station's evidence room, a lab).
    Text(String),
}

/// The seizure of an item, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seizure {
    /// Who seized it: the first holder.
    pub by: String,
    /// Where.
    pub place: Place,
    /// When, with the local UTC offset as recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The operation's reference.
    pub operation: String,
}

/// A hand-over from the holder to someone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The current holder, handing it over.
    pub from: String,
    /// Who receives it.
    pub to: String,
    /// When, with the local UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Where.
    pub place: Place,
    /// Why (`storage`, `forensic examination`, `court`…).
    pub purpose: String,
}

/// A forensic image made by the holder (the item stays with them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imaging {
    /// The holder who made the image.
    pub by: String,
    /// When, with the local UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The image's SHA-256, lower-case hex.
    pub sha256: String,
}

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The first entry, with the hash of the item's description at seizure.
    Seizure {
        /// SHA-256 of the item's canonical description ([`item_sha256`]).
        item_sha256: String,
        /// The seizure.
        seizure: Seizure,
    },
    /// A hand-over.
    Transfer(Transfer),
    /// A forensic image.
    Imaging(Imaging),
}

impl Event {
    /// When it happened.
    pub(crate) fn at(&self) -> OffsetDateTime {
        match self {
            Event::Seizure { seizure, .. } => seizure.at,
            Event::Transfer(t) => t.at,
            Event::Imaging(i) => i.at,
        }
    }
}
