//! Online backup: `pg_dump` in its custom format (for `pg_restore`) of the
//! configured database while Vigil serves. The dump reads a snapshot this
//! module exports and counts tips in, so the count it answers is the dump's
//! own; the file is 0600 from creation and takes its name only once whole
//! and on disk.

use std::path::Path;
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use vigil_store::{StoreError, private};

use crate::rows::map_err;

/// Dumps the database at `url` into the new file `dest` with the `pg_dump`
/// program named by `pg_dump` (its major version must be the server's or
/// newer), and answers the number of tips in the dump. The password never
/// appears on `pg_dump`'s command line; it is passed in its environment. A
/// failed backup leaves nothing at `dest`.
pub async fn backup(url: &str, dest: &Path, pg_dump: &Path) -> Result<u64, StoreError> {
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists; a backup never overwrites",
            dest.display()
        )));
    }
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?
        .application_name("vigil backup");
    let mut conn = opts.connect().await.map_err(map_err)?;
    // The snapshot stays valid while this transaction is open: pg_dump
    // reads exactly what was counted.
    sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut conn)
        .await
        .map_err(map_err)?;
    let (snapshot,): (String,) = sqlx::query_as("SELECT pg_export_snapshot()")
        .fetch_one(&mut conn)
        .await
        .map_err(map_err)?;
    let (tips,): (i64,) = sqlx::query_as("SELECT count(*) FROM tips")
        .fetch_one(&mut conn)
        .await
        .map_err(map_err)?;
    let partial = private::partial_path(dest);
    let _ = std::fs::remove_file(&partial);
    let dumped = run_pg_dump(url, &partial, pg_dump, &snapshot).await;
    let _ = sqlx::raw_sql("COMMIT").execute(&mut conn).await;
    let _ = conn.close().await;
    private::finish_backup(&partial, dest, dumped).map(|()| u64::try_from(tips).unwrap_or(0))
}

async fn run_pg_dump(
    url: &str,
    partial: &Path,
    pg_dump: &Path,
    snapshot: &str,
) -> Result<(), StoreError> {
    // pg_dump opens its output with fopen: an existing file keeps its mode.
    private::file(partial).map_err(|e| private::unavailable(partial, e))?;
    let (bare, password) = split_password(url);
    let mut cmd = std::process::Command::new(pg_dump);
    cmd.arg("--format=custom")
        .arg("--no-password")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(partial)
        .arg("--dbname")
        .arg(&bare)
        .stdin(std::process::Stdio::null());
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let program = pg_dump.display().to_string();
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| StoreError::Other(format!("{program}: {e}")))?
        .map_err(|e| StoreError::Unavailable(format!("cannot run {program}: {e}")))?;
    if !out.status.success() {
        return Err(StoreError::Other(format!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| private::unavailable(partial, e))
}

/// The URL without its password, and the password (percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_owned(), None);
    };
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, bare: &str, password: Option<&str>) {
        assert_eq!(
            split_password(url),
            (bare.to_owned(), password.map(str::to_owned)),
            "{url}"
        );
    }

    #[test]
    fn the_password_leaves_the_url() {
        check(
            "postgres://vigil:s%40cret@db:5433/vigil?sslmode=require",
            "postgres://vigil@db:5433/vigil?sslmode=require",
            Some("s@cret"),
        );
        check(
            "postgres://vigil@db/vigil",
            "postgres://vigil@db/vigil",
            None,
        );
        check("postgresql://db/vigil", "postgresql://db/vigil", None);
        check("postgres://a:b:c@h/d", "postgres://a@h/d", Some("b:c"));
    }
}
