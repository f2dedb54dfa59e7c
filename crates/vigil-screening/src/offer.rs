//! The signs of a lure in a job offer: unrealistic pay, no experience needed,
//! travel paid, contact only by a messaging app, a known hotspot destination.

use vigil_extract::Kind;

use crate::fact::{Seen, seen};
use crate::policy::JobOfferRules;
use crate::traveller::{Country, JobOffer};

/// Every sign the rules find in `offer`.
pub(crate) fn red_flags(
    rules: &JobOfferRules,
    offer: &JobOffer,
    destination: &Country,
) -> Vec<Seen> {
    let mut out = Vec::new();
    let text = vigil_domain::digits::to_ascii(&offer.text).to_lowercase();
    if let Some(limit) = rules.unrealistic_pay_usd
        && let Some(pay) = highest_usd(&text)
        && pay > u64::from(limit)
    {
        out.push(seen(
            "offer_pay",
            &[("pay", &pay.to_string()), ("limit", &limit.to_string())],
            format!("offers {pay} USD, above the {limit} USD the policy finds realistic"),
        ));
    }
    if let Some(p) = first_phrase(&text, &rules.no_experience_phrases) {
        out.push(seen(
            "offer_no_experience",
            &[("phrase", p)],
            format!("no experience needed (\"{p}\")"),
        ));
    }
    if let Some(p) = first_phrase(&text, &rules.travel_paid_phrases) {
        out.push(seen(
            "offer_travel_paid",
            &[("phrase", p)],
            format!("travel paid (\"{p}\")"),
        ));
    }
    if let Some(apps) = only_messaging(rules, offer) {
        out.push(seen(
            "offer_messaging_only",
            &[("apps", &apps)],
            format!("contact only by messaging app ({apps})"),
        ));
    }
    if rules
        .hotspot_destinations
        .iter()
        .any(|h| h.eq_ignore_ascii_case(destination.as_str()))
    {
        out.push(seen(
            "offer_hotspot",
            &[("country", destination.as_str())],
            format!(
                "job in {}, a known destination of scam compounds",
                destination.as_str()
            ),
        ));
    }
    out
}

fn first_phrase<'a>(text: &str, phrases: &'a [String]) -> Option<&'a str> {
    phrases
        .iter()
        .find(|p| {
            !p.is_empty()
                && if p.chars().any(char::is_uppercase) {
                    text.contains(&p.to_lowercase())
                } else {
                    text.contains(p.as_str())
                }
        })
        .map(String::as_str)
}

/// The messaging apps named, if the offer's contacts are all on messaging apps
/// (no phone to call, no e-mail, no web site) and at least one is.
fn only_messaging(rules: &JobOfferRules, offer: &JobOffer) -> Option<String> {
    let joined = format!("{}\n{}", offer.contact, offer.text);
    let found = vigil_extract::extract(&joined);
    let mut apps: Vec<&str> = Vec::new();
    for f in &found {
        let messaging = rules.messaging_kinds.iter().any(|k| k == f.kind.as_str());
        let inside_app = found.iter().any(|o| {
            o.start <= f.start
                && f.end <= o.end
                && rules.messaging_kinds.iter().any(|k| k == o.kind.as_str())
        });
        if messaging {
            if !apps.contains(&f.kind.as_str()) {
                apps.push(f.kind.as_str());
            }
        } else if matches!(f.kind, Kind::Phone | Kind::Email | Kind::Domain | Kind::Url)
            && !inside_app
        {
            return None;
        }
    }
    (!apps.is_empty()).then(|| apps.join(", "))
}

/// The highest amount written with `$`, `usd`, `dollar(s)` or `ដុល្លារ` next to it.
/// `text` is lowercase with ASCII digits.
fn highest_usd(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let mut best: Option<u64> = None;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut value: u64 = 0;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (b[i] == b',' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            if b[i] != b',' {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u64::from(b[i] - b'0'));
            }
            i += 1;
        }
        let mut end = i;
        if b.get(end) == Some(&b'k') && !b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
            value = value.saturating_mul(1000);
            end += 1;
        }
        let before = text[..start].trim_end();
        let after = text[end..].trim_start();
        let dollars = before.ends_with('$')
            || before.ends_with("usd")
            || after.starts_with('$')
            || after.starts_with("usd")
            || after.starts_with("dollar")
            || after.starts_with("ដុល្លារ");
        if dollars {
            best = Some(best.map_or(value, |b| b.max(value)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::highest_usd;

    #[test]
    fn amounts_next_to_a_dollar_sign_or_word() {
        for (text, want) in [
            ("salary $3,000 per month", Some(3000)),
            ("pay 2500 usd monthly", Some(2500)),
            ("1200$ + bonus 5k usd", Some(5000)),
            ("ប្រាក់ខែ 2000 ដុល្លារ", Some(2000)),
            ("call 012345678 now", None),
            ("room 300 for 2 people", None),
        ] {
            assert_eq!(highest_usd(text), want, "{text}");
        }
    }
}
