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
    /// The reward the tip earned, once a supervisor awarded one.
    pub reward: Option<RewardOut>,
}

/// A reporter's reward: the code to claim it with, shown only to whoever
/// holds the receipt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RewardOut {
    /// The code, grouped (`K7P-4QX-9MZ`).
    pub code: String,
    /// How it is claimed (`[public] reward_channel`); empty: in person at a
    /// police station.
    pub channel: String,
    /// RFC 3339.
    pub awarded_at: String,
    /// RFC 3339, once claimed.
    pub claimed_at: Option<String>,
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
    /// The field refused, for `invalid-field` (`text`, `photos[0].content_type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// One reason of a facility's priority.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonOut {
    /// Stable code (`held`, `corroboration`, …).
    pub code: String,
    /// Its weight in the score.
    pub weight: f64,
    /// The evidence in plain English.
    pub detail: String,
    /// The evidence as numbers by name, for clients that word it in their
    /// own language: `tips` (`held`, `passports_taken`, `violence`,
    /// `children`), `independent` and `tips` (`corroboration`), `level`
    /// from 0 no place to 4 village or coordinates (`specific_place`),
    /// `count` (`identifiers`, `photos`, `earlier_operations`), `days`
    /// (`recency`). Empty for reasons computed before it was kept.
    pub args: std::collections::BTreeMap<String, f64>,
}

/// A suspected facility.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacilityOut {
    /// Id (stable across reclustering as far as its tips allow).
    pub id: i64,
    /// Priority score.
    pub priority: f64,
    /// Province code (2 digits), if known.
    pub province_code: Option<String>,
    /// Number of tips (all of them, whoever may read them).
    pub tips: i64,
    /// Its first tip's time (RFC 3339).
    pub first_at: String,
    /// Its latest tip's time (RFC 3339).
    pub last_at: String,
    /// Why it ranks where it does, largest weight first.
    pub reasons: Vec<ReasonOut>,
}

/// A page of facilities.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacilitiesOut {
    /// How many facilities the token may see in all.
    pub total: i64,
    /// This page (50 at most), highest priority first.
    pub facilities: Vec<FacilityOut>,
}

/// A tip of a facility, without its text (read tips on the staff pages).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacilityTipOut {
    /// Tip id.
    pub id: i64,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// Province code.
    pub province_code: Option<String>,
    /// District code.
    pub district_code: Option<String>,
}

/// A facility with its tips within the token's jurisdiction (newest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacilityDetailOut {
    /// The facility.
    pub facility: FacilityOut,
    /// Its tips.
    pub tips: Vec<FacilityTipOut>,
}

/// One reason of a screening's outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreeningReasonOut {
    /// The indicator's code (`funds_below_minimum`, `watchlist_match`, …).
    pub code: String,
    /// The points it added.
    pub weight: u32,
    /// What was seen, in words (a watchlist hit names the facility or tips
    /// behind it only as far as the token's account may see).
    pub evidence: String,
}

/// A question for the officer to ask next, in Khmer and English.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionOut {
    /// The indicator it follows up.
    pub code: String,
    /// Khmer.
    pub km: String,
    /// English.
    pub en: String,
}

/// A stored screening: advice to the officer, never a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreeningOut {
    /// The stored screening's id.
    pub id: i64,
    /// The traveller's reference, as sent.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `clear`, `interview` or `refer`.
    pub outcome: String,
    /// The sum of the reasons' weights.
    pub score: u32,
    /// Every reason with its evidence.
    pub reasons: Vec<ScreeningReasonOut>,
    /// The policy, `name@version`.
    pub policy: String,
    /// The questions to ask next.
    pub questions: Vec<QuestionOut>,
}

/// The officer's decision on a screening.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// `clear`, `interview` or `refer`: what the officer decided.
    pub decision: String,
    /// A note (stored encrypted), optional.
    #[serde(default)]
    pub note: String,
}

/// What central did with a pushed bundle.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncReceivedOut {
    /// Screenings not seen before.
    pub new: u64,
    /// Known screenings with a newer decision.
    pub updated: u64,
    /// Known screenings with nothing newer (a bundle sent again).
    pub unchanged: u64,
}

/// A text to check: a number, link, handle or wallet alone, or a whole
/// message. Never stored or logged.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The text.
    pub text: String,
}

/// A band of independent reports: `from`–`to`, or `from` or more.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BandOut {
    /// The band's first count (never below `min_reports`).
    pub from: u32,
    /// Its last count; absent for the open band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<u32>,
}

/// An analyst's standing of a value.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingOut {
    /// `confirmed`, `investigating` or `cleared`.
    pub standing: String,
    /// `reports`, `operation`, `impersonation`, `recruitment`, `money` or
    /// `legitimate`.
    pub reason: String,
    /// Since when, `YYYY-MM-DD` in Cambodia.
    pub since: String,
}

/// One identifier of a checked text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckedValueOut {
    /// Its kind (`phone`, `url`, `telegram`, `crypto_wallet`…).
    pub kind: String,
    /// Its normalised value (what the range API hashes).
    pub value: String,
    /// Independent reports, when at least `min_reports`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<BandOut>,
    /// Province codes named by at least `min_reports` of them.
    pub provinces: Vec<String>,
    /// An analyst's standing, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<StandingOut>,
    /// What makes the value deceptive in itself: `userinfo`, `ip_host`,
    /// `international`, `nested`, `looks_like`.
    pub warnings: Vec<String>,
    /// The protected domain it imitates, with `looks_like`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub looks_like: Option<String>,
}

/// A warning sign of a job offer or message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignOut {
    /// The sign's id in the rules file.
    pub sign: String,
    /// The words that show it.
    pub evidence: String,
}

/// What Vigil's reports say about a checked text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckOut {
    /// Reports below this many are never mentioned.
    pub min_reports: u32,
    /// Each identifier found.
    pub values: Vec<CheckedValueOut>,
    /// Warning signs in the text.
    pub signs: Vec<SignOut>,
    /// Whether identifiers beyond the first 25 were left out.
    pub cut: bool,
}

/// One known value of a range.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RangeEntryOut {
    /// The other 59 hexadecimal digits of the value's SHA-256.
    pub suffix: String,
    /// Its kind.
    pub kind: String,
    /// Independent reports, when at least `min_reports`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<BandOut>,
    /// An analyst's standing, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<StandingOut>,
}

/// The known values whose SHA-256 starts with `prefix`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RangeOut {
    /// The 5 hexadecimal digits asked for, lowercase.
    pub prefix: String,
    /// Reports below this many are never mentioned.
    pub min_reports: u32,
    /// The values, by suffix.
    pub entries: Vec<RangeEntryOut>,
}

/// Several ranges at once (partners).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangesIn {
    /// Prefixes of 5 hexadecimal digits, at most 1,000.
    pub prefixes: Vec<String>,
}

/// The ranges asked for, each once, in order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RangesOut {
    /// The ranges.
    pub ranges: Vec<RangeOut>,
}
