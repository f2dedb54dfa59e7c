//! The pipeline: follows the `events` outbox and, for each new tip, extracts
//! identifiers and records them as sightings. Each pass is a few plain
//! steps: claim a batch of events (committed at once, so workers on several
//! nodes take disjoint batches), read their tips, extract (pure, on every
//! core, outside any transaction), then complete the batch: its sightings,
//! the done marks and the cursor in one transaction. A crash at any point
//! only means the batch is claimed again once its claims expire, and doing it
//! again changes nothing (a tip's sightings are replaced, not added).
//!
//! When it has caught up, it reclusters tips into facilities and ranks them
//! (`facilities`), and the search index follows the same events.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use tokio::sync::watch;
use vigil_domain::EventSeq;
use vigil_store::{Event, StoreError, TipObservables};

use crate::facilities::IntelService;
use crate::search::SearchService;
use crate::settings::Settings;
use crate::{CoreError, facilities};
use std::sync::Arc;
use vigil_store::DynStore;

pub use crate::facilities::CURSOR;

/// The pipeline's worker and what it feeds: extraction, clustering, the
/// search index and the life-safety alerts. Cheap to clone.
#[derive(Clone)]
pub struct PipelineService {
    pub(crate) store: DynStore,
    pub(crate) settings: Arc<Settings>,
    /// Life-safety alerts raised by the pipeline, for open staff pages.
    pub alerts: tokio::sync::broadcast::Sender<Alert>,
    pub(crate) intel: IntelService,
    pub(crate) search: SearchService,
    /// The last write probe's answer (`health`).
    pub(crate) readiness: Arc<crate::health::Readiness>,
}

impl PipelineService {
    /// The pipeline over `store`, feeding `intel` and `search`.
    pub fn new(
        store: DynStore,
        settings: Arc<Settings>,
        intel: IntelService,
        search: SearchService,
    ) -> Self {
        PipelineService {
            store,
            settings,
            alerts: tokio::sync::broadcast::channel(256).0,
            intel,
            search,
            readiness: Arc::default(),
        }
    }
}

/// Events read per batch.
pub const BATCH: i64 = 500;

/// How long a worker holds the events it claimed: a worker that crashed (or
/// whose extraction failed) leaves them to others after this. The same
/// worker claims them again at once on its next pass.
pub const CLAIM_TTL: Duration = Duration::from_secs(120);

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
    /// The last event this pass completed: where the cursor stands when one
    /// worker runs (with several, it stops below events others still hold).
    pub cursor: EventSeq,
}

/// A tip's identifiers: those in its text, and the place the reporter chose
/// (which counts as much as one named in the text), sorted, without repeats.
pub fn identifiers(tip: &vigil_store::TipRow) -> Vec<vigil_intel::Ident> {
    let mut idents = vigil_intel::idents_from_text(&tip.text);
    let loc = &tip.location;
    if let Some(code) = [&loc.village_code, &loc.commune_code, &loc.district_code]
        .into_iter()
        .flatten()
        .next()
    {
        idents.push(vigil_intel::Ident::new(
            vigil_extract::Kind::Place,
            code.clone(),
        ));
    }
    idents.sort();
    idents.dedup();
    idents
}

/// The facts of each tip, extracted on as many threads as there are cores.
fn extract_all(
    rows: &[vigil_store::TipRow],
    photos: &HashMap<i64, i64>,
) -> Vec<vigil_intel::TipFacts> {
    let one = |t: &vigil_store::TipRow| {
        let n = photos.get(&t.id.0).copied().unwrap_or(0);
        facilities::facts_of(t, identifiers(t), u32::try_from(n).unwrap_or(u32::MAX))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || rows.len() < 64 {
        return rows.iter().map(one).collect();
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = rows
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(one).collect::<Vec<_>>()))
            .collect();
        // A panic in extraction is a bug; surface it rather than lose tips.
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The facts of the tips `events` created: read in one query, extracted on
/// every core.
async fn facts_for(
    v: &PipelineService,
    events: &[Event],
) -> Result<Vec<vigil_intel::TipFacts>, StoreError> {
    let ids: Vec<vigil_domain::TipId> = events
        .iter()
        .filter(|e| e.kind == vigil_domain::EventKind::TipCreated)
        .map(|e| e.tip_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rows = v.store.tips_by_ids(&ids).await?;
    let photos: HashMap<i64, i64> = v
        .store
        .attachment_counts(&ids)
        .await?
        .into_iter()
        .map(|(t, n)| (t.0, n))
        .collect();
    // Extraction is pure CPU work: off the async threads, on every core.
    tokio::task::spawn_blocking(move || extract_all(&rows, &photos))
        .await
        .map_err(|e| StoreError::Other(format!("extraction task: {e}")))
}

/// What the store records of each tip's facts: its identifiers as
/// (kind, value) pairs.
fn observables(facts: &[vigil_intel::TipFacts]) -> Vec<TipObservables> {
    facts
        .iter()
        .map(|f| TipObservables {
            tip_id: vigil_domain::TipId(f.id),
            values: f
                .identifiers
                .iter()
                .map(|i| (i.kind.as_str().to_string(), i.value.clone()))
                .collect(),
        })
        .collect()
}

/// Processes at most `batch` events after the cursor that no other worker
/// holds: claim, read the tips, extract, complete. A failed pass leaves its
/// claims to expire (this process claims them again at once).
pub async fn run_once(v: &PipelineService, batch: i64) -> Result<Progress, CoreError> {
    let worker = facilities::owner();
    let events = v
        .store
        .claim_events(CURSOR, worker, batch, CLAIM_TTL)
        .await?;
    let Some(last) = events.last().map(|e| e.seq) else {
        return Ok(Progress {
            cursor: v.store.cursor(CURSOR).await?,
            ..Progress::default()
        });
    };
    let facts = facts_for(v, &events).await?;
    let seqs: Vec<EventSeq> = events.iter().map(|e| e.seq).collect();
    v.store
        .complete_events(CURSOR, worker, &seqs, &observables(&facts))
        .await?;
    let processed = facts.len();
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
    facilities::note_tips(&v.intel, facts, urgent).await?;
    Ok(Progress {
        events: events.len(),
        tips: processed,
        cursor: last,
    })
}

/// Runs until no event is left, then reclusters; calls `progress` after each
/// batch. The search index follows the same events at the same time (it has
/// its own cursor), so extraction and indexing share the cores.
pub async fn run_until_idle(
    v: &PipelineService,
    mut progress: impl FnMut(Progress),
) -> Result<Progress, CoreError> {
    let started = std::time::Instant::now();
    let done = std::sync::atomic::AtomicBool::new(false);
    let process = async {
        let mut total = Progress::default();
        let result = async {
            loop {
                let p = run_once(v, BATCH).await?;
                total.events += p.events;
                total.tips += p.tips;
                total.cursor = p.cursor;
                if p.events == 0 {
                    break;
                }
                progress(total);
            }
            let extracted = started.elapsed();
            let r = facilities::recluster(&v.intel).await?;
            facilities::release(&v.intel).await?;
            Ok::<_, CoreError>((extracted, started.elapsed(), r))
        }
        .await;
        done.store(true, std::sync::atomic::Ordering::Release);
        result.map(|r| (total, r))
    };
    let index = async {
        loop {
            let finished = done.load(std::sync::atomic::Ordering::Acquire);
            if crate::search::index_once(&v.search).await? == 0 {
                if finished {
                    return Ok::<_, CoreError>(started.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let ((total, (extracted, clustered, r)), indexed) = tokio::try_join!(process, index)?;
    tracing::info!(
        tips = total.tips,
        facilities = r.facilities,
        extract_ms = extracted.as_millis() as u64,
        cluster_ms = (clustered - extracted).as_millis() as u64,
        all_ms = indexed.max(clustered).as_millis() as u64,
        "pipeline caught up"
    );
    Ok(total)
}

/// Follows the outbox until `stop` turns true, resting `idle` when caught up.
pub async fn worker(v: PipelineService, idle: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        let rest = match run_once(&v, BATCH).await {
            Ok(p) if p.events > 0 => Duration::ZERO,
            Ok(_) => match facilities::recluster_if_due(
                &v.intel,
                Duration::from_secs(v.settings.pipeline.recluster_every_secs),
            )
            .await
            {
                Ok(_) => match crate::search::index_once(&v.search).await {
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
            if let Err(e) = facilities::release(&v.intel).await {
                tracing::warn!(error = %e, "could not release the reclustering lease");
            }
            return;
        }
        if !rest.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(rest) => {}
                _ = stop.changed() => {
                    if let Err(e) = facilities::release(&v.intel).await {
                        tracing::warn!(error = %e, "could not release the reclustering lease");
                    }
                    return;
                }
            }
        }
    }
}

/// Whether the store accepts writes now (`/readyz`): a real write at most
/// [`crate::health::PROBE_TTL`] old, shared by every caller.
pub async fn ready(svc: &PipelineService) -> bool {
    svc.readiness.check(&svc.store).await
}
