//! The public check: what Vigil's reports say about a number, link, handle
//! or wallet — pasted alone or in a whole message — without saying who
//! reported it or keeping who asked.
//!
//! For each identifier found, the answer gives the band of *independent*
//! reports (near-duplicate texts count once; see
//! [`vigil_intel::independent_groups`]), only from `[check] min_reports`
//! (k) on; the provinces named by at least k of them; and an analyst's
//! standing, if any. A value seen in fewer than k tips costs the same one
//! statement and gives the same answer as a value never seen. A check is
//! never stored or logged: nothing here writes.
//!
//! The range API answers for a 20-bit prefix of the values' SHA-256 with
//! the same answers for every value in it, so the asker never says which
//! value they hold.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use time::Date;
use vigil_domain::check::{RangePrefix, ReportBand, ValueDigest};
use vigil_domain::{AuditAction, Capability, Standing, StandingReason};
use vigil_extract::{Detail, Kind, LinkWarning};
use vigil_store::{CheckHit, DynStore, ObservableId, StandingChange};

use crate::CoreError;
use crate::field::{FieldError, FieldMessage};
use crate::settings::Settings;
use crate::staff::Principal;

/// Most identifiers answered for in one check; a longer list is cut here
/// (the answer says so).
pub const MAX_VALUES: usize = 25;

/// Most prefixes in one bulk range request.
pub const MAX_PREFIXES: usize = 1_000;

/// The public check, the range API and analysts' standings. Cheap to clone.
#[derive(Clone)]
pub struct CheckService {
    pub(crate) store: DynStore,
    pub(crate) settings: Arc<Settings>,
    /// The warning-sign rules, compiled on first use (a fraction of a
    /// second), from `[check] signs_file` or the embedded file.
    signs: Arc<std::sync::OnceLock<Result<Arc<vigil_signs::Rules>, String>>>,
    /// Bands and provinces already counted, by observable, with the tip
    /// count they were counted at: reused while the count is unchanged, so
    /// a much-asked value is not sampled again. Bounded by
    /// [`COUNTED_CAPACITY`].
    counted: Arc<std::sync::Mutex<HashMap<ObservableId, Counted>>>,
}

/// What was counted for a value: its tip count then, its band, its
/// provinces.
type Counted = (i64, Option<ReportBand>, Vec<String>);

/// Most values whose counting is kept; when full, the cache starts afresh.
pub const COUNTED_CAPACITY: usize = 50_000;

impl CheckService {
    /// The slice over its parts.
    pub fn new(store: DynStore, settings: Arc<Settings>) -> Self {
        CheckService {
            store,
            settings,
            signs: Arc::new(std::sync::OnceLock::new()),
            counted: Arc::new(std::sync::Mutex::new(HashMap::new())),
        }
    }

    /// The threshold k.
    pub fn min_reports(&self) -> u32 {
        self.settings.check.min_reports.max(1)
    }

    /// The warning-sign rules in force; a rules file that cannot be read
    /// or compiled is named in the error.
    pub fn signs(&self) -> Result<Arc<vigil_signs::Rules>, CoreError> {
        self.signs
            .get_or_init(|| {
                let file = self.settings.check.signs_file.trim();
                let rules = if file.is_empty() {
                    vigil_signs::Rules::embedded()
                } else {
                    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
                    vigil_signs::Rules::from_toml(&text)
                };
                rules.map(Arc::new).map_err(|e| match file {
                    "" => format!("embedded warning signs: {e}"),
                    f => format!("{f}: {e}"),
                })
            })
            .clone()
            .map_err(CoreError::Unavailable)
    }
}

/// Something about a value that is a warning in itself, whatever the
/// reports say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueWarning {
    /// What makes a link deceptive (userinfo, an IP host…).
    Link(LinkWarning),
    /// The host looks like this protected domain (a bank's, an agency's)
    /// without being it.
    LooksLike(String),
}

/// An analyst's standing as the public sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicStanding {
    /// Confirmed, under investigation or cleared.
    pub standing: Standing,
    /// Why.
    pub reason: StandingReason,
    /// Since when (Cambodia's date).
    pub since: Date,
}

/// What the reports say about one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The band of independent reports; `None` below k (or when cleared).
    pub reports: Option<ReportBand>,
    /// Provinces named by at least k independent reports, most named first.
    pub provinces: Vec<String>,
    /// An analyst's standing, if any.
    pub standing: Option<PublicStanding>,
}

impl Reported {
    /// Nothing known: what a value seen fewer than k times also gets.
    pub fn nothing() -> Reported {
        Reported {
            reports: None,
            provinces: Vec::new(),
            standing: None,
        }
    }

    /// Whether there is anything to say.
    pub fn is_known(&self) -> bool {
        self.reports.is_some() || self.standing.is_some()
    }
}

/// One identifier of a checked text and what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedValue {
    /// Its kind.
    pub kind: Kind,
    /// Its normalised value.
    pub value: String,
    /// What the reports say.
    pub reported: Reported,
    /// Warnings of the value itself.
    pub warnings: Vec<ValueWarning>,
}

/// A warning sign of a job offer or message found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignFound {
    /// The sign's id in the rules file (its messages are `sign-<id>` and
    /// `sign-<id>-why`).
    pub sign: String,
    /// The words of the text that show it.
    pub evidence: String,
}

/// The answer to a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckAnswer {
    /// Each identifier found, in the order of the text.
    pub values: Vec<CheckedValue>,
    /// Warning signs in the text, in the rules' order.
    pub signs: Vec<SignFound>,
    /// Whether identifiers beyond [`MAX_VALUES`] were left out.
    pub cut: bool,
}

/// One value of a range: the digest's other 59 hex digits and what the
/// reports say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeEntry {
    /// The digest after the prefix.
    pub suffix: String,
    /// The value's kind.
    pub kind: Kind,
    /// What the reports say (never nothing: such values are left out).
    pub reported: Reported,
}

/// Kinds a check answers for: identifiers a scammer hands out. Places and
/// positions are where compounds are, not what a citizen is asked to trust.
fn checked_kind(kind: Kind) -> bool {
    !matches!(kind, Kind::Place | Kind::Coordinates)
}

/// Checks every identifier in `text` (a value alone or a whole message).
pub async fn check_text(svc: &CheckService, text: &str) -> Result<CheckAnswer, CoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::InvalidField(FieldError::new(
            "text",
            FieldMessage::Required,
        )));
    }
    let max = svc.settings.intake.max_text_chars;
    if text.chars().count() > max {
        return Err(CoreError::InvalidField(
            FieldError::new("text", FieldMessage::TooLong).arg("max", max),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut found: Vec<vigil_extract::Found> = vigil_extract::extract(text)
        .into_iter()
        .filter(|f| checked_kind(f.kind))
        .filter(|f| seen.insert((f.kind, f.value.clone())))
        .collect();
    let cut = found.len() > MAX_VALUES;
    found.truncate(MAX_VALUES);
    let mut values = Vec::with_capacity(found.len());
    for f in found {
        let hit = svc.store.check_value(f.kind.as_str(), &f.value).await?;
        let reported = match hit {
            Some(hit) => reported(svc, &hit).await?,
            None => Reported::nothing(),
        };
        let mut warnings: Vec<ValueWarning> = match &f.detail {
            Some(Detail::Link { warnings }) => {
                warnings.iter().copied().map(ValueWarning::Link).collect()
            }
            _ => Vec::new(),
        };
        if let Some(host) = host_of(f.kind, &f.value)
            && let Some(like) =
                vigil_extract::looks_like(&host, &svc.settings.check.protected_domains)
        {
            warnings.push(ValueWarning::LooksLike(like.to_string()));
        }
        values.push(CheckedValue {
            kind: f.kind,
            value: f.value,
            reported,
            warnings,
        });
    }
    let rules = svc.signs()?;
    let signs = rules
        .find(text)
        .into_iter()
        .map(|h| SignFound {
            sign: h.sign.to_string(),
            evidence: h.evidence,
        })
        .collect();
    Ok(CheckAnswer { values, signs, cut })
}

/// The host of a link, or a domain itself.
fn host_of(kind: Kind, value: &str) -> Option<String> {
    match kind {
        Kind::Domain => Some(value.to_string()),
        Kind::Url => {
            let rest = value.split_once("://").map_or(value, |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
            let host = if host.starts_with('[') {
                host
            } else {
                host.split(':').next().unwrap_or(host)
            };
            (!host.is_empty()).then(|| host.to_string())
        }
        _ => None,
    }
}

/// What the reports say about a stored value.
async fn reported(svc: &CheckService, hit: &CheckHit) -> Result<Reported, CoreError> {
    let k = svc.min_reports();
    let standing = hit.standing.as_ref().map(|s| PublicStanding {
        standing: s.standing,
        reason: s.reason,
        since: crate::figures::cambodia_date(s.decided_at),
    });
    if standing.is_some_and(|s| s.standing == Standing::Cleared) {
        return Ok(Reported {
            reports: None,
            provinces: Vec::new(),
            standing,
        });
    }
    if hit.tips < i64::from(k) {
        return Ok(Reported {
            reports: None,
            provinces: Vec::new(),
            standing,
        });
    }
    let cached = svc
        .counted
        .lock()
        .ok()
        .and_then(|c| c.get(&hit.id).cloned())
        .filter(|(tips, _, _)| *tips == hit.tips);
    let (reports, provinces) = match cached {
        Some((_, reports, provinces)) => (reports, provinces),
        None => {
            let (reports, provinces) = count(svc, hit, k).await?;
            if let Ok(mut c) = svc.counted.lock() {
                if c.len() >= COUNTED_CAPACITY {
                    c.clear();
                }
                c.insert(hit.id, (hit.tips, reports, provinces.clone()));
            }
            (reports, provinces)
        }
    };
    Ok(Reported {
        reports,
        provinces,
        standing,
    })
}

/// Counts a value's independent reports among its most recent ones and
/// the provinces at least `k` of them name.
async fn count(
    svc: &CheckService,
    hit: &CheckHit,
    k: u32,
) -> Result<(Option<ReportBand>, Vec<String>), CoreError> {
    let sample = svc
        .store
        .check_sample(hit.id, i64::from(svc.settings.check.sample.max(k)))
        .await?;
    let texts: Vec<(i64, &str)> = sample.iter().map(|s| (s.tip.0, s.text.as_str())).collect();
    let groups = vigil_intel::independent_groups(&texts);
    let count = u32::try_from(groups.len()).unwrap_or(u32::MAX);
    let reports = ReportBand::of(count, k);
    let mut by_province: BTreeMap<&str, u32> = BTreeMap::new();
    for group in &groups {
        let mut named: Vec<&str> = group
            .iter()
            .filter_map(|&i| sample[i].province.as_deref())
            .collect();
        named.sort_unstable();
        named.dedup();
        for p in named {
            *by_province.entry(p).or_default() += 1;
        }
    }
    let mut provinces: Vec<(&str, u32)> =
        by_province.into_iter().filter(|(_, n)| *n >= k).collect();
    provinces.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let provinces = if reports.is_some() {
        provinces.into_iter().map(|(p, _)| p.to_string()).collect()
    } else {
        Vec::new()
    };
    Ok((reports, provinces))
}

/// Every known value of one range, by suffix.
pub async fn range(svc: &CheckService, prefix: RangePrefix) -> Result<Vec<RangeEntry>, CoreError> {
    let (from, to) = prefix.keys();
    let hits = svc
        .store
        .check_range(from, to, i64::from(svc.min_reports()))
        .await?;
    let mut out = Vec::new();
    for hit in hits {
        let Some(kind) = Kind::parse(&hit.kind) else {
            continue;
        };
        if !checked_kind(kind) {
            continue;
        }
        let reported = reported(svc, &hit).await?;
        if reported.is_known() {
            out.push(RangeEntry {
                suffix: ValueDigest::of(&hit.value).suffix(),
                kind,
                reported,
            });
        }
    }
    out.sort_by(|a, b| (&a.suffix, a.kind).cmp(&(&b.suffix, b.kind)));
    Ok(out)
}

/// Several ranges at once, for partners: `prefixes` as typed, each read
/// ([`RangePrefix::parse`]) or refused by position.
pub async fn ranges(
    svc: &CheckService,
    p: &Principal,
    prefixes: &[String],
) -> Result<Vec<(RangePrefix, Vec<RangeEntry>)>, CoreError> {
    if !p.role.can(Capability::ReadFeed) {
        return Err(CoreError::Forbidden);
    }
    if prefixes.len() > MAX_PREFIXES {
        return Err(CoreError::InvalidField(
            FieldError::new("prefixes", FieldMessage::TooMany).arg("max", MAX_PREFIXES),
        ));
    }
    let mut parsed = Vec::with_capacity(prefixes.len());
    for (i, text) in prefixes.iter().enumerate() {
        let prefix = RangePrefix::parse(text.trim()).ok_or_else(|| {
            CoreError::InvalidField(
                FieldError::new(format!("prefixes[{i}]"), FieldMessage::NotAChoice)
                    .arg("choices", "00000–fffff"),
            )
        })?;
        parsed.push(prefix);
    }
    parsed.sort_unstable();
    parsed.dedup();
    let mut out = Vec::with_capacity(parsed.len());
    for prefix in parsed {
        out.push((prefix, range(svc, prefix).await?));
    }
    Ok(out)
}

/// Sets (or, with `None`, withdraws) the standing of the value `kind`
/// `value`, audited. Analysts, supervisors and admins only.
pub async fn set_standing(
    svc: &CheckService,
    p: &Principal,
    kind: &str,
    value: &str,
    standing: Option<(Standing, StandingReason)>,
) -> Result<(), CoreError> {
    if !p.role.can(Capability::MarkStanding) {
        return Err(CoreError::Forbidden);
    }
    let hit = svc
        .store
        .check_value(kind, value)
        .await?
        .ok_or(CoreError::NotFound)?;
    let detail = match standing {
        Some((s, r)) => format!("{}:{}", s.name(), r.name()),
        None => "withdrawn".to_string(),
    };
    svc.store
        .set_standing(
            StandingChange {
                id: hit.id,
                standing,
                by: p.id,
                at: time::OffsetDateTime::now_utc(),
            },
            p.audit(
                AuditAction::ObservableStanding,
                format!("observable:{}", hit.id.0),
                detail,
            ),
        )
        .await?;
    Ok(())
}

/// The standing of one stored value, for the staff page.
pub async fn standing_of(
    svc: &CheckService,
    kind: &str,
    value: &str,
) -> Result<Option<PublicStanding>, CoreError> {
    Ok(svc
        .store
        .check_value(kind, value)
        .await?
        .and_then(|h| h.standing)
        .map(|s| PublicStanding {
            standing: s.standing,
            reason: s.reason,
            since: crate::figures::cambodia_date(s.decided_at),
        }))
}

/// Gives digest keys to values stored before they were kept, in batches,
/// until none is left; returns how many it filled.
pub async fn fill_digests(svc: &CheckService) -> Result<u64, CoreError> {
    let mut total = 0;
    loop {
        let n = svc.store.fill_check_digests(5_000).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_links_and_domains() {
        assert_eq!(
            host_of(Kind::Url, "https://user@evil.example:8443/x?y").as_deref(),
            Some("evil.example")
        );
        assert_eq!(
            host_of(Kind::Domain, "aba.com.kh").as_deref(),
            Some("aba.com.kh")
        );
        assert_eq!(host_of(Kind::Phone, "+85512345678"), None);
    }
}
