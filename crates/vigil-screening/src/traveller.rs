//! The traveller's answers and documents, as an officer or a border system sends them.

use serde::Deserialize;
use vigil_domain::countries::COUNTRIES;

/// Sex as the traveller states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Another.
    Other,
    /// Not said.
    Unspecified,
}

impl Sex {
    /// Every value.
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Other, Sex::Unspecified];

    /// The value as written in input and policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
            Sex::Unspecified => "unspecified",
        }
    }

    /// The value with this name.
    pub fn parse(s: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Why the traveller says they travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Tourism.
    Tourism,
    /// Work.
    Work,
    /// Study.
    Study,
    /// Visiting family.
    Family,
    /// Business.
    Business,
    /// Anything else.
    Other,
}

impl Purpose {
    /// The value as written in input.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Tourism => "tourism",
            Purpose::Work => "work",
            Purpose::Study => "study",
            Purpose::Family => "family",
            Purpose::Business => "business",
            Purpose::Other => "other",
        }
    }
}

/// The kind of visa shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visa {
    /// Tourist visa.
    Tourist,
    /// Work visa.
    Work,
    /// Student visa.
    Student,
    /// None (also for visa-free travel).
    None,
    /// Another kind.
    Other,
}

/// Whether a guarantor vouches for the traveller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guarantor {
    /// No guarantor.
    None,
    /// Named but not verified.
    Unverified,
    /// Verified by the officer.
    Verified,
}

/// Who paid the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The traveller.
    #[serde(rename = "self")]
    Traveller,
    /// Family.
    Family,
    /// An employer.
    Employer,
    /// A recruiter or agency.
    Recruiter,
    /// Not known.
    Unknown,
}

impl Payer {
    /// The value as written in input.
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Traveller => "self",
            Payer::Family => "family",
            Payer::Employer => "employer",
            Payer::Recruiter => "recruiter",
            Payer::Unknown => "unknown",
        }
    }
}

/// Documents shown at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// A valid passport.
    pub passport: bool,
    /// The visa for the destination.
    pub visa: Visa,
    /// A work permit.
    pub work_permit: bool,
    /// A written employment contract.
    pub employment_contract: bool,
    /// A return ticket.
    pub return_ticket: bool,
}

/// A job offer the traveller shows or describes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobOffer {
    /// The offer's text, as shown (any language).
    #[serde(default)]
    pub text: String,
    /// The recruiter's contact, in any format (phone, `@handle`, link…).
    #[serde(default)]
    pub contact: String,
    /// The employer or agency named.
    #[serde(default)]
    pub employer: String,
}

/// An age in years, 0 to 120.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "i64")]
pub struct Age(u8);

impl Age {
    /// The age, if within 0–120.
    pub fn new(years: i64) -> Option<Age> {
        (0..=120).contains(&years).then_some(Age(years as u8))
    }

    /// Years.
    pub fn years(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Age {
    type Error = String;
    fn try_from(v: i64) -> Result<Age, String> {
        Age::new(v).ok_or_else(|| format!("age {v} is outside 0–120"))
    }
}

/// An amount of cash in USD, zero or more.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize)]
#[serde(try_from = "f64")]
pub struct Cash(f64);

impl Cash {
    /// The amount, if finite and not negative.
    pub fn new(usd: f64) -> Option<Cash> {
        (usd.is_finite() && usd >= 0.0).then_some(Cash(usd))
    }

    /// USD.
    pub fn usd(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Cash {
    type Error = String;
    fn try_from(v: f64) -> Result<Cash, String> {
        Cash::new(v).ok_or_else(|| format!("cash {v} must be a number of USD, 0 or more"))
    }
}

/// A country as ISO 3166-1 alpha-2, uppercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Country(String);

impl Country {
    /// The code, if it is an assigned ISO 3166-1 alpha-2 code (any case).
    pub fn new(code: &str) -> Option<Country> {
        let &[a, b] = code.as_bytes() else {
            return None;
        };
        let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
        // Codes are two letters between spaces: a match is a whole code.
        let upper = std::str::from_utf8(&upper).ok()?;
        (upper.bytes().all(|b| b.is_ascii_uppercase()) && COUNTRIES.contains(upper))
            .then(|| Country(upper.to_string()))
    }

    /// The uppercase code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Country {
    type Error = String;
    fn try_from(v: String) -> Result<Country, String> {
        Country::new(&v).ok_or_else(|| format!("`{v}` is not an ISO 3166-1 alpha-2 country code"))
    }
}

/// One traveller to screen.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traveller {
    /// The caller's reference for this screening.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Sex. Never weighted by the default policy.
    pub sex: Sex,
    /// Age in years.
    pub age: Age,
    /// Nationality.
    pub nationality: Country,
    /// Destination country.
    pub destination: Country,
    /// Stated purpose.
    pub purpose: Purpose,
    /// Documents shown.
    pub documents: Documents,
    /// Guarantor.
    pub guarantor: Guarantor,
    /// Cash carried, USD.
    pub cash_usd: Cash,
    /// Who paid the ticket.
    pub ticket_paid_by: Payer,
    /// Someone else holds the traveller's documents.
    pub documents_held_by_other: bool,
    /// A companion answers for the traveller.
    pub companion_answers: bool,
    /// The job offer, if any.
    pub job_offer: Option<JobOffer>,
    /// The officer's notes (not scored).
    #[serde(default)]
    pub officer_notes: String,
    /// Ethnicity, only if a justified policy weights it.
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// Religion, only if a justified policy weights it.
    #[serde(default)]
    pub religion: Option<String>,
}

/// Why a traveller record was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    /// The field's path, e.g. `documents.visa` (`.` when not tied to one field).
    pub field: String,
    /// What kind of problem it is, for a reader's message.
    pub kind: InputProblem,
    /// What is wrong, in the parser's words (for logs and the command line).
    pub message: String,
}

/// What kind of problem a refused traveller record has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputProblem {
    /// Not JSON at all (or not UTF-8).
    Syntax,
    /// A field the record does not have.
    UnknownField,
    /// A required field is missing.
    Missing,
    /// A field given but empty.
    Empty,
    /// A value of the wrong type, or outside what the field takes.
    Value,
}

impl Traveller {
    /// Reads one traveller from a JSON object; unknown fields and values, negative
    /// cash and ages outside 0–120 are refused with the field named.
    pub fn from_json(text: &str) -> Result<Traveller, InputError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let t: Traveller = serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            // serde_json appends " at line 1 column N"; the field already says where.
            let mut message = inner.to_string();
            if let Some(i) = message.rfind(" at line ") {
                message.truncate(i);
            }
            let kind = match inner.classify() {
                serde_json::error::Category::Data if message.starts_with("unknown field") => {
                    InputProblem::UnknownField
                }
                serde_json::error::Category::Data if message.starts_with("missing field") => {
                    InputProblem::Missing
                }
                serde_json::error::Category::Data => InputProblem::Value,
                _ => InputProblem::Syntax,
            };
            InputError {
                field,
                kind,
                message,
            }
        })?;
        if t.reference.trim().is_empty() {
            return Err(InputError {
                field: "ref".into(),
                kind: InputProblem::Empty,
                message: "must not be empty".into(),
            });
        }
        Ok(t)
    }
}
