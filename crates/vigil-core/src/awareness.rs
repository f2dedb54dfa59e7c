//! What the public awareness pages show that is data rather than words: the
//! licensed recruitment agencies, from the ministry's TOML file (`[public]
//! agencies_file`) or the copy embedded in the binary (`data/agencies.toml`,
//! which lists none on purpose), and the search a reader runs over them.
//!
//! A file that does not load is refused whole with a typed [`AgenciesError`]
//! naming the line and the entry, so the operator can fix it; the page then
//! tells the reader to ask the ministry instead of showing a partial list.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use vigil_domain::digits::digit_value;
use vigil_domain::gazetteer::{Level, gazetteer};

use crate::settings::PublicSettings;

/// The embedded list: its format and no agency.
pub const SHIPPED: &str = include_str!("../data/agencies.toml");

/// The longest text a field of an entry may hold, in characters.
pub const MAX_FIELD: usize = 200;

/// The longest search a reader may type, in characters; the rest is ignored.
pub const MAX_QUERY: usize = 100;

/// One licensed recruitment agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Its registered name, as the licence writes it.
    pub name: String,
    /// Its name in Khmer script; empty when the licence gives none.
    pub name_km: String,
    /// The licence number.
    pub licence: String,
    /// The gazetteer code of the province of its office.
    pub province: String,
    /// The office's number, as dialled in Cambodia.
    pub phone: String,
}

impl Agency {
    /// The phone number as a `tel:` link takes it: digits and a leading `+`.
    pub fn tel(&self) -> String {
        let plus = self.phone.trim_start().starts_with('+');
        let digits: String = self
            .phone
            .chars()
            .filter_map(ascii_digit)
            .collect::<String>();
        if plus { format!("+{digits}") } else { digits }
    }
}

/// The agencies of one file, in file order, without its examples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agencies {
    /// Who published the list; empty for the embedded copy.
    pub source: String,
    /// The date of the list (`YYYY-MM-DD`); empty for the embedded copy.
    pub updated: String,
    list: Vec<Agency>,
}

/// What is wrong with one entry of an agencies file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// A required field is empty.
    #[error("{0} must be given")]
    Missing(&'static str),
    /// A field is longer than [`MAX_FIELD`] characters.
    #[error("{0} is longer than {MAX_FIELD} characters")]
    TooLong(&'static str),
    /// The province is not a province code of the gazetteer.
    #[error("province {0:?} is not a province code of the gazetteer (\"12\" is Phnom Penh)")]
    Province(String),
    /// The phone number holds something other than digits, spaces, `+`,
    /// `-`, `.` and brackets, or too few digits.
    #[error("phone {0:?} is not a phone number")]
    Phone(String),
    /// The licence number was already given to the entry named.
    #[error("licence {licence:?} is also given to agency {first}")]
    Duplicate {
        /// The licence number.
        licence: String,
        /// The entry (1-based) that has it first.
        first: usize,
    },
}

/// Why an agencies file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgenciesError {
    /// The file named in the settings could not be read.
    #[error("[public] agencies_file {path}: cannot read it: {reason}")]
    Read {
        /// The path as configured.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// The file is not TOML of the expected shape (an unknown or missing
    /// key, a value of the wrong type, broken syntax).
    #[error("agencies{}: {reason}", at_line(*line))]
    Format {
        /// The line (1-based) where the problem is, when known.
        line: Option<usize>,
        /// What the TOML reader said.
        reason: String,
    },
    /// `source` or `updated` is missing or wrong while agencies are listed.
    #[error("agencies, line {line}: {field} {problem}")]
    Header {
        /// `source` or `updated`.
        field: &'static str,
        /// The line of the field (1 when it is absent).
        line: usize,
        /// What is wrong.
        problem: HeaderProblem,
    },
    /// One `[[agency]]` entry is wrong.
    #[error("agencies, line {line}: agency {entry}: {problem}")]
    Entry {
        /// The entry, counted from 1 in file order.
        entry: usize,
        /// The line where the entry starts.
        line: usize,
        /// What is wrong.
        problem: EntryProblem,
    },
}

/// What is wrong with `source` or `updated`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderProblem {
    /// Empty while agencies are listed.
    #[error("must be given when agencies are listed")]
    Missing,
    /// `updated` is not a date written `YYYY-MM-DD`.
    #[error("must be a date written YYYY-MM-DD")]
    NotADate,
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: Option<toml::Spanned<String>>,
    updated: Option<toml::Spanned<String>>,
    #[serde(default)]
    agency: Vec<toml::Spanned<RawAgency>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_km: String,
    #[serde(default)]
    licence: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    example: bool,
}

/// The line (1-based) of a byte offset of `text`.
fn line_of(text: &str, span: &Range<usize>) -> usize {
    let end = span.start.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

impl Agencies {
    /// Reads an agencies file (TOML: `source`, `updated`, `[[agency]]`
    /// tables). Every listed entry needs a name, a licence number unique in
    /// the file, a gazetteer province code and a phone number; `source` and
    /// `updated` are required once an agency is listed. Entries marked
    /// `example = true` are checked but never listed.
    pub fn parse(text: &str) -> Result<Agencies, AgenciesError> {
        let file: File = toml::from_str(text).map_err(|e| AgenciesError::Format {
            line: e.span().map(|s| line_of(text, &s)),
            reason: e.message().trim().to_string(),
        })?;
        let mut list = Vec::new();
        let mut licences: HashMap<String, usize> = HashMap::new();
        for (i, spanned) in file.agency.iter().enumerate() {
            let entry = i + 1;
            let line = line_of(text, &spanned.span());
            let refuse = |problem| AgenciesError::Entry {
                entry,
                line,
                problem,
            };
            let a = spanned.get_ref();
            let agency = Agency {
                name: a.name.trim().to_string(),
                name_km: a.name_km.trim().to_string(),
                licence: a.licence.trim().to_string(),
                province: a.province.trim().to_string(),
                phone: a.phone.trim().to_string(),
            };
            for (field, value) in [
                ("name", &agency.name),
                ("name_km", &agency.name_km),
                ("licence", &agency.licence),
                ("province", &agency.province),
                ("phone", &agency.phone),
            ] {
                if value.is_empty() && field != "name_km" {
                    return Err(refuse(EntryProblem::Missing(field)));
                }
                if value.chars().count() > MAX_FIELD {
                    return Err(refuse(EntryProblem::TooLong(field)));
                }
            }
            let is_province = gazetteer()
                .get(&agency.province)
                .is_some_and(|u| u.level == Level::Province);
            if !is_province {
                return Err(refuse(EntryProblem::Province(agency.province.clone())));
            }
            if !is_phone(&agency.phone) {
                return Err(refuse(EntryProblem::Phone(agency.phone.clone())));
            }
            let key = compact(&agency.licence);
            if let Some(first) = licences.get(&key) {
                return Err(refuse(EntryProblem::Duplicate {
                    licence: agency.licence.clone(),
                    first: *first,
                }));
            }
            licences.insert(key, entry);
            if !a.example {
                list.push(agency);
            }
        }
        // A header absent from the file is named at line 1.
        let header = |f: &Option<toml::Spanned<String>>| match f {
            Some(s) => (s.get_ref().trim().to_string(), line_of(text, &s.span())),
            None => (String::new(), 1),
        };
        let (source, source_line) = header(&file.source);
        let (updated, updated_line) = header(&file.updated);
        if !updated.is_empty() && !is_date(&updated) {
            return Err(AgenciesError::Header {
                field: "updated",
                line: updated_line,
                problem: HeaderProblem::NotADate,
            });
        }
        if !list.is_empty() {
            for (field, value, line) in [
                ("source", &source, source_line),
                ("updated", &updated, updated_line),
            ] {
                if value.is_empty() {
                    return Err(AgenciesError::Header {
                        field,
                        line,
                        problem: HeaderProblem::Missing,
                    });
                }
            }
        }
        Ok(Agencies {
            source,
            updated,
            list,
        })
    }

    /// The embedded list (`data/agencies.toml`): no agency.
    pub fn shipped() -> Agencies {
        // The embedded file is checked by a test; were it broken, the page
        // would still send the reader to the ministry.
        Agencies::parse(SHIPPED).unwrap_or_default()
    }

    /// Every listed agency, in file order (examples left out).
    pub fn all(&self) -> &[Agency] {
        &self.list
    }

    /// Whether no agency is listed (the reader must ask the ministry).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The agencies that match what a reader typed, in file order: every
    /// word of `query` must appear in the agency's name (either spelling),
    /// licence number, province (Khmer or English name, or code) or phone.
    /// Case does not matter, nor do Khmer or Thai digits against Latin ones,
    /// zero-width spaces, or the spaces and dashes inside numbers; a phone
    /// written `+855 12 …` is found as `012 …`. An empty query matches all.
    pub fn search(&self, query: &str) -> Vec<&Agency> {
        let query: String = query.chars().take(MAX_QUERY).collect();
        let words: Vec<String> = normalise(&query)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        self.list
            .iter()
            .filter(|a| {
                let text = haystack(a);
                let numbers = numbers_of(a);
                words.iter().all(|w| {
                    text.contains(w.as_str()) || {
                        let d = compact(w);
                        !d.is_empty() && numbers.iter().any(|n| n.contains(&d))
                    }
                })
            })
            .collect()
    }
}

/// The agencies `[public] agencies_file` names, read now, or the embedded
/// list when none is named. Read on every call, so that a file the
/// ministry replaces is shown without a restart.
pub fn load(settings: &PublicSettings) -> Result<Agencies, AgenciesError> {
    let path = settings.agencies_file.trim();
    if path.is_empty() {
        return Ok(Agencies::shipped());
    }
    let text = std::fs::read_to_string(path).map_err(|e| AgenciesError::Read {
        path: path.to_string(),
        reason: e.to_string(),
    })?;
    Agencies::parse(&text)
}

/// An ASCII digit for a digit of any script people type here (Latin,
/// Khmer, Thai…).
fn ascii_digit(c: char) -> Option<char> {
    digit_value(c).map(|d| char::from(b'0' + d))
}

/// Lower case, Latin digits, no zero-width characters or soft hyphens, one
/// space between words.
fn normalise(s: &str) -> String {
    let mapped: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{FEFF}'
            )
        })
        .map(|c| ascii_digit(c).unwrap_or(c))
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A number without its separators (spaces, dashes, dots, slashes,
/// brackets, `+`), lower case.
fn compact(s: &str) -> String {
    normalise(s)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+'))
        .collect()
}

/// Every text of an agency a word may be found in, normalised.
fn haystack(a: &Agency) -> String {
    let mut parts = vec![
        a.name.clone(),
        a.name_km.clone(),
        a.licence.clone(),
        a.province.clone(),
        a.phone.clone(),
    ];
    if let Some(u) = gazetteer().get(&a.province) {
        parts.push(u.name_en.clone());
        parts.push(u.name_km.clone());
    }
    normalise(&parts.join(" "))
}

/// The agency's numbers without separators: its phone (also as dialled
/// at home when written with +855), its licence.
fn numbers_of(a: &Agency) -> Vec<String> {
    let phone = compact(&a.phone);
    let mut v = vec![compact(&a.licence), phone.clone()];
    if let Some(rest) = phone.strip_prefix("855") {
        v.push(format!("0{rest}"));
    }
    v
}

fn is_phone(s: &str) -> bool {
    let allowed = s
        .chars()
        .all(|c| ascii_digit(c).is_some() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits = s.chars().filter_map(ascii_digit).count();
    allowed && (6..=15).contains(&digits) && !s.chars().skip(1).any(|c| c == '+')
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape && crate::cases::parse_date("updated", s).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

    use super::*;

    const LIST: &str = r#"
source = "Ministry of Labour and Vocational Training"
updated = "2026-11-02"

[[agency]]
name = "Mekong Test Manpower Co., Ltd."
name_km = "ក្រុមហ៊ុន មេគង្គ តេស្ត"
licence = "T-0001"
province = "12"
phone = "+855 23 111 222"

[[agency]]
name = "Angkor Sample Recruitment"
licence = "T-0002"
province = "17"
phone = "063 333 444"

[[agency]]
name = "Shown nowhere"
licence = "T-0003"
province = "12"
phone = "023 000 000"
example = true
"#;

    fn parsed() -> Agencies {
        Agencies::parse(LIST).expect("parses")
    }

    fn names(found: Vec<&Agency>) -> Vec<String> {
        found.into_iter().map(|a| a.licence.clone()).collect()
    }

    fn refused(text: &str) -> AgenciesError {
        Agencies::parse(text).expect_err("refused")
    }

    #[test]
    fn the_embedded_file_loads_and_lists_no_agency() {
        let shipped = Agencies::parse(SHIPPED).expect("the embedded file parses");
        assert!(shipped.is_empty());
        assert_eq!(shipped.source, "");
        assert_eq!(load(&PublicSettings::default()).expect("load"), shipped);
    }

    #[test]
    fn a_file_lists_its_agencies_without_the_examples() {
        let a = parsed();
        assert_eq!(a.source, "Ministry of Labour and Vocational Training");
        assert_eq!(a.updated, "2026-11-02");
        assert_eq!(names(a.all().iter().collect()), ["T-0001", "T-0002"]);
        assert_eq!(a.all()[0].tel(), "+85523111222");
        assert_eq!(a.all()[1].tel(), "063333444");
        assert_eq!(a.all()[1].name_km, "");
    }

    #[test]
    fn search_matches_any_spelling_as_written() {
        let a = parsed();
        let check = |q: &str, want: &[&str]| {
            assert_eq!(names(a.search(q)), want, "search {q:?}");
        };
        check("", &["T-0001", "T-0002"]);
        check("   ", &["T-0001", "T-0002"]);
        check("MEKONG", &["T-0001"]);
        check("mekong manpower", &["T-0001"]);
        check("mekong angkor", &[]);
        check("មេគង្គ", &["T-0001"]);
        check("មេ\u{200B}គង្គ", &["T-0001"]);
        check("t-0002", &["T-0002"]);
        check("T0002", &["T-0002"]);
        check("siem reap", &["T-0002"]);
        check("សៀមរាប", &["T-0002"]);
        check("phnom penh", &["T-0001"]);
        check("023 111 222", &["T-0001"]);
        check("023111222", &["T-0001"]);
        check("០៦៣ ៣៣៣", &["T-0002"]);
        check("shown nowhere", &[]);
        check("nothing like it", &[]);
    }

    #[test]
    fn a_file_is_loaded_from_the_path_in_the_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("agencies.toml");
        std::fs::write(&path, LIST).expect("write");
        let settings = PublicSettings {
            agencies_file: path.display().to_string(),
            ..PublicSettings::default()
        };
        assert_eq!(load(&settings).expect("load"), parsed());

        std::fs::write(&path, LIST.replace("\"17\"", "\"99\"")).expect("write");
        let e = load(&settings).expect_err("a wrong province");
        assert_eq!(
            e,
            AgenciesError::Entry {
                entry: 2,
                line: 12,
                problem: EntryProblem::Province("99".into())
            }
        );
        assert!(e.to_string().contains("line 12: agency 2"), "{e}");

        let missing = PublicSettings {
            agencies_file: dir.path().join("gone.toml").display().to_string(),
            ..PublicSettings::default()
        };
        match load(&missing).expect_err("no such file") {
            AgenciesError::Read { path, .. } => assert!(path.ends_with("gone.toml")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wrong_entry_is_named_by_number_and_line() {
        let entry = |fields: &str| {
            format!("source = \"M\"\nupdated = \"2026-01-01\"\n\n[[agency]]\n{fields}\n")
        };
        let ok = "name = \"A\"\nlicence = \"L1\"\nprovince = \"12\"\nphone = \"023 111 222\"";
        assert!(Agencies::parse(&entry(ok)).is_ok());
        let problem = |fields: &str| match refused(&entry(fields)) {
            AgenciesError::Entry {
                entry: 1,
                line: 4,
                problem,
            } => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problem(&ok.replace("name = \"A\"", "name = \" \"")),
            EntryProblem::Missing("name")
        );
        assert_eq!(
            problem(&ok.replace("licence = \"L1\"", "licence = \"\"")),
            EntryProblem::Missing("licence")
        );
        assert_eq!(
            problem(&ok.replace("\"12\"", "\"1201\"")),
            EntryProblem::Province("1201".into())
        );
        assert_eq!(
            problem(&ok.replace("023 111 222", "call me")),
            EntryProblem::Phone("call me".into())
        );
        assert_eq!(
            problem(&ok.replace("023 111 222", "12")),
            EntryProblem::Phone("12".into())
        );
        let long = "x".repeat(MAX_FIELD + 1);
        assert_eq!(
            problem(&ok.replace("name = \"A\"", &format!("name = \"{long}\""))),
            EntryProblem::TooLong("name")
        );

        let twice = format!("{}\n[[agency]]\n{}\n", entry(ok), ok.replace("L1", "l-1"));
        assert_eq!(
            refused(&twice),
            AgenciesError::Entry {
                entry: 2,
                line: 10,
                problem: EntryProblem::Duplicate {
                    licence: "l-1".into(),
                    first: 1
                }
            }
        );
    }

    #[test]
    fn a_list_needs_its_source_and_date() {
        let body = "[[agency]]\nname = \"A\"\nlicence = \"L1\"\nprovince = \"12\"\nphone = \"023 111 222\"\n";
        assert_eq!(
            refused(&format!("updated = \"2026-01-01\"\n{body}")),
            AgenciesError::Header {
                field: "source",
                line: 1,
                problem: HeaderProblem::Missing
            }
        );
        assert_eq!(
            refused(&format!("source = \"M\"\n{body}")),
            AgenciesError::Header {
                field: "updated",
                line: 1,
                problem: HeaderProblem::Missing
            }
        );
        assert_eq!(
            refused(&format!("source = \"M\"\nupdated = \"2026-02-30\"\n{body}")),
            AgenciesError::Header {
                field: "updated",
                line: 2,
                problem: HeaderProblem::NotADate
            }
        );
    }

    #[test]
    fn a_file_of_another_shape_is_refused_with_its_line() {
        let unknown = refused("source = \"M\"\n\n[[agency]]\nname = \"A\"\nlicense = \"L1\"\n");
        match &unknown {
            AgenciesError::Format { line, reason } => {
                assert!(reason.contains("license"), "{reason}");
                assert!(line.is_some_and(|l| (3..=5).contains(&l)), "{line:?}");
            }
            other => panic!("{other:?}"),
        }
        match refused("source = \"M\"\nupdated = 2026\n") {
            AgenciesError::Format { line, .. } => assert_eq!(line, Some(2)),
            other => panic!("{other:?}"),
        }
        match refused("source = \"M\"\n[[agency]\n") {
            AgenciesError::Format { line, .. } => assert_eq!(line, Some(2)),
            other => panic!("{other:?}"),
        }
    }
}
