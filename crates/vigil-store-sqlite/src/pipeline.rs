//! Leases by this machine's clock. Events, claims, sightings and cursors
//! are read and written by `vigil_store_sql`.

use time::OffsetDateTime;
use vigil_store::StoreError;
use vigil_store_sql::{Backend, sql};

/// Takes or renews a lease by this machine's clock (one machine writes an
/// SQLite database).
pub async fn try_lease(
    b: &dyn Backend,
    name: &str,
    owner: &str,
    ttl: std::time::Duration,
) -> Result<bool, StoreError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = b.begin().await?;
    let got = tx
        .fetch_optional(
            sql("INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
                 WHERE leases.owner = excluded.owner OR leases.until < $4
                 RETURNING owner")
            .bind(name)
            .bind(owner)
            .bind(now + ttl)
            .bind(now),
        )
        .await?;
    tx.commit().await?;
    Ok(got.is_some())
}
