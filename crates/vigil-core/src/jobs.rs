//! Background work: plain async functions over the application, started by
//! `vigil serve` unless `--no-worker`.

use std::time::Duration;

use tokio::sync::watch;

use crate::{Vigil, intake};

/// Forgets expired retry receipts every `every`, until `stop` turns true.
pub async fn housekeeping(v: Vigil, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        match intake::expire_client_refs(&v).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "expired retry receipts forgotten"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
