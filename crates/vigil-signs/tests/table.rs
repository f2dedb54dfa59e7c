//! Hand-checked cases in each language, the rules file's errors, and
//! properties over any input.

use std::sync::OnceLock;

use proptest::prelude::*;
use vigil_signs::{Rules, RulesError};

/// The embedded rules, compiled once for all tests and cases.
fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| match Rules::embedded() {
        Ok(r) => r,
        Err(e) => panic!("embedded rules: {e}"),
    })
}

/// The signs found in `text` are exactly `expected`, in rule order, each with
/// its evidence where given.
fn check(text: &str, expected: &[(&str, Option<&str>)]) {
    let rules = rules();
    let hits = rules.find(text);
    let got: Vec<&str> = hits.iter().map(|h| h.sign).collect();
    let want: Vec<&str> = expected.iter().map(|(s, _)| *s).collect();
    assert_eq!(got, want, "in {text:?}: {hits:?}");
    for (hit, (_, evidence)) in hits.iter().zip(expected) {
        assert_eq!(&text[hit.span.clone()], hit.evidence, "{hit:?}");
        if let Some(e) = evidence {
            assert_eq!(hit.evidence, *e, "{hit:?}");
        }
    }
}

#[test]
fn english() {
    check(
        "No experience needed! Salary $3,000/month. Contact us on Telegram only.",
        &[
            ("pay-too-high", Some("Salary $3,000")),
            ("no-experience", Some("No experience needed")),
            ("chat-app-only", Some("Contact us on Telegram")),
        ],
    );
    check(
        "Earn 3000$ a month",
        &[("pay-too-high", Some("Earn 3000$"))],
    );
    check("salary: 3,000 USD", &[("pay-too-high", None)]);
    check("salary 3k", &[("pay-too-high", Some("salary 3k"))]);
    check("Salary $300 per month, 3 months probation", &[]);
    check("salary 2026", &[]);
    check(
        "Typing job in Sihanoukville, free flight",
        &[
            ("travel-paid", Some("free flight")),
            ("border-zone-job", Some("Sihanoukville")),
        ],
    );
    check("Police rescued typists in Sihanoukville", &[]);
    check("the hotline is open", &[]);
    check("ABA: you received 25.00 USD", &[]);
}

#[test]
fn khmer() {
    check(
        "ប្រាក់ខែ ២៥០០ ដុល្លារ មិនត្រូវការបទពិសោធន៍",
        &[
            ("pay-too-high", Some("ប្រាក់ខែ ២៥០០ ដុល្លារ")),
            ("no-experience", None),
        ],
    );
    // A zero-width space between words does not hide a phrase.
    check(
        "មិន\u{200B}ត្រូវការ\u{200B}បទពិសោធន៍",
        &[("no-experience", None)],
    );
    check(
        "ទាក់ទងតាមTelegram",
        &[("chat-app-only", Some("ទាក់ទងតាមTelegram"))],
    );
    check("ប្រាក់ខែ ២០៨ ដុល្លារ", &[]);
    check("ប្រាក់ខែ ១,២០០,០០០ រៀល", &[]);
    check("ប្រាក់ខែ ៥,០០០,០០០ រៀល", &[("pay-too-high", None)]);
}

#[test]
fn chinese() {
    check(
        "月薪2万，包吃住",
        &[
            ("pay-too-high", Some("月薪2万")),
            ("travel-paid", Some("包吃住")),
        ],
    );
    check("底薪3000U", &[("pay-too-high", None)]);
    check("月薪６０００元", &[]);
    check(
        "ＵＳＤＴ理财，日收益３％",
        &[("crypto-profit", Some("日收益"))],
    );
}

#[test]
fn vietnamese() {
    check(
        "lương 30 triệu/tháng",
        &[("pay-too-high", Some("lương 30 triệu"))],
    );
    check("lương 8 triệu/tháng", &[]);
    // Decomposed diacritics read the same as composed ones.
    check("Không cần kinh nghiệm", &[("no-experience", None)]);
    check(
        "Kho\u{302}ng ca\u{302}\u{300}n kinh nghie\u{323}\u{302}m",
        &[("no-experience", None)],
    );
}

#[test]
fn thai() {
    check(
        "เงินเดือน ๕๐,๐๐๐ บาท",
        &[("pay-too-high", Some("เงินเดือน ๕๐,๐๐๐ บาท"))],
    );
    check("เงินเดือน 15,000 บาท", &[]);
    check("ค่าแรงวันละ 2,000 บาท", &[("pay-too-high", None)]);
    check("ค่าแรงวันละ 363 บาท", &[]);
}

#[test]
fn version_and_ids() {
    let r = rules();
    assert!(!r.version().is_empty());
    let ids: Vec<&str> = r.ids().collect();
    assert_eq!(ids.len(), 11, "{ids:?}");
    assert!(format!("{r:?}").contains(r.version()));
}

fn err(toml: &str) -> RulesError {
    match Rules::from_toml(toml) {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_the_sign_and_the_pattern() {
    assert!(matches!(err("version = "), RulesError::Syntax(_)));
    assert_eq!(err("version = ' '"), RulesError::EmptyVersion);
    let sign = |body: &str| format!("version = '1'\n[[signs]]\n{body}");
    assert_eq!(
        err(&sign("id = 'Bad_Id'\npatterns = { en = ['x'] }")),
        RulesError::BadId("Bad_Id".into())
    );
    assert_eq!(
        err(&sign(
            "id = 'a'\npatterns = { en = ['x'] }\n[[signs]]\nid = 'a'\npatterns = { en = ['y'] }"
        )),
        RulesError::DuplicateSign("a".into())
    );
    assert_eq!(err(&sign("id = 'a'")), RulesError::NoPatterns("a".into()));
    assert_eq!(
        err(&sign("id = 'a'\npatterns = { fr = ['x'] }")),
        RulesError::UnknownLanguage {
            sign: "a".into(),
            language: "fr".into()
        }
    );
    match err(&sign("id = 'a'\npatterns = { en = ['ok', 'bad('] }")) {
        RulesError::BadPattern {
            sign,
            language,
            pattern,
            ..
        } => {
            assert_eq!(
                (sign.as_str(), language.as_str(), pattern.as_str()),
                ("a", "en", "bad(")
            );
        }
        e => panic!("{e:?}"),
    }
    match err(&sign("id = 'a'\npatterns = { zh = ['x?'] }")) {
        RulesError::BadPattern { pattern, .. } => assert_eq!(pattern, "x?"),
        e => panic!("{e:?}"),
    }
    assert_eq!(
        err(&sign("id = 'a'\npatterns = { en = ['Telegram'] }")),
        RulesError::NotLowercase {
            sign: "a".into(),
            language: "en".into(),
            pattern: "Telegram".into()
        }
    );
    match err(&sign(
        "id = 'a'\nwith = { en = ['['] }\npatterns = { en = ['x'] }",
    )) {
        RulesError::BadPattern { language, .. } => assert_eq!(language, "with.en"),
        e => panic!("{e:?}"),
    }
    assert_eq!(
        err(&sign("id = 'a'\nkind = 'magic'\npatterns = { en = ['x'] }")),
        RulesError::UnknownKind {
            sign: "a".into(),
            kind: "magic".into()
        }
    );
    assert!(matches!(
        err(&sign("id = 'a'\nkind = 'pay'\npatterns = { en = ['x'] }")),
        RulesError::Pay(_)
    ));
    assert!(matches!(
        err(&sign("id = 'a'\npatterns = { en = ['x'] }\nextra = 1")),
        RulesError::Syntax(_)
    ));
}

#[test]
fn a_small_rules_file_works() {
    let r = Rules::from_toml(
        "version = 't1'\n[[signs]]\nid = 'greeting'\npatterns = { en = ['hello'], km = ['សួស្តី'] }\nunless = { en = ['goodbye'] }",
    )
    .expect("rules");
    assert_eq!(r.version(), "t1");
    assert_eq!(r.find("Hello there").len(), 1);
    assert_eq!(r.find("othello").len(), 0);
    assert_eq!(r.find("សួស្តីបង").len(), 1);
    assert_eq!(r.find("hello and goodbye").len(), 0);
}

proptest! {
    #[test]
    fn any_text_is_safe(text in "\\PC{0,300}") {
        let r = rules();
        for hit in r.find(&text) {
            prop_assert!(text.is_char_boundary(hit.span.start) && text.is_char_boundary(hit.span.end));
            prop_assert!(text[hit.span.clone()].starts_with(&hit.evidence));
            prop_assert!(hit.evidence.chars().count() <= vigil_signs::EVIDENCE_CHARS);
        }
    }

    #[test]
    fn mixed_scripts_and_marks_are_safe(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("ប្រាក់ខែ "), Just("៣០០០"), Just("$"), Just("\u{200B}"), Just("\u{0301}"),
                Just("月薪"), Just("万"), Just("lương "), Just("triệu"), Just("เงินเดือน"),
                Just("๕๐,๐๐๐"), Just("บาท"), Just("ＵＳＤ"), Just("İ"), Just(" "), Just("-"),
                Just("telegram"), Just("o\u{0308}\u{0323}"), Just("1.5k"),
            ],
            0..40,
        )
    ) {
        let text: String = parts.concat();
        let r = rules();
        let a: Vec<&str> = r.find(&text).iter().map(|h| h.sign).collect();
        for hit in r.find(&text) {
            prop_assert!(text.is_char_boundary(hit.span.start) && text.is_char_boundary(hit.span.end));
        }
        let b: Vec<&str> = r.find_each_pattern(&text).iter().map(|h| h.sign).collect();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn rules_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + 'static>(_: &T) {}
    shared(rules());
}
