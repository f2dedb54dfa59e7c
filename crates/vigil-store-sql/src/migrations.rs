//! Schema changes written once. Migrations 1 to 16 predate this crate and
//! live, byte for byte as first applied, in each backend's `migrations/`
//! folder; every later change is one file in this crate's `migrations/`,
//! rendered for each dialect. A file may name the few column types whose
//! spelling differs:
//!
//! | placeholder | SQLite | PostgreSQL |
//! |---|---|---|
//! | `{id}` | `INTEGER PRIMARY KEY` | `BIGSERIAL PRIMARY KEY` |
//! | `{bigint}` | `INTEGER` | `BIGINT` |
//! | `{ts}` (an instant) | `INTEGER` (unix nanoseconds) | `TIMESTAMPTZ` |
//! | `{date}` | `TEXT` (`YYYY-MM-DD`) | `DATE` |
//! | `{bool}` | `INTEGER` | `BOOLEAN` |
//! | `{bytes}` | `BLOB` | `BYTEA` |
//! | `{float}` | `REAL` | `DOUBLE PRECISION` |
//!
//! A file without placeholders is applied as written on both, so its
//! checksum is the same everywhere.

use crate::backend::Dialect;

/// One schema change, rendered for a dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Its number; migrations apply in this order, once each.
    pub version: i64,
    /// What it does, in a few words.
    pub description: &'static str,
    /// The statements, in the dialect's spelling.
    pub sql: String,
}

/// Every change written once: (version, description, text).
const SHARED: &[(i64, &str, &str)] = &[
    (
        17,
        "figures",
        include_str!("../migrations/0017_figures.sql"),
    ),
    (
        18,
        "operation facilities",
        include_str!("../migrations/0018_operation_facilities.sql"),
    ),
    (
        19,
        "event claims",
        include_str!("../migrations/0019_event_claims.sql"),
    ),
    (20, "check", include_str!("../migrations/0020_check.sql")),
    (
        21,
        "rewards",
        include_str!("../migrations/0021_rewards.sql"),
    ),
    (
        22,
        "recruiters",
        include_str!("../migrations/0022_recruiters.sql"),
    ),
    (
        23,
        "facility names",
        include_str!("../migrations/0023_facility_names.sql"),
    ),
];

const TYPES: &[(&str, &str, &str)] = &[
    ("{id}", "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"),
    ("{bigint}", "INTEGER", "BIGINT"),
    ("{ts}", "INTEGER", "TIMESTAMPTZ"),
    ("{date}", "TEXT", "DATE"),
    ("{bool}", "INTEGER", "BOOLEAN"),
    ("{bytes}", "BLOB", "BYTEA"),
    ("{float}", "REAL", "DOUBLE PRECISION"),
];

/// A migration's text in `dialect`'s spelling.
pub fn render(text: &str, dialect: Dialect) -> String {
    TYPES.iter().fold(text.to_string(), |s, (p, sqlite, pg)| {
        s.replace(p, dialect.pick(sqlite, pg))
    })
}

/// The changes written once, rendered for `dialect`, in order.
pub fn shared(dialect: Dialect) -> Vec<Migration> {
    SHARED
        .iter()
        .map(|&(version, description, text)| Migration {
            version,
            description,
            sql: render(text, dialect),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_render_per_dialect_and_plain_text_is_untouched() {
        let t = "CREATE TABLE x (id {id}, at {ts}, ok {bool}, on_day {date});";
        assert_eq!(
            render(t, Dialect::Sqlite),
            "CREATE TABLE x (id INTEGER PRIMARY KEY, at INTEGER, ok INTEGER, on_day TEXT);"
        );
        assert_eq!(
            render(t, Dialect::Postgres),
            "CREATE TABLE x (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ, ok BOOLEAN, on_day DATE);"
        );
        for m in shared(Dialect::Sqlite)
            .iter()
            .zip(shared(Dialect::Postgres))
        {
            assert_eq!(m.0.version, m.1.version);
        }
        let versions: Vec<i64> = shared(Dialect::Sqlite).iter().map(|m| m.version).collect();
        let mut sorted = versions.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(versions, sorted, "in order, each once");
    }
}
