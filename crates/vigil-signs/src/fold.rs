//! The text as rules read it: NFC, lower case, Khmer/Thai/Lao/Myanmar/full-width digits
//! as ASCII digits, full-width Latin as ASCII, invisible joiners and zero-width
//! spaces dropped, typographic apostrophes and odd spaces made plain. Every
//! folded offset maps back to a character boundary of the original text.

use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use vigil_domain::digits::digit_value;

/// Folded text and the way back to the original.
pub(crate) struct Folded {
    /// The folded text that patterns are matched against.
    pub(crate) text: String,
    /// `(folded offset, original offset)` at the start of each folded unit,
    /// in increasing order, ending with both lengths.
    marks: Vec<(usize, usize)>,
    /// The original text's length.
    original_len: usize,
}

impl Folded {
    /// Folds `original`.
    pub(crate) fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut marks = Vec::with_capacity(original.len() / 2 + 2);
        if is_nfc_quick(original.chars()) == IsNormalized::Yes {
            for (at, c) in original.char_indices() {
                marks.push((text.len(), at));
                fold_char(c, &mut text);
            }
        } else {
            // Each unit starts at a starter and takes the marks that follow it,
            // so that composition never crosses a unit.
            let mut start = 0;
            for (at, c) in original.char_indices() {
                if at > start && canonical_combining_class(c) == 0 {
                    push_unit(&original[start..at], start, &mut text, &mut marks);
                    start = at;
                }
            }
            if start < original.len() {
                push_unit(&original[start..], start, &mut text, &mut marks);
            }
        }
        marks.push((text.len(), original.len()));
        Folded {
            text,
            marks,
            original_len: original.len(),
        }
    }

    /// The original range that the folded range `r` came from, widened to
    /// whole units.
    pub(crate) fn original(&self, r: Range<usize>) -> Range<usize> {
        let i = self.marks.partition_point(|m| m.0 <= r.start);
        let start = i
            .checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .map_or(0, |m| m.1);
        let j = self.marks.partition_point(|m| m.0 < r.end);
        let end = self.marks.get(j).map_or(self.original_len, |m| m.1);
        start..end.max(start)
    }
}

fn push_unit(unit: &str, at: usize, text: &mut String, marks: &mut Vec<(usize, usize)>) {
    marks.push((text.len(), at));
    for c in unit.chars().nfc() {
        fold_char(c, text);
    }
}

/// Appends the folded form of one character.
fn fold_char(c: char, out: &mut String) {
    // Digits of any script reporters type (Khmer, Thai, Lao, Myanmar,
    // full-width) as ASCII.
    if let Some(d) = digit_value(c) {
        out.push(char::from(b'0' + d));
        return;
    }
    match c {
        // Zero-width space (common between Khmer words), joiners, word joiner,
        // byte-order mark, soft hyphen.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            out.extend(ascii.to_lowercase());
        }
        '\u{FFE5}' => out.push('¥'),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{0060}' => out.push('\''),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            out.push(' ')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        c => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let s = "Lương ៣០០០$ \u{200B}ＵＳＤ O\u{2019}Smach";
        let f = Folded::new(s);
        assert_eq!(f.text, "lương 3000$ usd o'smach");
        let at = f.text.find("3000$").unwrap_or(0);
        assert_eq!(&s[f.original(at..at + 5)], "៣០០០$");
        let at = f.text.find("usd").unwrap_or(0);
        assert_eq!(&s[f.original(at..at + 3)], "ＵＳＤ");
    }

    #[test]
    fn decomposed_vietnamese_is_composed() {
        let s = "LU\u{031B}O\u{031B}NG 30 TRIE\u{0323}\u{0302}U";
        let f = Folded::new(s);
        assert_eq!(f.text, "lương 30 triệu");
        let r = f.original(0..f.text.len());
        assert_eq!(r, 0..s.len());
    }
}
