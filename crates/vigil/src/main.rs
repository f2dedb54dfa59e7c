//! `vigil`: the command-line front. It parses arguments and calls the libraries.

#![forbid(unsafe_code)]

mod audit_cmd;
mod backup_cmd;
mod commands;
mod context;
mod custody_cmd;
mod demo_cmd;
mod extract_cmd;
mod feed_cmd;
mod immigration_cmd;
mod screen_cmd;
mod staff_cmd;
mod stats_cmd;
mod sync_cmd;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use context::Global;

/// Vigil: anonymous tips about scam compounds and trafficking, and the work that follows.
#[derive(Parser, Debug)]
#[command(name = "vigil", version, about)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the reporting pages and the API.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Do not run background work in this process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportCmd,
    },
    /// Rebuild the full-text search index from the outbox.
    Reindex,
    /// Write an online backup of the store into the new file DEST (0600) while
    /// Vigil serves: SQLite by `VACUUM INTO`, PostgreSQL by `pg_dump` (custom
    /// format, for `pg_restore`). The key file is not in it: keep it apart.
    Backup {
        /// The backup file to create; an existing file is never overwritten.
        dest: PathBuf,
        /// The `pg_dump` program, for PostgreSQL (its version at least the server's).
        #[arg(long, default_value = "pg_dump")]
        pg_dump: PathBuf,
        /// Print one JSON object (`file`, `bytes`, `tips`, `seconds`).
        #[arg(long)]
        json: bool,
    },
    /// Follow the events outbox and process new tips (without serving pages).
    Worker,
    /// Import data.
    Import {
        #[command(subcommand)]
        what: ImportCmd,
    },
    /// The partners' feed of confirmed scams: export it now, or verify a
    /// downloaded file's signature.
    Feed {
        #[command(subcommand)]
        what: feed_cmd::FeedCmd,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        what: audit_cmd::AuditCmd,
    },
    /// Cambodia's administrative divisions.
    Gazetteer {
        #[command(subcommand)]
        what: GazetteerCmd,
    },
    /// Configuration.
    Config {
        #[command(subcommand)]
        what: ConfigCmd,
    },
    /// The key file.
    Key {
        #[command(subcommand)]
        what: KeyCmd,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        what: staff_cmd::UserCmd,
    },
    /// API tokens for machine clients.
    Token {
        #[command(subcommand)]
        what: staff_cmd::TokenCmd,
    },
    /// Offline posts: exchange signed bundles with central (screenings up,
    /// watchlist and policy down).
    Sync {
        #[command(subcommand)]
        what: sync_cmd::SyncCmd,
    },
    /// Seized evidence: verify signed custody bundles offline.
    Custody {
        #[command(subcommand)]
        what: custody_cmd::CustodyCmd,
    },
    /// Build a synthetic national dataset at the campaign's scale into the data
    /// directory (default ./vigil-demo), then serve it.
    Demo {
        /// Fraction of the national scale (1 = the announced totals).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Seed of every draw (the same seed builds the same dataset).
        #[arg(long)]
        seed: Option<u64>,
        /// Only build; do not serve.
        #[arg(long)]
        no_serve: bool,
        /// Address to listen on when serving.
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// The campaign's national figures for a period (Cambodia dates, both included).
    Stats {
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: stats_cmd::StatsFormat,
        /// First day counted (YYYY-MM-DD); from the beginning when absent.
        #[arg(long, default_value = "")]
        from: String,
        /// Last day counted (YYYY-MM-DD); to today when absent.
        #[arg(long, default_value = "")]
        to: String,
    },
    /// Immigration: import voluntary departures (CSV), export per embassy.
    Immigration {
        #[command(subcommand)]
        what: immigration_cmd::ImmigrationCmd,
    },
    /// Find identifiers (phones, handles, wallets, links, places) in texts.
    Extract {
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: extract_cmd::ExtractFormat,
        /// Input file, or `-` for standard input.
        file: Option<PathBuf>,
    },
    /// Screen travellers (JSON lines) against an exit-screening policy; nothing is stored.
    /// The watchlist is built from the store's intelligence unless `--watchlist` is given.
    Screen {
        /// Policy file (TOML); the shipped default policy if absent.
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Watchlist file: JSON lines `{"value": contact or name, "label": what it is tied to}`.
        #[arg(long)]
        watchlist: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: screen_cmd::ScreenFormat,
        /// Input file, or `-` for standard input.
        file: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCmd {
    /// Import hotline tips from JSON lines (`ref` required and unique).
    Tips {
        /// The JSON-lines file, or `-` for standard input.
        file: PathBuf,
        /// Store only; do not run the pipeline before exiting.
        #[arg(long)]
        no_process: bool,
        /// Write the refused lines' report as JSON lines to this file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCmd {
    /// Suspected facilities, one JSON line each: id, tips (ref or id), priority, reasons, province_code.
    Facilities {
        /// Output format (only `jsonl`).
        #[arg(long, default_value = "jsonl")]
        format: String,
    },
}

#[derive(Subcommand, Debug)]
enum GazetteerCmd {
    /// Find a province, district, commune or village by name, code or variant spelling.
    Search {
        /// Khmer or English name, code, or a common variant (Kampong Som, Poipet…).
        name: String,
        /// At most this many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ConfigCmd {
    /// Print the commented example configuration (every setting at its default).
    Example,
    /// Print the configuration in effect (secrets hidden).
    Show,
}

#[derive(Subcommand, Debug)]
enum KeyCmd {
    /// Add a new encryption key and make it active (old data stays readable).
    Rotate,
}

fn main() -> std::process::ExitCode {
    // Everything Vigil writes (database, WAL, search index, keys, exports)
    // is for the account that runs it alone; the libraries also fix the
    // modes of what they find, for callers other than this binary.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    context::init_logging();
    let result = match cli.command {
        Command::Config {
            what: ConfigCmd::Example,
        } => {
            print!("{}", vigil_core::settings::EXAMPLE);
            Ok(())
        }
        Command::Config {
            what: ConfigCmd::Show,
        } => commands::config_show(&cli.global),
        Command::Gazetteer {
            what: GazetteerCmd::Search { name, limit, json },
        } => commands::gazetteer_search(&name, limit, json),
        Command::Extract { format, file } => extract_cmd::run(file, format),
        Command::Screen {
            policy,
            watchlist,
            format,
            file,
        } => screen_cmd::run(&cli.global, policy, watchlist, file, format),
        Command::Export {
            what: ExportCmd::Facilities { format },
        } => context::runtime(commands::export_facilities(cli.global, format)),
        Command::Demo {
            scale,
            seed,
            no_serve,
            listen,
        } => context::runtime(demo_cmd::run(cli.global, scale, seed, no_serve, listen)),
        Command::Stats { format, from, to } => {
            context::runtime(stats_cmd::run(cli.global, format, from, to))
        }
        Command::Reindex => context::runtime(commands::reindex(cli.global)),
        Command::Backup {
            dest,
            pg_dump,
            json,
        } => context::runtime(backup_cmd::run(cli.global, dest, pg_dump, json)),
        Command::Worker => context::runtime(commands::worker(cli.global)),
        Command::User { what } => context::runtime(staff_cmd::user(cli.global, what)),
        Command::Token { what } => context::runtime(staff_cmd::token(cli.global, what)),
        Command::Sync { what } => sync_cmd::run(cli.global, what),
        Command::Custody { what } => custody_cmd::run(what),
        Command::Immigration { what } => context::runtime(immigration_cmd::run(cli.global, what)),
        Command::Key {
            what: KeyCmd::Rotate,
        } => commands::key_rotate(&cli.global),
        Command::Serve { listen, no_worker } => {
            context::runtime(commands::serve(cli.global, listen, no_worker))
        }
        Command::Import {
            what:
                ImportCmd::Tips {
                    file,
                    no_process,
                    report,
                },
        } => context::runtime(commands::import_tips(cli.global, file, no_process, report)),
        Command::Audit { what } => context::runtime(audit_cmd::run(cli.global, what)),
        Command::Feed { what } => context::runtime(feed_cmd::run(cli.global, what)),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", commands::describe(&e));
            std::process::ExitCode::FAILURE
        }
    }
}
