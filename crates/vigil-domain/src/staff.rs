//! Staff: roles, jurisdictions, and the rules of who may see and do what.
//!
//! Every object a staff member asks for is checked against these rules in
//! `vigil-core`; templates and handlers never decide access themselves.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::gazetteer::Gazetteer;

/// What a staff account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads and triages tips and facilities, replies to reporters.
    Analyst,
    /// Plans raids and records what was found.
    Officer,
    /// Oversees analysts and officers; acknowledges flags.
    Supervisor,
    /// Follows defendants through the courts.
    Prosecutor,
    /// Records deportations and departures; screens travellers.
    Immigration,
    /// Manages accounts and hub values.
    Admin,
    /// A telephone company, bank or platform: checks values in bulk and
    /// reads the feed of confirmed scams, through API tokens.
    Partner,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 7] = [
        Role::Analyst,
        Role::Officer,
        Role::Supervisor,
        Role::Prosecutor,
        Role::Immigration,
        Role::Admin,
        Role::Partner,
    ];

    /// The stored and typed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Prosecutor => "prosecutor",
            Role::Immigration => "immigration",
            Role::Admin => "admin",
            Role::Partner => "partner",
        }
    }

    /// Reads a role name (`immigration_officer` is accepted for `immigration`).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .or((s == "immigration_officer").then_some(Role::Immigration))
    }

    /// Whether this role must use a second factor (TOTP) to sign in.
    pub fn requires_totp(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a staff account may look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Jurisdiction {
    /// The whole country, including tips with no province.
    National,
    /// Only these provinces (two-digit gazetteer codes, sorted, no duplicates).
    Provinces(Vec<String>),
}

/// Why a jurisdiction was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JurisdictionError {
    /// A code that is not a province in the gazetteer.
    #[error("{0} is not a province code")]
    UnknownProvince(String),
    /// Nothing given.
    #[error("give `national` or a comma-separated list of province codes")]
    Empty,
}

impl Jurisdiction {
    /// Reads `national` or a comma-separated list of province codes or names.
    pub fn parse(s: &str, gazetteer: &Gazetteer) -> Result<Jurisdiction, JurisdictionError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("national") {
            return Ok(Jurisdiction::National);
        }
        let mut codes = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let code = gazetteer
                .get(part)
                .filter(|u| u.level == crate::gazetteer::Level::Province)
                .map(|u| u.code.clone())
                .or_else(|| {
                    // A name or common variant that names a province exactly.
                    gazetteer
                        .search(part, 20)
                        .into_iter()
                        .find(|m| {
                            m.unit.level == crate::gazetteer::Level::Province && m.score >= 85
                        })
                        .map(|m| m.unit.code.clone())
                })
                .ok_or_else(|| JurisdictionError::UnknownProvince(part.to_string()))?;
            codes.push(code);
        }
        if codes.is_empty() {
            return Err(JurisdictionError::Empty);
        }
        codes.sort();
        codes.dedup();
        Ok(Jurisdiction::Provinces(codes))
    }

    /// Whether an object placed in `province_code` (None: no province known)
    /// lies within this jurisdiction. Objects with no province are national.
    pub fn covers(&self, province_code: Option<&str>) -> bool {
        match self {
            Jurisdiction::National => true,
            Jurisdiction::Provinces(list) => {
                province_code.is_some_and(|p| list.iter().any(|c| c == p))
            }
        }
    }

    /// The provinces, or `None` for national.
    pub fn provinces(&self) -> Option<&[String]> {
        match self {
            Jurisdiction::National => None,
            Jurisdiction::Provinces(list) => Some(list),
        }
    }

    /// The stored form: `national` or `12,18`.
    pub fn to_stored(&self) -> String {
        match self {
            Jurisdiction::National => "national".into(),
            Jurisdiction::Provinces(list) => list.join(","),
        }
    }

    /// Reads the stored form back (codes are not re-checked).
    pub fn from_stored(s: &str) -> Jurisdiction {
        if s == "national" {
            Jurisdiction::National
        } else {
            Jurisdiction::Provinces(s.split(',').map(str::to_string).collect())
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_stored())
    }
}

/// A username: 3–40 characters of lowercase letters, digits, `.`, `_`, `-`.
pub fn valid_username(s: &str) -> bool {
    (3..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer;

    #[test]
    fn roles_round_trip_and_totp_rule() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Immigration-Officer"), Some(Role::Immigration));
        assert_eq!(Role::parse("boss"), None);
        assert!(Role::Admin.requires_totp() && Role::Supervisor.requires_totp());
        assert!(!Role::Analyst.requires_totp());
    }

    #[test]
    fn jurisdictions_parse_and_cover() {
        let g = gazetteer::gazetteer();
        assert_eq!(
            Jurisdiction::parse("national", g),
            Ok(Jurisdiction::National)
        );
        let j = Jurisdiction::parse("18, 12,18", g).expect("codes");
        assert_eq!(j, Jurisdiction::Provinces(vec!["12".into(), "18".into()]));
        assert!(j.covers(Some("18")) && !j.covers(Some("01")) && !j.covers(None));
        assert!(Jurisdiction::National.covers(None));
        assert_eq!(
            Jurisdiction::parse("Phnom Penh, Kampong Som", g),
            Ok(Jurisdiction::Provinces(vec!["12".into(), "18".into()]))
        );
        assert_eq!(
            Jurisdiction::parse("ព្រះសីហនុ", g),
            Ok(Jurisdiction::Provinces(vec!["18".into()]))
        );
        assert_eq!(
            Jurisdiction::parse("99", g),
            Err(JurisdictionError::UnknownProvince("99".into()))
        );
        assert_eq!(Jurisdiction::parse(" , ", g), Err(JurisdictionError::Empty));
        assert_eq!(Jurisdiction::from_stored(&j.to_stored()), j);
    }

    #[test]
    fn usernames() {
        assert!(valid_username("sokha.analyst"));
        assert!(!valid_username("Sokha"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("a b c"));
    }
}
