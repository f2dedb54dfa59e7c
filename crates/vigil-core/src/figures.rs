//! The campaign's figures: the totals a minister announces, and for staff the
//! same counts broken down by province and month within their jurisdiction.
//!
//! A period is given as dates in Cambodia time (UTC+7), both ends included;
//! the store counts each kind of record on the date its doc in
//! `vigil_store::Metric` names. Staff see their jurisdiction only; the public
//! page and `vigil stats` see the national totals.

use crate::field::FieldMessage;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use vigil_store::{FigureScope, Metric};

use crate::CoreError;
use crate::staff::Principal;
use vigil_store::DynStore;

/// The campaign's figures, for supervisors and the public. Cheap to clone.
#[derive(Clone)]
pub struct FiguresService {
    pub(crate) store: DynStore,
    /// The public page's national totals and when they were counted; one
    /// count at a time (the lock), reused while fresh.
    public: Arc<tokio::sync::Mutex<Option<Counted>>>,
    /// How long counted public totals are shown before counting again.
    public_fresh_for: std::time::Duration,
}

/// National totals and when they were counted.
type Counted = (Instant, Arc<Figures>);

/// How long the public page reuses its national totals: a whole national
/// count is one heavy query, and the public page is open to anyone.
pub const PUBLIC_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl FiguresService {
    /// The slice over its parts.
    pub fn new(store: DynStore) -> Self {
        FiguresService::with_public_fresh_for(store, PUBLIC_FRESH_FOR)
    }

    /// The slice with public totals reused for `fresh_for` (zero: always
    /// counted again).
    pub fn with_public_fresh_for(store: DynStore, fresh_for: std::time::Duration) -> Self {
        FiguresService {
            store,
            public: Arc::new(tokio::sync::Mutex::new(None)),
            public_fresh_for: fresh_for,
        }
    }
}

/// Device kinds always shown, even at zero.
pub const HEADLINE_DEVICES: [&str; 2] = ["computer", "smartphone"];

/// Cambodia's offset from UTC (no daylight saving).
fn cambodia() -> UtcOffset {
    vigil_domain::clock::CAMBODIA
}

/// The date in Cambodia of an instant.
pub fn cambodia_date(at: OffsetDateTime) -> Date {
    at.to_offset(cambodia()).date()
}

/// Dates in Cambodia time, both included; an open end when `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    /// First day counted.
    pub from: Option<Date>,
    /// Last day counted.
    pub to: Option<Date>,
}

impl Period {
    /// Reads `YYYY-MM-DD` ends (empty for open), naming the bad field.
    pub fn parse(from: &str, to: &str) -> Result<Period, CoreError> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = |field: &str, text: &str| -> Result<Option<Date>, CoreError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            Date::parse(text, &format)
                .map(Some)
                .map_err(|_| crate::error::invalid(field, (FieldMessage::NotADate, "value", text)))
        };
        let period = Period {
            from: date("from", from)?,
            to: date("to", to)?,
        };
        if let (Some(f), Some(t)) = (period.from, period.to)
            && t < f
        {
            return Err(crate::error::invalid("to", FieldMessage::EndsBeforeStart));
        }
        Ok(period)
    }

    fn start(day: Date) -> OffsetDateTime {
        PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(cambodia())
    }

    /// The period as instants `[from, to)`, open ends as far as the store's
    /// clock reaches.
    fn bounds(&self) -> (OffsetDateTime, OffsetDateTime) {
        let scope = self.scope(None);
        let end = Date::from_calendar_date(2200, time::Month::January, 1)
            .map(Period::start)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        (
            scope.from.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            scope.to.unwrap_or(end),
        )
    }

    fn scope(&self, provinces: Option<Vec<String>>) -> FigureScope {
        FigureScope {
            from: self.from.map(Period::start),
            to: self.to.map(|d| Period::start(d) + Duration::days(1)),
            provinces,
        }
    }
}

/// Counts of one place or month: metric name (device kinds as
/// `devices_seized.computer`) to count.
pub type Row = BTreeMap<String, u64>;

/// The figures of a period within a set of provinces (all when `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The period counted.
    pub period: Period,
    /// The provinces counted, `None` for the whole country.
    pub provinces: Option<Vec<String>>,
    /// When they were counted (figures are as of that moment).
    pub counted_at: Option<time::OffsetDateTime>,
    /// Tips received.
    pub tips: u64,
    /// Suspected facilities first reported in the period.
    pub facilities: u64,
    /// Locations raided (done operations).
    pub locations_raided: u64,
    /// Networks dismantled.
    pub networks_dismantled: u64,
    /// Devices seized by kind; `computer` and `smartphone` always present.
    pub devices_seized: BTreeMap<String, u64>,
    /// Rewards awarded to reporters whose tips led to a result.
    pub rewards_awarded: u64,
    /// Rewards claimed.
    pub rewards_claimed: u64,
    /// Recruiters arrested (domestic and foreign).
    pub recruiters_arrested: u64,
    /// Of whom Cambodian.
    pub recruiters_arrested_domestic: u64,
    /// Of whom foreign.
    pub recruiters_arrested_foreign: u64,
    /// Recruiters arrested by province code.
    pub recruiters_arrested_by_province: BTreeMap<String, u64>,
    /// Recruiters arrested by the operation's commune code (`""`: the
    /// operation named no commune).
    pub recruiters_arrested_by_commune: BTreeMap<String, u64>,
    /// Distinct persons met.
    pub persons_met: u64,
    /// Persons met by the role they were recorded in.
    pub persons_by_role: BTreeMap<String, u64>,
    /// Persons met by nationality.
    pub persons_by_nationality: BTreeMap<String, u64>,
    /// Persons identified as likely victims.
    pub victims_identified: u64,
    /// Of whom referred.
    pub victims_referred: u64,
    /// Foreigners deported.
    pub deportations: u64,
    /// Foreigners who left voluntarily.
    pub voluntary_departures: u64,
    /// Detentions begun.
    pub detentions: u64,
    /// Deportation orders issued.
    pub deportation_orders: u64,
    /// Departures by nationality: (deported, voluntary).
    pub departures_by_nationality: BTreeMap<String, (u64, u64)>,
    /// Case files opened in the period.
    pub cases: u64,
    /// Of which named cases.
    pub named_cases: u64,
    /// Distinct persons charged in those cases.
    pub defendants_prosecuted: u64,
    /// Distinct persons convicted in those cases.
    pub defendants_convicted: u64,
    /// The same counts by province code (records without one under `""`).
    pub by_province: BTreeMap<String, Row>,
    /// The same counts by month (`YYYY-MM`, Cambodia time).
    pub by_month: BTreeMap<String, Row>,
}

fn row_key(metric: Metric, key: &str) -> String {
    if key.is_empty() {
        metric.name().to_string()
    } else {
        format!("{}.{key}", metric.name())
    }
}

/// Counts `period` within `provinces` (the whole country when `None`).
async fn count(
    v: &FiguresService,
    period: Period,
    provinces: Option<Vec<String>>,
) -> Result<Figures, CoreError> {
    let scope = period.scope(provinces.clone());
    let within = provinces.as_deref();
    let first = period.from.unwrap_or_else(|| {
        Date::from_calendar_date(1970, time::Month::January, 1).unwrap_or(Date::MIN)
    });
    let last = period.to.unwrap_or_else(|| {
        Date::from_calendar_date(2199, time::Month::December, 31).unwrap_or(Date::MAX)
    });
    let (from, to) = period.bounds();
    // The reads are independent: they run at once on the read pool.
    let (counts, persons, immigration, cases, by_commune) = futures::try_join!(
        v.store.figure_counts(&scope),
        v.store.person_figures(scope.from, scope.to, within),
        v.store.immigration_figures(first, last, within),
        v.store.case_figures(from, to, within),
        v.store.recruiter_arrests_by_commune(&scope),
    )?;
    let mut f = Figures {
        period,
        provinces,
        counted_at: Some(time::OffsetDateTime::now_utc()),
        persons_met: persons.persons_met,
        persons_by_role: persons.by_role,
        persons_by_nationality: persons.by_nationality,
        victims_identified: persons.victims_identified,
        victims_referred: persons.victims_referred,
        deportations: immigration.deportations,
        voluntary_departures: immigration.voluntary_departures,
        detentions: immigration.detentions,
        deportation_orders: immigration.orders,
        departures_by_nationality: immigration.by_nationality,
        cases: count_of(cases.cases),
        named_cases: count_of(cases.named_cases),
        defendants_prosecuted: count_of(cases.defendants_prosecuted),
        defendants_convicted: count_of(cases.defendants_convicted),
        recruiters_arrested_by_commune: by_commune,
        ..Figures::default()
    };
    for kind in HEADLINE_DEVICES {
        f.devices_seized.insert(kind.to_string(), 0);
    }
    for c in counts {
        match c.metric {
            Metric::Tips => f.tips += c.count,
            Metric::Facilities => f.facilities += c.count,
            Metric::LocationsRaided => f.locations_raided += c.count,
            Metric::NetworksDismantled => f.networks_dismantled += c.count,
            Metric::DevicesSeized => *f.devices_seized.entry(c.key.clone()).or_default() += c.count,
            Metric::RewardsAwarded => f.rewards_awarded += c.count,
            Metric::RewardsClaimed => f.rewards_claimed += c.count,
            Metric::RecruitersArrested => {
                f.recruiters_arrested += c.count;
                if c.key == "foreign" {
                    f.recruiters_arrested_foreign += c.count;
                } else {
                    f.recruiters_arrested_domestic += c.count;
                }
                *f.recruiters_arrested_by_province
                    .entry(c.province.clone().unwrap_or_default())
                    .or_default() += c.count;
            }
        }
        let key = row_key(c.metric, &c.key);
        let province = c.province.unwrap_or_default();
        *f.by_province
            .entry(province)
            .or_default()
            .entry(key.clone())
            .or_default() += c.count;
        *f.by_month
            .entry(c.month)
            .or_default()
            .entry(key)
            .or_default() += c.count;
    }
    Ok(f)
}

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The national figures of a period: for the public page and `vigil stats`.
/// Callers show only the totals to the public.
pub async fn national(v: &FiguresService, period: Period) -> Result<Figures, CoreError> {
    count(v, period, None).await
}

/// The national totals of the default period for the public page: counted at
/// most once per [`PUBLIC_FRESH_FOR`] however many people look, and by one
/// request at a time (others wait for it and share its answer), so the page
/// cannot be used to load the database.
pub async fn public_national(v: &FiguresService) -> Result<Arc<Figures>, CoreError> {
    let mut cached = v.public.lock().await;
    if let Some((at, f)) = cached.as_ref()
        && at.elapsed() < v.public_fresh_for
    {
        return Ok(Arc::clone(f));
    }
    let f = Arc::new(national(v, Period::default()).await?);
    *cached = Some((Instant::now(), Arc::clone(&f)));
    Ok(f)
}

/// The figures a member of staff may see: their jurisdiction, or one
/// province of it when `province` is given (outside it: `NotFound`).
pub async fn for_staff(
    v: &FiguresService,
    p: &Principal,
    period: Period,
    province: Option<&str>,
) -> Result<Figures, CoreError> {
    let provinces = match (province, p.jurisdiction.provinces()) {
        (Some(code), _) if !p.jurisdiction.covers(Some(code)) => {
            return Err(CoreError::NotFound);
        }
        (Some(code), _) => Some(vec![code.to_string()]),
        (None, list) => list.map(<[String]>::to_vec),
    };
    count(v, period, provinces).await
}
