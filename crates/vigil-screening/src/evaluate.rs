//! One traveller against one policy: a score, an outcome, and every reason.

use crate::fact::{Fact, Seen, seen};
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
    /// What was seen, in English words (`; ` between facts).
    pub evidence: String,
    /// What was seen, one fact each, to be worded in the reader's language.
    pub facts: Vec<Fact>,
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
        let seen = check(rule.indicator, policy, traveller, watchlist);
        if !seen.is_empty() {
            let (evidence, facts) = split(seen);
            reasons.push(Reason {
                code: rule.indicator.code().to_string(),
                weight: rule.weight,
                evidence,
                facts,
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
            let mut args = vec![
                ("attribute", a.attribute.name()),
                ("value", a.value.as_str()),
            ];
            if let Some(j) = a.justification.as_deref() {
                args.push(("justification", j));
            }
            let id = if a.justification.is_some() {
                "attribute_justified"
            } else {
                "attribute"
            };
            let (evidence, facts) = split(vec![seen(
                id,
                &args,
                format!("{} is {}{why}", a.attribute.name(), a.value),
            )]);
            reasons.push(Reason {
                code: format!("attribute_{}", a.attribute.name()),
                weight: a.weight,
                evidence,
                facts,
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

/// What was seen for `indicator`: nothing when it does not hold.
fn check(indicator: Indicator, policy: &Policy, t: &Traveller, wl: &Watchlist) -> Vec<Seen> {
    let d = &t.documents;
    let mut out = Vec::new();
    match indicator {
        Indicator::NoClearDocuments => {
            if !d.passport {
                out.push(seen("no_passport", &[], "no valid passport"));
            }
            if d.visa == Visa::Other {
                out.push(seen("visa_unclear", &[], "visa of an unclear kind"));
            }
        }
        Indicator::PurposeMismatch => {
            let says = t.purpose.as_str();
            if t.purpose != Purpose::Work && t.job_offer.is_some() {
                out.push(seen(
                    "purpose_with_job_offer",
                    &[("purpose", says)],
                    format!("says {says} but has a job offer"),
                ));
            } else if t.purpose == Purpose::Work {
                if d.visa != Visa::Work && !d.work_permit {
                    out.push(seen(
                        "work_without_visa",
                        &[],
                        "travels for work without a work visa or permit",
                    ));
                }
                if !d.employment_contract {
                    out.push(seen(
                        "work_without_contract",
                        &[],
                        "travels for work without an employment contract",
                    ));
                }
            }
        }
        Indicator::NoAuthenticGuarantor => match t.guarantor {
            Guarantor::None => out.push(seen("no_guarantor", &[], "no guarantor")),
            Guarantor::Unverified => {
                out.push(seen("guarantor_unverified", &[], "guarantor not verified"));
            }
            Guarantor::Verified => {}
        },
        Indicator::FundsBelowMinimum => {
            let cash = t.cash_usd.usd();
            if cash < f64::from(policy.minimum_cash_usd) {
                let (cash, minimum) = (usd(cash), policy.minimum_cash_usd.to_string());
                out.push(seen(
                    "funds_below_minimum",
                    &[("cash", &cash), ("minimum", &minimum)],
                    format!("carries {cash} USD, minimum {minimum}"),
                ));
            }
        }
        Indicator::NoReturnTicket => {
            let short_trip = matches!(
                t.purpose,
                Purpose::Tourism | Purpose::Family | Purpose::Business | Purpose::Other
            );
            if short_trip && !d.return_ticket {
                let purpose = t.purpose.as_str();
                out.push(seen(
                    "no_return_ticket",
                    &[("purpose", purpose)],
                    format!("no return ticket for a {purpose} trip"),
                ));
            }
        }
        Indicator::TicketPaidByThirdParty => match t.ticket_paid_by {
            Payer::Employer | Payer::Recruiter => {
                let payer = t.ticket_paid_by.as_str();
                out.push(seen(
                    "ticket_paid_by",
                    &[("payer", payer)],
                    format!("ticket paid by the {payer}"),
                ));
            }
            Payer::Unknown => out.push(seen(
                "ticket_payer_unknown",
                &[],
                "does not know who paid the ticket",
            )),
            Payer::Traveller | Payer::Family => {}
        },
        Indicator::DocumentsHeldByOther => {
            if t.documents_held_by_other {
                out.push(seen(
                    "documents_held_by_other",
                    &[],
                    "someone else holds the traveller's documents",
                ));
            }
        }
        Indicator::CompanionAnswers => {
            if t.companion_answers {
                out.push(seen(
                    "companion_answers",
                    &[],
                    "a companion answers for the traveller",
                ));
            }
        }
        Indicator::JobOfferRedFlags => {
            if let Some(offer) = &t.job_offer {
                out = crate::offer::red_flags(&policy.job_offer, offer, &t.destination);
            }
        }
        Indicator::WatchlistMatch => {
            let Some(offer) = &t.job_offer else {
                return out;
            };
            let mut seen_values: Vec<String> = Vec::new();
            for (what, id, text) in [
                ("contact", "contact", &offer.contact),
                ("employer", "employer", &offer.employer),
                ("offer text", "offer_text", &offer.text),
            ] {
                for (value, labels) in wl.find(text) {
                    if !seen_values.contains(&value) {
                        let labels = labels.join(", ");
                        out.push(seen(
                            "watchlist",
                            &[("what", id), ("value", &value), ("labels", &labels)],
                            format!("{what} {value} is tied to {labels}"),
                        ));
                        seen_values.push(value);
                    }
                }
            }
        }
    }
    out
}

/// The English evidence (`; ` between facts) and the facts.
fn split(seen: Vec<Seen>) -> (String, Vec<Fact>) {
    let evidence = seen
        .iter()
        .map(|s| s.en.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    (evidence, seen.into_iter().map(|s| s.fact).collect())
}

/// An amount as people write it: no decimals when whole.
fn usd(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
