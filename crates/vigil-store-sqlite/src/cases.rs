//! Cases, defendants, charges, hearings and verdicts (migration 0015).
//! Every write goes through the single writer connection with its chained
//! audit entry in the same transaction. Court dates are ISO date text.

use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::{Date, Month, OffsetDateTime, UtcOffset};
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    CASE_STAGES, CaseFigures, CaseRow, CasesStore, ChargeRow, DefendantRow, HearingRow, NewCase,
    NewCharge, NewHearing, StoreError,
};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos};

const CASE_COLUMNS: &str =
    "id, reference, title, name, province_code, court, stage, created_by, created_at";

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    i: usize,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_err)
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn parse_date(s: &str) -> Result<Date, StoreError> {
    let bad = || StoreError::Other(format!("bad stored date {s:?}"));
    let mut parts = s.splitn(3, '-');
    let mut next = || {
        parts
            .next()
            .and_then(|p| p.parse::<i32>().ok())
            .ok_or_else(bad)
    };
    let (y, m, d) = (next()?, next()?, next()?);
    let m = Month::try_from(u8::try_from(m).map_err(other)?).map_err(other)?;
    Date::from_calendar_date(y, m, u8::try_from(d).map_err(other)?).map_err(other)
}

fn opt_date(s: Option<String>) -> Result<Option<Date>, StoreError> {
    s.as_deref().map(parse_date).transpose()
}

fn with_offset(n: i64, minutes: i64) -> Result<OffsetDateTime, StoreError> {
    let secs = i32::try_from(minutes.saturating_mul(60)).map_err(other)?;
    let off = UtcOffset::from_whole_seconds(secs).map_err(other)?;
    Ok(from_nanos(n)?.to_offset(off))
}

async fn audit(tx: &mut SqliteConnection, entry: NewAuditEntry) -> Result<(), StoreError> {
    let prev = rows::last_audit(tx).await?;
    rows::insert_audit(tx, prev.as_ref(), OffsetDateTime::now_utc(), entry).await?;
    Ok(())
}

async fn case_exists(tx: &mut SqliteConnection, case: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM cases WHERE id = ?")
        .bind(case)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

async fn write_links(
    tx: &mut SqliteConnection,
    case: i64,
    operations: &[i64],
    items: &[i64],
) -> Result<(), StoreError> {
    for o in operations {
        sqlx::query("INSERT OR IGNORE INTO case_operations (case_id, operation_id) VALUES (?, ?)")
            .bind(case)
            .bind(o)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
    }
    for i in items {
        sqlx::query("INSERT OR IGNORE INTO case_items (case_id, item_id) VALUES (?, ?)")
            .bind(case)
            .bind(i)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

impl SqliteStore {
    async fn links(&self, sql: &'static str, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
        let list = serde_json::to_string(ids).map_err(other)?;
        let rows = sqlx::query(sql)
            .bind(list)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }

    async fn with_links(&self, rows: Vec<SqliteRow>) -> Result<Vec<CaseRow>, StoreError> {
        let ids = rows
            .iter()
            .map(|r| get(r, 0))
            .collect::<Result<Vec<i64>, _>>()?;
        let ops = self
            .links(
                "SELECT case_id, operation_id FROM case_operations
                 WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY 1, 2",
                &ids,
            )
            .await?;
        let items = self
            .links(
                "SELECT case_id, item_id FROM case_items
                 WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY 1, 2",
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
                        created_at: from_nanos(get(r, 8)?)?,
                    },
                })
            })
            .collect()
    }
}

#[async_trait]
impl CasesStore for SqliteStore {
    async fn create_case(
        &self,
        case: &NewCase,
        mut entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (reference, title, name, province_code, court, stage, created_by,
                 created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&case.reference)
        .bind(&case.title)
        .bind(&case.name)
        .bind(&case.province_code)
        .bind(&case.court)
        .bind(&case.stage)
        .bind(case.created_by.0)
        .bind(nanos(case.created_at))
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
            "SELECT {CASE_COLUMNS} FROM cases WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.read)
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
        let list = provinces
            .map(serde_json::to_string)
            .transpose()
            .map_err(other)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE (?1 IS NULL OR province_code IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR stage = ?2)
             ORDER BY id DESC"
        )))
        .bind(list)
        .bind(stage)
        .fetch_all(&self.read)
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
        let mut tx = self.begin_write().await?;
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
        let mut tx = self.begin_write().await?;
        case_exists(&mut tx, case).await?;
        sqlx::query("INSERT INTO case_defendants (case_id, person_id) VALUES (?, ?)")
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
             WHERE case_id = ? ORDER BY person_id",
        )
        .bind(case)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(DefendantRow {
                    case_id: get(r, 0)?,
                    person_id: get(r, 1)?,
                    outcome: get(r, 2)?,
                    sentence: get(r, 3)?,
                    outcome_on: opt_date(get(r, 4)?)?,
                })
            })
            .collect()
    }

    async fn add_charge(&self, c: &NewCharge, mut entry: NewAuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO charges (case_id, person_id, statute, charged_on)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(c.case_id)
        .bind(c.person_id)
        .bind(&c.statute)
        .bind(date_text(c.charged_on))
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
             FROM charges WHERE case_id = ? ORDER BY id",
        )
        .bind(case)
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let charged_on: String = get(r, 4)?;
                Ok(ChargeRow {
                    id: get(r, 0)?,
                    charge: NewCharge {
                        case_id: get(r, 1)?,
                        person_id: get(r, 2)?,
                        statute: get(r, 3)?,
                        charged_on: parse_date(&charged_on)?,
                    },
                    verdict: get(r, 5)?,
                    verdict_on: opt_date(get(r, 6)?)?,
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
        let mut tx = self.begin_write().await?;
        let case: i64 = sqlx::query_scalar(
            "UPDATE charges SET verdict = ?, verdict_on = ? WHERE id = ? RETURNING case_id",
        )
        .bind(verdict)
        .bind(date_text(on))
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
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE case_defendants SET outcome = ?, sentence = ?, outcome_on = ?
             WHERE case_id = ? AND person_id = ?",
        )
        .bind(outcome)
        .bind(sentence)
        .bind(on.map(date_text))
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
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hearings (case_id, at, at_offset, court, kind, outcome, notes)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(h.case_id)
        .bind(nanos(h.at))
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
             FROM hearings WHERE case_id = ? ORDER BY at, id",
        )
        .bind(case)
        .fetch_all(&self.read)
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
        let mut tx = self.begin_write().await?;
        let stage: String = sqlx::query_scalar("SELECT stage FROM cases WHERE id = ?")
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
        sqlx::query("UPDATE cases SET stage = ? WHERE id = ?")
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
        let list = provinces
            .map(serde_json::to_string)
            .transpose()
            .map_err(other)?;
        let within = "SELECT id FROM cases WHERE created_at >= ?1 AND created_at < ?2
             AND (?3 IS NULL OR province_code IN (SELECT value FROM json_each(?3)))";
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT
                (SELECT COUNT(*) FROM cases WHERE id IN ({within})),
                (SELECT COUNT(*) FROM cases WHERE id IN ({within}) AND name IS NOT NULL),
                (SELECT COUNT(DISTINCT person_id) FROM charges WHERE case_id IN ({within})),
                (SELECT COUNT(DISTINCT person_id) FROM case_defendants
                  WHERE outcome = 'convicted' AND case_id IN ({within}))"
        )))
        .bind(nanos(from))
        .bind(nanos(to))
        .bind(&list)
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        let stages = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT stage, COUNT(*) FROM cases WHERE id IN ({within}) GROUP BY stage"
        )))
        .bind(nanos(from))
        .bind(nanos(to))
        .bind(&list)
        .fetch_all(&self.read)
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
