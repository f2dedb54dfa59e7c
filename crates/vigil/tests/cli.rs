//! The CLI as a process: import, audit verify, gazetteer search, config example.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{text, vigil};

use std::path::Path;
use std::process::{Command, Output};

#[test]
fn import_twice_stores_once_and_reports_refused_lines() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = dir.path().join("tips.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"ref":"HL-1","text":"ឃុំមនុស្សនៅប៉ោយប៉ែត","category":"trafficking","province_code":"01","district_code":"0110","received_at":"2025-03-15T08:30:00+07:00","channel":"hotline"}"#,
            r#"{"ref":"HL-2","text":"job lure on Telegram @hr_asia","category":"recruitment"}"#,
            "",
            r#"{"ref":"HL-3","text":"bad commune","district_code":"0110","commune_code":"200802"}"#,
            r#"{"text":"no ref"}"#,
            r#"{"ref":"HL-4","text":"bad date","received_at":"yesterday"}"#,
            "not json at all",
            r#"{"ref":"HL-1","text":"same ref again in the same file"}"#,
        ]
        .join("\n"),
    )
    .expect("write");
    let report = dir.path().join("refused.jsonl");
    let first = vigil(
        &data,
        &[
            "import",
            "tips",
            file.to_str().unwrap_or_default(),
            "--report",
            report.to_str().unwrap_or_default(),
        ],
    );
    let (out, err) = text(&first);
    assert!(
        !first.status.success(),
        "refused lines make the exit non-zero"
    );
    assert!(
        out.contains("7 lines read: 2 stored, 0 already stored (skipped), 5 refused"),
        "{out}\n{err}"
    );
    assert!(
        err.contains("(ref HL-1): `ref` \"HL-1\" was already imported")
            && err.contains("with a different text: nothing stored"),
        "a used ref with another text is refused, not skipped: {err}"
    );
    assert!(err.contains("line 4 (ref HL-3)"), "{err}");
    assert!(err.contains("line 5: `ref` is required"), "{err}");
    assert!(err.contains("line 6 (ref HL-4): received_at"), "{err}");
    assert!(err.contains("line 7: not a valid JSON object"), "{err}");
    let refused = std::fs::read_to_string(&report).expect("report");
    assert_eq!(refused.lines().count(), 5);

    let second = vigil(
        &data,
        &["import", "tips", file.to_str().unwrap_or_default()],
    );
    let (out, _) = text(&second);
    assert!(
        out.contains("0 stored, 2 already stored (skipped), 5 refused"),
        "{out}"
    );

    let verify = vigil(&data, &["audit", "verify"]);
    let (out, err) = text(&verify);
    assert!(verify.status.success(), "{out}{err}");
    assert!(
        out.contains("audit chain whole: 2 entries verified"),
        "{out}"
    );
}

#[tokio::test]
async fn audit_verify_names_the_first_tampered_entry() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = dir.path().join("tips.jsonl");
    let lines: Vec<String> = (1..=5)
        .map(|i| format!(r#"{{"ref":"R{i}","text":"tip {i}"}}"#))
        .collect();
    std::fs::write(&file, lines.join("\n")).expect("write");
    assert!(
        vigil(
            &data,
            &["import", "tips", file.to_str().unwrap_or_default()]
        )
        .status
        .success()
    );
    assert!(vigil(&data, &["audit", "verify"]).status.success());

    let url = format!("sqlite://{}", data.join("vigil.db").display());
    let mut c = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("open db");
    sqlx::query("UPDATE audit SET detail = 'rewritten' WHERE seq = 3")
        .execute(&mut c)
        .await
        .expect("tamper");
    c.close().await.expect("close");

    let verify = vigil(&data, &["audit", "verify"]);
    let (_, err) = text(&verify);
    assert!(!verify.status.success());
    assert!(err.contains("entry 3"), "{err}");
}

#[test]
fn gazetteer_search_finds_variants_and_khmer() {
    let dir = tempfile::tempdir().expect("dir");
    for (q, code) in [
        ("Sihanoukville", "18"),
        ("Preah Sihanouk", "18"),
        ("Kampong Som", "18"),
        ("កំពត", "07"),
        ("1806", "1806"),
    ] {
        let o = vigil(
            dir.path(),
            &["gazetteer", "search", q, "--json", "--limit", "3"],
        );
        let (out, err) = text(&o);
        assert!(o.status.success(), "{q}: {err}");
        let first: serde_json::Value =
            serde_json::from_str(out.lines().next().unwrap_or("")).expect("json");
        assert_eq!(first["code"], code, "{q}");
    }
    let none = vigil(dir.path(), &["gazetteer", "search", "Atlantis"]);
    assert!(!none.status.success());
}

#[test]
fn config_example_is_printed_and_is_valid() {
    let dir = tempfile::tempdir().expect("dir");
    let o = vigil(dir.path(), &["config", "example"]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.contains("[storage]") && out.contains("argon2_memory_kib"));
    let cfg = dir.path().join("vigil.toml");
    std::fs::write(&cfg, out.replace("max_photos = 5", "max_photos = 2")).expect("write");
    let shown = vigil(
        dir.path(),
        &[
            "config",
            "show",
            "--config",
            cfg.to_str().unwrap_or_default(),
        ],
    );
    let (out, err) = text(&shown);
    assert!(shown.status.success(), "{err}");
    assert!(out.contains("max_photos: 2"), "{out}");
    // The environment wins over the file.
    let env = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "config",
            "show",
            "--config",
            cfg.to_str().unwrap_or_default(),
        ])
        .env("VIGIL_INTAKE__MAX_PHOTOS", "3")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&env.stdout).contains("max_photos: 3"));
}

#[test]
fn serve_prints_its_url_and_creates_the_data_dir() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("fresh");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env_remove("VIGIL_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("line");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("Vigil is listening on http://127.0.0.1:"),
        "{line}"
    );
    assert!(data.join("vigil.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("vigil.key"))
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// An acknowledged tip survives the server being killed right after the
/// acknowledgement, and even at trace level the log names no client address
/// or user agent.
#[test]
fn an_acknowledged_tip_survives_a_kill_and_logs_name_no_client() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let log = std::fs::File::create(dir.path().join("stderr.log")).expect("log");
    let (mut child, addr) = common::serve(&data, &[], &[("RUST_LOG", "trace")], log.into());
    let body = r#"{"text":"kill test: held in building C"}"#;
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        s,
        "POST /api/v1/tips HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: KillProbe/1.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut head = [0u8; 12];
    s.read_exact(&mut head).expect("status");
    // Kill at once: no graceful shutdown, no chance to flush anything later.
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(&head[9..12], b"201");
    let verify = vigil(&data, &["audit", "verify"]);
    let (out, err) = text(&verify);
    // The tip's entry, the first start's admin account and its setup link.
    assert!(out.contains("3 entries verified"), "{out}{err}");
    let logged = std::fs::read_to_string(dir.path().join("stderr.log")).expect("read log");
    assert!(
        !logged.contains("127.0.0.1") && !logged.contains("KillProbe"),
        "{logged}"
    );
}

/// `vigil import tips` runs the pipeline; `vigil export facilities` writes the
/// clusters with their refs, priority and reasons; importing again and
/// exporting again gives the same facilities under the same ids.
#[test]
fn import_then_export_reproduces_the_clustering() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = dir.path().join("tips.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"ref":"A1","text":"Recruiter on 012 345 678 took our passports, we are locked in","province_code":"18"}"#, "\n",
            r#"{"ref":"A2","text":"ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨ ជាអ្នកជ្រើសរើស","province_code":"18"}"#, "\n",
            r#"{"ref":"B1","text":"Compound in Bavet, telegram @bavet_boss","province_code":"20"}"#, "\n",
            r#"{"ref":"B2","text":"contact t.me/bavet_boss for the job","province_code":"20"}"#, "\n",
            r#"{"ref":"C1","text":"Lights all night in a closed building","province_code":"07"}"#, "\n",
        ),
    )
    .expect("write");
    let out = vigil(&data, &["import", "tips", file.to_str().expect("path")]);
    let (o, e) = text(&out);
    assert!(out.status.success(), "{o}{e}");
    assert!(o.contains("pipeline: 5 tips processed"), "{o}");
    let export = |data: &Path| -> Vec<serde_json::Value> {
        let out = vigil(data, &["export", "facilities", "--format", "jsonl"]);
        let (o, e) = text(&out);
        assert!(out.status.success(), "{o}{e}");
        o.lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    };
    let first = export(&data);
    assert_eq!(first.len(), 3, "{first:?}");
    // Highest priority first: the life-safety facility.
    assert_eq!(first[0]["tips"], serde_json::json!(["A1", "A2"]));
    assert_eq!(first[0]["province_code"], "18");
    let codes: Vec<&str> = first[0]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"held") && codes.contains(&"passports_taken"),
        "{codes:?}"
    );
    assert!(first[0]["priority"].as_f64() > first[1]["priority"].as_f64());
    let mut groups: Vec<Vec<String>> = first
        .iter()
        .map(|f| {
            f["tips"]
                .as_array()
                .expect("tips")
                .iter()
                .map(|t| t.as_str().expect("ref").to_string())
                .collect()
        })
        .collect();
    groups.sort();
    assert_eq!(groups, vec![vec!["A1", "A2"], vec!["B1", "B2"], vec!["C1"]]);
    let again = vigil(&data, &["import", "tips", file.to_str().expect("path")]);
    assert!(again.status.success());
    let second = export(&data);
    let ids = |v: &[serde_json::Value]| -> Vec<(i64, serde_json::Value)> {
        v.iter()
            .map(|f| (f["id"].as_i64().expect("id"), f["tips"].clone()))
            .collect()
    };
    assert_eq!(ids(&first), ids(&second), "same facilities, same ids");
}

/// Runs `vigil screen` with `args`, `stdin` as input, and a data directory
/// that does not exist (unless `args` give one): no store, no watchlist.
fn screen(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("screen")
        .args(args)
        .env("VIGIL_DATA_DIR", "/nonexistent/vigil-data")
        .env_remove("VIGIL_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run vigil screen");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("vigil screen output")
}

const TRAVELLER: &str = r#"{"ref":"AIR-1","sex":"female","age":22,"nationality":"KH","destination":"MM","purpose":"tourism","documents":{"passport":true,"visa":"tourist","work_permit":false,"employment_contract":false,"return_ticket":false},"guarantor":"none","cash_usd":30,"ticket_paid_by":"recruiter","documents_held_by_other":false,"companion_answers":false,"job_offer":{"text":"Salary $2,500, no experience","contact":"@hr_asia","employer":""},"officer_notes":""}"#;

#[test]
fn screen_evaluates_a_batch_without_storing_and_names_bad_lines() {
    let clean = TRAVELLER
        .replace("AIR-1", "AIR-2")
        .replace(r#""guarantor":"none""#, r#""guarantor":"verified""#)
        .replace(r#""cash_usd":30"#, r#""cash_usd":500"#)
        .replace(
            r#""ticket_paid_by":"recruiter""#,
            r#""ticket_paid_by":"self""#,
        )
        .replace(r#""return_ticket":false"#, r#""return_ticket":true"#)
        .replace(
            r#"{"text":"Salary $2,500, no experience","contact":"@hr_asia","employer":""}"#,
            "null",
        );
    let bad_age = TRAVELLER.replace(r#""age":22"#, r#""age":130"#);
    let bad_visa = TRAVELLER.replace(r#""visa":"tourist""#, r#""visa":"maybe""#);
    let input = [TRAVELLER, bad_age.as_str(), "", &clean, &bad_visa].join("\n");
    let o = screen(&["--format", "jsonl"], &input);
    let (out, err) = text(&o);
    assert!(!o.status.success(), "bad lines make the exit non-zero");
    assert!(err.contains("2 line(s) refused"), "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");

    let first = &lines[0];
    assert_eq!(first["ref"], "AIR-1");
    assert_eq!(first["outcome"], "refer");
    assert_eq!(first["policy"], "default@2026.11.1");
    let reasons = first["reasons"].as_array().expect("reasons");
    let funds = reasons
        .iter()
        .find(|r| r["code"] == "funds_below_minimum")
        .expect("funds reason");
    assert_eq!(funds["evidence"], "carries 30 USD, minimum 50");
    assert_eq!(funds["weight"], 2);
    let score: u64 = reasons
        .iter()
        .map(|r| r["weight"].as_u64().expect("weight"))
        .sum();
    assert_eq!(first["score"], score);
    for code in [
        "purpose_mismatch",
        "job_offer_red_flags",
        "ticket_paid_by_third_party",
    ] {
        assert!(
            reasons.iter().any(|r| r["code"] == code),
            "{code} in {first}"
        );
    }

    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["field"], "age");
    assert!(lines[1]["error"].as_str().expect("error").contains("120"));
    assert_eq!(lines[2]["ref"], "AIR-2");
    assert_eq!(lines[2]["outcome"], "clear");
    assert_eq!(lines[2]["score"], 0);
    assert_eq!(lines[3]["line"], 5);
    assert_eq!(lines[3]["field"], "documents.visa");
}

#[test]
fn screen_takes_a_policy_file_and_refuses_a_bad_one() {
    let dir = tempfile::tempdir().expect("dir");
    let policy = dir.path().join("strict.toml");
    std::fs::write(
        &policy,
        "name = \"strict\"\nversion = \"2\"\nminimum_cash_usd = 100\n[bands]\ninterview = 1\nrefer = 50\n\
         [[indicators]]\ncode = \"funds_below_minimum\"\nweight = 1\nquestion_en = \"How much?\"\nquestion_km = \"ប៉ុន្មាន?\"\n",
    )
    .expect("write policy");
    let o = screen(&["--policy", policy.to_str().expect("path")], TRAVELLER);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(line["policy"], "strict@2");
    assert_eq!(line["outcome"], "interview");
    assert_eq!(
        line["reasons"][0]["evidence"],
        "carries 30 USD, minimum 100"
    );

    let watchlist = dir.path().join("watch.jsonl");
    std::fs::write(
        &watchlist,
        "{\"value\":\"t.me/HR_Asia\",\"label\":\"facility F-9\"}\n",
    )
    .expect("write");
    let o = screen(
        &["--watchlist", watchlist.to_str().expect("path")],
        TRAVELLER,
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("contact hr_asia is tied to facility F-9"),
        "{out}"
    );
    std::fs::write(&watchlist, "{\"value\":\"x\"}\n").expect("write");
    let o = screen(
        &["--watchlist", watchlist.to_str().expect("path")],
        TRAVELLER,
    );
    assert!(!o.status.success());
    assert!(text(&o).1.contains("watchlist line 1"), "{}", text(&o).1);

    std::fs::write(
        &policy,
        "name = \"x\"\nversion = \"1\"\nminimum_cash_usd = 50\n[bands]\ninterview = 1\nrefer = 2\n\
         [[indicators]]\ncode = \"looks_nervous\"\nweight = 1\nquestion_en = \"?\"\nquestion_km = \"?\"\n",
    )
    .expect("write policy");
    let o = screen(&["--policy", policy.to_str().expect("path")], TRAVELLER);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(err.contains("unknown indicator `looks_nervous`"), "{err}");
}

/// Without `--watchlist`, `vigil screen --data-dir` matches the job offer's
/// contact, typed in another format, against numbers from recruitment tips,
/// and names the facility behind them; it stores nothing.
#[test]
fn screen_uses_the_watchlist_built_from_the_tips() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = dir.path().join("tips.jsonl");
    std::fs::write(
        &file,
        r#"{"ref":"HL-1","text":"recruiter on 012 345 678 promised a casino job","category":"recruitment"}"#,
    )
    .expect("write");
    let out = vigil(&data, &["import", "tips", file.to_str().expect("path")]);
    assert!(out.status.success(), "{:?}", text(&out));
    let before = vigil(&data, &["audit", "verify"]);
    let traveller = TRAVELLER.replace("@hr_asia", "+855-12-345-678");
    let o = screen(&["--data-dir", data.to_str().expect("path")], &traveller);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    let hit = line["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| r["code"] == "watchlist_match")
        .unwrap_or_else(|| panic!("no watchlist reason in {line}"));
    assert!(
        hit["evidence"]
            .as_str()
            .expect("evidence")
            .contains("facility 1"),
        "{hit}"
    );
    assert_eq!(line["outcome"], "refer");
    let after = vigil(&data, &["audit", "verify"]);
    assert_eq!(text(&before).0, text(&after).0, "nothing stored");
}

/// When standard output is not a terminal, the first start's admin setup
/// link goes to a private file in the data directory (it is not in the
/// output), and it names the address actually listened on.
#[test]
fn the_first_admin_link_goes_to_a_private_file_when_output_is_not_a_terminal() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("fresh");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-worker",
            "--data-dir",
        ])
        .arg(&data)
        .env_remove("VIGIL_DATABASE_URL")
        .env_remove("VIGIL_STAFF__PUBLIC_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).expect("line");
    out.read_line(&mut second).expect("line");
    let _ = child.kill();
    let _ = child.wait();
    let listening = first
        .trim()
        .strip_prefix("Vigil is listening on ")
        .and_then(|r| r.split_once(' '))
        .map(|(u, _)| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("{first}"));
    assert!(!listening.ends_with(":0"), "{listening}");
    let path = data.join("admin-setup-link.txt");
    assert!(
        second.contains(&path.display().to_string()) && !second.contains("/staff/setup/"),
        "{second}"
    );
    let link = std::fs::read_to_string(&path).expect("link file");
    assert!(
        link.trim()
            .starts_with(&format!("{listening}/staff/setup/")),
        "{link} under {listening}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// `vigil user add` gives a link under `public_url` when it is set.
#[test]
fn user_add_links_under_the_public_url() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "user",
            "add",
            "officer.one",
            "--role",
            "officer",
            "--data-dir",
        ])
        .arg(dir.path())
        .env_remove("VIGIL_DATABASE_URL")
        .env("VIGIL_STAFF__PUBLIC_URL", "https://tips.example.org/")
        .output()
        .expect("run vigil");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("https://tips.example.org/staff/setup/"),
        "{stdout}"
    );
}
