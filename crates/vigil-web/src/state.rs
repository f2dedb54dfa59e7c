//! [`AppState`]: what every handler shares. Its own module, below every
//! other, so that the crate root only assembles the router.

use std::sync::Arc;

use vigil_core::Vigil;

use crate::i18n::{I18n, I18nError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The application.
    pub vigil: Vigil,
    /// Translations.
    pub i18n: Arc<I18n>,
    /// A random salt, in memory only, for throttle keys of client addresses.
    pub salt: Arc<[u8; 16]>,
}

impl AppState {
    /// State over an application.
    pub fn new(vigil: Vigil) -> Result<Self, I18nError> {
        let mut salt = [0u8; 16];
        // Without randomness the salt stays zero: throttle keys are then
        // unsalted hashes, still never stored.
        let _ = getrandom::fill(&mut salt);
        Ok(AppState {
            vigil,
            i18n: Arc::new(I18n::load()?),
            salt: Arc::new(salt),
        })
    }
}
