//! A facility's readable name, chosen from its tips: the compound as
//! reporters name it when two or more agree, else the most precise
//! gazetteer place most tips cite, else a lone reporter's words for the
//! place, else the identifier most tips share. The name is data (words as
//! typed, a code, an identifier); pages word it in the reader's language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vigil_extract::Kind;

use crate::facts::TipFacts;

/// How a facility is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum FacilityName {
    /// The reporters' own words for the place (`Golden Fortune, Otres 2`).
    Words {
        /// As the first reporter typed them.
        text: String,
    },
    /// A gazetteer unit (village, commune or district code).
    Place {
        /// Its code.
        code: String,
    },
    /// An identifier its tips share (`kind` as `vigil_extract::Kind` names it).
    Identifier {
        /// `phone`, `telegram`…
        kind: String,
        /// The normalised value.
        value: String,
    },
}

/// Reporters' words longer than this are a description, not a name.
const MAX_WORDS: usize = 60;

fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The name of a facility of `tips`; `None` when they give nothing to call
/// it by.
pub fn name_of(tips: &[&TipFacts]) -> Option<FacilityName> {
    // Reporters' words, counted by their folded form, the first spelling kept.
    let mut words: BTreeMap<String, (usize, i64, String)> = BTreeMap::new();
    for t in tips {
        let Some(place) = t.place.as_deref().map(str::trim) else {
            continue;
        };
        if place.is_empty() || place.chars().count() > MAX_WORDS {
            continue;
        }
        let e = words
            .entry(key(place))
            .or_insert((0, t.id, place.to_string()));
        e.0 += 1;
        if t.id < e.1 {
            e.1 = t.id;
            e.2 = place.to_string();
        }
    }
    let best_words = words
        .values()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .cloned();
    if let Some((n, _, text)) = &best_words
        && *n >= 2
    {
        return Some(FacilityName::Words { text: text.clone() });
    }
    // The most precise unit any tip names; among units of that level, the
    // one most tips name (the smaller code on a tie).
    let levels: [fn(&TipFacts) -> Option<&str>; 3] = [
        |t| t.village_code.as_deref(),
        |t| t.commune_code.as_deref(),
        |t| t.district_code.as_deref(),
    ];
    for level in levels {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in tips {
            if let Some(c) = level(t).filter(|c| !c.is_empty()) {
                *counts.entry(c).or_default() += 1;
            }
        }
        if let Some((code, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        {
            return Some(FacilityName::Place {
                code: code.to_string(),
            });
        }
    }
    if let Some((_, _, text)) = best_words {
        return Some(FacilityName::Words { text });
    }
    let mut idents: BTreeMap<(Kind, &str), usize> = BTreeMap::new();
    for t in tips {
        let mut seen: Vec<(Kind, &str)> = t
            .identifiers
            .iter()
            .filter(|i| !matches!(i.kind, Kind::Place | Kind::Coordinates))
            .map(|i| (i.kind, i.value.as_str()))
            .collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            *idents.entry(s).or_default() += 1;
        }
    }
    idents
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|((kind, value), _)| FacilityName::Identifier {
            kind: kind.as_str().to_string(),
            value: value.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Ident;

    fn tip(id: i64) -> TipFacts {
        TipFacts {
            id,
            received_at_unix: 0,
            category: vigil_domain::Category::ScamCompound,
            province_code: None,
            district_code: None,
            commune_code: None,
            village_code: None,
            place: None,
            lat: None,
            lon: None,
            text: String::new(),
            identifiers: Vec::new(),
            danger: Default::default(),
            photos: 0,
        }
    }

    #[test]
    fn words_two_reporters_agree_on_name_the_facility() {
        let mut a = tip(1);
        a.place = Some("Golden  Fortune, Otres".into());
        a.village_code = Some("18020101".into());
        let mut b = tip(2);
        b.place = Some("golden fortune, otres".into());
        let c = tip(3);
        let name = name_of(&[&b, &a, &c]);
        assert_eq!(
            name,
            Some(FacilityName::Words {
                text: "Golden  Fortune, Otres".into()
            }),
            "the first reporter's spelling"
        );
    }

    #[test]
    fn else_the_most_precise_place_most_tips_cite() {
        let mut a = tip(1);
        a.place = Some("the blue building".into());
        a.commune_code = Some("180201".into());
        let mut b = tip(2);
        b.village_code = Some("18020102".into());
        b.commune_code = Some("180201".into());
        let mut c = tip(3);
        c.commune_code = Some("180202".into());
        assert_eq!(
            name_of(&[&a, &b, &c]),
            Some(FacilityName::Place {
                code: "18020102".into()
            })
        );
        b.village_code = None;
        assert_eq!(
            name_of(&[&a, &b, &c]),
            Some(FacilityName::Place {
                code: "180201".into()
            })
        );
    }

    #[test]
    fn else_words_else_the_identifier_most_tips_share() {
        let mut a = tip(1);
        a.place = Some("the blue building".into());
        assert_eq!(
            name_of(&[&a]),
            Some(FacilityName::Words {
                text: "the blue building".into()
            })
        );
        let phone = |v: &str| Ident {
            kind: Kind::Phone,
            value: v.into(),
        };
        let mut b = tip(2);
        b.identifiers = vec![phone("+85512345678"), phone("+85598765432")];
        let mut c = tip(3);
        c.identifiers = vec![phone("+85598765432"), phone("+85598765432")];
        assert_eq!(
            name_of(&[&b, &c]),
            Some(FacilityName::Identifier {
                kind: "phone".into(),
                value: "+85598765432".into()
            })
        );
        assert_eq!(name_of(&[&tip(4)]), None);
        let long = "x".repeat(MAX_WORDS + 1);
        let mut d = tip(5);
        d.place = Some(long);
        assert_eq!(name_of(&[&d]), None, "a description is not a name");
    }
}
