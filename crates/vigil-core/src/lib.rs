//! Vigil's use cases, over whichever [`Store`](vigil_store::Store) was chosen:
//! anonymous intake with receipts, the follow-up thread, hotline import, the
//! audit chain's verification; the keys and field encryption they rely on.
//! Every rule about who may see or do what is checked here, not in handlers.

#![forbid(unsafe_code)]

pub mod assign;
pub mod atlas;
pub mod audit;
pub mod awareness;
pub mod cases;
pub mod check;

pub mod desk;
pub mod error;
pub mod evidence;
pub mod facilities;
pub mod fairness;
pub mod feed;
pub mod field;
pub mod figures;
pub mod followup;
pub mod graph;
pub mod health;
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
mod private;
pub mod receipts;
pub mod recruiters;
pub mod rewards;
pub mod screening;
pub mod screenings;
pub mod search;
pub mod settings;
pub mod signing;
pub mod staff;
pub mod sync;
pub mod throttle;
pub mod views;

use std::sync::Arc;

use vigil_store::DynStore;

pub use error::CoreError;
pub use field::{FieldError, FieldMessage};
pub use settings::Settings;

/// The application: one service per slice, each holding only what it uses,
/// over one store, one key file and one set of settings. Cheap to clone.
#[derive(Clone)]
pub struct Vigil {
    /// The store (for the operator's commands: stats, audit, migrations).
    pub store: DynStore,
    /// Encryption and hashing keys.
    pub keys: Arc<keys::Keys>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// Tips in, their receipts and the follow-up thread.
    pub intake: intake::IntakeService,
    /// Staff accounts, sign-in, sessions and API tokens.
    pub staff: staff::StaffService,
    /// Clustering into facilities and their ranking.
    pub intel: facilities::IntelService,
    /// Staff search and the full-text index.
    pub search: search::SearchService,
    /// The pipeline's worker: extraction, clustering, indexing, alerts.
    pub pipeline: pipeline::PipelineService,
    /// The analyst's desk: tips, facilities, observables, decisions.
    pub desk: desk::DeskService,
    /// Exit screening: watchlists, the policy in force, sync with posts.
    pub screening: screening::ScreeningService,
    /// Operations and seized items with their chain of custody.
    pub operations: operations::OperationsService,
    /// Persons met in operations.
    pub persons: persons::PersonsService,
    /// Cases through the courts.
    pub cases: cases::CasesService,
    /// Deportations and departures.
    pub immigration: immigration::ImmigrationService,
    /// The campaign's figures.
    pub figures: figures::FiguresService,
    /// The public check, ranges and standings.
    pub check: check::CheckService,
    /// The partners' feed of confirmed scams.
    pub feed: feed::FeedService,
    /// Rewards for tips that led to a result: awards and claims.
    pub rewards: rewards::RewardsService,
}

impl Vigil {
    /// Builds the application over an opened store and loaded keys, with an
    /// in-memory search index.
    pub fn new(store: DynStore, keys: keys::Keys, settings: Settings) -> Self {
        Vigil::assemble(
            store,
            Arc::new(keys),
            Arc::new(settings),
            search::in_memory(),
        )
    }

    fn assemble(
        store: DynStore,
        keys: Arc<keys::Keys>,
        settings: Arc<Settings>,
        index: Arc<vigil_search::SearchIndex>,
    ) -> Self {
        let s = || store.clone();
        let intake = intake::IntakeService::new(s(), keys.clone(), settings.clone());
        let intel = facilities::IntelService::new(s());
        let search = search::SearchService::new(s(), index);
        let screening = screening::ScreeningService::new(s(), keys.clone(), settings.clone());
        let operations = operations::OperationsService::new(s(), settings.clone());
        let persons = persons::PersonsService::new(s(), keys.clone(), operations.clone());
        let check = check::CheckService::new(s(), settings.clone());
        Vigil {
            staff: staff::StaffService::new(s(), keys.clone(), settings.clone()),
            pipeline: pipeline::PipelineService::new(
                s(),
                settings.clone(),
                intel.clone(),
                search.clone(),
            ),
            desk: desk::DeskService::new(
                s(),
                keys.clone(),
                intel.clone(),
                screening.clone(),
                intake.clone(),
            ),
            cases: cases::CasesService::new(s(), settings.clone(), persons.clone()),
            immigration: immigration::ImmigrationService::new(
                s(),
                keys.clone(),
                operations.clone(),
            ),
            figures: figures::FiguresService::new(s()),
            check: check.clone(),
            feed: feed::FeedService::new(check),
            rewards: rewards::RewardsService::new(s(), keys.clone()),
            intake,
            intel,
            search,
            screening,
            operations,
            persons,
            store,
            keys,
            settings,
        }
    }

    /// Opens the application over an opened store, loading or creating the
    /// key file (by default in the data directory) and the search index.
    /// The store must seal audit entries with the key file's audit key
    /// ([`keys::Keys::audit_key`]): open it with [`Vigil::load_keys`]' keys
    /// and use [`Vigil::open_with_keys`].
    pub async fn open(settings: Settings, store: DynStore) -> Result<Self, CoreError> {
        let keys = Vigil::load_keys(&settings)?;
        Vigil::open_with_keys(settings, store, keys).await
    }

    /// Loads or creates the key file (by default in the data directory,
    /// which is made private first).
    pub fn load_keys(settings: &Settings) -> Result<keys::Keys, CoreError> {
        private::dir(&settings.storage.data_dir)?;
        keys::Keys::load_or_create(&settings.storage.key_path())
    }

    /// Opens the application over a store opened with `keys`' audit key.
    pub async fn open_with_keys(
        settings: Settings,
        store: DynStore,
        keys: keys::Keys,
    ) -> Result<Self, CoreError> {
        let data_dir = settings.storage.data_dir.clone();
        private::dir(&data_dir)?;
        private::file(&signing::key_path(&settings))?;
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
        let keys = audit::record_keyed_from(&*store, keys, &settings.storage.key_path()).await?;
        let index_dir = data_dir.join("search");
        private::dir(&index_dir)?;
        let index = search::open_index(&index_dir)?;
        // The index holds tip text in the clear; files an older version
        // (or a process with a loose umask) left readable are made private.
        private::tree(&index_dir)?;
        let (policy, source) = screening::configured_policy_source(&settings)?;
        let v = Vigil::assemble(store, Arc::new(keys), Arc::new(settings), Arc::new(index));
        screening::install_policy_source(&v.screening, policy, source);
        // A statutes file that does not load stops the start (cases).
        cases::statutes(&v.cases)?;
        // An offline post screens with the policy it last pulled from central,
        // unless `[screening] policy_file` names one.
        if v.settings.screening.policy_file.is_none() {
            screening::install_pulled_policy(&v.screening).await?;
        }
        Ok(v)
    }
}
