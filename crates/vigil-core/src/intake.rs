//! Anonymous intake: a tip and its photos go in, a receipt comes out, and the
//! tip is durably stored before the receipt is returned.

use time::{Duration, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::tip::{MAX_CLIENT_REF_CHARS, check_line};
use vigil_domain::{AuditAction, NewTip, Receipt, TipId};
use vigil_store::{ClientRef, NewAttachment, SubmitOutcome, TipSubmission};

use crate::keys::Keys;
use crate::receipts::ReceiptService;
use crate::settings::Settings;
use crate::{CoreError, receipts};
use std::sync::Arc;
use vigil_store::DynStore;

/// The intake slice: tips in (the report form, the API, hotline imports),
/// their receipts and the follow-up thread. Cheap to clone.
#[derive(Clone)]
pub struct IntakeService {
    pub(crate) store: DynStore,
    pub(crate) keys: Arc<Keys>,
    pub(crate) settings: Arc<Settings>,
    /// The receipts issued with tips.
    pub receipts: ReceiptService,
}

impl IntakeService {
    /// The slice over `store`.
    pub fn new(store: DynStore, keys: Arc<Keys>, settings: Arc<Settings>) -> Self {
        IntakeService {
            receipts: ReceiptService::new(store.clone(), keys.clone(), settings.clone()),
            store,
            keys,
            settings,
        }
    }
}

const CLIENT_REF_PURPOSE: &str = "client-ref";
const CLIENT_REF_RECEIPT: &str = "client-ref-receipt";
/// The sealing purpose of attachment bytes.
pub const ATTACHMENT_PURPOSE: &str = "attachment";

/// A photo as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The bytes as received.
    pub bytes: Vec<u8>,
    /// The content type the client claimed, if any.
    pub declared_mime: Option<String>,
}

/// A tip as a reporter (or API client) sent it.
#[derive(Debug, Clone)]
pub struct TipRequest {
    /// The tip.
    pub tip: NewTip,
    /// Photos.
    pub photos: Vec<Upload>,
    /// Use the first photo's GPS position as the tip's coordinates.
    pub use_photo_location: bool,
    /// An idempotency key: the same key returns the same receipt.
    pub client_ref: Option<String>,
}

/// What the reporter gets back.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The receipt (show it once).
    pub receipt: Receipt,
    /// The stored tip.
    pub tip_id: TipId,
    /// True when this was a retry of an earlier submission.
    pub replayed: bool,
}

/// Most characters of a photo's declared content type.
const MAX_CONTENT_TYPE_CHARS: usize = 100;

/// Checks the content types the client declared for its photos.
pub(crate) fn check_photo_types(photos: &[Upload]) -> Result<(), CoreError> {
    for p in photos {
        if let Some(m) = &p.declared_mime {
            check_line("content_type", m, MAX_CONTENT_TYPE_CHARS)?;
        }
    }
    Ok(())
}

/// Strips every photo of its metadata (reading GPS only when asked) and seals it.
pub(crate) async fn clean_photos(
    v: &IntakeService,
    photos: Vec<Upload>,
    read_gps: bool,
) -> Result<(Vec<NewAttachment>, Option<(f64, f64)>), CoreError> {
    let limits = &v.settings.intake;
    if photos.len() > limits.max_photos {
        return Err(CoreError::TooLarge(limits.max_photos));
    }
    if photos.is_empty() {
        // Most API tips: no trip to the blocking pool for nothing.
        return Ok((Vec::new(), None));
    }
    let max = limits.max_photo_bytes;
    let cleaned = tokio::task::spawn_blocking(move || {
        photos
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                vigil_media::sanitize_with_limit(
                    &p.bytes,
                    p.declared_mime.as_deref(),
                    read_gps && i == 0,
                    max,
                )
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))??;
    let mut gps = None;
    let mut out = Vec::with_capacity(cleaned.len());
    for img in cleaned {
        if gps.is_none() {
            gps = img.gps;
        }
        out.push(NewAttachment {
            mime: img.mime.to_string(),
            size: i64::try_from(img.bytes.len()).unwrap_or(i64::MAX),
            data_enc: v.keys.seal(ATTACHMENT_PURPOSE, &img.bytes)?,
        });
    }
    Ok((out, gps))
}

/// Stores a tip and returns its receipt. With a `client_ref` seen before, stores
/// nothing and returns the first receipt (while the retry window lasts).
pub async fn submit(v: &IntakeService, req: TipRequest) -> Result<Submitted, CoreError> {
    if let Some(r) = &req.client_ref {
        check_line("client_ref", r, MAX_CLIENT_REF_CHARS)?;
    }
    check_photo_types(&req.photos)?;
    let key_hash = req
        .client_ref
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| v.keys.mac(CLIENT_REF_PURPOSE, r.as_bytes()));
    if let Some(k) = &key_hash
        && let Some(hit) = v.store.find_client_ref(k).await?
    {
        return replay(v, hit);
    }
    let mut tip = req.tip;
    let (attachments, gps) = clean_photos(v, req.photos, req.use_photo_location).await?;
    if let Some((lat, lon)) = gps
        && tip.location.lat.is_none()
    {
        tip.location.lat = Some(lat);
        tip.location.lon = Some(lon);
    }
    tip.normalise(&v.settings.intake.tip_limits(), !attachments.is_empty())?;
    let channel = tip.channel;
    for _attempt in 0..8 {
        let issued = receipts::issue(&v.receipts).await?;
        let client_ref = match &key_hash {
            Some(k) => Some(ClientRef {
                key_hash: k.clone(),
                receipt_enc: v
                    .keys
                    .seal(CLIENT_REF_RECEIPT, issued.receipt.digits().as_bytes())?,
                expires_at: OffsetDateTime::now_utc()
                    + Duration::seconds(
                        i64::try_from(v.settings.intake.client_ref_window_secs).unwrap_or(86_400),
                    ),
            }),
            None => None,
        };
        let sub = TipSubmission {
            tip: tip.clone(),
            receipt: Some(issued.hashes),
            client_ref,
            attachments: attachments.clone(),
            audit: NewAuditEntry {
                actor: "public".into(),
                action: AuditAction::TipCreate,
                object: String::new(),
                detail: format!("channel={}", channel.as_str()),
            },
        };
        match v.store.submit_tip(sub).await? {
            SubmitOutcome::Created { tip_id } => {
                return Ok(Submitted {
                    receipt: issued.receipt,
                    tip_id,
                    replayed: false,
                });
            }
            SubmitOutcome::DuplicateClientRef(hit) => return replay(v, hit),
            SubmitOutcome::DuplicateRef { .. } => return Err(CoreError::Duplicate),
            SubmitOutcome::ReceiptTaken => continue,
        }
    }
    Err(CoreError::Unavailable(
        "could not draw a free receipt".into(),
    ))
}

fn replay(v: &IntakeService, hit: vigil_store::ClientRefHit) -> Result<Submitted, CoreError> {
    let Some(sealed) = hit.receipt_enc else {
        // The window passed: the tip is stored, its receipt forgotten.
        return Err(CoreError::Duplicate);
    };
    let digits = v.keys.open(CLIENT_REF_RECEIPT, &sealed)?;
    let receipt = Receipt::parse(&String::from_utf8_lossy(&digits))
        .map_err(|e| CoreError::Internal(format!("stored receipt: {e}")))?;
    Ok(Submitted {
        receipt,
        tip_id: hit.tip_id,
        replayed: true,
    })
}

/// Forgets retry receipts whose window has passed. Run periodically.
pub async fn expire_client_refs(v: &IntakeService) -> Result<u64, CoreError> {
    Ok(v.store
        .expire_client_refs(OffsetDateTime::now_utc())
        .await?)
}
