//! [`AppState`]: what every handler shares. Its own module, below every
//! other, so that the crate root only assembles the router.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// The global budgets of request bodies and requests (`budget`).
    pub budgets: Arc<Budgets>,
}

impl AppState {
    /// State over an application.
    pub fn new(vigil: Vigil) -> Result<Self, I18nError> {
        let mut salt = [0u8; 16];
        // Without randomness the salt stays zero: throttle keys are then
        // unsalted hashes, still never stored.
        let _ = getrandom::fill(&mut salt);
        Ok(AppState {
            i18n: Arc::new(I18n::load()?),
            salt: Arc::new(salt),
            budgets: Arc::new(Budgets::new(&vigil.settings.http)),
            vigil,
        })
    }
}

/// A budget of some units (bytes, requests) shared by every request.
#[derive(Debug)]
pub struct Budget {
    max: usize,
    used: AtomicUsize,
}

impl Budget {
    /// A budget of `max` units; 0 is no budget at all.
    pub fn new(max: usize) -> Self {
        Budget {
            max: if max == 0 { usize::MAX } else { max },
            used: AtomicUsize::new(0),
        }
    }

    /// Takes `n` units if they are free now.
    pub(crate) fn try_take(&self, n: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|total| *total <= self.max)
            })
            .is_ok()
    }

    pub(crate) fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::AcqRel);
    }

    /// Units in use now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }
}

/// The budgets of one server.
#[derive(Debug)]
pub struct Budgets {
    /// Request-body bytes.
    pub bytes: Budget,
    /// Requests.
    pub requests: Budget,
}

impl Budgets {
    /// The budgets the settings ask for.
    pub fn new(settings: &vigil_core::settings::HttpSettings) -> Self {
        Budgets {
            bytes: Budget::new(settings.max_body_bytes_in_flight),
            requests: Budget::new(settings.max_requests_in_flight),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_gives_what_it_has_and_takes_back_what_it_gave() {
        let b = Budget::new(10);
        assert!(b.try_take(6));
        assert!(!b.try_take(5));
        assert!(b.try_take(4));
        assert_eq!(b.used(), 10);
        b.give_back(6);
        assert!(b.try_take(5));
        assert_eq!(b.used(), 9);
        let unlimited = Budget::new(0);
        assert!(unlimited.try_take(usize::MAX / 2));
    }
}
