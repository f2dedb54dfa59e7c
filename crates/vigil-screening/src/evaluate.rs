//! One traveller against one policy: a score, an outcome, and every reason.

use crate::policy::{Attribute, Indicator, Policy};
use crate::traveller::{Guarantor, Payer, Purpose, Traveller, Visa};
use crate::watchlist::Watchlist;

/// What the officer should do next. Never a refusal: a person decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// No sign worth stopping for.
    Clear,
    /// Ask the questions below before the traveller goes on.
    Interview,
    /// Refer to the anti-trafficking police.
    Refer,
}

impl Outcome {
    /// `clear`, `interview` or `refer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Clear => "clear",
            Outcome::Interview => "interview",
            Outcome::Refer => "refer",
        }
    }

    /// Reads `clear`, `interview` or `refer` (as [`Outcome::as_str`] writes
    /// them).
    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Clear, Outcome::Interview, Outcome::Refer]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// Why the score rose: an indicator (or a weighted attribute) and its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The indicator's code (or `attribute_<name>`).
    pub code: String,
    /// The points it added.
    pub weight: u32,
    /// What was seen, in words.
    pub evidence: String,
    /// Whether it alone makes the outcome `refer`.
    pub refers_alone: bool,
}

/// A question for the officer to ask, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The indicator it follows up.
    pub code: &'static str,
    /// Khmer.
    pub km: String,
    /// English.
    pub en: String,
}

/// The result of screening one traveller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    /// What to do next.
    pub outcome: Outcome,
    /// The sum of the reasons' weights.
    pub score: u32,
    /// Every reason, in the policy's order.
    pub reasons: Vec<Reason>,
    /// The policy, as `name@version`.
    pub policy: String,
    /// Whether the traveller is in the policy's scope (never changes the score).
    pub in_scope: bool,
    /// The questions to ask next, one per reason from an indicator.
    pub questions: Vec<Question>,
}

/// Screens `traveller` under `policy`, matching the job offer against `watchlist`.
pub fn evaluate(policy: &Policy, traveller: &Traveller, watchlist: &Watchlist) -> Screening {
    let mut reasons = Vec::new();
    let mut questions = Vec::new();
    for rule in &policy.indicators {
        if let Some(evidence) = check(rule.indicator, policy, traveller, watchlist) {
            reasons.push(Reason {
                code: rule.indicator.code().to_string(),
                weight: rule.weight,
                evidence,
                refers_alone: rule.refers_alone,
            });
            questions.push(Question {
                code: rule.indicator.code(),
                km: rule.question_km.clone(),
                en: rule.question_en.clone(),
            });
        }
    }
    for a in &policy.attribute_weights {
        let value = match a.attribute {
            Attribute::Sex => Some(traveller.sex.as_str()),
            Attribute::Nationality => Some(traveller.nationality.as_str()),
            Attribute::Ethnicity => traveller.ethnicity.as_deref(),
            Attribute::Religion => traveller.religion.as_deref(),
        };
        if a.weight > 0 && value.is_some_and(|v| v.eq_ignore_ascii_case(&a.value)) {
            let why = a
                .justification
                .as_deref()
                .map(|j| format!(" (policy's justification: {j})"))
                .unwrap_or_default();
            reasons.push(Reason {
                code: format!("attribute_{}", a.attribute.name()),
                weight: a.weight,
                evidence: format!("{} is {}{why}", a.attribute.name(), a.value),
                refers_alone: false,
            });
        }
    }
    let score = reasons
        .iter()
        .fold(0u32, |sum, r| sum.saturating_add(r.weight));
    let outcome = if reasons.iter().any(|r| r.refers_alone) || score >= policy.bands.refer {
        Outcome::Refer
    } else if score >= policy.bands.interview {
        Outcome::Interview
    } else {
        Outcome::Clear
    };
    Screening {
        outcome,
        score,
        reasons,
        policy: policy.id(),
        in_scope: in_scope(policy, traveller),
        questions,
    }
}

fn in_scope(policy: &Policy, t: &Traveller) -> bool {
    let Some(scope) = &policy.scope else {
        return true;
    };
    let age = t.age.years();
    (scope.sex.is_empty() || scope.sex.iter().any(|s| s == t.sex.as_str()))
        && scope.age_min.is_none_or(|min| age >= min)
        && scope.age_max.is_none_or(|max| age <= max)
}

/// The evidence for `indicator`, if it holds.
fn check(indicator: Indicator, policy: &Policy, t: &Traveller, wl: &Watchlist) -> Option<String> {
    let d = &t.documents;
    let found = |parts: Vec<&str>| (!parts.is_empty()).then(|| parts.join("; "));
    match indicator {
        Indicator::NoClearDocuments => {
            let mut parts = Vec::new();
            if !d.passport {
                parts.push("no valid passport");
            }
            if d.visa == Visa::Other {
                parts.push("visa of an unclear kind");
            }
            found(parts)
        }
        Indicator::PurposeMismatch => {
            let mut parts = Vec::new();
            let says = t.purpose.as_str();
            if t.purpose != Purpose::Work && t.job_offer.is_some() {
                return Some(format!("says {says} but has a job offer"));
            }
            if t.purpose == Purpose::Work {
                if d.visa != Visa::Work && !d.work_permit {
                    parts.push("travels for work without a work visa or permit");
                }
                if !d.employment_contract {
                    parts.push("travels for work without an employment contract");
                }
            }
            found(parts)
        }
        Indicator::NoAuthenticGuarantor => match t.guarantor {
            Guarantor::None => Some("no guarantor".into()),
            Guarantor::Unverified => Some("guarantor not verified".into()),
            Guarantor::Verified => None,
        },
        Indicator::FundsBelowMinimum => {
            let cash = t.cash_usd.usd();
            (cash < f64::from(policy.minimum_cash_usd)).then(|| {
                format!(
                    "carries {} USD, minimum {}",
                    usd(cash),
                    policy.minimum_cash_usd
                )
            })
        }
        Indicator::NoReturnTicket => {
            let short_trip = matches!(
                t.purpose,
                Purpose::Tourism | Purpose::Family | Purpose::Business | Purpose::Other
            );
            (short_trip && !d.return_ticket)
                .then(|| format!("no return ticket for a {} trip", t.purpose.as_str()))
        }
        Indicator::TicketPaidByThirdParty => match t.ticket_paid_by {
            Payer::Employer | Payer::Recruiter => {
                Some(format!("ticket paid by the {}", t.ticket_paid_by.as_str()))
            }
            Payer::Unknown => Some("does not know who paid the ticket".into()),
            Payer::Traveller | Payer::Family => None,
        },
        Indicator::DocumentsHeldByOther => t
            .documents_held_by_other
            .then(|| "someone else holds the traveller's documents".into()),
        Indicator::CompanionAnswers => t
            .companion_answers
            .then(|| "a companion answers for the traveller".into()),
        Indicator::JobOfferRedFlags => {
            let offer = t.job_offer.as_ref()?;
            found_owned(crate::offer::red_flags(
                &policy.job_offer,
                offer,
                &t.destination,
            ))
        }
        Indicator::WatchlistMatch => {
            let offer = t.job_offer.as_ref()?;
            let mut parts = Vec::new();
            let mut seen: Vec<String> = Vec::new();
            for (what, text) in [
                ("contact", &offer.contact),
                ("employer", &offer.employer),
                ("offer text", &offer.text),
            ] {
                for (value, labels) in wl.find(text) {
                    if !seen.contains(&value) {
                        parts.push(format!("{what} {value} is tied to {}", labels.join(", ")));
                        seen.push(value);
                    }
                }
            }
            found_owned(parts)
        }
    }
}

fn found_owned(parts: Vec<String>) -> Option<String> {
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// An amount as people write it: no decimals when whole.
fn usd(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
