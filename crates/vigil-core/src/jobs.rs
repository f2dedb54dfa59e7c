//! Background work: plain async functions over the application, started by
//! `vigil serve` unless `--no-worker`.

use std::time::Duration;

use tokio::sync::watch;

use crate::{Vigil, intake, screenings};

/// Forgets expired retry receipts and screenings past `[screening] keep_days`
/// every `every`, until `stop` turns true.
pub async fn housekeeping(v: Vigil, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        match intake::expire_client_refs(&v.intake).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "expired retry receipts forgotten"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; will retry"),
        }
        match screenings::purge_expired(&v.screening).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "screenings past their retention deleted"),
            Err(e) => tracing::warn!(error = %e, "screening purge failed; will retry"),
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
