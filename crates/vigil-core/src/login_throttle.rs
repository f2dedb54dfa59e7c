//! In-memory slowing of failed staff sign-ins. Two counters per account: one
//! per (account, client), which slows a guesser quickly, and one per account
//! from everywhere, which is far more lenient. A client that has signed in
//! correctly before (it shows a signed device cookie) is exempt from the
//! account-wide counter and counted on its own, so a guesser elsewhere cannot
//! keep the real user out. Each wait doubles with further failures and is
//! capped, so nobody is ever locked out for good.
//!
//! Every attempt takes a [`Reservation`] under the lock *before* the password
//! is checked: an attempt in flight counts as a failure until it is released,
//! so parallel requests cannot evaluate more guesses than the limit allows.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::throttle::ClientKey;

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead.
    Allowed,
    /// Wait this many seconds first.
    Wait(u64),
}

/// Who is trying, as far as the throttle is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A client known only by its (salted, hashed) address, if any.
    Address(Option<ClientKey>),
    /// A device that has signed in to this account correctly before, known
    /// by its device cookie: exempt from the account-wide counter.
    Device(ClientKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    Account,
    Client(Origin),
}

#[derive(Default, Clone, Copy)]
struct Counter {
    failures: u32,
    in_flight: u32,
    last: Option<Instant>,
}

impl Counter {
    /// How long a new attempt must wait, counting attempts in flight as
    /// failures: `free` failures, then one more attempt at once, then each
    /// further attempt alone and after a wait that doubles, capped at `max`.
    fn wait(&self, free: u32, max: Duration) -> Option<Duration> {
        let used = self.failures.saturating_add(self.in_flight);
        if used <= free {
            return None;
        }
        let over = used - free;
        let delay = Duration::from_secs(1u64 << (over - 1).min(20)).min(max);
        if self.in_flight > 0 {
            // Beyond the free attempts only one may be in flight at a time.
            return Some(delay);
        }
        let since = self.last.map(|l| l.elapsed()).unwrap_or(delay);
        (since < delay).then(|| delay - since)
    }

    fn idle(&self, max: Duration) -> bool {
        self.in_flight == 0 && self.last.is_none_or(|l| l.elapsed() >= max)
    }
}

type Map = HashMap<(String, Scope), Counter>;

/// The sign-in throttle.
pub struct LoginThrottle {
    free_per_client: u32,
    free_per_account: u32,
    max: Duration,
    inner: Mutex<Map>,
}

/// An attempt in flight. It counts against its counters until it is
/// released: [`Reservation::succeeded`], [`Reservation::failed`], or dropped
/// (neither, for attempts that ended before any answer was given).
#[must_use = "an attempt must be released"]
pub struct Reservation<'a> {
    throttle: &'a LoginThrottle,
    username: String,
    origin: Origin,
    open: bool,
}

impl LoginThrottle {
    /// A throttle: `free_per_client` failures from one client, `free_per_account`
    /// from everywhere, before waits start; never longer than `max`.
    pub fn new(free_per_client: u32, free_per_account: u32, max: Duration) -> Self {
        LoginThrottle {
            free_per_client,
            free_per_account,
            max,
            inner: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Map> {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            // Counters left by a panic elsewhere are still usable.
            Err(p) => p.into_inner(),
        };
        // Forget counters idle for longer than the longest wait.
        let max = self.max;
        if g.len() > 10_000 {
            g.retain(|_, c| !c.idle(max));
        }
        g
    }

    fn scopes(username: &str, origin: Origin) -> Vec<(String, Scope)> {
        let mut keys = vec![(username.to_string(), Scope::Client(origin))];
        if matches!(origin, Origin::Address(_)) {
            keys.push((username.to_string(), Scope::Account));
        }
        keys
    }

    fn wait_in(&self, m: &Map, username: &str, origin: Origin) -> Option<Duration> {
        let mine = m
            .get(&(username.to_string(), Scope::Client(origin)))
            .and_then(|c| c.wait(self.free_per_client, self.max));
        let all = match origin {
            Origin::Device(_) => None,
            Origin::Address(_) => m
                .get(&(username.to_string(), Scope::Account))
                .and_then(|c| c.wait(self.free_per_account, self.max)),
        };
        mine.max(all)
    }

    /// Whether `username` may try now from `origin`, without reserving.
    pub fn check(&self, username: &str, origin: Origin) -> Attempt {
        let m = self.lock();
        match self.wait_in(&m, username, origin) {
            Some(d) => Attempt::Wait(secs(d)),
            None => Attempt::Allowed,
        }
    }

    /// Reserves an attempt for `username` from `origin`, or says how many
    /// seconds to wait. Checking and reserving happen under one lock.
    pub fn reserve(&self, username: &str, origin: Origin) -> Result<Reservation<'_>, u64> {
        let mut m = self.lock();
        if let Some(d) = self.wait_in(&m, username, origin) {
            return Err(secs(d));
        }
        for key in Self::scopes(username, origin) {
            let c = m.entry(key).or_default();
            c.in_flight = c.in_flight.saturating_add(1);
        }
        Ok(Reservation {
            throttle: self,
            username: username.to_string(),
            origin,
            open: true,
        })
    }

    fn release(&self, username: &str, origin: Origin, outcome: Option<bool>) {
        let mut m = self.lock();
        let now = Instant::now();
        for key in Self::scopes(username, origin) {
            let client = matches!(key.1, Scope::Client(_));
            let c = m.entry(key).or_default();
            c.in_flight = c.in_flight.saturating_sub(1);
            match outcome {
                Some(false) => {
                    c.failures = c.failures.saturating_add(1);
                    c.last = Some(now);
                }
                // A success clears the client's own counter only.
                Some(true) if client => c.failures = 0,
                _ => {}
            }
        }
    }

    /// Clears every counter of `username` (after an administrator reset).
    pub fn forget(&self, username: &str) {
        let mut m = self.lock();
        for ((user, _), c) in m.iter_mut() {
            if user == username {
                c.failures = 0;
                c.last = None;
            }
        }
    }
}

impl Reservation<'_> {
    /// The attempt succeeded: the client's counter starts again.
    pub fn succeeded(mut self) {
        self.open = false;
        self.throttle
            .release(&self.username, self.origin, Some(true));
    }

    /// The attempt failed: it counts.
    pub fn failed(mut self) {
        self.open = false;
        self.throttle
            .release(&self.username, self.origin, Some(false));
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.open {
            self.throttle.release(&self.username, self.origin, None);
        }
    }
}

fn secs(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000).max(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: u8) -> Origin {
        Origin::Address(Some(ClientKey([n; 16])))
    }

    #[test]
    fn waits_grow_are_capped_and_clear() {
        let t = LoginThrottle::new(2, 100, Duration::from_secs(4));
        let me = at(1);
        assert_eq!(t.check("dara", me), Attempt::Allowed);
        for _ in 0..2 {
            t.reserve("dara", me).expect("free").failed();
        }
        assert_eq!(
            t.check("dara", me),
            Attempt::Allowed,
            "two failures are free"
        );
        t.reserve("dara", me).expect("one more").failed();
        assert_eq!(t.check("dara", me), Attempt::Wait(1));
        assert_eq!(
            t.check("dara", at(2)),
            Attempt::Allowed,
            "others are not held back"
        );
        t.forget("dara");
        assert_eq!(t.check("dara", me), Attempt::Allowed);
        t.reserve("dara", me).expect("allowed").succeeded();
    }

    #[test]
    fn attempts_in_flight_count() {
        let t = LoginThrottle::new(2, 100, Duration::from_secs(60));
        let held: Vec<_> = (0..3)
            .map(|_| t.reserve("dara", at(1)).expect("free"))
            .collect();
        assert!(
            t.reserve("dara", at(1)).is_err(),
            "three in flight use them all"
        );
        drop(held);
        assert!(
            t.reserve("dara", at(1)).is_ok(),
            "released without an answer"
        );
    }

    #[test]
    fn a_known_device_ignores_the_account_wide_count() {
        let t = LoginThrottle::new(5, 3, Duration::from_secs(900));
        for i in 0..20u8 {
            if let Ok(r) = t.reserve("dara", at(i)) {
                r.failed();
            }
        }
        assert!(matches!(t.check("dara", at(99)), Attempt::Wait(s) if s <= 900));
        assert_eq!(
            t.check("dara", Origin::Device(ClientKey([1; 16]))),
            Attempt::Allowed
        );
    }
}
