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
