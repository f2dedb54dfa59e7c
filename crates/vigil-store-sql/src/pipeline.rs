//! What the pipeline reads from the outbox and records from it: events,
//! claims, sightings and cursors, written once for both dialects. Workers
//! claim a batch (one short transaction), extract outside any transaction,
//! then complete the batch (its sightings, done marks and the cursor in one
//! transaction). Leases differ by backend and stay there.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use vigil_domain::check::ValueDigest;
use vigil_domain::{EventSeq, TipId};
use vigil_store::{Event, StoreError, TipObservables};

use crate::backend::{Dialect, Tx};
use crate::store::SqlStore;
use crate::value::{Row, Sql, no_limit_if_negative, other, scalars, sql, tuples};

/// The first key of the transaction-scoped advisory locks PostgreSQL takes
/// per tip while its sightings are replaced ("VIGT" in ASCII; the second key
/// is the tip id).
const TIP_LOCK_CLASS: i32 = 0x5649_4754;

/// An outbox event from a `seq, kind, tip_id, created_at` row.
fn event_from_row(row: &Row) -> Result<Event, StoreError> {
    Ok(Event {
        seq: EventSeq(row.get("seq")?),
        kind: crate::spelling::from_stored(&row.get::<String>("kind")?)?,
        tip_id: TipId(row.get("tip_id")?),
        created_at: row.get("created_at")?,
    })
}

impl SqlStore {
    /// The statement `text` reading the (tip, kind, value) triples as the
    /// `FROM` item `u(t, k, v)`, written where `text` says `{u}`, with its
    /// arguments bound first. PostgreSQL unnests three arrays; SQLite reads
    /// one JSON array of triples, because `json_each` over parallel arrays can
    /// only be joined by position with a scan per element.
    fn with_triples(&self, text: &str, triples: &[(i64, &str, &str)]) -> Result<Sql, StoreError> {
        Ok(match self.dialect() {
            Dialect::Sqlite => sql(text.replace(
                "{u}",
                "(SELECT j.value ->> 0 AS t, j.value ->> 1 AS k, j.value ->> 2 AS v
                  FROM json_each($1) j) AS u",
            ))
            .bind(serde_json::to_string(&triples).map_err(other)?),
            Dialect::Postgres => sql(text.replace(
                "{u}",
                "UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[]) AS u(t, k, v)",
            ))
            .bind(triples.iter().map(|x| x.0).collect::<Vec<i64>>())
            .bind(
                triples
                    .iter()
                    .map(|x| x.1.to_owned())
                    .collect::<Vec<String>>(),
            )
            .bind(
                triples
                    .iter()
                    .map(|x| x.2.to_owned())
                    .collect::<Vec<String>>(),
            ),
        })
    }

    /// Replaces the sightings of a batch of tips inside `tx` and keeps the
    /// observables' tip counts, in a few statements: what `record_sightings`
    /// and `complete_events` share.
    pub async fn write_sightings(
        &self,
        tx: &mut dyn Tx,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut tip_ids: Vec<i64> = tips.iter().map(|t| t.tip_id.0).collect();
        tip_ids.sort_unstable();
        tip_ids.dedup();
        let triples: Vec<(i64, &str, &str)> = tips
            .iter()
            .flat_map(|t| {
                t.values
                    .iter()
                    .map(move |(k, v)| (t.tip_id.0, k.as_str(), v.as_str()))
            })
            .collect();
        if self.dialect() == Dialect::Postgres {
            // One writer per tip at a time, taken first and in tip order: a
            // second recording of the same tip then deletes, and subtracts,
            // exactly what the first one wrote. Locks come in three rounds,
            // each in one order (tips, then new observables by value, then
            // counts by id), and no round waits on a lock of a later one, so
            // writers cannot deadlock. SQLite has one writer: nothing to take.
            tx.execute(
                sql("SELECT pg_advisory_xact_lock($1::INTEGER, t::INTEGER)
                     FROM (SELECT t FROM UNNEST($2::BIGINT[]) AS t ORDER BY t) AS ordered")
                .bind(TIP_LOCK_CLASS)
                .bind(tip_ids.clone()),
            )
            .await?;
        }
        // New values only (an upsert would draw from PostgreSQL's id sequence
        // for values that exist, and its sightings hold 4-byte ids), in value
        // order.
        // Each value's digest key (for the check's range reads) rides in the
        // first place of the triple.
        let keyed: Vec<(i64, &str, &str)> = triples
            .iter()
            .map(|(_, k, v)| (ValueDigest::of(v).key(), *k, *v))
            .collect();
        tx.execute(self.with_triples(
            "INSERT INTO observables (kind, value, digest_key)
             SELECT DISTINCT u.k, u.v, u.t FROM {u}
             WHERE NOT EXISTS (SELECT 1 FROM observables o WHERE o.kind = u.k AND o.value = u.v)
             ORDER BY 1, 2
             ON CONFLICT (kind, value) DO NOTHING",
            &keyed,
        )?)
        .await?;
        let old: Vec<i64> = scalars(
            tx.fetch_all(
                sql("DELETE FROM sightings WHERE tip_id = ANY($1) RETURNING observable_id::BIGINT")
                    .bind(tip_ids),
            )
            .await?,
        )?;
        // `WHERE true`: SQLite would otherwise read `ON CONFLICT` as a join
        // constraint.
        let new: Vec<i64> = scalars(
            tx.fetch_all(self.with_triples(
                "INSERT INTO sightings (observable_id, tip_id)
                 SELECT o.id, u.t FROM {u}
                 JOIN observables o ON o.kind = u.k AND o.value = u.v
                 WHERE true
                 ON CONFLICT DO NOTHING
                 RETURNING observable_id::BIGINT",
                &triples,
            )?)
            .await?,
        )?;
        // Each (value, tip) pair is one row: the counts move by the rows gone
        // and the rows written.
        let mut delta: BTreeMap<i64, i64> = BTreeMap::new();
        for id in old {
            *delta.entry(id).or_default() -= 1;
        }
        for id in new {
            *delta.entry(id).or_default() += 1;
        }
        delta.retain(|_, d| *d != 0);
        if delta.is_empty() {
            return Ok(());
        }
        // Counts change in id order (the rows are locked in that order
        // first), so two writers never wait on each other's rows in opposite
        // orders.
        let (changed, by): (Vec<i64>, Vec<i64>) = delta.into_iter().unzip();
        tx.execute(
            sql("SELECT id FROM observables WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .bind(changed.clone()),
        )
        .await?;
        let update = "UPDATE observables AS o SET tips = o.tips + d.n FROM {d} WHERE o.id = d.id";
        let update = match self.dialect() {
            Dialect::Sqlite => sql(update.replace(
                "{d}",
                "(SELECT j.value ->> 0 AS id, j.value ->> 1 AS n FROM json_each($1) j) AS d",
            ))
            .bind(
                serde_json::to_string(&changed.into_iter().zip(by).collect::<Vec<_>>())
                    .map_err(other)?,
            ),
            Dialect::Postgres => {
                sql(update.replace("{d}", "UNNEST($1::BIGINT[], $2::BIGINT[]) AS d(id, n)"))
                    .bind(changed)
                    .bind(by)
            }
        };
        tx.execute(update).await?;
        Ok(())
    }

    /// Runs `q`, a query selecting `seq, kind, tip_id, created_at` from
    /// `events`, inside `tx`.
    pub async fn events_in(&self, tx: &mut dyn Tx, q: Sql) -> Result<Vec<Event>, StoreError> {
        tx.fetch_all(q).await?.iter().map(event_from_row).collect()
    }

    /// Moves cursor `name` forward to `upto` inside `tx` (never back).
    pub async fn advance_cursor(
        &self,
        tx: &mut dyn Tx,
        name: &str,
        upto: EventSeq,
    ) -> Result<(), StoreError> {
        tx.execute(
            sql("INSERT INTO cursors (name, seq) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET seq = GREATEST(cursors.seq, excluded.seq)")
            .bind(name)
            .bind(upto.0),
        )
        .await?;
        Ok(())
    }

    /// The values recorded as sightings of these tips: (tip, kind, value), in
    /// tip, kind and value (byte) order.
    pub async fn sightings_of(
        &self,
        ids: &[TipId],
    ) -> Result<Vec<(TipId, String, String)>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let rows = self
            .db()
            .fetch_all(
                sql(format!(
                    "SELECT s.tip_id::BIGINT, o.kind, o.value FROM sightings s
                     JOIN observables o ON o.id = s.observable_id
                     WHERE s.tip_id = ANY($1)
                     ORDER BY s.tip_id, {}",
                    self.dialect().pick(
                        "o.kind, o.value",
                        // Byte order, as on SQLite, whatever the database's collation.
                        "o.kind COLLATE \"C\", o.value COLLATE \"C\"",
                    )
                ))
                .bind(ids),
            )
            .await?;
        Ok(tuples::<(i64, String, String)>(rows)?
            .into_iter()
            .map(|(t, k, v)| (TipId(t), k, v))
            .collect())
    }

    /// Outbox events after `after`, oldest first, at most `limit` (all when
    /// negative).
    pub async fn events_after(
        &self,
        after: EventSeq,
        limit: i64,
    ) -> Result<Vec<Event>, StoreError> {
        let rows = self
            .db()
            .fetch_all(
                sql("SELECT seq, kind, tip_id, created_at FROM events
                     WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after.0)
                .bind(no_limit_if_negative(limit)),
            )
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Records the observables of a batch of tips (replacing what each tip
    /// had before) and moves cursor `name` to `upto`, in one transaction.
    pub async fn record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        self.write_sightings(&mut *tx, tips).await?;
        self.advance_cursor(&mut *tx, name, upto).await?;
        tx.commit().await
    }

    /// The claim transaction's clock and consumer `consumer`'s cursor.
    /// PostgreSQL's clock is the database's (the transaction's start), shared
    /// by every node; one machine writes an SQLite database, so its clock is
    /// this one's.
    async fn clock_and_cursor(
        &self,
        tx: &mut dyn Tx,
        consumer: &str,
    ) -> Result<(OffsetDateTime, i64), StoreError> {
        let row = match self.dialect() {
            Dialect::Sqlite => {
                tx.fetch_one(
                    sql(
                        "SELECT COALESCE((SELECT seq FROM cursors WHERE name = $1), 0) AS seq,
                            $2 AS now",
                    )
                    .bind(consumer)
                    .bind(OffsetDateTime::now_utc()),
                )
                .await?
            }
            Dialect::Postgres => {
                tx.fetch_one(
                    sql(
                        "SELECT COALESCE((SELECT seq FROM cursors WHERE name = $1), 0) AS seq,
                            now() AS now",
                    )
                    .bind(consumer),
                )
                .await?
            }
        };
        Ok((row.get("now")?, row.get("seq")?))
    }

    /// Moves consumer `consumer`'s cursor inside `tx` up to the first event
    /// after `from` not done, and forgets the done marks and claims below it.
    async fn settle_cursor(
        &self,
        tx: &mut dyn Tx,
        consumer: &str,
        from: i64,
    ) -> Result<(), StoreError> {
        let upto: i64 = tx
            .fetch_one(
                sql("SELECT COALESCE(
                         (SELECT MIN(e.seq) - 1 FROM events e
                          WHERE e.seq > $2
                            AND NOT EXISTS (SELECT 1 FROM events_done d
                                            WHERE d.consumer = $1 AND d.seq = e.seq)),
                         (SELECT MAX(seq) FROM events_done WHERE consumer = $1),
                         $2)")
                .bind(consumer)
                .bind(from),
            )
            .await?
            .get(0)?;
        if upto > from {
            self.advance_cursor(tx, consumer, EventSeq(upto)).await?;
        }
        // Deleting nothing writes nothing: an idle worker's poll stays cheap.
        tx.execute(
            sql("DELETE FROM events_done WHERE consumer = $1 AND seq <= $2")
                .bind(consumer)
                .bind(upto),
        )
        .await?;
        tx.execute(
            sql("DELETE FROM event_claims WHERE consumer = $1 AND seq <= $2")
                .bind(consumer)
                .bind(upto),
        )
        .await?;
        Ok(())
    }

    /// Claims at most `limit` events after consumer `consumer`'s cursor for
    /// `worker` until `ttl` from now: events neither done nor held by another
    /// worker's unexpired claim. See
    /// [`vigil_store::PipelineStore::claim_events`].
    pub async fn claim_events(
        &self,
        consumer: &str,
        worker: &str,
        limit: i64,
        ttl: std::time::Duration,
    ) -> Result<Vec<Event>, StoreError> {
        let mut tx = self.db().begin().await?;
        let (now, cursor) = self.clock_and_cursor(&mut *tx, consumer).await?;
        // Rows another claim is picking right now are skipped, not waited
        // for (SQLite has one writer: nothing to skip).
        let candidates = self
            .events_in(
                &mut *tx,
                sql("SELECT e.seq, e.kind, e.tip_id, e.created_at FROM events e
                     WHERE e.seq > $2
                       AND NOT EXISTS (SELECT 1 FROM events_done d
                                       WHERE d.consumer = $1 AND d.seq = e.seq)
                       AND NOT EXISTS (SELECT 1 FROM event_claims c
                                       WHERE c.consumer = $1 AND c.seq = e.seq
                                         AND c.worker <> $3 AND c.until > $4)
                     ORDER BY e.seq LIMIT $5
                     FOR UPDATE OF e SKIP LOCKED")
                .bind(consumer)
                .bind(cursor)
                .bind(worker)
                .bind(now)
                .bind(limit.max(1)),
            )
            .await?;
        if candidates.is_empty() {
            // Caught up: what is done above the cursor (workers completing at
            // once may each have missed the other's marks) moves it up.
            self.settle_cursor(&mut *tx, consumer, cursor).await?;
            tx.commit().await?;
            return Ok(candidates);
        }
        // A claim committed since this statement's snapshot wins: the upsert
        // takes over only this worker's own or expired claims, and what it
        // returns is what this worker now holds. A completion that committed
        // since then (its claim gone, the events done or behind the cursor)
        // is seen by this statement's fresh snapshot: those are not claimed.
        let until = now + ttl;
        let seqs: Vec<i64> = candidates.iter().map(|e| e.seq.0).collect();
        let held: std::collections::BTreeSet<i64> = scalars(
            tx.fetch_all(
                sql("INSERT INTO event_claims (consumer, seq, worker, until)
                     SELECT $1, e.seq, $2, $3 FROM events e
                     WHERE e.seq = ANY($4)
                       AND e.seq > COALESCE((SELECT seq FROM cursors WHERE name = $1), 0)
                       AND NOT EXISTS (SELECT 1 FROM events_done d
                                       WHERE d.consumer = $1 AND d.seq = e.seq)
                     ORDER BY e.seq
                     ON CONFLICT (consumer, seq) DO UPDATE
                     SET worker = excluded.worker, until = excluded.until
                     WHERE event_claims.worker = excluded.worker OR event_claims.until <= $5
                     RETURNING seq")
                .bind(consumer)
                .bind(worker)
                .bind(until)
                .bind(seqs)
                .bind(now),
            )
            .await?,
        )?
        .into_iter()
        .collect();
        tx.commit().await?;
        Ok(candidates
            .into_iter()
            .filter(|e| held.contains(&e.seq.0))
            .collect())
    }

    /// Records the sightings of `tips`, marks `events` done, drops
    /// `worker`'s claims on them and moves the cursor, in one transaction.
    /// See [`vigil_store::PipelineStore::complete_events`].
    pub async fn complete_events(
        &self,
        consumer: &str,
        worker: &str,
        events: &[EventSeq],
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        let mut seqs: Vec<i64> = events.iter().map(|e| e.0).collect();
        seqs.sort_unstable();
        seqs.dedup();
        let mut tx = self.db().begin().await?;
        if !seqs.is_empty() {
            // The events' rows first, in order: a claim in flight that picked
            // them (and holds them until it commits) finishes before these
            // marks land, and a claim that starts after finds them done.
            tx.fetch_all(
                sql("SELECT e.seq FROM events e WHERE e.seq = ANY($1)
                     ORDER BY e.seq FOR UPDATE")
                .bind(seqs.clone()),
            )
            .await?;
        }
        if !tips.is_empty() {
            self.write_sightings(&mut *tx, tips).await?;
        }
        if !seqs.is_empty() {
            // `ORDER BY`: concurrent completions take the marks in one order.
            tx.execute(
                sql("INSERT INTO events_done (consumer, seq)
                     SELECT $1, e.seq FROM events e
                     WHERE e.seq = ANY($2)
                     ORDER BY e.seq
                     ON CONFLICT DO NOTHING")
                .bind(consumer)
                .bind(seqs.clone()),
            )
            .await?;
        }
        let cursor: i64 = tx
            .fetch_one(
                sql("SELECT COALESCE((SELECT seq FROM cursors WHERE name = $1), 0)").bind(consumer),
            )
            .await?
            .get(0)?;
        self.settle_cursor(&mut *tx, consumer, cursor).await?;
        if !seqs.is_empty() {
            tx.execute(
                sql("DELETE FROM event_claims
                     WHERE consumer = $1 AND worker = $2 AND seq = ANY($3)")
                .bind(consumer)
                .bind(worker)
                .bind(seqs),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Where cursor `name` stands (0 when it never moved).
    pub async fn cursor(&self, name: &str) -> Result<EventSeq, StoreError> {
        let seq = self
            .db()
            .fetch_optional(sql("SELECT seq FROM cursors WHERE name = $1").bind(name))
            .await?
            .map(|r| r.get::<i64>(0))
            .transpose()?;
        Ok(EventSeq(seq.unwrap_or(0)))
    }
}

#[async_trait::async_trait]
impl vigil_store::PipelineStore for SqlStore {
    async fn events_after(&self, after: EventSeq, limit: i64) -> Result<Vec<Event>, StoreError> {
        SqlStore::events_after(self, after, limit).await
    }

    async fn sightings_of(
        &self,
        ids: &[vigil_domain::TipId],
    ) -> Result<Vec<(vigil_domain::TipId, String, String)>, StoreError> {
        SqlStore::sightings_of(self, ids).await
    }

    async fn record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[vigil_store::TipObservables],
    ) -> Result<(), StoreError> {
        SqlStore::record_sightings(self, name, upto, tips).await
    }

    async fn cursor(&self, name: &str) -> Result<EventSeq, StoreError> {
        SqlStore::cursor(self, name).await
    }

    async fn claim_events(
        &self,
        consumer: &str,
        worker: &str,
        limit: i64,
        ttl: std::time::Duration,
    ) -> Result<Vec<Event>, StoreError> {
        SqlStore::claim_events(self, consumer, worker, limit, ttl).await
    }

    async fn complete_events(
        &self,
        consumer: &str,
        worker: &str,
        events: &[EventSeq],
        tips: &[TipObservables],
    ) -> Result<(), StoreError> {
        SqlStore::complete_events(self, consumer, worker, events, tips).await
    }

    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        self.db().try_lease(name, owner, ttl).await
    }

    async fn probe_write(&self) -> Result<(), StoreError> {
        self.db().check_room().await?;
        let mut tx = self.db().begin().await?;
        tx.execute(
            sql("INSERT INTO leases (name, owner, until) VALUES ($1, $1, $2)
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until")
            .bind(READINESS)
            .bind(OffsetDateTime::now_utc()),
        )
        .await?;
        tx.commit().await
    }
}

/// The lease row the write probe renews; no worker ever takes it.
const READINESS: &str = "readiness";
