//! Persons met, their records, linkage reviews and figures (migration 0014).
//! Every write is one transaction that appends its audit entry as its last
//! step (on PostgreSQL under the advisory lock); deciding a review and
//! acknowledging a flag lock their row first (SQLite's one writer already
//! holds every row), so of two concurrent decisions the second sees the
//! first.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    NewPersonRecord, PersonCandidate, PersonFigures, PersonLink, PersonRecordRow, PersonReviewRow,
    RecordRef, StoreError,
};

use crate::backend::Tx;
use crate::merges::{Reader, follow_merges};
use crate::store::SqlStore;
use crate::value::{Row, no_limit_if_negative, other, sql};

const RECORD_COLUMNS: &str = "id, person_id, operation_id, province_code, role, nationality,
     language, sex, minor, indicators, imminent_danger, consent, likely_victim, referred,
     referral_reason, identity, victim_ack_by, victim_ack_at, victim_ack_note, created_by,
     created_at";

const REVIEW_COLUMNS: &str =
    "id, record_a, record_b, score, reasons, status, decided_by, decided_at";

/// A record from a row selected as [`RECORD_COLUMNS`].
fn record_from_row(r: &Row) -> Result<PersonRecordRow, StoreError> {
    let indicators: String = r.get(9)?;
    let ack_by: Option<i64> = r.get(16)?;
    let ack_at: Option<OffsetDateTime> = r.get(17)?;
    let ack_note: Option<String> = r.get(18)?;
    let victim_ack = match (ack_by, ack_at) {
        (Some(by), Some(at)) => Some((StaffId(by), at, ack_note.unwrap_or_default())),
        _ => None,
    };
    Ok(PersonRecordRow {
        id: r.get(0)?,
        person_id: r.get(1)?,
        operation_id: r.get(2)?,
        record: NewPersonRecord {
            province_code: r.get(3)?,
            role: r.get(4)?,
            nationality: r.get(5)?,
            language: r.get(6)?,
            sex: r.get(7)?,
            minor: r.get(8)?,
            indicators: serde_json::from_str(&indicators).map_err(other)?,
            imminent_danger: r.get(10)?,
            consent: r.get(11)?,
            likely_victim: r.get(12)?,
            referred: r.get(13)?,
            referral_reason: r.get(14)?,
            identity: r.get(15)?,
            keys: Vec::new(),
            link: PersonLink::Person(r.get(1)?),
            reviews: Vec::new(),
            home: None,
            recruitment: None,
            arrested: false,
            created_by: StaffId(r.get(19)?),
            created_at: r.get(20)?,
        },
        victim_ack,
    })
}

/// A review pair from a row selected as [`REVIEW_COLUMNS`].
fn review_from_row(r: &Row) -> Result<PersonReviewRow, StoreError> {
    let by: Option<i64> = r.get(6)?;
    let at: Option<OffsetDateTime> = r.get(7)?;
    Ok(PersonReviewRow {
        id: r.get(0)?,
        record_a: r.get(1)?,
        record_b: r.get(2)?,
        score: r.get(3)?,
        reasons_json: r.get(4)?,
        status: r.get(5)?,
        decided: match (by, at) {
            (Some(by), Some(at)) => Some((StaffId(by), at)),
            _ => None,
        },
    })
}

/// The person `id` stands for now, following merges.
async fn resolve(from: Reader<'_>, id: i64) -> Result<i64, StoreError> {
    follow_merges(from, "persons", id).await
}

/// Inserts one record and its blocking keys; its id.
async fn insert_one(
    tx: &mut dyn Tx,
    operation: Option<i64>,
    r: &NewPersonRecord,
    person: i64,
) -> Result<i64, StoreError> {
    let id: i64 = tx
        .fetch_one(
            sql(
                "INSERT INTO person_records (person_id, operation_id, province_code, role,
                     nationality, language, sex, minor, indicators, imminent_danger, consent,
                     likely_victim, referred, referral_reason, identity, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                     $17)
                 RETURNING id",
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
            .bind(r.created_at),
        )
        .await?
        .get(0)?;
    for k in &r.keys {
        tx.execute(
            sql("INSERT INTO person_keys (key, record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(k)
                .bind(id),
        )
        .await?;
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

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait::async_trait]
impl vigil_store::PersonsStore for SqlStore {
    async fn insert_person_records(
        &self,
        operation: Option<i64>,
        records: &[NewPersonRecord],
        mut entry: NewAuditEntry,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut tx = self.db().begin().await?;
        if let Some(op) = operation {
            tx.fetch_one(sql("SELECT 1 FROM operations WHERE id = $1").bind(op))
                .await?;
        }
        let now = OffsetDateTime::now_utc();
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(records.len());
        for r in records {
            let person = match r.link {
                PersonLink::New => tx
                    .fetch_one(
                        sql("INSERT INTO persons (created_at) VALUES ($1) RETURNING id").bind(now),
                    )
                    .await?
                    .get(0)?,
                PersonLink::Person(p) => resolve(Reader::Tx(&mut *tx), p).await?,
                PersonLink::SameAs(i) => out[batch_index(i, out.len())?].1,
            };
            let id = insert_one(&mut *tx, operation, r, person).await?;
            crate::recruiters::attach(&mut *tx, self.dialect(), operation, id, person, r).await?;
            for rv in &r.reviews {
                let other = match rv.other {
                    RecordRef::Stored(o) => o,
                    RecordRef::Batch(i) => out[batch_index(i, out.len())?].0,
                };
                tx.execute(
                    sql(
                        "INSERT INTO person_reviews (record_a, record_b, score, reasons, created_at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(other.min(id))
                    .bind(other.max(id))
                    .bind(rv.score)
                    .bind(&rv.reasons_json)
                    .bind(now),
                )
                .await?;
            }
            out.push((id, person));
        }
        if entry.object.is_empty() {
            entry.object = match operation {
                Some(op) => format!("operation:{op}"),
                None => String::new(),
            };
        }
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await?;
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
        // Keys are bytes, which no list value carries: one placeholder each.
        let mut q = sql(format!(
            "SELECT r.id, r.person_id, r.province_code, r.identity, r.sex, r.nationality
             FROM person_records r
             WHERE r.id IN (SELECT record_id FROM person_keys WHERE key IN ({}))
             ORDER BY r.id DESC LIMIT ${}",
            placeholders(1, keys.len()),
            keys.len() + 1
        ));
        for k in keys {
            q = q.bind(k);
        }
        let rows = self
            .db()
            .fetch_all(q.bind(no_limit_if_negative(limit)))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonCandidate {
                    record_id: r.get(0)?,
                    person_id: r.get(1)?,
                    province_code: r.get(2)?,
                    identity: r.get(3)?,
                    sex: r.get(4)?,
                    nationality: r.get(5)?,
                })
            })
            .collect()
    }

    async fn resolve_person(&self, id: i64) -> Result<i64, StoreError> {
        resolve(Reader::Store(self), id).await
    }

    async fn person_record(&self, id: i64) -> Result<PersonRecordRow, StoreError> {
        let r = self
            .db()
            .fetch_one(
                sql(format!(
                    "SELECT {RECORD_COLUMNS} FROM person_records WHERE id = $1"
                ))
                .bind(id),
            )
            .await?;
        record_from_row(&r)
    }

    async fn person_records(&self, person: i64) -> Result<Vec<PersonRecordRow>, StoreError> {
        let person = resolve(Reader::Store(self), person).await?;
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {RECORD_COLUMNS} FROM person_records WHERE person_id = $1 ORDER BY id"
                ))
                .bind(person),
            )
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    async fn operation_person_records(
        &self,
        operation: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {RECORD_COLUMNS} FROM person_records WHERE operation_id = $1
                     ORDER BY id"
                ))
                .bind(operation),
            )
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    async fn victims_to_acknowledge(
        &self,
        provinces: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {RECORD_COLUMNS} FROM person_records
                     WHERE likely_victim AND victim_ack_at IS NULL
                       AND ($1::TEXT[] IS NULL OR province_code = ANY($1))
                     ORDER BY id DESC LIMIT $2"
                ))
                .bind(provinces.map(<[String]>::to_vec))
                .bind(limit),
            )
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    async fn acknowledge_victim(
        &self,
        record: i64,
        by: StaffId,
        note: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let (likely, acked): (bool, Option<OffsetDateTime>) = tx
            .fetch_one(
                sql(
                    "SELECT likely_victim, victim_ack_at FROM person_records WHERE id = $1
                     FOR UPDATE",
                )
                .bind(record),
            )
            .await?
            .to()?;
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
        tx.execute(
            sql(
                "UPDATE person_records SET victim_ack_by = $1, victim_ack_at = $2,
                     victim_ack_note = $3
                 WHERE id = $4",
            )
            .bind(by.0)
            .bind(OffsetDateTime::now_utc())
            .bind(note)
            .bind(record),
        )
        .await?;
        entry.object = format!("person_record:{record}");
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await
    }

    async fn person_reviews(
        &self,
        status: &str,
        provinces: Option<&[String]>,
    ) -> Result<Vec<PersonReviewRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {REVIEW_COLUMNS} FROM person_reviews v
                     WHERE status = $1 AND ($2::TEXT[] IS NULL OR (
                         (SELECT province_code FROM person_records WHERE id = v.record_a)
                             = ANY($2)
                         AND (SELECT province_code FROM person_records WHERE id = v.record_b)
                             = ANY($2)))
                     ORDER BY id DESC"
                ))
                .bind(status)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        rows.iter().map(review_from_row).collect()
    }

    async fn person_review(&self, id: i64) -> Result<PersonReviewRow, StoreError> {
        let r = self
            .db()
            .fetch_one(
                sql(format!(
                    "SELECT {REVIEW_COLUMNS} FROM person_reviews WHERE id = $1"
                ))
                .bind(id),
            )
            .await?;
        review_from_row(&r)
    }

    async fn decide_person_review(
        &self,
        id: i64,
        same: bool,
        by: StaffId,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        // The pair's row first, locked; its records' persons are read after,
        // so they include any merge committed while this waited.
        let (status, a, b): (String, i64, i64) = tx
            .fetch_one(
                sql(
                    "SELECT status, record_a, record_b FROM person_reviews WHERE id = $1
                     FOR UPDATE",
                )
                .bind(id),
            )
            .await?
            .to()?;
        if status != "pending" {
            return Err(StoreError::Conflict(format!(
                "review {id} was already decided: {status}"
            )));
        }
        let (pa, pb): (i64, i64) = tx
            .fetch_one(
                sql(
                    "SELECT a.person_id, b.person_id FROM person_records a, person_records b
                     WHERE a.id = $1 AND b.id = $2",
                )
                .bind(a)
                .bind(b),
            )
            .await?
            .to()?;
        let (keep, gone) = (pa.min(pb), pa.max(pb));
        if same && keep != gone {
            tx.execute(
                sql("UPDATE person_records SET person_id = $1 WHERE person_id = $2")
                    .bind(keep)
                    .bind(gone),
            )
            .await?;
            repoint_person(&mut *tx, gone, keep).await?;
            tx.execute(
                sql("UPDATE persons SET merged_into = $1 WHERE id = $2 OR merged_into = $3")
                    .bind(keep)
                    .bind(gone)
                    .bind(gone),
            )
            .await?;
        }
        tx.execute(
            sql(
                "UPDATE person_reviews SET status = $1, decided_by = $2, decided_at = $3
                 WHERE id = $4",
            )
            .bind(if same { "same" } else { "different" })
            .bind(by.0)
            .bind(OffsetDateTime::now_utc())
            .bind(id),
        )
        .await?;
        entry.object = format!("person_review:{id}");
        if same {
            entry.detail = format!("person:{gone} merged into person:{keep}");
        }
        crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
        tx.commit().await?;
        Ok(if same { keep } else { pa })
    }

    async fn person_figures(
        &self,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        provinces: Option<&[String]>,
    ) -> Result<PersonFigures, StoreError> {
        const FILTER: &str = "($1::TIMESTAMPTZ IS NULL OR created_at >= $1)
             AND ($2::TIMESTAMPTZ IS NULL OR created_at < $2)
             AND ($3::TEXT[] IS NULL OR province_code = ANY($3))";
        // One statement, so the totals and the groups see the same records.
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT 't', '', COUNT(DISTINCT person_id),
                            COUNT(DISTINCT CASE WHEN likely_victim THEN person_id END),
                            COUNT(DISTINCT CASE WHEN referred THEN person_id END)
                     FROM person_records WHERE {FILTER}
                     UNION ALL
                     SELECT 'r', role, COUNT(DISTINCT person_id), 0, 0 FROM person_records
                     WHERE {FILTER} GROUP BY role
                     UNION ALL
                     SELECT 'n', nationality, COUNT(DISTINCT person_id), 0, 0 FROM person_records
                     WHERE {FILTER} GROUP BY nationality"
                ))
                .bind(from)
                .bind(to)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let mut f = PersonFigures::default();
        let (mut by_role, mut by_nationality) = (BTreeMap::new(), BTreeMap::new());
        for g in &rows {
            let (kind, value, n, victims, referred): (String, String, i64, i64, i64) = g.to()?;
            match kind.as_str() {
                "t" => {
                    f.persons_met = count(n);
                    f.victims_identified = count(victims);
                    f.victims_referred = count(referred);
                }
                "r" => {
                    by_role.insert(value, count(n));
                }
                _ => {
                    by_nationality.insert(value, count(n));
                }
            }
        }
        f.by_role = by_role;
        f.by_nationality = by_nationality;
        Ok(f)
    }
}

/// Moves what points at the person `gone` to `keep`: case defendants (where
/// both stood in one case, the keeper's row stays and takes the other's
/// outcome if its own is still pending), their charges, and immigration
/// records. Without it a merged person would still count twice among the
/// defendants prosecuted.
async fn repoint_person(tx: &mut dyn Tx, gone: i64, keep: i64) -> Result<(), StoreError> {
    tx.execute(
        sql("INSERT INTO case_defendants (case_id, person_id, outcome, sentence, outcome_on)
             SELECT g.case_id, $1, g.outcome, g.sentence, g.outcome_on FROM case_defendants g
             WHERE g.person_id = $2 AND NOT EXISTS
                 (SELECT 1 FROM case_defendants k WHERE k.case_id = g.case_id AND k.person_id = $3)")
        .bind(keep)
        .bind(gone)
        .bind(keep),
    )
    .await?;
    // The outcome last: the others are copied only while it is still pending.
    for column in ["sentence", "outcome_on", "outcome"] {
        tx.execute(
            sql(format!(
                "UPDATE case_defendants SET {column} =
                     (SELECT g.{column} FROM case_defendants g
                      WHERE g.case_id = case_defendants.case_id AND g.person_id = $1)
                 WHERE person_id = $2 AND outcome = 'pending' AND EXISTS
                     (SELECT 1 FROM case_defendants g WHERE g.case_id = case_defendants.case_id
                      AND g.person_id = $3 AND g.outcome <> 'pending')"
            ))
            .bind(gone)
            .bind(keep)
            .bind(gone),
        )
        .await?;
    }
    for table in ["charges", "detentions", "deportation_orders", "departures"] {
        tx.execute(
            sql(format!(
                "UPDATE {table} SET person_id = $1 WHERE person_id = $2"
            ))
            .bind(keep)
            .bind(gone),
        )
        .await?;
    }
    tx.execute(sql("DELETE FROM case_defendants WHERE person_id = $1").bind(gone))
        .await?;
    Ok(())
}
