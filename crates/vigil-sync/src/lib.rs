//! Signed sync bundles between an offline post and the central instance: the
//! format, its canonical bytes and the Ed25519 signature over them. Pure: no
//! files, no network, no clock (the caller passes times and key material).
//!
//! A bundle travels as an envelope, `{"signed": "<canonical JSON text>",
//! "signature": "<base64>"}`. The signature covers the exact bytes of
//! `signed`, so any altered byte — in the items, the header or the signature —
//! refuses the bundle whole. `signed` is the compact JSON of [`Bundle`] with
//! its fields in declared order, which makes a bundle's bytes reproducible.

#![forbid(unsafe_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use ed25519_dalek::{SigningKey, VerifyingKey};

#[cfg(test)]
mod tests;

/// The bundle format this code writes and reads.
pub const FORMAT: u32 = 1;

/// What a bundle carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Screenings made at a post, pushed up to central.
    Screenings,
    /// Central's watchlist and policy, pulled down by a post.
    Watchlist,
}

impl Kind {
    /// The kind's name as written in bundles.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Screenings => "screenings",
            Kind::Watchlist => "watchlist",
        }
    }
}

/// A bundle: a header and its items (`T` is [`ScreeningItems`] or
/// [`WatchlistItems`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle<T> {
    /// Always [`FORMAT`].
    pub format: u32,
    /// What it carries.
    pub kind: Kind,
    /// The instance that made and signed it (`[sync] instance`).
    pub from: String,
    /// When it was made, Unix nanoseconds.
    pub created_ns: i64,
    /// The sender's change sequence this bundle starts after (exclusive).
    pub after: i64,
    /// The sender's change sequence this bundle reaches (inclusive).
    pub upto: i64,
    /// The items.
    pub items: T,
}

/// The screenings of a push.
pub type ScreeningItems = Vec<ScreeningItem>;

/// One screening as it leaves a post: the traveller and note in the clear (the
/// receiver seals them under its own keys), identified by `uid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningItem {
    /// `instance:id`, unique across instances.
    pub uid: String,
    /// The policy, `name@version`.
    pub policy: String,
    /// `clear`, `interview` or `refer`.
    pub outcome: String,
    /// The score.
    pub score: i64,
    /// The reasons, a JSON array.
    pub reasons: String,
    /// The border post.
    pub post: String,
    /// The officer's account id at the post.
    pub officer: i64,
    /// The traveller as screened (JSON).
    pub traveller: String,
    /// When it was screened, Unix nanoseconds.
    pub created_ns: i64,
    /// The officer's decision, once recorded.
    pub decision: Option<String>,
    /// The officer's note (empty when none).
    pub note: String,
    /// When the decision was recorded, Unix nanoseconds.
    pub decided_ns: Option<i64>,
}

/// Central's watchlist (labelled for the pulling account) and its policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchlistItems {
    /// The listed values and their labels.
    pub entries: Vec<WatchlistEntry>,
    /// The policy in force, `name@version`.
    pub policy_id: String,
    /// The policy's TOML text.
    pub policy: String,
}

/// One listed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchlistEntry {
    /// The value (normal form).
    pub value: String,
    /// What it is tied to.
    pub label: String,
}

/// A key whose bundles are accepted, and the instance name it signs as
/// (`None`: any name, e.g. central's key at a post).
#[derive(Debug, Clone)]
pub struct Signer {
    /// The instance name, when it is fixed.
    pub name: Option<String>,
    /// Its public key.
    pub key: VerifyingKey,
}

/// Why a bundle was refused. Every variant refuses it whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Not an envelope at all.
    #[error("not a sync bundle: {0}")]
    NotABundle(String),
    /// The signature does not verify.
    #[error("the signature does not match: the bundle was altered or signed with another key")]
    BadSignature,
    /// Signed in the name of an instance this side does not trust.
    #[error("signed as \"{0}\", which is not a trusted instance here")]
    UnknownSigner(String),
    /// Another kind than expected.
    #[error("a {found} bundle where a {expected} bundle was expected")]
    WrongKind {
        /// What was expected.
        expected: &'static str,
        /// What came.
        found: &'static str,
    },
    /// A format this code does not read.
    #[error("bundle format {0} is not supported (this version reads format {FORMAT})")]
    Format(u32),
    /// Signed, but its items do not read.
    #[error("the bundle's contents do not read: {0}")]
    Malformed(String),
    /// A key that does not parse.
    #[error("not an Ed25519 public key: {0}")]
    BadKey(String),
}

/// A signed envelope: the exact text signed and its Ed25519 signature
/// (base64). Verification is over `signed` as received, never over a
/// re-serialisation. Sync bundles and custody bundles both travel in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The signed text (canonical JSON of the contents).
    pub signed: String,
    /// The signature of `signed`'s bytes, base64.
    pub signature: String,
}

impl Envelope {
    /// Signs `signed` with `key`.
    pub fn sign(signed: String, key: &SigningKey) -> Envelope {
        let signature = B64.encode(key.sign(signed.as_bytes()).to_bytes());
        Envelope { signed, signature }
    }

    /// Reads an envelope's JSON (nothing is verified yet).
    pub fn read(bytes: &[u8]) -> Result<Envelope, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The index of the first of `keys` under which the signature verifies
    /// (`verify_strict` over the exact signed bytes), if any.
    pub fn signed_by<'k>(&self, keys: impl IntoIterator<Item = &'k VerifyingKey>) -> Option<usize> {
        let signature: [u8; 64] = B64.decode(self.signature.trim()).ok()?.try_into().ok()?;
        let signature = Signature::from_bytes(&signature);
        keys.into_iter()
            .position(|k| k.verify_strict(self.signed.as_bytes(), &signature).is_ok())
    }
}

/// Just enough of the header to pick the key; read before verification and
/// trusted only after it.
#[derive(Deserialize)]
struct Header {
    format: u32,
    kind: Kind,
    from: String,
}

/// A signing key from 32 secret bytes.
pub fn signing_key(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// A public key as shared between instances (base64 of its 32 bytes).
pub fn public_key_text(key: &VerifyingKey) -> String {
    B64.encode(key.as_bytes())
}

/// Reads a public key written by [`public_key_text`].
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, SyncError> {
    let bytes = B64
        .decode(text.trim())
        .map_err(|e| SyncError::BadKey(e.to_string()))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| SyncError::BadKey("not 32 bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| SyncError::BadKey(e.to_string()))
}

/// The canonical bytes of a bundle: compact JSON, fields in declared order.
pub fn canonical<T: Serialize>(bundle: &Bundle<T>) -> Result<String, SyncError> {
    serde_json::to_string(bundle).map_err(|e| SyncError::Malformed(e.to_string()))
}

/// Signs `bundle` and wraps it in its envelope (JSON text).
pub fn seal<T: Serialize>(bundle: &Bundle<T>, key: &SigningKey) -> Result<String, SyncError> {
    serde_json::to_string(&Envelope::sign(canonical(bundle)?, key))
        .map_err(|e| SyncError::Malformed(e.to_string()))
}

/// Opens an envelope: the signature must verify under the key trusted for the
/// name it was signed as, the format and kind must be the expected ones, and
/// the items must read. Anything else refuses the bundle whole.
pub fn open<T: DeserializeOwned>(
    text: &str,
    kind: Kind,
    trusted: &[Signer],
) -> Result<Bundle<T>, SyncError> {
    let envelope = Envelope::read(text.as_bytes()).map_err(SyncError::NotABundle)?;
    let header: Header = serde_json::from_str(&envelope.signed)
        .map_err(|e| SyncError::NotABundle(format!("header: {e}")))?;
    let candidates: Vec<&Signer> = trusted
        .iter()
        .filter(|s| s.name.as_deref().is_none_or(|n| n == header.from))
        .collect();
    if candidates.is_empty() {
        return Err(SyncError::UnknownSigner(header.from));
    }
    if envelope
        .signed_by(candidates.iter().map(|s| &s.key))
        .is_none()
    {
        return Err(SyncError::BadSignature);
    }
    if header.format != FORMAT {
        return Err(SyncError::Format(header.format));
    }
    if header.kind != kind {
        return Err(SyncError::WrongKind {
            expected: kind.as_str(),
            found: header.kind.as_str(),
        });
    }
    serde_json::from_str(&envelope.signed).map_err(|e| SyncError::Malformed(e.to_string()))
}
