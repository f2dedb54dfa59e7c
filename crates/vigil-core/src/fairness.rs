//! After the screening: the officer's list of recent screenings, what came of
//! a referral, and the fairness report per post and month — screenings,
//! interviews and referrals by sex and age band (advised and decided), how
//! many referrals were confirmed, and the scope note and written
//! justifications of the policies in force. Only the sex and age band are
//! kept in the clear for the report; purged screenings stay counted in the
//! store's tallies.

use crate::field::FieldMessage;
use std::collections::BTreeMap;
use vigil_domain::{AuditAction, Capability};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use vigil_domain::posts::Post;
use vigil_screening::Policy;
use vigil_screening::traveller::Sex;
use vigil_store::{FairnessCounts, PolicyNote};

use crate::CoreError;
use crate::screening::{
    ScreeningService, covers_post, exit_post, posts_for, reference_of, visible,
};
use crate::staff::Principal;

/// The age bands of the report; `18-24` and `25-35` together are the
/// announced 18–35 scope.
pub const AGE_BANDS: [&str; 5] = ["0-17", "18-24", "25-35", "36-49", "50+"];

/// Cambodia's time (UTC+7, no daylight saving): months are counted in it.
const CAMBODIA: UtcOffset = vigil_domain::clock::CAMBODIA;

/// The band of an age in years.
pub fn age_band(years: u8) -> &'static str {
    match years {
        0..=17 => AGE_BANDS[0],
        18..=24 => AGE_BANDS[1],
        25..=35 => AGE_BANDS[2],
        36..=49 => AGE_BANDS[3],
        _ => AGE_BANDS[4],
    }
}

/// What the fairness report keeps of a policy: its scope note and the written
/// justification of every weight on a protected attribute.
pub fn policy_note(policy: &Policy) -> PolicyNote {
    let justifications: Vec<serde_json::Value> = policy
        .attribute_weights
        .iter()
        .filter(|a| a.attribute.is_protected() && a.weight > 0)
        .map(|a| {
            serde_json::json!({
                "attribute": a.attribute.name(),
                "value": a.value,
                "weight": a.weight,
                "justification": a.justification.clone().unwrap_or_default(),
            })
        })
        .collect();
    PolicyNote {
        policy: policy.id(),
        scope_note: policy
            .scope
            .as_ref()
            .map(|s| s.note.clone())
            .unwrap_or_default(),
        justifications: serde_json::Value::Array(justifications).to_string(),
    }
}

fn may_review(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReviewScreenings) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// One screening in the officer's list: no personal data beyond the reference.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Id.
    pub id: i64,
    /// The traveller's reference (`?` when it cannot be read).
    pub reference: String,
    /// The post's code.
    pub post: String,
    /// The advised outcome.
    pub outcome: String,
    /// The officer's decision, once recorded.
    pub decision: Option<String>,
    /// What came of a referral, once recorded.
    pub referral: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// The newest screenings (at most `limit`) at the posts within `p`'s
/// jurisdiction; the read is audited, as it opens the references.
pub async fn recent(
    v: &ScreeningService,
    p: &Principal,
    limit: i64,
) -> Result<Vec<Listed>, CoreError> {
    may_review(p)?;
    let codes: Option<Vec<String>> = p
        .jurisdiction
        .provinces()
        .map(|_| posts_for(p).iter().map(|x| x.code.clone()).collect());
    let rows = v
        .store
        .recent_screenings(codes.as_deref(), limit.clamp(1, 500))
        .await?;
    let listed = rows
        .into_iter()
        .filter(|r| covers_post(p, &r.screening.post))
        .map(|r| {
            let reference = reference_of(v, &r.screening.traveller).unwrap_or_else(|| "?".into());
            Listed {
                id: r.id,
                reference,
                post: r.screening.post,
                outcome: r.screening.outcome,
                decision: r.decision,
                referral: r.referral.map(|x| x.result),
                created_at: r.screening.created_at,
            }
        })
        .collect();
    v.store
        .append_audit(p.audit(AuditAction::ScreeningList, String::new(), String::new()))
        .await?;
    Ok(listed)
}

/// Records what came of a referral (`confirmed` or `not_confirmed`) on a
/// screening the officer referred; immigration, supervisors and admins,
/// within their jurisdiction; audited.
pub async fn record_referral(
    v: &ScreeningService,
    p: &Principal,
    id: i64,
    result: &str,
) -> Result<(), CoreError> {
    may_review(p)?;
    if !matches!(result, "confirmed" | "not_confirmed") {
        return Err(crate::error::invalid(
            "result",
            (
                FieldMessage::NotAChoice,
                "choices",
                "confirmed, not_confirmed",
            ),
        ));
    }
    let row = visible(v, p, id).await?;
    if row.decision.as_deref() != Some("refer") {
        return Err(crate::error::invalid("result", FieldMessage::NotReferred));
    }
    v.store
        .record_referral_result(
            id,
            result,
            p.id,
            p.audit(
                AuditAction::ScreeningReferral,
                format!("screening:{id}"),
                format!("result={result}"),
            ),
        )
        .await?;
    Ok(())
}

/// A policy used in the month, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyShown {
    /// `name@version`.
    pub policy: String,
    /// The scope's note (empty when none or not recorded).
    pub scope_note: String,
    /// (attribute, value, weight, justification) of every weight on a
    /// protected attribute.
    pub justifications: Vec<(String, String, u64, String)>,
}

/// The fairness report of one post and month.
#[derive(Debug, Clone)]
pub struct Report {
    /// The post.
    pub post: &'static Post,
    /// `YYYY-MM`.
    pub month: String,
    /// One row per (sex, age band), every combination, in a stable order.
    pub rows: Vec<crate::views::FairnessLine>,
    /// The sum of the rows.
    pub total: crate::views::FairnessLine,
    /// The policies used in the month.
    pub policies: Vec<PolicyShown>,
}

/// The first instant of `month` (`YYYY-MM`) in Cambodia and of the next one.
pub fn month_bounds(month: &str) -> Result<(OffsetDateTime, OffsetDateTime), CoreError> {
    let bad = || crate::error::invalid("month", (FieldMessage::NotAMonth, "value", month.trim()));
    let (y, m) = month.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    let offset = CAMBODIA;
    let start = |y: i32, m: Month| -> Result<OffsetDateTime, CoreError> {
        let d = Date::from_calendar_date(y, m, 1).map_err(|_| bad())?;
        Ok(PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(offset))
    };
    let next = if month == Month::December {
        start(year + 1, Month::January)?
    } else {
        start(year, month.next())?
    };
    Ok((start(year, month)?, next))
}

/// This month in Cambodia, as `YYYY-MM`.
pub fn this_month() -> String {
    let now = OffsetDateTime::now_utc().to_offset(CAMBODIA);
    format!("{:04}-{:02}", now.year(), u8::from(now.month()))
}

fn add(t: &mut FairnessCounts, r: &FairnessCounts) {
    t.screenings += r.screenings;
    t.advised_interview += r.advised_interview;
    t.advised_refer += r.advised_refer;
    t.decided_clear += r.decided_clear;
    t.decided_interview += r.decided_interview;
    t.decided_refer += r.decided_refer;
    t.confirmed += r.confirmed;
    t.not_confirmed += r.not_confirmed;
}

/// The fairness report of `post` for `month` (`YYYY-MM`): immigration,
/// supervisors and admins; a post outside the jurisdiction is `NotFound`.
pub async fn report(
    v: &ScreeningService,
    p: &Principal,
    post: &str,
    month: &str,
) -> Result<Report, CoreError> {
    may_review(p)?;
    let post = exit_post(post)?;
    if !p.jurisdiction.covers(Some(&post.province_code)) {
        return Err(CoreError::NotFound);
    }
    let (from, to) = month_bounds(month)?;
    let month = month.trim().to_string();
    let found = v
        .store
        .fairness_counts(&post.code, &month, from, to)
        .await?;
    let mut groups: BTreeMap<(usize, usize), FairnessCounts> = BTreeMap::new();
    let sexes: Vec<&str> = Sex::ALL.iter().map(|s| s.as_str()).collect();
    let mut bands: Vec<String> = AGE_BANDS.iter().map(|b| (*b).to_string()).collect();
    let mut used: Vec<String> = Vec::new();
    for r in &found {
        if !used.contains(&r.policy) {
            used.push(r.policy.clone());
        }
        let si = sexes
            .iter()
            .position(|s| *s == r.sex)
            .unwrap_or(sexes.len());
        let bi = match bands.iter().position(|b| *b == r.age_band) {
            Some(i) => i,
            None => {
                bands.push(r.age_band.clone());
                bands.len() - 1
            }
        };
        let g = groups.entry((si, bi)).or_insert_with(|| FairnessCounts {
            sex: r.sex.clone(),
            age_band: r.age_band.clone(),
            ..FairnessCounts::default()
        });
        add(g, r);
    }
    let mut rows = Vec::new();
    for (si, sex) in sexes.iter().enumerate() {
        for (bi, band) in bands.iter().enumerate() {
            rows.push(groups.remove(&(si, bi)).unwrap_or_else(|| FairnessCounts {
                sex: (*sex).to_string(),
                age_band: band.clone(),
                ..FairnessCounts::default()
            }));
        }
    }
    rows.extend(groups.into_values());
    let mut total = FairnessCounts {
        sex: "all".into(),
        age_band: "all".into(),
        ..FairnessCounts::default()
    };
    for r in &rows {
        add(&mut total, r);
    }
    used.sort();
    let notes = v.store.policy_notes(&used).await?;
    let policies = used
        .into_iter()
        .map(|policy| {
            let note = notes.iter().find(|n| n.policy == policy);
            let justifications = note
                .and_then(|n| {
                    serde_json::from_str::<Vec<serde_json::Value>>(&n.justifications).ok()
                })
                .unwrap_or_default()
                .iter()
                .map(|j| {
                    let s = |k: &str| j[k].as_str().unwrap_or_default().to_string();
                    (
                        s("attribute"),
                        s("value"),
                        j["weight"].as_u64().unwrap_or(0),
                        s("justification"),
                    )
                })
                .collect();
            PolicyShown {
                scope_note: note.map(|n| n.scope_note.clone()).unwrap_or_default(),
                justifications,
                policy,
            }
        })
        .collect();
    Ok(Report {
        post,
        month,
        rows: rows.into_iter().map(Into::into).collect(),
        total: total.into(),
        policies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_in_bands_that_show_the_announced_scope() {
        for (age, band) in [
            (0, "0-17"),
            (17, "0-17"),
            (18, "18-24"),
            (24, "18-24"),
            (25, "25-35"),
            (35, "25-35"),
            (36, "36-49"),
            (49, "36-49"),
            (50, "50+"),
            (120, "50+"),
        ] {
            assert_eq!(age_band(age), band, "{age}");
        }
    }

    #[test]
    fn months_are_counted_in_cambodia_time() {
        let (from, to) = month_bounds("2026-04").expect("month");
        assert_eq!(from.unix_timestamp(), 1_774_976_400, "2026-03-31 17:00 UTC");
        assert_eq!((to - from).whole_days(), 30);
        let (_, to) = month_bounds("2026-12").expect("month");
        assert_eq!(to.year(), 2027);
        for bad in ["2026-13", "2026-4", "April", "", "2026-00"] {
            assert!(month_bounds(bad).is_err(), "{bad}");
        }
        assert_eq!(this_month().len(), 7);
    }
}
