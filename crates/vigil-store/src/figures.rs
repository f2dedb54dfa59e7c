//! The campaign's figures as the store counts them: how many of each thing,
//! by province and by month (Cambodia time, UTC+7), so that one query per
//! kind of record serves the national totals, the breakdowns and the charts.
//! The counting rules (which row counts, on which date) are written here once
//! and implemented the same way by both backends.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::StoreError;

/// Which records a count covers: a half-open period `[from, to)` and, when
/// given, only these provinces (records without a province are then left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureScope {
    /// Counted from this instant on.
    pub from: Option<OffsetDateTime>,
    /// Counted before this instant.
    pub to: Option<OffsetDateTime>,
    /// Only these gazetteer province codes; all when `None`.
    pub provinces: Option<Vec<String>>,
}

/// What a count is of. Each is dated and placed as its doc says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Tips, by when they were received and the province the reporter chose.
    Tips,
    /// Suspected facilities, by their first tip and their province.
    Facilities,
    /// Done operations (one location raided each), by when they happened and
    /// their province.
    LocationsRaided,
    /// Networks dismantled, by when and where the dismantling operation
    /// happened.
    NetworksDismantled,
    /// Seized items, keyed by kind, by their seizure entry's time and their
    /// operation's province.
    DevicesSeized,
    /// Rewards awarded, by when they were awarded and their tip's province.
    RewardsAwarded,
    /// Rewards claimed, by when they were claimed and their tip's province.
    RewardsClaimed,
    /// Recruiters arrested, keyed `domestic` or `foreign` by the nationality
    /// recorded, by the arrest's time and the operation's province.
    RecruitersArrested,
}

impl Metric {
    /// Its name in `vigil stats` and the CSV.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Tips => "tips",
            Metric::Facilities => "facilities",
            Metric::LocationsRaided => "locations_raided",
            Metric::NetworksDismantled => "networks_dismantled",
            Metric::DevicesSeized => "devices_seized",
            Metric::RewardsAwarded => "rewards_awarded",
            Metric::RewardsClaimed => "rewards_claimed",
            Metric::RecruitersArrested => "recruiters_arrested",
        }
    }

    /// Every metric, in display order.
    pub const ALL: [Metric; 8] = [
        Metric::Tips,
        Metric::Facilities,
        Metric::LocationsRaided,
        Metric::NetworksDismantled,
        Metric::DevicesSeized,
        Metric::RewardsAwarded,
        Metric::RewardsClaimed,
        Metric::RecruitersArrested,
    ];
}

/// One cell of the counts: a metric (with a key such as a device kind, empty
/// when the metric has none) in one province and month.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FigureCount {
    /// What is counted.
    pub metric: Metric,
    /// A sub-kind (`computer`, `smartphone`…) or empty.
    pub key: String,
    /// Province code, `None` for records without one.
    pub province: Option<String>,
    /// `YYYY-MM` in Cambodia time ([`month_of_day`]).
    pub month: String,
    /// How many.
    pub count: u64,
}

/// The month (`YYYY-MM`) of a day counted from the Unix epoch in Cambodia
/// time: backends group by this day number, which costs an integer division
/// per row where formatting a date per row costs far more.
pub fn month_of_day(day: i64) -> String {
    let date = time::Date::from_julian_day(2_440_588 + i32::try_from(day).unwrap_or(0))
        .unwrap_or(time::Date::MIN);
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// Adds up the cells that fall in the same metric, key, province and month
/// (backends count by day), sorted.
pub fn merge_counts(mut cells: Vec<FigureCount>) -> Vec<FigureCount> {
    cells.sort_by(|a, b| {
        (a.metric, &a.key, &a.province, &a.month).cmp(&(b.metric, &b.key, &b.province, &b.month))
    });
    let mut out: Vec<FigureCount> = Vec::with_capacity(cells.len());
    for c in cells {
        match out.last_mut() {
            Some(last)
                if last.metric == c.metric
                    && last.key == c.key
                    && last.province == c.province
                    && last.month == c.month =>
            {
                last.count += c.count;
            }
            _ => out.push(c),
        }
    }
    out
}

/// The campaign's counts. A supertrait of [`crate::Store`].
#[async_trait]
pub trait FiguresStore: Send + Sync {
    /// Every metric of [`Metric::ALL`] counted in `scope`, grouped by key,
    /// province and month; cells with no records are left out.
    async fn figure_counts(&self, scope: &FigureScope) -> Result<Vec<FigureCount>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_name_their_month_and_equal_cells_add_up() {
        assert_eq!(month_of_day(0), "1970-01");
        // 2026-01-31 is day 20,484; 2026-02-01 day 20,485.
        assert_eq!(month_of_day(20_484), "2026-01");
        assert_eq!(month_of_day(20_485), "2026-02");
        let cell = |day: i64, n: u64| FigureCount {
            metric: Metric::Tips,
            key: String::new(),
            province: Some("18".into()),
            month: month_of_day(day),
            count: n,
        };
        let merged = merge_counts(vec![cell(20_485, 2), cell(20_484, 1), cell(20_486, 3)]);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].month.as_str(), merged[0].count), ("2026-01", 1));
        assert_eq!((merged[1].month.as_str(), merged[1].count), ("2026-02", 5));
    }
}
