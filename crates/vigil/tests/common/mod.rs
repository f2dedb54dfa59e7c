//! Running the `vigil` binary as a process, shared by the CLI tests.

#![allow(dead_code, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `vigil ARGS --data-dir DATA` with cheap receipt hashing and no
/// database URL from the environment, and waits for it.
pub fn vigil(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("VIGIL_DATABASE_URL")
        .env("VIGIL_RECEIPTS__ARGON2_MEMORY_KIB", "64")
        .output()
        .expect("run vigil")
}

/// A finished process's standard output and error, as text.
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `vigil serve --listen 127.0.0.1:0 --data-dir DATA [EXTRA…]` with cheap
/// receipt hashing, no database URL from the environment, `env` set and its
/// standard error into `stderr`; returns the process and the `host:port` it
/// printed it listens on.
pub fn serve(
    data: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
    stderr: std::process::Stdio,
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .arg("--data-dir")
        .arg(data)
        .env_remove("VIGIL_DATABASE_URL")
        .env("VIGIL_RECEIPTS__ARGON2_MEMORY_KIB", "64")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn vigil serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let addr = line
        .trim()
        .trim_start_matches("Vigil is listening on http://")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    (child, addr)
}
