//! What the crate finds and how it reads: [`Found`], with its [`Kind`] and
//! [`Detail`], and the [`Options`] of a scan.

use serde::ser::{Serialize, SerializeMap, Serializer};
use vigil_domain::gazetteer::Level;

use crate::phone::PhoneType;
use crate::wallet::Chain;

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
    /// For links: what makes the link deceptive in itself.
    Link {
        /// The warnings, in a stable order.
        warnings: Vec<LinkWarning>,
    },
    /// For places: the unit's level and English name.
    Place {
        /// Administrative level.
        level: Level,
        /// Official English name.
        name: String,
    },
}

/// Something about a link that misleads its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkWarning {
    /// Text before `@` in front of the host
    /// (`https://your-bank.com.kh@evil.example/`): what a reader takes for the
    /// host is not where the link leads.
    Userinfo,
    /// The host is an IP address, not a name.
    IpHost,
    /// The host is written in non-ASCII letters (or their punycode), as
    /// look-alikes of real names are.
    International,
    /// The link was found percent-encoded inside another link's query, as a
    /// redirector hides its destination.
    Nested,
}

impl LinkWarning {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkWarning::Userinfo => "userinfo",
            LinkWarning::IpHost => "ip_host",
            LinkWarning::International => "international",
            LinkWarning::Nested => "nested",
        }
    }
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
            Some(Detail::Link { warnings }) => {
                let names: Vec<&str> = warnings.iter().map(|w| w.as_str()).collect();
                m.serialize_entry("warnings", &names)?;
            }
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
