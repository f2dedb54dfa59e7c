//! In-memory slowing of failed staff sign-ins. Two counters per account: one
//! per (account, client), which slows a guesser quickly, and one per account
//! from everywhere, which is far more lenient so a guesser elsewhere cannot
//! keep the real user out. Each wait doubles with further failures and is
//! capped, so nobody is ever locked out for good; a success clears the
//! client's counter.

use std::collections::HashMap;
use std::sync::Mutex;
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

#[derive(Default, Clone, Copy)]
struct Counter {
    failures: u32,
    last: Option<Instant>,
}

impl Counter {
    fn wait(&self, free: u32, max: Duration) -> Option<Duration> {
        let over = self.failures.checked_sub(free).filter(|o| *o > 0)?;
        let delay = Duration::from_secs(1u64 << (over - 1).min(20)).min(max);
        let since = self.last?.elapsed();
        (since < delay).then(|| delay - since)
    }
}

/// The sign-in throttle.
pub struct LoginThrottle {
    free_per_client: u32,
    free_per_account: u32,
    max: Duration,
    inner: Mutex<HashMap<(String, Option<ClientKey>), Counter>>,
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

    fn with<T>(
        &self,
        f: impl FnOnce(&mut HashMap<(String, Option<ClientKey>), Counter>) -> T,
    ) -> T {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            // Counters left by a panic elsewhere are still usable.
            Err(p) => p.into_inner(),
        };
        // Forget counters idle for longer than the longest wait.
        let max = self.max;
        if g.len() > 10_000 {
            g.retain(|_, c| c.last.is_some_and(|l| l.elapsed() < max));
        }
        f(&mut g)
    }

    /// Whether `username` may try now from `client`.
    pub fn check(&self, username: &str, client: Option<ClientKey>) -> Attempt {
        self.with(|m| {
            let mine = m
                .get(&(username.to_string(), client))
                .and_then(|c| c.wait(self.free_per_client, self.max));
            let all = m
                .get(&(username.to_string(), None))
                .and_then(|c| c.wait(self.free_per_account, self.max));
            match mine.max(all) {
                Some(d) => Attempt::Wait(d.as_millis().div_ceil(1000).max(1) as u64),
                None => Attempt::Allowed,
            }
        })
    }

    /// Records a failure.
    pub fn failed(&self, username: &str, client: Option<ClientKey>) {
        self.with(|m| {
            let now = Some(Instant::now());
            let keys = [(username.to_string(), None), (username.to_string(), client)];
            let n = if client.is_some() { 2 } else { 1 };
            for key in keys.into_iter().take(n) {
                let c = m.entry(key).or_default();
                c.failures = c.failures.saturating_add(1);
                c.last = now;
            }
        });
    }

    /// Records a success: the client's counter starts again.
    pub fn succeeded(&self, username: &str, client: Option<ClientKey>) {
        self.with(|m| {
            m.remove(&(username.to_string(), client));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_are_capped_and_clear() {
        let t = LoginThrottle::new(2, 100, Duration::from_secs(4));
        let me = Some(ClientKey([1; 16]));
        let other = Some(ClientKey([2; 16]));
        assert_eq!(t.check("dara", me), Attempt::Allowed);
        t.failed("dara", me);
        t.failed("dara", me);
        assert_eq!(
            t.check("dara", me),
            Attempt::Allowed,
            "two failures are free"
        );
        t.failed("dara", me);
        assert_eq!(t.check("dara", me), Attempt::Wait(1));
        for _ in 0..30 {
            t.failed("dara", me);
        }
        assert_eq!(t.check("dara", me), Attempt::Wait(4), "capped");
        // The real user elsewhere is not held back by the guesser.
        assert_eq!(t.check("dara", other), Attempt::Allowed);
        t.succeeded("dara", me);
        assert_eq!(t.check("dara", me), Attempt::Allowed);
    }

    #[test]
    fn an_account_under_attack_from_everywhere_slows_but_never_locks() {
        let t = LoginThrottle::new(5, 3, Duration::from_secs(2));
        for i in 0..10u8 {
            t.failed("dara", Some(ClientKey([i; 16])));
        }
        assert!(matches!(t.check("dara", Some(ClientKey([99; 16]))), Attempt::Wait(s) if s <= 2));
    }
}
