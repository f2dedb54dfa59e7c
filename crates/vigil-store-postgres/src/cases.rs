//! Cases, defendants, charges, hearings and verdicts (migration 0015).
//! Every write appends its audit entry under the advisory lock as its last
//! step; a stage move locks the case's row first, so two moves take turns.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::{Date, OffsetDateTime, UtcOffset};
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    CASE_STAGES, CaseFigures, CaseRow, CasesStore, ChargeRow, DefendantRow, HearingRow, NewCase,
    NewCharge, NewHearing, StoreError,
};

use crate::rows::{self, map_err};
use crate::{PgStore, begin};

const CASE_COLUMNS: &str =
    "id, reference, title, name, province_code, court, stage, created_by, created_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn with_offset(n: OffsetDateTime, minutes: i64) -> Result<OffsetDateTime, StoreError> {
    let secs = i32::try_from(minutes.saturating_mul(60)).map_err(other)?;
    let off = UtcOffset::from_whole_seconds(secs).map_err(other)?;
    Ok(n.to_offset(off))
}

async fn audit(tx: &mut PgConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    rows::lock_audit(tx).await?;
    rows::append_audit(tx, OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

async fn case_exists(tx: &mut PgConnection, case: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM cases WHERE id = $1")
        .bind(case)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

async fn write_links(
    tx: &mut PgConnection,
    case: i64,
    operations: &[i64],
    items: &[i64],
) -> Result<(), StoreError> {
    for o in operations {
        sqlx::query(
            "INSERT INTO case_operations (case_id, operation_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(case)
        .bind(o)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
    }
    for i in items {
        sqlx::query(
            "INSERT INTO case_items (case_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(case)
        .bind(i)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

impl PgStore {
    async fn links(&self, sql: &'static str, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(sql)
            .bind(ids)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }

    async fn with_links(&self, rows: Vec<PgRow>) -> Result<Vec<CaseRow>, StoreError> {
        let ids = rows
            .iter()
            .map(|r| get(r, 0))
            .collect::<Result<Vec<i64>, _>>()?;
        let ops = self
            .links(
                "SELECT case_id, operation_id FROM case_operations
                 WHERE case_id = ANY($1) ORDER BY 1, 2",
                &ids,
            )
            .await?;
        let items = self
            .links(
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
                let name: Option<String> = get(r, 3)?;
                Ok(CaseRow {
                    id,
                    case: NewCase {
                        reference: get(r, 1)?,
                        title: get(r, 2)?,
                        name,
                        province_code: get(r, 4)?,
                        court: get(r, 5)?,
                        stage: get(r, 6)?,
                        operations: of(&ops, id),
                        items: of(&items, id),
                        created_by: StaffId(get(r, 7)?),
                        created_at: get(r, 8)?,
                    },
                })
            })
            .collect()
    }
}

#[async_trait]
impl CasesStore for PgStore {
    async fn create_case(
        &self,
        case: &NewCase,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (reference, title, name, province_code, court, stage, created_by,
                 created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&case.reference)
        .bind(&case.title)
        .bind(&case.name)
        .bind(&case.province_code)
        .bind(&case.court)
        .bind(&case.stage)
        .bind(case.created_by.0)
        .bind(case.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("case reference {} is already used", case.reference))
            }
            e => e,
        })?;
        write_links(&mut tx, id, &case.operations, &case.items).await?;
        entry.object = format!("case:{id}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn case(&self, id: i64) -> Result<CaseRow, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        self.with_links(vec![r])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn cases(
        &self,
        provinces: Option<&[String]>,
        stage: Option<&str>,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let list = provinces.map(<[String]>::to_vec);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE ($1::TEXT[] IS NULL OR province_code = ANY($1))
               AND ($2::TEXT IS NULL OR stage = $2)
             ORDER BY id DESC"
        )))
        .bind(list)
        .bind(stage)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        self.with_links(rows).await
    }

    async fn link_case(
        &self,
        case: i64,
        operations: &[i64],
        items: &[i64],
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        case_exists(&mut tx, case).await?;
        write_links(&mut tx, case, operations, items).await?;
        entry.object = format!("case:{case}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn add_defendant(
        &self,
        case: i64,
        person: i64,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        case_exists(&mut tx, case).await?;
        sqlx::query("INSERT INTO case_defendants (case_id, person_id) VALUES ($1, $2)")
            .bind(case)
            .bind(person)
            .execute(&mut *tx)
            .await
            .map_err(|e| match map_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "person {person} is already a defendant of case {case}"
                )),
                e => e,
            })?;
        entry.object = format!("case:{case}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn defendants(&self, case: i64) -> Result<Vec<DefendantRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT case_id, person_id, outcome, sentence, outcome_on FROM case_defendants
             WHERE case_id = $1 ORDER BY person_id",
        )
        .bind(case)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(DefendantRow {
                    case_id: get(r, 0)?,
                    person_id: get(r, 1)?,
                    outcome: get(r, 2)?,
                    sentence: get(r, 3)?,
                    outcome_on: get(r, 4)?,
                })
            })
            .collect()
    }

    async fn add_charge(&self, c: &NewCharge, mut entry: NewAuditEntry) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO charges (case_id, person_id, statute, charged_on)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(c.case_id)
        .bind(c.person_id)
        .bind(&c.statute)
        .bind(c.charged_on)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("case:{}", c.case_id);
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn charges(&self, case: i64) -> Result<Vec<ChargeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, person_id, statute, charged_on, verdict, verdict_on
             FROM charges WHERE case_id = $1 ORDER BY id",
        )
        .bind(case)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ChargeRow {
                    id: get(r, 0)?,
                    charge: NewCharge {
                        case_id: get(r, 1)?,
                        person_id: get(r, 2)?,
                        statute: get(r, 3)?,
                        charged_on: get(r, 4)?,
                    },
                    verdict: get(r, 5)?,
                    verdict_on: get(r, 6)?,
                })
            })
            .collect()
    }

    async fn set_verdict(
        &self,
        charge: i64,
        verdict: &str,
        on: Date,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let case: i64 = sqlx::query_scalar(
            "UPDATE charges SET verdict = $1, verdict_on = $2 WHERE id = $3 RETURNING case_id",
        )
        .bind(verdict)
        .bind(on)
        .bind(charge)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        entry.object = format!("case:{case}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn set_outcome(
        &self,
        case: i64,
        person: i64,
        outcome: &str,
        sentence: &str,
        on: Option<Date>,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE case_defendants SET outcome = $1, sentence = $2, outcome_on = $3
             WHERE case_id = $4 AND person_id = $5",
        )
        .bind(outcome)
        .bind(sentence)
        .bind(on)
        .bind(case)
        .bind(person)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        entry.object = format!("case:{case}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn add_hearing(
        &self,
        h: &NewHearing,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = begin(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hearings (case_id, at, at_offset, court, kind, outcome, notes)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(h.case_id)
        .bind(h.at)
        .bind(i64::from(h.at.offset().whole_minutes()))
        .bind(&h.court)
        .bind(&h.kind)
        .bind(&h.outcome)
        .bind(&h.notes)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        entry.object = format!("case:{}", h.case_id);
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn hearings(&self, case: i64) -> Result<Vec<HearingRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, at, at_offset, court, kind, outcome, notes
             FROM hearings WHERE case_id = $1 ORDER BY at, id",
        )
        .bind(case)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(HearingRow {
                    id: get(r, 0)?,
                    hearing: NewHearing {
                        case_id: get(r, 1)?,
                        at: with_offset(get(r, 2)?, get(r, 3)?)?,
                        court: get(r, 4)?,
                        kind: get(r, 5)?,
                        outcome: get(r, 6)?,
                        notes: get(r, 7)?,
                    },
                })
            })
            .collect()
    }

    async fn set_stage(
        &self,
        case: i64,
        from: &str,
        to: &str,
        mut entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = begin(&self.pool).await?;
        let stage: String = sqlx::query_scalar("SELECT stage FROM cases WHERE id = $1 FOR UPDATE")
            .bind(case)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        if stage != from {
            return Err(StoreError::Conflict(format!(
                "case {case} is now at stage {stage}; read it again"
            )));
        }
        sqlx::query("UPDATE cases SET stage = $1 WHERE id = $2")
            .bind(to)
            .bind(case)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        entry.object = format!("case:{case}");
        audit(&mut tx, entry).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
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
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT
                (SELECT COUNT(*) FROM cases WHERE id IN ({within})),
                (SELECT COUNT(*) FROM cases WHERE id IN ({within}) AND name IS NOT NULL),
                (SELECT COUNT(DISTINCT person_id) FROM charges WHERE case_id IN ({within})),
                (SELECT COUNT(DISTINCT person_id) FROM case_defendants
                  WHERE outcome = 'convicted' AND case_id IN ({within}))"
        )))
        .bind(from)
        .bind(to)
        .bind(&list)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let stages = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT stage, COUNT(*) FROM cases WHERE id IN ({within}) GROUP BY stage"
        )))
        .bind(from)
        .bind(to)
        .bind(&list)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let counted = stages
            .iter()
            .map(|r| Ok((get::<String>(r, 0)?, get::<i64>(r, 1)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let by_stage = CASE_STAGES
            .iter()
            .filter_map(|s| counted.iter().find(|(x, _)| x == s).cloned())
            .collect();
        Ok(CaseFigures {
            cases: get(&r, 0)?,
            named_cases: get(&r, 1)?,
            defendants_prosecuted: get(&r, 2)?,
            defendants_convicted: get(&r, 3)?,
            by_stage,
        })
    }
}
