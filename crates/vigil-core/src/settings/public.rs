//! The `[public]` section: what the public awareness pages name (hotlines,
//! the licensed recruitment agencies) and how reporters' rewards are claimed.

use serde::{Deserialize, Serialize};

/// One hotline shown on the public pages.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    /// Who answers, as a message of the public catalogues
    /// (`aware-hotline-<key>`: `police`, `trafficking`), so that each reader
    /// sees it in their language; empty: `name` as written.
    #[serde(default)]
    pub key: String,
    /// Who answers, as written (a proper noun, or the fallback when `key`
    /// names no message).
    #[serde(default)]
    pub name: String,
    /// The number to call, as dialled in Cambodia.
    pub number: String,
}

/// What the public pages name.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PublicSettings {
    /// Hotlines for someone held or in danger, in the order shown on
    /// `/{lang}/help/held`, each as a number to call (`tel:`).
    pub hotlines: Vec<Hotline>,
    /// A TOML file of licensed recruitment agencies kept by the ministry
    /// (format in `data/agencies.toml`, loaded by `awareness::load`), read
    /// on every view of `/{lang}/help/jobs`; empty: the list embedded in
    /// the binary, which names no agency, so the page sends readers to ask
    /// the ministry. A file that does not load is logged with its line and
    /// entry, and the page then lists no agency.
    pub agencies_file: String,
    /// How a reward code is claimed (an address or number), shown beside it;
    /// empty: in person at a police station.
    pub reward_channel: String,
}

impl Default for PublicSettings {
    fn default() -> Self {
        PublicSettings {
            hotlines: vec![
                Hotline {
                    key: "police".into(),
                    name: "Police".into(),
                    number: "117".into(),
                },
                Hotline {
                    key: "trafficking".into(),
                    name: "Anti-human-trafficking hotline".into(),
                    number: "1288".into(),
                },
            ],
            agencies_file: String::new(),
            reward_channel: String::new(),
        }
    }
}
