//! What a demo builds (its plan), what it built (its ground truth and
//! accounts), how it reports progress and why it can fail.

use std::collections::BTreeMap;

use serde::Serialize;
use vigil_core::CoreError;

/// What to build.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Seed of every draw.
    pub seed: u64,
    /// Tips.
    pub tips: usize,
    /// How many times more often than the benchmark's world each facility is
    /// reported (about 100,000 tips over 3,000 facilities at 5).
    pub facility_scale: usize,
    /// Done raids, one location each.
    pub raids: usize,
    /// Raids still planned (counted nowhere).
    pub planned: usize,
    /// Networks hit by raids.
    pub networks: usize,
    /// Of those, dismantled.
    pub dismantled: usize,
    /// Computers seized.
    pub computers: u64,
    /// Smartphones seized.
    pub smartphones: u64,
    /// SIM cards seized.
    pub sim_cards: u64,
    /// Persons met in the raids.
    pub persons: u64,
    /// Suspects and recruiters charged.
    pub defendants: usize,
    /// Foreigners met in raids, ordered deported and gone.
    pub deportations: usize,
    /// Voluntary departures imported.
    pub voluntary: usize,
    /// Local recruiters who lured the Cambodian victims met.
    pub recruiters: usize,
    /// Communes they live in.
    pub recruiter_communes: usize,
    /// Exit screenings at the posts over the last months.
    pub screenings: usize,
    /// Of the recruiters, arrested at home in commune-level operations
    /// (counted among the done raids and the persons met).
    pub recruiters_arrested: usize,
}

impl Plan {
    /// The campaign's announced scale.
    pub fn national() -> Plan {
        Plan {
            seed: 2025,
            tips: 100_000,
            facility_scale: 5,
            raids: 2_500,
            planned: 60,
            networks: 230,
            dismantled: 200,
            computers: 10_444,
            smartphones: 36_476,
            sim_cards: 6_000,
            persons: 30_000,
            defendants: 512,
            deportations: 4_200,
            voluntary: 210_000,
            recruiters: 320,
            recruiter_communes: 40,
            recruiters_arrested: 120,
            screenings: 2_400,
        }
    }

    /// Every count of [`Plan::national`] times `factor` (at least one of
    /// each, and never more networks dismantled than raids). Recruiters
    /// keep a floor, so that a small demo still has a few communes of
    /// them and a domestic and a foreign arrest.
    pub fn scaled(factor: f64) -> Plan {
        let n = Plan::national();
        let f = |x: u64| ((x as f64 * factor).round() as u64).max(1);
        let raids = f(n.raids as u64) as usize;
        Plan {
            tips: f(n.tips as u64) as usize,
            raids,
            planned: f(n.planned as u64) as usize,
            networks: (f(n.networks as u64) as usize).min(raids),
            dismantled: (f(n.dismantled as u64) as usize).min(raids),
            computers: f(n.computers),
            smartphones: f(n.smartphones),
            sim_cards: f(n.sim_cards),
            persons: f(n.persons),
            defendants: f(n.defendants as u64) as usize,
            deportations: f(n.deportations as u64) as usize,
            voluntary: f(n.voluntary as u64) as usize,
            recruiters: (f(n.recruiters as u64) as usize).max(8),
            recruiter_communes: (f(n.recruiter_communes as u64) as usize).max(4),
            screenings: f(n.screenings as u64) as usize,
            recruiters_arrested: (f(n.recruiters_arrested as u64) as usize)
                .max(2)
                .min(raids / 2),
            ..n
        }
    }
}

/// The totals generated, under the keys `vigil stats` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// Tips stored.
    pub tips: u64,
    /// Facilities the pipeline made of them.
    pub facilities: u64,
    /// Done raids.
    pub locations_raided: u64,
    /// Networks dismantled.
    pub networks_dismantled: u64,
    /// Devices seized by kind.
    pub devices_seized: BTreeMap<String, u64>,
    /// Persons met.
    pub persons_met: u64,
    /// Persons met by role.
    pub persons_by_role: BTreeMap<String, u64>,
    /// Likely victims identified.
    pub victims_identified: u64,
    /// Victims referred.
    pub victims_referred: u64,
    /// Case files opened.
    pub cases: u64,
    /// Named cases.
    pub named_cases: u64,
    /// Defendants charged.
    pub defendants_prosecuted: u64,
    /// Defendants convicted.
    pub defendants_convicted: u64,
    /// Foreigners deported.
    pub deportations: u64,
    /// Detentions begun (foreigners held until their deportation).
    pub detentions: u64,
    /// Voluntary departures.
    pub voluntary_departures: u64,
    /// Recruiters arrested.
    pub recruiters_arrested: u64,
    /// Of whom foreign.
    pub recruiters_arrested_foreign: u64,
    /// Recruiters arrested by the operation's province code.
    pub recruiters_arrested_by_province: BTreeMap<String, u64>,
}

/// A demo account and the one-time link that sets its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Sign-in name.
    pub username: String,
    /// Its role.
    pub role: String,
    /// The setup token (`/staff/setup/{token}`).
    pub setup_token: String,
}

/// Where a long build reports how far it is.
pub trait Progress: Send + Sync {
    /// A new stage of `total` steps begins.
    fn stage(&self, label: &str, total: u64);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
}

/// Why a demo could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The data directory is not empty.
    #[error(
        "the store already holds {0} tips: the demo builds into an empty store (give a new --data-dir)"
    )]
    NotEmpty(i64),
    /// A use case refused what the generator made (a bug in the generator).
    #[error("{stage}: {source}")]
    Core {
        /// What was being built.
        stage: &'static str,
        /// The refusal.
        #[source]
        source: CoreError,
    },
}

pub(crate) fn at(stage: &'static str) -> impl FnOnce(CoreError) -> DemoError {
    move |source| DemoError::Core { stage, source }
}
