//! Linkage of a new record to the persons already met, with `vigil-linkage`.
//!
//! Each identity gets blocking keys (name transliteration keys, names in
//! script, document numbers) that are stored only as keyed hashes. A new
//! record's keys find the stored records that share one; their identities
//! are opened here and scored. A match is the same person; an uncertain pair
//! makes a new person and goes to the review queue with its reasons; anything
//! else is a new person. Earlier records of the same batch count too.

use vigil_linkage::compare::{Agreement, Field};
use vigil_linkage::normal::{Script, document, name_key, script_name};
use vigil_linkage::{Decision, PartialDate, Person, Settings, Sex};
use vigil_store::{PendingReview, PersonLink, RecordRef};

use super::PersonsService;
use super::input::Identity;
use crate::CoreError;

/// The purpose of the blocking keys' MAC.
const MAC_BLOCK: &str = "person.block";

/// At most this many stored records are compared with a new one.
const MAX_CANDIDATES: i64 = 200;

/// The identity as the linkage sees it.
pub(crate) fn linkage_person(id: &Identity, sex: &str, nationality: &str) -> Person {
    let mut script_names = Vec::new();
    let mut latin = |name: &str| -> Option<String> {
        let name = name.trim();
        if name.is_empty() {
            None
        } else if script_name(name).1 == Script::Other {
            Some(name.to_string())
        } else {
            script_names.push(name.to_string());
            None
        }
    };
    let given = latin(&id.given_name);
    let family = latin(&id.family_name);
    for n in &id.other_names {
        if script_name(n).1 != Script::Other {
            script_names.push(n.clone());
        }
    }
    Person {
        given,
        family,
        script_names,
        dob: PartialDate::parse(&id.date_of_birth),
        sex: match sex {
            "f" => Some(Sex::Female),
            "m" => Some(Sex::Male),
            _ => None,
        },
        nationality: (!nationality.is_empty()).then(|| nationality.to_string()),
        documents: id.documents.iter().map(|d| d.number.clone()).collect(),
        ..Person::default()
    }
}

/// The blocking keys of an identity, as keyed hashes.
pub(crate) fn blocking_keys(v: &PersonsService, id: &Identity) -> Vec<Vec<u8>> {
    let mut plain = Vec::new();
    for name in [&id.given_name, &id.family_name]
        .into_iter()
        .chain(id.other_names.iter())
    {
        let (s, script) = script_name(name);
        if s.is_empty() {
            continue;
        }
        if script == Script::Other {
            let k = name_key(name);
            if !k.is_empty() {
                plain.push(format!("n:{k}"));
            }
        } else {
            plain.push(format!("s:{s}"));
        }
    }
    for d in &id.documents {
        let n = document(&d.number);
        if !n.is_empty() {
            plain.push(format!("d:{n}"));
        }
    }
    plain.sort();
    plain.dedup();
    plain
        .iter()
        .map(|k| v.keys.mac(MAC_BLOCK, k.as_bytes()))
        .collect()
}

/// A record the new one is compared with.
pub(crate) struct Known {
    /// Where it is.
    pub at: RecordRef,
    /// Its person (stored), or `None` for a batch record.
    pub person: Option<i64>,
    /// As the linkage sees it.
    pub person_record: Person,
}

/// What linkage decided for a new record.
pub(crate) struct Linked {
    pub link: PersonLink,
    pub reviews: Vec<PendingReview>,
}

fn settings() -> Settings {
    Settings {
        // A handful of candidates: the fixed weights, not EM.
        em_iterations: 0,
        ..Settings::default()
    }
}

/// Whether both the passport (or other document) and the date of birth
/// differ: names alike or not, such a pair is never merged without a person
/// deciding — two compatriots with similar names are common in a compound.
fn contradicted(reasons: &[vigil_linkage::Reason]) -> bool {
    let differs = |field: Field| {
        reasons
            .iter()
            .any(|r| r.field == field && r.agreement == Agreement::Different)
    };
    differs(Field::Document) && differs(Field::Dob)
}

/// Scores `me` against `known` and decides: a match joins that person, but
/// a match contradicted by both document and date of birth goes to review.
pub(crate) fn decide(me: &Person, known: &[Known]) -> Result<Linked, CoreError> {
    let people: Vec<Person> = known.iter().map(|k| k.person_record.clone()).collect();
    let out = vigil_linkage::link(std::slice::from_ref(me), &people, &settings());
    let best = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match && !contradicted(&p.reasons))
        .max_by(|x, y| x.probability.total_cmp(&y.probability));
    if let Some(m) = best {
        let k = &known[m.b];
        let link = match (k.person, k.at) {
            (Some(p), _) => PersonLink::Person(p),
            (None, RecordRef::Batch(i)) => PersonLink::SameAs(i),
            (None, RecordRef::Stored(_)) => {
                return Err(CoreError::Internal(
                    "a stored record without a person".into(),
                ));
            }
        };
        return Ok(Linked {
            link,
            reviews: Vec::new(),
        });
    }
    let mut reviews: Vec<(Option<i64>, PendingReview)> = Vec::new();
    let uncertain = |p: &&vigil_linkage::Pair| {
        p.decision == Decision::Review
            || (p.decision == Decision::Match && contradicted(&p.reasons))
    };
    for p in out.pairs.iter().filter(uncertain) {
        let k = &known[p.b];
        // One review per other person: the most probable of its records.
        if let Some(person) = k.person
            && let Some(pos) = reviews.iter().position(|(q, _)| *q == Some(person))
        {
            if reviews[pos].1.score >= p.probability {
                continue;
            }
            reviews.remove(pos);
        }
        let reasons: Vec<super::review::MatchReason> = p
            .reasons
            .iter()
            .map(super::review::MatchReason::of)
            .collect();
        reviews.push((
            k.person,
            PendingReview {
                other: k.at,
                score: p.probability,
                reasons_json: serde_json::to_string(&reasons)
                    .map_err(|e| CoreError::Internal(e.to_string()))?,
            },
        ));
    }
    Ok(Linked {
        link: PersonLink::New,
        reviews: reviews.into_iter().map(|(_, r)| r).collect(),
    })
}

/// The stored records sharing a blocking key with `keys`, opened.
pub(crate) async fn stored_candidates(
    v: &PersonsService,
    keys: &[Vec<u8>],
) -> Result<Vec<Known>, CoreError> {
    let found = v.store.person_candidates(keys, MAX_CANDIDATES).await?;
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        let id = super::open_identity(v, &c.identity)?;
        out.push(Known {
            at: RecordRef::Stored(c.record_id),
            person: Some(c.person_id),
            person_record: linkage_person(&id, &c.sex, &c.nationality),
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn person(given: &str, family: &str, dob: &str) -> Person {
        let id = Identity {
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: dob.into(),
            ..Identity::default()
        };
        linkage_person(&id, "f", "KH")
    }

    fn known(at: RecordRef, person: Option<i64>, p: Person) -> Known {
        Known {
            at,
            person,
            person_record: p,
        }
    }

    #[test]
    fn matches_reviews_and_strangers() {
        let stored = vec![
            known(
                RecordRef::Stored(1),
                Some(10),
                person("Sokha", "Chan", "1990-03-07"),
            ),
            known(
                RecordRef::Batch(0),
                None,
                person("Dara", "Keo", "1985-01-02"),
            ),
        ];
        let same = decide(&person("Sokhar", "Chan", "1990-03-07"), &stored).expect("same");
        assert_eq!(same.link, PersonLink::Person(10));
        let batch = decide(&person("Dara", "Keo", "1985-01-02"), &stored).expect("batch");
        assert_eq!(batch.link, PersonLink::SameAs(0));
        let vague = decide(&person("Sokha", "Chan", "1991"), &stored).expect("vague");
        assert_eq!(vague.link, PersonLink::New);
        assert_eq!(vague.reviews.len(), 1);
        assert_eq!(vague.reviews[0].other, RecordRef::Stored(1));
        assert!(vague.reviews[0].reasons_json.contains("given"));
        let stranger = decide(&person("Vannak", "Meas", "1995-08-08"), &stored).expect("new");
        assert_eq!(
            (stranger.link, stranger.reviews.len()),
            (PersonLink::New, 0)
        );
    }

    #[test]
    fn a_different_passport_and_birth_date_are_never_merged_unseen() {
        let with_passport = |given: &str, family: &str, dob: &str, passport: &str| {
            let id = Identity {
                given_name: given.into(),
                family_name: family.into(),
                date_of_birth: dob.into(),
                documents: vec![super::super::input::Document {
                    kind: "passport".into(),
                    number: passport.into(),
                    country: "CN".into(),
                }],
                ..Identity::default()
            };
            linkage_person(&id, "m", "CN")
        };
        let stored = vec![known(
            RecordRef::Stored(1),
            Some(10),
            with_passport("Wei Jun", "Zhang", "1996-03-07", "E12345678"),
        )];
        // The same passport: the same person, even born on another day.
        let again = decide(
            &with_passport("Wei Jun", "Zhang", "1996-03-08", "E12345678"),
            &stored,
        )
        .expect("again");
        assert_eq!(again.link, PersonLink::Person(10));
        // Another passport and another birth date: a compatriot of the same
        // name is a new person, and a person decides in the review queue.
        let namesake = decide(
            &with_passport("Wei Jun", "Zhang", "1988-11-20", "G98765432"),
            &stored,
        )
        .expect("namesake");
        assert_eq!(namesake.link, PersonLink::New);
        assert!(namesake.reviews.len() <= 1);
    }

    #[test]
    fn script_names_are_compared_in_script() {
        let id = Identity {
            given_name: "ចាន់ សុខា".into(),
            other_names: vec!["张晓明".into(), "Xiao".into()],
            ..Identity::default()
        };
        let p = linkage_person(&id, "", "");
        assert_eq!(p.given, None);
        assert_eq!(p.script_names.len(), 2);
    }
}
