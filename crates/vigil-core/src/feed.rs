//! The partners' feed: the values analysts confirmed as scams, for
//! telephone companies, banks and platforms to block — each with its kind,
//! its SHA-256, the reason's code and the date it was confirmed, never tip
//! content. Made at most once per `[check] feed_every_secs` (a day by
//! default), as JSON and CSV, each signed (Ed25519, detached, over the exact
//! bytes) with the instance's signing key; `serve` and `worker` also write
//! it to `[check] feed_dir` when set.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_domain::check::ValueDigest;
use vigil_domain::{Capability, Standing};
use vigil_store::ObservableId;

use crate::CoreError;
use crate::check::CheckService;
use crate::staff::Principal;

/// The partners' feed over the check's store, with the feed last made.
/// Cheap to clone.
#[derive(Clone)]
pub struct FeedService {
    pub(crate) check: CheckService,
    /// The feed as last made, and when.
    made: Arc<tokio::sync::Mutex<Option<Made>>>,
}

/// A made feed and when it was made.
type Made = (Instant, Arc<FeedExport>);

impl FeedService {
    /// The slice over the check's parts.
    pub fn new(check: CheckService) -> Self {
        FeedService {
            check,
            made: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }
}

/// The feed's format name, first in the JSON.
pub const FORMAT: &str = "vigil-feed-1";

/// One confirmed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedEntry {
    /// Its kind (`phone`, `url`, `telegram`…).
    pub kind: String,
    /// Its normalised value.
    pub value: String,
    /// The SHA-256 of the value, hexadecimal.
    pub sha256: String,
    /// The reason's code (`recruitment`, `impersonation`…).
    pub reason: String,
    /// When it was confirmed, `YYYY-MM-DD` in Cambodia.
    pub confirmed_on: String,
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    generated_at: String,
    count: usize,
    entries: &'a [FeedEntry],
}

/// One made feed: its files' bytes and their signatures.
#[derive(Debug, Clone)]
pub struct FeedExport {
    /// When it was made.
    pub generated_at: OffsetDateTime,
    /// How many values it lists.
    pub count: usize,
    /// The JSON document.
    pub json: Arc<String>,
    /// The same entries as CSV with a header row.
    pub csv: Arc<String>,
    /// The JSON's signature, base64.
    pub json_signature: String,
    /// The CSV's signature, base64.
    pub csv_signature: String,
    /// The public key that verifies both, base64.
    pub public_key: String,
}

/// Every confirmed value, by observable id.
async fn entries(svc: &CheckService) -> Result<Vec<FeedEntry>, CoreError> {
    let mut out = Vec::new();
    let mut after: Option<ObservableId> = None;
    loop {
        let page = svc
            .store
            .standings(Standing::Confirmed, after, 1_000)
            .await?;
        let Some(last) = page.last() else {
            return Ok(out);
        };
        after = Some(last.id);
        for hit in page {
            let Some(s) = hit.standing else { continue };
            out.push(FeedEntry {
                sha256: ValueDigest::of(&hit.value).hex(),
                kind: hit.kind,
                value: hit.value,
                reason: s.reason.name().to_string(),
                confirmed_on: crate::figures::cambodia_date(s.decided_at).to_string(),
            });
        }
    }
}

/// Makes the feed now.
pub async fn build(svc: &FeedService) -> Result<FeedExport, CoreError> {
    let svc = &svc.check;
    let entries = entries(svc).await?;
    let generated_at = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::now_utc());
    let doc = Document {
        format: FORMAT,
        generated_at: generated_at.format(&Rfc3339).unwrap_or_default(),
        count: entries.len(),
        entries: &entries,
    };
    let json = serde_json::to_string_pretty(&doc)
        .map_err(|e| CoreError::Internal(format!("feed: {e}")))?
        + "\n";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["kind", "value", "sha256", "reason", "confirmed_on"])
        .map_err(|e| CoreError::Internal(format!("feed: {e}")))?;
    for e in &entries {
        w.write_record([&e.kind, &e.value, &e.sha256, &e.reason, &e.confirmed_on])
            .map_err(|e| CoreError::Internal(format!("feed: {e}")))?;
    }
    let csv = String::from_utf8(
        w.into_inner()
            .map_err(|e| CoreError::Internal(format!("feed: {e}")))?,
    )
    .map_err(|e| CoreError::Internal(format!("feed: {e}")))?;
    let key = crate::signing::signing_key(&svc.settings)?;
    let sign = |text: &str| vigil_sync::Envelope::sign(text.to_string(), &key).signature;
    Ok(FeedExport {
        generated_at,
        count: entries.len(),
        json_signature: sign(&json),
        csv_signature: sign(&csv),
        json: Arc::new(json),
        csv: Arc::new(csv),
        public_key: vigil_sync::public_key_text(&key.verifying_key()),
    })
}

/// The feed as partners read it: made again once older than
/// `[check] feed_every_secs` (0: every time). Roles that read the feed only.
pub async fn current(svc: &FeedService, p: &Principal) -> Result<Arc<FeedExport>, CoreError> {
    if !p.role.can(Capability::ReadFeed) {
        return Err(CoreError::Forbidden);
    }
    let fresh_for = std::time::Duration::from_secs(svc.check.settings.check.feed_every_secs);
    let mut cached = svc.made.lock().await;
    if let Some((at, feed)) = cached.as_ref()
        && at.elapsed() < fresh_for
    {
        return Ok(feed.clone());
    }
    let feed = Arc::new(build(svc).await?);
    *cached = Some((Instant::now(), feed.clone()));
    Ok(feed)
}

/// Writes a made feed to `dir` as `feed-YYYY-MM-DD.json`, `.csv` and their
/// `.sig` files (each written whole, then renamed into place); returns the
/// JSON's path.
pub fn write(feed: &FeedExport, dir: &Path) -> Result<PathBuf, CoreError> {
    let unavailable = |e: std::io::Error| CoreError::Unavailable(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(unavailable)?;
    let day = crate::figures::cambodia_date(feed.generated_at);
    let files = [
        (format!("feed-{day}.json"), feed.json.as_str().to_string()),
        (
            format!("feed-{day}.json.sig"),
            format!("{}\n", feed.json_signature),
        ),
        (format!("feed-{day}.csv"), feed.csv.as_str().to_string()),
        (
            format!("feed-{day}.csv.sig"),
            format!("{}\n", feed.csv_signature),
        ),
        ("feed.key".to_string(), format!("{}\n", feed.public_key)),
    ];
    for (name, text) in &files {
        let path = dir.join(name);
        let partial = dir.join(format!(".{name}.partial"));
        std::fs::write(&partial, text).map_err(unavailable)?;
        std::fs::rename(&partial, &path).map_err(unavailable)?;
    }
    Ok(dir.join(&files[0].0))
}

/// Makes the feed and writes it to `[check] feed_dir`, if set.
pub async fn export_configured(svc: &FeedService) -> Result<Option<PathBuf>, CoreError> {
    let dir = svc.check.settings.check.feed_dir.trim();
    if dir.is_empty() {
        return Ok(None);
    }
    let feed = build(svc).await?;
    write(&feed, Path::new(dir)).map(Some)
}

/// Whether `signature` (base64) signs `bytes` under `public_key` (base64),
/// as a partner checks a downloaded file.
pub fn verify(text: &str, signature: &str, public_key: &str) -> bool {
    let Ok(key) = vigil_sync::parse_public_key(public_key) else {
        return false;
    };
    let envelope = vigil_sync::Envelope {
        signed: text.to_string(),
        signature: signature.trim().to_string(),
    };
    envelope.signed_by([&key]).is_some()
}
