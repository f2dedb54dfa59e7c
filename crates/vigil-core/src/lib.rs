//! Vigil's use cases, over whichever [`Store`](vigil_store::Store) was chosen:
//! anonymous intake with receipts, the follow-up thread, hotline import, the
//! audit chain's verification; the keys and field encryption they rely on.
//! Every rule about who may see or do what is checked here, not in handlers.

#![forbid(unsafe_code)]

pub mod assign;
pub mod atlas;
pub mod audit;
pub mod cases;

pub mod desk;
pub mod error;
pub mod evidence;
pub mod facilities;
pub mod fairness;
pub mod field;
pub mod figures;
pub mod followup;
pub mod graph;
pub mod immigration;
pub mod immigration_csv;
pub mod import;
pub mod intake;
pub mod jobs;
pub mod keys;
pub mod login_throttle;
pub mod operations;
pub mod persons;
pub mod pipeline;
pub mod receipts;
pub mod screening;
pub mod screenings;
pub mod search;
pub mod settings;
pub mod staff;
pub mod sync;
pub mod throttle;
pub mod views;

use std::sync::Arc;

use vigil_store::DynStore;

pub use error::CoreError;
pub use field::{FieldError, FieldMessage};
pub use settings::Settings;

/// The application: the store, the keys, the settings and the in-memory
/// throttles. Cheap to clone.
#[derive(Clone)]
pub struct Vigil {
    /// The store.
    pub store: DynStore,
    /// Encryption and hashing keys.
    pub keys: Arc<keys::Keys>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// Receipt attempt throttling (memory only).
    pub throttle: Arc<throttle::Throttle>,
    /// Staff sign-in throttling (memory only).
    pub login_throttle: Arc<login_throttle::LoginThrottle>,
    receipt_dummy: Arc<std::sync::OnceLock<String>>,
    staff_dummy: Arc<std::sync::OnceLock<String>>,
    /// Clustering state (the tips' facts), shared by the pipeline passes.
    pub(crate) intel: Arc<tokio::sync::Mutex<facilities::IntelState>>,
    /// The full-text index (in memory unless opened in a data directory).
    pub search: Arc<vigil_search::SearchIndex>,
    /// One index writer at a time in this process.
    pub(crate) search_writer: Arc<tokio::sync::Mutex<()>>,
    /// Life-safety alerts raised by the pipeline, for open staff pages.
    pub alerts: tokio::sync::broadcast::Sender<pipeline::Alert>,
    /// Screening watchlists built from the store, by view, for a while.
    pub(crate) watchlists: Arc<tokio::sync::Mutex<screening::WatchlistCache>>,
    /// The screening policy in force (the shipped default until
    /// [`screenings::install_policy`] replaces it).
    /// With its TOML text when known (sent to offline posts).
    #[allow(clippy::type_complexity)]
    pub(crate) policy:
        Arc<std::sync::RwLock<Option<(Arc<vigil_screening::Policy>, Option<Arc<str>>)>>>,
    /// Policies (`name@version`) whose scope note this process has stored for
    /// the fairness report: stored once, not at every screening.
    pub(crate) policies_noted: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// The statutes a charge may name, loaded once (cases).
    pub(crate) statutes: Arc<std::sync::OnceLock<Arc<vigil_domain::statutes::Statutes>>>,
}

impl Vigil {
    /// Builds the application over an opened store and loaded keys.
    pub fn new(store: DynStore, keys: keys::Keys, settings: Settings) -> Self {
        let throttle = throttle::Throttle::new(settings.receipts.throttle());
        let login = login_throttle::LoginThrottle::new(
            settings.staff.login_free_failures,
            settings.staff.login_account_failures,
            std::time::Duration::from_secs(settings.staff.login_max_delay_secs.max(1)),
        );
        Vigil {
            store,
            keys: Arc::new(keys),
            settings: Arc::new(settings),
            throttle: Arc::new(throttle),
            login_throttle: Arc::new(login),
            receipt_dummy: Arc::default(),
            staff_dummy: Arc::default(),
            intel: Arc::default(),
            search: search::in_memory(),
            search_writer: Arc::default(),
            alerts: tokio::sync::broadcast::channel(256).0,
            watchlists: Arc::default(),
            policy: Arc::default(),
            policies_noted: Arc::default(),
            statutes: Arc::default(),
        }
    }

    /// Opens the application over an opened store, loading or creating the
    /// key file (by default in the data directory) and the search index.
    pub async fn open(settings: Settings, store: DynStore) -> Result<Self, CoreError> {
        let data_dir = settings.storage.data_dir.clone();
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            CoreError::Unavailable(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let keys = keys::Keys::load_or_create(&settings.storage.key_path())?;
        // The first key file to open a database is its key file: a node started
        // with another one would seal data and hash receipts that no other
        // node can open, so it is refused.
        let fingerprint = keys.fingerprint();
        if store.claim_meta("key_fingerprint", &fingerprint).await? != fingerprint {
            return Err(CoreError::Unavailable(format!(
                "the key file {} does not belong to this database: use the key file the \
                 database was created with (every node must share one)",
                settings.storage.key_path().display()
            )));
        }
        let index = search::open_index(&data_dir.join("search"))?;
        let (policy, source) = screenings::configured_policy_source(&settings)?;
        let mut v = Vigil::new(store, keys, settings);
        v.search = Arc::new(index);
        screenings::install_policy_source(&v, policy, source);
        // A statutes file that does not load stops the start (cases).
        cases::statutes(&v)?;
        // An offline post screens with the policy it last pulled from central,
        // unless `[screening] policy_file` names one.
        if v.settings.screening.policy_file.is_none() {
            sync::install_pulled_policy(&v).await?;
        }
        Ok(v)
    }
}
