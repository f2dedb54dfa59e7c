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
//! of whom are arrested at home ([`Plan::recruiters_arrested`]). Tips are
//! written as people report ([`tip_texts`]); exit screenings at the posts
//! fill the counter's list and the fairness report ([`Plan::screenings`]).
//! Everything follows one clock, the build's start: raids before it are
//! done, later ones planned; cases are opened after their raid, heard, and
//! decided at their last hearing (case openings and screenings are written
//! through the store, as the use cases would with the current time, with
//! the demo's dates). A scale factor shrinks every count for
//! tests ([`Plan::scaled`]). Everything else is drawn from a seed.

#![forbid(unsafe_code)]

mod justice;
mod people;
mod plan;
mod raids;
mod recruiters;
mod screenings;
mod standings;
mod tips;

use time::OffsetDateTime;
use vigil_core::Vigil;

use plan::at;
pub use plan::{Account, DemoError, Plan, Progress, Truth};

/// The language and text of each tip the demo of `plan` imports, in order.
pub fn tip_texts(plan: &Plan) -> Vec<(&'static str, String)> {
    tips::generated(plan)
        .into_iter()
        .map(|t| (t.language, t.text))
        .collect()
}

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
    // The demo's clock, in Cambodia's time: what happened is dated before
    // it, what is planned or scheduled after.
    let now = vigil_domain::clock::in_cambodia(OffsetDateTime::now_utc());
    let accounts = raids::accounts(v).await?;
    let mut truth = Truth {
        tips: tips::import(v, plan, progress).await?,
        ..Truth::default()
    };
    let facilities = tips::cluster(v, progress).await?;
    truth.facilities = facilities.len() as u64;
    let contacts = standings::mark(v, &facilities).await?;
    let raids = raids::build(v, plan, &facilities, now, progress, &mut truth).await?;
    justice::prosecute(v, plan, now, &raids, progress, &mut truth).await?;
    justice::depart(v, plan, now, &raids, progress, &mut truth).await?;
    screenings::screen(v, plan, now, &contacts, progress).await?;
    Ok((truth, accounts))
}
