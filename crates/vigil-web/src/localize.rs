//! Numbers and dates as each locale writes them, with ICU4X's CLDR data:
//! digit grouping (`12,345` in English and Khmer, `12.345` in Vietnamese),
//! month names, country and language names. Times are Cambodia's (UTC+7) whatever
//! the server's zone.

use std::sync::OnceLock;

use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{self, YMD};
use icu_datetime::input::{Date, DateTime, Time};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_experimental::displaynames::multi::{LanguageDisplayNames, RegionDisplayNames};
use icu_locale_core::Locale;

/// The locales formatters are built for; anything else is written as English.
const LANGS: &[&str] = &["km", "en", "zh", "vi", "th"];

struct Formatters {
    decimal: DecimalFormatter,
    date: DateTimeFormatter<YMD>,
    date_time: DateTimeFormatter<fieldsets::YMDT>,
    month: DateTimeFormatter<fieldsets::YM>,
    regions: RegionDisplayNames,
    languages: LanguageDisplayNames,
}

/// The formatters of `lang` (English's for a locale not served); `None` only
/// should the compiled CLDR data lack both, when plain forms are written.
fn formatters(lang: &str) -> Option<&'static Formatters> {
    static ALL: OnceLock<Vec<Option<Formatters>>> = OnceLock::new();
    let all = ALL.get_or_init(|| LANGS.iter().map(|l| build(l)).collect());
    let i = LANGS.iter().position(|l| *l == lang).unwrap_or(1);
    all.get(i).and_then(Option::as_ref)
}

fn build(lang: &str) -> Option<Formatters> {
    let locale: Locale = lang.parse().unwrap_or(Locale::UNKNOWN);
    let en: Locale = "en".parse().unwrap_or(Locale::UNKNOWN);
    // Compiled CLDR data covers every locale served; English is the
    // fallback should one ever be missing.
    let pick = |l: &Locale| -> Option<Formatters> {
        Some(Formatters {
            decimal: DecimalFormatter::try_new(l.clone().into(), Default::default()).ok()?,
            date: DateTimeFormatter::try_new(l.clone().into(), YMD::medium()).ok()?,
            date_time: DateTimeFormatter::try_new(l.clone().into(), YMD::medium().with_time_hm())
                .ok()?,
            month: DateTimeFormatter::try_new(l.clone().into(), fieldsets::YM::medium()).ok()?,
            regions: RegionDisplayNames::try_new(l.clone().into(), Default::default()).ok()?,
            languages: LanguageDisplayNames::try_new(l.clone().into(), Default::default()).ok()?,
        })
    };
    pick(&locale).or_else(|| pick(&en))
}

/// A whole number with the locale's grouping: `12,345`.
pub fn number(lang: &str, n: i64) -> String {
    match formatters(lang) {
        Some(f) => f.decimal.format(&Decimal::from(n)).to_string(),
        None => n.to_string(),
    }
}

/// A count (`usize`, `u64`…) with the locale's grouping.
pub fn count(lang: &str, n: impl TryInto<i64>) -> String {
    number(lang, n.try_into().unwrap_or(i64::MAX))
}

/// A number with exactly `digits` digits after the locale's decimal
/// separator: `2.6`, `2,6`.
pub fn decimal(lang: &str, x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let plain = format!("{x:.digits$}");
    match (Decimal::try_from_str(&plain), formatters(lang)) {
        (Ok(d), Some(f)) => f.decimal.format(&d).to_string(),
        _ => plain,
    }
}

fn cambodia(t: time::OffsetDateTime) -> time::OffsetDateTime {
    vigil_domain::clock::in_cambodia(t)
}

fn icu_date(t: time::OffsetDateTime) -> Option<Date<icu_calendar::Iso>> {
    Date::try_new_iso(t.year(), u8::from(t.month()), t.day()).ok()
}

/// A day in Cambodia as the locale writes it: `Dec 5, 2026`, `5 ធ្នូ 2026`.
pub fn date(lang: &str, t: time::OffsetDateTime) -> String {
    let t = cambodia(t);
    match (icu_date(t), formatters(lang)) {
        (Some(d), Some(f)) => f.date.format(&d).to_string(),
        _ => t.date().to_string(),
    }
}

/// A day and time in Cambodia as the locale writes it: `Dec 5, 2026, 09:30`.
pub fn date_time(lang: &str, t: time::OffsetDateTime) -> String {
    let t = cambodia(t);
    let time = Time::try_new(t.hour(), t.minute(), 0, 0).ok();
    match (icu_date(t), time, formatters(lang)) {
        (Some(date), Some(time), Some(f)) => {
            f.date_time.format(&DateTime { date, time }).to_string()
        }
        _ => format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute()),
    }
}

/// A month as the locale writes it: `Dec 2026`; `ym` is `2026-12`.
/// Anything else is returned as it came.
pub fn month(lang: &str, ym: &str) -> String {
    let parsed = ym.split_once('-').and_then(|(y, m)| {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
        Date::try_new_iso(y, m, 1).ok()
    });
    match (parsed, formatters(lang)) {
        (Some(d), Some(f)) => f.month.format(&d).to_string(),
        _ => ym.to_string(),
    }
}

/// A country's name from its ISO 3166-1 alpha-2 code (`MY` → `Malaysia`,
/// `ម៉ាឡេស៊ី`); a code CLDR does not name is returned as it came.
pub fn country(lang: &str, code: &str) -> String {
    let code = code.trim();
    code.to_ascii_uppercase()
        .parse()
        .ok()
        .zip(formatters(lang))
        .and_then(|(r, f)| f.regions.of(r))
        .map_or_else(|| code.to_string(), str::to_string)
}

/// Every country as (code, name in `lang`), in the order of the names, for
/// the suggestions of a country field.
pub fn countries(lang: &str) -> Vec<(&'static str, String)> {
    let mut all: Vec<(&'static str, String)> = vigil_domain::countries::codes()
        .map(|c| (c, country(lang, c)))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    all
}

/// A language's name from its ISO 639 code (`ms` → `Malay`); a code CLDR
/// does not name is returned as it came.
pub fn language(lang: &str, code: &str) -> String {
    let code = code.trim();
    code.to_ascii_lowercase()
        .parse()
        .ok()
        .zip(formatters(lang))
        .and_then(|(l, f)| f.languages.of(l))
        .map_or_else(|| code.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_is_listed_by_name() {
        let all = countries("en");
        assert_eq!(all.len(), 250);
        assert!(all.iter().any(|(c, n)| *c == "TH" && n == "Thailand"));
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(number("en", 12345), "12,345");
        assert_eq!(number("km", 1234567), "1,234,567");
        assert_eq!(number("vi", 12345), "12.345");
        assert_eq!(number("en", 999), "999");
        assert_eq!(count("zh", 10_444usize), "10,444");
        assert_eq!(decimal("en", 2.5678, 1), "2.6");
        assert_eq!(decimal("vi", 2.5678, 1), "2,6");
        assert_eq!(number("xx", 1000), "1,000");
    }

    #[test]
    fn dates_are_cambodian_and_localized() {
        // 2026-12-04 20:30 UTC is already the 5th in Phnom Penh.
        let t = time::macros::datetime!(2026-12-04 20:30 UTC);
        let en = date("en", t);
        assert!(
            en.contains('5') && en.contains("Dec") && en.contains("2026"),
            "{en}"
        );
        let km = date("km", t);
        assert!(km.contains("ធ្នូ"), "{km}");
        let th = date("th", t);
        assert!(th.contains("ธ.ค."), "{th}");
        let dt = date_time("en", t);
        assert!(dt.contains("03:30") || dt.contains("3:30"), "{dt}");
        assert!(month("km", "2026-12").contains("ធ្នូ"));
        assert_eq!(month("en", "total"), "total");
    }

    #[test]
    fn countries_and_languages_are_named_in_the_readers_language() {
        assert_eq!(country("en", "MY"), "Malaysia");
        assert_eq!(country("en", "my"), "Malaysia");
        assert_eq!(country("km", "KH"), "កម្ពុជា");
        assert_eq!(country("zh", "CN"), "中国");
        assert_eq!(language("en", "ms"), "Malay");
        assert_eq!(language("vi", "ms"), "Tiếng Mã Lai");
        assert_eq!(country("en", "ZZZ9"), "ZZZ9");
        assert_eq!(country("en", ""), "");
    }
}
