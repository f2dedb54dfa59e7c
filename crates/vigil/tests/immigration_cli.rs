//! `vigil immigration import` and `export` as processes: a file with a bad
//! row names it and stores nothing; a good one is imported; the export
//! prints the nationality's departures with the identities opened; an
//! analyst may do neither.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{text, vigil};

const HEADER: &str = "name,nationality,passport,date_of_birth,departed_on,port\n";

#[test]
fn import_then_export_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    for (user, role) in [("dara", "immigration"), ("vicheka", "analyst")] {
        let o = vigil(&data, &["user", "add", user, "--role", role]);
        assert!(o.status.success(), "{:?}", text(&o));
    }
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{HEADER}Zhang Wei,CN,E1,1990-01-02,2026-03-01,KTI\nLi Na,CN,,,2026-03-01,ATLANTIS\n"
        ),
    )
    .unwrap();
    let o = vigil(
        &data,
        &[
            "immigration",
            "import",
            bad.to_str().unwrap(),
            "--as",
            "dara",
        ],
    );
    assert!(!o.status.success());
    let (_, err) = text(&o);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("Row 3, Exit post: "), "{err}");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!(
            "{HEADER}Zhang Wei,CN,E1,1990-01-02,2026-03-01,KTI\nLi Na,cn,,,2026-03-02,poipet\nTran Thi B,VN,,,2026-03-02,BAVET\n"
        ),
    )
    .unwrap();
    let o = vigil(
        &data,
        &[
            "immigration",
            "import",
            good.to_str().unwrap(),
            "--as",
            "dara",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(
        text(&o).0.contains("imported 3 departures"),
        "{:?}",
        text(&o)
    );

    let export = |user: &str| {
        vigil(
            &data,
            &[
                "immigration",
                "export",
                "--nationality",
                "CN",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--as",
                user,
            ],
        )
    };
    let o = export("dara");
    assert!(o.status.success(), "{:?}", text(&o));
    let out = text(&o).0;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("record,reference,kind,status,name,passport"));
    assert!(
        out.contains(",voluntary,,Zhang Wei,E1,1990-01-02,CN,2026-03-01,KTI,"),
        "{out}"
    );
    assert!(
        out.contains(",voluntary,,Li Na,,,CN,2026-03-02,POIPET,"),
        "{out}"
    );
    assert!(!out.contains("Tran"));

    let o = export("vicheka");
    assert!(!o.status.success());
    assert!(text(&o).1.contains("may not"), "{:?}", text(&o));
    let o = vigil(
        &data,
        &[
            "immigration",
            "import",
            good.to_str().unwrap(),
            "--as",
            "nobody",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).1.contains("nobody"), "{:?}", text(&o));
}
