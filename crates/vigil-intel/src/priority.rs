//! Priority of a suspected facility, with the reasons that make it up.
//!
//! Life-safety comes first: with the default weights one life-safety signal in one
//! tip (60 or more) outweighs every other reason together (at most 53):
//! people held, passports taken, violence, children — from the form's flags and from
//! the text ([`life_safety`]). Then corroboration (independent tips: near-duplicates
//! count once), specificity (place precision, identifiers, photos), recency (halved
//! every [`Weights::recency_half_life_days`]) and links to earlier operations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vigil_domain::DangerFlags;

use crate::facts::TipFacts;
use crate::phrases::{PHRASES, find};
use crate::text::normalise;

pub use crate::phrases::SignalKind;

/// One life-safety signal in a tip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// What.
    pub kind: SignalKind,
    /// `form` for a flag, else the language of the phrase that matched (`km`, `en`…).
    pub source: String,
    /// The phrase that matched (empty for a flag).
    pub phrase: String,
}

/// The life-safety signals of one tip: its flags, then phrases in its text (each kind
/// and phrase once). Cheap enough to run on every new tip and alert at once.
pub fn life_safety(text: &str, flags: DangerFlags) -> Vec<Signal> {
    let mut out = Vec::new();
    let from_form = [
        (flags.held, SignalKind::Held),
        (flags.passports_taken, SignalKind::PassportsTaken),
        (flags.violence, SignalKind::Violence),
        (flags.children, SignalKind::Children),
    ];
    for (set, kind) in from_form {
        if set {
            out.push(Signal {
                kind,
                source: "form".into(),
                phrase: String::new(),
            });
        }
    }
    let mut hits = find(&normalise(text));
    hits.sort_unstable();
    hits.dedup();
    for idx in hits {
        let (kind, lang, phrase) = PHRASES[idx];
        out.push(Signal {
            kind,
            source: lang.into(),
            phrase: phrase.into(),
        });
    }
    out
}

/// Weights of the priority score (a configuration section; missing fields default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// People held against their will.
    pub held: f64,
    /// Passports taken.
    pub passports_taken: f64,
    /// Violence.
    pub violence: f64,
    /// Children.
    pub children: f64,
    /// Per doubling of independent tips (counted up to 64).
    pub corroboration: f64,
    /// A village code or coordinates (less for commune, district, province).
    pub specific_place: f64,
    /// Distinct identifiers, up to five.
    pub identifiers: f64,
    /// Photos, up to three.
    pub photos: f64,
    /// A tip received just now (halved every half-life).
    pub recency: f64,
    /// Half-life of recency, in days.
    pub recency_half_life_days: f64,
    /// Per earlier operation linked to the facility, up to three.
    pub earlier_operations: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            held: 90.0,
            passports_taken: 60.0,
            violence: 80.0,
            children: 100.0,
            corroboration: 4.0,
            specific_place: 5.0,
            identifiers: 4.0,
            photos: 3.0,
            recency: 8.0,
            recency_half_life_days: 14.0,
            earlier_operations: 3.0,
        }
    }
}

/// What is known about a facility, summed over its tips.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FacilityFacts {
    /// Tips reporting each life-safety signal (by flag or by text), per kind.
    pub signal_tips: Vec<(SignalKind, usize)>,
    /// Tips in the facility.
    pub tips: usize,
    /// Tips that are not near-duplicates of one another.
    pub independent_tips: usize,
    /// The most precise place any tip gives: 4 village or coordinates, 3 commune,
    /// 2 district, 1 province, 0 none.
    pub place_precision: u8,
    /// Distinct non-hub identifiers.
    pub identifiers: usize,
    /// Photos over all tips.
    pub photos: u32,
    /// The latest tip's time (seconds since the Unix epoch).
    pub latest_unix: i64,
    /// Earlier operations linked to the facility.
    pub earlier_operations: u32,
}

impl FacilityFacts {
    /// The facts of a facility made of `tips` (with `independent_tips` from its
    /// [`crate::Cluster`] and the count of identifiers that are not hubs).
    pub fn from_tips(
        tips: &[&TipFacts],
        independent_tips: usize,
        identifiers: usize,
        earlier_operations: u32,
    ) -> Self {
        let mut counts: Vec<(SignalKind, usize)> = Vec::new();
        let mut precision = 0u8;
        for t in tips {
            let mut kinds: Vec<SignalKind> = life_safety(&t.text, t.danger)
                .into_iter()
                .map(|s| s.kind)
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            for k in kinds {
                match counts.iter_mut().find(|(c, _)| *c == k) {
                    Some(e) => e.1 += 1,
                    None => counts.push((k, 1)),
                }
            }
            let p = if t.village_code.is_some() || t.point().is_some() {
                4
            } else if t.commune_code.is_some() {
                3
            } else if t.district_code.is_some() {
                2
            } else if t.province().is_some() {
                1
            } else {
                0
            };
            precision = precision.max(p);
        }
        counts.sort_unstable();
        FacilityFacts {
            signal_tips: counts,
            tips: tips.len(),
            independent_tips,
            place_precision: precision,
            identifiers,
            photos: tips.iter().map(|t| t.photos).sum(),
            latest_unix: tips.iter().map(|t| t.received_at_unix).max().unwrap_or(0),
            earlier_operations,
        }
    }
}

/// One part of a priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable code: `held`, `passports_taken`, `violence`, `children`,
    /// `corroboration`, `specific_place`, `identifiers`, `photos`, `recency`,
    /// `earlier_operations`.
    pub code: String,
    /// Its contribution to the score.
    pub weight: f64,
    /// The evidence in plain English, for readers of the API.
    pub detail: String,
    /// The evidence as numbers by name, for a message in the reader's
    /// language: `tips` (a life-safety code), `independent` and `tips`
    /// (`corroboration`), `level` 0 none … 4 village or coordinates
    /// (`specific_place`), `count` (`identifiers`, `photos`,
    /// `earlier_operations`), `days` to a tenth (`recency`). Empty in
    /// reasons written before it existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, f64>,
}

/// A facility's priority: the score is the sum of the reasons' weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    /// Higher is more urgent.
    pub score: f64,
    /// Largest first.
    pub reasons: Vec<Reason>,
}

/// The priority of a facility at time `now_unix`.
pub fn score(facts: &FacilityFacts, weights: &Weights, now_unix: i64) -> Priority {
    let mut reasons = Vec::new();
    let mut push = |code: &str, weight: f64, detail: String, args: &[(&str, f64)]| {
        if weight > 0.0 {
            reasons.push(Reason {
                code: code.into(),
                weight,
                detail,
                args: args.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
            });
        }
    };
    for &(kind, n) in &facts.signal_tips {
        let w = match kind {
            SignalKind::Held => weights.held,
            SignalKind::PassportsTaken => weights.passports_taken,
            SignalKind::Violence => weights.violence,
            SignalKind::Children => weights.children,
        };
        // More tips saying so raise it, slowly.
        push(
            kind.as_str(),
            w * (1.0 + (n as f64).log2() / 4.0),
            format!("{n} tip(s) report it"),
            &[("tips", n as f64)],
        );
    }
    let ind = facts.independent_tips.max(usize::from(facts.tips > 0));
    push(
        "corroboration",
        weights.corroboration * (ind.min(64) as f64).log2(),
        format!("{ind} independent tip(s) of {}", facts.tips),
        &[("independent", ind as f64), ("tips", facts.tips as f64)],
    );
    let place = f64::from(facts.place_precision.min(4)) / 4.0;
    let level = [
        "no place",
        "province",
        "district",
        "commune",
        "village or coordinates",
    ];
    push(
        "specific_place",
        weights.specific_place * place,
        level[usize::from(facts.place_precision.min(4))].to_string(),
        &[("level", f64::from(facts.place_precision.min(4)))],
    );
    push(
        "identifiers",
        weights.identifiers * facts.identifiers.min(5) as f64 / 5.0,
        format!("{} distinct identifier(s)", facts.identifiers),
        &[("count", facts.identifiers as f64)],
    );
    push(
        "photos",
        weights.photos * f64::from(facts.photos.min(3)) / 3.0,
        format!("{} photo(s)", facts.photos),
        &[("count", f64::from(facts.photos))],
    );
    let age_days = ((now_unix - facts.latest_unix).max(0) as f64) / 86_400.0;
    let half = weights.recency_half_life_days.max(1e-9);
    push(
        "recency",
        weights.recency * 0.5f64.powf(age_days / half),
        format!("latest tip {age_days:.1} day(s) ago"),
        &[("days", (age_days * 10.0).round() / 10.0)],
    );
    push(
        "earlier_operations",
        weights.earlier_operations * f64::from(facts.earlier_operations.min(3)),
        format!("{} earlier operation(s)", facts.earlier_operations),
        &[("count", f64::from(facts.earlier_operations))],
    );
    reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.code.cmp(&b.code)));
    Priority {
        score: reasons.iter().map(|r| r.weight).sum(),
        reasons,
    }
}

/// Whether a raid settled a facility: a completed operation against it (at
/// `raid_unix`) and no tip received after that (its latest tip at
/// `last_tip_unix`). The queue lists settled facilities below every other,
/// whatever their scores: a tip arriving after the raid brings the facility
/// back among them.
pub fn settled_by_raid(last_tip_unix: i64, raid_unix: Option<i64>) -> bool {
    raid_unix.is_some_and(|raid| last_tip_unix <= raid)
}

/// The queue's order of two facilities, each (settled by a raid, score, id):
/// unsettled first, then the higher score, then the lower id.
pub fn queue_order(a: (bool, f64, i64), b: (bool, f64, i64)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
}

#[cfg(test)]
mod tests {
    use super::{queue_order, settled_by_raid};

    fn check(last_tip: i64, raid: Option<i64>, expected: bool) {
        assert_eq!(
            settled_by_raid(last_tip, raid),
            expected,
            "last tip {last_tip}, raid {raid:?}"
        );
    }

    #[test]
    fn a_raid_settles_until_a_later_tip() {
        check(100, None, false);
        check(100, Some(200), true);
        check(200, Some(200), true);
        check(201, Some(200), false);
    }

    #[test]
    fn settled_facilities_sort_below_every_other() {
        let mut q = [
            (true, 90.0, 1),
            (false, 2.0, 2),
            (false, 40.0, 3),
            (true, 5.0, 4),
            (false, 40.0, 5),
        ];
        q.sort_by(|a, b| queue_order(*a, *b));
        let ids: Vec<i64> = q.iter().map(|f| f.2).collect();
        assert_eq!(ids, vec![3, 5, 2, 1, 4]);
    }
}
