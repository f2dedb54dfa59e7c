//! Rewards (migration 0021): one per tip, claimed once. An award is one
//! insert (a second one for the tip is refused by the primary key); a
//! claim is one conditional update (only while unclaimed), so two claims of
//! one code at once leave one claim. Each appends its audit entry, about the
//! tip, as its last step (on PostgreSQL under the advisory lock).

use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{StaffId, TipId};
use vigil_store::{NewReward, RewardRow, StoreError};

use crate::spelling::{from_stored, stored};
use crate::store::SqlStore;
use crate::value::{Row, sql};

const COLUMNS: &str = "tip_id, reason, code_sealed, awarded_by, awarded_at, claimed_by, claimed_at";

fn reward_from_row(r: &Row) -> Result<RewardRow, StoreError> {
    Ok(RewardRow {
        tip_id: TipId(r.get("tip_id")?),
        reason: from_stored(&r.get::<String>("reason")?)?,
        code_sealed: r.get("code_sealed")?,
        awarded_by: StaffId(r.get("awarded_by")?),
        awarded_at: r.get("awarded_at")?,
        claimed_by: r.get::<Option<i64>>("claimed_by")?.map(StaffId),
        claimed_at: r.get("claimed_at")?,
    })
}

#[async_trait::async_trait]
impl vigil_store::RewardsStore for SqlStore {
    async fn award_reward(
        &self,
        reward: &NewReward,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql(
                "INSERT INTO rewards (tip_id, reason, code_sealed, code_hash, awarded_by, awarded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(reward.tip_id.0)
            .bind(stored(reward.reason))
            .bind(&reward.code_sealed)
            .bind(&reward.code_hash)
            .bind(reward.awarded_by.0)
            .bind(reward.awarded_at),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("tip {} already has a reward", reward.tip_id))
            }
            e => e,
        })?;
        entry.object = format!("tip:{}", reward.tip_id);
        crate::audit::record(&mut *tx, entry).await?;
        tx.commit().await
    }

    async fn reward_of(&self, tip: TipId) -> Result<Option<RewardRow>, StoreError> {
        self.db()
            .fetch_optional(
                sql(format!("SELECT {COLUMNS} FROM rewards WHERE tip_id = $1")).bind(tip.0),
            )
            .await?
            .as_ref()
            .map(reward_from_row)
            .transpose()
    }

    async fn reward_by_code(&self, code_hash: &[u8]) -> Result<Option<RewardRow>, StoreError> {
        self.db()
            .fetch_optional(
                sql(format!(
                    "SELECT {COLUMNS} FROM rewards WHERE code_hash = $1"
                ))
                .bind(code_hash),
            )
            .await?
            .as_ref()
            .map(reward_from_row)
            .transpose()
    }

    async fn claim_reward(
        &self,
        code_hash: &[u8],
        by: StaffId,
        at: OffsetDateTime,
        mut entry: NewAuditEntry,
    ) -> Result<RewardRow, StoreError> {
        let mut tx = self.db().begin().await?;
        let claimed = tx
            .fetch_optional(
                sql(format!(
                    "UPDATE rewards SET claimed_by = $2, claimed_at = $3
                     WHERE code_hash = $1 AND claimed_at IS NULL
                     RETURNING {COLUMNS}"
                ))
                .bind(code_hash)
                .bind(by.0)
                .bind(at),
            )
            .await?;
        let Some(row) = claimed else {
            // Nothing unclaimed under this code: unknown, or claimed before.
            let known = tx
                .fetch_optional(sql("SELECT 1 FROM rewards WHERE code_hash = $1").bind(code_hash))
                .await?;
            return Err(match known {
                Some(_) => StoreError::Conflict("the reward was already claimed".into()),
                None => StoreError::NotFound,
            });
        };
        let reward = reward_from_row(&row)?;
        entry.object = format!("tip:{}", reward.tip_id);
        crate::audit::record(&mut *tx, entry).await?;
        tx.commit().await?;
        Ok(reward)
    }
}
