//! What a reason saw, as a message id and its arguments, so that the web
//! edge words it in the reader's language; the English sentence is kept
//! beside it for the API and the command line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One thing seen. `id` is one of: `no_passport`, `visa_unclear`,
/// `purpose_with_job_offer` (`purpose`), `work_without_visa`,
/// `work_without_contract`, `no_guarantor`, `guarantor_unverified`,
/// `funds_below_minimum` (`cash`, `minimum`), `no_return_ticket`
/// (`purpose`), `ticket_paid_by` (`payer`: `employer` or `recruiter`),
/// `ticket_payer_unknown`, `documents_held_by_other`, `companion_answers`,
/// `offer_pay` (`pay`, `limit`), `offer_no_experience` (`phrase`),
/// `offer_travel_paid` (`phrase`), `offer_messaging_only` (`apps`),
/// `offer_hotspot` (`country`), `watchlist` (`what`: `contact`,
/// `employer` or `offer_text`; `value`; `labels`), `attribute`
/// (`attribute`, `value`), `attribute_justified` (`attribute`, `value`,
/// `justification`: the policy's words).
/// Amounts are written as numbers (`30`, `12.5`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// The message id.
    pub id: String,
    /// Its arguments by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, String>,
}

/// A fact with its English sentence.
pub(crate) struct Seen {
    pub(crate) fact: Fact,
    pub(crate) en: String,
}

/// A fact `id` with `args`, and its English words.
pub(crate) fn seen(id: &str, args: &[(&str, &str)], en: impl Into<String>) -> Seen {
    Seen {
        fact: Fact {
            id: id.to_string(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        },
        en: en.into(),
    }
}
