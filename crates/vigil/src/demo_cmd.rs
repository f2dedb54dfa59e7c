//! `vigil demo [--scale F] [--seed N] [--no-serve] [--listen ADDR]`: builds the
//! synthetic national dataset (`vigil-demo`) into the data directory, with a
//! progress bar per stage, writes its ground truth to `demo-truth.json` there,
//! prints the demo accounts' setup links, then serves it.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use vigil_demo::{Plan, Progress};

use crate::context::Global;

/// The file the ground truth is written to, in the data directory.
pub const TRUTH_FILE: &str = "demo-truth.json";

/// One bar per stage; the previous stage's bar is finished when the next begins.
struct Bars(Mutex<Option<ProgressBar>>);

impl Progress for Bars {
    fn stage(&self, label: &str, total: u64) {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = slot.take() {
            b.finish();
        }
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template(
                "{prefix:>10} {bar:40} {pos}/{len} ({elapsed}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.set_prefix(label.to_string());
        *slot = Some(b);
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            b.inc(n);
        }
    }
}

/// Runs the command.
pub async fn run(
    mut g: Global,
    scale: f64,
    seed: Option<u64>,
    no_serve: bool,
    listen: Option<SocketAddr>,
) -> anyhow::Result<()> {
    if !(scale > 0.0 && scale <= 1.0) {
        anyhow::bail!("--scale must be more than 0 and at most 1 (got {scale})");
    }
    if g.data_dir.is_none() && g.database_url.is_none() {
        g.data_dir = Some("vigil-demo".into());
    }
    let s = crate::context::settings(&g)?;
    let dir = s.storage.data_dir.clone();
    let mut plan = Plan::scaled(scale);
    if let Some(seed) = seed {
        plan.seed = seed;
    }
    let v = vigil_backends::open(s)
        .await
        .context("cannot open the store")?;
    println!(
        "Building the demo into {} (store: {}): {} tips, {} raids…",
        dir.display(),
        v.store.backend(),
        plan.tips,
        plan.raids
    );
    let started = Instant::now();
    let bars = Bars(Mutex::new(None));
    let (truth, accounts) = vigil_demo::build(&v, &plan, &bars).await?;
    if let Some(b) = bars
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
    {
        b.finish();
    }
    let path = dir.join(TRUTH_FILE);
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(&path, serde_json::to_string_pretty(&truth)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "Built in {:.0} s. Ground truth: {} (compare `vigil stats`).",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    // The links name `public_url`, else the address this demo will listen on.
    let mut settings = (*v.settings).clone();
    if let Some(l) = listen {
        settings.server.listen = l.to_string();
    }
    println!(
        "Demo accounts (each link sets a password once; supervisor and admin also need an authenticator app):"
    );
    for a in &accounts {
        println!(
            "  {:<18} {:<11} {}",
            a.username,
            a.role,
            crate::staff_cmd::setup_url(&settings, &a.setup_token)
        );
    }
    drop(v);
    if no_serve {
        return Ok(());
    }
    crate::commands::serve(g, listen, false).await
}
