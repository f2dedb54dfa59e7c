//! The campaign's counts (see `vigil_store::figures`): one grouped query per
//! metric on the read pool. Times are Unix nanoseconds; a month is taken in
//! Cambodia time (UTC+7, no daylight saving).

use async_trait::async_trait;
use sqlx::Row;
use vigil_store::{FigureCount, FigureScope, FiguresStore, Metric, StoreError};

use crate::SqliteStore;
use crate::rows::{map_err, nanos};

/// `(metric, FROM-and-WHERE clause, time column, province column, key column)`.
/// `?1`/`?2` bound the period, `?3` is the province list as JSON (or NULL).
const QUERIES: [(Metric, &str, &str, &str, &str); 5] = [
    (
        Metric::Tips,
        "tips t WHERE 1",
        "t.received_at",
        "t.province_code",
        "''",
    ),
    (
        Metric::Facilities,
        "facilities f WHERE 1",
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
        "networks n JOIN operations o ON o.id = n.dismantled_by_operation WHERE 1",
        "COALESCE(o.happened_at, o.created_at)",
        "o.province_code",
        "''",
    ),
    (
        Metric::DevicesSeized,
        "seized_items s JOIN operations o ON o.id = s.operation_id
         JOIN custody_entries c ON c.item_id = s.id AND c.step = 1 WHERE 1",
        "c.at",
        "o.province_code",
        "s.kind",
    ),
];

#[async_trait]
impl FiguresStore for SqliteStore {
    async fn figure_counts(&self, scope: &FigureScope) -> Result<Vec<FigureCount>, StoreError> {
        let provinces = scope
            .provinces
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let mut out = Vec::new();
        for (metric, from_where, at, province, key) in QUERIES {
            let sql = format!(
                "SELECT {key} AS k, {province} AS p,
                        strftime('%Y-%m', {at} / 1000000000 + 25200, 'unixepoch') AS m,
                        COUNT(*) AS n
                 FROM {from_where}
                   AND (?1 IS NULL OR {at} >= ?1) AND (?2 IS NULL OR {at} < ?2)
                   AND (?3 IS NULL OR {province} IN (SELECT value FROM json_each(?3)))
                 GROUP BY k, p, m"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(scope.from.map(nanos))
                .bind(scope.to.map(nanos))
                .bind(provinces.as_deref())
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
            for r in rows {
                let n: i64 = r.try_get("n").map_err(map_err)?;
                out.push(FigureCount {
                    metric,
                    key: r.try_get("k").map_err(map_err)?,
                    province: r.try_get("p").map_err(map_err)?,
                    month: r.try_get("m").map_err(map_err)?,
                    count: u64::try_from(n).unwrap_or(0),
                });
            }
        }
        Ok(out)
    }
}
