//! Translations with Project Fluent: Khmer, English, Chinese, Vietnamese and
//! Thai. Each locale is one `.ftl` file embedded in the binary; adding another
//! is one file and one line in [`LOCALES`] (a test checks it has every English
//! message). A message missing from a locale falls back to English.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::concurrent::IntlLangMemoizer;
use unic_langid::LanguageIdentifier;

/// Every locale served: (code, Fluent source, name in its own language).
pub const LOCALES: &[(&str, &str, &str)] = &[
    ("km", include_str!("../locales/km.ftl"), "ភាសាខ្មែរ"),
    ("en", include_str!("../locales/en.ftl"), "English"),
    ("zh", include_str!("../locales/zh.ftl"), "中文"),
    ("vi", include_str!("../locales/vi.ftl"), "Tiếng Việt"),
    ("th", include_str!("../locales/th.ftl"), "ไทย"),
];

/// The public catalogues of one subject each (the check, awareness pages,
/// warning signs), every one in the five languages of [`LOCALES`], loaded
/// after the locale's main file. A subject keeps its own file so that its
/// messages live beside each other.
pub const PUBLIC_PARTS: &[(&str, &[(&str, &str)])] = &[
    (
        "check",
        &[
            ("km", include_str!("../locales/check/km.ftl")),
            ("en", include_str!("../locales/check/en.ftl")),
            ("zh", include_str!("../locales/check/zh.ftl")),
            ("vi", include_str!("../locales/check/vi.ftl")),
            ("th", include_str!("../locales/check/th.ftl")),
        ],
    ),
    (
        "aware",
        &[
            ("km", include_str!("../locales/aware/km.ftl")),
            ("en", include_str!("../locales/aware/en.ftl")),
            ("zh", include_str!("../locales/aware/zh.ftl")),
            ("vi", include_str!("../locales/aware/vi.ftl")),
            ("th", include_str!("../locales/aware/th.ftl")),
        ],
    ),
    (
        "signs",
        &[
            ("km", include_str!("../locales/signs/km.ftl")),
            ("en", include_str!("../locales/signs/en.ftl")),
            ("zh", include_str!("../locales/signs/zh.ftl")),
            ("vi", include_str!("../locales/signs/vi.ftl")),
            ("th", include_str!("../locales/signs/th.ftl")),
        ],
    ),
];

/// The staff pages' messages, in Khmer and English (other locales fall back to
/// English); the error messages staff may meet are among them.
pub const STAFF_LOCALES: &[(&str, &str)] = &[
    ("km", include_str!("../locales/staff/km.ftl")),
    ("en", include_str!("../locales/staff/en.ftl")),
];

/// The staff catalogues of one subject each, loaded after
/// [`STAFF_LOCALES`]: accounts, the exit-screening desk and recruiters
/// (Khmer and English), and the machine-made reasons and search (every locale of
/// [`LOCALES`]: they may reach any reader).
pub const STAFF_PARTS: &[(&str, &[(&str, &str)])] = &[
    (
        "triage",
        &[
            ("km", include_str!("../locales/triage/km.ftl")),
            ("en", include_str!("../locales/triage/en.ftl")),
        ],
    ),
    (
        "accounts",
        &[
            ("km", include_str!("../locales/accounts/km.ftl")),
            ("en", include_str!("../locales/accounts/en.ftl")),
        ],
    ),
    (
        "desk",
        &[
            ("km", include_str!("../locales/desk/km.ftl")),
            ("en", include_str!("../locales/desk/en.ftl")),
        ],
    ),
    (
        "operations",
        &[
            ("km", include_str!("../locales/operations/km.ftl")),
            ("en", include_str!("../locales/operations/en.ftl")),
        ],
    ),
    (
        "cases",
        &[
            ("km", include_str!("../locales/cases/km.ftl")),
            ("en", include_str!("../locales/cases/en.ftl")),
        ],
    ),
    (
        "recruiters",
        &[
            ("km", include_str!("../locales/recruiters/km.ftl")),
            ("en", include_str!("../locales/recruiters/en.ftl")),
        ],
    ),
    (
        "reasons",
        &[
            ("km", include_str!("../locales/reasons/km.ftl")),
            ("en", include_str!("../locales/reasons/en.ftl")),
            ("zh", include_str!("../locales/reasons/zh.ftl")),
            ("vi", include_str!("../locales/reasons/vi.ftl")),
            ("th", include_str!("../locales/reasons/th.ftl")),
        ],
    ),
    (
        "search",
        &[
            ("km", include_str!("../locales/search/km.ftl")),
            ("en", include_str!("../locales/search/en.ftl")),
            ("th", include_str!("../locales/search/th.ftl")),
            ("vi", include_str!("../locales/search/vi.ftl")),
            ("zh", include_str!("../locales/search/zh.ftl")),
        ],
    ),
];

/// The languages of the staff pages.
pub const STAFF_LANGS: &[&str] = &["km", "en"];

/// The locale used when nothing else is known.
pub const DEFAULT_LANG: &str = "km";

/// The loaded bundles.
pub struct I18n {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
    /// Whether every message found is marked (see [`I18n::pseudo`]).
    pseudo: bool,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "I18n({} locales)", self.bundles.len())
    }
}

/// Why the translations could not be loaded (a broken `.ftl` file).
#[derive(Debug, thiserror::Error)]
#[error("locale {0}: {1}")]
pub struct I18nError(pub &'static str, pub String);

impl I18n {
    /// Parses every embedded locale.
    pub fn load() -> Result<I18n, I18nError> {
        let mut bundles = Vec::new();
        for (code, src, _) in LOCALES {
            let res = FluentResource::try_new((*src).to_string())
                .map_err(|(_, errs)| I18nError(code, format!("{errs:?}")))?;
            let id: LanguageIdentifier = code
                .parse()
                .map_err(|e| I18nError(code, format!("{e:?}")))?;
            let mut b = FluentBundle::new_concurrent(vec![id]);
            b.set_use_isolating(false);
            b.set_formatter(formatter(code));
            b.add_resource(res)
                .map_err(|errs| I18nError(code, format!("{errs:?}")))?;
            for (part, sources) in PUBLIC_PARTS {
                for (_, src) in sources.iter().filter(|(c, _)| c == code) {
                    let res = FluentResource::try_new((*src).to_string())
                        .map_err(|(_, errs)| I18nError(code, format!("{part}: {errs:?}")))?;
                    b.add_resource(res)
                        .map_err(|errs| I18nError(code, format!("{part}: {errs:?}")))?;
                }
            }
            for (_, staff) in STAFF_LOCALES.iter().filter(|(c, _)| c == code) {
                let res = FluentResource::try_new((*staff).to_string())
                    .map_err(|(_, errs)| I18nError(code, format!("staff: {errs:?}")))?;
                b.add_resource(res)
                    .map_err(|errs| I18nError(code, format!("staff: {errs:?}")))?;
            }
            for (part, sources) in STAFF_PARTS {
                for (_, src) in sources.iter().filter(|(c, _)| c == code) {
                    let res = FluentResource::try_new((*src).to_string())
                        .map_err(|(_, errs)| I18nError(code, format!("{part}: {errs:?}")))?;
                    b.add_resource(res)
                        .map_err(|errs| I18nError(code, format!("{part}: {errs:?}")))?;
                }
            }
            bundles.push((*code, b));
        }
        Ok(I18n {
            bundles,
            pseudo: false,
        })
    }

    /// The catalogues in pseudo-locale form, for checking pages: every message
    /// found in the language asked for comes out between [`PSEUDO_OPEN`] and
    /// [`PSEUDO_CLOSE`], its Latin vowels accented, so that any text a page
    /// shows outside those marks did not come from that language's
    /// catalogue (a word written into a template, a core string, a message
    /// missing from the language and taken from English, an id without a
    /// message).
    pub fn pseudo() -> Result<I18n, I18nError> {
        Ok(I18n {
            pseudo: true,
            ..I18n::load()?
        })
    }

    /// The supported locale for a code, if served.
    pub fn lang(code: &str) -> Option<&'static str> {
        LOCALES.iter().map(|(c, _, _)| *c).find(|c| *c == code)
    }

    /// The best served locale for an `Accept-Language` header.
    pub fn negotiate(header: Option<&str>, default: &'static str) -> &'static str {
        let Some(h) = header else { return default };
        let mut tags: Vec<(f32, &str)> = h
            .split(',')
            .map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next().unwrap_or("").trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q, tag)
            })
            .collect();
        tags.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        tags.iter()
            .filter_map(|(_, t)| Self::lang(&t.split('-').next().unwrap_or("").to_lowercase()))
            .next()
            .unwrap_or(default)
    }

    fn bundle(&self, lang: &str) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(c, _)| *c == lang)
            .map(|(_, b)| b)
    }

    /// Formats message `key` in `lang` (falling back to English, then the key).
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        for l in [lang, "en"] {
            let Some(b) = self.bundle(l) else { continue };
            let Some(msg) = b.get_message(key) else {
                continue;
            };
            let Some(pattern) = msg.value() else { continue };
            let mut fa = FluentArgs::new();
            for (k, v) in args {
                fa.set(*k, fluent_value(k, v));
            }
            let mut errors = Vec::new();
            let out = b.format_pattern(pattern, Some(&fa), &mut errors);
            if self.pseudo && l == lang {
                return pseudo_text(&out);
            }
            return out.into_owned();
        }
        key.to_string()
    }

    /// Every message id in a locale (for completeness checks).
    pub fn keys(&self, lang: &str) -> Vec<String> {
        let main = LOCALES
            .iter()
            .filter(|(c, _, _)| *c == lang)
            .map(|(_, s, _)| *s);
        let parts = PUBLIC_PARTS
            .iter()
            .flat_map(|(_, sources)| sources.iter())
            .filter(|(c, _)| *c == lang)
            .map(|(_, s)| *s);
        main.chain(parts)
            .flat_map(str::lines)
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next())
            .map(str::to_string)
            .collect()
    }
}

/// Translations bound to one language, for templates.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    i18n: &'a I18n,
    /// The language code.
    pub lang: &'static str,
}

impl<'a> Tr<'a> {
    /// Binds `lang`.
    pub fn new(i18n: &'a I18n, lang: &'static str) -> Self {
        Tr { i18n, lang }
    }

    /// A message without arguments.
    pub fn t(&self, key: &str) -> String {
        self.i18n.format(self.lang, key, &[])
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.i18n
            .format(self.lang, key, &[(name, value.to_string())])
    }

    /// A message with two arguments.
    pub fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl ToString,
        n2: &str,
        v2: impl ToString,
    ) -> String {
        self.i18n.format(
            self.lang,
            key,
            &[(n1, v1.to_string()), (n2, v2.to_string())],
        )
    }

    /// A message with any arguments.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        self.i18n.format(self.lang, key, args)
    }

    /// A wrong field as a person reads it: its label and what is wrong, both
    /// in this language.
    pub fn field_error(&self, e: &vigil_core::FieldError) -> String {
        field_error_text(self.i18n, self.lang, &e.field, e.message.id(), &e.args)
    }

    /// Every wrong field of an input refused whole (every bad row of a CSV),
    /// each as [`Tr::field_error`] reads it.
    pub fn field_errors(&self, e: &vigil_core::FieldError) -> Vec<String> {
        e.all().map(|e| self.field_error(e)).collect()
    }

    /// The other served languages, each as (code, name in its own language),
    /// for the language links.
    pub fn others(&self) -> Vec<(&'static str, &'static str)> {
        LOCALES
            .iter()
            .filter(|(c, _, _)| *c != self.lang)
            .map(|(c, _, n)| (*c, *n))
            .collect()
    }
}

/// The label of a field as a person reads it (`field-name-…`): the last part
/// of a dotted path, without an index (`persons[2].name` is `name`); a field
/// with no label of its own is "this field".
pub fn field_label(i18n: &I18n, lang: &str, field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let base = last.split('[').next().unwrap_or(last);
    let key = format!("field-name-{base}");
    let label = i18n.format(lang, &key, &[]);
    if label == key {
        i18n.format(lang, "field-name-unknown", &[])
    } else {
        label
    }
}

/// Where a pseudo-locale message starts ([`I18n::pseudo`]).
pub const PSEUDO_OPEN: char = '⟦';
/// Where a pseudo-locale message ends.
pub const PSEUDO_CLOSE: char = '⟧';

/// A message as the pseudo-locale writes it: marked, its Latin vowels
/// accented.
fn pseudo_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push(PSEUDO_OPEN);
    out.extend(s.chars().map(|c| match c {
        'a' => 'á',
        'e' => 'é',
        'i' => 'í',
        'o' => 'ó',
        'u' => 'ú',
        'A' => 'Á',
        'E' => 'É',
        'I' => 'Í',
        'O' => 'Ó',
        'U' => 'Ú',
        c => c,
    }));
    out.push(PSEUDO_CLOSE);
    out
}

/// Where a wrong field is, when its error says: an argument of the error and
/// the message that puts it before the field's label.
const PLACES: [(&str, &str); 4] = [
    ("row", "field-at-row"),
    ("line", "field-at-line"),
    ("item", "field-of-item"),
    ("screening", "field-of-screening"),
];

/// "Label: what is wrong" for `field`, message id `id` and its arguments, in
/// `lang`; the label is placed (`Row 3, Name`) when the arguments say where.
pub fn field_error_text(
    i18n: &I18n,
    lang: &str,
    field: &str,
    id: &str,
    args: &[(&'static str, String)],
) -> String {
    let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.clone())).collect();
    let message = i18n.format(lang, id, &args);
    let mut label = field_label(i18n, lang, field);
    for (at, key) in PLACES {
        if let Some((_, v)) = args.iter().find(|(k, _)| *k == at) {
            label = i18n.format(lang, key, &[(at, v.clone()), ("field", label)]);
            break;
        }
    }
    i18n.format(
        lang,
        "field-error",
        &[("field", label), ("message", message)],
    )
}

/// A message argument as Fluent takes it: a number when it is written as one
/// (for plurals), text otherwise, so that identifiers of many digits (an
/// ICCID, an IMEI) and leading zeros are quoted as typed.
/// Quantities are numbers, written with the locale's digit grouping; what
/// names or points at something (an id, a row, a value as typed: the
/// arguments of [`VERBATIM`]) is text, written as it came.
fn fluent_value(key: &str, v: &str) -> FluentValue<'static> {
    match v.parse::<f64>() {
        Ok(n)
            if n.is_finite()
                && n.abs() < 1e15
                && n.to_string() == v
                && !VERBATIM.contains(&key) =>
        {
            FluentValue::from(n)
        }
        _ => FluentValue::from(v.to_string()),
    }
}

/// The message arguments that name or point at something rather than count.
const VERBATIM: &[&str] = &[
    "id",
    "ref",
    "reference",
    "row",
    "line",
    "value",
    "first",
    "last",
    "digit",
    "digits",
    "version",
    "computed",
    "item",
    "screening",
    "operation",
    "post",
    "holder",
    "query",
    "code",
    "tip",
    "case",
    "year",
    "step",
    "supported",
    "expected",
];

/// How a bundle of locale `lang` writes a grouped number: with ICU4X's CLDR
/// data. Fluent takes a plain function, hence one per locale.
fn grouped(lang: &str, v: &FluentValue) -> Option<String> {
    match v {
        FluentValue::Number(n) => {
            if n.value.fract() == 0.0 && n.value.abs() < 9e15 {
                Some(crate::localize::number(lang, n.value as i64))
            } else {
                let digits = n.options.maximum_fraction_digits.unwrap_or(1);
                Some(crate::localize::decimal(lang, n.value, digits))
            }
        }
        _ => None,
    }
}

type Formatter = fn(&FluentValue, &IntlLangMemoizer) -> Option<String>;

/// The number formatter of each locale's bundle.
fn formatter(lang: &str) -> Option<Formatter> {
    Some(match lang {
        "km" => |v, _| grouped("km", v),
        "en" => |v, _| grouped("en", v),
        "zh" => |v, _| grouped("zh", v),
        "vi" => |v, _| grouped("vi", v),
        "th" => |v, _| grouped("th", v),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_grouped_and_typed_values_are_not() {
        let i = I18n::load().expect("load");
        let en = i.format("en", "check-reports-open", &[("from", "12345".into())]);
        assert!(en.contains("12,345"), "{en}");
        let vi = i.format("vi", "check-reports-open", &[("from", "12345".into())]);
        assert!(vi.contains("12.345"), "{vi}");
        // What a person typed is quoted as typed, even when it is a number.
        let typed = i.format("en", "field-not-known", &[("value", "12345678".into())]);
        assert!(typed.contains("12345678"), "{typed}");
    }

    #[test]
    fn every_locale_has_every_english_message() {
        let i = I18n::load().expect("load");
        let en = i.keys("en");
        assert!(en.len() > 50);
        for (code, _, _) in LOCALES {
            let keys = i.keys(code);
            let missing: Vec<_> = en.iter().filter(|k| !keys.contains(k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
        }
    }

    #[test]
    fn the_staff_pages_have_every_message_in_khmer() {
        let keys = |src: &str| -> Vec<String> {
            src.lines()
                .filter(|l| !l.starts_with('#') && l.contains(" = "))
                .filter_map(|l| l.split(" = ").next())
                .map(str::to_string)
                .collect()
        };
        let en = keys(STAFF_LOCALES[1].1);
        let km = keys(STAFF_LOCALES[0].1);
        assert!(en.len() > 40);
        assert_eq!(en, km);
        for (part, sources) in STAFF_PARTS {
            let of = |lang: &str| {
                sources
                    .iter()
                    .find(|(c, _)| *c == lang)
                    .map(|(_, s)| keys(s))
                    .unwrap_or_default()
            };
            let (en, km) = (of("en"), of("km"));
            assert!(!en.is_empty(), "{part}");
            assert_eq!(en, km, "{part}: the Khmer catalogue has every message");
            for (code, _) in sources.iter() {
                assert_eq!(of(code), en, "{part}: {code} has every message");
            }
        }
        let i = I18n::load().expect("load");
        assert_eq!(i.format("km", "staff-sign-in", &[]), "ចូល");
        assert_eq!(
            i.format("zh", "staff-sign-in", &[]),
            "Sign in",
            "falls back"
        );
    }

    #[test]
    fn formats_with_arguments_and_falls_back() {
        let i = I18n::load().expect("load");
        assert_eq!(
            i.format("en", "err-text-too-long", &[("max", "100".into())]),
            "The text is too long: at most 100 characters."
        );
        assert!(i.format("km", "submit", &[]).contains("ផ្ញើ"));
        assert!(i.format("zh", "submit", &[]).contains("发送"));
        assert!(i.format("vi", "submit", &[]).contains("Gửi"));
        assert!(i.format("th", "submit", &[]).contains("ส่ง"));
        for lang in ["zh", "vi", "th"] {
            assert!(
                i.format(lang, "err-text-too-long", &[("max", "100".into())])
                    .contains("100")
            );
            assert!(i.format(lang, "emergency", &[]).contains("117"));
        }
        assert_eq!(i.format("zz", "submit", &[]), "Send the report");
        assert_eq!(i.format("km", "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(I18n::negotiate(Some("en-US,en;q=0.9"), "km"), "en");
        assert_eq!(I18n::negotiate(Some("fr, km;q=0.5"), "en"), "km");
        assert_eq!(I18n::negotiate(Some("fr"), "km"), "km");
        assert_eq!(I18n::negotiate(None, "en"), "en");
        assert_eq!(I18n::negotiate(Some("zh-CN,zh;q=0.9,en;q=0.8"), "km"), "zh");
        assert_eq!(I18n::negotiate(Some("vi"), "km"), "vi");
        assert_eq!(I18n::negotiate(Some("th-TH,th;q=0.9"), "km"), "th");
        assert_eq!(
            I18n::negotiate(Some("fr, th-TH;q=0.5, zh-CN;q=0.7"), "en"),
            "zh"
        );
    }
}
