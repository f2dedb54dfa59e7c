//! Victim identification for persons met in operations: a ten-indicator
//! checklist, the rule that says who is a *likely victim*, the referral rule,
//! and the block on charging a likely victim.
//!
//! The indicators are drawn from the UNODC *Human Trafficking Indicators*
//! (general, labour-exploitation and domestic-servitude lists), the ILO's
//! *Operational indicators of trafficking in human beings* (ILO/European
//! Commission, 2009: deception, coercion, abuse of vulnerability,
//! exploitative conditions — with "strong" and "medium" indicators), and
//! the IOM *Handbook on Direct Assistance for Victims of Trafficking*
//! (screening interview), as they show in the scam compounds described by
//! OHCHR's 2023 report *Online scam operations and trafficking into forced
//! criminality in Southeast Asia*.
//!
//! This is a screening aid for officers, not a legal determination of
//! victim status: its only effects are to refer a person to protection and
//! to stop a charge until a supervisor has looked.

use serde::{Deserialize, Serialize};

/// One indicator of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Passport or identity documents held by the employer or someone else.
    DocumentsRetained,
    /// Phone taken away, or its use controlled.
    PhoneConfiscated,
    /// Not free to leave the compound or the job.
    CannotLeave,
    /// Told to pay a debt or a ransom to leave.
    DebtOrRansom,
    /// Wages withheld, cut or never paid.
    WagesWithheld,
    /// The job is not the one promised.
    JobNotAsPromised,
    /// Beaten, punished or sold on for missing quotas.
    ViolenceForQuotas,
    /// Threatened: self, family, or denunciation to police or immigration.
    Threats,
    /// Cut off from family and the outside world; locked in or guarded.
    Isolation,
    /// Under 18, or appears to be.
    Under18,
}

impl Indicator {
    /// Every indicator, in the order the checklist asks them.
    pub const ALL: [Indicator; 10] = [
        Indicator::DocumentsRetained,
        Indicator::PhoneConfiscated,
        Indicator::CannotLeave,
        Indicator::DebtOrRansom,
        Indicator::WagesWithheld,
        Indicator::JobNotAsPromised,
        Indicator::ViolenceForQuotas,
        Indicator::Threats,
        Indicator::Isolation,
        Indicator::Under18,
    ];

    /// The indicator's code as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::DocumentsRetained => "documents_retained",
            Indicator::PhoneConfiscated => "phone_confiscated",
            Indicator::CannotLeave => "cannot_leave",
            Indicator::DebtOrRansom => "debt_or_ransom",
            Indicator::WagesWithheld => "wages_withheld",
            Indicator::JobNotAsPromised => "job_not_as_promised",
            Indicator::ViolenceForQuotas => "violence_for_quotas",
            Indicator::Threats => "threats",
            Indicator::Isolation => "isolation",
            Indicator::Under18 => "under_18",
        }
    }

    /// Reads a code written by [`Indicator::code`].
    pub fn from_code(code: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.code() == code.trim())
    }

    /// The checklist's wording in English.
    pub fn en(self) -> &'static str {
        match self {
            Indicator::DocumentsRetained => {
                "Passport or identity documents are held by the employer or someone else"
            }
            Indicator::PhoneConfiscated => "Phone taken away, or its use controlled",
            Indicator::CannotLeave => "Not free to leave the compound or the job",
            Indicator::DebtOrRansom => "Told to pay a debt or a ransom to be allowed to leave",
            Indicator::WagesWithheld => "Wages withheld, cut or never paid",
            Indicator::JobNotAsPromised => "The work is not the job that was promised",
            Indicator::ViolenceForQuotas => "Beaten, punished or sold on for not meeting quotas",
            Indicator::Threats => {
                "Threatened: against themselves or their family, or with police or immigration"
            }
            Indicator::Isolation => {
                "Cut off from family and the outside world; locked in or guarded"
            }
            Indicator::Under18 => "Under 18, or appears to be",
        }
    }

    /// The checklist's wording in Khmer.
    pub fn km(self) -> &'static str {
        match self {
            Indicator::DocumentsRetained => "លិខិតឆ្លងដែន ឬឯកសារអត្តសញ្ញាណ ត្រូវបាននិយោជក ឬអ្នកផ្សេងរក្សាទុក",
            Indicator::PhoneConfiscated => "ទូរស័ព្ទត្រូវបានដកហូត ឬការប្រើប្រាស់ទូរស័ព្ទត្រូវបានគេគ្រប់គ្រង",
            Indicator::CannotLeave => "មិនអាចចាកចេញពីបរិវេណ ឬឈប់ពីការងារដោយសេរីបានទេ",
            Indicator::DebtOrRansom => "ត្រូវបានគេប្រាប់ឱ្យសងបំណុល ឬបង់ប្រាក់លោះ ទើបអនុញ្ញាតឱ្យចាកចេញ",
            Indicator::WagesWithheld => "ប្រាក់ឈ្នួលត្រូវបានគេរក្សាទុក កាត់ ឬមិនដែលបើកឱ្យ",
            Indicator::JobNotAsPromised => "ការងារដែលធ្វើ មិនមែនជាការងារដែលគេបានសន្យា",
            Indicator::ViolenceForQuotas => "ត្រូវបានវាយដំ ដាក់ទណ្ឌកម្ម ឬលក់បន្ត ដោយសារមិនសម្រេចគោលដៅការងារ",
            Indicator::Threats => "ត្រូវបានគំរាមកំហែង ចំពោះខ្លួនឯង ឬក្រុមគ្រួសារ ឬគំរាមប្ដឹងទៅប៉ូលិស ឬអន្តោប្រវេសន៍",
            Indicator::Isolation => "ត្រូវបានកាត់ផ្ដាច់ពីក្រុមគ្រួសារ និងពិភពខាងក្រៅ ត្រូវបានចាក់សោទុក ឬមានអ្នកយាម",
            Indicator::Under18 => "អាយុក្រោម ១៨ ឆ្នាំ ឬមើលទៅដូចជាក្រោម ១៨ ឆ្នាំ",
        }
    }

    /// Whether the indicator alone makes a likely victim. These are the
    /// checklist's counterparts of the ILO operational indicators' *strong*
    /// indicators of coercion (confiscation of documents, confinement, debt
    /// bondage, violence); the others are *medium* ones and count in twos.
    pub fn is_strong(self) -> bool {
        matches!(
            self,
            Indicator::DocumentsRetained
                | Indicator::CannotLeave
                | Indicator::DebtOrRansom
                | Indicator::ViolenceForQuotas
        )
    }
}

/// What the person said about passing their details to the police.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// They agreed to be referred.
    Given,
    /// They declined.
    Refused,
    /// Not asked yet.
    NotAsked,
}

/// Why a person is referred whatever their consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlwaysReason {
    /// Under 18 (or appears to be): a child is always referred.
    Child,
    /// In imminent danger.
    ImminentDanger,
}

/// Why a person is not referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotReferredReason {
    /// An adult likely victim who declined, or was not yet asked: the
    /// person is still offered assistance, and consent may be asked again.
    NoConsent,
    /// The answers do not make a likely victim.
    NotLikelyVictim,
}

/// The referral to police.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Referral {
    /// Referred whatever their consent.
    Always(AlwaysReason),
    /// An adult likely victim, referred because they consented.
    WithConsent,
    /// Not referred.
    NotReferred(NotReferredReason),
}

/// One reason of an assessment, to be worded in the reader's language.
/// Stored as JSON: `{"id":"strong_indicator","indicator":"debt_or_ransom"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "id", rename_all = "snake_case")]
pub enum ReferralReason {
    /// A child of the age given.
    ChildAged {
        /// Age in years.
        age: u8,
    },
    /// A child: appears to be under 18 (no age under 18 given).
    ChildAppears,
    /// A strong indicator is present.
    StrongIndicator {
        /// Which.
        indicator: Indicator,
    },
    /// Two or more of the other indicators are present.
    OtherIndicators {
        /// How many.
        count: usize,
    },
    /// Not a likely victim: no strong indicator and fewer than two others.
    TooFewIndicators {
        /// How many of the others.
        others: usize,
    },
    /// In imminent danger.
    ImminentDanger,
    /// An adult who consented to referral.
    AdultConsented,
    /// An adult who has not consented: not referred, offered assistance.
    AdultNotConsented,
}

/// The result of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Whether the person is a likely victim (see [`assess`]).
    pub likely_victim: bool,
    /// The indicators present, in checklist order, each once (with
    /// [`Indicator::Under18`] added when the age given is under 18).
    pub indicators: Vec<Indicator>,
    /// The referral.
    pub referral: Referral,
    /// Why, one reason each.
    pub reasons: Vec<ReferralReason>,
}

/// Assesses a checklist.
///
/// `answers` are the indicators answered yes; `age` the age in years, when
/// known. The person is a child when `age` is under 18 **or** the officer
/// ticked [`Indicator::Under18`]: a child's age is presumed when in doubt,
/// and a passport's date of birth may be forged to make a child an adult.
///
/// A **likely victim** is a child, or someone with at least one strong
/// indicator ([`Indicator::is_strong`]), or with two or more of the others.
///
/// **Referral**: a child or someone in imminent danger is always referred;
/// an adult likely victim only with their consent; anyone else is not.
pub fn assess(
    answers: &[Indicator],
    age: Option<u8>,
    consent: Consent,
    imminent_danger: bool,
) -> Assessment {
    let mut indicators: Vec<Indicator> = answers.to_vec();
    if age.is_some_and(|a| a < 18) {
        indicators.push(Indicator::Under18);
    }
    indicators.sort();
    indicators.dedup();
    let child = indicators.contains(&Indicator::Under18);
    let strong: Vec<Indicator> = indicators
        .iter()
        .copied()
        .filter(|i| i.is_strong())
        .collect();
    let others = indicators
        .iter()
        .filter(|i| !i.is_strong() && **i != Indicator::Under18)
        .count();
    let mut reasons = Vec::new();
    if child {
        reasons.push(match age {
            Some(age) if age < 18 => ReferralReason::ChildAged { age },
            _ => ReferralReason::ChildAppears,
        });
    }
    for &indicator in &strong {
        reasons.push(ReferralReason::StrongIndicator { indicator });
    }
    if others >= 2 {
        reasons.push(ReferralReason::OtherIndicators { count: others });
    }
    let likely_victim = child || !strong.is_empty() || others >= 2;
    if !likely_victim {
        reasons.push(ReferralReason::TooFewIndicators { others });
    }
    if imminent_danger {
        reasons.push(ReferralReason::ImminentDanger);
    }
    let referral = if child {
        Referral::Always(AlwaysReason::Child)
    } else if imminent_danger {
        Referral::Always(AlwaysReason::ImminentDanger)
    } else if !likely_victim {
        Referral::NotReferred(NotReferredReason::NotLikelyVictim)
    } else if consent == Consent::Given {
        reasons.push(ReferralReason::AdultConsented);
        Referral::WithConsent
    } else {
        reasons.push(ReferralReason::AdultNotConsented);
        Referral::NotReferred(NotReferredReason::NoConsent)
    };
    Assessment {
        likely_victim,
        indicators,
        referral,
        reasons,
    }
}

/// A charge refused: the person is flagged as a likely victim and no
/// supervisor has acknowledged the flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "this person is flagged as a likely victim of trafficking: a supervisor must acknowledge the flag before any charge (non-punishment principle)"
)]
pub struct ChargeBlocked;

/// Whether a person may be charged. A person flagged as a likely victim may
/// not until a supervisor has acknowledged the flag — the non-punishment
/// principle of the OHCHR *Recommended Principles and Guidelines on Human
/// Rights and Human Trafficking* (principle 7) and ASEAN's ACTIP (art. 14(7)):
/// victims are not to be punished for crimes they were forced to commit.
pub fn may_charge(
    person_flagged_likely_victim: bool,
    supervisor_acknowledged: bool,
) -> Result<(), ChargeBlocked> {
    if person_flagged_likely_victim && !supervisor_acknowledged {
        Err(ChargeBlocked)
    } else {
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use Indicator::*;
    use proptest::prelude::*;

    fn check(
        answers: &[Indicator],
        age: Option<u8>,
        consent: Consent,
        danger: bool,
        likely: bool,
        referral: Referral,
    ) {
        let a = assess(answers, age, consent, danger);
        assert_eq!(
            (a.likely_victim, a.referral),
            (likely, referral),
            "{answers:?} {age:?} {consent:?} {danger}: {:?}",
            a.reasons
        );
        assert!(!a.reasons.is_empty());
    }

    fn reasons(
        answers: &[Indicator],
        age: Option<u8>,
        consent: Consent,
        danger: bool,
        expected: &[ReferralReason],
    ) {
        let a = assess(answers, age, consent, danger);
        assert_eq!(
            a.reasons, expected,
            "{answers:?} {age:?} {consent:?} {danger}"
        );
    }

    #[test]
    fn each_reason_carries_what_it_counts() {
        use ReferralReason as R;
        reasons(
            &[],
            Some(16),
            Consent::Refused,
            false,
            &[R::ChildAged { age: 16 }],
        );
        reasons(
            &[Under18],
            Some(19),
            Consent::Given,
            false,
            &[R::ChildAppears],
        );
        reasons(
            &[DebtOrRansom, Threats, Isolation],
            Some(30),
            Consent::Given,
            false,
            &[
                R::StrongIndicator {
                    indicator: DebtOrRansom,
                },
                R::OtherIndicators { count: 2 },
                R::AdultConsented,
            ],
        );
        reasons(
            &[Threats],
            Some(30),
            Consent::NotAsked,
            true,
            &[R::TooFewIndicators { others: 1 }, R::ImminentDanger],
        );
        reasons(
            &[CannotLeave],
            None,
            Consent::Refused,
            false,
            &[
                R::StrongIndicator {
                    indicator: CannotLeave,
                },
                R::AdultNotConsented,
            ],
        );
        let json = serde_json::to_string(&[R::StrongIndicator {
            indicator: DebtOrRansom,
        }])
        .expect("json");
        assert_eq!(
            json,
            r#"[{"id":"strong_indicator","indicator":"debt_or_ransom"}]"#
        );
    }

    #[test]
    fn each_branch_of_the_referral_rule() {
        use AlwaysReason::*;
        use NotReferredReason::*;
        // A child: always, whatever the consent and answers.
        check(
            &[],
            Some(16),
            Consent::Refused,
            false,
            true,
            Referral::Always(Child),
        );
        check(
            &[Under18],
            None,
            Consent::NotAsked,
            false,
            true,
            Referral::Always(Child),
        );
        // Ticked as under 18 though the passport says 19: still a child.
        check(
            &[Under18],
            Some(19),
            Consent::Refused,
            false,
            true,
            Referral::Always(Child),
        );
        // Imminent danger: always, even without indicators or consent.
        check(
            &[],
            Some(30),
            Consent::Refused,
            true,
            false,
            Referral::Always(ImminentDanger),
        );
        check(
            &[CannotLeave],
            Some(30),
            Consent::Refused,
            true,
            true,
            Referral::Always(ImminentDanger),
        );
        // An adult likely victim: only with consent.
        check(
            &[DocumentsRetained],
            Some(25),
            Consent::Given,
            false,
            true,
            Referral::WithConsent,
        );
        check(
            &[DebtOrRansom],
            Some(25),
            Consent::Refused,
            false,
            true,
            Referral::NotReferred(NoConsent),
        );
        check(
            &[ViolenceForQuotas],
            None,
            Consent::NotAsked,
            false,
            true,
            Referral::NotReferred(NoConsent),
        );
        // Two medium indicators make a likely victim; one does not.
        check(
            &[WagesWithheld, Threats],
            Some(40),
            Consent::Given,
            false,
            true,
            Referral::WithConsent,
        );
        check(
            &[JobNotAsPromised],
            Some(40),
            Consent::Given,
            false,
            false,
            Referral::NotReferred(NotLikelyVictim),
        );
        check(
            &[Isolation, Isolation],
            Some(40),
            Consent::Given,
            false,
            false,
            Referral::NotReferred(NotLikelyVictim),
        );
        check(
            &[],
            None,
            Consent::Given,
            false,
            false,
            Referral::NotReferred(NotLikelyVictim),
        );
    }

    #[test]
    fn the_checklist_has_ten_indicators_with_both_wordings() {
        assert_eq!(Indicator::ALL.len(), 10);
        for i in Indicator::ALL {
            assert_eq!(Indicator::from_code(i.code()), Some(i));
            assert!(!i.en().is_empty());
            assert!(
                i.km()
                    .chars()
                    .any(|c| ('\u{1780}'..='\u{17ff}').contains(&c)),
                "{i:?}"
            );
        }
        assert_eq!(Indicator::ALL.iter().filter(|i| i.is_strong()).count(), 4);
        let a = assess(
            &[Threats, Under18, Threats],
            Some(12),
            Consent::NotAsked,
            false,
        );
        assert_eq!(a.indicators, [Threats, Under18]);
    }

    #[test]
    fn a_likely_victim_is_not_charged_without_a_supervisor() {
        assert_eq!(may_charge(true, false), Err(ChargeBlocked));
        assert_eq!(may_charge(true, true), Ok(()));
        assert_eq!(may_charge(false, false), Ok(()));
        assert!(ChargeBlocked.to_string().contains("supervisor"));
    }

    fn any_consent() -> impl Strategy<Value = Consent> {
        prop_oneof![
            Just(Consent::Given),
            Just(Consent::Refused),
            Just(Consent::NotAsked)
        ]
    }

    proptest! {
        /// A child is always referred, whatever else is answered.
        #[test]
        fn a_child_is_always_referred(
            picks in proptest::collection::vec(0usize..10, 0..12),
            age in 0u8..18,
            consent in any_consent(),
            danger in any::<bool>(),
        ) {
            let answers: Vec<Indicator> = picks.iter().map(|i| Indicator::ALL[*i]).collect();
            let a = assess(&answers, Some(age), consent, danger);
            prop_assert!(a.likely_victim);
            prop_assert_eq!(a.referral, Referral::Always(AlwaysReason::Child));
        }

        /// An adult not in danger is never referred without consent.
        #[test]
        fn an_adult_is_referred_only_with_consent(
            picks in proptest::collection::vec(0usize..9, 0..12),
            age in 18u8..100,
            consent in any_consent(),
        ) {
            let answers: Vec<Indicator> = picks.iter().map(|i| Indicator::ALL[*i]).collect();
            let a = assess(&answers, Some(age), consent, false);
            if matches!(a.referral, Referral::WithConsent | Referral::Always(_)) {
                prop_assert_eq!(consent, Consent::Given);
                prop_assert!(a.likely_victim);
            }
        }
    }
}
