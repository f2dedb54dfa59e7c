//! Request and response bodies of the JSON API (the wire contract).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// "People are in danger now" flags.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DangerIn {
    /// People are held against their will.
    pub held: bool,
    /// Passports were taken.
    pub passports_taken: bool,
    /// Violence.
    pub violence: bool,
    /// Children are involved.
    pub children: bool,
}

/// A photo inside a JSON request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoIn {
    /// `image/jpeg`, `image/png` or `image/webp`; checked against the content.
    pub content_type: Option<String>,
    /// The file, base64 (standard alphabet).
    pub data_base64: String,
}

/// A new tip: the same fields as the public form.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TipIn {
    /// What happened, in the reporter's words.
    #[serde(default)]
    pub text: String,
    /// `scam_compound`, `trafficking`, `recruitment`, `fraud_victim` or `other`.
    #[serde(default)]
    pub category: Option<String>,
    /// Province code (2 digits).
    pub province_code: Option<String>,
    /// District code (4 digits).
    pub district_code: Option<String>,
    /// Commune code (6 digits).
    pub commune_code: Option<String>,
    /// Village code (8 digits).
    pub village_code: Option<String>,
    /// The place in the reporter's words.
    pub place: Option<String>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Longitude, degrees.
    pub lon: Option<f64>,
    /// Danger flags.
    #[serde(default)]
    pub danger: DangerIn,
    /// The reporter's language (`km`, `en`, …).
    pub language: Option<String>,
    /// Idempotency key: a retry with the same key gets the same receipt and
    /// stores nothing twice.
    pub client_ref: Option<String>,
    /// Photos.
    #[serde(default)]
    pub photos: Vec<PhotoIn>,
    /// Use the first photo's GPS position as the tip's coordinates.
    #[serde(default)]
    pub use_photo_location: bool,
}

/// A stored tip's receipt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TipCreated {
    /// Sixteen digits in groups of four. Shown once: the reporter must keep it.
    pub receipt: String,
    /// The coarse status (`received`).
    pub status: String,
    /// True when this answers a retry with a known `client_ref`.
    pub replayed: bool,
}

/// A receipt, in the body (never in a URL).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptIn {
    /// Sixteen digits; spaces and Khmer digits accepted.
    pub receipt: String,
}

/// A follow-up message from the reporter.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageIn {
    /// Sixteen digits; spaces and Khmer digits accepted.
    pub receipt: String,
    /// The message.
    #[serde(default)]
    pub body: String,
    /// Photos.
    #[serde(default)]
    pub photos: Vec<PhotoIn>,
}

/// One message of the thread.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageOut {
    /// `reporter` or `analyst`.
    pub from: String,
    /// The text.
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    /// Photos sent with it.
    pub photos: usize,
}

/// What a receipt opens.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatusOut {
    /// `received`, `in_review`, `acted_on` or `closed`.
    pub status: String,
    /// RFC 3339.
    pub received_at: String,
    /// Photos sent with the report.
    pub report_photos: usize,
    /// The thread, oldest first.
    pub messages: Vec<MessageOut>,
}

/// A gazetteer unit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlaceOut {
    /// Official code.
    pub code: String,
    /// `province`, `district`, `commune` or `village`.
    pub level: String,
    /// Khmer name.
    pub name_km: String,
    /// English name.
    pub name_en: String,
    /// Parent code.
    pub parent: Option<String>,
}

/// An error.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorOut {
    /// The error.
    pub error: ErrorDetail,
}

/// An error's code and message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `text-too-long`.
    pub code: String,
    /// Message in the caller's language (`Accept-Language`).
    pub message: String,
}
