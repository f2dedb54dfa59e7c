//! Background work: plain async functions over the application, started by
//! `vigil serve` unless `--no-worker` (the audit checkpoints by `vigil
//! worker` too).

use std::time::Duration;

use tokio::sync::watch;

use crate::{Vigil, audit, check, feed, intake, screenings, signing};

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
        if stopped_while_waiting(every, &mut stop).await {
            return;
        }
    }
}

/// Makes a signed checkpoint of the audit chain every `[audit]
/// checkpoint_every_secs` and exports it to `checkpoint_file` and/or
/// `checkpoint_command`, until `stop` turns true. Returns at once when
/// neither is set. A broken chain is logged as an error and not signed.
pub async fn audit_checkpoints(v: Vigil, mut stop: watch::Receiver<bool>) {
    let s = v.settings.audit.clone();
    if s.checkpoint_file.is_none() && s.checkpoint_command.is_none() {
        return;
    }
    let every = Duration::from_secs(s.checkpoint_every_secs.max(1));
    loop {
        match export_checkpoint(&v).await {
            Ok(Some(head)) => tracing::info!(%head, "audit checkpoint exported"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "audit checkpoint failed; will retry"),
        }
        if stopped_while_waiting(every, &mut stop).await {
            return;
        }
    }
}

/// One checkpoint, made and exported; `None` when the chain is broken.
async fn export_checkpoint(v: &Vigil) -> Result<Option<String>, crate::CoreError> {
    let key = signing::signing_key(&v.settings)?;
    let (report, line) =
        audit::checkpoint(&*v.store, &v.keys, &key, time::OffsetDateTime::now_utc()).await?;
    let Some(line) = line else {
        if let Some(b) = report.broken {
            tracing::error!(broken = %b, "the audit chain is broken: no checkpoint signed");
        }
        return Ok(None);
    };
    if let Some(file) = &v.settings.audit.checkpoint_file {
        audit::append_checkpoint(file, &line)?;
    }
    if let Some(cmd) = &v.settings.audit.checkpoint_command {
        audit::pipe_checkpoint(cmd, &line).await?;
    }
    Ok(Some(report.head.to_string()))
}

/// The check's upkeep: compiles the warning-sign rules and gives values
/// stored before digests were kept their digest (once, at start), then
/// writes the partners' feed to `[check] feed_dir` every `[check]
/// feed_every_secs`, until `stop` turns true.
pub async fn check_upkeep(v: Vigil, mut stop: watch::Receiver<bool>) {
    // Compile the warning-sign rules now rather than in the first check.
    let c = v.check.clone();
    if let Ok(Err(e)) = tokio::task::spawn_blocking(move || c.signs().map(|_| ())).await {
        tracing::error!(error = %e, "the warning-sign rules do not load; checks will fail");
    }
    match check::fill_digests(&v.check).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(values = n, "digests of earlier values filled in"),
        Err(e) => {
            tracing::warn!(error = %e, "filling digests failed; the range API misses older values until the next start")
        }
    }
    let every = v.settings.check.feed_every_secs;
    if v.settings.check.feed_dir.trim().is_empty() || every == 0 {
        return;
    }
    loop {
        match feed::export_configured(&v.feed).await {
            Ok(Some(path)) => tracing::info!(path = %path.display(), "partners' feed written"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "partners' feed not written; will retry"),
        }
        if stopped_while_waiting(Duration::from_secs(every), &mut stop).await {
            return;
        }
    }
}

/// Waits `every`; true when `stop` turned (or its sender went) meanwhile.
async fn stopped_while_waiting(every: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(every) => {}
        _ = stop.changed() => return true,
    }
    *stop.borrow()
}
