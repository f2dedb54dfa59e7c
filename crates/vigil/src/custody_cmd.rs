//! `vigil custody verify BUNDLE`: checks a signed custody bundle offline —
//! the signature against trusted keys, then every item's chain — and prints
//! each item's result.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use vigil_custody::bundle::{VerifyingKey, check_bundle, parse_public_key};

/// Custody commands.
#[derive(Subcommand, Debug)]
pub enum CustodyCmd {
    /// Verify a signed custody bundle offline: the signature and every
    /// item's chain. Prints OK per item or where its chain breaks (item and
    /// step); exits non-zero if anything fails.
    Verify {
        /// The bundle file.
        bundle: PathBuf,
        /// A trusted public key (base64); may be repeated.
        #[arg(long, conflicts_with = "key_file")]
        key: Vec<String>,
        /// A file of trusted public keys, one base64 key per line (`#` comments).
        #[arg(long)]
        key_file: Option<PathBuf>,
    },
}

/// Runs a custody command.
pub fn run(what: CustodyCmd) -> anyhow::Result<()> {
    match what {
        CustodyCmd::Verify {
            bundle,
            key,
            key_file,
        } => verify(bundle, key, key_file),
    }
}

fn trusted_keys(keys: Vec<String>, key_file: Option<PathBuf>) -> anyhow::Result<Vec<VerifyingKey>> {
    let texts: Vec<String> = match key_file {
        Some(path) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
        None => keys,
    };
    if texts.is_empty() {
        bail!("give the signer's public key with --key BASE64 or --key-file FILE");
    }
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| parse_public_key(t).with_context(|| format!("trusted key {}", i + 1)))
        .collect()
}

fn verify(path: PathBuf, keys: Vec<String>, key_file: Option<PathBuf>) -> anyhow::Result<()> {
    let trusted = trusted_keys(keys, key_file)?;
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let check =
        check_bundle(&bytes, &trusted).with_context(|| format!("{} is refused", path.display()))?;
    let b = &check.bundle;
    println!(
        "bundle exported by {} at {}, {} items",
        b.exported_by,
        vigil_custody::format_time(b.created),
        b.items.len()
    );
    match check.signed_by {
        Some(i) => println!("signature: OK (trusted key {} of {})", i + 1, trusted.len()),
        None => println!(
            "signature: FAILED — the bundle was altered or signed with a key not given here"
        ),
    }
    let mut broken = 0;
    for item in &check.items {
        match &item.chain {
            Ok(()) => println!(
                "OK      {}  {}  {} steps, held by {}",
                item.reference, item.kind, item.steps, item.holder
            ),
            Err(t) => {
                broken += 1;
                println!("BROKEN  {}  step {}: {}", t.item, t.step, t.reason);
            }
        }
    }
    match (check.signed_by.is_some(), broken) {
        (true, 0) => Ok(()),
        (true, n) => bail!("{n} chain(s) of custody broken: the bundle does not verify"),
        (false, 0) => bail!("the signature does not verify: the bundle cannot be trusted"),
        (false, n) => bail!(
            "the signature does not verify and {n} chain(s) of custody are broken: the bundle cannot be trusted"
        ),
    }
}
