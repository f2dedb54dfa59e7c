//! Rows and commands that cross the [`crate::Store`] boundary.

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{
    AttachmentId, Category, Channel, DangerFlags, EventSeq, Location, MessageId, NewTip, TipId,
    TipStatus,
};

/// The stored hashes of a receipt; the receipt itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptHashes {
    /// Keyed hash of the lookup part (unique).
    pub lookup_hash: Vec<u8>,
    /// argon2id PHC string of the secret part.
    pub secret_hash: String,
}

/// What a retry with the same idempotency key needs, kept for a short window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRef {
    /// Keyed hash of the client's key (unique, kept).
    pub key_hash: Vec<u8>,
    /// The receipt, encrypted; forgotten when the window ends.
    pub receipt_enc: Vec<u8>,
    /// When the window ends.
    pub expires_at: OffsetDateTime,
}

/// An attachment to store (already stripped and encrypted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub mime: String,
    /// Size of the plaintext in bytes.
    pub size: i64,
    /// The encrypted bytes.
    pub data_enc: Vec<u8>,
}

/// Everything stored when a tip is acknowledged, in one transaction.
#[derive(Debug, Clone)]
pub struct TipSubmission {
    /// The tip (validated).
    pub tip: NewTip,
    /// The receipt's hashes; imports may have none.
    pub receipt: Option<ReceiptHashes>,
    /// The retry record, when the client sent an idempotency key.
    pub client_ref: Option<ClientRef>,
    /// Photos.
    pub attachments: Vec<NewAttachment>,
    /// The audit entry.
    pub audit: NewAuditEntry,
}

/// The result of [`crate::Store::submit_tip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored.
    Created {
        /// The new tip.
        tip_id: TipId,
    },
    /// A tip with this import `ref` exists; nothing was stored.
    DuplicateRef {
        /// The existing tip.
        tip_id: TipId,
    },
    /// A tip with this idempotency key exists; nothing was stored.
    DuplicateClientRef(ClientRefHit),
    /// The receipt's lookup part is taken; draw another and try again.
    ReceiptTaken,
}

/// A stored retry record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRefHit {
    /// The tip it made.
    pub tip_id: TipId,
    /// The encrypted receipt, while the window lasts.
    pub receipt_enc: Option<Vec<u8>>,
}

/// A stored receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRow {
    /// The tip it opens.
    pub tip_id: TipId,
    /// argon2id PHC string of the secret part.
    pub secret_hash: String,
}

/// A stored tip.
#[derive(Debug, Clone, PartialEq)]
pub struct TipRow {
    /// Id.
    pub id: TipId,
    /// Import reference.
    pub external_ref: Option<String>,
    /// Channel.
    pub channel: Channel,
    /// Category.
    pub category: Category,
    /// Text.
    pub text: String,
    /// Place.
    pub location: Location,
    /// Danger flags.
    pub danger: DangerFlags,
    /// Coarse status.
    pub status: TipStatus,
    /// Form language.
    pub language: Option<String>,
    /// When it was received.
    pub received_at: OffsetDateTime,
}

/// Who wrote a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// The anonymous reporter.
    Reporter,
    /// A staff member (account name).
    Staff(String),
}

impl Author {
    /// Stored form: `reporter` or `staff:NAME`.
    pub fn to_stored(&self) -> String {
        match self {
            Author::Reporter => "reporter".into(),
            Author::Staff(n) => format!("staff:{n}"),
        }
    }

    /// Reads the stored form.
    pub fn from_stored(s: &str) -> Self {
        match s.strip_prefix("staff:") {
            Some(n) => Author::Staff(n.to_string()),
            None => Author::Reporter,
        }
    }
}

/// A follow-up message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// The tip.
    pub tip_id: TipId,
    /// Who wrote it.
    pub author: Author,
    /// The encrypted body.
    pub body_enc: Vec<u8>,
    /// Photos sent with it.
    pub attachments: Vec<NewAttachment>,
    /// The audit entry.
    pub audit: NewAuditEntry,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// Id.
    pub id: MessageId,
    /// Tip.
    pub tip_id: TipId,
    /// Author.
    pub author: Author,
    /// Encrypted body.
    pub body_enc: Vec<u8>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    /// Id.
    pub id: AttachmentId,
    /// Tip.
    pub tip_id: TipId,
    /// The message it came with, if not the tip itself.
    pub message_id: Option<MessageId>,
    /// Content type.
    pub mime: String,
    /// Plaintext size.
    pub size: i64,
    /// When.
    pub created_at: OffsetDateTime,
}

/// An attachment with its encrypted bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    /// Metadata.
    pub meta: AttachmentMeta,
    /// Encrypted bytes.
    pub data_enc: Vec<u8>,
}

/// An outbox event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Position.
    pub seq: EventSeq,
    /// What happened.
    pub kind: vigil_domain::EventKind,
    /// The tip concerned.
    pub tip_id: TipId,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Which tips to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TipQuery {
    /// Only these provinces; `None` for all.
    pub provinces: Option<Vec<String>>,
    /// Only this status.
    pub status: Option<TipStatus>,
    /// At most this many.
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}
