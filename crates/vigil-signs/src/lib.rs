//! Warning signs of recruitment and investment scams in a message or a job
//! offer, found by explainable rules in Khmer, English, Chinese, Vietnamese and
//! Thai.
//!
//! The rules are data: a versioned TOML file (`rules/default.toml`, embedded)
//! with one entry per sign, its id, and its patterns per language. Each hit
//! names the sign and quotes the words that triggered it, so a person can be
//! told *why*; the sign's title and explanation are the messages
//! `sign-<id>` and `sign-<id>-why` in the `signs` message catalogues.
//!
//! ```
//! let rules = vigil_signs::Rules::embedded().unwrap();
//! let hits = rules.find("No experience needed! Salary $3,000/month. Contact Telegram only.");
//! let ids: Vec<&str> = hits.iter().map(|h| h.sign).collect();
//! assert!(ids.contains(&"no-experience"));
//! assert!(ids.contains(&"pay-too-high"));
//! ```
//!
//! # How text is read
//! The text is folded first (NFC, lower case, Khmer and Thai digits as ASCII,
//! full-width forms as ASCII, zero-width spaces dropped). Khmer, Thai and Chinese
//! patterns match anywhere (those scripts have no spaces); English and
//! Vietnamese patterns match whole words (a Latin letter or digit on either
//! side prevents a match). Patterns are regular expressions in lower case.
//! Spans and evidence are given in the original text.
//!
//! A sign can require another group of phrases somewhere in the text (`with`:
//! a customer-service job *and* a border town) or be silenced by one (`unless`).
//! The `pay` sign reads amounts and their currencies (`$3000`, `2500 ដុល្លារ`,
//! `月薪2万`, `30 triệu`, `50,000 บาท`) after a salary word or before a "per
//! month" / "per day" phrase, and compares the monthly pay with a threshold per
//! currency from the file.
//!
//! Compiling the rules takes a fraction of a second: build [`Rules`] once and
//! share it (it is `Send + Sync`).
//!
//! The crate is pure: no IO, no clock. Matching is linear in the text (regular
//! expressions without backtracking) and never panics.

#![forbid(unsafe_code)]

mod fold;
mod lang;
mod pay;
mod rules;

use std::ops::Range;

pub use lang::Lang;
pub use rules::RulesError;

use fold::Folded;
use rules::{Compiled, Kind};

/// The shipped rules, as TOML.
pub const EMBEDDED_RULES: &str = include_str!("../rules/default.toml");

/// The most characters of evidence a hit quotes.
pub const EVIDENCE_CHARS: usize = 80;

/// One warning sign found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignHit<'r> {
    /// The sign's id (kebab-case, as in the rules file and the message ids).
    pub sign: &'r str,
    /// The words that triggered it, as written, trimmed, at most
    /// [`EVIDENCE_CHARS`] characters (a prefix of `text[span]`).
    pub evidence: String,
    /// Where those words are in the text (byte offsets, on character boundaries).
    pub span: Range<usize>,
}

/// A loaded, checked and compiled rules file.
pub struct Rules {
    inner: Compiled,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("version", &self.inner.version)
            .field("signs", &self.ids().collect::<Vec<_>>())
            .finish()
    }
}

impl Rules {
    /// The shipped rules ([`EMBEDDED_RULES`]).
    pub fn embedded() -> Result<Rules, RulesError> {
        Rules::from_toml(EMBEDDED_RULES)
    }

    /// Reads, checks and compiles rules written in TOML.
    pub fn from_toml(text: &str) -> Result<Rules, RulesError> {
        rules::compile(text).map(|inner| Rules { inner })
    }

    /// The rules' version, as written in the file.
    pub fn version(&self) -> &str {
        &self.inner.version
    }

    /// The sign ids, in rule order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.inner.signs.iter().map(|s| s.id.as_str())
    }

    /// The warning signs in `text`, in rule order, each at most once (with its
    /// first evidence).
    pub fn find(&self, text: &str) -> Vec<SignHit<'_>> {
        let folded = Folded::new(text);
        let matched = self.inner.set.matches(&folded.text);
        let mut hits = Vec::new();
        for sign in &self.inner.signs {
            if !matched.matched(sign.main_at)
                || sign.with_at.is_some_and(|i| !matched.matched(i))
                || sign.unless_at.is_some_and(|i| matched.matched(i))
            {
                continue;
            }
            let found = match &sign.kind {
                Kind::Phrase => sign
                    .main
                    .captures(&folded.text)
                    .and_then(|c| c.name("w").or_else(|| c.name("f")))
                    .map(|m| m.range()),
                Kind::Pay(cues) => self
                    .inner
                    .pay
                    .as_ref()
                    .and_then(|p| p.find(&folded.text, cues)),
            };
            if let Some(r) = found {
                hits.push(hit(&sign.id, text, folded.original(r)));
            }
        }
        hits
    }

    /// The same signs as [`Rules::find`], found the slow way: every pattern's
    /// regular expression run alone over the text. A reference for tests and the
    /// peer in the benchmark; use [`Rules::find`].
    pub fn find_each_pattern(&self, text: &str) -> Vec<SignHit<'_>> {
        let folded = Folded::new(text);
        let t = folded.text.as_str();
        let first = |rs: &[regex::Regex]| {
            rs.iter()
                .filter_map(|r| r.captures(t).and_then(|c| c.name("w")).map(|m| m.range()))
                .min_by_key(|r| (r.start, std::cmp::Reverse(r.end)))
        };
        let mut hits = Vec::new();
        for sign in &self.inner.signs {
            if (!sign.each_with.is_empty() && first(&sign.each_with).is_none())
                || first(&sign.each_unless).is_some()
            {
                continue;
            }
            let Some(r) = first(&sign.each) else { continue };
            let found = match &sign.kind {
                Kind::Phrase => Some(r),
                Kind::Pay(cues) => self.inner.pay.as_ref().and_then(|p| p.find(t, cues)),
            };
            if let Some(r) = found {
                hits.push(hit(&sign.id, text, folded.original(r)));
            }
        }
        hits
    }
}

/// Where the syllable that `end` falls in ends: a pattern may stop before a
/// Khmer or Thai syllable's marks, or before the silent final consonant of
/// a Khmer word (`…ធ` of `…ធន៍`), and the evidence should not.
fn syllable_end(text: &str, end: usize) -> usize {
    let mark = |c: char| matches!(c, '\u{17B4}'..='\u{17D3}' | '\u{17DD}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}');
    let consonant = |c: char| matches!(c, '\u{1780}'..='\u{17A2}');
    let silent = |c: char| matches!(c, '\u{17CC}' | '\u{17CD}');
    let mut end = end;
    loop {
        let Some(rest) = text.get(end..) else {
            return end;
        };
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some(c), next) if mark(c) => {
                end += c.len_utf8();
                // A subscript sign takes its consonant with it.
                if c == '\u{17D2}'
                    && let Some(n) = next.filter(|n| consonant(*n))
                {
                    end += n.len_utf8();
                }
            }
            (Some(c), Some(n)) if consonant(c) && silent(n) => {
                end += c.len_utf8() + n.len_utf8();
            }
            _ => return end,
        }
    }
}

fn hit<'r>(sign: &'r str, text: &str, span: Range<usize>) -> SignHit<'r> {
    let span = span.start..syllable_end(text, span.end);
    let raw = text.get(span.clone()).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    let span = (span.start + lead)..(span.start + lead + trimmed.len());
    let evidence: String = trimmed.chars().take(EVIDENCE_CHARS).collect();
    SignHit {
        sign,
        evidence: evidence.trim_end().to_string(),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_ends_with_its_syllable() {
        let text = "បទពិសោធន៍ ok";
        let before_final = "បទពិសោធ".len();
        assert_eq!(syllable_end(text, before_final), "បទពិសោធន៍".len());
        // A mark, and a subscript with its consonant.
        assert_eq!(syllable_end("ការ", "ក".len()), "កា".len());
        assert_eq!(syllable_end("ស្រី", "ស".len()), "ស្រី".len());
        // Thai marks; and nothing to take at a space or the end.
        assert_eq!(syllable_end("ที่", "ท".len()), "ที่".len());
        assert_eq!(syllable_end(text, "បទពិសោធន៍".len()), "បទពិសោធន៍".len());
        assert_eq!(syllable_end(text, text.len()), text.len());
    }

    #[test]
    fn a_khmer_hit_quotes_whole_words() {
        let rules = Rules::embedded().expect("rules");
        let hits = rules.find("ការងារនៅក្រុងព្រះសីហនុ មិនត្រូវការបទពិសោធន៍ ទាក់ទងតាម Telegram");
        let no_experience = hits
            .iter()
            .find(|h| h.sign == "no-experience")
            .expect("the sign");
        assert!(
            no_experience.evidence.ends_with("បទពិសោធន៍"),
            "{}",
            no_experience.evidence
        );
    }
}
