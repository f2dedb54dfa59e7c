//! Analysts' standings in the demo: the identifiers of the highest-ranked
//! facilities confirmed as scams (what the public check then shows and the
//! partners' feed lists), the next ones under investigation.

use vigil_core::{Vigil, check};
use vigil_domain::{Standing, StandingReason};

use crate::plan::{DemoError, at};

use crate::raids::principal;
use crate::tips::Facility;

/// Facilities whose identifiers are confirmed, then put under investigation.
const CONFIRMED: usize = 20;
const INVESTIGATING: usize = 10;

/// Sets the standings; returns the contacts (phones and Telegram handles,
/// as `(kind, value)`) confirmed as recruiters'.
pub(crate) async fn mark(
    v: &Vigil,
    facilities: &[Facility],
) -> Result<Vec<(String, String)>, DemoError> {
    let analyst = principal(v, "demo.analyst").await?;
    let mut confirmed = Vec::new();
    for (i, f) in facilities
        .iter()
        .take(CONFIRMED + INVESTIGATING)
        .enumerate()
    {
        let (_, tips) = v
            .store
            .facility(f.id)
            .await
            .map_err(|e| at("reading a facility")(e.into()))?;
        let Some(first) = tips.first() else { continue };
        let values = v
            .store
            .tip_observables(*first)
            .await
            .map_err(|e| at("reading a tip's identifiers")(e.into()))?;
        for o in values {
            let reason = match o.kind.as_str() {
                "phone" | "telegram" | "whatsapp" | "line" | "wechat" => {
                    StandingReason::Recruitment
                }
                "crypto_wallet" | "iban" => StandingReason::Money,
                "url" | "domain" => StandingReason::Impersonation,
                _ => continue,
            };
            let standing = if i < CONFIRMED {
                (Standing::Confirmed, reason)
            } else {
                (Standing::Investigating, StandingReason::Reports)
            };
            check::set_standing(&v.check, &analyst, &o.kind, &o.value, Some(standing))
                .await
                .map_err(at("setting standings"))?;
            if i < CONFIRMED && matches!(o.kind.as_str(), "phone" | "telegram") {
                confirmed.push((o.kind.clone(), o.value.clone()));
            }
        }
    }
    Ok(confirmed)
}
