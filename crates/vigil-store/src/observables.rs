//! Observables (identifiers seen in tips) and their sightings, as they cross
//! the [`crate::Store`] boundary. One row per (observable, tip): never pairs.

use std::collections::BTreeMap;

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

/// Adds to `delta` how one tip's re-recording changes observables' tip
/// counts: -1 for each observable in `old` (the tip's sightings before) but
/// not in `new` (after), +1 for the reverse. Repeats count once. Backends keep
/// `ObservableRow::tips` with it, in the transaction that writes the
/// sightings; the map is ordered so rows are updated in one order everywhere.
pub fn count_changes(delta: &mut BTreeMap<i64, i64>, mut old: Vec<i64>, mut new: Vec<i64>) {
    old.sort_unstable();
    old.dedup();
    new.sort_unstable();
    new.dedup();
    for id in &old {
        if new.binary_search(id).is_err() {
            *delta.entry(*id).or_default() -= 1;
        }
    }
    for id in &new {
        if old.binary_search(id).is_err() {
            *delta.entry(*id).or_default() += 1;
        }
    }
    delta.retain(|_, d| *d != 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_changes_counts_each_tip_once() {
        let mut d = BTreeMap::new();
        count_changes(&mut d, vec![], vec![3, 1, 3]);
        assert_eq!(d, BTreeMap::from([(1, 1), (3, 1)]));
        count_changes(&mut d, vec![1, 3], vec![3, 4]);
        assert_eq!(d, BTreeMap::from([(3, 1), (4, 1)]));
        count_changes(&mut d, vec![3, 4], vec![3, 4]);
        assert_eq!(d, BTreeMap::from([(3, 1), (4, 1)]));
        count_changes(&mut d, vec![3, 4], vec![]);
        assert_eq!(d, BTreeMap::new());
    }
}
