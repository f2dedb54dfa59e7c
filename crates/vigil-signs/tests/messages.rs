//! Every sign has its title and its explanation in every language's `signs`
//! catalogue, and every sign message there belongs to a sign.

use vigil_signs::Rules;

const CATALOGUES: [(&str, &str); 5] = [
    ("km", include_str!("../../vigil-web/locales/signs/km.ftl")),
    ("en", include_str!("../../vigil-web/locales/signs/en.ftl")),
    ("zh", include_str!("../../vigil-web/locales/signs/zh.ftl")),
    ("vi", include_str!("../../vigil-web/locales/signs/vi.ftl")),
    ("th", include_str!("../../vigil-web/locales/signs/th.ftl")),
];

/// `(id, value)` of each message in a Fluent file (single-line messages).
fn messages(src: &str) -> Vec<(&str, &str)> {
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = "))
        .collect()
}

#[test]
fn every_sign_has_both_messages_in_every_language() {
    let rules = Rules::embedded().expect("embedded rules");
    for (lang, src) in CATALOGUES {
        let msgs = messages(src);
        for id in rules.ids() {
            for key in [format!("sign-{id}"), format!("sign-{id}-why")] {
                let value = msgs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim());
                assert!(value.is_some_and(|v| !v.is_empty()), "{lang}: no `{key}`");
            }
        }
        assert!(
            msgs.iter().any(|(k, _)| *k == "signs-version"),
            "{lang}: no signs-version"
        );
    }
}

#[test]
fn catalogues_are_valid_fluent() {
    for (lang, src) in CATALOGUES {
        if let Err((_, errors)) = fluent_bundle::FluentResource::try_new(src.to_string()) {
            panic!("{lang}: {errors:?}");
        }
    }
}

#[test]
fn every_sign_message_belongs_to_a_sign() {
    let rules = Rules::embedded().expect("embedded rules");
    let ids: Vec<&str> = rules.ids().collect();
    for (lang, src) in CATALOGUES {
        for (key, _) in messages(src) {
            let Some(rest) = key.strip_prefix("sign-") else {
                continue;
            };
            let id = rest.strip_suffix("-why").unwrap_or(rest);
            assert!(ids.contains(&id), "{lang}: `{key}` names no sign");
        }
    }
}

#[test]
fn translations_are_not_english_copies() {
    let en = messages(CATALOGUES[1].1);
    for (lang, src) in CATALOGUES.iter().filter(|(l, _)| *l != "en") {
        for (key, value) in messages(src) {
            let english = en.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            assert_ne!(Some(value), english, "{lang}: `{key}` is the English text");
        }
    }
}
