//! The check leaves no trace: after checks through the page, the JSON API
//! and the range API of a server logging at trace level, neither the data
//! directory nor the log holds the checked values. And `vigil feed export`
//! writes files that `vigil feed verify` accepts, and refuses once altered.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::{text, vigil};
use vigil_domain::check::ValueDigest;

/// One request on its own connection; the whole answer.
fn request(addr: &str, head: &str, content_type: &str, body: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{head} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p.display().to_string(), bytes));
        }
    }
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_check_leaves_no_trace_in_the_data_or_the_logs() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let log = std::fs::File::create(dir.path().join("stderr.log")).expect("log");
    let (mut child, addr) = common::serve(&data, &[], &[("RUST_LOG", "trace")], log.into());
    let words = "zqcanary7731 call 097 731 7731 or @canarybird77";
    let page = request(
        &addr,
        "POST /en/check",
        "application/x-www-form-urlencoded",
        &format!("text={}", words.replace(' ', "+").replace('@', "%40")),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("canarybird77"),
        "the answer names what was checked"
    );
    let api = request(
        &addr,
        "POST /api/v1/check",
        "application/json",
        &format!(r#"{{"text":"{words}"}}"#),
    );
    assert!(api.starts_with("HTTP/1.1 200"), "{api}");
    let prefix = ValueDigest::of("canarybird77").range().hex();
    let range = request(
        &addr,
        &format!("GET /api/v1/check/range/{prefix}"),
        "text/plain",
        "",
    );
    assert!(range.starts_with("HTTP/1.1 200"), "{range}");
    let _ = child.kill();
    let _ = child.wait();

    let mut stored = Vec::new();
    files(&data, &mut stored);
    assert!(!stored.is_empty());
    let logged = std::fs::read(dir.path().join("stderr.log")).expect("log");
    for needle in [
        "zqcanary7731",
        "canarybird77",
        "977317731",
        "97 731 7731",
        &prefix,
    ] {
        for (name, bytes) in &stored {
            assert!(!holds(bytes, needle), "{needle} stored in {name}");
        }
        assert!(!holds(&logged, needle), "{needle} logged");
    }
}

#[test]
fn the_exported_feed_verifies_and_an_altered_one_does_not() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let out = dir.path().join("feed");
    let export = vigil(
        &data,
        &["feed", "export", "--out", out.to_str().expect("path")],
    );
    let (o, e) = text(&export);
    assert!(export.status.success(), "{o}{e}");
    assert!(o.contains("0 confirmed values written"), "{o}");
    let json = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("json file");
    let key = out.join("feed.key");
    let args = |file: &Path| {
        vec![
            "feed".to_string(),
            "verify".to_string(),
            file.display().to_string(),
            "--key".to_string(),
            key.display().to_string(),
        ]
    };
    let run = |file: &Path| {
        let a = args(file);
        vigil(&data, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let ok = run(&json);
    assert!(ok.status.success(), "{:?}", text(&ok));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
    assert_eq!(doc["format"], "vigil-feed-1");
    assert_eq!(doc["count"], 0);
    let altered = std::fs::read_to_string(&json)
        .expect("read")
        .replace("\"count\": 0", "\"count\": 1");
    std::fs::write(&json, altered).expect("write");
    let bad = run(&json);
    assert!(!bad.status.success());
    assert!(text(&bad).1.contains("does not hold"), "{:?}", text(&bad));
}
