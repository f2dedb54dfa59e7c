//! `vigil demo`: a synthetic national dataset at the scale of the campaign's
//! announced figures, built through Vigil's own use cases (the same
//! validation, custody chains and audit entries as real work), and its ground
//! truth, which `vigil stats` must reproduce.
//!
//! The announced totals are exact ([`Plan::national`]): 2,500 locations
//! raided, 200 networks dismantled, 10,444 computers and 36,476 smartphones
//! seized, 512 defendants prosecuted, 4,200 foreigners deported and 210,000
//! voluntary departures, over 100,000 tips and 30,000 persons met; the
//! Cambodian victims come from villages where local recruiters live, some
//! of whom are arrested at home ([`Plan::recruiters_arrested`]). A scale
//! factor shrinks every count for tests ([`Plan::scaled`]). Everything is
//! drawn from a seed, so a build is reproducible.

#![forbid(unsafe_code)]

mod justice;
mod people;
mod plan;
mod raids;
mod recruiters;
mod standings;
mod tips;

use vigil_core::Vigil;

use plan::at;
pub use plan::{Account, DemoError, Plan, Progress, Truth};

/// Builds the dataset of `plan` into `v`, which must hold no tips yet, and
/// returns its ground truth and the demo accounts.
pub async fn build(
    v: &Vigil,
    plan: &Plan,
    progress: &dyn Progress,
) -> Result<(Truth, Vec<Account>), DemoError> {
    let stored = v
        .store
        .count_tips()
        .await
        .map_err(|e| at("reading the store")(e.into()))?;
    if stored > 0 {
        return Err(DemoError::NotEmpty(stored));
    }
    let accounts = raids::accounts(v).await?;
    let mut truth = Truth {
        tips: tips::import(v, plan, progress).await?,
        ..Truth::default()
    };
    let facilities = tips::cluster(v, progress).await?;
    truth.facilities = facilities.len() as u64;
    standings::mark(v, &facilities).await?;
    let raids = raids::build(v, plan, &facilities, progress, &mut truth).await?;
    justice::prosecute(v, plan, &raids, progress, &mut truth).await?;
    justice::depart(v, plan, &raids, progress, &mut truth).await?;
    Ok((truth, accounts))
}
