//! Property tests: extraction never panics, spans are char boundaries of the
//! original text, and extracting from a value's own text finds it again.

use proptest::prelude::*;
use vigil_extract::{Kind, extract};

fn pieces() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("012 345 678".to_string()),
        Just("+855 (0)12 345 678".to_string()),
        Just("០១២ ៣៤៥ ៦៧៨".to_string()),
        Just("13812345678".to_string()),
        Just("hxxps://jobs-asia[.]com/a?b=1".to_string()),
        Just("bob [at] mail [dot] com".to_string()),
        Just("@boss_kh99".to_string()),
        Just("微信：wxid_abc123".to_string()),
        Just("TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r".to_string()),
        Just("4111 1111 1111 1111".to_string()),
        Just("11°33'23.0\"N 104°55'41.0\"E".to_string()),
        Just("ព្រះសីហនុ".to_string()),
        Just("Poipet".to_string()),
        Just("12/05/2025".to_string()),
        Just("[.](.)[at]".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,8}",
        "[0-9០-៩ +()\\-.]{0,20}",
    ]
}

fn texts() -> impl Strategy<Value = String> {
    prop::collection::vec(pieces(), 0..8).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_spans_are_boundaries(text in texts()) {
        let found = extract(&text);
        for f in &found {
            prop_assert!(f.start < f.end, "{f:?}");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
            prop_assert!(f.end <= text.len());
        }
        prop_assert!(found.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,200}") {
        for f in extract(&text) {
            prop_assert!(text.get(f.start..f.end).is_some());
        }
    }

    #[test]
    fn values_are_found_again(text in texts()) {
        for f in extract(&text) {
            // Kinds whose normal form is itself extractable text.
            let again = match f.kind {
                Kind::Phone | Kind::Email | Kind::Url | Kind::Domain | Kind::CryptoWallet
                | Kind::Iban | Kind::Coordinates => extract(&f.value),
                Kind::Telegram => extract(&format!("@{}", f.value)),
                _ => continue,
            };
            prop_assert!(
                again.iter().any(|g| g.kind == f.kind && g.value == f.value),
                "{f:?} not found again in its value: {again:?}"
            );
        }
    }

    #[test]
    fn khmer_digits_read_like_ascii(n in 10_000_000u32..99_999_999u32) {
        let ascii = format!("0{n}");
        let khmer: String = ascii.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0x17E0).unwrap_or(c)).collect();
        let a: Vec<String> = extract(&ascii).into_iter().map(|f| f.value).collect();
        let k: Vec<String> = extract(&khmer).into_iter().map(|f| f.value).collect();
        prop_assert_eq!(a, k);
    }
}

/// Long hostile inputs finish (the scanner is linear: a quadratic path would make
/// this test take minutes).
#[test]
fn long_hostile_inputs() {
    let unit_cases = [
        "1",
        "1 ",
        "1.",
        "1-",
        "+1",
        "(0)",
        "a.",
        "a-",
        "a@",
        "@a",
        "vx ",
        "[.]",
        "hxxp://",
        "០",
        "៣ ",
        "微信",
        "T",
        "0x",
        "GB82 ",
        "11°",
        "a",
        "/",
        "ពួក",
        "https://a.com/",
    ];
    for unit in unit_cases {
        let text = unit.repeat(200_000 / unit.len());
        let start = std::time::Instant::now();
        let found = vigil_extract::extract(&text);
        for f in &found {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        assert!(
            start.elapsed().as_secs() < 20,
            "{unit:?} took {:?}",
            start.elapsed()
        );
    }
}
