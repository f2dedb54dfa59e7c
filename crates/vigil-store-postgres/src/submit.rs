//! Tip submission: the checks and inserts of `vigil_store_sql::store_submission`
//! in one transaction. Nodes race freely on the checks; a unique violation
//! means another writer committed the same reference, key or receipt first,
//! so the submission is run again and the checks then name the right outcome.

use std::sync::Arc;

use sqlx::PgPool;
use time::OffsetDateTime;
use vigil_domain::audit::AuditKey;
use vigil_store::{StoreError, SubmitOutcome, TipSubmission};
use vigil_store_sql::{Tx, store_submission};

use crate::dialect::PgTx;

/// How often a submission that lost a race is run again. One retry always
/// suffices (the winner has committed by the time the loser sees the
/// violation); the rest is margin.
const ATTEMPTS: usize = 4;

/// Stores a submission, or says why nothing was stored.
pub async fn submit(
    pool: &PgPool,
    key: &Arc<AuditKey>,
    sub: &TipSubmission,
) -> Result<SubmitOutcome, StoreError> {
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        match try_submit(pool, key, sub).await {
            Err(StoreError::Conflict(msg)) => {
                tracing::debug!(attempt, error = %msg, "tip submission lost a race; checking again");
                last = msg;
            }
            other => return other,
        }
    }
    Err(StoreError::Conflict(last))
}

async fn try_submit(
    pool: &PgPool,
    key: &Arc<AuditKey>,
    sub: &TipSubmission,
) -> Result<SubmitOutcome, StoreError> {
    let mut tx = PgTx::begin(pool, key).await?;
    let outcome = store_submission(&mut tx, sub, OffsetDateTime::now_utc()).await?;
    if matches!(outcome, SubmitOutcome::Created { .. }) {
        Box::new(tx).commit().await?;
    }
    // A refusal wrote nothing; dropping the transaction rolls it back.
    Ok(outcome)
}
