//! The audit chain through the CLI on a real SQLite file edited with SQL:
//! edits, deletions and truncations named; the head and signed checkpoints
//! as anchors; the unkeyed recomputation that passed before refused; a chain
//! upgraded from unkeyed entries.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{text, vigil};

use std::path::{Path, PathBuf};

use sqlx::{Connection, Row, SqliteConnection};
use vigil_domain::audit::{NewAuditEntry, unkeyed_hash};

/// Imports `n` tips (one audit entry each) into `data`.
fn import(dir: &Path, data: &Path, from: usize, n: usize) {
    let file = dir.join(format!("tips-{from}.jsonl"));
    let lines: Vec<String> = (from..from + n)
        .map(|i| format!(r#"{{"ref":"R{i}","text":"tip {i}"}}"#))
        .collect();
    std::fs::write(&file, lines.join("\n")).expect("write");
    let o = vigil(data, &["import", "tips", file.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
}

fn head(data: &Path) -> String {
    let o = vigil(data, &["audit", "head"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(err.contains("vigil audit verify --expect"), "{err}");
    out.trim().to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

async fn db(data: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}", data.join("vigil.db").display());
    SqliteConnection::connect(&url).await.expect("open db")
}

async fn sql(data: &Path, statements: &[String]) {
    let mut c = db(data).await;
    for s in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(s.clone()))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    c.close().await.expect("close");
}

/// A fresh copy of the pristine data directory.
fn fresh(pristine: &Path, dir: &Path, n: usize) -> PathBuf {
    let data = dir.join(format!("case-{n}"));
    copy_dir(pristine, &data);
    data
}

struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test]
async fn thirty_sql_edits_of_a_real_database_are_each_named_by_the_cli() {
    let dir = tempfile::tempdir().expect("dir");
    let pristine = dir.path().join("pristine");
    import(dir.path(), &pristine, 1, 12);
    let anchor = head(&pristine);
    assert!(anchor.starts_with("12:"), "{anchor}");
    let ok = vigil(&pristine, &["audit", "verify", "--expect", &anchor]);
    let (out, err) = text(&ok);
    assert!(ok.status.success(), "{out}{err}");
    assert!(out.contains("holds 12:"), "{out}");

    let mut rng = Seeded(0x00a0_d17e);
    for case in 0..30 {
        let data = fresh(&pristine, dir.path(), case);
        let k = 1 + rng.below(12) as i64;
        let (statement, named) = match case % 10 {
            0 => (
                format!("UPDATE audit SET actor = 'mallory' WHERE seq = {k}"),
                format!("entry {k}: its hash does not match"),
            ),
            1 => (
                format!(
                    "UPDATE audit SET action = CASE action WHEN 'tip.assign' THEN 'tip.create' \
                     ELSE 'tip.assign' END WHERE seq = {k}"
                ),
                format!("entry {k}: its hash does not match"),
            ),
            2 => (
                format!(
                    "UPDATE audit SET detail = 'rewritten', object = 'tip:999' WHERE seq = {k}"
                ),
                format!("entry {k}: its hash does not match"),
            ),
            3 => (
                format!("UPDATE audit SET at_unix_nanos = at_unix_nanos + 1 WHERE seq = {k}"),
                format!("entry {k}: its hash does not match"),
            ),
            4 => (
                format!("UPDATE audit SET hash = lower(hex(randomblob(32))) WHERE seq = {k}"),
                format!("entry {k}: its hash does not match"),
            ),
            5 => (
                format!("UPDATE audit SET prev_hash = lower(hex(randomblob(32))) WHERE seq = {k}"),
                format!("entry {k}: it does not follow"),
            ),
            6 => (
                format!("UPDATE audit SET seq = 1000 + {k} WHERE seq = {k}"),
                if k < 12 {
                    format!("expected entry {k} here")
                } else {
                    "rewritten: entry 12".into()
                },
            ),
            7 if k < 12 => (
                format!("DELETE FROM audit WHERE seq = {k}"),
                format!("expected entry {k} here (entries missing)"),
            ),
            _ => (
                format!("DELETE FROM audit WHERE seq >= {k}"),
                format!("truncated: {} entries where 12 were recorded", k - 1),
            ),
        };
        sql(&data, std::slice::from_ref(&statement)).await;
        let o = vigil(&data, &["audit", "verify", "--expect", &anchor]);
        let (out, err) = text(&o);
        assert!(
            !o.status.success(),
            "case {case} ({statement}) passed: {out}"
        );
        assert!(err.contains(&named), "case {case} ({statement}): {err}");
    }
}

/// Rewrites every entry from `from` on as a version without keys would
/// have written it (renumbered from `from`, SHA-256 hashes).
async fn recompute_unkeyed(data: &Path, from: i64) {
    let mut c = db(data).await;
    let rows = sqlx::query("SELECT * FROM audit ORDER BY seq")
        .fetch_all(&mut c)
        .await
        .expect("rows");
    let mut prev = vigil_domain::audit::GENESIS.to_string();
    let mut seq = 0i64;
    for r in rows {
        seq += 1;
        let old_seq: i64 = r.get("seq");
        let hash: String = r.get("hash");
        if seq < from {
            prev = hash;
            continue;
        }
        let action: String = r.get("action");
        let entry = NewAuditEntry {
            actor: r.get("actor"),
            action: vigil_domain::AuditAction::ALL
                .iter()
                .copied()
                .find(|a| a.name() == action)
                .expect("action"),
            object: r.get("object"),
            detail: r.get("detail"),
        };
        let at: i64 = r.get("at_unix_nanos");
        let new_hash = unkeyed_hash(&prev, seq, at, &entry);
        sqlx::query("UPDATE audit SET seq = ?, prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(seq)
            .bind(&prev)
            .bind(&new_hash)
            .bind(old_seq)
            .execute(&mut c)
            .await
            .expect("rewrite");
        prev = new_hash;
    }
    c.close().await.expect("close");
}

#[tokio::test]
async fn deleting_an_entry_and_recomputing_the_hashes_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    import(dir.path(), &data, 1, 6);
    sql(&data, &["DELETE FROM audit WHERE seq = 3".to_string()]).await;
    recompute_unkeyed(&data, 3).await;
    let o = vigil(&data, &["audit", "verify"]);
    let (out, err) = text(&o);
    assert!(!o.status.success(), "the attack that passed before: {out}");
    assert!(err.contains("entry 3: it carries an unkeyed hash"), "{err}");
}

#[tokio::test]
async fn a_chain_from_before_keys_verifies_up_to_where_it_was_keyed_and_no_further() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    import(dir.path(), &data, 1, 4);
    // As an older version left it: unkeyed hashes and a key file that says
    // nothing of the audit chain.
    recompute_unkeyed(&data, 1).await;
    let key_path = data.join("vigil.key");
    let mut key: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key_path).expect("key")).expect("json");
    key.as_object_mut()
        .expect("object")
        .remove("audit_keyed_from");
    std::fs::write(&key_path, key.to_string()).expect("write key");

    let o = vigil(&data, &["audit", "verify"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(
        out.contains("4 entries before entry 5 carry unkeyed hashes"),
        "{out}"
    );
    let key: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key_path).expect("key")).expect("json");
    assert_eq!(key["audit_keyed_from"], 5);

    import(dir.path(), &data, 10, 3);
    let o = vigil(&data, &["audit", "verify"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(
        out.contains("audit chain whole: 7 entries verified"),
        "{out}"
    );

    // Deleting an old entry and recomputing without the key: refused where
    // the keyed entries begin.
    sql(&data, &["DELETE FROM audit WHERE seq = 2".to_string()]).await;
    recompute_unkeyed(&data, 2).await;
    let o = vigil(&data, &["audit", "verify"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("entry 5: it carries an unkeyed hash, but the chain is keyed from entry 5"),
        "{err}"
    );
}

#[tokio::test]
async fn signed_checkpoints_anchor_the_chain_and_name_a_truncation() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let checkpoints = dir.path().join("elsewhere").join("vigil.checkpoints");
    std::fs::create_dir_all(checkpoints.parent().unwrap()).expect("mkdir");
    import(dir.path(), &data, 1, 3);
    let printed = vigil(&data, &["audit", "checkpoint"]);
    let (line, err) = text(&printed);
    assert!(printed.status.success(), "{err}");
    let env: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON line");
    let signed: serde_json::Value =
        serde_json::from_str(env["signed"].as_str().expect("signed")).expect("signed json");
    assert_eq!(signed["count"], 3);
    assert!(signed["at"].as_str().is_some_and(|a| a.ends_with('Z')));
    std::fs::write(&checkpoints, &line).expect("first");
    import(dir.path(), &data, 10, 4);
    let o = vigil(
        &data,
        &[
            "audit",
            "checkpoint",
            "--out",
            checkpoints.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let file = checkpoints.to_str().unwrap();
    let o = vigil(&data, &["audit", "verify", "--checkpoints", file]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("holds all 2 checkpoints"), "{out}");

    sql(&data, &["DELETE FROM audit WHERE seq >= 6".to_string()]).await;
    let o = vigil(&data, &["audit", "verify"]);
    assert!(o.status.success(), "a truncated chain walks whole");
    let o = vigil(&data, &["audit", "verify", "--checkpoints", file]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains(&format!(
            "checkpoint {file}:2: truncated: 5 entries where 7 were recorded"
        )),
        "{err}"
    );

    // A checkpoint edited by hand no longer verifies.
    let forged = std::fs::read_to_string(&checkpoints)
        .expect("read")
        .replace("\\\"count\\\":7", "\\\"count\\\":5");
    std::fs::write(&checkpoints, forged).expect("forge");
    let o = vigil(&data, &["audit", "verify", "--checkpoints", file]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("line 2: its signature does not verify"),
        "{err}"
    );
}
