//! `vigil user add|disable|reset|list` and `vigil token create`.

use anyhow::Context;
use clap::Subcommand;
use vigil_core::staff;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_store::NewStaff;

use crate::context::Global;
use crate::context::open;

/// Staff account commands.
#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account and print its one-time setup link.
    Add {
        /// Sign-in name (lowercase letters, digits, `.`, `_`, `-`).
        username: String,
        /// analyst, officer, supervisor, prosecutor, immigration or admin.
        #[arg(long)]
        role: String,
        /// `national`, or province codes or names separated by commas (`12,18`).
        #[arg(long, default_value = "national")]
        jurisdiction: String,
        /// Name shown to colleagues (default: the username).
        #[arg(long)]
        name: Option<String>,
    },
    /// Disable an account and end its sessions and tokens.
    Disable {
        /// The account.
        username: String,
    },
    /// Clear an account's password and second factor and print a new setup link.
    Reset {
        /// The account.
        username: String,
    },
    /// List accounts.
    List,
}

/// API token commands.
#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create an API token for an account; it is printed once and stored hashed.
    Create {
        /// The account the token acts as.
        username: String,
        /// A label, e.g. the machine that uses it.
        #[arg(long, default_value = "api")]
        name: String,
    },
}

fn link(v: &vigil_core::Vigil, token: &str) -> String {
    setup_url(&v.settings, token)
}

/// The setup link: `public_url`, else `http://` + the listen address.
pub(crate) fn setup_url(s: &vigil_core::Settings, token: &str) -> String {
    let base = s
        .staff
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", s.server.listen));
    format!("{}/staff/setup/{token}", base.trim_end_matches('/'))
}

/// Runs a `vigil user` command.
pub async fn user(g: Global, cmd: UserCmd) -> anyhow::Result<()> {
    let v = open(&g).await?;
    match cmd {
        UserCmd::Add {
            username,
            role,
            jurisdiction,
            name,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role {role}: use one of {}",
                    Role::ALL.map(Role::as_str).join(", ")
                )
            })?;
            let jurisdiction = Jurisdiction::parse(&jurisdiction, gazetteer())?;
            let (_, token) = staff::create(
                &v.staff,
                NewStaff {
                    display_name: name.unwrap_or_else(|| username.clone()),
                    username: username.clone(),
                    role,
                    jurisdiction: jurisdiction.clone(),
                },
                None,
            )
            .await?;
            println!("Created {username} ({role}, {jurisdiction}).");
            println!(
                "Give them this one-time setup link (valid {} hours):",
                v.settings.staff.setup_link_hours
            );
            println!("{}", link(&v, &token));
        }
        UserCmd::Disable { username } => {
            staff::disable(&v.staff, &username).await?;
            println!("Disabled {username}; their sessions and tokens no longer work.");
        }
        UserCmd::Reset { username } => {
            let token = staff::reset(&v.staff, &username).await?;
            println!("Reset {username}. New one-time setup link:");
            println!("{}", link(&v, &token));
        }
        UserCmd::List => {
            for s in v.store.list_staff().await? {
                println!(
                    "{}\t{}\t{}\t{}{}",
                    s.username,
                    s.role,
                    s.jurisdiction,
                    if s.password_hash.is_some() {
                        "set up"
                    } else {
                        "not set up"
                    },
                    if s.disabled { "\tdisabled" } else { "" }
                );
            }
        }
    }
    Ok(())
}

/// Runs a `vigil token` command.
pub async fn token(g: Global, cmd: TokenCmd) -> anyhow::Result<()> {
    let v = open(&g).await?;
    match cmd {
        TokenCmd::Create { username, name } => {
            let token = staff::create_api_token(&v.staff, &username, &name).await?;
            println!("{token}");
            eprintln!("This token is shown once. Send it as `Authorization: Bearer TOKEN`.");
        }
    }
    Ok(())
}

/// Where the first start writes the administrator's setup link when
/// standard output is not a terminal.
pub const ADMIN_SETUP_FILE: &str = "admin-setup-link.txt";

/// Writes `text` to `path`, readable and writable by this account only.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        // An older file of the same name keeps its mode when truncated.
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// On the first start, creates `admin` and prints its setup link on a
/// terminal, or writes it to a private file in the data directory.
pub async fn bootstrap(v: &vigil_core::Vigil, listening: &str) -> anyhow::Result<()> {
    if let Some(token) = staff::bootstrap(&v.staff).await? {
        let mut settings = (*v.settings).clone();
        settings.server.listen = listening.to_string();
        let url = setup_url(&settings, &token);
        let hours = v.settings.staff.setup_link_hours;
        // Written without panicking if nobody reads standard output any more.
        use std::io::{IsTerminal, Write};
        let mut out = std::io::stdout().lock();
        if out.is_terminal() {
            let _ = writeln!(
                out,
                "First start: set up the administrator account (admin) within {hours} hours at\n  {url}",
            );
        } else {
            // Standard output going elsewhere is often a log that others
            // read: the link, which makes its holder the administrator,
            // goes to a file only this account can read.
            let path = v.settings.storage.data_dir.join(ADMIN_SETUP_FILE);
            write_private(&path, &format!("{url}\n"))
                .with_context(|| format!("cannot write {}", path.display()))?;
            let _ = writeln!(
                out,
                "First start: the administrator account's (admin) setup link, valid {hours} hours, is in {}",
                path.display()
            );
        }
        let _ = out.flush();
    }
    Ok(())
}
