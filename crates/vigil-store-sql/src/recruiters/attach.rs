//! A person record's home village, recruitment and arrest, written inside
//! the transaction that writes the record, and its recruiter resolved
//! there by shared contacts (see `vigil_store::recruiters`).

use std::collections::BTreeSet;

use vigil_domain::check::ValueDigest;
use vigil_store::{NewPersonRecord, StoreError};

use crate::backend::{Dialect, Tx};
use crate::merges::{Reader, follow_merges};
use crate::value::{scalars, sql};

/// The first key of the transaction-scoped advisory lock PostgreSQL takes
/// while a record's recruiter is resolved ("VIGR" in ASCII).
const RECRUITER_LOCK_CLASS: i32 = 0x5649_4752;

/// The recruiter `id` stands for now, following merges, inside a write.
async fn resolve_in(tx: &mut dyn Tx, id: i64) -> Result<i64, StoreError> {
    follow_merges(Reader::Tx(tx), "recruiters", id).await
}

/// The observable of `(kind, value)`, made if new.
async fn observable(tx: &mut dyn Tx, kind: &str, value: &str) -> Result<i64, StoreError> {
    tx.execute(
        sql("INSERT INTO observables (kind, value, digest_key)
             SELECT $1, $2, $3
             WHERE NOT EXISTS (SELECT 1 FROM observables WHERE kind = $1 AND value = $2)
             ON CONFLICT (kind, value) DO NOTHING")
        .bind(kind)
        .bind(value)
        .bind(ValueDigest::of(value).key()),
    )
    .await?;
    tx.fetch_one(
        sql("SELECT id::BIGINT FROM observables WHERE kind = $1 AND value = $2")
            .bind(kind)
            .bind(value),
    )
    .await?
    .get(0)
}

/// Folds recruiter `other` into `keep`: its contacts, victims, arrests and
/// person move over, and it points to `keep` from then on.
async fn merge(tx: &mut dyn Tx, keep: i64, other: i64) -> Result<(), StoreError> {
    tx.execute(
        sql(
            "INSERT INTO recruiter_contacts (recruiter_id, observable_id)
             SELECT $1, observable_id FROM recruiter_contacts WHERE recruiter_id = $2
             ON CONFLICT DO NOTHING",
        )
        .bind(keep)
        .bind(other),
    )
    .await?;
    tx.execute(sql("DELETE FROM recruiter_contacts WHERE recruiter_id = $1").bind(other))
        .await?;
    tx.execute(
        sql("UPDATE recruitments SET recruiter_id = $1 WHERE recruiter_id = $2")
            .bind(keep)
            .bind(other),
    )
    .await?;
    tx.execute(
        sql("UPDATE recruiter_arrests SET recruiter_id = $1 WHERE recruiter_id = $2")
            .bind(keep)
            .bind(other),
    )
    .await?;
    tx.execute(
        sql(
            "UPDATE recruiters SET person_id = (SELECT person_id FROM recruiters WHERE id = $2)
             WHERE id = $1 AND person_id IS NULL",
        )
        .bind(keep)
        .bind(other),
    )
    .await?;
    tx.execute(
        sql("UPDATE recruiters SET merged_into = $1, person_id = NULL WHERE id = $2")
            .bind(keep)
            .bind(other),
    )
    .await?;
    Ok(())
}

/// Writes record `record`'s home village, recruitment and arrest, and
/// resolves its recruiter (see the module docs of `vigil_store::recruiters`).
pub(crate) async fn attach(
    tx: &mut dyn Tx,
    dialect: Dialect,
    operation: Option<i64>,
    record: i64,
    person: i64,
    r: &NewPersonRecord,
) -> Result<(), StoreError> {
    if let Some(h) = &r.home {
        tx.execute(
            sql("INSERT INTO person_origins
                     (record_id, village_code, commune_code, district_code, province_code)
                 VALUES ($1, $2, $3, $4, $5)")
            .bind(record)
            .bind(&h.village_code)
            .bind(&h.commune_code)
            .bind(&h.district_code)
            .bind(&h.province_code),
        )
        .await?;
    }
    let is_recruiter = r.role == "recruiter";
    let contacts: &[(String, String)] = r
        .recruitment
        .as_ref()
        .map_or(&[], |x| x.contacts.as_slice());
    let mut recruiter = None;
    if is_recruiter || !contacts.is_empty() {
        if dialect == Dialect::Postgres {
            // One resolver at a time, so that two records naming the same
            // new contact make one recruiter, and new contacts go in in one
            // order (kind, value), as the pipeline writes observables: two
            // writers never wait on each other's new values in a cycle.
            // SQLite has one writer: nothing to take.
            tx.execute(
                sql("SELECT pg_advisory_xact_lock($1::INTEGER, 0)").bind(RECRUITER_LOCK_CLASS),
            )
            .await?;
        }
        let mut sorted: Vec<&(String, String)> = contacts.iter().collect();
        sorted.sort();
        let mut observables = Vec::with_capacity(contacts.len());
        for (kind, value) in sorted {
            observables.push(observable(tx, kind, value).await?);
        }
        let mut found: BTreeSet<i64> = BTreeSet::new();
        if !observables.is_empty() {
            let ids: Vec<i64> = scalars(
                tx.fetch_all(
                    sql("SELECT DISTINCT c.recruiter_id FROM recruiter_contacts c
                         JOIN observables o ON o.id = c.observable_id
                         WHERE c.observable_id = ANY($1) AND o.mode = 'auto'")
                    .bind(observables.clone()),
                )
                .await?,
            )?;
            for id in ids {
                found.insert(resolve_in(tx, id).await?);
            }
        }
        if is_recruiter {
            let ids: Vec<i64> = scalars(
                tx.fetch_all(
                    sql("SELECT id FROM recruiters WHERE person_id = $1 AND merged_into IS NULL")
                        .bind(person),
                )
                .await?,
            )?;
            found.extend(ids);
        }
        let keep = match found.first() {
            Some(&k) => k,
            None => tx
                .fetch_one(
                    sql(
                        "INSERT INTO recruiters (person_id, created_at) VALUES ($1, $2)
                         RETURNING id",
                    )
                    .bind(is_recruiter.then_some(person))
                    .bind(r.created_at),
                )
                .await?
                .get(0)?,
        };
        for &other in found.iter().skip(1) {
            merge(tx, keep, other).await?;
        }
        if is_recruiter {
            tx.execute(
                sql("UPDATE recruiters SET person_id = $2 WHERE id = $1 AND person_id IS NULL")
                    .bind(keep)
                    .bind(person),
            )
            .await?;
        }
        for o in observables {
            tx.execute(
                sql(
                    "INSERT INTO recruiter_contacts (recruiter_id, observable_id)
                     VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(keep)
                .bind(o),
            )
            .await?;
        }
        recruiter = Some(keep);
    }
    if r.recruitment.is_some() || recruiter.is_some() {
        let (job, route) = r
            .recruitment
            .as_ref()
            .map_or(("", ""), |x| (x.promised_job.as_str(), x.route.as_str()));
        tx.execute(
            sql(
                "INSERT INTO recruitments (record_id, recruiter_id, promised_job, route)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(record)
            .bind(recruiter)
            .bind(job)
            .bind(route),
        )
        .await?;
    }
    if let (true, true, Some(op), Some(keep)) = (is_recruiter, r.arrested, operation, recruiter) {
        tx.execute(
            sql(
                "INSERT INTO recruiter_arrests (recruiter_id, record_id, operation_id,
                     province_code, commune_code, foreign_national, arrested_at)
                 SELECT $1, $2, o.id, o.province_code, o.commune_code, $3,
                     COALESCE(o.happened_at, $4)
                 FROM operations o WHERE o.id = $5",
            )
            .bind(keep)
            .bind(record)
            .bind(r.nationality != "KH")
            .bind(r.created_at)
            .bind(op),
        )
        .await?;
    }
    Ok(())
}
