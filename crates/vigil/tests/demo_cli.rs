//! `vigil demo --no-serve` then `vigil stats --format json` as processes, on
//! every available backend: the printed totals equal the ground truth the demo
//! wrote, with every key the issue names; a period before the campaign counts
//! nothing; a second build into the same store is refused.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use vigil_testkit::{Backend, TestDb, backends};

fn vigil(data: &Path, url: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"));
    c.args(args).arg("--data-dir").arg(data);
    if url.is_empty() {
        c.env_remove("VIGIL_DATABASE_URL");
    } else {
        c.env("VIGIL_DATABASE_URL", url);
    }
    c.output().expect("run vigil")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn stats_prints_the_demo_truth() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let url = if b == Backend::Postgres {
            db.url.clone()
        } else {
            String::new()
        };
        let data = db.dir.path().join("demo");
        let out = ok(&vigil(
            &data,
            &url,
            &["demo", "--scale", "0.005", "--no-serve"],
        ));
        assert!(
            out.contains("demo.officer") && out.contains("/staff/setup/"),
            "{out}"
        );
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(data.join("demo-truth.json")).unwrap())
                .unwrap();

        let stats: Value =
            serde_json::from_str(&ok(&vigil(&data, &url, &["stats", "--format", "json"]))).unwrap();
        for key in [
            "tips",
            "facilities",
            "locations_raided",
            "networks_dismantled",
            "devices_seized",
            "persons_met",
            "victims_identified",
            "defendants_prosecuted",
            "deportations",
            "voluntary_departures",
            "detentions",
            "recruiters_arrested",
            "recruiters_arrested_foreign",
            "recruiters_arrested_by_province",
        ] {
            assert!(stats.get(key).is_some(), "{key} missing from {stats}");
            assert_eq!(stats[key], truth[key], "{key}: {stats} vs {truth}");
        }
        assert!(stats["devices_seized"]["computer"].as_u64().unwrap() > 0);
        assert!(stats["devices_seized"]["smartphone"].as_u64().unwrap() > 0);
        assert!(stats["recruiters_arrested"].as_u64().unwrap() > 0);

        let before: Value = serde_json::from_str(&ok(&vigil(
            &data,
            &url,
            &["stats", "--from", "2020-01-01", "--to", "2020-12-31"],
        )))
        .unwrap();
        assert_eq!(before["tips"], 0);
        assert_eq!(before["locations_raided"], 0);
        assert_eq!(before["period"]["from"], "2020-01-01");

        let again = vigil(&data, &url, &["demo", "--scale", "0.005", "--no-serve"]);
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
        let bad = vigil(&data, &url, &["stats", "--from", "2026-02-30"]);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));
    }
}
