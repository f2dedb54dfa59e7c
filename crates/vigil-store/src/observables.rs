//! Observables (identifiers seen in tips) and their sightings, as they cross
//! the [`crate::Store`] boundary. One row per (observable, tip): never pairs.

use vigil_domain::TipId;

/// An observable's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObservableId(pub i64);

/// What the identifiers of one tip are, as extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipObservables {
    /// The tip.
    pub tip_id: TipId,
    /// (kind, normalised value), each once.
    pub values: Vec<(String, String)>,
}

/// How an observable is used for linking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObservableMode {
    /// Decided from the data (a hub is detected, not set).
    Auto,
    /// Marked by an admin as a hub: shown as a lead, never used to merge.
    Hub,
    /// Marked by an admin as noise: not used at all.
    Ignore,
}

impl ObservableMode {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ObservableMode::Auto => "auto",
            ObservableMode::Hub => "hub",
            ObservableMode::Ignore => "ignore",
        }
    }

    /// Reads the stored form (unknown values read as `Auto`).
    pub fn parse(s: &str) -> Self {
        match s {
            "hub" => ObservableMode::Hub,
            "ignore" => ObservableMode::Ignore,
            _ => ObservableMode::Auto,
        }
    }
}

/// A stored observable with how many tips carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservableRow {
    /// Id.
    pub id: ObservableId,
    /// Kind (`phone`, `telegram`, …).
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// How it is used.
    pub mode: ObservableMode,
    /// Tips it was seen in.
    pub tips: i64,
}
