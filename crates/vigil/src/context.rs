//! What every command starts from: the global flags, the settings they
//! name, the opened application, logging and the async runtime.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use vigil_core::{Settings, Vigil};

/// Flags every subcommand takes.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Data directory (SQLite database, key file).
    #[arg(long, global = true, env = "VIGIL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite store.
    #[arg(
        long,
        global = true,
        env = "VIGIL_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Configuration file (default: ./vigil.toml if it exists).
    #[arg(long, global = true, env = "VIGIL_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Logs to standard error; `RUST_LOG` sets levels. Nothing about reporters
/// (addresses, agents) is ever logged: the HTTP server's and hyper's own
/// connection logs, which name peer addresses, stay off whatever `RUST_LOG` says.
pub fn init_logging() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    for quiet in [
        "axum::serve=off",
        "hyper=off",
        "hyper_util=off",
        "tower_http=off",
    ] {
        if let Ok(d) = quiet.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs a future on a multi-threaded runtime.
pub fn runtime<T>(f: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(f)
}

/// Settings with every layer applied: defaults < file < environment < flags.
pub fn settings(g: &Global) -> anyhow::Result<Settings> {
    let mut s = Settings::load(g.config.as_deref()).context("cannot read the configuration")?;
    if let Some(d) = &g.data_dir {
        s.storage.data_dir = d.clone();
    }
    if let Some(u) = &g.database_url {
        s.storage.database_url = u.clone();
    }
    Ok(s)
}

pub async fn open(g: &Global) -> anyhow::Result<Vigil> {
    let s = settings(g)?;
    vigil_backends::open(s)
        .await
        .context("cannot open the store")
}
