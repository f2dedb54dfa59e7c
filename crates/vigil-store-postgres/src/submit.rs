//! Tip submission: check, insert, then append the event and the audit entry
//! under the audit lock, all in one transaction. Nodes race freely on the
//! checks; a unique violation means another writer committed the same
//! reference, key or receipt first, so the submission is run again and the
//! checks then name the right outcome.

use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use vigil_domain::TipId;
use vigil_store::{ClientRefHit, StoreError, SubmitOutcome, TipSubmission};

use crate::rows::{self, map_err};

/// How often a submission that lost a race is run again. One retry always
/// suffices (the winner has committed by the time the loser sees the
/// violation); the rest is margin.
const ATTEMPTS: usize = 4;

/// Stores a submission, or says why nothing was stored.
pub async fn submit(pool: &PgPool, sub: &TipSubmission) -> Result<SubmitOutcome, StoreError> {
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        match try_submit(pool, sub).await {
            Err(StoreError::Conflict(msg)) => {
                tracing::debug!(attempt, error = %msg, "tip submission lost a race; checking again");
                last = msg;
            }
            other => return other,
        }
    }
    Err(StoreError::Conflict(last))
}

async fn try_submit(pool: &PgPool, sub: &TipSubmission) -> Result<SubmitOutcome, StoreError> {
    let mut tx = crate::begin(pool).await?;
    if let Some(outcome) = refusal(&mut tx, sub).await? {
        // Nothing was written; dropping the transaction rolls it back.
        return Ok(outcome);
    }
    let now = OffsetDateTime::now_utc();
    let tip_id = insert_tip(&mut tx, sub, now).await?;
    rows::lock_audit(&mut tx).await?;
    rows::insert_event(&mut tx, "tip.created", tip_id, now).await?;
    let mut audit = sub.audit.clone();
    audit.object = format!("tip:{tip_id}");
    rows::append_audit(&mut tx, now, audit).await?;
    tx.commit().await.map_err(map_err)?;
    Ok(SubmitOutcome::Created { tip_id })
}

/// Why this submission must store nothing, checked in the same order as every
/// backend: import reference, then idempotency key, then receipt.
async fn refusal(
    conn: &mut PgConnection,
    sub: &TipSubmission,
) -> Result<Option<SubmitOutcome>, StoreError> {
    if let Some(r) = &sub.tip.external_ref {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM tips WHERE external_ref = $1")
                .bind(r)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
        if let Some(id) = existing {
            return Ok(Some(SubmitOutcome::DuplicateRef { tip_id: TipId(id) }));
        }
    }
    if let Some(c) = &sub.client_ref {
        let existing: Option<(i64, Option<Vec<u8>>)> =
            sqlx::query_as("SELECT tip_id, receipt_enc FROM client_refs WHERE key_hash = $1")
                .bind(&c.key_hash)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
        if let Some((id, receipt_enc)) = existing {
            return Ok(Some(SubmitOutcome::DuplicateClientRef(ClientRefHit {
                tip_id: TipId(id),
                receipt_enc,
            })));
        }
    }
    if let Some(r) = &sub.receipt {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT tip_id FROM receipts WHERE lookup_hash = $1")
                .bind(&r.lookup_hash)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
        if taken.is_some() {
            return Ok(Some(SubmitOutcome::ReceiptTaken));
        }
    }
    Ok(None)
}

/// Inserts the tip, its receipt, retry record and attachments. A unique
/// violation here (another writer got there first) comes back as `Conflict`.
async fn insert_tip(
    conn: &mut PgConnection,
    sub: &TipSubmission,
    now: OffsetDateTime,
) -> Result<TipId, StoreError> {
    let tip = &sub.tip;
    let loc = &tip.location;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tips (external_ref, channel, category, text, province_code, district_code,
            commune_code, village_code, place, lat, lon, danger, status, language, received_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $14, $15)
         RETURNING id",
    )
    .bind(&tip.external_ref)
    .bind(tip.channel.as_str())
    .bind(tip.category.as_str())
    .bind(&tip.text)
    .bind(&loc.province_code)
    .bind(&loc.district_code)
    .bind(&loc.commune_code)
    .bind(&loc.village_code)
    .bind(&loc.place)
    .bind(loc.lat)
    .bind(loc.lon)
    .bind(tip.danger.to_bits())
    .bind(&tip.language)
    .bind(tip.received_at)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_err)?;
    let tip_id = TipId(id);
    if let Some(r) = &sub.receipt {
        sqlx::query("INSERT INTO receipts (lookup_hash, tip_id, secret_hash) VALUES ($1, $2, $3)")
            .bind(&r.lookup_hash)
            .bind(id)
            .bind(&r.secret_hash)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
    }
    if let Some(c) = &sub.client_ref {
        sqlx::query(
            "INSERT INTO client_refs (key_hash, tip_id, receipt_enc, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&c.key_hash)
        .bind(id)
        .bind(&c.receipt_enc)
        .bind(c.expires_at)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    for a in &sub.attachments {
        rows::insert_attachment(conn, tip_id, None, a, now).await?;
    }
    Ok(tip_id)
}
