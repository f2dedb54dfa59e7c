//! Typed, layered configuration: defaults < `vigil.toml` < `VIGIL_*` environment
//! < command-line flags (applied by the binary). Passed explicitly, never global.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use vigil_domain::tip::TipLimits;

use crate::throttle::ThrottleSettings;

mod check;
mod http;
mod public;
pub use check::CheckSettings;
pub use http::{Cidr, HttpSettings};
pub use public::{Hotline, PublicSettings};

/// All settings.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The HTTP server.
    pub server: ServerSettings,
    /// Who may name the client's address.
    pub http: HttpSettings,
    /// Where data lives.
    pub storage: StorageSettings,
    /// Limits on what reporters send.
    pub intake: IntakeSettings,
    /// Receipt hashing and throttling.
    pub receipts: ReceiptSettings,
    /// Staff accounts, sign-in and sessions.
    pub staff: StaffSettings,
    /// The pipeline.
    pub pipeline: PipelineSettings,
    /// Exit screening.
    pub screening: ScreeningSettings,
    /// Offline posts and the central instance (`vigil sync`).
    pub sync: SyncSettings,
    /// Cases and prosecutions.
    pub cases: CaseSettings,
    /// The audit chain's signed checkpoints.
    pub audit: AuditSettings,
    /// The public check, its range API and the partners' feed.
    pub check: CheckSettings,
    /// What the public pages name: hotlines, agencies, reward claims.
    pub public: PublicSettings,
}

/// The HTTP server.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on.
    pub listen: String,
    /// Run the background worker inside `serve`.
    pub worker: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            listen: "127.0.0.1:8080".into(),
            worker: true,
        }
    }
}

/// Where data lives.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSettings {
    /// The data directory (SQLite database, key file, search index).
    pub data_dir: PathBuf,
    /// Empty for the embedded SQLite store; `postgres://…` for PostgreSQL.
    pub database_url: String,
    /// The key file; empty means `vigil.key` in the data directory. Nodes
    /// sharing one PostgreSQL must share one key file.
    pub key_file: PathBuf,
}

impl StorageSettings {
    /// Where the key file is.
    pub fn key_path(&self) -> PathBuf {
        if self.key_file.as_os_str().is_empty() {
            self.data_dir.join(crate::keys::KEY_FILE)
        } else {
            self.key_file.clone()
        }
    }
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            data_dir: PathBuf::from("./vigil-data"),
            database_url: String::new(),
            key_file: PathBuf::new(),
        }
    }
}

impl std::fmt::Debug for StorageSettings {
    /// Hides the database URL, which may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorageSettings")
            .field("data_dir", &self.data_dir)
            .field("key_file", &self.key_path())
            .field(
                "database_url",
                &if self.database_url.is_empty() {
                    "(embedded sqlite)"
                } else {
                    "(hidden)"
                },
            )
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("storage", &self.storage)
            .field("intake", &self.intake)
            .field("receipts", &self.receipts)
            .finish()
    }
}

/// Limits on what reporters send.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct IntakeSettings {
    /// Most characters in a report's text.
    pub max_text_chars: usize,
    /// Most characters in the free-text place.
    pub max_place_chars: usize,
    /// Most characters in a follow-up message.
    pub max_message_chars: usize,
    /// Largest photo, in bytes.
    pub max_photo_bytes: usize,
    /// Most photos with one report or message.
    pub max_photos: usize,
    /// How long a retry with the same `client_ref` still gets its receipt back.
    pub client_ref_window_secs: u64,
}

impl Default for IntakeSettings {
    fn default() -> Self {
        IntakeSettings {
            max_text_chars: 20_000,
            max_place_chars: 500,
            max_message_chars: 10_000,
            max_photo_bytes: 10 * 1024 * 1024,
            max_photos: 5,
            client_ref_window_secs: 24 * 3600,
        }
    }
}

impl IntakeSettings {
    /// The domain's limits.
    pub fn tip_limits(&self) -> TipLimits {
        TipLimits {
            max_text_chars: self.max_text_chars,
            max_place_chars: self.max_place_chars,
        }
    }

    /// The largest request body a form or API call may have: every photo at
    /// its largest, base64-encoded (the JSON API's form), plus the texts.
    pub fn max_request_bytes(&self) -> usize {
        self.max_photos * self.max_photo_bytes.div_ceil(3) * 4
            + 4 * self.max_text_chars
            + 1024 * 1024
    }
}

/// Receipt hashing and throttling.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiptSettings {
    /// argon2id memory per hash, KiB.
    pub argon2_memory_kib: u32,
    /// argon2id passes.
    pub argon2_iterations: u32,
    /// Failed receipt attempts allowed per client address per window (memory only).
    pub failures_per_client: u32,
    /// Failed attempts allowed against one receipt prefix (its first 8
    /// digits, the lookup part) per window.
    pub failures_per_receipt: u32,
    /// Ignored: there is no limit on everyone together, so no flood of wrong
    /// receipts can refuse everyone. Still read so that older files load.
    #[serde(skip_serializing)]
    pub failures_global: u32,
    /// The window, in seconds.
    pub window_secs: u64,
}

impl Default for ReceiptSettings {
    fn default() -> Self {
        ReceiptSettings {
            argon2_memory_kib: 256,
            argon2_iterations: 1,
            failures_per_client: 30,
            failures_per_receipt: 10,
            failures_global: 0,
            window_secs: 600,
        }
    }
}

impl ReceiptSettings {
    /// The throttle's settings.
    pub fn throttle(&self) -> ThrottleSettings {
        ThrottleSettings {
            per_client: self.failures_per_client,
            per_receipt: self.failures_per_receipt,
            window: std::time::Duration::from_secs(self.window_secs.max(1)),
        }
    }
}

/// The pipeline.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineSettings {
    /// While new tips keep arriving, recluster at most this often (seconds);
    /// a tip that reports people in danger reclusters at once.
    pub recluster_every_secs: u64,
}

impl Default for PipelineSettings {
    fn default() -> Self {
        PipelineSettings {
            recluster_every_secs: 10,
        }
    }
}

/// Exit screening.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ScreeningSettings {
    /// Stored screenings (the sealed traveller, the officer's note, the
    /// reasons) are deleted this many days after they were made.
    pub keep_days: u32,
    /// The watchlist built from the tips is rebuilt at most this often
    /// (seconds) for screenings; an admin's hub or ignore mark rebuilds it at once.
    pub watchlist_refresh_secs: u64,
    /// The screening policy (TOML, as `vigil-screening` reads it); empty for
    /// the shipped default. A file that does not load stops the server at
    /// start with the reason.
    pub policy_file: Option<PathBuf>,
}

impl Default for ScreeningSettings {
    fn default() -> Self {
        ScreeningSettings {
            keep_days: 90,
            watchlist_refresh_secs: 60,
            policy_file: None,
        }
    }
}

/// Cases and prosecutions.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CaseSettings {
    /// The statutes a charge may name (TOML `[[statute]]` tables, as
    /// `vigil_domain::statutes` reads them); empty for the shipped list. A
    /// file that does not load stops the server at start with the reason.
    pub statutes_file: Option<PathBuf>,
}

/// The audit chain's signed checkpoints, exported while `vigil serve` or
/// `vigil worker` runs: each one a JSON line appended to `checkpoint_file`
/// and/or given on standard input to `checkpoint_command`. Nothing is
/// exported unless one of them is set.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuditSettings {
    /// How often a checkpoint is made (seconds).
    pub checkpoint_every_secs: u64,
    /// A file each checkpoint is appended to (best on another disk or a
    /// mount of another machine: the point is that the database's writer
    /// cannot rewrite it).
    pub checkpoint_file: Option<PathBuf>,
    /// A command (run by `sh -c`) whose standard input receives each
    /// checkpoint, e.g. `ssh audit@other 'cat >> vigil.checkpoints'`.
    pub checkpoint_command: Option<String>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            checkpoint_every_secs: 3600,
            checkpoint_file: None,
            checkpoint_command: None,
        }
    }
}

/// Offline posts and the central instance (`vigil sync`). A post sets
/// `instance`, `central_url`, `central_key` and `token_file`; central lists
/// the posts it accepts screenings from in `posts`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SyncSettings {
    /// This instance's name, which it signs its bundles as (e.g. `poipet`).
    pub instance: String,
    /// Central's address, e.g. `https://vigil.example.org` (posts only).
    pub central_url: String,
    /// Central's public key (`vigil sync key` on central): pulled bundles
    /// signed by any other key are refused (posts only).
    pub central_key: String,
    /// A file holding the API token of an immigration account on central,
    /// sent as `Authorization: Bearer` (posts only).
    pub token_file: Option<PathBuf>,
    /// Most screenings in one pushed bundle.
    pub batch: usize,
    /// The posts whose pushed screenings are accepted, by name and public key
    /// (central only).
    pub posts: Vec<SyncPost>,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            instance: String::new(),
            central_url: String::new(),
            central_key: String::new(),
            token_file: None,
            batch: 500,
            posts: Vec::new(),
        }
    }
}

/// A post central accepts screenings from.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SyncPost {
    /// The post's `[sync] instance`.
    pub name: String,
    /// The post's public key (`vigil sync key` at the post).
    pub key: String,
}

/// Staff accounts, sign-in and sessions.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StaffSettings {
    /// argon2id memory per password hash, KiB.
    pub password_memory_kib: u32,
    /// argon2id passes for passwords.
    pub password_iterations: u32,
    /// A session ends after this many minutes without use.
    pub session_idle_minutes: i64,
    /// A session ends this many hours after sign-in, used or not.
    pub session_max_hours: i64,
    /// A setup or reset link works for this many hours.
    pub setup_link_hours: i64,
    /// Failed sign-ins from one client for one account before each further
    /// attempt must wait (doubling, up to `login_max_delay_secs`).
    pub login_free_failures: u32,
    /// Failed sign-ins for one account from everywhere before attempts wait.
    pub login_account_failures: u32,
    /// The longest wait, in seconds: nobody is locked out for good.
    pub login_max_delay_secs: u64,
    /// Mark cookies `Secure` (turn off only behind plain HTTP on a closed network).
    pub cookie_secure: bool,
    /// The address staff use to reach this server, for setup links printed on
    /// the console (default: `http://` + the listen address).
    pub public_url: Option<String>,
}

impl Default for StaffSettings {
    fn default() -> Self {
        StaffSettings {
            password_memory_kib: 19_456,
            password_iterations: 2,
            session_idle_minutes: 30,
            session_max_hours: 12,
            setup_link_hours: 24,
            login_free_failures: 5,
            login_account_failures: 50,
            login_max_delay_secs: 900,
            cookie_secure: true,
            public_url: None,
        }
    }
}

/// The commented example configuration, with every setting at its default.
pub const EXAMPLE: &str = include_str!("../../../config/example.toml");

impl Settings {
    /// Loads defaults, then `file` (or `./vigil.toml` if present), then `VIGIL_*`
    /// environment variables (`VIGIL_INTAKE__MAX_PHOTOS=3`; sections joined by `__`).
    pub fn load(file: Option<&Path>) -> Result<Settings, config::ConfigError> {
        let msg = |e: &dyn std::fmt::Display| config::ConfigError::Message(e.to_string());
        let file_source = match file {
            Some(f) => config::File::from(f).required(true),
            None => config::File::with_name("vigil.toml").required(false),
        };
        let mut merged: serde_json::Value = config::Config::builder()
            .add_source(file_source)
            .build()?
            .try_deserialize()
            .map_err(|e| msg(&e))?;
        // The file alone must be well formed: an unknown section or key is an
        // error that names it, never silently dropped.
        serde_json::from_value::<Settings>(merged.clone())
            .map_err(|e| msg(&format!("configuration file: {e}")))?;
        let env: serde_json::Value = config::Config::builder()
            .add_source(
                config::Environment::with_prefix("VIGIL")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .ignore_empty(true),
            )
            .build()?
            .try_deserialize()
            .map_err(|e| msg(&e))?;
        // Single-word variables (VIGIL_DATA_DIR, VIGIL_DATABASE_URL) are flags
        // read by the binary; `VIGIL_SECTION__KEY` sets a key of a section,
        // and the sections are the fields of `Settings` itself.
        let sections = Settings::section_names();
        if let (serde_json::Value::Object(into), serde_json::Value::Object(env)) =
            (&mut merged, env)
        {
            for (k, v) in env {
                if sections.contains(&k) {
                    merge(into.entry(k).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        serde_json::from_value(merged).map_err(|e| msg(&format!("configuration: {e}")))
    }

    /// The names of the sections, as the file spells them.
    pub fn section_names() -> Vec<String> {
        match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

/// Lays `over` onto `base`, key by key inside objects.
fn merge(base: &mut serde_json::Value, over: serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k).or_insert(serde_json::Value::Null), v);
            }
        }
        (b, o) => *b = o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_defaults() {
        let parsed: Settings = toml_from_example();
        assert_eq!(parsed, Settings::default());
    }

    fn toml_from_example() -> Settings {
        let cfg = config::Config::builder()
            .add_source(config::File::from_str(EXAMPLE, config::FileFormat::Toml))
            .build()
            .unwrap_or_default();
        cfg.try_deserialize().unwrap_or_default()
    }

    #[test]
    fn every_section_of_the_file_is_read() {
        let dir = std::env::temp_dir().join(format!("vigil-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("vigil.toml");
        std::fs::write(
            &file,
            "[screening]\nkeep_days = 7\n[staff]\nsession_idle_minutes = 5\n\
             [pipeline]\nrecluster_every_secs = 3\n\
             [sync]\ninstance = \"poipet\"\nposts = [{ name = \"bavet\", key = \"k\" }]\n",
        )
        .expect("write");
        let s = Settings::load(Some(&file)).expect("load");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(s.screening.keep_days, 7);
        assert_eq!(s.staff.session_idle_minutes, 5);
        assert_eq!(s.pipeline.recluster_every_secs, 3);
        assert_eq!(s.sync.instance, "poipet");
        assert_eq!(s.sync.posts[0].name, "bavet");
        let s = load_text(
            "audit",
            "[audit]\ncheckpoint_every_secs = 600\ncheckpoint_command = \"cat >> /x\"\n",
        )
        .expect("load");
        assert_eq!(s.audit.checkpoint_every_secs, 600);
        assert_eq!(s.audit.checkpoint_command.as_deref(), Some("cat >> /x"));
        assert_eq!(s.audit.checkpoint_file, None);
    }

    fn load_text(name: &str, text: &str) -> Result<Settings, config::ConfigError> {
        let dir =
            std::env::temp_dir().join(format!("vigil-settings-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("vigil.toml");
        std::fs::write(&file, text).expect("write");
        let s = Settings::load(Some(&file));
        std::fs::remove_dir_all(&dir).ok();
        s
    }

    #[test]
    fn every_section_of_the_struct_is_read_from_the_file() {
        let s = load_text(
            "cases",
            "[cases]\nstatutes_file = \"/etc/vigil/statutes.toml\"\n",
        )
        .expect("load");
        assert_eq!(
            s.cases.statutes_file.as_deref(),
            Some(Path::new("/etc/vigil/statutes.toml"))
        );
        let names = Settings::section_names();
        for section in [
            "server",
            "storage",
            "intake",
            "receipts",
            "staff",
            "pipeline",
            "screening",
            "sync",
            "cases",
            "audit",
        ] {
            assert!(
                names.iter().any(|n| n == section),
                "{section} missing from {names:?}"
            );
        }
    }

    #[test]
    fn unknown_sections_and_keys_are_errors_that_name_them() {
        let e =
            load_text("section", "[casse]\nstatutes_file = \"x\"\n").expect_err("unknown section");
        assert!(e.to_string().contains("casse"), "{e}");
        let e = load_text("key", "[cases]\nstatute_file = \"x\"\n").expect_err("unknown key");
        assert!(e.to_string().contains("statute_file"), "{e}");
    }

    #[test]
    fn debug_hides_the_database_url() {
        let mut s = Settings::default();
        s.storage.database_url = "postgres://u:secret@h/db".into();
        assert!(!format!("{s:?}").contains("secret"));
    }
}
