//! Recruiters, home villages and arrests (migration 0022). A record's origin
//! and recruitment are written by [`attach`] inside the transaction that
//! writes the record; the reads here follow recruiter merges.

mod attach;

pub(crate) use attach::attach;

use std::collections::BTreeMap;

use time::OffsetDateTime;
use vigil_domain::TipId;
use vigil_store::{
    Area, AreaRecruitment, CommuneActivity, FigureScope, HomeVillage, ObservableId, RecordOrigin,
    RecruitedVictim, RecruiterArrest, RecruiterRow, RecruiterStatus, RecruiterSummary,
    ScreeningMention, StoreError, month_of_day,
};

use crate::figures::day_of;
use crate::merges::{Reader, follow_merges};
use crate::store::SqlStore;
use crate::value::{Row, scalars, sql};

fn home_from(r: &Row, at: usize) -> Result<Option<HomeVillage>, StoreError> {
    let village: Option<String> = r.get(at)?;
    Ok(match village {
        Some(village_code) => Some(HomeVillage {
            village_code,
            commune_code: r.get(at + 1)?,
            district_code: r.get(at + 2)?,
            province_code: r.get(at + 3)?,
        }),
        None => None,
    })
}

fn status_of(arrested: bool, charged: bool, convicted: bool) -> RecruiterStatus {
    if convicted {
        RecruiterStatus::Convicted
    } else if charged {
        RecruiterStatus::Charged
    } else if arrested {
        RecruiterStatus::Arrested
    } else {
        RecruiterStatus::Sought
    }
}

/// `(charged, convicted)` for a person, from the cases.
async fn case_status(s: &SqlStore, person: Option<i64>) -> Result<(bool, bool), StoreError> {
    let Some(person) = person else {
        return Ok((false, false));
    };
    let rows = s
        .db()
        .fetch_all(sql("SELECT outcome FROM case_defendants WHERE person_id = $1").bind(person))
        .await?;
    let outcomes: Vec<String> = scalars(rows)?;
    Ok((
        !outcomes.is_empty(),
        outcomes.iter().any(|o| o == "convicted"),
    ))
}

/// The resolved person of a (possibly merged) person id.
async fn person_now(s: &SqlStore, person: Option<i64>) -> Result<Option<i64>, StoreError> {
    match person {
        Some(p) => Ok(Some(vigil_store::PersonsStore::resolve_person(s, p).await?)),
        None => Ok(None),
    }
}

/// The recruiter `id` stands for now, following merges.
async fn resolve(s: &SqlStore, id: i64) -> Result<i64, StoreError> {
    follow_merges(Reader::Store(s), "recruiters", id).await
}

/// Summaries from rows of (id, person, victims, communes, arrested, last).
async fn summaries(s: &SqlStore, rows: Vec<Row>) -> Result<Vec<RecruiterSummary>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let person = person_now(s, r.get(1)?).await?;
        let (charged, convicted) = case_status(s, person).await?;
        let victims: i64 = r.get(2)?;
        let communes: i64 = r.get(3)?;
        let arrests: i64 = r.get(4)?;
        out.push(RecruiterSummary {
            id: r.get(0)?,
            victims: u64::try_from(victims).unwrap_or(0),
            communes: u64::try_from(communes).unwrap_or(0),
            status: status_of(arrests > 0, charged, convicted),
            last_seen: r.get(5)?,
        });
    }
    Ok(out)
}

/// The activity of commune `c`, made empty if new.
fn slot(out: &mut BTreeMap<String, CommuneActivity>, c: String) -> &mut CommuneActivity {
    out.entry(c.clone()).or_insert_with(|| CommuneActivity {
        commune_code: c,
        victims: 0,
        recent_victims: 0,
        active_recruiters: 0,
        recent_arrests: 0,
        recent_tips: 0,
    })
}

/// The summary columns of recruiter `k` (alias), victims counted among the
/// recruitments `v` may restrict with `{victims_where}`.
fn summary_select(victims_where: &str, arrests_where: &str) -> String {
    format!(
        "SELECT k.id, k.person_id,
             (SELECT COUNT(DISTINCT pr.person_id) FROM recruitments rc
                JOIN person_records pr ON pr.id = rc.record_id
                LEFT JOIN person_origins po ON po.record_id = rc.record_id
              WHERE rc.recruiter_id = k.id AND pr.role <> 'recruiter' {victims_where}) AS victims,
             (SELECT COUNT(DISTINCT po.commune_code) FROM recruitments rc
                JOIN person_records pr ON pr.id = rc.record_id
                JOIN person_origins po ON po.record_id = rc.record_id
              WHERE rc.recruiter_id = k.id AND pr.role <> 'recruiter') AS communes,
             (SELECT COUNT(*) FROM recruiter_arrests a
              WHERE a.recruiter_id = k.id {arrests_where}) AS arrests,
             COALESCE((SELECT MAX(pr.created_at) FROM recruitments rc
                JOIN person_records pr ON pr.id = rc.record_id
              WHERE rc.recruiter_id = k.id), k.created_at) AS last_seen
         FROM recruiters k"
    )
}

#[async_trait::async_trait]
impl vigil_store::RecruitersStore for SqlStore {
    async fn recruiter(&self, id: i64) -> Result<RecruiterRow, StoreError> {
        let id = resolve(self, id).await?;
        let head = self
            .db()
            .fetch_one(sql("SELECT person_id, created_at FROM recruiters WHERE id = $1").bind(id))
            .await?;
        let person = person_now(self, head.get(0)?).await?;
        let contacts = self
            .db()
            .fetch_all(
                sql(
                    "SELECT o.id::BIGINT, o.kind, o.value FROM recruiter_contacts c
                     JOIN observables o ON o.id = c.observable_id
                     WHERE c.recruiter_id = $1 ORDER BY o.kind, o.value",
                )
                .bind(id),
            )
            .await?
            .iter()
            .map(|r| Ok((ObservableId(r.get(0)?), r.get(1)?, r.get(2)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let linked = self
            .db()
            .fetch_all(
                sql(
                    "SELECT pr.id, pr.person_id, pr.operation_id, pr.province_code, pr.role,
                         pr.nationality, rc.promised_job, rc.route, pr.created_at,
                         po.village_code, po.commune_code, po.district_code, po.province_code
                     FROM recruitments rc
                     JOIN person_records pr ON pr.id = rc.record_id
                     LEFT JOIN person_origins po ON po.record_id = pr.id
                     WHERE rc.recruiter_id = $1 ORDER BY pr.id",
                )
                .bind(id),
            )
            .await?;
        let mut victims = Vec::new();
        let mut records = Vec::new();
        for r in &linked {
            let role: String = r.get(4)?;
            let home = home_from(r, 9)?;
            if role == "recruiter" {
                records.push((r.get(0)?, r.get(3)?, r.get(5)?, home));
            } else {
                let p: i64 = r.get(1)?;
                victims.push(RecruitedVictim {
                    record_id: r.get(0)?,
                    person_id: vigil_store::PersonsStore::resolve_person(self, p).await?,
                    operation_id: r.get(2)?,
                    province_code: r.get(3)?,
                    home,
                    promised_job: r.get(6)?,
                    route: r.get(7)?,
                    recorded_at: r.get(8)?,
                });
            }
        }
        let arrests = self
            .db()
            .fetch_all(
                sql(
                    "SELECT record_id, operation_id, province_code, commune_code,
                         foreign_national, arrested_at
                     FROM recruiter_arrests WHERE recruiter_id = $1
                     ORDER BY arrested_at, record_id",
                )
                .bind(id),
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RecruiterArrest {
                    record_id: r.get(0)?,
                    operation_id: r.get(1)?,
                    province_code: r.get(2)?,
                    commune_code: r.get(3)?,
                    foreign_national: r.get(4)?,
                    arrested_at: r.get(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let (charged, convicted) = case_status(self, person).await?;
        Ok(RecruiterRow {
            id,
            person_id: person,
            created_at: head.get(1)?,
            contacts,
            status: status_of(!arrests.is_empty(), charged, convicted),
            victims,
            records,
            arrests,
        })
    }

    async fn record_origins(
        &self,
        records: &[i64],
    ) -> Result<BTreeMap<i64, RecordOrigin>, StoreError> {
        if records.is_empty() {
            return Ok(BTreeMap::new());
        }
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT r.id, po.village_code, po.commune_code, po.district_code,
                         po.province_code, rc.recruiter_id, rc.promised_job, rc.route
                     FROM person_records r
                     LEFT JOIN person_origins po ON po.record_id = r.id
                     LEFT JOIN recruitments rc ON rc.record_id = r.id
                     WHERE r.id = ANY($1)
                       AND (po.record_id IS NOT NULL OR rc.record_id IS NOT NULL)",
                )
                .bind(records.to_vec()),
            )
            .await?;
        let mut out = BTreeMap::new();
        for r in &rows {
            let recruiter: Option<i64> = r.get(5)?;
            let recruiter_id = match recruiter {
                Some(k) => Some(resolve(self, k).await?),
                None => None,
            };
            out.insert(
                r.get::<i64>(0)?,
                RecordOrigin {
                    home: home_from(r, 1)?,
                    recruiter_id,
                    promised_job: r.get::<Option<String>>(6)?.unwrap_or_default(),
                    route: r.get::<Option<String>>(7)?.unwrap_or_default(),
                },
            );
        }
        Ok(out)
    }

    async fn recruiter_of_person(&self, person: i64) -> Result<Option<i64>, StoreError> {
        let person = vigil_store::PersonsStore::resolve_person(self, person).await?;
        let row = self
            .db()
            .fetch_optional(
                sql("SELECT rc.recruiter_id FROM recruitments rc
                     JOIN person_records pr ON pr.id = rc.record_id
                     WHERE pr.person_id = $1 AND pr.role = 'recruiter'
                       AND rc.recruiter_id IS NOT NULL
                     ORDER BY pr.id LIMIT 1")
                .bind(person),
            )
            .await?;
        match row {
            Some(r) => Ok(Some(resolve(self, r.get(0)?).await?)),
            None => Ok(None),
        }
    }

    async fn recruiters(
        &self,
        provinces: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<RecruiterSummary>, StoreError> {
        let text = format!(
            "SELECT * FROM ({}
               WHERE k.merged_into IS NULL
                 AND ($1::TEXT[] IS NULL
                   OR EXISTS (SELECT 1 FROM recruitments rc
                     JOIN person_records pr ON pr.id = rc.record_id
                     LEFT JOIN person_origins po ON po.record_id = rc.record_id
                     WHERE rc.recruiter_id = k.id
                       AND (pr.province_code = ANY($1) OR po.province_code = ANY($1)))
                   OR EXISTS (SELECT 1 FROM recruiter_arrests a
                     WHERE a.recruiter_id = k.id AND a.province_code = ANY($1)))
             ) s ORDER BY victims DESC, last_seen DESC, id LIMIT $2",
            summary_select("", "")
        );
        let rows = self
            .db()
            .fetch_all(
                sql(text)
                    .bind(provinces.map(<[String]>::to_vec))
                    .bind(limit.max(0)),
            )
            .await?;
        summaries(self, rows).await
    }

    async fn area_recruitment(
        &self,
        area: &Area,
        recent_tips: i64,
    ) -> Result<AreaRecruitment, StoreError> {
        let (origin_col, tip_col, op_col) = match area {
            Area::District(_) => ("po.district_code", "t.district_code", "o.district_code"),
            Area::Commune(_) => ("po.commune_code", "t.commune_code", "o.commune_code"),
        };
        let code = area.code().to_string();
        // The recruiters of the area first, through the area's indexes, so
        // the cost follows the area, not the country.
        let ids: Vec<i64> = scalars(
            self.db()
                .fetch_all(
                    sql(format!(
                        "SELECT rc.recruiter_id FROM person_origins po
                         JOIN recruitments rc ON rc.record_id = po.record_id
                         WHERE {origin_col} = $1 AND rc.recruiter_id IS NOT NULL
                         UNION
                         SELECT a.recruiter_id FROM recruiter_arrests a
                         JOIN operations o ON o.id = a.operation_id
                         WHERE {op_col} = $1"
                    ))
                    .bind(&code),
                )
                .await?,
        )?;
        let text = format!(
            "SELECT * FROM ({}
               WHERE k.merged_into IS NULL AND k.id = ANY($2)
             ) s ORDER BY victims DESC, last_seen DESC, id",
            summary_select(&format!("AND {origin_col} = $1"), "")
        );
        let recruiters = summaries(
            self,
            self.db().fetch_all(sql(text).bind(&code).bind(ids)).await?,
        )
        .await?;
        let mut villages = BTreeMap::new();
        for r in self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT po.village_code, COUNT(DISTINCT pr.person_id)
                     FROM person_origins po JOIN person_records pr ON pr.id = po.record_id
                     WHERE {origin_col} = $1 AND pr.role = 'victim'
                     GROUP BY po.village_code"
                ))
                .bind(&code),
            )
            .await?
        {
            let n: i64 = r.get(1)?;
            villages.insert(r.get::<String>(0)?, u64::try_from(n).unwrap_or(0));
        }
        let arrests: i64 = self
            .db()
            .fetch_one(
                sql(format!(
                    "SELECT COUNT(*) FROM recruiter_arrests a
                     JOIN operations o ON o.id = a.operation_id WHERE {op_col} = $1"
                ))
                .bind(&code),
            )
            .await?
            .get(0)?;
        let by_day = |at: &str| day_of(self.dialect(), at);
        // Tips placed in the area by the reporter, or whose text names it
        // or a place within it (a place found in the text is an observable
        // whose value is its gazetteer code; codes nest by prefix).
        let within = format!("{code}%");
        let naming = format!(
            "({tip_col} = $1 OR t.id IN (SELECT s.tip_id FROM sightings s
               JOIN observables o ON o.id = s.observable_id
               WHERE o.kind = 'place' AND o.value LIKE $2))"
        );
        let mut tips_by_month = BTreeMap::new();
        for r in self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {} AS d, COUNT(*) FROM tips t WHERE {naming} GROUP BY d",
                    by_day("t.received_at")
                ))
                .bind(&code)
                .bind(&within),
            )
            .await?
        {
            let n: i64 = r.get(1)?;
            *tips_by_month.entry(month_of_day(r.get(0)?)).or_default() +=
                u64::try_from(n).unwrap_or(0);
        }
        let mut victims_by_month = BTreeMap::new();
        for r in self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT {} AS d, COUNT(DISTINCT pr.person_id)
                     FROM person_origins po JOIN person_records pr ON pr.id = po.record_id
                     WHERE {origin_col} = $1 AND pr.role = 'victim' GROUP BY d",
                    by_day("pr.created_at")
                ))
                .bind(&code),
            )
            .await?
        {
            let n: i64 = r.get(1)?;
            *victims_by_month.entry(month_of_day(r.get(0)?)).or_default() +=
                u64::try_from(n).unwrap_or(0);
        }
        let recent: Vec<i64> = scalars(
            self.db()
                .fetch_all(
                    sql(format!(
                        "SELECT t.id FROM tips t WHERE {naming}
                         ORDER BY t.received_at DESC, t.id DESC LIMIT $3"
                    ))
                    .bind(&code)
                    .bind(&within)
                    .bind(recent_tips.max(0)),
                )
                .await?,
        )?;
        Ok(AreaRecruitment {
            recruiters,
            villages,
            arrests: u64::try_from(arrests).unwrap_or(0),
            tips_by_month,
            victims_by_month,
            recent_tips: recent.into_iter().map(TipId).collect(),
        })
    }

    async fn commune_activity(
        &self,
        since: OffsetDateTime,
        provinces: Option<&[String]>,
    ) -> Result<Vec<CommuneActivity>, StoreError> {
        let mut out: BTreeMap<String, CommuneActivity> = BTreeMap::new();
        let province_of = "($2::TEXT[] IS NULL OR {col} = ANY($2))";
        let victims = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT po.commune_code, COUNT(DISTINCT pr.person_id),
                         COUNT(DISTINCT CASE WHEN pr.created_at >= $1 THEN pr.person_id END)
                     FROM person_origins po JOIN person_records pr ON pr.id = po.record_id
                     WHERE pr.role = 'victim' AND {}
                     GROUP BY po.commune_code",
                    province_of.replace("{col}", "po.province_code")
                ))
                .bind(since)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        for r in &victims {
            let c: String = r.get(0)?;
            let e = slot(&mut out, c);
            e.victims = u64::try_from(r.get::<i64>(1)?).unwrap_or(0);
            e.recent_victims = u64::try_from(r.get::<i64>(2)?).unwrap_or(0);
        }
        // Recruiters active in a commune since `since`: a victim from it met
        // since then, at home there (met since then), or arrested there.
        let active = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT c, COUNT(DISTINCT k) FROM (
                       SELECT po.commune_code AS c, rc.recruiter_id AS k
                       FROM recruitments rc
                       JOIN person_records pr ON pr.id = rc.record_id
                       JOIN person_origins po ON po.record_id = rc.record_id
                       WHERE rc.recruiter_id IS NOT NULL AND pr.created_at >= $1 AND {}
                       UNION ALL
                       SELECT a.commune_code AS c, a.recruiter_id AS k
                       FROM recruiter_arrests a
                       WHERE a.commune_code IS NOT NULL AND a.arrested_at >= $1 AND {}
                     ) x GROUP BY c",
                    province_of.replace("{col}", "po.province_code"),
                    province_of.replace("{col}", "a.province_code"),
                ))
                .bind(since)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        for r in &active {
            let c: String = r.get(0)?;
            slot(&mut out, c).active_recruiters = u64::try_from(r.get::<i64>(1)?).unwrap_or(0);
        }
        let arrests = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT a.commune_code, COUNT(*) FROM recruiter_arrests a
                     WHERE a.commune_code IS NOT NULL AND a.arrested_at >= $1 AND {}
                     GROUP BY a.commune_code",
                    province_of.replace("{col}", "a.province_code")
                ))
                .bind(since)
                .bind(provinces.map(<[String]>::to_vec)),
            )
            .await?;
        for r in &arrests {
            let c: String = r.get(0)?;
            slot(&mut out, c).recent_arrests = u64::try_from(r.get::<i64>(1)?).unwrap_or(0);
        }
        // Tips only for communes already listed: a commune is on the list for
        // its victims and recruiters, and its tips add to its rank.
        let codes: Vec<String> = out.keys().cloned().collect();
        if !codes.is_empty() {
            let tips = self
                .db()
                .fetch_all(
                    sql("SELECT t.commune_code, COUNT(*) FROM tips t
                         WHERE t.commune_code = ANY($1) AND t.received_at >= $2
                         GROUP BY t.commune_code")
                    .bind(codes)
                    .bind(since),
                )
                .await?;
            for r in &tips {
                let c: String = r.get(0)?;
                if let Some(e) = out.get_mut(&c) {
                    e.recent_tips = u64::try_from(r.get::<i64>(1)?).unwrap_or(0);
                }
            }
        }
        Ok(out.into_values().collect())
    }

    async fn recruiter_arrests_by_commune(
        &self,
        scope: &FigureScope,
    ) -> Result<BTreeMap<String, u64>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql(
                    "SELECT COALESCE(a.commune_code, ''), COUNT(*) FROM recruiter_arrests a
                     WHERE ($1::TIMESTAMPTZ IS NULL OR a.arrested_at >= $1)
                       AND ($2::TIMESTAMPTZ IS NULL OR a.arrested_at < $2)
                       AND ($3::TEXT[] IS NULL OR a.province_code = ANY($3))
                     GROUP BY COALESCE(a.commune_code, '')",
                )
                .bind(scope.from)
                .bind(scope.to)
                .bind(scope.provinces.clone()),
            )
            .await?;
        let mut out = BTreeMap::new();
        for r in &rows {
            let n: i64 = r.get(1)?;
            out.insert(r.get::<String>(0)?, u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    async fn recruiters_of_observable(&self, id: ObservableId) -> Result<Vec<i64>, StoreError> {
        scalars(
            self.db()
                .fetch_all(
                    sql("SELECT c.recruiter_id FROM recruiter_contacts c
                         JOIN recruiters k ON k.id = c.recruiter_id AND k.merged_into IS NULL
                         WHERE c.observable_id = $1 ORDER BY c.recruiter_id")
                    .bind(id.0),
                )
                .await?,
        )
    }

    async fn recruiter_contacts(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        self.db()
            .fetch_all(sql(
                "SELECT c.recruiter_id, o.kind, o.value FROM recruiter_contacts c
                 JOIN observables o ON o.id = c.observable_id
                 JOIN recruiters k ON k.id = c.recruiter_id AND k.merged_into IS NULL
                 ORDER BY c.recruiter_id, o.kind, o.value",
            ))
            .await?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .collect()
    }

    async fn screenings_naming(
        &self,
        needle: &str,
        limit: i64,
    ) -> Result<Vec<ScreeningMention>, StoreError> {
        let pattern = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.db()
            .fetch_all(
                sql(
                    "SELECT id, post, outcome, reasons, created_at FROM screenings
                     WHERE reasons LIKE $1 ESCAPE '\\'
                     ORDER BY created_at DESC, id DESC LIMIT $2",
                )
                .bind(pattern)
                .bind(limit.max(0)),
            )
            .await?
            .iter()
            .map(|r| {
                Ok(ScreeningMention {
                    id: r.get(0)?,
                    post: r.get(1)?,
                    outcome: r.get(2)?,
                    reasons: r.get(3)?,
                    at: r.get(4)?,
                })
            })
            .collect()
    }
}
