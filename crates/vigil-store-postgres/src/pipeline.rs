//! Leases by the database's clock. Events, claims, sightings and cursors
//! are read and written by `vigil_store_sql`.

use sqlx::PgPool;
use vigil_store::StoreError;

use crate::rows::map_err;

/// Takes or renews a lease by the database's clock, shared by every node.
pub async fn try_lease(
    pool: &PgPool,
    name: &str,
    owner: &str,
    ttl: std::time::Duration,
) -> Result<bool, StoreError> {
    let secs = ttl.as_secs_f64();
    let got: Option<String> = sqlx::query_scalar(
        "INSERT INTO leases (name, owner, until)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE leases.owner = excluded.owner OR leases.until < now()
         RETURNING owner",
    )
    .bind(name)
    .bind(owner)
    .bind(secs)
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    Ok(got.is_some())
}
