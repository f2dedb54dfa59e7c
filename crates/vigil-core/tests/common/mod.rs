//! What the core's end-to-end tests share: one `Env` per backend and staff
//! accounts as principals.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;
use vigil_core::keys::Keys;
use vigil_core::staff::Principal;
use vigil_core::{Settings, Vigil};
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_store::NewStaff;

/// One backend under test.
pub struct Env {
    /// Vigil over it.
    pub v: Vigil,
    /// Its database URL (for tampering with rows directly).
    pub url: String,
    /// Its data directory (the SQLite files), removed when dropped.
    pub dir: tempfile::TempDir,
}

/// A fresh SQLite store and, when `VIGIL_TEST_POSTGRES_URL` is set, a fresh
/// PostgreSQL database named after `db` and the process.
pub async fn envs(db: &str) -> Vec<Env> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("dir");
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().to_path_buf();
    let keys = Keys::ephemeral().expect("keys");
    let store = vigil_backends::open_store("", dir.path(), keys.audit_key())
        .await
        .expect("sqlite");
    let url = format!(
        "sqlite://{}",
        dir.path().join(vigil_backends::SQLITE_DB_FILE).display()
    );
    out.push(Env {
        v: Vigil::new(store, keys, settings),
        url,
        dir,
    });
    if let Ok(admin) = std::env::var("VIGIL_TEST_POSTGRES_URL")
        && !admin.trim().is_empty()
    {
        // One database per call: tests of one binary run in parallel.
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "vigil_{db}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = sqlx::PgConnection::connect(&admin).await.expect("admin");
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .expect("create");
        }
        let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
        let base = &base[..base.rfind('/').expect("url path")];
        let url = if query.is_empty() {
            format!("{base}/{name}")
        } else {
            format!("{base}/{name}?{query}")
        };
        let dir = tempfile::tempdir().expect("dir");
        let mut settings = Settings::default();
        settings.storage.data_dir = dir.path().to_path_buf();
        let keys = Keys::ephemeral().expect("keys");
        let store = vigil_backends::open_store(&url, dir.path(), keys.audit_key())
            .await
            .expect("pg");
        out.push(Env {
            v: Vigil::new(store, keys, settings),
            url,
            dir,
        });
    } else {
        eprintln!("note: VIGIL_TEST_POSTGRES_URL not set; testing SQLite only");
    }
    out
}

/// A staff account (national when `provinces` is empty) as a principal.
pub async fn staff(v: &Vigil, name: &str, role: Role, provinces: &[&str]) -> Principal {
    let jurisdiction = if provinces.is_empty() {
        Jurisdiction::National
    } else {
        Jurisdiction::Provinces(provinces.iter().map(|p| p.to_string()).collect())
    };
    let id = v
        .store
        .create_staff(
            NewStaff {
                username: name.into(),
                display_name: name.into(),
                role,
                jurisdiction: jurisdiction.clone(),
            },
            vigil_domain::audit::NewAuditEntry {
                actor: "cli".into(),
                action: AuditAction::StaffCreate,
                object: String::new(),
                detail: String::new(),
            },
        )
        .await
        .expect("staff");
    Principal {
        id,
        username: name.into(),
        display_name: name.into(),
        role,
        jurisdiction,
    }
}

/// A report from the web form (no photo) of `text` in `province`, stored
/// as a reporter's would be.
pub async fn report(
    v: &Vigil,
    category: vigil_domain::Category,
    text: &str,
    province: &str,
) -> vigil_core::intake::Submitted {
    vigil_core::intake::submit(
        &v.intake,
        vigil_core::intake::TipRequest {
            tip: vigil_domain::NewTip {
                channel: vigil_domain::Channel::Web,
                category,
                text: text.into(),
                location: vigil_domain::Location {
                    province_code: Some(province.into()),
                    ..vigil_domain::Location::default()
                },
                danger: vigil_domain::DangerFlags::default(),
                received_at: time::OffsetDateTime::now_utc(),
                external_ref: None,
                language: Some("km".into()),
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit")
}
