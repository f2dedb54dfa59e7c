//! The campaign's counts (see `vigil_store::figures`): one grouped query per
//! metric, by day in Cambodia time (UTC+7, no daylight saving); days become
//! months here, which costs far less than formatting a date per row.

use vigil_store::{
    FigureCount, FigureScope, FiguresStore, Metric, StoreError, merge_counts, month_of_day,
};

use crate::store::SqlStore;
use crate::value::sql;

/// `(metric, FROM-and-WHERE clause, time column, province column, key column)`.
/// `$1`/`$2` bound the period, `$3` is the province list (or NULL).
const QUERIES: [(Metric, &str, &str, &str, &str); 8] = [
    (
        Metric::Tips,
        "tips t WHERE TRUE",
        "t.received_at",
        "t.province_code",
        "''",
    ),
    (
        Metric::Facilities,
        "facilities f WHERE TRUE",
        "f.first_at",
        "f.province_code",
        "''",
    ),
    (
        Metric::LocationsRaided,
        "operations o WHERE o.status = 'done'",
        "COALESCE(o.happened_at, o.created_at)",
        "o.province_code",
        "''",
    ),
    (
        Metric::NetworksDismantled,
        "networks n JOIN operations o ON o.id = n.dismantled_by_operation WHERE TRUE",
        "COALESCE(o.happened_at, o.created_at)",
        "o.province_code",
        "''",
    ),
    (
        Metric::DevicesSeized,
        "custody_entries c JOIN seized_items s ON s.id = c.item_id
         JOIN operations o ON o.id = s.operation_id WHERE c.step = 1",
        "c.at",
        "o.province_code",
        "s.kind",
    ),
    (
        Metric::RewardsAwarded,
        "rewards r JOIN tips t ON t.id = r.tip_id WHERE TRUE",
        "r.awarded_at",
        "t.province_code",
        "''",
    ),
    (
        Metric::RewardsClaimed,
        "rewards r JOIN tips t ON t.id = r.tip_id WHERE r.claimed_at IS NOT NULL",
        "r.claimed_at",
        "t.province_code",
        "''",
    ),
    (
        Metric::RecruitersArrested,
        "recruiter_arrests a WHERE TRUE",
        "a.arrested_at",
        "a.province_code",
        "CASE WHEN a.foreign_national THEN 'foreign' ELSE 'domestic' END",
    ),
];

/// The day number of the instant column `at` in Cambodia time. SQLite keeps
/// instants as Unix nanoseconds: an integer division per row.
pub(crate) fn day_of(dialect: crate::backend::Dialect, at: &str) -> String {
    dialect
        .pick(
            "({at} / 1000000000 + 25200) / 86400",
            "floor((extract(epoch FROM {at}) + 25200) / 86400)::BIGINT",
        )
        .replace("{at}", at)
}

#[async_trait::async_trait]
impl FiguresStore for SqlStore {
    async fn figure_counts(&self, scope: &FigureScope) -> Result<Vec<FigureCount>, StoreError> {
        let dialect = self.dialect();
        // The metrics are independent: their queries run at once.
        let queries = QUERIES.map(|(metric, from_where, at, province, key)| async move {
            // Grouped by day in time order first, so an index in time order
            // streams.
            let day = day_of(dialect, at);
            let text = format!(
                "SELECT {day} AS d, {key} AS k, {province} AS p, COUNT(*) AS n
                 FROM {from_where}
                   AND ($1::TIMESTAMPTZ IS NULL OR {at} >= $1)
                   AND ($2::TIMESTAMPTZ IS NULL OR {at} < $2)
                   AND ($3::TEXT[] IS NULL OR {province} = ANY($3))
                 GROUP BY d, k, p"
            );
            let rows = self
                .db()
                .fetch_all(
                    sql(text)
                        .bind(scope.from)
                        .bind(scope.to)
                        .bind(scope.provinces.clone()),
                )
                .await?;
            let mut cells = Vec::with_capacity(rows.len());
            for r in rows {
                let n: i64 = r.get("n")?;
                cells.push(FigureCount {
                    metric,
                    key: r.get("k")?,
                    province: r.get("p")?,
                    month: month_of_day(r.get("d")?),
                    count: u64::try_from(n).unwrap_or(0),
                });
            }
            Ok::<_, StoreError>(cells)
        });
        let parts = futures::future::try_join_all(queries).await?;
        Ok(merge_counts(parts.into_iter().flatten().collect()))
    }
}
