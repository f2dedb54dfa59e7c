//! The rules file: its TOML shape, its checks and its compiled form.

use std::collections::{BTreeMap, BTreeSet};

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::lang::Lang;
use crate::pay::{Currency, Pay, PayCues};

/// Why a rules file was refused. Each variant names the sign and the pattern
/// at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// Not valid TOML, or a field of the wrong type or unknown.
    #[error("rules are not valid TOML: {0}")]
    Syntax(String),
    /// `version` is empty.
    #[error("`version` must not be empty")]
    EmptyVersion,
    /// A sign id that is not kebab-case ASCII (`[a-z0-9]` words joined by `-`).
    #[error("sign id `{0}` is not kebab-case")]
    BadId(String),
    /// The same sign id twice.
    #[error("sign `{0}` is defined twice")]
    DuplicateSign(String),
    /// A language the rules do not know (known: km, en, zh, vi, th).
    #[error("sign `{sign}`: unknown language `{language}` (known: km, en, zh, vi, th)")]
    UnknownLanguage {
        /// The sign.
        sign: String,
        /// The language code in the file.
        language: String,
    },
    /// A sign without a single pattern.
    #[error("sign `{0}` has no pattern")]
    NoPatterns(String),
    /// A `kind` other than `phrase` or `pay`.
    #[error("sign `{sign}`: unknown kind `{kind}` (known: phrase, pay)")]
    UnknownKind {
        /// The sign.
        sign: String,
        /// The kind in the file.
        kind: String,
    },
    /// A pattern that is not a valid regular expression, or is too big.
    #[error("sign `{sign}` ({language}): pattern `{pattern}` is not valid: {reason}")]
    BadPattern {
        /// The sign (or `pay` for the amounts section).
        sign: String,
        /// The language, or the list it is in.
        language: String,
        /// The pattern as written.
        pattern: String,
        /// What the regex compiler said.
        reason: String,
    },
    /// A pattern with an upper-case letter: text is lower-cased before matching,
    /// so it could never match.
    #[error("sign `{sign}` ({language}): pattern `{pattern}` has an upper-case letter")]
    NotLowercase {
        /// The sign.
        sign: String,
        /// The language.
        language: String,
        /// The pattern as written.
        pattern: String,
    },
    /// A `pay` sign without a `[pay]` section, or a `[pay]` section that is
    /// inconsistent.
    #[error("pay: {0}")]
    Pay(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    version: String,
    pay: Option<RawPay>,
    #[serde(default)]
    signs: Vec<RawSign>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSign {
    id: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    patterns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    with: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    unless: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    per_day: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    per_month: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPay {
    window: usize,
    day_factor: f64,
    default_currency: BTreeMap<String, String>,
    #[serde(default)]
    multipliers: Vec<RawMultiplier>,
    currencies: Vec<RawCurrency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMultiplier {
    pattern: String,
    factor: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCurrency {
    code: String,
    monthly_threshold: f64,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
}

/// What a sign looks for.
pub(crate) enum Kind {
    /// Any of its phrases.
    Phrase,
    /// A pay amount above its currency's threshold, after a pay cue (the
    /// patterns) or followed by a `per_month` or `per_day` phrase; amounts
    /// near a `per_day` phrase are scaled to a month.
    Pay(PayCues),
}

/// One compiled sign.
pub(crate) struct Sign {
    pub(crate) id: String,
    pub(crate) kind: Kind,
    /// All patterns in one regex; group `w` is the match proper.
    pub(crate) main: Regex,
    /// Index in the set of the main patterns, the `with` and `unless` groups.
    pub(crate) main_at: usize,
    pub(crate) with_at: Option<usize>,
    pub(crate) unless_at: Option<usize>,
    /// Each pattern alone, for the reference matcher: (bounded, regex).
    pub(crate) each: Vec<Regex>,
    pub(crate) each_with: Vec<Regex>,
    pub(crate) each_unless: Vec<Regex>,
}

/// The compiled rules.
pub(crate) struct Compiled {
    pub(crate) version: String,
    pub(crate) signs: Vec<Sign>,
    pub(crate) set: RegexSet,
    pub(crate) pay: Option<Pay>,
}

/// What is a letter for a word boundary in Latin-script languages (the text is
/// lower-cased): ASCII letters and digits, `_`, the Latin-1, Latin Extended-A
/// and -B and Latin Extended Additional letters (Vietnamese), combining
/// diacritics. Khmer or Thai right before an English word is a boundary, as
/// writers mix them without spaces. A few ranges rather than `\p{Latin}` keep
/// the automata small.
const WORD: &str = r"a-z0-9_\x{DF}-\x{24F}\x{1E00}-\x{1EFF}\x{300}-\x{36F}";

const SIZE_LIMIT: usize = 64 << 20;

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
}

/// One language's patterns as one alternation, wrapped for its language.
fn wrap(lang: Lang, alts: &str) -> String {
    if lang.bounded() {
        format!("(?:^|[^{WORD}])(?P<w>{alts})(?:$|[^{WORD}])")
    } else {
        format!("(?P<w>{alts})")
    }
}

/// Several languages' patterns as one regex whose group `w` is the match.
fn combine(groups: &[(Lang, Vec<String>)]) -> String {
    let bounded: Vec<&str> = groups
        .iter()
        .filter(|(l, _)| l.bounded())
        .flat_map(|(_, p)| p.iter().map(String::as_str))
        .collect();
    let free: Vec<&str> = groups
        .iter()
        .filter(|(l, _)| !l.bounded())
        .flat_map(|(_, p)| p.iter().map(String::as_str))
        .collect();
    let alt = |ps: &[&str]| {
        ps.iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|")
    };
    // The two halves share one group name through a branch each: the bounded
    // half consumes its boundary characters, the free half does not.
    match (bounded.is_empty(), free.is_empty()) {
        (false, false) => format!(
            "(?:^|[^{WORD}])(?P<w>{})(?:$|[^{WORD}])|(?P<f>{})",
            alt(&bounded),
            alt(&free)
        ),
        (false, true) => wrap(Lang::En, &alt(&bounded)),
        (true, false) => wrap(Lang::Km, &alt(&free)),
        (true, true) => "[^\\x00-\\x{10FFFF}]".to_string(),
    }
}

/// Checks, normalises and groups one list of patterns by language.
fn gather(
    sign: &str,
    what: &str,
    raw: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<(Lang, Vec<String>)>, RulesError> {
    let mut out = Vec::new();
    for (code, patterns) in raw {
        let Some(lang) = Lang::parse(code) else {
            return Err(RulesError::UnknownLanguage {
                sign: sign.to_string(),
                language: code.clone(),
            });
        };
        let mut list = Vec::with_capacity(patterns.len());
        for p in patterns {
            let language = if what.is_empty() {
                code.clone()
            } else {
                format!("{what}.{code}")
            };
            if has_upper(p) {
                return Err(RulesError::NotLowercase {
                    sign: sign.to_string(),
                    language,
                    pattern: p.clone(),
                });
            }
            let nfc: String = p.nfc().collect();
            if let Err(e) = build(&nfc) {
                return Err(RulesError::BadPattern {
                    sign: sign.to_string(),
                    language,
                    pattern: p.clone(),
                    reason: e.to_string(),
                });
            }
            if nfc.is_empty() || build(&nfc).is_ok_and(|r| r.is_match("")) {
                return Err(RulesError::BadPattern {
                    sign: sign.to_string(),
                    language,
                    pattern: p.clone(),
                    reason: "matches the empty text".into(),
                });
            }
            list.push(nfc);
        }
        if !list.is_empty() {
            out.push((lang, list));
        }
    }
    Ok(out)
}

/// Whether a pattern has an upper-case letter outside an escape (`\S`, `\p{Han}`).
fn has_upper(p: &str) -> bool {
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('p' | 'P') => {
                    let mut rest = chars.clone();
                    if rest.next() == Some('{') {
                        for c in rest.by_ref() {
                            if c == '}' {
                                break;
                            }
                        }
                        chars = rest;
                    } else {
                        chars.next();
                    }
                }
                _ => continue,
            }
        } else if c.is_uppercase() {
            return true;
        }
    }
    false
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn compile_each(sign: &str, groups: &[(Lang, Vec<String>)]) -> Result<Vec<Regex>, RulesError> {
    let mut out = Vec::new();
    for (lang, ps) in groups {
        for p in ps {
            let r =
                build(&wrap(*lang, &format!("(?:{p})"))).map_err(|e| RulesError::BadPattern {
                    sign: sign.to_string(),
                    language: lang.code().to_string(),
                    pattern: p.clone(),
                    reason: e.to_string(),
                })?;
            out.push(r);
        }
    }
    Ok(out)
}

/// Reads, checks and compiles a rules file.
pub(crate) fn compile(text: &str) -> Result<Compiled, RulesError> {
    let raw: RawRules = toml::from_str(text).map_err(|e| RulesError::Syntax(e.to_string()))?;
    if raw.version.trim().is_empty() {
        return Err(RulesError::EmptyVersion);
    }
    let mut seen = BTreeSet::new();
    let mut set_patterns: Vec<String> = Vec::new();
    let mut signs = Vec::with_capacity(raw.signs.len());
    for s in raw.signs {
        if !is_kebab(&s.id) {
            return Err(RulesError::BadId(s.id));
        }
        if !seen.insert(s.id.clone()) {
            return Err(RulesError::DuplicateSign(s.id));
        }
        let patterns = gather(&s.id, "", &s.patterns)?;
        if patterns.is_empty() {
            return Err(RulesError::NoPatterns(s.id));
        }
        let with = gather(&s.id, "with", &s.with)?;
        let unless = gather(&s.id, "unless", &s.unless)?;
        let per_day = gather(&s.id, "per_day", &s.per_day)?;
        let per_month = gather(&s.id, "per_month", &s.per_month)?;
        let kind = match s.kind.as_deref() {
            None | Some("phrase") => Kind::Phrase,
            Some("pay") => {
                if raw.pay.is_none() {
                    return Err(RulesError::Pay(format!(
                        "sign `{}` is of kind pay but there is no [pay] section",
                        s.id
                    )));
                }
                let bad = |lang: Lang, e: regex::Error| RulesError::BadPattern {
                    sign: s.id.clone(),
                    language: lang.code().to_string(),
                    pattern: String::new(),
                    reason: e.to_string(),
                };
                let by_lang = |groups: &[(Lang, Vec<String>)]| {
                    groups
                        .iter()
                        .map(|(lang, ps)| {
                            build(&combine(&[(*lang, ps.clone())]))
                                .map(|r| (*lang, r))
                                .map_err(|e| bad(*lang, e))
                        })
                        .collect::<Result<Vec<_>, _>>()
                };
                Kind::Pay(PayCues {
                    cues: by_lang(&patterns)?,
                    per_day: by_lang(&per_day)?,
                    per_month: by_lang(&per_month)?,
                })
            }
            Some(other) => {
                return Err(RulesError::UnknownKind {
                    sign: s.id,
                    kind: other.to_string(),
                });
            }
        };
        let main_src = combine(&patterns);
        let main = build(&main_src).map_err(|e| RulesError::BadPattern {
            sign: s.id.clone(),
            language: "all".into(),
            pattern: String::new(),
            reason: e.to_string(),
        })?;
        let main_at = set_patterns.len();
        set_patterns.push(main_src);
        let with_at = (!with.is_empty()).then(|| {
            set_patterns.push(combine(&with));
            set_patterns.len() - 1
        });
        let unless_at = (!unless.is_empty()).then(|| {
            set_patterns.push(combine(&unless));
            set_patterns.len() - 1
        });
        signs.push(Sign {
            each: compile_each(&s.id, &patterns)?,
            each_with: compile_each(&s.id, &with)?,
            each_unless: compile_each(&s.id, &unless)?,
            id: s.id,
            kind,
            main,
            main_at,
            with_at,
            unless_at,
        });
    }
    let set = RegexSetBuilder::new(&set_patterns)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| RulesError::BadPattern {
            sign: "all".into(),
            language: "all".into(),
            pattern: String::new(),
            reason: e.to_string(),
        })?;
    let pay = raw.pay.map(compile_pay).transpose()?;
    Ok(Compiled {
        version: raw.version,
        signs,
        set,
        pay,
    })
}

fn compile_pay(raw: RawPay) -> Result<Pay, RulesError> {
    let bad = |what: &str, pattern: &str, e: regex::Error| RulesError::BadPattern {
        sign: "pay".into(),
        language: what.into(),
        pattern: pattern.into(),
        reason: e.to_string(),
    };
    if raw.window == 0 || raw.window > 200 {
        return Err(RulesError::Pay("window must be between 1 and 200".into()));
    }
    if !(raw.day_factor.is_finite() && raw.day_factor > 0.0) {
        return Err(RulesError::Pay("day_factor must be positive".into()));
    }
    let mut multipliers = Vec::new();
    for m in &raw.multipliers {
        if has_upper(&m.pattern) {
            return Err(RulesError::NotLowercase {
                sign: "pay".into(),
                language: "multipliers".into(),
                pattern: m.pattern.clone(),
            });
        }
        if !(m.factor.is_finite() && m.factor > 0.0) {
            return Err(RulesError::Pay(format!(
                "multiplier `{}` needs a positive factor",
                m.pattern
            )));
        }
        let nfc: String = m.pattern.nfc().collect();
        let r = build(&format!("^(?:{nfc})$")).map_err(|e| bad("multipliers", &m.pattern, e))?;
        multipliers.push((nfc, r, m.factor));
    }
    let mut currencies = Vec::new();
    let mut before_all = Vec::new();
    let mut after_all = Vec::new();
    for c in &raw.currencies {
        if !(c.monthly_threshold.is_finite() && c.monthly_threshold > 0.0) {
            return Err(RulesError::Pay(format!(
                "currency `{}` needs a positive monthly_threshold",
                c.code
            )));
        }
        let side = |list: &[String], what: &str, all: &mut Vec<String>| {
            let mut ps = Vec::new();
            for p in list {
                if has_upper(p) {
                    return Err(RulesError::NotLowercase {
                        sign: "pay".into(),
                        language: format!("{} {what}", c.code),
                        pattern: p.clone(),
                    });
                }
                let nfc: String = p.nfc().collect();
                build(&nfc).map_err(|e| bad(what, p, e))?;
                all.push(format!("(?:{nfc})"));
                ps.push(format!("(?:{nfc})"));
            }
            if ps.is_empty() {
                Ok(None)
            } else {
                build(&format!("^(?:{})$", ps.join("|")))
                    .map(Some)
                    .map_err(|e| bad(what, "", e))
            }
        };
        let before = side(&c.before, "before", &mut before_all)?;
        let after = side(&c.after, "after", &mut after_all)?;
        currencies.push(Currency {
            code: c.code.clone(),
            monthly_threshold: c.monthly_threshold,
            before,
            after,
        });
    }
    let mut default_currency = Vec::new();
    for (lang, code) in &raw.default_currency {
        let Some(l) = Lang::parse(lang) else {
            return Err(RulesError::UnknownLanguage {
                sign: "pay".into(),
                language: lang.clone(),
            });
        };
        let Some(i) = currencies.iter().position(|c| &c.code == code) else {
            return Err(RulesError::Pay(format!(
                "default_currency.{lang}: unknown currency `{code}`"
            )));
        };
        default_currency.push((l, i));
    }
    Pay::new(
        raw.window,
        raw.day_factor,
        multipliers,
        currencies,
        &before_all,
        &after_all,
        default_currency,
    )
    .map_err(|e| bad("amount", "", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_outside_escapes() {
        assert!(!has_upper(r"\p{Han}\S+\d"));
        assert!(!has_upper(r"\pL abc"));
        assert!(has_upper("Telegram"));
        assert!(!has_upper("ទំនាក់ទំនង"));
        assert!(has_upper(r"\p{Han}X"));
    }

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("no-experience"));
        assert!(is_kebab("pay2"));
        assert!(!is_kebab("No-experience"));
        assert!(!is_kebab("no--experience"));
        assert!(!is_kebab("-a"));
        assert!(!is_kebab(""));
    }
}
