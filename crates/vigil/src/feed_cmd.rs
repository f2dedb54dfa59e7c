//! `vigil feed`: the partners' feed of confirmed scams, made and signed now
//! (`export`), and a downloaded feed file checked against its signature and
//! the instance's public key (`verify`), as a partner would.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::context::{Global, open};

/// What to do with the feed.
#[derive(Subcommand, Debug)]
pub enum FeedCmd {
    /// Make the feed now and write `feed-YYYY-MM-DD.json`, `.csv`, their
    /// `.sig` files and `feed.key` into DIR (default: `[check] feed_dir`).
    Export {
        /// The directory to write into.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check that FILE is signed by SIGNATURE (base64, or a `.sig` file)
    /// under KEY (base64, or a `feed.key` file).
    Verify {
        /// The feed file (JSON or CSV) as downloaded.
        file: PathBuf,
        /// Its signature, or the file holding it (default: FILE.sig).
        #[arg(long)]
        signature: Option<String>,
        /// The instance's public key, or the file holding it.
        #[arg(long)]
        key: String,
    },
}

/// A value given inline or as a file holding it.
fn inline_or_file(text: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(text);
    if path.is_file() {
        return std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()));
    }
    Ok(text.to_string())
}

/// Runs a feed command.
pub async fn run(g: Global, what: FeedCmd) -> anyhow::Result<()> {
    match what {
        FeedCmd::Export { out } => {
            let v = open(&g).await?;
            let dir = match out {
                Some(d) => d,
                None if !v.settings.check.feed_dir.trim().is_empty() => {
                    PathBuf::from(v.settings.check.feed_dir.trim())
                }
                None => bail!("give --out DIR or set [check] feed_dir"),
            };
            let feed = vigil_core::feed::build(&v.feed).await?;
            let path = vigil_core::feed::write(&feed, &dir)?;
            println!(
                "{} confirmed values written to {}",
                feed.count,
                path.display()
            );
            Ok(())
        }
        FeedCmd::Verify {
            file,
            signature,
            key,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let sig = match signature {
                Some(s) => inline_or_file(&s)?,
                None => {
                    let mut p = file.clone().into_os_string();
                    p.push(".sig");
                    inline_or_file(&PathBuf::from(p).display().to_string())?
                }
            };
            let key = inline_or_file(&key)?;
            if vigil_core::feed::verify(&text, &sig, key.trim()) {
                println!("{}: signature holds", file.display());
                Ok(())
            } else {
                bail!(
                    "{}: the signature does not hold under this key",
                    file.display()
                )
            }
        }
    }
}
