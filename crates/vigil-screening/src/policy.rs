//! A screening policy: indicators, weights, bands and limits, loaded from TOML.

use std::collections::BTreeSet;

use serde::Deserialize;

/// The shipped default policy, as TOML.
pub const DEFAULT_POLICY: &str = include_str!("../policy/default.toml");

/// What a policy can check. Each indicator is computed from the traveller's answers
/// and documents; the policy decides its weight and whether it refers alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// No passport, or a visa of an unclear kind.
    NoClearDocuments,
    /// The stated purpose does not fit the papers or the job offer.
    PurposeMismatch,
    /// No guarantor, or one not verified.
    NoAuthenticGuarantor,
    /// Less cash than the policy's minimum.
    FundsBelowMinimum,
    /// A short trip without a return ticket.
    NoReturnTicket,
    /// The ticket was paid by an employer, a recruiter or someone unknown.
    TicketPaidByThirdParty,
    /// Someone else holds the traveller's documents.
    DocumentsHeldByOther,
    /// A companion answers for the traveller.
    CompanionAnswers,
    /// The job offer shows the signs of a lure.
    JobOfferRedFlags,
    /// A contact or employer in the job offer is on the watchlist.
    WatchlistMatch,
}

impl Indicator {
    /// Every indicator, in a stable order.
    pub const ALL: [Indicator; 10] = [
        Indicator::NoClearDocuments,
        Indicator::PurposeMismatch,
        Indicator::NoAuthenticGuarantor,
        Indicator::FundsBelowMinimum,
        Indicator::NoReturnTicket,
        Indicator::TicketPaidByThirdParty,
        Indicator::DocumentsHeldByOther,
        Indicator::CompanionAnswers,
        Indicator::JobOfferRedFlags,
        Indicator::WatchlistMatch,
    ];

    /// The indicator's code, as written in policies and reasons.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::NoClearDocuments => "no_clear_documents",
            Indicator::PurposeMismatch => "purpose_mismatch",
            Indicator::NoAuthenticGuarantor => "no_authentic_guarantor",
            Indicator::FundsBelowMinimum => "funds_below_minimum",
            Indicator::NoReturnTicket => "no_return_ticket",
            Indicator::TicketPaidByThirdParty => "ticket_paid_by_third_party",
            Indicator::DocumentsHeldByOther => "documents_held_by_other",
            Indicator::CompanionAnswers => "companion_answers",
            Indicator::JobOfferRedFlags => "job_offer_red_flags",
            Indicator::WatchlistMatch => "watchlist_match",
        }
    }

    /// The indicator with this code.
    pub fn parse(code: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// A traveller attribute a policy may weight directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    /// Sex (protected).
    Sex,
    /// Ethnicity (protected).
    Ethnicity,
    /// Religion (protected).
    Religion,
    /// Nationality.
    Nationality,
}

impl Attribute {
    /// The attribute's name in policies.
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Sex => "sex",
            Attribute::Ethnicity => "ethnicity",
            Attribute::Religion => "religion",
            Attribute::Nationality => "nationality",
        }
    }

    /// Whether weighting it needs a written justification.
    pub fn is_protected(self) -> bool {
        matches!(
            self,
            Attribute::Sex | Attribute::Ethnicity | Attribute::Religion
        )
    }

    fn parse(name: &str) -> Option<Attribute> {
        [
            Attribute::Sex,
            Attribute::Ethnicity,
            Attribute::Religion,
            Attribute::Nationality,
        ]
        .into_iter()
        .find(|a| a.name() == name)
    }
}

/// One indicator as a policy sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorRule {
    /// What is checked.
    pub indicator: Indicator,
    /// Points added to the score when it holds.
    pub weight: u32,
    /// Whether it alone makes the outcome `refer`.
    pub refers_alone: bool,
    /// The question or check, in Khmer.
    pub question_km: String,
    /// The question or check, in English.
    pub question_en: String,
}

/// A weight on a traveller attribute's value (a protected one needs a justification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeWeight {
    /// The attribute.
    pub attribute: Attribute,
    /// The value that earns the weight (compared without case).
    pub value: String,
    /// Points added when the traveller has that value.
    pub weight: u32,
    /// Why the policy weights it; required for protected attributes.
    pub justification: Option<String>,
}

/// Score thresholds: at or above `interview` the outcome is an interview, at or
/// above `refer` a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// The lowest score that means an interview.
    pub interview: u32,
    /// The lowest score that means a referral.
    pub refer: u32,
}

/// Who is asked the screening questions. It never changes a score.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Sexes in scope (`female`, `male`, `other`, `unspecified`); empty: all.
    #[serde(default)]
    pub sex: Vec<String>,
    /// Youngest age in scope.
    pub age_min: Option<u8>,
    /// Oldest age in scope.
    pub age_max: Option<u8>,
    /// Why this scope, in words.
    #[serde(default)]
    pub note: String,
}

/// What makes a job offer look like a lure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobOfferRules {
    /// A monthly pay in USD above this is unrealistic for the work offered.
    pub unrealistic_pay_usd: Option<u32>,
    /// Phrases (any language, compared without case) saying no experience is needed.
    #[serde(default)]
    pub no_experience_phrases: Vec<String>,
    /// Phrases saying travel, visa or food are paid.
    #[serde(default)]
    pub travel_paid_phrases: Vec<String>,
    /// Identifier kinds (vigil-extract names) that are messaging apps.
    #[serde(default)]
    pub messaging_kinds: Vec<String>,
    /// Destinations (ISO 3166-1 alpha-2) known for scam compounds.
    #[serde(default)]
    pub hotspot_destinations: Vec<String>,
}

/// A loaded, checked policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The least cash in USD a traveller should carry.
    pub minimum_cash_usd: u32,
    /// Score thresholds.
    pub bands: Bands,
    /// Who is asked, if the policy says.
    pub scope: Option<Scope>,
    /// Indicators, in the policy's order.
    pub indicators: Vec<IndicatorRule>,
    /// Direct weights on attributes (empty in the default policy).
    pub attribute_weights: Vec<AttributeWeight>,
    /// Job-offer signs.
    pub job_offer: JobOfferRules,
}

/// Why a policy file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    /// Not valid TOML, or a field of the wrong type or unknown.
    #[error("policy is not valid: {0}")]
    Syntax(String),
    /// An indicator code the screening does not know.
    #[error("unknown indicator `{code}` (known: {known})")]
    UnknownIndicator {
        /// The code in the file.
        code: String,
        /// The codes that exist.
        known: String,
    },
    /// The same indicator twice.
    #[error("indicator `{0}` is set twice")]
    DuplicateIndicator(String),
    /// An attribute the screening does not know.
    #[error(
        "unknown attribute `{0}` in attribute_weights (known: sex, ethnicity, religion, nationality)"
    )]
    UnknownAttribute(String),
    /// A protected attribute is weighted without a written justification.
    #[error("attribute `{0}` is protected: a weight on it needs a written `justification`")]
    ProtectedWithoutJustification(String),
    /// Another inconsistency, in words.
    #[error("{0}")]
    Invalid(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: String,
    version: String,
    minimum_cash_usd: u32,
    bands: Bands,
    scope: Option<Scope>,
    #[serde(default)]
    job_offer: JobOfferRules,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    attribute_weights: Vec<RawAttributeWeight>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: String,
    weight: u32,
    #[serde(default)]
    refers_alone: bool,
    question_km: String,
    question_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttributeWeight {
    attribute: String,
    value: String,
    weight: u32,
    justification: Option<String>,
}

impl Policy {
    /// The shipped default policy.
    pub fn default_policy() -> Result<Policy, PolicyError> {
        Policy::from_toml(DEFAULT_POLICY)
    }

    /// Reads and checks a policy written in TOML.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy =
            toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        if raw.name.trim().is_empty() || raw.version.trim().is_empty() {
            return Err(PolicyError::Invalid(
                "`name` and `version` must not be empty".into(),
            ));
        }
        if raw.bands.interview == 0 || raw.bands.interview > raw.bands.refer {
            return Err(PolicyError::Invalid(format!(
                "bands: need 0 < interview ({}) <= refer ({})",
                raw.bands.interview, raw.bands.refer
            )));
        }
        let mut seen = BTreeSet::new();
        let mut indicators = Vec::with_capacity(raw.indicators.len());
        for r in raw.indicators {
            let Some(indicator) = Indicator::parse(&r.code) else {
                let known: Vec<&str> = Indicator::ALL.iter().map(|i| i.code()).collect();
                return Err(PolicyError::UnknownIndicator {
                    code: r.code,
                    known: known.join(", "),
                });
            };
            if !seen.insert(indicator) {
                return Err(PolicyError::DuplicateIndicator(r.code));
            }
            indicators.push(IndicatorRule {
                indicator,
                weight: r.weight,
                refers_alone: r.refers_alone,
                question_km: r.question_km,
                question_en: r.question_en,
            });
        }
        let mut attribute_weights = Vec::new();
        for a in raw.attribute_weights {
            let attribute =
                Attribute::parse(&a.attribute).ok_or(PolicyError::UnknownAttribute(a.attribute))?;
            let justification = a.justification.filter(|j| !j.trim().is_empty());
            if attribute.is_protected() && a.weight > 0 && justification.is_none() {
                return Err(PolicyError::ProtectedWithoutJustification(
                    attribute.name().into(),
                ));
            }
            attribute_weights.push(AttributeWeight {
                attribute,
                value: a.value,
                weight: a.weight,
                justification,
            });
        }
        for k in &raw.job_offer.messaging_kinds {
            if vigil_extract::Kind::parse(k).is_none() {
                return Err(PolicyError::Invalid(format!(
                    "job_offer.messaging_kinds: unknown kind `{k}`"
                )));
            }
        }
        if let Some(s) = &raw.scope {
            if let (Some(min), Some(max)) = (s.age_min, s.age_max)
                && min > max
            {
                return Err(PolicyError::Invalid(format!(
                    "scope: age_min ({min}) is above age_max ({max})"
                )));
            }
            for sex in &s.sex {
                if crate::traveller::Sex::parse(sex).is_none() {
                    return Err(PolicyError::Invalid(format!(
                        "scope.sex: unknown value `{sex}`"
                    )));
                }
            }
        }
        Ok(Policy {
            name: raw.name,
            version: raw.version,
            minimum_cash_usd: raw.minimum_cash_usd,
            bands: raw.bands,
            scope: raw.scope,
            indicators,
            attribute_weights,
            job_offer: raw.job_offer,
        })
    }

    /// `name@version`, as screenings record it.
    pub fn id(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// The rule for an indicator, if the policy sets it.
    pub fn rule(&self, indicator: Indicator) -> Option<&IndicatorRule> {
        self.indicators.iter().find(|r| r.indicator == indicator)
    }

    /// The weights on protected attributes, each with its written justification,
    /// for the fairness report.
    pub fn protected_weights(&self) -> impl Iterator<Item = &AttributeWeight> {
        self.attribute_weights
            .iter()
            .filter(|a| a.attribute.is_protected() && a.weight > 0)
    }
}
