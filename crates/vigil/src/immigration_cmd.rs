//! `vigil immigration import FILE --as USER` (voluntary departures from a
//! CSV, all or nothing, with a progress bar) and `vigil immigration export
//! --nationality CN --from DATE --to DATE --as USER` (the per-embassy CSV on
//! standard output). Both act as a staff account (`--as`): its role and
//! jurisdiction apply, and the audit chain names it, as for the same actions
//! on the staff pages.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use vigil_core::CoreError;
use vigil_core::immigration;
use vigil_core::immigration_csv;

use crate::context::Global;
use crate::context::open;

/// Immigration commands.
#[derive(Subcommand, Debug)]
pub enum ImmigrationCmd {
    /// Import voluntary departures from a CSV (columns: name, nationality,
    /// passport, date_of_birth, departed_on, port). The whole file or
    /// nothing: every bad row is named with its field.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The staff account acting (immigration, supervisor or admin).
        #[arg(long = "as", value_name = "STAFF_USERNAME")]
        acting: String,
    },
    /// Print the departures and deportation orders of one nationality in a
    /// period as CSV with the identities opened (for an embassy); audited.
    Export {
        /// ISO 3166-1 alpha-2 (`CN`).
        #[arg(long)]
        nationality: String,
        /// First day, `YYYY-MM-DD`.
        #[arg(long)]
        from: String,
        /// Last day, `YYYY-MM-DD`.
        #[arg(long)]
        to: String,
        /// The staff account acting (immigration, supervisor or admin).
        #[arg(long = "as", value_name = "STAFF_USERNAME")]
        acting: String,
    },
}

fn explain(e: CoreError) -> anyhow::Error {
    match e {
        CoreError::InvalidField(fe) if fe.get("row").is_some() => {
            anyhow::anyhow!(
                "nothing was imported; fix these rows:\n  {}",
                crate::commands::field_errors_in_english(&fe).join("\n  ")
            )
        }
        CoreError::Forbidden => {
            anyhow::anyhow!(
                "this account's role may not do this (immigration, supervisor or admin)"
            )
        }
        e => anyhow::Error::new(e),
    }
}

/// Runs an immigration command.
pub async fn run(g: Global, cmd: ImmigrationCmd) -> anyhow::Result<()> {
    let v = open(&g).await?;
    match cmd {
        ImmigrationCmd::Import { file, acting } => {
            let p = immigration::acting(&v.immigration, &acting)
                .await
                .map_err(explain)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} departures ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let done = immigration_csv::import_csv(&v.immigration, &p, &text, &|done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await;
            bar.finish_and_clear();
            let done = done.map_err(explain)?;
            println!("imported {} departures (batch {})", done.rows, done.batch);
            Ok(())
        }
        ImmigrationCmd::Export {
            nationality,
            from,
            to,
            acting,
        } => {
            let p = immigration::acting(&v.immigration, &acting)
                .await
                .map_err(explain)?;
            let Some(from) = immigration::parse_day(&from) else {
                bail!("--from: `{from}` is not a date (YYYY-MM-DD)");
            };
            let Some(to) = immigration::parse_day(&to) else {
                bail!("--to: `{to}` is not a date (YYYY-MM-DD)");
            };
            let csv = immigration_csv::export_csv(&v.immigration, &p, &nationality, from, to)
                .await
                .map_err(explain)?;
            let mut out = std::io::stdout().lock();
            out.write_all(csv.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}
