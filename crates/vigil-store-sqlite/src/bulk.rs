//! The fast path of group commit: a whole batch of tip submissions written with
//! one statement per table instead of several per tip.
//!
//! Duplicate checks run once for the batch, ids are assigned here (the writer
//! holds `BEGIN IMMEDIATE`, so no one else inserts meanwhile), the audit chain
//! is computed in Rust, and the rows travel to SQLite as one JSON array per
//! table, expanded with `jsonb_each`. The outcome of every submission is the
//! same as the per-tip path in `writer.rs` would give; when any statement fails
//! the caller rolls this back and falls back to that path.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
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
    FROM jsonb_each(?1)";

const INSERT_RECEIPTS: &str = "INSERT INTO receipts (lookup_hash, tip_id, secret_hash)
    SELECT unhex(value ->> 'lh'), value ->> 'id', value ->> 'sh' FROM jsonb_each(?1)";

const INSERT_CLIENT_REFS: &str =
    "INSERT INTO client_refs (key_hash, tip_id, receipt_enc, expires_at)
    SELECT unhex(value ->> 'kh'), value ->> 'id', unhex(value ->> 're'), value ->> 'ex'
    FROM jsonb_each(?1)";

const INSERT_EVENTS: &str = "INSERT INTO events (kind, tip_id, created_at)
    SELECT 'tip.created', value, ?2 FROM jsonb_each(?1)";

const INSERT_AUDIT: &str = "INSERT INTO audit (seq, at_unix_nanos, actor, action, object, detail,
        prev_hash, hash)
    SELECT value ->> 'seq', value ->> 'at', value ->> 'actor', value ->> 'action',
        value ->> 'object', value ->> 'detail', value ->> 'prev', value ->> 'hash'
    FROM jsonb_each(?1)";

/// A tips row as it travels in the batch's JSON.
#[derive(Serialize)]
struct TipJson<'a> {
    id: i64,
    #[serde(rename = "ref")]
    external_ref: Option<&'a str>,
    ch: &'static str,
    cat: &'static str,
    text: &'a str,
    pr: Option<&'a str>,
    di: Option<&'a str>,
    co: Option<&'a str>,
    vi: Option<&'a str>,
    pl: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    dg: i64,
    lang: Option<&'a str>,
    rx: i64,
}

#[derive(Serialize)]
struct ReceiptJson<'a> {
    lh: String,
    id: i64,
    sh: &'a str,
}

#[derive(Serialize)]
struct ClientRefJson {
    kh: String,
    id: i64,
    re: String,
    ex: i64,
}

#[derive(Serialize)]
struct AuditJson {
    seq: i64,
    at: i64,
    actor: String,
    action: String,
    object: String,
    detail: String,
    prev: String,
    hash: String,
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
        tips.push(TipJson {
            id,
            external_ref: tip.external_ref.as_deref(),
            ch: tip.channel.as_str(),
            cat: tip.category.as_str(),
            text: &tip.text,
            pr: loc.province_code.as_deref(),
            di: loc.district_code.as_deref(),
            co: loc.commune_code.as_deref(),
            vi: loc.village_code.as_deref(),
            pl: loc.place.as_deref(),
            lat: loc.lat,
            lon: loc.lon,
            dg: tip.danger.to_bits(),
            lang: tip.language.as_deref(),
            rx: nanos(tip.received_at),
        });
        if let Some(r) = &tip.external_ref {
            seen.refs.insert(r.clone(), id);
        }
        if let Some(r) = &sub.receipt {
            receipts.push(ReceiptJson {
                lh: hex::encode(&r.lookup_hash),
                id,
                sh: &r.secret_hash,
            });
            seen.receipts.insert(r.lookup_hash.clone());
        }
        if let Some(c) = &sub.client_ref {
            client_refs.push(ClientRefJson {
                kh: hex::encode(&c.key_hash),
                id,
                re: hex::encode(&c.receipt_enc),
                ex: nanos(c.expires_at),
            });
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
        audits.push(AuditJson {
            seq: chained.seq,
            at: chained.at_unix_nanos,
            actor: chained.entry.actor.clone(),
            action: chained.entry.action.clone(),
            object: chained.entry.object.clone(),
            detail: chained.entry.detail.clone(),
            prev: chained.prev_hash.clone(),
            hash: chained.hash.clone(),
        });
        prev = Some(chained);
        outcomes.push(Ok(SubmitOutcome::Created { tip_id: TipId(id) }));
    }

    if created.is_empty() {
        return Ok((outcomes, prev));
    }
    let now_ns = nanos(now);
    sqlx::query(INSERT_TIPS)
        .bind(to_json(&tips)?)
        .bind(now_ns)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    if !receipts.is_empty() {
        sqlx::query(INSERT_RECEIPTS)
            .bind(to_json(&receipts)?)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
    }
    if !client_refs.is_empty() {
        sqlx::query(INSERT_CLIENT_REFS)
            .bind(to_json(&client_refs)?)
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
        .bind(to_json(&created)?)
        .bind(now_ns)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    sqlx::query(INSERT_AUDIT)
        .bind(to_json(&audits)?)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok((outcomes, prev))
}
