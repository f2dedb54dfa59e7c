//! `vigil audit`: verify the chain (against anchors), print its head, make
//! signed checkpoints.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use indicatif::ProgressBar;
use vigil_core::audit::{self, Anchored, AuditReport};
use vigil_domain::audit::Anchor;

use crate::context::{Global, open};

/// Audit chain commands.
#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Walk the whole chain; exit non-zero naming the first broken entry, or
    /// the first anchor the chain no longer holds.
    Verify {
        /// A head recorded earlier by `vigil audit head` (`COUNT:HASH`): the
        /// chain must still hold entry COUNT with that hash.
        #[arg(long, value_name = "COUNT:HASH")]
        expect: Option<String>,
        /// A file of checkpoints made by `vigil audit checkpoint`: each must
        /// be signed by this instance and held by the chain.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<PathBuf>,
    },
    /// Walk the chain and print its head as COUNT:HASH, to record elsewhere.
    Head,
    /// Walk the chain and print a signed checkpoint of its head (one JSON
    /// line), or append it to a file.
    Checkpoint {
        /// Append the line to this file instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Runs an audit command.
pub async fn run(g: Global, what: AuditCmd) -> anyhow::Result<()> {
    match what {
        AuditCmd::Verify {
            expect,
            checkpoints,
        } => verify(g, expect, checkpoints).await,
        AuditCmd::Head => head(g).await,
        AuditCmd::Checkpoint { out } => checkpoint(g, out).await,
    }
}

/// What the report says of the entries before the chain was keyed.
fn unkeyed_note(r: &AuditReport) -> String {
    if r.unkeyed == 0 {
        String::new()
    } else {
        format!(
            "; {} entries before entry {} carry unkeyed hashes (written before the chain was keyed)",
            r.unkeyed, r.keyed_from
        )
    }
}

/// Walks the chain with a spinner.
async fn walk(v: &vigil_core::Vigil, anchors: &[Anchored]) -> anyhow::Result<AuditReport> {
    let bar = ProgressBar::new_spinner();
    let report = audit::verify(&*v.store, &v.keys, anchors, |n| {
        bar.set_message(format!("{n} entries checked"))
    })
    .await?;
    bar.finish_and_clear();
    Ok(report)
}

async fn verify(
    g: Global,
    expect: Option<String>,
    checkpoints: Option<PathBuf>,
) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let mut anchors = Vec::new();
    if let Some(e) = expect {
        let Some(anchor) = Anchor::parse(&e) else {
            bail!("--expect {e:?} is not COUNT:HASH (as `vigil audit head` prints it)");
        };
        anchors.push(Anchored {
            anchor,
            source: "--expect".into(),
        });
    }
    let mut checkpoint_count = 0;
    if let Some(file) = &checkpoints {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let key = vigil_core::signing::signing_key(&v.settings)?.verifying_key();
        let read = audit::read_checkpoints(&text, &key)
            .map_err(|p| anyhow::anyhow!("checkpoints {}: {p}", file.display()))?;
        checkpoint_count = read.len();
        anchors.extend(audit::checkpoint_anchors(
            &file.display().to_string(),
            &read,
        ));
    }
    let report = walk(&v, &anchors).await?;
    let mut problems = Vec::new();
    if let Some(b) = &report.broken {
        problems.push(format!(
            "audit chain broken at {b} ({} entries before it verified)",
            report.entries
        ));
    }
    if let Some(a) = &report.anchor {
        problems.push(format!("audit chain does not hold an anchor: {a}"));
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("; "));
    }
    println!(
        "audit chain whole: {} entries verified{}",
        report.entries,
        unkeyed_note(&report)
    );
    for a in anchors.iter().filter(|a| a.source == "--expect") {
        println!("holds {} (--expect)", a.anchor);
    }
    if let Some(file) = &checkpoints {
        println!(
            "holds all {checkpoint_count} checkpoints in {}",
            file.display()
        );
    }
    Ok(())
}

async fn head(g: Global) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let report = walk(&v, &[]).await?;
    if let Some(b) = &report.broken {
        bail!(
            "audit chain broken at {b} ({} entries before it verified): no head to record",
            report.entries
        );
    }
    println!("{}", report.head);
    eprintln!(
        "audit chain whole: {} entries; record the line above somewhere the database's writer \
         cannot reach, and check later with `vigil audit verify --expect {}`{}",
        report.entries,
        report.head,
        unkeyed_note(&report)
    );
    Ok(())
}

async fn checkpoint(g: Global, out: Option<PathBuf>) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let key = vigil_core::signing::signing_key(&v.settings)?;
    let (report, line) =
        audit::checkpoint(&*v.store, &v.keys, &key, time::OffsetDateTime::now_utc()).await?;
    let Some(line) = line else {
        let b = report.broken.map(|b| b.to_string()).unwrap_or_default();
        bail!(
            "audit chain broken at {b} ({} entries before it verified): no checkpoint signed",
            report.entries
        );
    };
    match out {
        Some(file) => {
            audit::append_checkpoint(&file, &line)?;
            eprintln!(
                "checkpoint of {} entries ({}) appended to {}",
                report.entries,
                report.head,
                file.display()
            );
        }
        None => println!("{line}"),
    }
    Ok(())
}
