//! `vigil sync key|push|pull`: an offline post's exchange with central.

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use vigil_web::sync_client::{self, Central};

use crate::context::Global;
use crate::context::{open, runtime, settings};

/// Sync commands.
#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// Print this instance's public key (base64), which the other side lists:
    /// central in `[sync] posts`, a post as `[sync] central_key`. The signing
    /// key (`sync.key` in the data directory) is made on first use.
    Key,
    /// Send this post's screenings (new ones and new decisions) to central, in
    /// signed bundles; an interrupted push resumes where it stopped.
    Push,
    /// Fetch central's watchlist and policy; this post screens with them.
    Pull,
}

/// Runs a sync command.
pub fn run(g: Global, what: SyncCmd) -> anyhow::Result<()> {
    match what {
        SyncCmd::Key => {
            let s = settings(&g)?;
            let key = vigil_core::sync::public_key(&s).context("cannot read the sync key")?;
            println!("{key}");
            Ok(())
        }
        SyncCmd::Push => runtime(push(g)),
        SyncCmd::Pull => runtime(pull(g)),
    }
}

async fn push(g: Global) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let central = Central::from_settings(&v.settings)?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("pushing screenings to central");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let result = sync_client::push(&v, &central, |r| {
        bar.set_message(format!(
            "pushed {} screenings in {} bundles",
            r.screenings, r.bundles
        ));
    })
    .await;
    bar.finish_and_clear();
    let r = result.context("the push stopped (what central acknowledged stays pushed)")?;
    println!(
        "pushed {} screenings in {} bundles: {} new at central, {} updated, {} already there",
        r.screenings, r.bundles, r.new, r.updated, r.unchanged
    );
    Ok(())
}

async fn pull(g: Global) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let central = Central::from_settings(&v.settings)?;
    let p = sync_client::pull(&v, &central)
        .await
        .context("the pull stopped (the watchlist and policy held are unchanged)")?;
    if p.replaced {
        println!(
            "pulled {} watchlist values and policy {}",
            p.entries, p.policy_id
        );
    } else {
        println!("central sent an older copy than the one held, which stays");
    }
    Ok(())
}
