//! Short passages with the matched words marked, cheap enough for every hit.
//!
//! Highlighting re-reads each hit's text with the fast dictionary segmentation
//! (the LSTM one costs about 2 ms per Khmer tip) and, for words in scripts
//! without spaces, also marks plain occurrences of the query word.

use std::ops::Range;

use crate::query::HighlightTerm;
use crate::tokenizer::{fast_words, is_south_east_asian};

/// Bytes of context kept before the first highlighted word.
const LEAD_BYTES: usize = 40;

/// A passage of `text` of at most `max_bytes`, around the first match of
/// `terms`, and the byte ranges of matches within it. Without a match, the
/// start of the text.
pub fn snippet(
    text: &str,
    terms: &[HighlightTerm],
    max_bytes: usize,
) -> (String, Vec<Range<usize>>) {
    let ranges = matches(text, terms);
    let Some(first) = ranges.first() else {
        return (text[..floor(text, max_bytes)].to_string(), Vec::new());
    };
    let mut start = floor(text, first.start.saturating_sub(LEAD_BYTES));
    // Start after a space when one is near, so the passage opens on a word.
    if start > 0
        && let Some(space) = text[start..first.start].find(char::is_whitespace)
    {
        start += space;
        start = ceil(text, start + 1);
    }
    let end = floor(text, start.saturating_add(max_bytes).min(text.len()));
    let highlights = ranges
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start..r.end - start)
        .collect();
    (text[start..end].to_string(), highlights)
}

/// Sorted, non-overlapping byte ranges of `text` that match a term.
fn matches(text: &str, terms: &[HighlightTerm]) -> Vec<Range<usize>> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for w in fast_words(text) {
        let hit = terms.iter().any(|t| {
            let same = |s: &str| {
                if t.prefix {
                    s.starts_with(&t.text)
                } else {
                    s == t.text
                }
            };
            same(&w.text) || w.folded.as_deref().is_some_and(same)
        });
        if hit {
            ranges.push(w.from..w.to);
        }
    }
    for t in terms {
        if t.text.chars().any(is_south_east_asian) {
            ranges.extend(text.match_indices(&t.text).map(|(i, m)| i..i + m.len()));
        }
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The largest char boundary at or below `i`.
fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i`.
fn ceil(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str, prefix: bool) -> HighlightTerm {
        HighlightTerm {
            text: t.into(),
            prefix,
        }
    }

    fn check(text: &str, terms: &[HighlightTerm], max: usize, expected: &[&str]) {
        let (s, h) = snippet(text, terms, max);
        assert!(s.len() <= max);
        let got: Vec<&str> = h.iter().map(|r| &s[r.clone()]).collect();
        assert_eq!(got, expected, "{s}");
    }

    #[test]
    fn highlights_words_prefixes_and_unspaced_scripts() {
        check(
            "They took my Passport.",
            &[term("passport", false)],
            100,
            &["Passport"],
        );
        check(
            "passports and pass",
            &[term("pass", true)],
            100,
            &["passports", "pass"],
        );
        check("Họ lấy hộ chiếu", &[term("chieu", false)], 100, &["chiếu"]);
        check(
            "ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារ",
            &[term("មនុស្ស", false)],
            100,
            &["មនុស្ស"],
        );
        check("no match here", &[term("gate", false)], 5, &[]);
    }

    #[test]
    fn long_texts_are_cut_around_the_match() {
        let text = format!(
            "{} armed guards {}",
            "filler ".repeat(40),
            "tail ".repeat(40)
        );
        let (s, h) = snippet(&text, &[term("guards", false)], 80);
        assert!(s.len() <= 80);
        assert_eq!(&s[h[0].clone()], "guards");
        let khmer = "អគារ".repeat(50);
        let (s, _) = snippet(&khmer, &[], 31);
        assert!(s.len() <= 31 && khmer.starts_with(&s));
    }
}
