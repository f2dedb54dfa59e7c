//! Tips as they arrive and are followed up: receipts, retries, status,
//! messages and attachments. Storing a submission itself is the backend's
//! ([`crate::Backend::submit_tip`]): SQLite commits many at once.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{
    AttachmentId, Category, Channel, DangerFlags, EventKind, Location, MessageId, TipId, TipStatus,
};
use vigil_store::{
    AttachmentMeta, AttachmentRow, Author, ClientRefHit, IntakeStore, MessageRow, NewAttachment,
    NewMessage, ReceiptRow, StoreError, SubmitOutcome, TipQuery, TipRow, TipSubmission,
};

use crate::audit;
use crate::backend::Tx;
use crate::store::SqlStore;
use crate::value::{Row, Sql, Value, scalars, sql, tip_ids, tuples};

/// A tip from a `SELECT * FROM tips` row.
pub fn tip_from_row(row: &Row) -> Result<TipRow, StoreError> {
    let category: String = row.get("category")?;
    let channel: String = row.get("channel")?;
    let status: String = row.get("status")?;
    Ok(TipRow {
        id: TipId(row.get("id")?),
        external_ref: row.get("external_ref")?,
        channel: Channel::parse(&channel)
            .ok_or_else(|| StoreError::Other(format!("bad channel {channel}")))?,
        category: Category::parse(&category)
            .ok_or_else(|| StoreError::Other(format!("bad category {category}")))?,
        text: row.get("text")?,
        location: Location {
            province_code: row.get("province_code")?,
            district_code: row.get("district_code")?,
            commune_code: row.get("commune_code")?,
            village_code: row.get("village_code")?,
            place: row.get("place")?,
            lat: row.get("lat")?,
            lon: row.get("lon")?,
        },
        danger: DangerFlags::from_bits(row.get("danger")?),
        status: TipStatus::parse(&status)
            .ok_or_else(|| StoreError::Other(format!("bad status {status}")))?,
        language: row.get("language")?,
        received_at: row.get("received_at")?,
    })
}

fn message_from_row(row: &Row) -> Result<MessageRow, StoreError> {
    let author: String = row.get("author")?;
    Ok(MessageRow {
        id: MessageId(row.get("id")?),
        tip_id: TipId(row.get("tip_id")?),
        author: Author::from_stored(&author),
        body_enc: row.get("body_enc")?,
        created_at: row.get("created_at")?,
    })
}

fn attachment_meta_from_row(row: &Row) -> Result<AttachmentMeta, StoreError> {
    let message_id: Option<i64> = row.get("message_id")?;
    Ok(AttachmentMeta {
        id: AttachmentId(row.get("id")?),
        tip_id: TipId(row.get("tip_id")?),
        message_id: message_id.map(MessageId),
        mime: row.get("mime")?,
        size: row.get("size")?,
        created_at: row.get("created_at")?,
    })
}

/// Inserts an attachment of a tip (or of one of its messages).
pub async fn insert_attachment(
    tx: &mut dyn Tx,
    tip: TipId,
    message: Option<MessageId>,
    a: &NewAttachment,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    tx.execute(
        sql(
            "INSERT INTO attachments (tip_id, message_id, mime, size, data_enc, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tip.0)
        .bind(message.map(|m| m.0))
        .bind(&a.mime)
        .bind(a.size)
        .bind(&a.data_enc)
        .bind(at),
    )
    .await?;
    Ok(())
}

fn tip_filter(q: &TipQuery, args: &mut Vec<Value>) -> String {
    let mut w = String::from(" WHERE 1 = 1");
    if let Some(list) = &q.provinces {
        args.push(Value::Texts(Some(list.clone())));
        w.push_str(&format!(" AND province_code = ANY(${})", args.len()));
    }
    if let Some(s) = q.status {
        args.push(Value::Text(Some(s.as_str().to_string())));
        w.push_str(&format!(" AND status = ${}", args.len()));
    }
    w
}

#[async_trait]
impl IntakeStore for SqlStore {
    async fn submit_tip(&self, sub: TipSubmission) -> Result<SubmitOutcome, StoreError> {
        self.db().submit_tip(sub).await
    }

    async fn find_client_ref(&self, key_hash: &[u8]) -> Result<Option<ClientRefHit>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql("SELECT tip_id, receipt_enc FROM client_refs WHERE key_hash = $1")
                    .bind(key_hash),
            )
            .await?;
        row.map(|r| {
            Ok(ClientRefHit {
                tip_id: TipId(r.get("tip_id")?),
                receipt_enc: r.get("receipt_enc")?,
            })
        })
        .transpose()
    }

    async fn expire_client_refs(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.write_one(
            sql("UPDATE client_refs SET receipt_enc = NULL
                 WHERE receipt_enc IS NOT NULL AND expires_at < $1")
            .bind(now),
        )
        .await
    }

    async fn find_receipt(&self, lookup_hash: &[u8]) -> Result<Option<ReceiptRow>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql("SELECT tip_id, secret_hash FROM receipts WHERE lookup_hash = $1")
                    .bind(lookup_hash),
            )
            .await?;
        row.map(|r| {
            Ok(ReceiptRow {
                tip_id: TipId(r.get("tip_id")?),
                secret_hash: r.get("secret_hash")?,
            })
        })
        .transpose()
    }

    async fn tip(&self, id: TipId) -> Result<TipRow, StoreError> {
        let row = self
            .db()
            .fetch_one(sql("SELECT * FROM tips WHERE id = $1").bind(id.0))
            .await?;
        tip_from_row(&row)
    }

    async fn tips_by_ids(&self, tips: &[TipId]) -> Result<Vec<TipRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(sql("SELECT * FROM tips WHERE id = ANY($1) ORDER BY id").bind(tip_ids(tips)))
            .await?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn tips_after(&self, after: TipId, limit: i64) -> Result<Vec<TipRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT * FROM tips WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(after.0)
                    .bind(limit),
            )
            .await?;
        rows.iter().map(tip_from_row).collect()
    }

    async fn attachment_counts(&self, tips: &[TipId]) -> Result<Vec<(TipId, i64)>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT tip_id, COUNT(*) FROM attachments
                     WHERE tip_id = ANY($1) GROUP BY tip_id ORDER BY tip_id")
                .bind(tip_ids(tips)),
            )
            .await?;
        Ok(tuples::<(i64, i64)>(rows)?
            .into_iter()
            .map(|(t, n)| (TipId(t), n))
            .collect())
    }

    async fn existing_refs(&self, refs: &[String]) -> Result<Vec<String>, StoreError> {
        // Byte order on both, whatever the database's collation.
        let rows = self
            .db()
            .fetch_all(
                sql(self.dialect().pick(
                    "SELECT external_ref FROM tips WHERE external_ref = ANY($1)
                     ORDER BY external_ref",
                    "SELECT external_ref FROM tips WHERE external_ref = ANY($1)
                     ORDER BY external_ref COLLATE \"C\"",
                ))
                .bind(refs),
            )
            .await?;
        scalars(rows)
    }

    async fn count_tips(&self) -> Result<i64, StoreError> {
        self.db()
            .fetch_one(sql("SELECT COUNT(*) FROM tips"))
            .await?
            .get(0)
    }

    async fn set_status(
        &self,
        id: TipId,
        status: TipStatus,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let done = tx
            .execute(
                sql("UPDATE tips SET status = $1 WHERE id = $2")
                    .bind(status.as_str())
                    .bind(id.0),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        audit::event(&mut *tx, EventKind::TipStatus, id, now).await?;
        audit::append(&mut *tx, now, audit).await?;
        tx.commit().await
    }

    async fn add_message(&self, msg: NewMessage) -> Result<MessageId, StoreError> {
        let mut tx = self.db().begin().await?;
        let exists = tx
            .fetch_optional(sql("SELECT id FROM tips WHERE id = $1").bind(msg.tip_id.0))
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let now = OffsetDateTime::now_utc();
        let id: i64 = tx
            .fetch_one(
                sql("INSERT INTO messages (tip_id, author, body_enc, created_at)
                     VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(msg.tip_id.0)
                .bind(msg.author.to_stored())
                .bind(&msg.body_enc)
                .bind(now),
            )
            .await?
            .get(0)?;
        for a in &msg.attachments {
            insert_attachment(&mut *tx, msg.tip_id, Some(MessageId(id)), a, now).await?;
        }
        audit::event(&mut *tx, EventKind::MessageCreated, msg.tip_id, now).await?;
        let mut audit = msg.audit;
        audit.object = format!("tip:{}/message:{id}", msg.tip_id);
        audit::append(&mut *tx, now, audit).await?;
        tx.commit().await?;
        Ok(MessageId(id))
    }

    async fn messages(&self, tip: TipId) -> Result<Vec<MessageRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT id, tip_id, author, body_enc, created_at FROM messages
                     WHERE tip_id = $1 ORDER BY id",
                )
                .bind(tip.0),
            )
            .await?;
        rows.iter().map(message_from_row).collect()
    }

    async fn attachments(&self, tip: TipId) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT id, tip_id, message_id, mime, size, created_at FROM attachments
                     WHERE tip_id = $1 ORDER BY id",
                )
                .bind(tip.0),
            )
            .await?;
        rows.iter().map(attachment_meta_from_row).collect()
    }

    async fn attachment(&self, id: AttachmentId) -> Result<AttachmentRow, StoreError> {
        let row = self
            .db()
            .fetch_one(sql("SELECT * FROM attachments WHERE id = $1").bind(id.0))
            .await?;
        Ok(AttachmentRow {
            meta: attachment_meta_from_row(&row)?,
            data_enc: row.get("data_enc")?,
        })
    }

    async fn list_tips(&self, q: &TipQuery) -> Result<(Vec<TipRow>, i64), StoreError> {
        let mut args = Vec::new();
        let filter = tip_filter(q, &mut args);
        let count = Sql {
            text: format!("SELECT COUNT(*) FROM tips{filter}").into(),
            args: args.clone(),
        };
        let total: i64 = self.db().fetch_one(count).await?.get(0)?;
        args.push(Value::I64(Some(q.limit.max(0))));
        args.push(Value::I64(Some(q.offset.max(0))));
        let n = args.len();
        let list = Sql {
            text: format!(
                "SELECT * FROM tips{filter} ORDER BY danger DESC, received_at DESC, id DESC
                 LIMIT ${} OFFSET ${n}",
                n - 1
            )
            .into(),
            args,
        };
        let found = self.db().fetch_all(list).await?;
        let tips = found.iter().map(tip_from_row).collect::<Result<_, _>>()?;
        Ok((tips, total))
    }
}

/// Stores one submission in `tx`: checks, in the same order on every backend,
/// the import reference, then the idempotency key, then the receipt (and
/// writes nothing when one is taken); else inserts the tip, its receipt,
/// retry record and attachments, then the outbox event and the audit entry.
/// The caller commits (or, for a refusal, rolls back).
pub async fn store_submission(
    tx: &mut dyn Tx,
    sub: &TipSubmission,
    now: OffsetDateTime,
) -> Result<SubmitOutcome, StoreError> {
    let tip = &sub.tip;
    if let Some(r) = &tip.external_ref
        && let Some(row) = tx
            .fetch_optional(sql("SELECT id FROM tips WHERE external_ref = $1").bind(r))
            .await?
    {
        return Ok(SubmitOutcome::DuplicateRef {
            tip_id: TipId(row.get(0)?),
        });
    }
    if let Some(c) = &sub.client_ref
        && let Some(row) = tx
            .fetch_optional(
                sql("SELECT tip_id, receipt_enc FROM client_refs WHERE key_hash = $1")
                    .bind(&c.key_hash),
            )
            .await?
    {
        return Ok(SubmitOutcome::DuplicateClientRef(ClientRefHit {
            tip_id: TipId(row.get(0)?),
            receipt_enc: row.get(1)?,
        }));
    }
    if let Some(r) = &sub.receipt {
        let taken = tx
            .fetch_optional(
                sql("SELECT tip_id FROM receipts WHERE lookup_hash = $1").bind(&r.lookup_hash),
            )
            .await?;
        if taken.is_some() {
            return Ok(SubmitOutcome::ReceiptTaken);
        }
    }
    let loc = &tip.location;
    let id: i64 = tx
        .fetch_one(
            sql(
                "INSERT INTO tips (external_ref, channel, category, text, province_code,
                    district_code, commune_code, village_code, place, lat, lon, danger, status,
                    language, received_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13,
                    $14, $15)
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
            .bind(now),
        )
        .await?
        .get(0)?;
    let tip_id = TipId(id);
    if let Some(r) = &sub.receipt {
        tx.execute(
            sql("INSERT INTO receipts (lookup_hash, tip_id, secret_hash) VALUES ($1, $2, $3)")
                .bind(&r.lookup_hash)
                .bind(id)
                .bind(&r.secret_hash),
        )
        .await?;
    }
    if let Some(c) = &sub.client_ref {
        tx.execute(
            sql(
                "INSERT INTO client_refs (key_hash, tip_id, receipt_enc, expires_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&c.key_hash)
            .bind(id)
            .bind(&c.receipt_enc)
            .bind(c.expires_at),
        )
        .await?;
    }
    for a in &sub.attachments {
        insert_attachment(tx, tip_id, None, a, now).await?;
    }
    audit::event(tx, EventKind::TipCreated, tip_id, now).await?;
    let mut entry = sub.audit.clone();
    entry.object = format!("tip:{id}");
    audit::append(tx, now, entry).await?;
    Ok(SubmitOutcome::Created { tip_id })
}
