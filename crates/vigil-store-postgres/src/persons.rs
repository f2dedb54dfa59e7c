//! Persons met, their records, linkage reviews and figures (migration 0014).
//! Every write appends its audit entry under the advisory lock as its last
//! step; deciding a review and acknowledging a flag lock their row first, so
//! of two concurrent decisions the second sees the first.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    NewPersonRecord, PersonCandidate, PersonFigures, PersonLink, PersonRecordRow, PersonReviewRow,
    PersonsStore, RecordRef, StoreError,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

const RECORD_COLUMNS: &str = "id, person_id, operation_id, province_code, role, nationality,
     language, sex, minor, indicators, imminent_danger, consent, likely_victim, referred,
     referral_reason, identity, victim_ack_by, victim_ack_at, victim_ack_note, created_by,
     created_at";

const REVIEW_COLUMNS: &str =
    "id, record_a, record_b, score, reasons, status, decided_by, decided_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn record_from_row(r: &PgRow) -> Result<PersonRecordRow, StoreError> {
    let indicators: String = get(r, 9)?;
    let ack_by: Option<i64> = get(r, 16)?;
    let ack_at: Option<OffsetDateTime> = get(r, 17)?;
    let ack_note: Option<String> = get(r, 18)?;
    let victim_ack = match (ack_by, ack_at) {
        (Some(by), Some(at)) => Some((StaffId(by), at, ack_note.unwrap_or_default())),
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
            created_at: get(r, 20)?,
        },
        victim_ack,
    })
}

fn review_from_row(r: &PgRow) -> Result<PersonReviewRow, StoreError> {
    let by: Option<i64> = get(r, 6)?;
    let at: Option<OffsetDateTime> = get(r, 7)?;
    Ok(PersonReviewRow {
        id: get(r, 0)?,
        record_a: get(r, 1)?,
        record_b: get(r, 2)?,
        score: get(r, 3)?,
        reasons_json: get(r, 4)?,
        status: get(r, 5)?,
        decided: match (by, at) {
            (Some(by), Some(at)) => Some((StaffId(by), at)),
            _ => None,
        },
    })
}

async fn audit(tx: &mut PgConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    rows::lock_audit(tx).await?;
    rows::append_audit(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

/// The person `id` stands for now, following merges.
async fn resolve(tx: &mut PgConnection, id: i64) -> Result<i64, StoreError> {
    let mut id = id;
    // A merge chain is short; the bound guards against a corrupted cycle.
    for _ in 0..64 {
        let next: Option<i64> = sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = $1")
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
    tx: &mut PgConnection,
    operation: Option<i64>,
    r: &NewPersonRecord,
    person: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO person_records (person_id, operation_id, province_code, role, nationality,
             language, sex, minor, indicators, imminent_danger, consent, likely_victim, referred,
             referral_reason, identity, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
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
    .bind(r.created_at)
    .fetch_one(&mut *tx)
    .await
    .map_err(map_err)?;
    for k in &r.keys {
        sqlx::query(
            "INSERT INTO person_keys (key, record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
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
impl PersonsStore for PgStore {
    async fn insert_person_records(
        &self,
        operation: Option<i64>,
        records: &[NewPersonRecord],
        mut entry: NewAuditEntry,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut tx = begin(&self.pool).await?;
        if let Some(op) = operation {
            sqlx::query("SELECT 1 FROM operations WHERE id = $1")
                .bind(op)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
        }
        let now = OffsetDateTime::now_utc();
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(records.len());
        for r in records {
            let person = match r.link {
                PersonLink::New => {
                    sqlx::query_scalar("INSERT INTO persons (created_at) VALUES ($1) RETURNING id")
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
                     VALUES ($1, $2, $3, $4, $5)",
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
        let rows = sqlx::query(
            "SELECT r.id, r.person_id, r.province_code, r.identity, r.sex, r.nationality
             FROM person_records r
             WHERE r.id IN (SELECT record_id FROM person_keys WHERE key = ANY($1))
             ORDER BY r.id DESC LIMIT $2",
        )
        .bind(keys)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
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
        let mut c = self.pool.acquire().await.map_err(map_err)?;
        resolve(&mut c, id).await
    }

    async fn person_record(&self, id: i64) -> Result<PersonRecordRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        record_from_row(&r)
    }

    async fn person_records(&self, person: i64) -> Result<Vec<PersonRecordRow>, StoreError> {
        let mut c = self.pool.acquire().await.map_err(map_err)?;
        let person = resolve(&mut c, person).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE person_id = $1 ORDER BY id"
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
            "SELECT {RECORD_COLUMNS} FROM person_records WHERE operation_id = $1 ORDER BY id"
        )))
        .bind(operation)
        .fetch_all(&self.pool)
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
        let mut tx = begin(&self.pool).await?;
        let row = sqlx::query(
            "SELECT likely_victim, victim_ack_at FROM person_records WHERE id = $1 FOR UPDATE",
        )
        .bind(record)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let (likely, acked): (bool, Option<OffsetDateTime>) = (get(&row, 0)?, get(&row, 1)?);
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
            "UPDATE person_records SET victim_ack_by = $1, victim_ack_at = $2, victim_ack_note = $3
             WHERE id = $4",
        )
        .bind(by.0)
        .bind(OffsetDateTime::now_utc())
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
        let list: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REVIEW_COLUMNS} FROM person_reviews v
             WHERE status = $1 AND ($2::TEXT[] IS NULL OR (
                 (SELECT province_code FROM person_records WHERE id = v.record_a) = ANY($2)
                 AND (SELECT province_code FROM person_records WHERE id = v.record_b) = ANY($2)))
             ORDER BY id DESC"
        )))
        .bind(status)
        .bind(list)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(review_from_row).collect()
    }

    async fn person_review(&self, id: i64) -> Result<PersonReviewRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REVIEW_COLUMNS} FROM person_reviews WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
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
        let mut tx = begin(&self.pool).await?;
        let r = sqlx::query(
            "SELECT v.status, a.person_id, b.person_id FROM person_reviews v
             JOIN person_records a ON a.id = v.record_a
             JOIN person_records b ON b.id = v.record_b WHERE v.id = $1 FOR UPDATE OF v",
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
            sqlx::query("UPDATE person_records SET person_id = $1 WHERE person_id = $2")
                .bind(keep)
                .bind(gone)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query("UPDATE persons SET merged_into = $1 WHERE id = $2 OR merged_into = $3")
                .bind(keep)
                .bind(gone)
                .bind(gone)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query(
            "UPDATE person_reviews SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
        )
        .bind(if same { "same" } else { "different" })
        .bind(by.0)
        .bind(OffsetDateTime::now_utc())
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
        let list: Option<Vec<String>> = provinces.map(<[String]>::to_vec);
        const FILTER: &str = "($1::TIMESTAMPTZ IS NULL OR created_at >= $1)
             AND ($2::TIMESTAMPTZ IS NULL OR created_at < $2)
             AND ($3::TEXT[] IS NULL OR province_code = ANY($3))";
        let mut c = self.pool.acquire().await.map_err(map_err)?;
        let mut tx = sqlx::Connection::begin(&mut *c).await.map_err(map_err)?;
        let totals = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT person_id),
                    COUNT(DISTINCT CASE WHEN likely_victim THEN person_id END),
                    COUNT(DISTINCT CASE WHEN referred THEN person_id END)
             FROM person_records WHERE {FILTER}"
        )))
        .bind(from)
        .bind(to)
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
        .bind(from)
        .bind(to)
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
