//! Cases, defendants, charges, hearings and verdicts (migration 0015).
//! Every write is one transaction that appends its audit entry as its last
//! step (on PostgreSQL under the advisory lock); a stage move locks the
//! case's row first, so two moves take turns.

use time::{Date, OffsetDateTime, UtcOffset};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{CaseStage, Outcome, StaffId, Verdict};
use vigil_store::{
    CaseFigures, CaseRow, ChargeRow, DefendantRow, HearingRow, NewCase, NewCharge, NewHearing,
    StoreError,
};

use crate::backend::Tx;
use crate::spelling::{from_stored, stored};
use crate::store::SqlStore;
use crate::value::{Row, other, sql, tuples};

const CASE_COLUMNS: &str =
    "id, reference, title, name, province_code, court, stage, created_by, created_at";

/// The same instant seen at `minutes` east of UTC.
fn with_offset(at: OffsetDateTime, minutes: i64) -> Result<OffsetDateTime, StoreError> {
    let secs = i32::try_from(minutes.saturating_mul(60)).map_err(other)?;
    let off = UtcOffset::from_whole_seconds(secs).map_err(other)?;
    Ok(at.to_offset(off))
}

/// Appends the audit entry, about `case`, and commits.
async fn audit_and_commit(
    mut tx: Box<dyn Tx>,
    case: i64,
    mut entry: NewAuditEntry,
) -> Result<(), StoreError> {
    entry.object = format!("case:{case}");
    crate::audit::append(&mut *tx, OffsetDateTime::now_utc(), entry).await?;
    tx.commit().await
}

async fn case_exists(tx: &mut dyn Tx, case: i64) -> Result<(), StoreError> {
    tx.fetch_one(sql("SELECT 1 FROM cases WHERE id = $1").bind(case))
        .await?;
    Ok(())
}

async fn write_links(
    tx: &mut dyn Tx,
    case: i64,
    operations: &[i64],
    items: &[i64],
) -> Result<(), StoreError> {
    for &o in operations {
        tx.execute(
            sql(
                "INSERT INTO case_operations (case_id, operation_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(case)
            .bind(o),
        )
        .await?;
    }
    for &i in items {
        tx.execute(
            sql("INSERT INTO case_items (case_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(case)
                .bind(i),
        )
        .await?;
    }
    Ok(())
}

/// A unique violation said in the caller's words.
fn conflict_as(e: StoreError, say: impl FnOnce() -> String) -> StoreError {
    match e {
        StoreError::Conflict(_) => StoreError::Conflict(say()),
        e => e,
    }
}

impl SqlStore {
    /// `(case, linked id)` pairs of one link table for these cases.
    async fn case_links(
        &self,
        text: &'static str,
        ids: &[i64],
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        tuples(self.db().fetch_all(sql(text).bind(ids)).await?)
    }

    /// Case rows (selected as [`CASE_COLUMNS`]) with their links.
    async fn with_links(&self, rows: Vec<Row>) -> Result<Vec<CaseRow>, StoreError> {
        let ids = rows
            .iter()
            .map(|r| r.get::<i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        let ops = self
            .case_links(
                "SELECT case_id, operation_id FROM case_operations
                 WHERE case_id = ANY($1) ORDER BY 1, 2",
                &ids,
            )
            .await?;
        let items = self
            .case_links(
                "SELECT case_id, item_id FROM case_items
                 WHERE case_id = ANY($1) ORDER BY 1, 2",
                &ids,
            )
            .await?;
        let of = |links: &[(i64, i64)], id: i64| {
            links
                .iter()
                .filter(|(c, _)| *c == id)
                .map(|(_, x)| *x)
                .collect()
        };
        rows.iter()
            .zip(ids)
            .map(|(r, id)| {
                Ok(CaseRow {
                    id,
                    case: NewCase {
                        reference: r.get(1)?,
                        title: r.get(2)?,
                        name: r.get(3)?,
                        province_code: r.get(4)?,
                        court: r.get(5)?,
                        stage: from_stored(&r.get::<String>(6)?)?,
                        operations: of(&ops, id),
                        items: of(&items, id),
                        created_by: StaffId(r.get(7)?),
                        created_at: r.get(8)?,
                    },
                })
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl vigil_store::CasesStore for SqlStore {
    async fn create_case(&self, case: &NewCase, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO cases (reference, title, name, province_code, court, stage,
                         created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&case.reference)
                .bind(&case.title)
                .bind(&case.name)
                .bind(&case.province_code)
                .bind(&case.court)
                .bind(stored(case.stage))
                .bind(case.created_by.0)
                .bind(case.created_at),
            )
            .await
            .map_err(|e| {
                conflict_as(e, || {
                    format!("case reference {} is already used", case.reference)
                })
            })?
            .get(0)?;
        write_links(&mut *tx, id, &case.operations, &case.items).await?;
        audit_and_commit(tx, id, entry).await?;
        Ok(id)
    }

    async fn case(&self, id: i64) -> Result<CaseRow, StoreError> {
        let r = self
            .db()
            .fetch_one(sql(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1")).bind(id))
            .await?;
        self.with_links(vec![r])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn cases(
        &self,
        provinces: Option<&[String]>,
        stage: Option<CaseStage>,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases
                     WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
                       AND ($2::TEXT IS NULL OR stage = $2)
                     ORDER BY id DESC"
                ))
                .bind(provinces.map(<[String]>::to_vec))
                .bind(stage.map(stored)),
            )
            .await?;
        self.with_links(rows).await
    }

    async fn link_case(
        &self,
        case: i64,
        operations: &[i64],
        items: &[i64],
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        case_exists(&mut *tx, case).await?;
        write_links(&mut *tx, case, operations, items).await?;
        audit_and_commit(tx, case, entry).await
    }

    async fn add_defendant(
        &self,
        case: i64,
        person: i64,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        case_exists(&mut *tx, case).await?;
        tx.execute(
            sql("INSERT INTO case_defendants (case_id, person_id) VALUES ($1, $2)")
                .bind(case)
                .bind(person),
        )
        .await
        .map_err(|e| {
            conflict_as(e, || {
                format!("person {person} is already a defendant of case {case}")
            })
        })?;
        audit_and_commit(tx, case, entry).await
    }

    async fn defendants(&self, case: i64) -> Result<Vec<DefendantRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT case_id, person_id, outcome, sentence, outcome_on FROM case_defendants
                     WHERE case_id = $1 ORDER BY person_id",
                )
                .bind(case),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DefendantRow {
                    case_id: r.get(0)?,
                    person_id: r.get(1)?,
                    outcome: from_stored(&r.get::<String>(2)?)?,
                    sentence: r.get(3)?,
                    outcome_on: r.get(4)?,
                })
            })
            .collect()
    }

    async fn add_charge(&self, c: &NewCharge, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO charges (case_id, person_id, statute, charged_on)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(c.case_id)
                .bind(c.person_id)
                .bind(&c.statute)
                .bind(c.charged_on),
            )
            .await?
            .get(0)?;
        audit_and_commit(tx, c.case_id, entry).await?;
        Ok(id)
    }

    async fn charges(&self, case: i64) -> Result<Vec<ChargeRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT id, case_id, person_id, statute, charged_on, verdict, verdict_on
                     FROM charges WHERE case_id = $1 ORDER BY id",
                )
                .bind(case),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ChargeRow {
                    id: r.get(0)?,
                    charge: NewCharge {
                        case_id: r.get(1)?,
                        person_id: r.get(2)?,
                        statute: r.get(3)?,
                        charged_on: r.get(4)?,
                    },
                    verdict: r
                        .get::<Option<String>>(5)?
                        .map(|v| from_stored(&v))
                        .transpose()?,
                    verdict_on: r.get(6)?,
                })
            })
            .collect()
    }

    async fn set_verdict(
        &self,
        charge: i64,
        verdict: Verdict,
        on: Date,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let case: i64 = tx
            .fetch_one(
                sql(
                    "UPDATE charges SET verdict = $1, verdict_on = $2 WHERE id = $3
                     RETURNING case_id",
                )
                .bind(stored(verdict))
                .bind(on)
                .bind(charge),
            )
            .await?
            .get(0)?;
        audit_and_commit(tx, case, entry).await
    }

    async fn set_outcome(
        &self,
        case: i64,
        person: i64,
        outcome: Outcome,
        sentence: &str,
        on: Option<Date>,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let done = tx
            .execute(
                sql(
                    "UPDATE case_defendants SET outcome = $1, sentence = $2, outcome_on = $3
                     WHERE case_id = $4 AND person_id = $5",
                )
                .bind(stored(outcome))
                .bind(sentence)
                .bind(on)
                .bind(case)
                .bind(person),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        audit_and_commit(tx, case, entry).await
    }

    async fn add_hearing(&self, h: &NewHearing, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.db().begin().await?;
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO hearings (case_id, at, at_offset, court, kind, outcome, notes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(h.case_id)
                .bind(h.at)
                .bind(i64::from(h.at.offset().whole_minutes()))
                .bind(&h.court)
                .bind(&h.kind)
                .bind(&h.outcome)
                .bind(&h.notes),
            )
            .await?
            .get(0)?;
        audit_and_commit(tx, h.case_id, entry).await?;
        Ok(id)
    }

    async fn hearings(&self, case: i64) -> Result<Vec<HearingRow>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT id, case_id, at, at_offset, court, kind, outcome, notes
                     FROM hearings WHERE case_id = $1 ORDER BY at, id",
                )
                .bind(case),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HearingRow {
                    id: r.get(0)?,
                    hearing: NewHearing {
                        case_id: r.get(1)?,
                        at: with_offset(r.get(2)?, r.get(3)?)?,
                        court: r.get(4)?,
                        kind: r.get(5)?,
                        outcome: r.get(6)?,
                        notes: r.get(7)?,
                    },
                })
            })
            .collect()
    }

    async fn set_stage(
        &self,
        case: i64,
        from: CaseStage,
        to: CaseStage,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        let stage: String = tx
            .fetch_one(sql("SELECT stage FROM cases WHERE id = $1 FOR UPDATE").bind(case))
            .await?
            .get(0)?;
        if stage != stored(from) {
            return Err(StoreError::Conflict(format!(
                "case {case} is now at stage {stage}; read it again"
            )));
        }
        tx.execute(
            sql("UPDATE cases SET stage = $1 WHERE id = $2")
                .bind(stored(to))
                .bind(case),
        )
        .await?;
        audit_and_commit(tx, case, entry).await
    }

    async fn case_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        provinces: Option<&[String]>,
    ) -> Result<CaseFigures, StoreError> {
        let list = provinces.map(<[String]>::to_vec);
        let within = "SELECT id FROM cases WHERE created_at >= $1 AND created_at < $2
             AND ($3::TEXT[] IS NULL OR province_code = ANY($3))";
        let r = self
            .db()
            .fetch_one(
                sql(format!(
                    "SELECT
                        (SELECT COUNT(*) FROM cases WHERE id IN ({within})),
                        (SELECT COUNT(*) FROM cases WHERE id IN ({within}) AND name IS NOT NULL),
                        (SELECT COUNT(DISTINCT person_id) FROM charges
                          WHERE case_id IN ({within})),
                        (SELECT COUNT(DISTINCT person_id) FROM case_defendants
                          WHERE outcome = $4 AND case_id IN ({within}))"
                ))
                .bind(from)
                .bind(to)
                .bind(&list)
                .bind(stored(Outcome::Convicted)),
            )
            .await?;
        let counted: Vec<(String, i64)> = tuples(
            self.db()
                .fetch_all(
                    sql(format!(
                        "SELECT stage, COUNT(*) FROM cases WHERE id IN ({within}) GROUP BY stage"
                    ))
                    .bind(from)
                    .bind(to)
                    .bind(list),
                )
                .await?,
        )?;
        let mut by_stage = Vec::new();
        for (s, n) in counted {
            by_stage.push((from_stored::<CaseStage>(&s)?, n));
        }
        by_stage.sort_by_key(|(s, _)| *s);
        Ok(CaseFigures {
            cases: r.get(0)?,
            named_cases: r.get(1)?,
            defendants_prosecuted: r.get(2)?,
            defendants_convicted: r.get(3)?,
            by_stage,
        })
    }
}
