//! In-memory throttling of receipt attempts. Nothing here is ever written to
//! disk or logged. Only *failed* attempts count, so the many honest reporters
//! behind one mobile carrier's shared address are never locked out by each
//! other; counters reset every window, so no one is locked out for good.
//! Failures count per client and per receipt prefix, never for everyone
//! together: a flood of wrong receipts cannot refuse a reporter whose own
//! address and receipt prefix have not failed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits per window.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    /// Failures allowed per client address.
    pub per_client: u32,
    /// Failures allowed against one receipt prefix (the lookup part: its
    /// first 8 digits).
    pub per_receipt: u32,
    /// Window length.
    pub window: Duration,
}

/// An opaque, salted digest of a client's address, made by the web layer with
/// a salt that lives only in memory. It cannot be turned back into an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(pub [u8; 16]);

struct Inner {
    started: Instant,
    clients: HashMap<ClientKey, u32>,
    receipts: HashMap<Vec<u8>, u32>,
}

/// The throttle.
pub struct Throttle {
    s: ThrottleSettings,
    inner: Mutex<Inner>,
}

impl Throttle {
    /// A throttle with these limits.
    pub fn new(s: ThrottleSettings) -> Self {
        Throttle {
            s,
            inner: Mutex::new(Inner {
                started: Instant::now(),
                clients: HashMap::new(),
                receipts: HashMap::new(),
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            // A panic elsewhere while holding the lock leaves counters that
            // are still usable.
            Err(p) => p.into_inner(),
        };
        if g.started.elapsed() >= self.s.window {
            g.started = Instant::now();
            g.clients.clear();
            g.receipts.clear();
        }
        f(&mut g)
    }

    /// Whether another attempt is allowed now.
    pub fn allowed(&self, client: Option<ClientKey>, lookup: &[u8]) -> bool {
        self.with(|g| {
            client.is_none_or(|c| g.clients.get(&c).copied().unwrap_or(0) < self.s.per_client)
                && g.receipts.get(lookup).copied().unwrap_or(0) < self.s.per_receipt
        })
    }

    /// Records a failed attempt.
    pub fn failed(&self, client: Option<ClientKey>, lookup: &[u8]) {
        self.with(|g| {
            if let Some(c) = client {
                *g.clients.entry(c).or_default() += 1;
            }
            *g.receipts.entry(lookup.to_vec()).or_default() += 1;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_throttle_one_client_not_its_neighbours() {
        let t = Throttle::new(ThrottleSettings {
            per_client: 3,
            per_receipt: 100,
            window: Duration::from_secs(60),
        });
        let bad = Some(ClientKey([1; 16]));
        let honest = Some(ClientKey([2; 16]));
        for i in 0..3u8 {
            assert!(t.allowed(bad, &[i]));
            t.failed(bad, &[i]);
        }
        assert!(!t.allowed(bad, b"x"));
        assert!(t.allowed(honest, b"x"));
    }

    #[test]
    fn a_window_ends() {
        let t = Throttle::new(ThrottleSettings {
            per_client: 1,
            per_receipt: 1,
            window: Duration::from_millis(1),
        });
        t.failed(None, b"a");
        std::thread::sleep(Duration::from_millis(5));
        assert!(t.allowed(None, b"a"));
    }
}
