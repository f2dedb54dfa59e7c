//! Tips: what a reporter tells us, its category, place, danger flags and status.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::gazetteer::{self, Level};

/// What kind of thing the tip is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A suspected scam compound.
    ScamCompound,
    /// Trafficking or forced labour.
    Trafficking,
    /// Recruitment or a job lure.
    Recruitment,
    /// A victim of online fraud.
    FraudVictim,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in the order forms show them.
    pub const ALL: [Category; 5] = [
        Category::ScamCompound,
        Category::Trafficking,
        Category::Recruitment,
        Category::FraudVictim,
        Category::Other,
    ];

    /// The stable name used in storage, the API and imports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::ScamCompound => "scam_compound",
            Category::Trafficking => "trafficking",
            Category::Recruitment => "recruitment",
            Category::FraudVictim => "fraud_victim",
            Category::Other => "other",
        }
    }

    /// Reads the stable name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// How the tip reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The public web form.
    Web,
    /// The JSON API.
    Api,
    /// A hotline operator's import or entry.
    Hotline,
    /// Another imported source.
    Import,
}

impl Channel {
    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Hotline => "hotline",
            Channel::Import => "import",
        }
    }

    /// Reads the stable name back.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Channel::Web,
            Channel::Api,
            Channel::Hotline,
            Channel::Import,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// The coarse status a reporter may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipStatus {
    /// Stored, not yet looked at.
    Received,
    /// An analyst is looking at it.
    InReview,
    /// Action was taken on it.
    ActedOn,
    /// Closed.
    Closed,
}

impl TipStatus {
    /// The stable name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TipStatus::Received => "received",
            TipStatus::InReview => "in_review",
            TipStatus::ActedOn => "acted_on",
            TipStatus::Closed => "closed",
        }
    }

    /// Reads the stable name back.
    pub fn parse(s: &str) -> Option<Self> {
        [
            TipStatus::Received,
            TipStatus::InReview,
            TipStatus::ActedOn,
            TipStatus::Closed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// "People are in danger now" flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DangerFlags {
    /// People are held against their will.
    pub held: bool,
    /// Passports were taken.
    pub passports_taken: bool,
    /// Violence was seen or threatened.
    pub violence: bool,
    /// Children are involved.
    pub children: bool,
}

impl DangerFlags {
    /// Packs the flags into bits for storage.
    pub fn to_bits(self) -> i64 {
        i64::from(self.held)
            | i64::from(self.passports_taken) << 1
            | i64::from(self.violence) << 2
            | i64::from(self.children) << 3
    }

    /// Unpacks stored bits.
    pub fn from_bits(bits: i64) -> Self {
        DangerFlags {
            held: bits & 1 != 0,
            passports_taken: bits & 2 != 0,
            violence: bits & 4 != 0,
            children: bits & 8 != 0,
        }
    }

    /// Whether any flag is set.
    pub fn any(self) -> bool {
        self.to_bits() != 0
    }
}

/// Where the tip is about: gazetteer codes, a free-text place and coordinates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
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
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
}

/// A tip as received, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTip {
    /// How it reached us.
    pub channel: Channel,
    /// What it is about.
    pub category: Category,
    /// What happened, in the reporter's words.
    pub text: String,
    /// Where.
    pub location: Location,
    /// Danger flags.
    pub danger: DangerFlags,
    /// When it was received.
    pub received_at: OffsetDateTime,
    /// An importer's own reference (unique), for hotline imports.
    pub external_ref: Option<String>,
    /// The language the reporter used the form in (`km`, `en`, …).
    pub language: Option<String>,
}

/// Limits that apply to every tip.
#[derive(Debug, Clone, Copy)]
pub struct TipLimits {
    /// Maximum characters of `text`.
    pub max_text_chars: usize,
    /// Maximum characters of the free-text place.
    pub max_place_chars: usize,
}

impl Default for TipLimits {
    fn default() -> Self {
        TipLimits {
            max_text_chars: 20_000,
            max_place_chars: 500,
        }
    }
}

/// Why a tip (or part of one) is refused. Each variant has a stable code that the
/// web layer turns into a message in the reporter's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// Nothing was said.
    #[error("the report is empty")]
    Empty,
    /// The text is over the limit.
    #[error("the text is longer than {max} characters")]
    TextTooLong {
        /// The limit.
        max: usize,
    },
    /// The place text is over the limit.
    #[error("the place is longer than {max} characters")]
    PlaceTooLong {
        /// The limit.
        max: usize,
    },
    /// A code is not in the gazetteer.
    #[error("unknown {level} code {code}")]
    UnknownCode {
        /// Which level.
        level: Level,
        /// The code given.
        code: String,
    },
    /// A code is not inside the unit chosen above it.
    #[error("{level} {code} is not inside {parent}")]
    OutsideParent {
        /// Which level.
        level: Level,
        /// The code given.
        code: String,
        /// The parent code it should lie in.
        parent: String,
    },
    /// Coordinates out of range, or only one of the pair.
    #[error("coordinates are not valid")]
    BadCoordinates,
    /// An unknown category.
    #[error("unknown category {0}")]
    UnknownCategory(String),
    /// A message or field that must not contain control characters does.
    #[error("text contains control characters")]
    ControlCharacters,
    /// A field of the tip breaks its limit.
    #[error("{field}: {problem}")]
    Field {
        /// The field, as the form and the API name it.
        field: &'static str,
        /// What is wrong with it.
        problem: TextProblem,
    },
}

/// What is wrong with a string field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    /// Longer than `max` characters.
    #[error("longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Holds a control character it may not (NUL anywhere; in free text any
    /// but tab, newline and carriage return).
    #[error("contains control characters")]
    ControlCharacters,
}

/// Most characters of a gazetteer code (a village's 8 digits).
pub const MAX_CODE_CHARS: usize = 8;
/// Most characters of a language tag.
pub const MAX_LANGUAGE_CHARS: usize = 16;
/// Most characters of an API client's idempotency key.
pub const MAX_CLIENT_REF_CHARS: usize = 128;
/// Most characters of an importer's own reference.
pub const MAX_EXTERNAL_REF_CHARS: usize = 128;

/// Whether a free text (a report, a place, a message) may hold `c`: no
/// control character but tab, newline and carriage return.
fn free_text_allows(c: char) -> bool {
    !c.is_control() || matches!(c, '\n' | '\t' | '\r')
}

/// Checks a free text: at most `max` characters (when given), and no
/// control character but tab, newline and carriage return.
pub fn check_free_text(
    field: &'static str,
    s: &str,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    if !s.chars().all(free_text_allows) {
        return Err(ValidationError::Field {
            field,
            problem: TextProblem::ControlCharacters,
        });
    }
    match max {
        Some(max) if s.chars().count() > max => Err(ValidationError::Field {
            field,
            problem: TextProblem::TooLong { max },
        }),
        _ => Ok(()),
    }
}

/// Checks a one-line value (a code, a key, a tag): at most `max`
/// characters and no control character at all.
pub fn check_line(field: &'static str, s: &str, max: usize) -> Result<(), ValidationError> {
    if s.chars().any(char::is_control) {
        return Err(ValidationError::Field {
            field,
            problem: TextProblem::ControlCharacters,
        });
    }
    if s.chars().count() > max {
        return Err(ValidationError::Field {
            field,
            problem: TextProblem::TooLong { max },
        });
    }
    Ok(())
}

impl ValidationError {
    /// A stable, machine-readable code (also the message id in the i18n files).
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::Empty => "empty-report",
            ValidationError::TextTooLong { .. } => "text-too-long",
            ValidationError::PlaceTooLong { .. } => "place-too-long",
            ValidationError::UnknownCode { .. } => "unknown-place-code",
            ValidationError::OutsideParent { .. } => "place-code-outside-parent",
            ValidationError::BadCoordinates => "bad-coordinates",
            ValidationError::UnknownCategory(_) => "unknown-category",
            ValidationError::ControlCharacters => "control-characters",
            ValidationError::Field { .. } => "invalid-field",
        }
    }
}

/// Removes control characters other than newlines and tabs, and trims.
pub fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace("\r\n", "\n")
        .trim()
        .to_string()
}

fn blank_to_none(v: &mut Option<String>) {
    if let Some(s) = v {
        let t = s.trim();
        if t.is_empty() {
            *v = None;
        } else if t.len() != s.len() {
            *v = Some(t.to_string());
        }
    }
}

impl Location {
    /// Cleans blanks and checks the codes against the gazetteer: every code must
    /// exist and lie inside the unit chosen above it; a lower level chosen alone
    /// fills in the levels above it.
    pub fn normalise(&mut self, limits: &TipLimits) -> Result<(), ValidationError> {
        for (field, code) in [
            ("province_code", &self.province_code),
            ("district_code", &self.district_code),
            ("commune_code", &self.commune_code),
            ("village_code", &self.village_code),
        ] {
            if let Some(code) = code {
                check_line(field, code.trim(), MAX_CODE_CHARS)?;
            }
        }
        if let Some(p) = &self.place {
            check_free_text("place", p, None)?;
        }
        blank_to_none(&mut self.province_code);
        blank_to_none(&mut self.district_code);
        blank_to_none(&mut self.commune_code);
        blank_to_none(&mut self.village_code);
        if let Some(p) = &mut self.place {
            *p = clean_text(p);
        }
        blank_to_none(&mut self.place);
        if let Some(p) = &self.place
            && p.chars().count() > limits.max_place_chars
        {
            return Err(ValidationError::PlaceTooLong {
                max: limits.max_place_chars,
            });
        }
        match (self.lat, self.lon) {
            (None, None) => {}
            (Some(lat), Some(lon))
                if lat.is_finite()
                    && lon.is_finite()
                    && (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon) => {}
            _ => return Err(ValidationError::BadCoordinates),
        }
        let g = gazetteer::gazetteer();
        let levels = [
            (Level::Village, self.village_code.clone()),
            (Level::Commune, self.commune_code.clone()),
            (Level::District, self.district_code.clone()),
            (Level::Province, self.province_code.clone()),
        ];
        for (level, code) in &levels {
            let Some(code) = code else { continue };
            let unit = g.get(code).filter(|u| u.level == *level).ok_or_else(|| {
                ValidationError::UnknownCode {
                    level: *level,
                    code: code.clone(),
                }
            })?;
            // Every level above must agree with the unit's own parents.
            for ancestor in g.ancestors(unit) {
                let slot = match ancestor.level {
                    Level::Province => &mut self.province_code,
                    Level::District => &mut self.district_code,
                    Level::Commune => &mut self.commune_code,
                    Level::Village => continue,
                };
                match slot {
                    Some(given) if given != &ancestor.code => {
                        return Err(ValidationError::OutsideParent {
                            level: *level,
                            code: code.clone(),
                            parent: given.clone(),
                        });
                    }
                    Some(_) => {}
                    None => *slot = Some(ancestor.code.clone()),
                }
            }
        }
        Ok(())
    }
}

impl NewTip {
    /// Cleans and checks a tip. `has_attachments` lets a photo-only report through.
    pub fn normalise(
        &mut self,
        limits: &TipLimits,
        has_attachments: bool,
    ) -> Result<(), ValidationError> {
        check_free_text("text", &self.text, None)?;
        self.text = clean_text(&self.text);
        if self.text.chars().count() > limits.max_text_chars {
            return Err(ValidationError::TextTooLong {
                max: limits.max_text_chars,
            });
        }
        self.location.normalise(limits)?;
        blank_to_none(&mut self.external_ref);
        if let Some(r) = &self.external_ref {
            check_line("ref", r, MAX_EXTERNAL_REF_CHARS)?;
        }
        if let Some(l) = &self.language {
            check_line("language", l, MAX_LANGUAGE_CHARS)?;
        }
        if self.text.is_empty() && !has_attachments {
            return Err(ValidationError::Empty);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(p: Option<&str>, d: Option<&str>, c: Option<&str>, v: Option<&str>) -> Location {
        Location {
            province_code: p.map(str::to_string),
            district_code: d.map(str::to_string),
            commune_code: c.map(str::to_string),
            village_code: v.map(str::to_string),
            ..Location::default()
        }
    }

    #[test]
    fn codes_must_nest() {
        let limits = TipLimits::default();
        let mut ok = loc(Some("01"), Some("0102"), Some("010201"), Some("01020101"));
        assert_eq!(ok.normalise(&limits), Ok(()));

        let mut filled = loc(None, None, Some("010201"), None);
        assert_eq!(filled.normalise(&limits), Ok(()));
        assert_eq!(filled.province_code.as_deref(), Some("01"));
        assert_eq!(filled.district_code.as_deref(), Some("0102"));

        let mut outside = loc(Some("02"), None, Some("010201"), None);
        assert_eq!(
            outside.normalise(&limits).map_err(|e| e.code()),
            Err("place-code-outside-parent")
        );

        let mut unknown = loc(Some("99"), None, None, None);
        assert_eq!(
            unknown.normalise(&limits).map_err(|e| e.code()),
            Err("unknown-place-code")
        );

        // A commune code given as a district is refused.
        let mut wrong_level = loc(None, Some("010201"), None, None);
        assert_eq!(
            wrong_level.normalise(&limits).map_err(|e| e.code()),
            Err("unknown-place-code")
        );
    }

    #[test]
    fn coordinates_come_in_pairs_and_in_range() {
        let limits = TipLimits::default();
        let mut half = Location {
            lat: Some(11.5),
            ..Location::default()
        };
        assert_eq!(
            half.normalise(&limits),
            Err(ValidationError::BadCoordinates)
        );
        let mut far = Location {
            lat: Some(95.0),
            lon: Some(104.0),
            ..Location::default()
        };
        assert_eq!(far.normalise(&limits), Err(ValidationError::BadCoordinates));
        let mut nan = Location {
            lat: Some(f64::NAN),
            lon: Some(104.0),
            ..Location::default()
        };
        assert_eq!(nan.normalise(&limits), Err(ValidationError::BadCoordinates));
    }

    #[test]
    fn empty_and_long_texts_are_refused() {
        let limits = TipLimits {
            max_text_chars: 10,
            max_place_chars: 5,
        };
        let mut tip = NewTip {
            channel: Channel::Web,
            category: Category::Other,
            text: " \t\n ".into(),
            location: Location::default(),
            danger: DangerFlags::default(),
            received_at: OffsetDateTime::UNIX_EPOCH,
            external_ref: None,
            language: None,
        };
        assert_eq!(tip.normalise(&limits, false), Err(ValidationError::Empty));
        assert_eq!(tip.normalise(&limits, true), Ok(()));
        tip.text = "ក".repeat(11);
        assert_eq!(
            tip.normalise(&limits, false),
            Err(ValidationError::TextTooLong { max: 10 })
        );
        tip.text = "ក".repeat(10);
        assert_eq!(tip.normalise(&limits, false), Ok(()));
    }

    #[test]
    fn control_characters_and_overlong_fields_are_refused_by_name() {
        let field = |r: Result<(), ValidationError>| match r {
            Err(ValidationError::Field { field, problem }) => Some((field, problem)),
            _ => None,
        };
        let mut tip = NewTip {
            channel: Channel::Api,
            category: Category::Other,
            text: "held in\u{0}a compound".into(),
            location: Location::default(),
            danger: DangerFlags::default(),
            received_at: OffsetDateTime::UNIX_EPOCH,
            external_ref: None,
            language: None,
        };
        let limits = TipLimits::default();
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some(("text", TextProblem::ControlCharacters))
        );
        tip.text = "bell \u{7} and C1 \u{85}".into();
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some(("text", TextProblem::ControlCharacters))
        );
        tip.text = "line one\r\nline two\twith a tab".into();
        assert_eq!(tip.normalise(&limits, false), Ok(()));
        tip.location.place = Some("near\u{0}the bridge".into());
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some(("place", TextProblem::ControlCharacters))
        );
        tip.location.place = None;
        tip.location.village_code = Some("0".repeat(1000));
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some((
                "village_code",
                TextProblem::TooLong {
                    max: MAX_CODE_CHARS
                }
            ))
        );
        tip.location.village_code = None;
        tip.language = Some("km\u{0}".into());
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some(("language", TextProblem::ControlCharacters))
        );
        tip.language = Some("x".repeat(MAX_LANGUAGE_CHARS + 1));
        assert_eq!(
            field(tip.normalise(&limits, false)),
            Some((
                "language",
                TextProblem::TooLong {
                    max: MAX_LANGUAGE_CHARS
                }
            ))
        );
        assert!(check_line("client_ref", "a\tb", 10).is_err());
        assert_eq!(check_free_text("body", "a\tb", Some(10)), Ok(()));
    }

    #[test]
    fn flags_round_trip() {
        for bits in 0..16 {
            assert_eq!(DangerFlags::from_bits(bits).to_bits(), bits);
        }
        assert!(!DangerFlags::default().any());
    }
}
