//! Normal forms: folded Latin text, transliteration keys for names, script names,
//! digits.
//!
//! The name key is deliberately coarse: it is used to find candidates (blocking) and
//! as one agreement level ("equivalent spelling"), never alone to decide. It makes
//! the usual Latin spellings of Khmer and Chinese names meet:
//!
//! * spaces, hyphens and apostrophes inside a name go (`Sok Kha` = `Sokha`,
//!   `Xiao-Ming` = `Xiaoming`);
//! * aspirated digraphs lose their `h` (`Kh`/`K`, `Ph`/`P`, `Th`/`T`, `Chh`/`Ch`);
//! * the affricates of pinyin, Wade–Giles and Khmer romanisations share one class
//!   (`zh`, `ch`, `chh`, `j`, `q`, `z`, `ts`, `tz`), and so do the sibilants
//!   (`x`, `hs`, `sh`, `s`), so `Hsiao`, `Xiao` and `Siao` meet;
//! * `y` not before a vowel is `i` (`Srey`/`Srei`, `Chhay`/`Chhai`), `ung` is `ong`
//!   (Wade–Giles `hung`, pinyin `hong`), `ou` is `o` (`Ouk`/`Ok`, `Touch`/`Toch`), `w` is `v`
//!   (`Wannak`/`Vannak`), a final `r` or `h` after a vowel goes (`Sokhar`/`Sokha`);
//! * doubled letters are single (`Phalla`/`Phala`, `Vannak`/`Vanak`);
//! * a small table maps Chinese family names written in Wade–Giles, Cantonese,
//!   Hokkien/Teochew or older spellings to pinyin (`Cheung`/`Chang` → Zhang,
//!   `Hsu`/`Hui` → Xu, `Wong` → Wang, …). Cantonese `Wong` is both 王 Wang and
//!   黃 Huang, so Wang and Huang share a key; `Ng` is 吳 Wu.
//!
//! Khmer and Chinese script names are only normalised (NFC, no spaces or
//! zero-width characters, no middle dots): there is no romaniser.

use unicode_normalization::UnicodeNormalization;

/// Chinese family names in other romanisations → pinyin (whole tokens only).
const CHINESE_FAMILY: &[(&str, &str)] = &[
    ("chang", "zhang"),
    ("cheung", "zhang"),
    ("cheong", "zhang"),
    ("hsu", "xu"),
    ("hui", "xu"),
    ("tsui", "xu"),
    ("chou", "zhou"),
    ("chow", "zhou"),
    ("chau", "zhou"),
    ("lee", "li"),
    ("lei", "li"),
    ("ly", "li"),
    ("wong", "wang"),
    ("huang", "wang"),
    ("hwang", "wang"),
    ("chan", "chen"),
    ("chin", "chen"),
    ("lau", "liu"),
    ("lao", "liu"),
    ("lew", "liu"),
    ("ng", "wu"),
    ("woo", "wu"),
    ("cheng", "zheng"),
    ("cheang", "zheng"),
    ("hsieh", "xie"),
    ("tse", "xie"),
    ("kuo", "guo"),
    ("kwok", "guo"),
    ("chao", "zhao"),
    ("chiu", "zhao"),
    ("chu", "zhu"),
    ("ho", "he"),
    ("lam", "lin"),
    ("lim", "lin"),
    ("yeung", "yang"),
    ("young", "yang"),
    ("leung", "liang"),
    ("sung", "song"),
    ("suen", "sun"),
    ("mah", "ma"),
    ("kao", "gao"),
    ("ko", "gao"),
    ("lo", "luo"),
    ("law", "luo"),
];

/// Digraphs and letters replaced, in order, on one lowercase token.
const RULES: &[(&str, &str)] = &[
    ("chh", "j"),
    ("ch", "j"),
    ("zh", "j"),
    ("tz", "j"),
    ("ts", "j"),
    ("q", "j"),
    ("z", "j"),
    ("hs", "s"),
    ("sh", "s"),
    ("x", "s"),
    ("kh", "k"),
    ("ph", "p"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("gh", "g"),
    ("ck", "k"),
    ("c", "k"),
    ("ow", "ou"),
    ("ou", "o"),
    ("ung", "ong"),
    ("ee", "i"),
    ("oo", "u"),
    ("w", "v"),
];

/// Latin text folded: diacritics dropped, lowercase, only letters and digits, words
/// separated by one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    if text.is_ascii() {
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c.to_ascii_lowercase());
            } else {
                space = true;
            }
        }
        return out;
    }
    for c in text.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// A name folded with its inner spaces, hyphens and apostrophes removed
/// (`Xiao-Ming` → `xiaoming`, `Sok Kha` → `sokkha`).
pub fn clean_name(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphabetic()).collect()
}

/// The transliteration key of a name (see the module documentation).
pub fn name_key(text: &str) -> String {
    let folded = fold(text);
    let mut joined = String::with_capacity(folded.len());
    for token in folded.split(' ') {
        let token: String = token.chars().filter(|c| c.is_ascii_lowercase()).collect();
        let token = CHINESE_FAMILY
            .iter()
            .find(|(from, _)| *from == token)
            .map_or(token.as_str(), |(_, to)| to);
        joined.push_str(&token_key(token));
    }
    collapse_doubles(&joined)
}

fn token_key(token: &str) -> String {
    if token.is_empty() {
        return String::new();
    }
    // `y` before a vowel is a consonant (Yang, Xiaoyu) and stays; elsewhere it is `i`
    // (Srey, Chhay, Sreyneang).
    let bytes = token.as_bytes();
    let mut key: String = bytes
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let before_vowel = bytes.get(i + 1).is_some_and(|n| b"aeiou".contains(n));
            if c == b'y' && !before_vowel {
                'i'
            } else {
                char::from(c)
            }
        })
        .collect();
    for (from, to) in RULES {
        if key.contains(from) {
            key = key.replace(from, to);
        }
    }
    while key.len() > 2
        && (key.ends_with('r') || key.ends_with('h'))
        && key[..key.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        key.pop();
    }
    key
}

fn collapse_doubles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// The script a name is written in, for comparing only like with like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Khmer (U+1780–U+17FF, U+19E0–U+19FF).
    Khmer,
    /// Han characters.
    Han,
    /// Anything else.
    Other,
}

/// A name in another script normalised (NFC, no whitespace, zero-width characters or
/// middle dots) with its script.
pub fn script_name(text: &str) -> (String, Script) {
    let norm: String = text
        .nfc()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '·' | '・'
                )
        })
        .collect();
    let script = match norm.chars().next() {
        Some('\u{1780}'..='\u{17ff}' | '\u{19e0}'..='\u{19ff}') => Script::Khmer,
        Some('\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}') => Script::Han,
        _ => Script::Other,
    };
    (norm, script)
}

/// The decimal digits of a text, Khmer digits (០–៩) read as ASCII.
pub fn digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '\u{17e0}'..='\u{17e9}' => char::from_digit(c as u32 - 0x17e0, 10),
            _ => None,
        })
        .collect()
}

/// A document number: letters and digits only, uppercase.
pub fn document(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(name_key(a), name_key(b), "{a} / {b}");
    }

    fn apart(a: &str, b: &str) {
        assert_ne!(name_key(a), name_key(b), "{a} / {b}");
    }

    #[test]
    fn khmer_spellings_meet() {
        for (a, b) in [
            ("Sokha", "Sokhar"),
            ("Sokha", "Sok Kha"),
            ("Chhay", "Chay"),
            ("Chhay", "Chhai"),
            ("Phalla", "Phala"),
            ("Srey", "Srei"),
            ("Vannak", "Vanak"),
            ("Khemara", "Kemara"),
            ("Phirun", "Pirun"),
            ("Sopheap", "Sophea p"),
            ("Dara", "DARA"),
        ] {
            same(a, b);
        }
    }

    #[test]
    fn chinese_spellings_meet() {
        for (a, b) in [
            ("Zhang", "Chang"),
            ("Zhang", "Cheung"),
            ("Xu", "Hsu"),
            ("Xu", "Hui"),
            ("Zhou", "Chou"),
            ("Zhou", "Chow"),
            ("Li", "Lee"),
            ("Wang", "Wong"),
            ("Huang", "Wong"),
            ("Chen", "Chan"),
            ("Liu", "Lau"),
            ("Wu", "Ng"),
            ("Zheng", "Cheng"),
            ("Xie", "Hsieh"),
            ("Xie", "Tse"),
            ("Xiaoming", "Xiao-Ming"),
            ("Xiaoming", "Hsiao Ming"),
            ("Zhiwei", "Chih-wei"),
        ] {
            same(a, b);
        }
    }

    #[test]
    fn different_names_stay_apart() {
        for (a, b) in [
            ("Sokha", "Sophea"),
            ("Dara", "Dina"),
            ("Zhang", "Wang"),
            ("Chen", "Zhou"),
            ("Li", "Liu"),
            ("Vannak", "Vanna"),
            ("Srey", "Sok"),
            ("Xiaoming", "Xiaoling"),
            ("michaela", "michael"),
        ] {
            apart(a, b);
        }
    }

    #[test]
    fn folds_and_digits() {
        assert_eq!(fold("  Nguyễn  Văn-Anh "), "nguyen van anh");
        assert_eq!(clean_name("O'Brien-Smith"), "obriensmith");
        assert_eq!(digits("+855 ១២-345"), "85512345");
        assert_eq!(document(" n0-123 456"), "N0123456");
        let (a, s) = script_name("ចាន់ \u{200b}សុខា");
        assert_eq!((a.as_str(), s), ("ចាន់សុខា", Script::Khmer));
        assert_eq!(script_name("张 晓明").1, Script::Han);
    }
}
