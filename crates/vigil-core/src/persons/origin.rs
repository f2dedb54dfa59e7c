//! Where a person met comes from and how they were recruited, as typed,
//! checked: a home village chosen by code or by name in any spelling (with
//! its commune or district after a comma when the name alone is not
//! enough), and the recruiter's contacts read by `vigil-extract`, so that a
//! number typed `012 345 678` and `+855 12 345 678` is one contact.

use vigil_domain::gazetteer::{Level, Unit, gazetteer, name_key};
use vigil_extract::Kind;
use vigil_store::{HomeVillage, Recruitment};

use crate::CoreError;
use crate::field::FieldMessage;
use crate::operations::invalid;

/// Contact kinds a recruiter is known by. Places, positions and bare
/// domains are left out: a shared platform domain would make every
/// recruiter one.
const CONTACT_KINDS: [Kind; 14] = [
    Kind::Phone,
    Kind::Email,
    Kind::Url,
    Kind::Telegram,
    Kind::Whatsapp,
    Kind::Line,
    Kind::Wechat,
    Kind::Zalo,
    Kind::Facebook,
    Kind::Tiktok,
    Kind::Instagram,
    Kind::CryptoWallet,
    Kind::BankCard,
    Kind::Iban,
];

/// The village's units above it, as stored.
pub fn home_of(village: &Unit) -> HomeVillage {
    let code = &village.code;
    HomeVillage {
        village_code: code.clone(),
        commune_code: code[..6].to_string(),
        district_code: code[..4].to_string(),
        province_code: code[..2].to_string(),
    }
}

/// The village typed in `field`: an 8-digit code, or a village name
/// optionally followed by `, commune`, `, district` or `, province` names
/// that narrow it. Empty is `None`.
pub fn village(field: &str, typed: &str) -> Result<Option<HomeVillage>, CoreError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let g = gazetteer();
    if typed.bytes().all(|b| b.is_ascii_digit()) {
        return match g.get(typed) {
            Some(u) if u.level == Level::Village => Ok(Some(home_of(u))),
            Some(_) => Err(invalid(field, (FieldMessage::WrongLevel, "value", typed))),
            None => Err(invalid(
                field,
                (FieldMessage::NotAGazetteerCode, "value", typed),
            )),
        };
    }
    let mut parts = typed.split([',', '›', '،', '、']).map(str::trim);
    let name = parts.next().unwrap_or_default();
    let within: Vec<String> = parts.map(name_key).filter(|k| !k.is_empty()).collect();
    let found = g.search(name, 20_000);
    let villages: Vec<&Unit> = found
        .iter()
        .filter(|m| m.unit.level == Level::Village)
        .filter(|m| {
            within.iter().all(|w| {
                g.ancestors(m.unit).any(|a| {
                    let (en, km) = (name_key(&a.name_en), name_key(&a.name_km));
                    en == *w || km == *w || en.starts_with(w.as_str()) || km.starts_with(w.as_str())
                })
            })
        })
        .map(|m| m.unit)
        .collect();
    // The best-scoring villages: an exact name beats a prefix.
    let best = found
        .iter()
        .filter(|m| villages.iter().any(|v| v.code == m.unit.code))
        .map(|m| m.score)
        .max();
    let top: Vec<&Unit> = found
        .iter()
        .filter(|m| Some(m.score) == best && villages.iter().any(|v| v.code == m.unit.code))
        .map(|m| m.unit)
        .collect();
    match top.as_slice() {
        [] => Err(invalid(field, (FieldMessage::NotKnown, "value", typed))),
        [one] => Ok(Some(home_of(one))),
        many => Err(invalid(
            field,
            FieldMessage::AmbiguousPlace
                .with("value", typed)
                .arg("count", many.len()),
        )),
    }
}

/// The contacts in `typed`, each once, in the order found: `(kind, value)`.
pub fn contacts(field: &str, typed: &str) -> Result<Vec<(String, String)>, CoreError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    if typed.chars().count() > 1000 {
        return Err(invalid(field, (FieldMessage::TooLong, "max", 1000)));
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for f in vigil_extract::extract(typed) {
        if !CONTACT_KINDS.contains(&f.kind) {
            continue;
        }
        let pair = (f.kind.as_str().to_string(), f.value);
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    if out.is_empty() {
        return Err(invalid(
            field,
            (FieldMessage::NoContactFound, "value", typed),
        ));
    }
    Ok(out)
}

/// What a person met says about recruitment, checked for their `role`:
/// contacts for victims (the recruiter's) and recruiters (their own); the
/// job promised and the route for victims only.
pub fn recruitment(
    role: &str,
    typed_contacts: &str,
    promised_job: &str,
    route: &str,
) -> Result<Option<Recruitment>, CoreError> {
    let contacts = contacts("contacts", typed_contacts)?;
    let job = short_text("promised_job", promised_job)?;
    let route = short_text("route", route)?;
    match role {
        "victim" | "recruiter" => {}
        _ if contacts.is_empty() && job.is_empty() && route.is_empty() => return Ok(None),
        _ => {
            let field = if contacts.is_empty() {
                if job.is_empty() {
                    "route"
                } else {
                    "promised_job"
                }
            } else {
                "contacts"
            };
            return Err(invalid(field, FieldMessage::NotForRole));
        }
    }
    if role == "recruiter" && !(job.is_empty() && route.is_empty()) {
        let field = if job.is_empty() {
            "route"
        } else {
            "promised_job"
        };
        return Err(invalid(field, FieldMessage::NotForRole));
    }
    if contacts.is_empty() && job.is_empty() && route.is_empty() {
        return Ok(None);
    }
    Ok(Some(Recruitment {
        contacts,
        promised_job: job,
        route,
    }))
}

fn short_text(field: &str, value: &str) -> Result<String, CoreError> {
    let value = value.trim();
    if value.chars().count() > 500 {
        return Err(invalid(field, (FieldMessage::TooLong, "max", 500)));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(field, FieldMessage::ControlCharacters));
    }
    Ok(value.to_string())
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn message(r: Result<Option<HomeVillage>, CoreError>) -> FieldMessage {
        match r {
            Err(CoreError::InvalidField(fe)) => fe.message,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_village_is_found_by_code_or_by_name_narrowed_by_its_commune() {
        let g = gazetteer();
        let v = g
            .units()
            .iter()
            .find(|u| u.level == Level::Village)
            .expect("a village");
        let by_code = village("home_village", &v.code)
            .expect("code")
            .expect("some");
        assert_eq!(by_code.village_code, v.code);
        assert_eq!(by_code.province_code, v.code[..2]);
        assert_eq!(village("home_village", " ").expect("empty"), None);
        assert_eq!(
            message(village("home_village", &v.code[..6])),
            FieldMessage::WrongLevel
        );
        assert_eq!(
            message(village("home_village", "99999999")),
            FieldMessage::NotAGazetteerCode
        );
        assert_eq!(
            message(village("home_village", "Nowhere At All Qqq")),
            FieldMessage::NotKnown
        );
        // A village name that many villages share is ambiguous alone and
        // found once its commune is named, in either script.
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for u in g.units().iter().filter(|u| u.level == Level::Village) {
            *counts.entry(name_key(&u.name_en)).or_default() += 1;
        }
        let shared = g
            .units()
            .iter()
            .filter(|u| u.level == Level::Village)
            .find(|u| {
                counts[&name_key(&u.name_en)] > 1
                    && g.units()
                        .iter()
                        .filter(|w| {
                            w.level == Level::Village
                                && w.parent == u.parent
                                && name_key(&w.name_en) == name_key(&u.name_en)
                        })
                        .count()
                        == 1
            })
            .expect("a shared village name");
        assert_eq!(
            message(village("home_village", &shared.name_en)),
            FieldMessage::AmbiguousPlace
        );
        let commune = g.get(&shared.code[..6]).expect("commune");
        for typed in [
            format!("{}, {}", shared.name_en, commune.name_en),
            format!("{}, {}", shared.name_km, commune.name_km),
            format!("{} › {}", shared.name_en.to_uppercase(), commune.name_km),
        ] {
            let found = village("home_village", &typed)
                .expect(&typed)
                .expect("some");
            assert_eq!(found.village_code, shared.code, "{typed}");
        }
    }

    #[test]
    fn a_name_twenty_villages_share_needs_its_commune() {
        match village("home_village", "Trapeang Thma") {
            Err(CoreError::InvalidField(fe)) => {
                assert_eq!(fe.message, FieldMessage::AmbiguousPlace);
                assert!(
                    fe.args.iter().any(|(k, v)| *k == "count" && v == "20"),
                    "{fe:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        let found = village("home_village", "trapeang thma, Cheach")
            .expect("narrowed")
            .expect("some");
        assert_eq!(found.village_code, "14020123");
        assert_eq!(found.commune_code, "140201");
    }

    #[test]
    fn contacts_are_normalised_once_and_platform_domains_left_out() {
        let c = contacts(
            "contacts",
            "call 012 345 678 or +855 12 345 678, telegram @Job_Agent_KH, https://facebook.com/jobs.kh",
        )
        .expect("contacts");
        assert!(
            c.contains(&("phone".into(), "+85512345678".into())),
            "{c:?}"
        );
        assert_eq!(c.iter().filter(|(k, _)| k == "phone").count(), 1, "{c:?}");
        assert!(
            c.iter()
                .any(|(k, v)| k == "telegram" && v == "job_agent_kh"),
            "{c:?}"
        );
        assert!(c.iter().all(|(k, _)| k != "domain"), "{c:?}");
        match contacts("contacts", "he was nice") {
            Err(CoreError::InvalidField(fe)) => {
                assert_eq!(fe.message, FieldMessage::NoContactFound);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn recruitment_fits_the_role() {
        let v = recruitment(
            "victim",
            "012 345 678",
            "casino cashier, 1500 USD",
            "Bavet by van",
        )
        .expect("victim")
        .expect("some");
        assert_eq!(v.promised_job, "casino cashier, 1500 USD");
        assert!(recruitment("witness", "", "", "").expect("none").is_none());
        assert!(recruitment("witness", "012 345 678", "", "").is_err());
        assert!(recruitment("recruiter", "", "cook", "").is_err());
        let own = recruitment("recruiter", "@agent_x", "", "")
            .expect("own")
            .expect("some");
        assert_eq!(
            own.contacts,
            vec![("telegram".to_string(), "agent_x".to_string())]
        );
    }
}
