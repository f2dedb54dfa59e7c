//! The fast path of group commit: a whole batch of tip submissions written with
//! one statement per table instead of several per tip.
//!
//! Duplicate checks run once for the batch, ids are assigned here (the writer
//! holds `BEGIN IMMEDIATE`, so no one else inserts meanwhile), the audit chain
//! is computed in Rust, and the rows go to SQLite as multi-row INSERTs of a
//! few fixed sizes (so their prepared statements are reused). The outcome of every submission is the
//! same as the per-tip path in `writer.rs` would give; when any statement fails
//! the caller rolls this back and falls back to that path.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::EventKind;
use vigil_domain::TipId;
use vigil_domain::audit::{self, AuditEntry, AuditKey, ChainHead};
use vigil_store::{
    ClientRef, ClientRefHit, ReceiptHashes, StoreError, SubmitOutcome, TipSubmission,
};
use vigil_store_sql::spelling::stored;

use crate::rows::{self, map_err, nanos};

/// Rows per INSERT statement, largest first: a batch is cut into chunks of
/// these sizes, so each table needs only a handful of prepared statements.
const CHUNKS: [usize; 4] = [128, 32, 8, 1];

fn split_chunks<T>(mut rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    for size in CHUNKS {
        while rows.len() >= size {
            let (head, rest) = rows.split_at(size);
            out.push(head);
            rows = rest;
        }
    }
    out
}

fn to_json<T: Serialize>(rows: &T) -> Result<String, StoreError> {
    serde_json::to_string(rows).map_err(|e| StoreError::Other(format!("batch encoding: {e}")))
}

/// What already exists for the keys a batch carries.
#[derive(Default)]
struct Existing {
    refs: HashMap<String, i64>,
    client_refs: HashMap<Vec<u8>, (i64, Option<Vec<u8>>)>,
    receipts: HashSet<Vec<u8>>,
}

async fn existing(
    conn: &mut SqliteConnection,
    subs: &[&TipSubmission],
) -> Result<Existing, StoreError> {
    let mut out = Existing::default();
    let refs: Vec<&str> = subs
        .iter()
        .filter_map(|s| s.tip.external_ref.as_deref())
        .collect();
    if !refs.is_empty() {
        let found = sqlx::query(
            "SELECT external_ref, id FROM tips
             WHERE external_ref IN (SELECT value FROM json_each(?1))",
        )
        .bind(to_json(&refs)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        for row in found {
            out.refs.insert(
                row.try_get(0).map_err(map_err)?,
                row.try_get(1).map_err(map_err)?,
            );
        }
    }
    let keys: Vec<String> = subs
        .iter()
        .filter_map(|s| s.client_ref.as_ref().map(|c| hex::encode(&c.key_hash)))
        .collect();
    if !keys.is_empty() {
        let found = sqlx::query(
            "SELECT key_hash, tip_id, receipt_enc FROM client_refs
             WHERE key_hash IN (SELECT unhex(value) FROM json_each(?1))",
        )
        .bind(to_json(&keys)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        for row in found {
            out.client_refs.insert(
                row.try_get(0).map_err(map_err)?,
                (
                    row.try_get(1).map_err(map_err)?,
                    row.try_get(2).map_err(map_err)?,
                ),
            );
        }
    }
    let lookups: Vec<String> = subs
        .iter()
        .filter_map(|s| s.receipt.as_ref().map(|r| hex::encode(&r.lookup_hash)))
        .collect();
    if !lookups.is_empty() {
        let found: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT lookup_hash FROM receipts
             WHERE lookup_hash IN (SELECT unhex(value) FROM json_each(?1))",
        )
        .bind(to_json(&lookups)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        out.receipts.extend(found);
    }
    Ok(out)
}

/// Writes a batch inside the caller's transaction and returns each
/// submission's outcome and the new last audit entry.
pub async fn submit_batch(
    conn: &mut SqliteConnection,
    subs: &[&TipSubmission],
    key: &AuditKey,
    mut prev: Option<ChainHead>,
    now: OffsetDateTime,
) -> Result<(Vec<Result<SubmitOutcome, StoreError>>, Option<ChainHead>), StoreError> {
    let mut seen = existing(conn, subs).await?;
    let mut next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM tips")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;

    let mut created: Vec<(i64, &TipSubmission)> = Vec::with_capacity(subs.len());
    let mut audits = Vec::with_capacity(subs.len());
    let mut outcomes = Vec::with_capacity(subs.len());

    for sub in subs {
        let tip = &sub.tip;
        if let Some(id) = tip.external_ref.as_ref().and_then(|r| seen.refs.get(r)) {
            outcomes.push(Ok(SubmitOutcome::DuplicateRef { tip_id: TipId(*id) }));
            continue;
        }
        if let Some((id, enc)) = sub
            .client_ref
            .as_ref()
            .and_then(|c| seen.client_refs.get(&c.key_hash))
        {
            outcomes.push(Ok(SubmitOutcome::DuplicateClientRef(ClientRefHit {
                tip_id: TipId(*id),
                receipt_enc: enc.clone(),
            })));
            continue;
        }
        if sub
            .receipt
            .as_ref()
            .is_some_and(|r| seen.receipts.contains(&r.lookup_hash))
        {
            outcomes.push(Ok(SubmitOutcome::ReceiptTaken));
            continue;
        }

        next_id += 1;
        let id = next_id;
        if let Some(r) = &tip.external_ref {
            seen.refs.insert(r.clone(), id);
        }
        if let Some(r) = &sub.receipt {
            seen.receipts.insert(r.lookup_hash.clone());
        }
        if let Some(c) = &sub.client_ref {
            seen.client_refs
                .insert(c.key_hash.clone(), (id, Some(c.receipt_enc.clone())));
        }
        created.push((id, *sub));
        let mut entry = sub.audit.clone();
        entry.object = format!("tip:{id}");
        let chained = audit::chain(key, prev.as_ref(), now, entry);
        prev = Some(chained.head());
        audits.push(chained);
        outcomes.push(Ok(SubmitOutcome::Created { tip_id: TipId(id) }));
    }

    if created.is_empty() {
        return Ok((outcomes, prev));
    }
    let now_ns = nanos(now);
    for chunk in split_chunks(&created) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO tips (id, external_ref, channel, category, text, province_code,
                district_code, commune_code, village_code, place, lat, lon, danger, status,
                language, received_at, created_at) ",
        );
        q.push_values(chunk, |mut b, (id, sub)| {
            let tip = &sub.tip;
            let loc = &tip.location;
            b.push_bind(*id)
                .push_bind(tip.external_ref.as_deref())
                .push_bind(tip.channel.as_str())
                .push_bind(tip.category.as_str())
                .push_bind(tip.text.as_str())
                .push_bind(loc.province_code.as_deref())
                .push_bind(loc.district_code.as_deref())
                .push_bind(loc.commune_code.as_deref())
                .push_bind(loc.village_code.as_deref())
                .push_bind(loc.place.as_deref())
                .push_bind(loc.lat)
                .push_bind(loc.lon)
                .push_bind(tip.danger.to_bits())
                .push_bind("received")
                .push_bind(tip.language.as_deref())
                .push_bind(nanos(tip.received_at))
                .push_bind(now_ns);
        });
        q.build().execute(&mut *conn).await.map_err(map_err)?;
    }
    let receipts: Vec<(i64, &ReceiptHashes)> = created
        .iter()
        .filter_map(|(id, sub)| sub.receipt.as_ref().map(|r| (*id, r)))
        .collect();
    for chunk in split_chunks(&receipts) {
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO receipts (lookup_hash, tip_id, secret_hash) ");
        q.push_values(chunk, |mut b, (id, r)| {
            b.push_bind(r.lookup_hash.as_slice())
                .push_bind(*id)
                .push_bind(r.secret_hash.as_str());
        });
        q.build().execute(&mut *conn).await.map_err(map_err)?;
    }
    let client_refs: Vec<(i64, &ClientRef)> = created
        .iter()
        .filter_map(|(id, sub)| sub.client_ref.as_ref().map(|c| (*id, c)))
        .collect();
    for chunk in split_chunks(&client_refs) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO client_refs (key_hash, tip_id, receipt_enc, expires_at) ",
        );
        q.push_values(chunk, |mut b, (id, c)| {
            b.push_bind(c.key_hash.as_slice())
                .push_bind(*id)
                .push_bind(c.receipt_enc.as_slice())
                .push_bind(nanos(c.expires_at));
        });
        q.build().execute(&mut *conn).await.map_err(map_err)?;
    }
    for (id, sub) in &created {
        for a in &sub.attachments {
            rows::insert_attachment(conn, TipId(*id), None, a, now).await?;
        }
    }
    for chunk in split_chunks(&created) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO events (kind, tip_id, created_at) ");
        q.push_values(chunk, |mut b, (id, _)| {
            b.push_bind(stored(EventKind::TipCreated))
                .push_bind(*id)
                .push_bind(now_ns);
        });
        q.build().execute(&mut *conn).await.map_err(map_err)?;
    }
    for chunk in split_chunks(&audits) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail, prev_hash, hash) ",
        );
        q.push_values(chunk, |mut b, e: &AuditEntry| {
            b.push_bind(e.seq)
                .push_bind(e.at_unix_nanos)
                .push_bind(e.entry.actor.as_str())
                .push_bind(stored(e.entry.action))
                .push_bind(e.entry.object.as_str())
                .push_bind(e.entry.detail.as_str())
                .push_bind(e.prev_hash.as_str())
                .push_bind(e.hash.as_str());
        });
        q.build().execute(&mut *conn).await.map_err(map_err)?;
    }
    Ok((outcomes, prev))
}
