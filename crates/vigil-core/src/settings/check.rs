//! The `[check]` section: the public check of numbers, links, handles and
//! wallets, its range API and the partners' feed.

use serde::{Deserialize, Serialize};

/// How the public check answers.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Fewest independent reports before a value's reports are mentioned at
    /// all (below it the answer is the same as for a value never reported).
    pub min_reports: u32,
    /// Most recent reports of a value read to count the independent ones.
    pub sample: u32,
    /// Domains of banks and agencies whose look-alikes are flagged
    /// (`aba.com.kh`, `acledabank.com.kh`…).
    pub protected_domains: Vec<String>,
    /// Where the daily signed feed of confirmed values is written (JSON and
    /// CSV side by side); empty: not written.
    pub feed_dir: String,
    /// How often the feed is made again, in seconds (0: on every request);
    /// `serve` and `worker` write it to `feed_dir` as often.
    pub feed_every_secs: u64,
    /// A TOML file of warning-sign rules replacing the embedded ones
    /// (`vigil-signs/rules/default.toml` shows the format); empty: embedded.
    pub signs_file: String,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            min_reports: 3,
            sample: 200,
            protected_domains: [
                "aba.com.kh",
                "ababank.com",
                "acledabank.com.kh",
                "wingbank.com.kh",
                "canadiabank.com.kh",
                "nbc.gov.kh",
                "police.gov.kh",
                "interior.gov.kh",
                "mfaic.gov.kh",
                "immigration.gov.kh",
            ]
            .map(String::from)
            .to_vec(),
            feed_dir: String::new(),
            feed_every_secs: 86_400,
            signs_file: String::new(),
        }
    }
}
