//! Digits in the scripts our reporters type: ASCII, Khmer, Thai, Lao, Myanmar and
//! full-width forms.

/// The ASCII value (0–9) of a decimal digit in any supported script, or `None`.
pub fn digit_value(c: char) -> Option<u8> {
    let base = match c {
        '0'..='9' => '0',
        '\u{17E0}'..='\u{17E9}' => '\u{17E0}', // Khmer ០-៩
        '\u{0E50}'..='\u{0E59}' => '\u{0E50}', // Thai ๐-๙
        '\u{0ED0}'..='\u{0ED9}' => '\u{0ED0}', // Lao ໐-໙
        '\u{1040}'..='\u{1049}' => '\u{1040}', // Myanmar ၀-၉
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}', // full-width ０-９
        _ => return None,
    };
    u8::try_from(c as u32 - base as u32).ok()
}

/// `s` with every digit of any script written as an ASCII digit; other
/// characters are kept.
pub fn to_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match digit_value(c) {
            Some(d) => char::from(b'0' + d),
            None => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::digit_value;

    #[test]
    fn every_script_maps_to_ascii() {
        for (zero, name) in [
            ('0', "ascii"),
            ('\u{17E0}', "khmer"),
            ('\u{0E50}', "thai"),
            ('\u{0ED0}', "lao"),
            ('\u{1040}', "myanmar"),
            ('\u{FF10}', "fullwidth"),
        ] {
            for i in 0..10u32 {
                let c = char::from_u32(zero as u32 + i).unwrap_or('x');
                assert_eq!(digit_value(c), Some(i as u8), "{name} {i}");
            }
        }
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('/'), None);
    }
}
