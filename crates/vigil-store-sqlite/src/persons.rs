//! Persons met, their records, linkage reviews and figures (migration 0014).
//! Every write goes through the single writer connection with its chained
//! audit entry in the same transaction.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    NewPersonRecord, PersonCandidate, PersonFigures, PersonLink, PersonRecordRow, PersonReviewRow,
    PersonsStore, RecordRef, StoreError,
};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos};

const RECORD_COLUMNS: &str = "id, person_id, operation_id, province_code, role, nationality,
     language, sex, minor, indicators, imminent_danger, consent, likely_victim, referred,
     referral_reason, identity, victim_ack_by, victim_ack_at, victim_ack_note, created_by,
     created_at";

const REVIEW_COLUMNS: &str =
    "id, record_a, record_b, score, reasons, status, decided_by, decided_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn record_from_row(r: &SqliteRow) -> Result<PersonRecordRow, StoreError> {
    let indicators: String = get(r, 9)?;
    let ack_by: Option<i64> = get(r, 16)?;
    let ack_at: Option<i64> = get(r, 17)?;
    let ack_note: Option<String> = get(r, 18)?;
    let victim_ack = match (ack_by, ack_at) {
        (Some(by), Some(at)) => Some((StaffId(by), from_nanos(at)?, ack_note.unwrap_or_default())),
        _ => None,
    };
    Ok(PersonRecordRow {
        id: get(r, 0)?,
        person_id: get(r, 1)?,
        operation_id: get(r, 2)?,
        record: NewPersonRecord {
            province_code: get(r, 3)?,
            role: get(r, 4)?,
            nationality: get(r, 5)?,
            language: get(r, 6)?,
            sex: get(r, 7)?,
            minor: get(r, 8)?,
            indicators: serde_json::from_str(&indicators).map_err(other)?,
            imminent_danger: get(r, 10)?,
            consent: get(r, 11)?,
            likely_victim: get(r, 12)?,
            referred: get(r, 13)?,
            referral_reason: get(r, 14)?,
            identity: get(r, 15)?,
            keys: Vec::new(),
            link: PersonLink::Person(get(r, 1)?),
            reviews: Vec::new(),
            created_by: StaffId(get(r, 19)?),
            created_at: from_nanos(get(r, 20)?)?,
        },
        victim_ack,
    })
}

fn review_from_row(r: &SqliteRow) -> Result<PersonReviewRow, StoreError> {
    let by: Option<i64> = get(r, 6)?;
    let at: Option<i64> = get(r, 7)?;
    Ok(PersonReviewRow {
        id: get(r, 0)?,
        record_a: get(r, 1)?,
        record_b: get(r, 2)?,
        score: get(r, 3)?,
        reasons_json: get(r, 4)?,
        status: get(r, 5)?,
        decided: match (by, at) {
            (Some(by), Some(at)) => Some((StaffId(by), from_nanos(at)?)),
            _ => None,
        },
    })
}

async fn audit(tx: &mut SqliteConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    let prev = rows::last_audit(tx).await?;
    rows::insert_audit(tx, prev.as_ref(), OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

/// The person `id` stands for now, following merges.
async fn resolve(tx: &mut SqliteConnection, id: i64) -> Result<i64, StoreError> {
    let mut id = id;
    // A merge chain is short; the bound guards against a corrupted cycle.
    for _ in 0..64 {
        let next: Option<i64> = sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        match next {
            Some(n) => id = n,
            None => return Ok(id),
        }
    }
    Err(StoreError::Other(format!(
        "person {id}: merge chain too long"
    )))
}

async fn insert_one(
    tx: &mut SqliteConnection,
    operation: Option<i64>,
    r: &NewPersonRecord,
    person: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO person_records (person_id, operation_id, province_code, role, nationality,
             language, sex, minor, indicators, imminent_danger, consent, likely_victim, referred,
             referral_reason, identity, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(person)
    .bind(operation)
    .bind(&r.province_code)
    .bind(&r.role)
    .bind(&r.nationality)
    .bind(&r.language)
    .bind(&r.sex)
    .bind(r.minor)
    .bind(serde_json::to_string(&r.indicators).map_err(other)?)
    .bind(r.imminent_danger)
    .bind(&r.consent)
    .bind(r.likely_victim)
    .bind(r.referred)
    .bind(&r.referral_reason)
    .bind(&r.identity)
    .bind(r.created_by.0)
    .bind(nanos(r.created_at))
    .fetch_one(&mut *tx)
    .await
    .map_err(map_err)?;
    for k in &r.keys {
        sqlx::query("INSERT OR IGNORE INTO person_keys (key, record_id) VALUES (?, ?)")
            .bind(k)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
    }
    Ok(id)
}

fn batch_index(i: usize, len: usize) -> Result<usize, StoreError> {
    if i < len {
        Ok(i)
    } else {
        Err(StoreError::Other(format!(
            "record refers to batch record {i}, not an earlier one"
        )))
    }
}

#[async_trait]
impl PersonsStore for SqliteStore {
    async fn insert_person_records(
        &self,
        operation: Option<i64>,
        records: &[NewPersonRecord],
        mut entry: NewAuditEntry,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(op) = operation {
            sqlx::query("SELECT 1 FROM operations WHERE id = ?")
                .bind(op)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        }
        let now = nanos(OffsetDateTime::now_utc());
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(records.len());
        for r in records {
            let person = match r.link {
                PersonLink::New => {
                    sqlx::query_scalar("INSERT INTO persons (created_at) VALUES (?) RETURNING id")
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?
                }
                PersonLink::Person(p) => resolve(&mut tx, p).await?,
                PersonLink::SameAs(i) => out[batch_index(i, out.len())?].1,
            };
            let id = insert_one(&mut tx, operation, r, person).await?;
            for rv in &r.reviews {
                let other = match rv.other {
                    RecordRef::Stored(o) => o,
                    RecordRef::Batch(i) => out[batch_index(i, out.len())?].0,
                };
                sqlx::query(
                    "INSERT INTO person_reviews (record_a, record_b, score, reasons, created_at)
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(other.min(id))
                .bind(other.max(id))
                .bind(rv.score)
                .bind(&rv.reasons_json)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            out.push((id, person));
        }
        if entry.object.is_empty() {
            entry.object = match operation {
                Some(op) => format!("operation:{op}"),
                None => String::new(),
            };
        }
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
    }

    async fn person_candidates(
        &self,
        keys: &[Vec<u8>],
        limit: i64,
    ) -> Result<Vec<PersonCandidate>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; keys.len()].join(", ");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r.id, r.person_id, r.province_code, r.identity, r.sex, r.nationality
             FROM person_records r
             WHERE r.id IN (SELECT record_id FROM person_keys WHERE key IN ({marks}))
             ORDER BY r.id DESC LIMIT ?"
        )));
        for k in keys {
            q = q.bind(k);
        }
        let rows = q.bind(limit).fetch_all(&self.read).await.map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(PersonCandidate {
                    record_id: get(r, 0)?,
                    person_id: get(r, 1)?,
                    province_code: get(r, 2)?,
                    identity: get(r, 3)?,
                    sex: get(r, 4)?,
                    nationality: get(r, 5)?,
                })
            })
            .collect()
    }

    async fn resolve_person(&self, id: i64) -> Result<i64, StoreError> {
        let mut c = self.read.acquire().await.map_err(map_err)?;
        resolve(&mut c, id).await
    }

    async fn person_record(&self, id: i64) -> Result<PersonRecordRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        record_from_row(&r)
    }

    async fn person_records(&self, person: i64) -> Result<Vec<PersonRecordRow>, StoreError> {
        let mut c = self.read.acquire().await.map_err(map_err)?;
        let person = resolve(&mut c, person).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE person_id = ? ORDER BY id"
        )))
        .bind(person)
        .fetch_all(&mut *c)
        .await
        .map_err(map_err)?;
        rows.iter().map(record_from_row).collect()
    }

    async fn operation_person_records(
        &self,
        operation: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE operation_id = ? ORDER BY id"
        )))
        .bind(operation)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(record_from_row).collect()
    }

    async fn acknowledge_victim(
        &self,
        record: i64,
        by: StaffId,
        note: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT likely_victim, victim_ack_at FROM person_records WHERE id = ?")
                .bind(record)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        let (likely, acked): (bool, Option<i64>) = (get(&row, 0)?, get(&row, 1)?);
        if !likely {
            return Err(StoreError::Conflict(format!(
                "record {record} is not flagged as a likely victim"
            )));
        }
        if acked.is_some() {
            return Err(StoreError::Conflict(format!(
                "record {record}: the flag was already acknowledged"
            )));
        }
        sqlx::query(
            "UPDATE person_records SET victim_ack_by = ?, victim_ack_at = ?, victim_ack_note = ?
             WHERE id = ?",
        )
        .bind(by.0)
        .bind(nanos(OffsetDateTime::now_utc()))
        .bind(note)
        .bind(record)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("person_record:{record}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn person_reviews(
        &self,
        status: &str,
        provinces: Option<&[String]>,
    ) -> Result<Vec<PersonReviewRow>, StoreError> {
        let list = provinces
            .map(serde_json::to_string)
            .transpose()
            .map_err(other)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REVIEW_COLUMNS} FROM person_reviews v
             WHERE status = ?1 AND (?2 IS NULL OR (
                 (SELECT province_code FROM person_records WHERE id = v.record_a)
                     IN (SELECT value FROM json_each(?2))
                 AND (SELECT province_code FROM person_records WHERE id = v.record_b)
                     IN (SELECT value FROM json_each(?2))))
             ORDER BY id DESC"
        )))
        .bind(status)
        .bind(list)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(review_from_row).collect()
    }

    async fn person_review(&self, id: i64) -> Result<PersonReviewRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REVIEW_COLUMNS} FROM person_reviews WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        review_from_row(&r)
    }

    async fn decide_person_review(
        &self,
        id: i64,
        same: bool,
        by: StaffId,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let r = sqlx::query(
            "SELECT v.status, a.person_id, b.person_id FROM person_reviews v
             JOIN person_records a ON a.id = v.record_a
             JOIN person_records b ON b.id = v.record_b WHERE v.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let (status, pa, pb): (String, i64, i64) = (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?);
        if status != "pending" {
            return Err(StoreError::Conflict(format!(
                "review {id} was already decided: {status}"
            )));
        }
        let (keep, gone) = (pa.min(pb), pa.max(pb));
        if same && keep != gone {
            sqlx::query("UPDATE person_records SET person_id = ? WHERE person_id = ?")
                .bind(keep)
                .bind(gone)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query("UPDATE persons SET merged_into = ? WHERE id = ? OR merged_into = ?")
                .bind(keep)
                .bind(gone)
                .bind(gone)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query(
            "UPDATE person_reviews SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        )
        .bind(if same { "same" } else { "different" })
        .bind(by.0)
        .bind(nanos(OffsetDateTime::now_utc()))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("person_review:{id}");
        if same {
            entry.detail = format!("person:{gone} merged into person:{keep}");
        }
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(if same { keep } else { pa })
    }

    async fn person_figures(
        &self,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        provinces: Option<&[String]>,
    ) -> Result<PersonFigures, StoreError> {
        let list = provinces
            .map(serde_json::to_string)
            .transpose()
            .map_err(other)?;
        const FILTER: &str = "(?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)
             AND (?3 IS NULL OR province_code IN (SELECT value FROM json_each(?3)))";
        let mut c = self.read.acquire().await.map_err(map_err)?;
        let mut tx = sqlx::Connection::begin(&mut *c).await.map_err(map_err)?;
        let totals = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT person_id),
                    COUNT(DISTINCT CASE WHEN likely_victim THEN person_id END),
                    COUNT(DISTINCT CASE WHEN referred THEN person_id END)
             FROM person_records WHERE {FILTER}"
        )))
        .bind(from.map(nanos))
        .bind(to.map(nanos))
        .bind(&list)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let groups = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT 'r', role, COUNT(DISTINCT person_id) FROM person_records WHERE {FILTER}
             GROUP BY role
             UNION ALL
             SELECT 'n', nationality, COUNT(DISTINCT person_id) FROM person_records
             WHERE {FILTER} GROUP BY nationality"
        )))
        .bind(from.map(nanos))
        .bind(to.map(nanos))
        .bind(&list)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let (mut by_role, mut by_nationality) = (BTreeMap::new(), BTreeMap::new());
        for g in &groups {
            let (kind, value, n): (String, String, i64) = (get(g, 0)?, get(g, 1)?, get(g, 2)?);
            if kind == "r" {
                by_role.insert(value, count(n));
            } else {
                by_nationality.insert(value, count(n));
            }
        }
        Ok(PersonFigures {
            persons_met: count(get(&totals, 0)?),
            by_role,
            by_nationality,
            victims_identified: count(get(&totals, 1)?),
            victims_referred: count(get(&totals, 2)?),
        })
    }
}
