//! The pipeline: follows the `events` outbox from the last sequence it
//! processed and, for each new tip, extracts identifiers and records them as
//! sightings. The cursor moves in the same transaction as the sightings, so a
//! crash at any point only means the last batch is done again, and doing it
//! again changes nothing (a tip's sightings are replaced, not added).
//!
//! When it has caught up, it reclusters tips into facilities and ranks them
//! (`facilities`). Indexing for search joins this loop later.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::sync::watch;
use vigil_domain::EventSeq;
use vigil_store::TipObservables;

use crate::{CoreError, Vigil, facilities};

/// The cursor's name in the store.
pub const CURSOR: &str = "pipeline";

/// Events read per batch.
pub const BATCH: i64 = 500;

/// A new tip reporting people in danger, for staff pages open right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The tip.
    pub tip_id: vigil_domain::TipId,
    /// Its province (staff outside it are not told).
    pub province_code: Option<String>,
    /// What it reports: `held`, `passports_taken`, `violence`, `children`.
    pub signals: Vec<String>,
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Events read.
    pub events: usize,
    /// Tips (re)processed.
    pub tips: usize,
    /// Where the cursor stands now.
    pub cursor: EventSeq,
}

/// Processes at most `batch` events after the cursor.
pub async fn run_once(v: &Vigil, batch: i64) -> Result<Progress, CoreError> {
    let from = v.store.cursor(CURSOR).await?;
    let events = v.store.events_after(from, batch).await?;
    let Some(last) = events.last().map(|e| e.seq) else {
        return Ok(Progress {
            cursor: from,
            ..Progress::default()
        });
    };
    let tips: BTreeSet<_> = events
        .iter()
        .filter(|e| e.kind == "tip.created")
        .map(|e| e.tip_id)
        .collect();
    let mut out = Vec::with_capacity(tips.len());
    let mut facts = Vec::with_capacity(tips.len());
    for id in &tips {
        let tip = v.store.tip(*id).await?;
        let photos = v.store.attachments(*id).await?.len();
        let text = tip.text.clone();
        let idents = tokio::task::spawn_blocking(move || vigil_intel::idents_from_text(&text))
            .await
            .map_err(|e| CoreError::Internal(format!("extraction task: {e}")))?;
        let mut values: Vec<(String, String)> = idents
            .iter()
            .map(|i| (i.kind.as_str().to_string(), i.value.clone()))
            .collect();
        facts.push(facilities::facts_of(
            &tip,
            idents,
            u32::try_from(photos).unwrap_or(u32::MAX),
        ));
        // The place the reporter chose counts as much as one named in the text.
        for code in [
            &tip.location.village_code,
            &tip.location.commune_code,
            &tip.location.district_code,
        ]
        .into_iter()
        .flatten()
        .take(1)
        {
            values.push(("place".into(), code.clone()));
        }
        values.sort();
        values.dedup();
        out.push(TipObservables {
            tip_id: *id,
            values,
        });
    }
    v.store.record_sightings(CURSOR, last, &out).await?;
    let mut urgent = false;
    for f in &facts {
        let mut signals: Vec<String> = vigil_intel::life_safety(&f.text, f.danger)
            .into_iter()
            .map(|s| s.kind.as_str().to_string())
            .collect();
        signals.sort();
        signals.dedup();
        if !signals.is_empty() {
            urgent = true;
            // Nobody listening is fine: the queue shows it all the same.
            let _ = v.alerts.send(Alert {
                tip_id: vigil_domain::TipId(f.id),
                province_code: f.province_code.clone(),
                signals,
            });
        }
    }
    facilities::note_tips(v, facts, urgent).await?;
    Ok(Progress {
        events: events.len(),
        tips: out.len(),
        cursor: last,
    })
}

/// Runs until no event is left; calls `progress` after each batch.
pub async fn run_until_idle(
    v: &Vigil,
    mut progress: impl FnMut(Progress),
) -> Result<Progress, CoreError> {
    let mut total = Progress::default();
    loop {
        let p = run_once(v, BATCH).await?;
        total.events += p.events;
        total.tips += p.tips;
        total.cursor = p.cursor;
        if p.events == 0 {
            facilities::recluster(v).await?;
            while crate::search::index_once(v).await? > 0 {}
            return Ok(total);
        }
        progress(total);
    }
}

/// Follows the outbox until `stop` turns true, resting `idle` when caught up.
pub async fn worker(v: Vigil, idle: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        let rest = match run_once(&v, BATCH).await {
            Ok(p) if p.events > 0 => Duration::ZERO,
            Ok(_) => match facilities::recluster_if_due(
                &v,
                Duration::from_secs(v.settings.pipeline.recluster_every_secs),
            )
            .await
            {
                Ok(_) => match crate::search::index_once(&v).await {
                    Ok(0) => idle,
                    Ok(_) => Duration::ZERO,
                    Err(e) => {
                        tracing::warn!(error = %e, "indexing failed; will retry");
                        idle * 10
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "clustering failed; will retry");
                    idle * 10
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "pipeline pass failed; will retry");
                idle * 10
            }
        };
        if *stop.borrow() {
            return;
        }
        if !rest.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(rest) => {}
                _ = stop.changed() => return,
            }
        }
    }
}
