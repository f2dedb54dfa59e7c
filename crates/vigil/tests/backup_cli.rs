//! `vigil backup` as a process, against a `vigil serve` that keeps taking
//! tips while the copy is made: the copy restored beside the key file holds
//! every tip acknowledged before the backup began, no tip that was never
//! acknowledged, passes `vigil audit verify`, and holds as many tips as the
//! backup reported.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::vigil;

use std::io::{Read, Write};
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim()).expect("json")
}

/// Posts one tip and answers the status code.
fn post(addr: &str, n: u64) -> u16 {
    let body =
        format!(r#"{{"text":"backup test tip {n}: held in building C","client_ref":"bk-{n}"}}"#);
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /api/v1/tips HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    answer.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn a_backup_under_load_restores_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let (mut child, addr) = common::serve(&data, &["--no-worker"], &[], Stdio::null());

    let acked = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (acked, next, stop, addr) =
                (acked.clone(), next.clone(), stop.clone(), addr.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(post(&addr, n), 201, "tip {n} refused");
                    acked.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    while acked.load(Ordering::SeqCst) < 50 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }

    let copy = dir.path().join("copy.db");
    let before = acked.load(Ordering::SeqCst);
    let report = json(&vigil(&data, &["backup", copy.to_str().unwrap(), "--json"]));
    let after = acked.load(Ordering::SeqCst);
    // Writing goes on after the copy: the server was not held up by it.
    while acked.load(Ordering::SeqCst) < after + 20 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().expect("writer");
    }
    let total = acked.load(Ordering::SeqCst);
    let _ = child.kill();
    let _ = child.wait();

    let tips = report["tips"].as_u64().expect("tips");
    assert!(
        before <= tips && tips <= total,
        "{before} acknowledged before, {tips} in the copy, {total} in all"
    );
    assert_eq!(
        report["bytes"].as_u64(),
        std::fs::metadata(&copy).ok().map(|m| m.len())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The original holds every acknowledged tip, once.
    let stats = json(&vigil(&data, &["stats", "--format", "json"]));
    assert_eq!(stats["tips"].as_u64(), Some(total));

    // Restore: the copy as vigil.db beside the key file.
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::copy(&copy, restored.join("vigil.db")).unwrap();
    std::fs::copy(data.join("vigil.key"), restored.join("vigil.key")).unwrap();
    let verified = stdout(&vigil(&restored, &["audit", "verify"]));
    assert!(verified.contains("audit chain whole"), "{verified}");
    let stats = json(&vigil(&restored, &["stats", "--format", "json"]));
    assert_eq!(stats["tips"].as_u64(), Some(tips));

    // An existing file is never overwritten.
    let again = vigil(&data, &["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success());
}
