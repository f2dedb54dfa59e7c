//! The fast path of group commit: a whole batch of tip submissions written with
//! one statement per table instead of several per tip.
//!
//! Duplicate checks run once for the batch, ids are assigned here (the writer
//! holds `BEGIN IMMEDIATE`, so no one else inserts meanwhile), the audit chain
//! is computed in Rust, and the rows travel to SQLite as one JSON array per
//! table, expanded with `json_each`. The outcome of every submission is the
//! same as the per-tip path in `writer.rs` would give; when any statement fails
//! the caller rolls this back and falls back to that path.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::TipId;
use vigil_domain::audit::{self, AuditEntry};
use vigil_store::{ClientRefHit, StoreError, SubmitOutcome, TipSubmission};

use crate::rows::{self, map_err, nanos};

const INSERT_TIPS: &str = "INSERT INTO tips (id, external_ref, channel, category, text,
        province_code, district_code, commune_code, village_code, place, lat, lon, danger,
        status, language, received_at, created_at)
    SELECT value ->> 'id', value ->> 'ref', value ->> 'ch', value ->> 'cat', value ->> 'text',
        value ->> 'pr', value ->> 'di', value ->> 'co', value ->> 'vi', value ->> 'pl',
        value ->> 'lat', value ->> 'lon', value ->> 'dg', 'received', value ->> 'lang',
        value ->> 'rx', ?2
    FROM json_each(?1)";

const INSERT_RECEIPTS: &str = "INSERT INTO receipts (lookup_hash, tip_id, secret_hash)
    SELECT unhex(value ->> 'lh'), value ->> 'id', value ->> 'sh' FROM json_each(?1)";

const INSERT_CLIENT_REFS: &str =
    "INSERT INTO client_refs (key_hash, tip_id, receipt_enc, expires_at)
    SELECT unhex(value ->> 'kh'), value ->> 'id', unhex(value ->> 're'), value ->> 'ex'
    FROM json_each(?1)";

const INSERT_EVENTS: &str = "INSERT INTO events (kind, tip_id, created_at)
    SELECT 'tip.created', value, ?2 FROM json_each(?1)";

const INSERT_AUDIT: &str = "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail,
        prev_hash, hash)
    SELECT value ->> 'seq', value ->> 'at', value ->> 'actor', value ->> 'action',
        value ->> 'object', value ->> 'detail', value ->> 'prev', value ->> 'hash'
    FROM json_each(?1)";

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
        .bind(json!(refs).to_string())
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
        .bind(json!(keys).to_string())
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
        .bind(json!(lookups).to_string())
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
    mut prev: Option<AuditEntry>,
    now: OffsetDateTime,
) -> Result<(Vec<Result<SubmitOutcome, StoreError>>, Option<AuditEntry>), StoreError> {
    let mut seen = existing(conn, subs).await?;
    let mut next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM tips")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;

    let mut tips = Vec::with_capacity(subs.len());
    let mut receipts = Vec::with_capacity(subs.len());
    let mut client_refs = Vec::new();
    let mut created = Vec::with_capacity(subs.len());
    let mut audits = Vec::with_capacity(subs.len());
    let mut with_photos = Vec::new();
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
        let loc = &tip.location;
        tips.push(json!({
            "id": id,
            "ref": tip.external_ref,
            "ch": tip.channel.as_str(),
            "cat": tip.category.as_str(),
            "text": tip.text,
            "pr": loc.province_code,
            "di": loc.district_code,
            "co": loc.commune_code,
            "vi": loc.village_code,
            "pl": loc.place,
            "lat": loc.lat,
            "lon": loc.lon,
            "dg": tip.danger.to_bits(),
            "lang": tip.language,
            "rx": nanos(tip.received_at),
        }));
        if let Some(r) = &tip.external_ref {
            seen.refs.insert(r.clone(), id);
        }
        if let Some(r) = &sub.receipt {
            receipts.push(json!({
                "lh": hex::encode(&r.lookup_hash),
                "id": id,
                "sh": r.secret_hash,
            }));
            seen.receipts.insert(r.lookup_hash.clone());
        }
        if let Some(c) = &sub.client_ref {
            client_refs.push(json!({
                "kh": hex::encode(&c.key_hash),
                "id": id,
                "re": hex::encode(&c.receipt_enc),
                "ex": nanos(c.expires_at),
            }));
            seen.client_refs
                .insert(c.key_hash.clone(), (id, Some(c.receipt_enc.clone())));
        }
        if !sub.attachments.is_empty() {
            with_photos.push((id, *sub));
        }
        created.push(id);
        let mut entry = sub.audit.clone();
        entry.object = format!("tip:{id}");
        let chained = audit::chain(prev.as_ref(), now, entry);
        audits.push(json!({
            "seq": chained.seq,
            "at": chained.at_unix_nanos,
            "actor": chained.entry.actor,
            "action": chained.entry.action,
            "object": chained.entry.object,
            "detail": chained.entry.detail,
            "prev": chained.prev_hash,
            "hash": chained.hash,
        }));
        prev = Some(chained);
        outcomes.push(Ok(SubmitOutcome::Created { tip_id: TipId(id) }));
    }

    if created.is_empty() {
        return Ok((outcomes, prev));
    }
    let now_ns = nanos(now);
    sqlx::query(INSERT_TIPS)
        .bind(Value::Array(tips).to_string())
        .bind(now_ns)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    if !receipts.is_empty() {
        sqlx::query(INSERT_RECEIPTS)
            .bind(Value::Array(receipts).to_string())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
    }
    if !client_refs.is_empty() {
        sqlx::query(INSERT_CLIENT_REFS)
            .bind(Value::Array(client_refs).to_string())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
    }
    for (id, sub) in with_photos {
        for a in &sub.attachments {
            rows::insert_attachment(conn, TipId(id), None, a, now).await?;
        }
    }
    sqlx::query(INSERT_EVENTS)
        .bind(json!(created).to_string())
        .bind(now_ns)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    sqlx::query(INSERT_AUDIT)
        .bind(Value::Array(audits).to_string())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok((outcomes, prev))
}
