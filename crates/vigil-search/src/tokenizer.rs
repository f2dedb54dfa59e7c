//! The tokenizer shared by indexing, queries and snippets.
//!
//! Words are found with ICU4X's word segmenter: UAX #29 rules, and its
//! dictionary for Chinese and Japanese and for Khmer, Thai, Lao and Burmese
//! (written without spaces between words). The dictionary glues some Khmer
//! words to a neighbour (`មនុស្សជា`), so every dictionary token of those
//! scripts longer than [`LSTM_ABOVE_CHARS`] characters is split again by
//! ICU4X's LSTM model, which sees such words (the LSTM alone costs about 80
//! times the dictionary, and most tokens are short). The LSTM may in turn split
//! a long word the dictionary had right (`កាំភ្លើង`), so indexing also adds the
//! dictionary's words where they differ, at the same position: a word either
//! model finds is found. Each word is then
//! normalised: NFKC (so full-width forms and decomposed Vietnamese match their
//! usual forms), lowercase, every decimal digit script to ASCII (`០១២` → `012`),
//! and invisible joiners removed. When a token carries Vietnamese (or other
//! Latin) diacritics, indexing also emits the folded form at the same position,
//! so `nguoi` finds `người` while `người` only finds `người`.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::options::WordType;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index tokenizer is registered under in tantivy.
pub const TOKENIZER_NAME: &str = "vigil_icu";

/// Longest token kept, in bytes; longer runs (pasted blobs) are dropped.
const MAX_TOKEN_BYTES: usize = 120;

/// A word of the input: its normalised text and its byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Normalised text (what is indexed and searched).
    pub text: String,
    /// The folded form (diacritics removed), when it differs from `text`.
    pub folded: Option<String>,
    /// Byte offset of the first byte in the input.
    pub from: usize,
    /// Byte offset just past the last byte in the input.
    pub to: usize,
}

/// Dictionary tokens of Khmer, Thai, Lao or Burmese longer than this many
/// characters are split again by the LSTM model (see the module notes).
pub const LSTM_ABOVE_CHARS: usize = 6;

/// Splits `text` into normalised words, in order (the primary segmentation:
/// ICU4X's dictionary, with its long Khmer, Thai, Lao and Burmese tokens split
/// again by the LSTM model; UAX #29 rules for spaced scripts). Queries use these.
pub fn words(text: &str) -> Vec<Word> {
    let dict = fast_words(text);
    if !text.chars().any(is_south_east_asian) {
        return dict;
    }
    let lstm = WordSegmenter::new_lstm(WordBreakInvariantOptions::default());
    let sea = |w: &Word| text[w.from..w.to].chars().any(is_south_east_asian);
    let long: Vec<bool> = dict
        .iter()
        .map(|w| sea(w) && text[w.from..w.to].chars().count() > LSTM_ABOVE_CHARS)
        .collect();
    // A long token and its touching neighbours go to the LSTM together: the
    // dictionary may have cut a word in two there (`មានកម្ម` + `ករ`).
    let touches = |a: &Word, b: &Word| a.to == b.from;
    let redo: Vec<bool> = (0..dict.len())
        .map(|i| {
            sea(&dict[i])
                && (long[i]
                    || (i > 0 && long[i - 1] && touches(&dict[i - 1], &dict[i]))
                    || (i + 1 < dict.len() && long[i + 1] && touches(&dict[i], &dict[i + 1])))
        })
        .collect();
    let mut out = Vec::with_capacity(dict.len());
    let mut i = 0;
    while i < dict.len() {
        if !redo[i] {
            out.push(dict[i].clone());
            i += 1;
            continue;
        }
        let (from, mut j) = (dict[i].from, i);
        while j + 1 < dict.len() && redo[j + 1] && touches(&dict[j], &dict[j + 1]) {
            j += 1;
        }
        let to = dict[j].to;
        out.extend(segment(lstm, &text[from..to]).into_iter().map(|mut p| {
            p.from += from;
            p.to += from;
            p
        }));
        i = j + 1;
    }
    out
}

/// Words of ICU4X's dictionary segmentation alone (no LSTM), good enough to
/// place highlights.
pub fn fast_words(text: &str) -> Vec<Word> {
    segment(
        WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()),
        text,
    )
}

/// Words of the dictionary segmentation that the primary one does not have,
/// each with the index of the primary word it starts in. Indexing adds them
/// at that position, so a word found by either model is found; phrases still
/// follow the primary words.
pub fn alternative_words(text: &str, primary: &[Word]) -> Vec<(usize, Word)> {
    if !text.chars().any(is_south_east_asian) {
        return Vec::new();
    }
    let dict = fast_words(text);
    let mut out = Vec::new();
    let mut p = 0;
    for w in dict {
        while p + 1 < primary.len() && primary[p].to <= w.from {
            p += 1;
        }
        let Some(owner) = primary.get(p) else { break };
        if owner.from == w.from && owner.to == w.to {
            continue;
        }
        if owner.from <= w.from && w.from < owner.to && w.text.chars().any(is_south_east_asian) {
            out.push((p, w));
        }
    }
    out
}

/// Khmer, Thai, Lao and Myanmar letters: scripts written without spaces that
/// ICU4X segments with a model.
pub(crate) fn is_south_east_asian(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}')
}

fn segment(segmenter: WordSegmenterBorrowed<'static>, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut iter = segmenter.segment_str(text);
    let mut start = match iter.next() {
        Some(first) => first,
        None => return out,
    };
    while let Some(end) = iter.next() {
        if iter.word_type() != WordType::None
            && let Some(raw) = text.get(start..end)
        {
            let norm = normalise(raw);
            if !norm.is_empty() && norm.len() <= MAX_TOKEN_BYTES {
                let folded = fold(&norm).filter(|f| *f != norm);
                out.push(Word {
                    text: norm,
                    folded,
                    from: start,
                    to: end,
                });
            }
        }
        start = end;
    }
    out
}

/// NFKC, lowercase, ASCII digits, no invisible joiners.
pub fn normalise(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.to_ascii_lowercase();
    }
    let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(raw);
    let mut out = String::with_capacity(nfkc.len());
    for c in nfkc.chars() {
        if let Some(d) = vigil_domain::digits::digit_value(c) {
            out.push(char::from(b'0' + d));
        } else if matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        ) {
            // Zero-width space/joiners, word joiner, BOM and soft hyphen: typing
            // habits, not part of the word.
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The token without Latin diacritics (`người` → `nguoi`, `đi` → `di`), or
/// `None` when the token has no Latin letter with a diacritic.
pub fn fold(token: &str) -> Option<String> {
    if token.is_ascii() {
        return None;
    }
    let mut changed = false;
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match fold_char(c) {
            Some(base) => {
                changed = true;
                out.push(base);
            }
            None => out.push(c),
        }
    }
    changed.then_some(out)
}

/// The base letter of a lowercase Latin letter with diacritics.
fn fold_char(c: char) -> Option<char> {
    const TABLE: &[(char, &str)] = &[
        ('a', "àáảãạăằắẳẵặâầấẩẫậäåā"),
        ('e', "èéẻẽẹêềếểễệëē"),
        ('i', "ìíỉĩịîïī"),
        ('o', "òóỏõọôồốổỗộơờớởỡợöøō"),
        ('u', "ùúủũụưừứửữựûüū"),
        ('y', "ỳýỷỹỵÿ"),
        ('d', "đ"),
        ('c', "ç"),
        ('n', "ñ"),
    ];
    if c.is_ascii() || (c as u32) > 0x1EFF {
        return None;
    }
    TABLE
        .iter()
        .find(|(_, variants)| variants.contains(c))
        .map(|(base, _)| *base)
}

/// The tantivy tokenizer over [`words`]: positions count primary words;
/// folded forms and [`alternative_words`] share the position of their word.
#[derive(Debug, Clone, Default)]
pub struct VigilTokenizer {
    tokens: Vec<Token>,
}

/// The tokens of one text.
#[derive(Debug)]
pub struct VigilTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for VigilTokenizer {
    type TokenStream<'a> = VigilTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VigilTokenStream<'a> {
        self.tokens.clear();
        let primary = words(text);
        let alternatives = alternative_words(text, &primary);
        let mut alt = alternatives.into_iter().peekable();
        for (position, w) in primary.into_iter().enumerate() {
            push(&mut self.tokens, position, w);
            while let Some((_, a)) = alt.next_if(|(p, _)| *p == position) {
                push(&mut self.tokens, position, a);
            }
        }
        VigilTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// Adds the word (and its folded form) at `position`.
fn push(tokens: &mut Vec<Token>, position: usize, w: Word) {
    let folded = w.folded;
    tokens.push(Token {
        offset_from: w.from,
        offset_to: w.to,
        position,
        text: w.text,
        position_length: 1,
    });
    if let Some(f) = folded {
        tokens.push(Token {
            offset_from: w.from,
            offset_to: w.to,
            position,
            text: f,
            position_length: 1,
        });
    }
}

impl TokenStream for VigilTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        // `advance` returned true before any call (tantivy's contract), so
        // `next >= 1`; before that we hand out the last token or a default.
        let i = self.next.saturating_sub(1);
        self.tokens.get(i).unwrap_or(&EMPTY)
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self.next.saturating_sub(1);
        if i >= self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let last = self.tokens.len() - 1;
        let i = i.min(last);
        &mut self.tokens[i]
    }
}

static EMPTY: Token = Token {
    offset_from: 0,
    offset_to: 0,
    position: usize::MAX,
    text: String::new(),
    position_length: 1,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got: Vec<String> = words(input).into_iter().map(|w| w.text).collect();
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn latin_words_lowercase() {
        check(
            "Armed guards, Building B7!",
            &["armed", "guards", "building", "b7"],
        );
        check("@boss_4821 t.me/hr12", &["boss_4821", "t.me", "hr12"]);
    }

    #[test]
    fn digits_in_any_script_become_ascii() {
        check("០១២ ៣៤៥", &["012", "345"]);
        check("๐๘๑", &["081"]);
        check("０１２ＡＢ", &["012ab"]);
    }

    #[test]
    fn khmer_is_segmented() {
        let got: Vec<String> = words("ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារ")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(got.len() >= 4, "{got:?}");
        assert!(got.iter().any(|w| w == "មនុស្ស"), "{got:?}");
        assert!(got.iter().any(|w| w == "អគារ"), "{got:?}");
        // The dictionary cuts `មានកម្ម` + `ករ`; the LSTM, given the long token
        // with its neighbour, finds the word "worker".
        let got: Vec<String> = words("មានកម្មករប្រហែល ៥០ នាក់")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(got.iter().any(|w| w == "កម្មករ"), "{got:?}");
        let dict: Vec<String> = fast_words("មានកម្មករប្រហែល ៥០ នាក់")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(!dict.iter().any(|w| w == "កម្មករ"), "{dict:?}");
        assert!(got.iter().any(|w| w == "50"), "{got:?}");
    }

    #[test]
    fn dictionary_words_are_added_where_the_models_differ() {
        let text = "មានឆ្មាំកាន់កាំភ្លើងយាមនៅច្រកចូល";
        let primary = words(text);
        let alts: Vec<String> = alternative_words(text, &primary)
            .into_iter()
            .map(|(_, w)| w.text)
            .collect();
        let all: Vec<&String> = primary.iter().map(|w| &w.text).chain(alts.iter()).collect();
        assert!(all.iter().any(|w| *w == "កាំភ្លើង"), "{all:?}");
    }

    #[test]
    fn thai_and_chinese_are_segmented() {
        let th: Vec<String> = words("พวกเขายึดหนังสือเดินทางของฉัน")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(th.len() >= 3, "{th:?}");
        let zh: Vec<String> = words("他们收走了我的护照")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(zh.iter().any(|w| w == "护照"), "{zh:?}");
    }

    #[test]
    fn vietnamese_folds_and_nfc() {
        let w = words("Người");
        assert_eq!(w[0].text, "người");
        assert_eq!(w[0].folded.as_deref(), Some("nguoi"));
        // Decomposed input (u + horn + grave) normalises to the same token.
        let decomposed = "Ngu\u{031B}o\u{031B}\u{0300}i";
        assert_eq!(words(decomposed)[0].text, "người");
        assert_eq!(fold("đi").as_deref(), Some("di"));
    }

    #[test]
    fn offsets_point_into_the_input() {
        let text = "Họ lấy hộ chiếu";
        for w in words(text) {
            assert!(text.get(w.from..w.to).is_some());
        }
    }

    #[test]
    fn token_stream_shares_positions_for_folded_forms() {
        let mut t = VigilTokenizer::default();
        let mut s = t.token_stream("hộ chiếu");
        let mut seen = Vec::new();
        while s.advance() {
            let tok = s.token();
            seen.push((tok.text.clone(), tok.position));
        }
        assert_eq!(
            seen,
            vec![
                ("hộ".to_string(), 0),
                ("ho".to_string(), 0),
                ("chiếu".to_string(), 1),
                ("chieu".to_string(), 1)
            ]
        );
    }
}
