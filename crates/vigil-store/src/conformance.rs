//! The one conformance suite: every backend runs every check here against a
//! fresh, empty store. A backend that passes behaves like every other.

// The suite is test support: a failed expectation is a failed check, so it
// panics like any test assertion.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use time::{Duration, OffsetDateTime};
use vigil_domain::audit::{
    AuditEntry, AuditKey, ChainBreak, Keying, NewAuditEntry, Sealed, verify_next,
};
use vigil_domain::{
    AuditAction, Category, Channel, DangerFlags, EventKind, EventSeq, Location, NewTip, TipId,
    TipStatus,
};

use crate::{
    Author, ClientRef, DynStore, NewAttachment, NewMessage, ReceiptHashes, StoreError,
    SubmitOutcome, TipSubmission,
};

mod audited;
mod cases;
mod check;
mod claims;
mod facilities;
mod figures;
mod immigration;
mod observables;
mod operations;
mod persons;
mod recruiters;
mod rewards;
mod screenings;
mod staff;
mod sync;
mod workspace;

/// The audit key every backend under test is opened with.
pub fn audit_key() -> AuditKey {
    AuditKey::from_bytes(*b"vigil conformance audit key 0001")
}

/// Checks that `entries`, from the first, are one chain sealed with
/// [`audit_key`] throughout.
pub fn assert_keyed_chain(entries: &[AuditEntry]) {
    let key = audit_key();
    let keying = Keying {
        key: &key,
        keyed_from: 1,
    };
    let mut prev = None;
    for e in entries {
        assert_eq!(
            verify_next(keying, prev, e),
            Ok(Sealed::Keyed),
            "entry {}",
            e.seq
        );
        prev = Some(e);
    }
}

type Check = (
    &'static str,
    fn(DynStore) -> futures::future::BoxFuture<'static, ()>,
);

/// Every check, by name. Run each against a new empty store.
pub fn checks() -> Vec<Check> {
    vec![
        ("tip_round_trips", |s| Box::pin(tip_round_trips(s))),
        ("duplicate_ref_stores_nothing", |s| {
            Box::pin(duplicate_ref_stores_nothing(s))
        }),
        ("client_ref_retry_and_expiry", |s| {
            Box::pin(client_ref_retry_and_expiry(s))
        }),
        ("receipt_lookup_is_unique", |s| {
            Box::pin(receipt_lookup_is_unique(s))
        }),
        ("messages_and_attachments", |s| {
            Box::pin(messages_and_attachments(s))
        }),
        ("events_are_ordered", |s| Box::pin(events_are_ordered(s))),
        ("audit_entries_are_keyed", |s| {
            Box::pin(audit_entries_are_keyed(s))
        }),
        ("audit_chain_holds_under_concurrency", |s| {
            Box::pin(audit_chain_holds_under_concurrency(s))
        }),
        ("concurrent_submissions_keep_every_rule", |s| {
            Box::pin(concurrent_submissions_keep_every_rule(s))
        }),
        ("status_changes", |s| Box::pin(status_changes(s))),
        ("intake_writes_are_audited", |s| {
            Box::pin(audited::intake_writes_are_audited(s))
        }),
        ("missing_things_are_not_found", |s| {
            Box::pin(missing_things_are_not_found(s))
        }),
        ("facilities_keep_their_tips", |s| {
            Box::pin(facilities::facilities_keep_their_tips(s))
        }),
        ("facility_tips_page_through_every_tip", |s| {
            Box::pin(facilities::facility_tips_page_through_every_tip(s))
        }),
        ("raided_facilities_sort_last", |s| {
            Box::pin(facilities::raided_facilities_sort_last(s))
        }),
        ("sightings_are_occurrences", |s| {
            Box::pin(observables::sightings_are_occurrences(s))
        }),
        ("batch_reads", |s| Box::pin(observables::batch_reads(s))),
        ("check_reads_counts_samples_and_ranges", |s| {
            Box::pin(check::check_reads_counts_samples_and_ranges(s))
        }),
        ("the_write_probe_writes", |s| {
            Box::pin(claims::the_write_probe_writes(s))
        }),
        ("workers_share_the_outbox", |s| {
            Box::pin(claims::workers_share_the_outbox(s))
        }),
        ("workers_claim_disjoint_batches", |s| {
            Box::pin(claims::workers_claim_disjoint_batches(s))
        }),
        ("expired_claims_are_claimed_again", |s| {
            Box::pin(claims::expired_claims_are_claimed_again(s))
        }),
        ("complete_is_idempotent_and_moves_the_cursor", |s| {
            Box::pin(claims::complete_is_idempotent_and_moves_the_cursor(s))
        }),
        ("sightings_and_done_marks_commit_together", |s| {
            Box::pin(claims::sightings_and_done_marks_commit_together(s))
        }),
        ("related_tips_page_through_every_tip", |s| {
            Box::pin(observables::related_tips_page_through_every_tip(s))
        }),
        ("concurrent_recordings_keep_counts", |s| {
            Box::pin(observables::concurrent_recordings_keep_counts(s))
        }),
        ("screenings_are_kept_decided_and_purged", |s| {
            Box::pin(screenings::screenings_are_kept_decided_and_purged(s))
        }),
        ("sync_changes_cursor_and_upserts", |s| {
            Box::pin(sync::sync_changes_cursor_and_upserts(s))
        }),
        ("fairness_counts_survive_the_purge", |s| {
            Box::pin(screenings::fairness_counts_survive_the_purge(s))
        }),
        ("staff_accounts", |s| Box::pin(staff::staff_accounts(s))),
        ("staff_role_change", |s| {
            Box::pin(staff::staff_role_change(s))
        }),
        ("staff_tokens", |s| Box::pin(staff::staff_tokens(s))),
        ("staff_tip_list", |s| Box::pin(staff::staff_tip_list(s))),
        ("places_are_counted", |s| {
            Box::pin(workspace::places_are_counted(s))
        }),
        ("assignments_replace_and_clear", |s| {
            Box::pin(workspace::assignments_replace_and_clear(s))
        }),
        ("operations_and_networks", |s| {
            Box::pin(operations::operations_and_networks(s))
        }),
        ("seized_items_all_or_nothing", |s| {
            Box::pin(operations::seized_items_all_or_nothing(s))
        }),
        ("custody_appends_follow_the_last_step", |s| {
            Box::pin(operations::custody_appends_follow_the_last_step(s))
        }),
        ("figures_count_by_province_and_month", |s| {
            Box::pin(figures::figures_count_by_province_and_month(s))
        }),
        ("cases_round_trip_and_all_or_nothing", |s| {
            Box::pin(cases::cases_round_trip_and_all_or_nothing(s))
        }),
        ("defendants_charges_hearings_and_stages", |s| {
            Box::pin(cases::defendants_charges_hearings_and_stages(s))
        }),
        ("case_figures_count_the_period", |s| {
            Box::pin(cases::case_figures_count_the_period(s))
        }),
        ("person_batches_all_or_nothing", |s| {
            Box::pin(persons::person_batches_all_or_nothing(s))
        }),
        ("merging_persons_moves_their_defendants_and_charges", |s| {
            Box::pin(cases::merging_persons_moves_their_defendants_and_charges(s))
        }),
        ("person_reviews_merge_persons", |s| {
            Box::pin(persons::person_reviews_merge_persons(s))
        }),
        ("person_figures_count_distinct_persons", |s| {
            Box::pin(persons::person_figures_count_distinct_persons(s))
        }),
        ("person_figures_are_fast_at_scale", |s| {
            Box::pin(persons::person_figures_are_fast_at_scale(s))
        }),
        ("recruiters_join_by_contacts_and_merge", |s| {
            Box::pin(recruiters::recruiters_join_by_contacts_and_merge(s))
        }),
        ("a_refused_batch_leaves_no_recruiter", |s| {
            Box::pin(recruiters::a_refused_batch_leaves_no_recruiter(s))
        }),
        (
            "concurrent_records_naming_the_same_contacts_make_one_recruiter",
            |s| {
                Box::pin(
                    recruiters::concurrent_records_naming_the_same_contacts_make_one_recruiter(s),
                )
            },
        ),
        ("an_area_counts_tips_placed_in_it_or_naming_it", |s| {
            Box::pin(recruiters::an_area_counts_tips_placed_in_it_or_naming_it(s))
        }),
        ("immigration_orders_and_departures", |s| {
            Box::pin(immigration::orders_and_departures(s))
        }),
        ("immigration_bulk_all_or_nothing", |s| {
            Box::pin(immigration::bulk_all_or_nothing(s))
        }),
        ("immigration_figures", |s| Box::pin(immigration::figures(s))),
        ("rewards_award_once_and_claim_once", |s| {
            Box::pin(rewards::rewards_award_once_and_claim_once(s))
        }),
        ("concurrent_awards_and_claims_keep_one", |s| {
            Box::pin(rewards::concurrent_awards_and_claims_keep_one(s))
        }),
        ("rewards_are_counted_in_the_figures", |s| {
            Box::pin(rewards::rewards_are_counted_in_the_figures(s))
        }),
        ("the_first_meta_claim_wins", |s| {
            Box::pin(the_first_meta_claim_wins(s))
        }),
    ]
}

fn audit(action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        actor: "public".into(),
        action,
        object: String::new(),
        detail: String::new(),
    }
}

/// A tip with every field set, numbered so tests can tell them apart.
pub fn sample_tip(n: u32) -> NewTip {
    NewTip {
        channel: Channel::Web,
        category: Category::ScamCompound,
        text: format!("ខ្ញុំឃើញមនុស្សជាប់ឃុំ #{n} — people held, call 012 345 678"),
        location: Location {
            province_code: Some("18".into()),
            district_code: Some("1806".into()),
            commune_code: None,
            village_code: None,
            place: Some("blue building near the casino".into()),
            lat: Some(10.627_543),
            lon: Some(103.522_141),
        },
        danger: DangerFlags {
            held: true,
            passports_taken: false,
            violence: true,
            children: false,
        },
        received_at: OffsetDateTime::from_unix_timestamp(1_764_000_000 + i64::from(n))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        external_ref: None,
        language: Some("km".into()),
    }
}

/// A submission for `sample_tip(n)` with a receipt whose lookup hash is unique per `n`.
pub fn sample_submission(n: u32) -> TipSubmission {
    TipSubmission {
        tip: sample_tip(n),
        receipt: Some(ReceiptHashes {
            lookup_hash: format!("lookup-{n}").into_bytes(),
            secret_hash: format!("$argon2id$secret-{n}"),
        }),
        client_ref: None,
        attachments: vec![NewAttachment {
            mime: "image/jpeg".into(),
            size: 3,
            data_enc: vec![1, 2, 3, n as u8],
        }],
        audit: audit(AuditAction::TipCreate),
    }
}

async fn created(store: &DynStore, sub: TipSubmission) -> TipId {
    match store.submit_tip(sub).await {
        Ok(SubmitOutcome::Created { tip_id }) => tip_id,
        other => panic!("expected Created, got {other:?}"),
    }
}

async fn tip_round_trips(store: DynStore) {
    let sub = sample_submission(1);
    let id = created(&store, sub.clone()).await;
    let row = store.tip(id).await.expect("tip");
    assert_eq!(row.id, id);
    assert_eq!(row.text, sub.tip.text);
    assert_eq!(row.category, sub.tip.category);
    assert_eq!(row.channel, sub.tip.channel);
    assert_eq!(row.location, sub.tip.location);
    assert_eq!(row.danger, sub.tip.danger);
    assert_eq!(row.status, TipStatus::Received);
    assert_eq!(row.language.as_deref(), Some("km"));
    assert_eq!(row.received_at, sub.tip.received_at);
    assert_eq!(store.count_tips().await.expect("count"), 1);
    let atts = store.attachments(id).await.expect("attachments");
    assert_eq!(atts.len(), 1);
    assert_eq!(atts[0].message_id, None);
    let full = store.attachment(atts[0].id).await.expect("attachment");
    assert_eq!(full.data_enc, vec![1, 2, 3, 1]);
    let receipt = store.find_receipt(b"lookup-1").await.expect("receipt");
    assert_eq!(
        receipt.map(|r| (r.tip_id, r.secret_hash)),
        Some((id, "$argon2id$secret-1".into()))
    );
    assert_eq!(store.find_receipt(b"lookup-2").await.expect("none"), None);
}

async fn duplicate_ref_stores_nothing(store: DynStore) {
    let mut a = sample_submission(1);
    a.tip.external_ref = Some("HL-2025-0001".into());
    a.receipt = None;
    let id = created(&store, a.clone()).await;
    let mut again = a.clone();
    again.tip.text = "changed".into();
    assert_eq!(
        store.submit_tip(again).await.expect("dup"),
        SubmitOutcome::DuplicateRef { tip_id: id }
    );
    assert_eq!(store.count_tips().await.expect("count"), 1);
    let existing = store
        .existing_refs(&["HL-2025-0001".into(), "HL-2025-0002".into()])
        .await
        .expect("refs");
    assert_eq!(existing, vec!["HL-2025-0001".to_string()]);
    // The refused duplicate left no attachment or event behind.
    assert_eq!(store.attachments(id).await.expect("atts").len(), 1);
    assert_eq!(
        store
            .events_after(EventSeq(0), 100)
            .await
            .expect("events")
            .len(),
        1
    );
}

async fn client_ref_retry_and_expiry(store: DynStore) {
    let now = OffsetDateTime::now_utc();
    let mut a = sample_submission(1);
    a.client_ref = Some(ClientRef {
        key_hash: b"key-1".to_vec(),
        receipt_enc: b"sealed receipt".to_vec(),
        expires_at: now + Duration::hours(1),
    });
    let id = created(&store, a.clone()).await;
    let hit = store
        .find_client_ref(b"key-1")
        .await
        .expect("find")
        .expect("hit");
    assert_eq!(hit.tip_id, id);
    assert_eq!(hit.receipt_enc.as_deref(), Some(&b"sealed receipt"[..]));
    // A retry with a new receipt stores nothing and answers the first.
    let mut retry = sample_submission(2);
    retry.client_ref = a.client_ref.clone();
    match store.submit_tip(retry).await.expect("retry") {
        SubmitOutcome::DuplicateClientRef(h) => assert_eq!(h.tip_id, id),
        other => panic!("expected DuplicateClientRef, got {other:?}"),
    }
    assert_eq!(store.count_tips().await.expect("count"), 1);
    assert_eq!(
        store.find_receipt(b"lookup-2").await.expect("receipt"),
        None
    );
    // Not yet expired: nothing forgotten.
    assert_eq!(store.expire_client_refs(now).await.expect("expire"), 0);
    assert_eq!(
        store
            .expire_client_refs(now + Duration::hours(2))
            .await
            .expect("expire"),
        1
    );
    let hit = store
        .find_client_ref(b"key-1")
        .await
        .expect("find")
        .expect("hit");
    assert_eq!(hit.receipt_enc, None);
    assert_eq!(store.find_client_ref(b"key-2").await.expect("find"), None);
}

async fn receipt_lookup_is_unique(store: DynStore) {
    created(&store, sample_submission(1)).await;
    let mut clash = sample_submission(2);
    clash.receipt = sample_submission(1).receipt;
    assert_eq!(
        store.submit_tip(clash).await.expect("clash"),
        SubmitOutcome::ReceiptTaken
    );
    assert_eq!(store.count_tips().await.expect("count"), 1);
}

async fn messages_and_attachments(store: DynStore) {
    let id = created(&store, sample_submission(1)).await;
    let m1 = store
        .add_message(NewMessage {
            tip_id: id,
            author: Author::Staff("analyst1".into()),
            body_enc: b"question".to_vec(),
            attachments: vec![],
            audit: audit(AuditAction::MessageCreate),
        })
        .await
        .expect("m1");
    let m2 = store
        .add_message(NewMessage {
            tip_id: id,
            author: Author::Reporter,
            body_enc: b"answer".to_vec(),
            attachments: vec![NewAttachment {
                mime: "image/png".into(),
                size: 2,
                data_enc: vec![9, 9],
            }],
            audit: audit(AuditAction::MessageCreate),
        })
        .await
        .expect("m2");
    let thread = store.messages(id).await.expect("thread");
    assert_eq!(
        thread.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![m1, m2]
    );
    assert_eq!(thread[0].author, Author::Staff("analyst1".into()));
    assert_eq!(thread[1].author, Author::Reporter);
    assert_eq!(thread[1].body_enc, b"answer".to_vec());
    let atts = store.attachments(id).await.expect("atts");
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[1].message_id, Some(m2));
    assert_eq!(atts[1].mime, "image/png");
    let err = store
        .add_message(NewMessage {
            tip_id: TipId(999_999),
            author: Author::Reporter,
            body_enc: b"x".to_vec(),
            attachments: vec![],
            audit: audit(AuditAction::MessageCreate),
        })
        .await;
    assert!(matches!(err, Err(StoreError::NotFound)), "{err:?}");
}

async fn events_are_ordered(store: DynStore) {
    let a = created(&store, sample_submission(1)).await;
    let b = created(&store, sample_submission(2)).await;
    store
        .add_message(NewMessage {
            tip_id: a,
            author: Author::Reporter,
            body_enc: b"more".to_vec(),
            attachments: vec![],
            audit: audit(AuditAction::MessageCreate),
        })
        .await
        .expect("message");
    let all = store.events_after(EventSeq(0), 100).await.expect("events");
    let kinds: Vec<(EventKind, TipId)> = all.iter().map(|e| (e.kind, e.tip_id)).collect();
    assert_eq!(
        kinds,
        vec![
            (EventKind::TipCreated, a),
            (EventKind::TipCreated, b),
            (EventKind::MessageCreated, a)
        ]
    );
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    let rest = store.events_after(all[0].seq, 1).await.expect("rest");
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].seq, all[1].seq);
}

async fn audit_chain_holds_under_concurrency(store: DynStore) {
    let subs = (0..40).map(|n| {
        let s = store.clone();
        async move { s.submit_tip(sample_submission(n)).await }
    });
    let audits = (0..20).map(|n| {
        let s = store.clone();
        async move {
            s.append_audit(NewAuditEntry {
                actor: "cli".into(),
                action: AuditAction::TipRead,
                object: format!("n:{n}"),
                detail: "ស្ទើរ".into(),
            })
            .await
        }
    });
    let (r1, r2) = futures::join!(
        futures::future::join_all(subs),
        futures::future::join_all(audits)
    );
    assert!(
        r1.iter()
            .all(|r| matches!(r, Ok(SubmitOutcome::Created { .. })))
    );
    assert!(r2.iter().all(Result::is_ok));
    let entries = store.audit_after(0, 1000).await.expect("audit");
    assert_eq!(entries.len(), 60);
    assert_keyed_chain(&entries);
    let page = store.audit_after(58, 10).await.expect("page");
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![59, 60]);
}

/// Every way into the chain (a bare entry, a tip through the backend's own
/// submission path, a write of another slice) seals with the store's key:
/// the chain verifies under it, not under another key, and the head is the
/// last entry.
async fn audit_entries_are_keyed(store: DynStore) {
    assert_eq!(store.audit_head().await.expect("head"), None);
    store
        .append_audit(NewAuditEntry {
            actor: "cli".into(),
            action: AuditAction::TipRead,
            object: "tip:1".into(),
            detail: String::new(),
        })
        .await
        .expect("append");
    for n in 0..3 {
        store
            .submit_tip(sample_submission(n))
            .await
            .expect("submit");
    }
    let entries = store.audit_after(0, 100).await.expect("audit");
    assert_eq!(entries.len(), 4);
    assert_keyed_chain(&entries);
    let other = AuditKey::from_bytes([1; 32]);
    let keying = Keying {
        key: &other,
        keyed_from: 1,
    };
    assert_eq!(
        verify_next(keying, None, &entries[0]),
        Err(ChainBreak::HashMismatch { seq: 1 })
    );
    assert_eq!(
        store.audit_head().await.expect("head"),
        entries.last().map(AuditEntry::head)
    );
}

/// Many submissions at once (so a backend that writes in batches writes them
/// in batches), with duplicates of each kind racing one another inside the same
/// batch: exactly one of each pair is stored, the other answers as it would
/// have alone, every stored field round-trips exactly, and the chain holds.
async fn concurrent_submissions_keep_every_rule(store: DynStore) {
    // Coordinates whose decimal forms are awkward for a float parser.
    let coords = [
        (11.562_108_999_999_998, 104.912_345_678_912_33),
        (0.1 + 0.2, -0.000_000_1),
        (13.361_143, 103.860_563),
        (f64::MIN_POSITIVE, 179.999_999_999_999_97),
    ];
    let mut subs = Vec::new();
    for n in 0..100u32 {
        let mut s = sample_submission(n);
        let (lat, lon) = coords[n as usize % coords.len()];
        s.tip.location.lat = Some(lat);
        s.tip.location.lon = Some(lon);
        if n % 7 == 0 {
            s.attachments.clear();
            s.tip.location.place = None;
        }
        subs.push(s);
    }
    // Pairs racing on the same import ref, idempotency key or receipt lookup.
    for n in 0..5u32 {
        let mut a = sample_submission(1000 + n);
        a.tip.external_ref = Some(format!("HL-{n}"));
        let mut b = sample_submission(2000 + n);
        b.tip.external_ref = Some(format!("HL-{n}"));
        subs.push(a);
        subs.push(b);
        let key = ClientRef {
            key_hash: format!("key-{n}").into_bytes(),
            receipt_enc: format!("sealed-{n}").into_bytes(),
            expires_at: OffsetDateTime::now_utc() + Duration::hours(1),
        };
        let mut c = sample_submission(3000 + n);
        c.client_ref = Some(key.clone());
        let mut d = sample_submission(4000 + n);
        d.client_ref = Some(key);
        subs.push(c);
        subs.push(d);
        let e = sample_submission(5000 + n);
        let mut f = sample_submission(6000 + n);
        f.receipt = e.receipt.clone();
        subs.push(e);
        subs.push(f);
    }
    let outcomes = futures::future::join_all(subs.iter().cloned().map(|sub| {
        let s = store.clone();
        async move { s.submit_tip(sub).await.expect("submit") }
    }))
    .await;

    let mut created = Vec::new();
    for (sub, outcome) in subs.iter().zip(&outcomes) {
        if let SubmitOutcome::Created { tip_id } = outcome {
            created.push((*tip_id, sub));
        }
    }
    assert_eq!(created.len(), 100 + 3 * 5, "{outcomes:?}");
    for pair in outcomes[100..].chunks(2) {
        match (&pair[0], &pair[1]) {
            (SubmitOutcome::Created { tip_id }, SubmitOutcome::DuplicateRef { tip_id: dup })
            | (SubmitOutcome::DuplicateRef { tip_id: dup }, SubmitOutcome::Created { tip_id }) => {
                assert_eq!(tip_id, dup);
            }
            (SubmitOutcome::Created { tip_id }, SubmitOutcome::DuplicateClientRef(hit))
            | (SubmitOutcome::DuplicateClientRef(hit), SubmitOutcome::Created { tip_id }) => {
                assert_eq!(*tip_id, hit.tip_id);
                assert!(hit.receipt_enc.is_some());
            }
            (SubmitOutcome::Created { .. }, SubmitOutcome::ReceiptTaken)
            | (SubmitOutcome::ReceiptTaken, SubmitOutcome::Created { .. }) => {}
            other => panic!("a racing pair ended as {other:?}"),
        }
    }
    let ids: std::collections::HashSet<TipId> = created.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), created.len(), "every stored tip has its own id");
    for (id, sub) in &created {
        let row = store.tip(*id).await.expect("tip");
        assert_eq!(row.text, sub.tip.text);
        assert_eq!(row.external_ref, sub.tip.external_ref);
        assert_eq!(row.location, sub.tip.location);
        assert_eq!(row.danger, sub.tip.danger);
        assert_eq!(row.received_at, sub.tip.received_at);
        let atts = store.attachments(*id).await.expect("attachments");
        assert_eq!(atts.len(), sub.attachments.len());
        if let Some(r) = &sub.receipt {
            let found = store.find_receipt(&r.lookup_hash).await.expect("receipt");
            assert_eq!(found.map(|f| f.tip_id), Some(*id));
        }
    }
    assert_eq!(
        store.count_tips().await.expect("count"),
        created.len() as i64
    );
    let events = store.events_after(EventSeq(0), 1000).await.expect("events");
    assert_eq!(events.len(), created.len());
    let entries = store.audit_after(0, 1000).await.expect("audit");
    assert_eq!(entries.len(), created.len());
    assert_keyed_chain(&entries);
}

async fn status_changes(store: DynStore) {
    let id = created(&store, sample_submission(1)).await;
    store
        .set_status(id, TipStatus::InReview, audit(AuditAction::TipStatus))
        .await
        .expect("status");
    assert_eq!(
        store.tip(id).await.expect("tip").status,
        TipStatus::InReview
    );
    let missing = store
        .set_status(
            TipId(424_242),
            TipStatus::Closed,
            audit(AuditAction::TipStatus),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

async fn missing_things_are_not_found(store: DynStore) {
    assert!(matches!(
        store.tip(TipId(1)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.attachment(vigil_domain::AttachmentId(1)).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.messages(TipId(1)).await.expect("empty").is_empty());
    assert!(
        store
            .events_after(EventSeq(0), 10)
            .await
            .expect("none")
            .is_empty()
    );
    assert!(store.audit_after(0, 10).await.expect("none").is_empty());
    assert_eq!(store.count_tips().await.expect("count"), 0);
}

async fn the_first_meta_claim_wins(store: DynStore) {
    assert_eq!(
        store.claim_meta("key", b"first").await.expect("claim"),
        b"first".to_vec()
    );
    assert_eq!(
        store.claim_meta("key", b"second").await.expect("claim"),
        b"first".to_vec()
    );
    assert_eq!(
        store.claim_meta("other", b"x").await.expect("claim"),
        b"x".to_vec()
    );
}
