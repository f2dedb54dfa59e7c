//! `vigil sync` as a process: the key is made once and kept private; push and
//! pull say in plain words what is missing or unreachable.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn vigil(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"));
    c.args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("VIGIL_DATABASE_URL")
        .env("VIGIL_RECEIPTS__ARGON2_MEMORY_KIB", "64");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run vigil")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn sync_key_push_and_pull_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let first = vigil(&data, &["sync", "key"], &[]);
    assert!(first.status.success(), "{:?}", text(&first));
    let key = text(&first).0.trim().to_string();
    assert_eq!(key.len(), 44, "{key}");
    let again = vigil(&data, &["sync", "key"], &[]);
    assert_eq!(text(&again).0.trim(), key, "the same key every time");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("sync.key"))
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let push = vigil(&data, &["sync", "push"], &[]);
    assert!(!push.status.success());
    assert!(text(&push).1.contains("central_url"), "{:?}", text(&push));

    let token = dir.path().join("central.token");
    std::fs::write(&token, "vgl_token\n").expect("token");
    let token = token.to_string_lossy().into_owned();
    let env = [
        ("VIGIL_SYNC__INSTANCE", "poipet"),
        ("VIGIL_SYNC__CENTRAL_URL", "http://127.0.0.1:1"),
        ("VIGIL_SYNC__CENTRAL_KEY", key.as_str()),
        ("VIGIL_SYNC__TOKEN_FILE", token.as_str()),
    ];
    // Nothing screened yet: nothing to send, central not even asked.
    let push = vigil(&data, &["sync", "push"], &env);
    assert!(push.status.success(), "{:?}", text(&push));
    assert!(
        text(&push).0.contains("pushed 0 screenings"),
        "{:?}",
        text(&push)
    );
    let pull = vigil(&data, &["sync", "pull"], &env);
    assert!(!pull.status.success());
    assert!(
        text(&pull)
            .1
            .contains("cannot reach central at http://127.0.0.1:1"),
        "{:?}",
        text(&pull)
    );
}
