//! Short passages with the matched words marked, cheap enough for every hit.
//!
//! Highlighting re-reads each hit's text with the fast dictionary segmentation
//! (the LSTM one costs about 2 ms per Khmer tip) and, for words in scripts
//! without spaces, also marks plain occurrences of the query word.
//!
//! A passage is cut only where a word may begin or end (ICU4X's word
//! segmenter, dictionary mode), falling back to extended grapheme cluster
//! boundaries when a single "word" is longer than the passage; marks are
//! widened to grapheme cluster boundaries. So a Khmer passage never opens on a
//! dependent vowel or a coeng drawn on a dotted circle, and a mark never
//! splits a syllable.

use std::ops::Range;

use icu_segmenter::GraphemeClusterSegmenter;
use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

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
    snippet_marked(text, terms, &[], max_bytes)
}

/// [`snippet`] with `extra` byte ranges of `text` marked too (identifiers
/// found by the caller), the passage opening on the first mark of either.
pub fn snippet_marked(
    text: &str,
    terms: &[HighlightTerm],
    extra: &[Range<usize>],
    max_bytes: usize,
) -> (String, Vec<Range<usize>>) {
    let mut marks = matches(text, terms);
    marks.extend(
        extra
            .iter()
            .filter(|r| r.start < r.end && r.end <= text.len())
            .cloned(),
    );
    marks.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    snippet_around(text, &marks, max_bytes)
}

/// A passage of `text` of at most `max_bytes` around the first of `marks`
/// (byte ranges of `text`, sorted), and the marks that fall within it,
/// relative to the passage. Every cut and every mark lies on an extended
/// grapheme cluster boundary (on a word boundary where one is near enough).
pub fn snippet_around(
    text: &str,
    marks: &[Range<usize>],
    max_bytes: usize,
) -> (String, Vec<Range<usize>>) {
    let graphemes: Vec<usize> = GraphemeClusterSegmenter::new().segment_str(text).collect();
    let words: Vec<usize> = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default())
        .segment_str(text)
        .collect();
    let marks = widen(marks, &graphemes);
    let anchor = marks.first().map_or(0, |m| m.start);
    // Open on the first word boundary within LEAD_BYTES before the match
    // (the match itself starts on one).
    let lead = anchor.saturating_sub(LEAD_BYTES);
    let mut start = first_at_or_above(&words, lead)
        .filter(|&b| b <= anchor)
        .or_else(|| first_at_or_above(&graphemes, lead).filter(|&b| b <= anchor))
        .unwrap_or(anchor);
    // Prefer opening after a space when one is in the lead (unless the
    // passage opens the text).
    if start > 0
        && start < anchor
        && let Some(space) = text[start..anchor].find(char::is_whitespace)
    {
        let after_space = start + space;
        start = first_at_or_above(&graphemes, after_space + 1)
            .filter(|&b| b <= anchor)
            .unwrap_or(start);
    }
    let limit = start.saturating_add(max_bytes).min(text.len());
    // Close on the last word boundary that fits, unless that would keep less
    // than half the passage (one long run without breaks): then on the last
    // grapheme boundary that fits.
    let mut end = last_at_or_below(&words, limit).unwrap_or(start);
    if end < start + max_bytes / 2 && limit < text.len() {
        end = last_at_or_below(&graphemes, limit).unwrap_or(start);
    }
    let end = end.max(start);
    let highlights = marks
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start..r.end - start)
        .collect();
    (text[start..end].to_string(), highlights)
}

/// The smallest boundary at or above `i`.
fn first_at_or_above(bounds: &[usize], i: usize) -> Option<usize> {
    let at = bounds.partition_point(|&b| b < i);
    bounds.get(at).copied()
}

/// The largest boundary at or below `i`.
fn last_at_or_below(bounds: &[usize], i: usize) -> Option<usize> {
    let at = bounds.partition_point(|&b| b <= i);
    at.checked_sub(1).and_then(|k| bounds.get(k)).copied()
}

/// `marks` widened to grapheme boundaries, sorted and merged.
fn widen(marks: &[Range<usize>], graphemes: &[usize]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = marks
        .iter()
        .map(|m| {
            let s = last_at_or_below(graphemes, m.start).unwrap_or(0);
            let e = first_at_or_above(graphemes, m.end).unwrap_or(m.end);
            s..e
        })
        .collect();
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
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
    ranges
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
        assert!(!s.starts_with(' ') && !s.ends_with("tai"), "{s:?}");
        let khmer = "អគារ".repeat(50);
        let (s, _) = snippet(&khmer, &[], 31);
        assert!(s.len() <= 31 && khmer.starts_with(&s));
    }

    /// Dependent vowels, signs and the coeng (U+17B6–U+17D3): a cluster
    /// never begins with one.
    fn dependent(c: char) -> bool {
        ('\u{17B6}'..='\u{17D3}').contains(&c)
    }

    /// Whether `b` is an extended grapheme cluster boundary of `text`.
    fn on_cluster(text: &str, b: usize) -> bool {
        GraphemeClusterSegmenter::new()
            .segment_str(text)
            .any(|x| x == b)
    }

    #[test]
    fn khmer_passages_and_marks_never_split_a_cluster() {
        let text = "ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារធំមួយនៅព្រំដែន។ \
                    ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ហើយបង្ខំឱ្យធ្វើការបោកប្រាស់តាមទូរស័ព្ទ \
                    អ្នកយាមមានកាំភ្លើង ហើយវាយអ្នកដែលមិនធ្វើតាម។ លេខទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨";
        // Every char boundary as the start of a mark, with several widths;
        // a mark placed mid-syllable (a query word found inside a longer
        // one) is widened to whole clusters.
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut checked = 0;
        for (k, &from) in bounds.iter().enumerate() {
            for width in [1, 3, 7] {
                let to = bounds.get(k + width).copied().unwrap_or(text.len());
                for max in [30, 61, 160] {
                    let (s, marks) = snippet_around(text, std::slice::from_ref(&(from..to)), max);
                    assert!(s.len() <= max, "{s}");
                    let at = text.find(s.as_str()).unwrap_or(usize::MAX);
                    assert!(on_cluster(text, at), "start {from}: {s}");
                    assert!(on_cluster(text, at + s.len()), "end {from}: {s}");
                    assert!(!s.chars().next().is_some_and(dependent), "{s}");
                    for m in &marks {
                        assert!(on_cluster(&s, m.start) && on_cluster(&s, m.end), "{s}");
                        assert!(!s[m.clone()].chars().next().is_some_and(dependent));
                        assert!(!s[m.end..].chars().next().is_some_and(dependent), "{s}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
        // Query words matched by plain occurrence inside longer words.
        for w in ["ខ្ញុំ", "ទូរស័ព្ទ", "ដែន", "ក"] {
            let (s, marks) = snippet(text, &[term(w, false)], 50);
            assert!(!s.chars().next().is_some_and(dependent), "{s}");
            for m in &marks {
                assert!(on_cluster(&s, m.start) && on_cluster(&s, m.end), "{w}: {s}");
            }
        }
    }
}
