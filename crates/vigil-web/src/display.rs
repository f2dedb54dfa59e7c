//! How times and places are written on pages: Cambodia's time (UTC+7) and
//! gazetteer names in the reader's language.

use time::macros::format_description;
use vigil_domain::gazetteer::gazetteer;

fn local(t: time::OffsetDateTime) -> time::OffsetDateTime {
    t.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
}

/// `2026-11-26 09:30`, Cambodia's time.
pub fn when(t: time::OffsetDateTime) -> String {
    local(t)
        .format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .unwrap_or_default()
}

/// `2026-11-26`, Cambodia's time.
pub fn day(t: time::OffsetDateTime) -> String {
    local(t)
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
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
