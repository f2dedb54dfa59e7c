//! How times and places are written on pages: Cambodia's time (UTC+7) and
//! gazetteer names in the reader's language.

use time::macros::format_description;
use vigil_domain::gazetteer::gazetteer;

/// A moment in Cambodia's time as the reader's locale writes it
/// (`Nov 26, 2026, 9:30 AM`).
pub fn when(lang: &str, t: time::OffsetDateTime) -> String {
    crate::localize::date_time(lang, t)
}

/// A day in Cambodia's time as the reader's locale writes it
/// (`Nov 26, 2026`).
pub fn day(lang: &str, t: time::OffsetDateTime) -> String {
    crate::localize::date(lang, t)
}

/// A day in Cambodia's time as machines read it (`2026-11-26`), for links.
pub fn iso_day(t: time::OffsetDateTime) -> String {
    vigil_domain::clock::in_cambodia(t).date().to_string()
}

/// `2026-11-26` as the reader's locale writes that day; anything else as it
/// came.
pub fn iso_day_shown(lang: &str, iso: &str) -> String {
    let format = format_description!("[year]-[month]-[day]");
    match time::Date::parse(iso, &format) {
        Ok(d) => crate::localize::date(
            lang,
            d.midnight().assume_offset(vigil_domain::clock::CAMBODIA),
        ),
        Err(_) => iso.to_string(),
    }
}

/// A gazetteer unit's name in Khmer for `km`, else in English; empty if unknown.
pub fn unit_name(code: Option<&str>, lang: &str) -> String {
    code.and_then(|c| gazetteer().get(c))
        .map(|u| {
            if lang == "km" {
                u.name_km.clone()
            } else {
                u.name_en.clone()
            }
        })
        .unwrap_or_default()
}

/// A gazetteer unit's full path (`province › district › …`) in Khmer for
/// `km`, else in English; empty if unknown.
pub fn unit_path(code: &str, lang: &str) -> String {
    let g = gazetteer();
    g.get(code)
        .map(|u| {
            if lang == "km" {
                g.path_km(u)
            } else {
                g.path_en(u)
            }
        })
        .unwrap_or_default()
}

/// The offset a local time gets when none is typed: Cambodia's.
pub const OFFSET: &str = "+07:00";

/// A local date and time (`2026-11-20T05:40`, as a `datetime-local` field
/// sends it) and an offset → RFC 3339. A value that already carries its
/// offset is passed on as typed, and so is anything else, so the core names
/// the field.
pub fn local_time(local: &str, offset: &str) -> String {
    let local = local.trim();
    if local.is_empty() || local.len() > 19 || local.ends_with(['Z', 'z']) {
        return local.to_string();
    }
    let offset = match offset.trim() {
        "" => OFFSET,
        o => o,
    };
    if local.len() == 16 {
        format!("{local}:00{offset}")
    } else {
        format!("{local}{offset}")
    }
}

/// Now in Cambodia, as a `datetime-local` field shows it.
pub fn now_local() -> String {
    let offset = vigil_domain::clock::CAMBODIA;
    time::OffsetDateTime::now_utc()
        .to_offset(offset)
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .unwrap_or_default()
}

/// The country a person typed: its code (any case), or its name as CLDR
/// writes it in `lang` or in any served language (case and surrounding
/// spaces aside): an officer may type Khmer on an English page. Anything
/// else comes back as typed, for the core to refuse by name.
pub fn country_code(lang: &str, typed: &str) -> String {
    let typed = typed.trim();
    if typed.len() == 2 && typed.is_ascii() {
        return typed.to_ascii_uppercase();
    }
    let wanted = typed.to_lowercase();
    let named_in = |l: &str| {
        vigil_domain::countries::codes()
            .find(|c| crate::localize::country(l, c).to_lowercase() == wanted)
    };
    std::iter::once(lang)
        .chain(crate::i18n::LOCALES.iter().map(|(l, _, _)| *l))
        .find_map(named_in)
        .map_or_else(|| typed.to_string(), str::to_string)
}

/// The languages suggested for a person met (ISO 639-1): those of
/// Cambodia's neighbours and of the countries compound workers come from.
const LANGUAGES: &[&str] = &[
    "km", "th", "vi", "zh", "lo", "my", "en", "id", "ms", "tl", "ko", "ja", "hi", "bn", "ur", "ne",
    "si", "ta", "te", "ml", "ru", "uz", "kk", "mn", "ar", "tr", "fr", "es", "pt", "sw", "am",
];

/// The suggested languages as (code, name in `lang`), in the order of the
/// names.
pub fn languages(lang: &str) -> Vec<(&'static str, String)> {
    let mut all: Vec<(&'static str, String)> = LANGUAGES
        .iter()
        .map(|c| (*c, crate::localize::language(lang, c)))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    all
}

/// The language a person typed: a code as typed (lowercased), or the code
/// of a suggested language named in `lang` or any served language; else as
/// typed.
pub fn language_code(lang: &str, typed: &str) -> String {
    let typed = typed.trim();
    if (2..=3).contains(&typed.len()) && typed.bytes().all(|b| b.is_ascii_alphabetic()) {
        return typed.to_ascii_lowercase();
    }
    let wanted = typed.to_lowercase();
    std::iter::once(lang)
        .chain(crate::i18n::LOCALES.iter().map(|(l, _, _)| *l))
        .find_map(|l| {
            LANGUAGES
                .iter()
                .find(|c| crate::localize::language(l, c).to_lowercase() == wanted)
        })
        .map_or_else(|| typed.to_string(), |c| (*c).to_string())
}

/// An identifier's kind in the reader's words (`phone` → "Phone"); its code
/// when the catalogue has none.
pub fn kind_label(t: &crate::i18n::Tr<'_>, kind: &str) -> String {
    let key = format!("rec-kind-{kind}");
    match t.t(&key) {
        s if s == key => kind.to_string(),
        s => s,
    }
}

/// A time as recorded, with its own offset (`2026-11-20 05:40 +07:00`).
pub fn with_offset(t: time::OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] [offset_hour sign:mandatory]:[offset_minute]"
    ))
    .unwrap_or_default()
}

/// A facility as readers call it: the name the intelligence chose (`name`,
/// its JSON: the reporters' words, a place, or an identifier), with the
/// place in the reader's language and its parent unit to tell namesakes
/// apart; "Suspected facility N" while it has none.
pub fn facility_name(t: &crate::i18n::Tr<'_>, name: &str, id: i64) -> String {
    let v: serde_json::Value = serde_json::from_str(name).unwrap_or_default();
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default();
    let named = match field("by") {
        "words" => field("text").to_string(),
        "identifier" => field("value").to_string(),
        "place" => {
            let code = field("code");
            let own = unit_name(Some(code), t.lang);
            let parent = code
                .get(..code.len().saturating_sub(2))
                .filter(|p| p.len() >= 2)
                .map(|p| unit_name(Some(p), t.lang))
                .unwrap_or_default();
            match (own.is_empty(), parent.is_empty()) {
                (true, _) => String::new(),
                (false, true) => own,
                (false, false) => format!("{own}, {parent}"),
            }
        }
        _ => String::new(),
    };
    if named.trim().is_empty() {
        t.t1("staff-facility-title", "id", id)
    } else {
        named
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_found_by_its_code_or_its_name_in_any_language() {
        assert_eq!(country_code("km", "th"), "TH");
        assert_eq!(country_code("en", " Thailand "), "TH");
        assert_eq!(
            country_code("km", &crate::localize::country("km", "TH")),
            "TH"
        );
        assert_eq!(country_code("km", "malaysia"), "MY");
        assert_eq!(
            country_code("en", &crate::localize::country("km", "KH")),
            "KH"
        );
        assert_eq!(country_code("km", "Atlantis"), "Atlantis");
    }

    #[test]
    fn a_language_is_found_by_its_code_or_its_name() {
        assert_eq!(language_code("en", "KM"), "km");
        assert_eq!(language_code("en", "Thai"), "th");
        assert_eq!(
            language_code("en", &crate::localize::language("km", "vi")),
            "vi"
        );
        assert_eq!(language_code("km", "Klingon"), "Klingon");
        assert!(
            languages("en")
                .iter()
                .any(|(c, n)| *c == "ms" && n == "Malay")
        );
    }
}
