//! Pay amounts: `$3000`, `3,000 USD`, `3000$`, `2500 ដុល្លារ`, `3k`, `月薪2万`,
//! `30 triệu`, `50,000 บาท`, ranges (`1500-3000$`, the lower end counts), per
//! day or per month, compared with a monthly threshold per currency.

use std::ops::Range;

use regex::{Captures, Regex, RegexBuilder};

use crate::lang::Lang;

/// The phrases around a pay amount, one regex per language.
pub(crate) struct PayCues {
    /// Salary words, before the amount.
    pub(crate) cues: Vec<(Lang, Regex)>,
    /// "per day" phrases, before or after the amount.
    pub(crate) per_day: Vec<(Lang, Regex)>,
    /// "per month" phrases, after the amount.
    pub(crate) per_month: Vec<(Lang, Regex)>,
}

/// A currency the rules know.
pub(crate) struct Currency {
    pub(crate) code: String,
    pub(crate) monthly_threshold: f64,
    /// The whole of a marker written before the number.
    pub(crate) before: Option<Regex>,
    /// The whole of a marker written after the number.
    pub(crate) after: Option<Regex>,
}

/// The compiled `[pay]` section.
pub(crate) struct Pay {
    window: usize,
    day_factor: f64,
    multipliers: Vec<(String, Regex, f64)>,
    currencies: Vec<Currency>,
    default_currency: Vec<(Lang, usize)>,
    amount: Regex,
}

const NUM: &str = r"[0-9]{1,3}(?:[,.][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]+)?";
const RANGE: &str = r"-|~|to|至|到|đến|tới|ถึง|ដល់";

fn alternation(mut ps: Vec<String>) -> String {
    // Longer markers first, so that `usd` is tried before `u`.
    ps.sort_by_key(|p| std::cmp::Reverse(p.len()));
    ps.dedup();
    if ps.is_empty() {
        "[^\\x00-\\x{10FFFF}]".into()
    } else {
        ps.join("|")
    }
}

impl Pay {
    pub(crate) fn new(
        window: usize,
        day_factor: f64,
        multipliers: Vec<(String, Regex, f64)>,
        currencies: Vec<Currency>,
        before: &[String],
        after: &[String],
        default_currency: Vec<(Lang, usize)>,
    ) -> Result<Pay, regex::Error> {
        let mult = alternation(
            multipliers
                .iter()
                .map(|(p, _, _)| format!("(?:{p})"))
                .collect(),
        );
        let pre = alternation(before.to_vec());
        let post = alternation(after.to_vec());
        let amount = format!(
            r"(?:(?P<pre>{pre})\s?)?(?P<n1>{NUM})(?:\s?(?P<m1>{mult}))?(?:\s?(?:{RANGE})\s?(?:(?:{pre})\s?)?(?P<n2>{NUM})(?:\s?(?P<m2>{mult}))?)?(?:\s?(?P<post>{post}))?"
        );
        let amount = RegexBuilder::new(&amount)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()?;
        Ok(Pay {
            window,
            day_factor,
            multipliers,
            currencies,
            default_currency,
            amount,
        })
    }

    /// The first pay amount in `text` (folded) above its threshold, after a
    /// cue or followed by a period phrase: the folded range from the cue to
    /// the amount (or from the amount to the phrase).
    pub(crate) fn find(&self, text: &str, cues: &PayCues) -> Option<Range<usize>> {
        for caps in self.amount.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let (from, to) = (whole.start(), whole.end());
            let lo = back(text, from, self.window);
            let hi = forward(text, to, PERIOD_CHARS);
            let Some((lang, cue)) = first(&cues.cues, text, lo, from).or_else(|| {
                first(&cues.per_month, text, to, hi).or_else(|| first(&cues.per_day, text, to, hi))
            }) else {
                continue;
            };
            let Some((currency, value)) = self.monthly(text, &caps, lang, &cues.per_day) else {
                continue;
            };
            if value >= currency.monthly_threshold {
                return Some(cue.start.min(from)..cue.end.max(to));
            }
        }
        None
    }

    /// The amount per month and its currency, if the captures make a pay amount.
    fn monthly(
        &self,
        text: &str,
        caps: &Captures<'_>,
        lang: Lang,
        per_day: &[(Lang, Regex)],
    ) -> Option<(&Currency, f64)> {
        let whole = caps.get(0)?;
        let n1 = caps.name("n1")?;
        // A Latin letter right after the amount means a word, not a marker
        // (`3 months`, `5 mins`), so no amount.
        if text[whole.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && c.is_ascii())
        {
            return None;
        }
        let mult_text = caps.name("m1").or_else(|| caps.name("m2"));
        let mult = match mult_text {
            Some(m) => self
                .multipliers
                .iter()
                .find(|(_, r, _)| r.is_match(m.as_str()))
                .map_or(1.0, |(_, _, f)| *f),
            None => 1.0,
        };
        let currency = caps
            .name("pre")
            .and_then(|m| {
                self.currencies
                    .iter()
                    .find(|c| c.before.as_ref().is_some_and(|r| r.is_match(m.as_str())))
            })
            .or_else(|| {
                caps.name("post").and_then(|m| {
                    self.currencies
                        .iter()
                        .find(|c| c.after.as_ref().is_some_and(|r| r.is_match(m.as_str())))
                })
            });
        let (number, grouped) = parse_number(n1.as_str())?;
        let currency = match currency {
            Some(c) => c,
            None => {
                // No currency written: only a number that cannot be a year or a
                // count counts, in the cue's language's usual currency.
                if mult_text.is_none() && !grouped && n1.as_str().len() < 5 {
                    return None;
                }
                let (_, i) = self.default_currency.iter().find(|(l, _)| *l == lang)?;
                self.currencies.get(*i)?
            }
        };
        let near_start = back(text, whole.start(), 12);
        let near_end = forward(text, whole.end(), PERIOD_CHARS);
        let daily = per_day.iter().any(|(_, r)| {
            r.is_match(&text[whole.end()..near_end]) || r.is_match(&text[near_start..whole.start()])
        });
        let factor = if daily { self.day_factor } else { 1.0 };
        Some((currency, number * mult * factor))
    }
}

/// The number's value and whether it was written with thousands separators.
fn parse_number(s: &str) -> Option<(f64, bool)> {
    let parts: Vec<&str> = s.split([',', '.']).collect();
    match parts.as_slice() {
        [] => None,
        [one] => one.parse().ok().map(|v| (v, false)),
        [head @ .., last] => {
            let grouped = head.len() > 1 || last.len() == 3;
            if last.len() == 3 {
                let digits: String = parts.concat();
                digits.parse().ok().map(|v| (v, true))
            } else {
                let int: String = head.concat();
                format!("{int}.{last}").parse().ok().map(|v| (v, grouped))
            }
        }
    }
}

/// How far after an amount a period phrase (`/month`, `per day`) is looked for,
/// in characters.
const PERIOD_CHARS: usize = 14;

/// The first match of any of `regexes` in `text[lo..hi]`, with its language
/// and its range in `text`.
fn first(
    regexes: &[(Lang, Regex)],
    text: &str,
    lo: usize,
    hi: usize,
) -> Option<(Lang, Range<usize>)> {
    let slice = text.get(lo..hi)?;
    regexes.iter().find_map(|(l, r)| {
        r.captures(slice)
            .and_then(|c| c.name("w").or_else(|| c.name("f")))
            .map(|m| (*l, (lo + m.start())..(lo + m.end())))
    })
}

/// The byte offset `n` characters before `at` (or 0).
fn back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("3000"), Some((3000.0, false)));
        assert_eq!(parse_number("3,000"), Some((3000.0, true)));
        assert_eq!(parse_number("30.000.000"), Some((30_000_000.0, true)));
        assert_eq!(parse_number("1,5"), Some((1.5, false)));
        assert_eq!(parse_number("2.5"), Some((2.5, false)));
        assert_eq!(parse_number("1,200.50"), Some((1200.5, true)));
    }

    #[test]
    fn offsets_stay_on_boundaries() {
        let s = "ប្រាក់ខែ 3000";
        for at in [0, 3, s.len()] {
            let b = back(s, at, 4);
            let f = forward(s, at, 4);
            assert!(s.is_char_boundary(b) && s.is_char_boundary(f));
        }
    }
}
