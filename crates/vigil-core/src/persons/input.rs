//! A person met, as typed, checked: role, nationality, documents (passport
//! numbers through `vigil_domain::documents` when a check digit or an MRZ
//! line is given), age or date of birth, and the victim checklist assessed by
//! `vigil_domain::victims::assess`. Every error names its field.

use serde::{Deserialize, Serialize};
use time::Date;
use vigil_domain::documents;
use vigil_domain::victims::{self, Assessment, Consent, Indicator, Referral};

use crate::CoreError;
use crate::operations::invalid;

/// The roles a person is met in.
pub const ROLES: [&str; 4] = ["suspect", "victim", "witness", "recruiter"];

/// Document kinds.
pub const DOCUMENT_KINDS: [&str; 3] = ["passport", "national_id", "other"];

/// A document as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInput {
    /// `passport`, `national_id` or `other`.
    pub kind: String,
    /// The number, or a passport's whole MRZ line 2 (44 characters).
    pub number: String,
    /// The issuing country (ISO alpha-2 or ICAO alpha-3), may be empty.
    pub country: String,
    /// A passport number's ICAO check digit, when typed (may be empty).
    pub check_digit: String,
}

/// A person met, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    /// `suspect`, `victim`, `witness` or `recruiter`.
    pub role: String,
    /// ISO 3166-1 alpha-2 (`KH`).
    pub nationality: String,
    /// Language spoken.
    pub language: String,
    /// `f`, `m` or empty.
    pub sex: String,
    /// Age in years, or empty.
    pub age: String,
    /// `YYYY-MM-DD` or `YYYY`, or empty.
    pub date_of_birth: String,
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Other spellings, names in Khmer or Chinese script, aliases.
    pub other_names: Vec<String>,
    /// Documents.
    pub documents: Vec<DocumentInput>,
    /// Free notes.
    pub notes: String,
    /// Checklist indicators answered yes (`Indicator::code`s).
    pub indicators: Vec<String>,
    /// In imminent danger.
    pub imminent_danger: bool,
    /// `given`, `refused` or `not_asked` (empty: not asked).
    pub consent: String,
    /// Home village: its code, or its name in any spelling, optionally
    /// followed by `, commune`.
    pub home_village: String,
    /// A victim's: the recruiter's phone numbers, handles, links; a
    /// recruiter's: their own. Any format.
    pub contacts: String,
    /// A victim's: the job promised.
    pub promised_job: String,
    /// A victim's: the route taken.
    pub route: String,
    /// A recruiter's: arrested in this operation.
    pub arrested: bool,
}

/// A document as kept in the sealed identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// `passport`, `national_id` or `other`.
    pub kind: String,
    /// The number (checked and normalised where a check digit was given).
    pub number: String,
    /// Issuing country.
    pub country: String,
}

/// Who the person is: kept sealed, never in the clear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Other spellings and names in script.
    pub other_names: Vec<String>,
    /// Date of birth as typed (`YYYY-MM-DD` or `YYYY`), or empty.
    pub date_of_birth: String,
    /// Age in years when met, when known.
    pub age: Option<u8>,
    /// Documents.
    pub documents: Vec<Document>,
    /// Notes.
    pub notes: String,
}

impl Identity {
    /// The name to show: given and family, else the first other name.
    pub fn display_name(&self) -> String {
        let full = format!("{} {}", self.given_name, self.family_name);
        let full = full.trim();
        if full.is_empty() {
            self.other_names.first().cloned().unwrap_or_default()
        } else {
            full.to_string()
        }
    }
}

/// A checked person: the clear fields, the identity and the assessment.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub identity: Identity,
    pub role: String,
    pub nationality: String,
    pub language: String,
    pub sex: String,
    pub minor: bool,
    pub imminent_danger: bool,
    pub consent: &'static str,
    pub assessment: Assessment,
    pub home: Option<vigil_store::HomeVillage>,
    pub recruitment: Option<vigil_store::Recruitment>,
    pub arrested: bool,
}

impl Checked {
    /// Referred under the rule.
    pub fn referred(&self) -> bool {
        matches!(
            self.assessment.referral,
            Referral::Always(_) | Referral::WithConsent
        )
    }
}

fn text(field: &str, value: &str, max: usize) -> Result<String, CoreError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(invalid(
            field,
            (crate::field::FieldMessage::TooLong, "max", max),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(
            field,
            crate::field::FieldMessage::ControlCharacters,
        ));
    }
    Ok(value.to_string())
}

fn country(field: &str, value: &str, required: bool) -> Result<String, CoreError> {
    let v = value.trim().to_ascii_uppercase();
    if v.is_empty() && !required {
        return Ok(v);
    }
    let len_ok = if field == "nationality" {
        v.len() == 2
    } else {
        (2..=3).contains(&v.len())
    };
    if !len_ok || !v.bytes().all(|b| b.is_ascii_uppercase()) {
        let what = if field == "nationality" {
            crate::field::FieldMessage::NotACountry
        } else {
            crate::field::FieldMessage::NotADocumentCountry
        };
        return Err(invalid(field, (what, "value", value.trim())));
    }
    Ok(v)
}

fn document(i: usize, d: &DocumentInput) -> Result<Document, CoreError> {
    let field = |f: &str| format!("documents[{i}].{f}");
    let kind = d.kind.trim();
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(invalid(
            &field("kind"),
            (
                crate::field::FieldMessage::NotAChoice,
                "choices",
                "passport, national_id, other",
            ),
        ));
    }
    let mut country = country(&field("country"), &d.country, false)?;
    let typed = text(&field("number"), &d.number, 60)?;
    if typed.is_empty() {
        return Err(invalid(
            &field("number"),
            crate::field::FieldMessage::Required,
        ));
    }
    let doc_err = |e: documents::DocumentError| invalid(&field(e.field), e.message);
    let check = d.check_digit.trim();
    let number = if kind == "passport" && typed.len() == 44 && typed.contains('<') {
        let mrz = documents::parse_td3_line2(&typed).map_err(doc_err)?;
        if country.is_empty() {
            country = mrz.nationality.clone();
        }
        mrz.document_number
    } else if kind == "passport" && !check.is_empty() {
        let mut chars = check.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(invalid(
                &field("check_digit"),
                (crate::field::FieldMessage::NotOneDigit, "value", check),
            ));
        };
        documents::check_passport(&country, &typed, Some(c)).map_err(doc_err)?
    } else {
        typed
    };
    Ok(Document {
        kind: kind.to_string(),
        number,
        country,
    })
}

/// Age in whole years at `today` of someone born on `dob` (`YYYY-MM-DD` or
/// `YYYY`). With the year only the younger possible age is taken: a child's
/// age is presumed when in doubt.
fn age_from(dob: &str, today: Date) -> Result<Option<u8>, CoreError> {
    let dob = dob.trim();
    if dob.is_empty() {
        return Ok(None);
    }
    let bad = || {
        invalid(
            "date_of_birth",
            (crate::field::FieldMessage::NotABirthDate, "value", dob),
        )
    };
    let years = if dob.len() == 4 {
        let y: i32 = dob.parse().map_err(|_| bad())?;
        // Only the year: the lower age (a birthday not yet reached), never
        // below 0 for someone born this year; a later year is refused below.
        if y > today.year() {
            -1
        } else {
            (today.year() - y - 1).max(0)
        }
    } else {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = Date::parse(dob, &fmt).map_err(|_| bad())?;
        let mut years = today.year() - d.year();
        if (today.month() as u8, today.day()) < (d.month() as u8, d.day()) {
            years -= 1;
        }
        years
    };
    if !(0..=120).contains(&years) {
        return Err(invalid(
            "date_of_birth",
            (
                crate::field::FieldMessage::ImplausibleBirthDate,
                "value",
                dob,
            ),
        ));
    }
    Ok(u8::try_from(years.max(0)).ok())
}

/// Checks one person as typed, met on `today`.
pub(crate) fn check(input: &PersonInput, today: Date) -> Result<Checked, CoreError> {
    let role = input.role.trim();
    if !ROLES.contains(&role) {
        return Err(invalid(
            "role",
            (
                crate::field::FieldMessage::NotAChoice,
                "choices",
                "suspect, victim, witness, recruiter",
            ),
        ));
    }
    let nationality = country("nationality", &input.nationality, true)?;
    let language = text("language", &input.language, 40)?;
    let sex = input.sex.trim().to_ascii_lowercase();
    if !matches!(sex.as_str(), "" | "f" | "m") {
        return Err(invalid(
            "sex",
            (crate::field::FieldMessage::NotAChoice, "choices", "f, m"),
        ));
    }
    let typed_age = match input.age.trim() {
        "" => None,
        a => Some(
            a.parse::<u8>()
                .ok()
                .filter(|a| *a <= 120)
                .ok_or_else(|| invalid("age", crate::field::FieldMessage::NotANumber))?,
        ),
    };
    let dob_age = age_from(&input.date_of_birth, today)?;
    if let (Some(a), Some(d)) = (typed_age, dob_age)
        && a.abs_diff(d) > 1
    {
        return Err(invalid(
            "age",
            crate::field::FieldMessage::AgeMismatch
                .with("value", a)
                .arg("computed", d),
        ));
    }
    let age = dob_age.or(typed_age);
    let given_name = text("given_name", &input.given_name, 200)?;
    let family_name = text("family_name", &input.family_name, 200)?;
    let other_names = input
        .other_names
        .iter()
        .map(|n| text("other_names", n, 200))
        .filter(|n| !matches!(n, Ok(n) if n.is_empty()))
        .collect::<Result<Vec<_>, _>>()?;
    if given_name.is_empty() && family_name.is_empty() && other_names.is_empty() {
        return Err(invalid("given_name", crate::field::FieldMessage::NoName));
    }
    let documents = input
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| document(i, d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut indicators = Vec::new();
    for code in &input.indicators {
        let code = code.trim();
        indicators.push(Indicator::from_code(code).ok_or_else(|| {
            invalid(
                "indicators",
                (crate::field::FieldMessage::NotKnown, "value", code),
            )
        })?);
    }
    let (consent, consent_code) = match input.consent.trim() {
        "given" => (Consent::Given, "given"),
        "refused" => (Consent::Refused, "refused"),
        "" | "not_asked" => (Consent::NotAsked, "not_asked"),
        _ => {
            return Err(invalid(
                "consent",
                (
                    crate::field::FieldMessage::NotAChoice,
                    "choices",
                    "given, refused, not_asked",
                ),
            ));
        }
    };
    let assessment = victims::assess(&indicators, age, consent, input.imminent_danger);
    let home = super::origin::village("home_village", &input.home_village)?;
    let recruitment =
        super::origin::recruitment(role, &input.contacts, &input.promised_job, &input.route)?;
    if input.arrested && role != "recruiter" {
        return Err(invalid("arrested", crate::field::FieldMessage::NotForRole));
    }
    Ok(Checked {
        home,
        recruitment,
        arrested: input.arrested,
        identity: Identity {
            given_name,
            family_name,
            other_names,
            date_of_birth: input.date_of_birth.trim().to_string(),
            age,
            documents,
            notes: text("notes", &input.notes, 4000)?,
        },
        role: role.to_string(),
        nationality,
        language,
        sex,
        minor: assessment.indicators.contains(&Indicator::Under18),
        imminent_danger: input.imminent_danger,
        consent: consent_code,
        assessment,
    })
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_calendar_date(2026, time::Month::November, 26).expect("date")
    }

    #[test]
    fn a_year_of_birth_gives_the_younger_age_and_this_year_is_a_baby() {
        assert_eq!(age_from("2026", today()).expect("this year"), Some(0));
        assert_eq!(age_from("2025", today()).expect("last year"), Some(0));
        assert_eq!(age_from("2000", today()).expect("2000"), Some(25));
        assert!(
            age_from("2027", today()).is_err(),
            "a later year is refused"
        );
        assert_eq!(age_from("2008-11-27", today()).expect("day"), Some(17));
    }

    fn base() -> PersonInput {
        PersonInput {
            role: "victim".into(),
            nationality: "kh".into(),
            given_name: "Sokha".into(),
            family_name: "Chan".into(),
            ..PersonInput::default()
        }
    }

    fn field(r: Result<Checked, CoreError>) -> String {
        match r {
            Err(CoreError::InvalidField(fe)) => fe.field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn fields_are_checked_and_named() {
        let ok = check(&base(), today()).expect("ok");
        assert_eq!(ok.nationality, "KH");
        type Edit = fn(&mut PersonInput);
        let cases: Vec<(Edit, &str)> = vec![
            (|p| p.role = "boss".into(), "role"),
            ((|p| p.nationality = "Cambodia".into()), "nationality"),
            ((|p| p.nationality = "K1".into()), "nationality"),
            ((|p| p.age = "old".into()), "age"),
            ((|p| p.date_of_birth = "12/3/1990".into()), "date_of_birth"),
            (
                (|p| {
                    p.given_name.clear();
                    p.family_name.clear();
                }),
                "given_name",
            ),
            ((|p| p.indicators = vec!["tired".into()]), "indicators"),
            ((|p| p.consent = "maybe".into()), "consent"),
            (
                (|p| {
                    p.documents = vec![DocumentInput {
                        kind: "passport".into(),
                        number: "N1234567".into(),
                        country: "KHM".into(),
                        check_digit: "0".into(),
                    }]
                }),
                "documents[0].check_digit",
            ),
        ];
        for (edit, expected) in cases {
            let mut p = base();
            edit(&mut p);
            assert_eq!(field(check(&p, today())), expected, "{p:?}");
        }
    }

    #[test]
    fn passports_with_a_check_digit_are_verified_else_kept() {
        let digit = documents::icao_check_digit("N1234567").expect("digit");
        let mut p = base();
        p.documents = vec![
            DocumentInput {
                kind: "passport".into(),
                number: "n1234567".into(),
                country: "KHM".into(),
                check_digit: digit.to_string(),
            },
            DocumentInput {
                kind: "passport".into(),
                number: "e-99 12".into(),
                country: "cn".into(),
                check_digit: String::new(),
            },
        ];
        let c = check(&p, today()).expect("ok");
        assert_eq!(c.identity.documents[0].number, "N1234567");
        assert_eq!(c.identity.documents[1].number, "e-99 12", "kept as typed");
        assert_eq!(c.identity.documents[1].country, "CN");
    }

    #[test]
    fn age_and_date_of_birth_decide_minor() {
        let mut p = base();
        p.date_of_birth = "2009-12-01".into();
        let c = check(&p, today()).expect("ok");
        assert_eq!(c.identity.age, Some(16));
        assert!(c.minor && c.assessment.likely_victim && c.referred());
        p.date_of_birth = "1990-03-07".into();
        p.age = "14".into();
        assert_eq!(field(check(&p, today())), "age");
        p.date_of_birth.clear();
        p.age = "30".into();
        let adult = check(&p, today()).expect("adult");
        assert!(!adult.minor && !adult.assessment.likely_victim && !adult.referred());
    }
}
