//! Phone number validation over libphonenumber's metadata (as shipped by the
//! `phonenumber` crate). The crate's own parser is slow and cannot find numbers in
//! text, so only its metadata is used: the patterns of each region are compiled
//! once, lazily, into anchored regexes. This is the only module that knows the
//! `phonenumber` crate; swapping the metadata source means changing this file.

use std::collections::HashMap;
use std::sync::OnceLock;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex::{Regex, RegexBuilder};

/// The line type of a phone number, as libphonenumber classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneType {
    /// Fixed line.
    FixedLine,
    /// Mobile.
    Mobile,
    /// Fixed line or mobile (indistinguishable in this region).
    FixedLineOrMobile,
    /// Freephone.
    TollFree,
    /// Premium rate.
    PremiumRate,
    /// Shared cost.
    SharedCost,
    /// Voice over IP.
    Voip,
    /// Personal number.
    PersonalNumber,
    /// Pager.
    Pager,
    /// Universal access number.
    Uan,
    /// Voicemail access.
    Voicemail,
}

impl PhoneType {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneType::FixedLine => "fixed_line",
            PhoneType::Mobile => "mobile",
            PhoneType::FixedLineOrMobile => "fixed_line_or_mobile",
            PhoneType::TollFree => "toll_free",
            PhoneType::PremiumRate => "premium_rate",
            PhoneType::SharedCost => "shared_cost",
            PhoneType::Voip => "voip",
            PhoneType::PersonalNumber => "personal_number",
            PhoneType::Pager => "pager",
            PhoneType::Uan => "uan",
            PhoneType::Voicemail => "voicemail",
        }
    }

    fn is_geographic(self) -> bool {
        matches!(
            self,
            PhoneType::FixedLine | PhoneType::Mobile | PhoneType::FixedLineOrMobile
        )
    }
}

struct Desc {
    re: Option<Regex>,
    lengths: Vec<u16>,
}

impl Desc {
    fn new(d: &Descriptor, inherit: &[u16]) -> Desc {
        let src = d.national_number().as_str();
        let re = RegexBuilder::new(&format!("^(?:{src})$"))
            .ignore_whitespace(true)
            .unicode(false)
            .build()
            .ok();
        let own = d.possible_length();
        Desc {
            re,
            lengths: if own.is_empty() {
                inherit.to_vec()
            } else {
                own.to_vec()
            },
        }
    }

    fn is_match(&self, n: &str) -> bool {
        let len = u16::try_from(n.len()).unwrap_or(u16::MAX);
        (self.lengths.is_empty() || self.lengths.contains(&len))
            && self.re.as_ref().is_some_and(|r| r.is_match(n))
    }
}

struct Compiled {
    general: Desc,
    special: Vec<(PhoneType, Desc)>,
    fixed: Option<Desc>,
    mobile: Option<Desc>,
    leading: Option<Regex>,
}

struct Region {
    id: &'static str,
    national_prefix: Option<&'static str>,
    meta: &'static Metadata,
    compiled: OnceLock<Compiled>,
}

impl Region {
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let d = self.meta.descriptors();
            let g = d.general();
            let general = Desc::new(g, &[]);
            let inherit = general.lengths.clone();
            let mut special = Vec::new();
            for (t, desc) in [
                (PhoneType::PremiumRate, d.premium_rate()),
                (PhoneType::TollFree, d.toll_free()),
                (PhoneType::SharedCost, d.shared_cost()),
                (PhoneType::Voip, d.voip()),
                (PhoneType::PersonalNumber, d.personal_number()),
                (PhoneType::Pager, d.pager()),
                (PhoneType::Uan, d.uan()),
                (PhoneType::Voicemail, d.voicemail()),
            ] {
                if let Some(desc) = desc {
                    special.push((t, Desc::new(desc, &inherit)));
                }
            }
            Compiled {
                special,
                fixed: d.fixed_line().map(|x| Desc::new(x, &inherit)),
                mobile: d.mobile().map(|x| Desc::new(x, &inherit)),
                leading: self.meta.leading_digits().and_then(|l| {
                    RegexBuilder::new(&format!("^(?:{})", l.as_str()))
                        .ignore_whitespace(true)
                        .unicode(false)
                        .build()
                        .ok()
                }),
                general,
            }
        })
    }

    fn number_type(&self, n: &str) -> Option<PhoneType> {
        let c = self.compiled();
        if !c.general.is_match(n) {
            return None;
        }
        for (t, d) in &c.special {
            if d.is_match(n) {
                return Some(*t);
            }
        }
        let fixed = c.fixed.as_ref().is_some_and(|d| d.is_match(n));
        let mobile = c.mobile.as_ref().is_some_and(|d| d.is_match(n));
        match (fixed, mobile) {
            (true, true) => Some(PhoneType::FixedLineOrMobile),
            (true, false) => Some(PhoneType::FixedLine),
            (false, true) => Some(PhoneType::Mobile),
            (false, false) => None,
        }
    }
}

struct Index {
    regions: Vec<Region>,
    by_code: HashMap<u16, Vec<usize>>,
    by_id: HashMap<&'static str, (usize, u16)>,
}

fn index() -> &'static Index {
    static I: OnceLock<Index> = OnceLock::new();
    I.get_or_init(|| {
        let db: &'static phonenumber::metadata::Database = &DATABASE;
        let mut regions = Vec::new();
        let mut by_code: HashMap<u16, Vec<usize>> = HashMap::new();
        let mut by_id = HashMap::new();
        let mut codes: Vec<u16> = db.iter().map(|m| m.country_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            for id in db.region(&code).unwrap_or_default() {
                let Some(meta) = db.by_id(id) else { continue };
                let i = regions.len();
                regions.push(Region {
                    id: meta.id(),
                    national_prefix: meta.national_prefix(),
                    meta,
                    compiled: OnceLock::new(),
                });
                by_code.entry(code).or_default().push(i);
                by_id.entry(meta.id()).or_insert((i, code));
            }
        }
        Index {
            regions,
            by_code,
            by_id,
        }
    })
}

/// Whether `code` is a country calling code in the metadata.
pub(crate) fn is_country_code(code: u16) -> bool {
    index().by_code.contains_key(&code)
}

/// A valid number: its E.164 form, region and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Valid {
    pub e164: String,
    pub region: &'static str,
    pub number_type: PhoneType,
}

/// Validates a national significant number under a country calling code.
pub(crate) fn validate(code: u16, national: &str) -> Option<Valid> {
    let idx = index();
    let list = idx.by_code.get(&code)?;
    let found = if list.len() == 1 {
        let r = &idx.regions[list[0]];
        r.number_type(national).map(|t| (r, t))
    } else {
        let mut hit = None;
        for &i in list {
            let r = &idx.regions[i];
            if let Some(l) = &r.compiled().leading {
                if l.is_match(national) {
                    hit = r.number_type(national).map(|t| (r, t));
                    break;
                }
            } else if let Some(t) = r.number_type(national) {
                hit = Some((r, t));
                break;
            }
        }
        hit
    };
    found.map(|(r, t)| Valid {
        e164: format!("+{code}{national}"),
        region: r.id,
        number_type: t,
    })
}

/// Reads digits written after a `+` (or `00`): country code, then the national number
/// (a trunk `0` written after the country code is forgiven).
pub(crate) fn international(digits: &str) -> Option<Valid> {
    for cc_len in 1..=3 {
        if digits.len() <= cc_len + 3 {
            break;
        }
        let Ok(code) = digits[..cc_len].parse::<u16>() else {
            break;
        };
        if !is_country_code(code) {
            continue;
        }
        let rest = &digits[cc_len..];
        if let Some(v) = validate(code, rest) {
            return Some(v);
        }
        if let Some(stripped) = rest.strip_prefix('0') {
            return validate(code, stripped);
        }
        return None;
    }
    None
}

/// Reads digits written the national way in `region`. Numbers of regions whose
/// trunk prefix is `0` must be written with it, except non-geographic numbers
/// (toll-free, premium…) and Chinese mobiles (`1[3-9]` + 9 digits), which people
/// write bare.
pub(crate) fn national(digits: &str, region: &str) -> Option<Valid> {
    let idx = index();
    let &(i, code) = idx.by_id.get(region)?;
    let r = &idx.regions[i];
    if let Some(np) = r.national_prefix.filter(|p| !p.is_empty())
        && let Some(rest) = digits.strip_prefix(np)
        && let Some(v) = validate_in(r, code, rest)
    {
        return Some(v);
    }
    let v = validate_in(r, code, digits)?;
    let needs_trunk = r.national_prefix == Some("0") && v.number_type.is_geographic();
    if needs_trunk && !(r.id == "CN" && v.number_type == PhoneType::Mobile) {
        return None;
    }
    Some(v)
}

fn validate_in(r: &Region, code: u16, n: &str) -> Option<Valid> {
    // Regions sharing a code (e.g. +1, +44, +7): a number valid in a sibling is
    // accepted in the sibling's name only if it is valid for the whole code.
    match r.number_type(n) {
        Some(t) => Some(Valid {
            e164: format!("+{code}{n}"),
            region: r.id,
            number_type: t,
        }),
        None if index().by_code.get(&code).is_some_and(|l| l.len() > 1) => validate(code, n),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cambodia() {
        assert_eq!(
            national("012345678", "KH").map(|v| v.e164).as_deref(),
            Some("+85512345678")
        );
        assert_eq!(
            national("0971234567", "KH").map(|v| v.e164).as_deref(),
            Some("+855971234567")
        );
        assert_eq!(international("85512345678").map(|v| v.region), Some("KH"));
        assert_eq!(national("12345678", "KH"), None);
        assert_eq!(
            national("13812345678", "CN").map(|v| v.number_type),
            Some(PhoneType::Mobile)
        );
    }
}
