//! The reporter's follow-up: with the receipt, read the coarse status and the
//! thread with analysts, and add information and photos. Staff post into the
//! same thread.

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::tip::clean_text;
use vigil_domain::{AuditAction, MessageId, TipId, TipStatus};
use vigil_store::{Author, NewMessage};

use crate::intake::{IntakeService, Upload, clean_photos};
use crate::throttle::ClientKey;
use crate::{CoreError, receipts};

/// The sealing purpose of message bodies.
pub const MESSAGE_PURPOSE: &str = "message";

/// One message as the reporter sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageView {
    /// Id.
    pub id: MessageId,
    /// True when the reporter wrote it; staff are shown only as "analyst".
    pub from_reporter: bool,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// Number of photos sent with it.
    pub photos: usize,
}

/// What the receipt opens.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadView {
    /// The coarse status.
    pub status: TipStatus,
    /// When the report was received.
    pub received_at: OffsetDateTime,
    /// Photos sent with the report itself.
    pub report_photos: usize,
    /// The messages, oldest first.
    pub messages: Vec<MessageView>,
    /// The reward the tip earned, with its code, once a supervisor awarded one.
    pub reward: Option<crate::rewards::ReporterReward>,
}

/// Reads a tip's status and thread.
pub async fn thread_of(v: &IntakeService, tip_id: TipId) -> Result<ThreadView, CoreError> {
    let tip = v.store.tip(tip_id).await?;
    let rows = v.store.messages(tip_id).await?;
    let atts = v.store.attachments(tip_id).await?;
    let mut messages = Vec::with_capacity(rows.len());
    for m in rows {
        let body = v.keys.open(MESSAGE_PURPOSE, &m.body_enc)?;
        messages.push(MessageView {
            id: m.id,
            from_reporter: m.author == Author::Reporter,
            body: String::from_utf8_lossy(&body).into_owned(),
            created_at: m.created_at,
            photos: atts.iter().filter(|a| a.message_id == Some(m.id)).count(),
        });
    }
    let reward = match v.store.reward_of(tip_id).await? {
        Some(row) => Some(crate::rewards::for_reporter(&v.keys, &row)?),
        None => None,
    };
    Ok(ThreadView {
        status: tip.status,
        received_at: tip.received_at,
        report_photos: atts.iter().filter(|a| a.message_id.is_none()).count(),
        messages,
        reward,
    })
}

/// Opens the thread with a typed receipt.
pub async fn open(
    v: &IntakeService,
    receipt: &str,
    client: Option<ClientKey>,
) -> Result<ThreadView, CoreError> {
    let tip = receipts::open(&v.receipts, receipt, client).await?;
    thread_of(v, tip).await
}

async fn post(
    v: &IntakeService,
    tip_id: TipId,
    author: Author,
    body: &str,
    photos: Vec<Upload>,
) -> Result<MessageId, CoreError> {
    vigil_domain::tip::check_free_text("body", body, None)?;
    crate::intake::check_photo_types(&photos)?;
    let body = clean_text(body);
    let max = v.settings.intake.max_message_chars;
    if body.chars().count() > max {
        return Err(vigil_domain::ValidationError::TextTooLong { max }.into());
    }
    let (attachments, _) = clean_photos(v, photos, false).await?;
    if body.is_empty() && attachments.is_empty() {
        return Err(vigil_domain::ValidationError::Empty.into());
    }
    let actor = match &author {
        Author::Reporter => "public".to_string(),
        Author::Staff(n) => n.clone(),
    };
    Ok(v.store
        .add_message(NewMessage {
            tip_id,
            author,
            body_enc: v.keys.seal(MESSAGE_PURPOSE, body.as_bytes())?,
            attachments,
            audit: NewAuditEntry {
                actor,
                action: AuditAction::MessageCreate,
                object: String::new(),
                detail: String::new(),
            },
        })
        .await?)
}

/// The reporter adds information (text and/or photos) to their report.
pub async fn reporter_reply(
    v: &IntakeService,
    receipt: &str,
    client: Option<ClientKey>,
    body: &str,
    photos: Vec<Upload>,
) -> Result<ThreadView, CoreError> {
    // A body that cannot be stored is refused before the receipt's work.
    vigil_domain::tip::check_free_text("body", body, None)?;
    let tip = receipts::open(&v.receipts, receipt, client).await?;
    post(v, tip, Author::Reporter, body, photos).await?;
    thread_of(v, tip).await
}

/// A staff member writes to the reporter.
pub async fn staff_reply(
    v: &IntakeService,
    tip_id: TipId,
    staff: &str,
    body: &str,
) -> Result<MessageId, CoreError> {
    post(
        v,
        tip_id,
        Author::Staff(staff.to_string()),
        body,
        Vec::new(),
    )
    .await
}
