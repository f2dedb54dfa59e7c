//! Finds identifiers in tip text — phone numbers, e-mail addresses, links and their
//! domains, messenger and social handles, crypto wallets, bank cards, IBANs,
//! coordinates and Cambodian place names — and writes each one the same way every time.
//!
//! ```
//! let found = vigil_extract::extract("Call +855 (0)12 345 678 or t.me/RecruiterKH");
//! assert_eq!(found[0].kind, vigil_extract::Kind::Phone);
//! assert_eq!(found[0].value, "+85512345678");
//! ```
//!
//! The crate is pure: no IO, no global mutable state (only lazily built, read-only
//! indexes over embedded metadata). The text is read in one pass by a hand-written
//! scanner; validation (libphonenumber metadata, checksums, the Public Suffix List,
//! the gazetteer) runs only on candidates.
//!
//! # Fuzzing
//! A `cargo fuzz` target lives in `fuzz/` (its own workspace). With only a stable
//! toolchain: `cargo install cargo-fuzz`, then from `crates/vigil-extract`:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run extract -- -max_total_time=60`.

#![forbid(unsafe_code)]

mod coords;
mod dict;
mod iban;
mod labels;
mod norm;
mod numbers;
pub mod org;
mod phone;
mod place;
mod scan;
mod wallet;
mod web;

use serde::ser::{Serialize, SerializeMap, Serializer};

pub use phone::PhoneType;
pub use vigil_domain::gazetteer::Level;
pub use wallet::Chain;

/// The kind of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A phone number, normalised to E.164.
    Phone,
    /// An e-mail address, lowercase.
    Email,
    /// A link, `scheme://host/path?query`.
    Url,
    /// A registrable domain (Public Suffix List), lowercase, Unicode form.
    Domain,
    /// A Telegram username, lowercase without `@`.
    Telegram,
    /// A WhatsApp account, E.164.
    Whatsapp,
    /// A LINE id, lowercase.
    Line,
    /// A WeChat id, lowercase.
    Wechat,
    /// A Zalo id (a phone number in E.164, or a lowercase id).
    Zalo,
    /// A Facebook profile name or numeric id, lowercase.
    Facebook,
    /// A TikTok username, lowercase.
    Tiktok,
    /// An Instagram username, lowercase.
    Instagram,
    /// A crypto wallet address whose checksum holds.
    CryptoWallet,
    /// A payment card number passing Luhn, digits only.
    BankCard,
    /// An IBAN passing mod-97, uppercase without spaces.
    Iban,
    /// A position, `lat,lon` with 6 decimals.
    Coordinates,
    /// A Cambodian place, as its gazetteer code.
    Place,
}

impl Kind {
    /// Every kind, in a stable order.
    pub const ALL: [Kind; 17] = [
        Kind::Phone,
        Kind::Email,
        Kind::Url,
        Kind::Domain,
        Kind::Telegram,
        Kind::Whatsapp,
        Kind::Line,
        Kind::Wechat,
        Kind::Zalo,
        Kind::Facebook,
        Kind::Tiktok,
        Kind::Instagram,
        Kind::CryptoWallet,
        Kind::BankCard,
        Kind::Iban,
        Kind::Coordinates,
        Kind::Place,
    ];

    /// The stable snake_case name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Url => "url",
            Kind::Domain => "domain",
            Kind::Telegram => "telegram",
            Kind::Whatsapp => "whatsapp",
            Kind::Line => "line",
            Kind::Wechat => "wechat",
            Kind::Zalo => "zalo",
            Kind::Facebook => "facebook",
            Kind::Tiktok => "tiktok",
            Kind::Instagram => "instagram",
            Kind::CryptoWallet => "crypto_wallet",
            Kind::BankCard => "bank_card",
            Kind::Iban => "iban",
            Kind::Coordinates => "coordinates",
            Kind::Place => "place",
        }
    }

    /// The kind with this snake_case name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Extra facts about some identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// For phone numbers (also WhatsApp/Zalo numbers): the region and line type.
    Phone {
        /// ISO 3166 region, e.g. `KH`, or `001` for non-geographic numbers.
        region: &'static str,
        /// Line type according to the metadata.
        number_type: PhoneType,
    },
    /// For wallets: the chain whose address format and checksum matched.
    Wallet {
        /// The chain.
        chain: Chain,
    },
    /// For places: the unit's level and English name.
    Place {
        /// Administrative level.
        level: Level,
        /// Official English name.
        name: String,
    },
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What it is.
    pub kind: Kind,
    /// Its normal form.
    pub value: String,
    /// Byte offset of its first byte in the original text (a char boundary).
    pub start: usize,
    /// Byte offset just past its last byte in the original text (a char boundary).
    pub end: usize,
    /// Extra facts, where they apply.
    pub detail: Option<Detail>,
}

impl Serialize for Found {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind.as_str())?;
        m.serialize_entry("value", &self.value)?;
        m.serialize_entry("start", &self.start)?;
        m.serialize_entry("end", &self.end)?;
        match &self.detail {
            Some(Detail::Phone {
                region,
                number_type,
            }) => {
                m.serialize_entry("region", region)?;
                m.serialize_entry("type", number_type.as_str())?;
            }
            Some(Detail::Wallet { chain }) => m.serialize_entry("chain", chain.as_str())?,
            Some(Detail::Place { level, name }) => {
                m.serialize_entry("level", level.as_str())?;
                m.serialize_entry("name", name)?;
            }
            None => {}
        }
        m.end()
    }
}

/// How to read texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Region (ISO 3166 alpha-2) assumed for phone numbers written without a
    /// country code. Cambodia (`KH`) unless told otherwise.
    pub default_region: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            default_region: "KH",
        }
    }
}

/// Every identifier in `text`, sorted by start (then end, then kind). Phone numbers
/// without a country code are read as Cambodian.
pub fn extract(text: &str) -> Vec<Found> {
    extract_with(text, &Options::default())
}

/// Every identifier in `text`, read with `options`.
pub fn extract_with(text: &str, options: &Options) -> Vec<Found> {
    let mut out = scan::scan(text, options);
    place::find(text, &mut out);
    out.sort_by(|a, b| (a.start, a.end, a.kind, &a.value).cmp(&(b.start, b.end, b.kind, &b.value)));
    out.dedup_by(|a, b| {
        a.start == b.start && a.end == b.end && a.kind == b.kind && a.value == b.value
    });
    out
}
