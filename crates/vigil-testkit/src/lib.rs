//! Test support: a fresh, empty store on every available backend, the whole
//! application over it, and a real server on port 0.
//!
//! SQLite is always available. PostgreSQL is used when `VIGIL_TEST_POSTGRES_URL`
//! names an admin connection (see `.ci/postgres.sh`); each test gets its own
//! database, dropped afterwards. Under CI (`CI` set) a missing PostgreSQL is an
//! error, so the PostgreSQL half can never be skipped silently.
//!
//! Fixtures go straight to the store (accounts, an operation and its seized
//! items) and read back what tests assert on (screenings, departures,
//! deportation orders), so the crates under test need not name the storage
//! types.

#![forbid(unsafe_code)]
// Test support: failing loudly is the point.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod fixtures;

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use vigil_core::{Settings, Vigil};

pub use fixtures::{
    done_operation, facility_reasons_stored, raid_on, reported, seized_item, staff_account,
    stored_departures, stored_deportation_orders, stored_screenings,
};

/// A storage backend under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded store.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The environment variable naming PostgreSQL's admin URL for tests.
pub const PG_ENV: &str = "VIGIL_TEST_POSTGRES_URL";

/// Every backend this run can test.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    match std::env::var(PG_ENV) {
        Ok(u) if !u.trim().is_empty() => v.push(Backend::Postgres),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{PG_ENV} is not set under CI: run .ci/postgres.sh first")
        }
        _ => eprintln!("note: {PG_ENV} not set; testing SQLite only"),
    }
    v
}

/// A fresh database and data directory, removed when dropped.
pub struct TestDb {
    /// Which backend.
    pub backend: Backend,
    /// The data directory (key file; SQLite database).
    pub dir: tempfile::TempDir,
    /// The database URL for settings (empty for SQLite).
    pub url: String,
    pg: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn with_db(admin: &str, name: &str) -> String {
    match admin.rfind('/') {
        Some(i)
            if admin[..i].contains("://") && admin[i..].len() > 1 && !admin[..i].ends_with('/') =>
        {
            let rest = &admin[i + 1..];
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{}/{name}{query}", &admin[..i])
        }
        _ => format!("{}/{name}", admin.trim_end_matches('/')),
    }
}

impl TestDb {
    /// Creates an empty database on `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => TestDb {
                backend,
                dir,
                url: String::new(),
                pg: None,
            },
            Backend::Postgres => {
                let admin = std::env::var(PG_ENV).expect(PG_ENV);
                let name = format!(
                    "vigil_t_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let mut c = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("connect to admin");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name}"
                )))
                .execute(&mut c)
                .await
                .expect("drop old");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut c)
                    .await
                    .expect("create database");
                c.close().await.ok();
                TestDb {
                    backend,
                    dir,
                    url: with_db(&admin, &name),
                    pg: Some((admin, name)),
                }
            }
        }
    }

    /// Runs `sql` on the database behind Vigil's back, as an intruder with
    /// write access to it would (tests of tampering).
    pub async fn tamper(&self, sql: &str) {
        let statement = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()));
        if self.url.is_empty() {
            let url = format!("sqlite://{}", self.dir.path().join("vigil.db").display());
            let mut c = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("open the SQLite file");
            statement.execute(&mut c).await.expect("tamper");
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url)
                .await
                .expect("connect to PostgreSQL");
            statement.execute(&mut c).await.expect("tamper");
        }
    }

    /// Settings pointing at this database, with cheap receipt hashing for speed.
    pub fn settings(&self) -> Settings {
        let mut s = Settings::default();
        s.storage.data_dir = self.dir.path().to_path_buf();
        s.storage.database_url = self.url.clone();
        s.receipts.argon2_memory_kib = 64;
        s
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Dropping needs async IO; do it on a thread of its own so it works
            // from inside or outside a runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut c = sqlx::PgConnection::connect(&admin).await.ok()?;
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut c)
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

/// The application over a fresh database.
pub struct TestApp {
    /// The database (kept alive as long as the app).
    pub db: TestDb,
    /// The application.
    pub vigil: Vigil,
    /// The web state.
    pub state: vigil_web::AppState,
}

impl TestApp {
    /// Opens the application on `backend`; `tweak` adjusts settings first.
    pub async fn new(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let db = TestDb::new(backend).await;
        let mut s = db.settings();
        tweak(&mut s);
        let vigil = vigil_backends::open(s).await.expect("open app");
        let state = vigil_web::AppState::new(vigil.clone()).expect("state");
        TestApp { db, vigil, state }
    }

    /// The router, for `tower::ServiceExt::oneshot`.
    pub fn router(&self) -> vigil_web::Router {
        vigil_web::router(self.state.clone())
    }

    /// Serves on 127.0.0.1:0 until the returned server is dropped.
    pub async fn spawn(&self) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = self.state.clone();
        tokio::spawn(async move {
            let _ = vigil_web::serve(state, listener, async {
                let _ = rx.await;
            })
            .await;
        });
        Server {
            url: format!("http://{addr}"),
            _stop: tx,
        }
    }
}

/// A running server; stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}
