//! Text normalisation shared by near-duplicate detection, place similarity and the
//! life-safety phrase list: lower case, punctuation and spaces folded to one space.
//! Works the same for scripts written with spaces (English, Vietnamese) and without
//! (Khmer, Thai, Chinese): nothing here depends on word boundaries.

/// Whether `c` separates words (white space or punctuation in any script we see).
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c == '\x0B' || c.is_ascii_punctuation();
    }
    // Unicode white space outside ASCII is U+0085, U+00A0, U+1680 and characters
    // inside the general and CJK punctuation blocks below (U+2000–U+200A, U+2028,
    // U+2029, U+202F, U+205F, U+3000), so no table lookup is needed.
    matches!(c,
        '\u{0085}' | '\u{00A0}' | '\u{1680}'
        | '\u{2000}'..='\u{206F}'   // general punctuation
        | '\u{3000}'..='\u{303F}' // CJK punctuation
        | '\u{FF00}'..='\u{FF0F}' // full-width punctuation
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{17D4}'..='\u{17DA}' // Khmer signs (khan, bariyoosan…)
        | '\u{0E2F}' | '\u{0E46}' | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}' // Thai signs
        | '\u{00A1}'..='\u{00BF}')
}

/// `text` in lower case with every run of separators replaced by one space, trimmed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_normalised(text, |c| out.push(c));
    out
}

/// Calls `f` with each character of [`normalise`]`(text)`, without building it.
pub(crate) fn for_each_normalised(text: &str, mut f: impl FnMut(char)) {
    let mut started = false;
    let mut pending_space = false;
    for c in text.chars() {
        if is_separator(c) {
            pending_space = started;
            continue;
        }
        if pending_space {
            f(' ');
            pending_space = false;
        }
        started = true;
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
        } else if caseless(c) {
            f(c);
        } else {
            for l in c.to_lowercase() {
                f(l);
            }
        }
    }
}

/// Whether `c` lies in a block without letter case (Thai to Tibetan, Myanmar,
/// Khmer, CJK, Hangul): a shortcut past the case tables.
fn caseless(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{109F}'
        | '\u{1780}'..='\u{17FF}'
        | '\u{3040}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}')
}

/// Whether `c` belongs to a script written without spaces between words.
fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{1780}'..='\u{17FF}'   // Khmer
        | '\u{0E00}'..='\u{0E7F}' // Thai
        | '\u{0E80}'..='\u{0EFF}' // Lao
        | '\u{1000}'..='\u{109F}' // Burmese
        | '\u{3040}'..='\u{30FF}' // kana
        | '\u{3400}'..='\u{9FFF}' // CJK ideographs
        | '\u{F900}'..='\u{FAFF}')
}

/// 64-bit finaliser (SplitMix64's), used to spread hashes.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes of the tokens of a short text (a place description), sorted and unique:
/// words for spaced scripts, character bigrams inside runs of unspaced scripts.
pub fn token_hashes(text: &str) -> Vec<u64> {
    let norm = normalise(text);
    let mut out = Vec::new();
    for word in norm.split(' ') {
        let chars: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if unspaced_script(chars[i]) {
                let start = i;
                while i < chars.len() && unspaced_script(chars[i]) {
                    i += 1;
                }
                let run = &chars[start..i];
                if run.len() == 1 {
                    out.push(hash_chars(run));
                }
                for w in run.windows(2) {
                    out.push(hash_chars(w));
                }
            } else {
                let start = i;
                while i < chars.len() && !unspaced_script(chars[i]) {
                    i += 1;
                }
                out.push(hash_chars(&chars[start..i]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn hash_chars(chars: &[char]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &c in chars {
        h = mix64(h ^ u64::from(c));
    }
    h
}

/// Jaccard similarity of two sorted, unique slices (1.0 when both are empty).
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Jaccard similarity of two sorted, unique token lists where each token counts
/// by its `weight` (e.g. its inverse document frequency, so that words every
/// place description uses, like "building", count for little).
pub fn weighted_jaccard<T: Ord>(a: &[T], b: &[T], weight: impl Fn(&T) -> f64) -> f64 {
    let (mut i, mut j) = (0, 0);
    let (mut common, mut union) = (0.0, 0.0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                let w = weight(x);
                common += w;
                union += w;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                union += weight(x);
                i += 1;
            }
            (Some(x), None) => {
                union += weight(x);
                i += 1;
            }
            (_, Some(y)) => {
                union += weight(y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    if union <= 0.0 { 1.0 } else { common / union }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(normalise(input), expected, "{input:?}");
    }

    #[test]
    fn normalise_table() {
        check("  Hello,  WORLD!! ", "hello world");
        check("ខ្ញុំត្រូវគេវាយ។ ជួយផង", "ខ្ញុំត្រូវគេវាយ ជួយផង");
        check(
            "他们收走了我的护照，不让我离开。",
            "他们收走了我的护照 不让我离开",
        );
        check("Tôi BỊ ĐÁNH", "tôi bị đánh");
        check("ถูกขัง ๆ", "ถูกขัง");
        check("", "");
    }

    #[test]
    fn tokens_of_spaced_and_unspaced_text() {
        assert_eq!(token_hashes("Golden Sun, building B3").len(), 4);
        // 园区七号: 4 ideographs → 3 bigrams.
        assert_eq!(token_hashes("园区七号").len(), 3);
        assert_eq!(token_hashes("Golden sun"), token_hashes("GOLDEN  SUN!"));
    }

    #[test]
    fn separators_are_white_space_or_listed_punctuation() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let listed = matches!(c,
                '\u{2000}'..='\u{206F}'
                | '\u{3000}'..='\u{303F}'
                | '\u{FF00}'..='\u{FF0F}'
                | '\u{FF1A}'..='\u{FF20}'
                | '\u{17D4}'..='\u{17DA}'
                | '\u{0E2F}' | '\u{0E46}' | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}'
                | '\u{00A1}'..='\u{00BF}');
            let expected = c.is_whitespace() || c.is_ascii_punctuation() || listed;
            assert_eq!(is_separator(c), expected, "{:X}", c as u32);
        }
    }

    #[test]
    fn caseless_blocks_have_no_lower_case() {
        for c in (0..0x3_0000)
            .filter_map(char::from_u32)
            .filter(|&c| caseless(c))
        {
            assert!(c.to_lowercase().eq(std::iter::once(c)), "{:X}", c as u32);
        }
    }

    #[test]
    fn jaccard_table() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard::<u32>(&[], &[]), 1.0);
        assert_eq!(jaccard(&[1], &[2]), 0.0);
    }
}
