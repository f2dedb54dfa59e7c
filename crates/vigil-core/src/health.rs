//! Readiness: whether the store accepts writes right now, found by a real
//! write (`PipelineStore::probe_write`) and remembered for a moment, so that
//! asking often cannot load the database.

use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use vigil_store::DynStore;

/// How long a probe's answer stands.
pub const PROBE_TTL: Duration = Duration::from_secs(2);

/// The last probe's answer and when it was found.
#[derive(Debug, Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, bool)>>,
}

impl Readiness {
    /// Whether `store` can write now: the answer of a write probe at most
    /// [`PROBE_TTL`] old. Concurrent callers share one probe.
    pub async fn check(&self, store: &DynStore) -> bool {
        let mut last = self.last.lock().await;
        if let Some((at, ok)) = *last
            && at.elapsed() < PROBE_TTL
        {
            return ok;
        }
        let ok = match store.probe_write().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "write probe failed; not ready");
                false
            }
        };
        *last = Some((Instant::now(), ok));
        ok
    }
}
