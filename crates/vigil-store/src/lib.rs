//! The storage contract: one [`Store`] trait that every backend implements, the
//! small [`StoreError`], the rows that cross it, and one [`conformance`] suite
//! that every backend must pass. No SQL lives here.

#![forbid(unsafe_code)]

mod cases;
mod check;
pub mod conformance;
mod error;
mod facilities;
mod figures;
mod immigration;
mod observables;
mod operations;
mod persons;
pub mod private;
mod recruiters;
mod rewards;
mod screenings;
mod staff;
mod types;
mod workspace;

use std::sync::Arc;

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::{AuditEntry, ChainHead, NewAuditEntry};
use vigil_domain::{AttachmentId, EventSeq, FacilityId, MessageId, StaffId, TipId, TipStatus};

pub use cases::*;
pub use check::*;
pub use error::StoreError;
pub use facilities::*;
pub use figures::*;
pub use immigration::*;
pub use observables::*;
pub use operations::*;
pub use persons::*;
pub use recruiters::*;
pub use rewards::*;
pub use screenings::*;
pub use staff::*;
pub use types::*;
pub use workspace::*;

/// A shared handle to whichever backend was chosen at start.
pub type DynStore = Arc<dyn Store>;

/// Everything Vigil keeps. Each method is one transaction: it commits whole and
/// durably before it returns, or changes nothing.
#[async_trait]
pub trait Store:
    IntakeStore
    + PipelineStore
    + AuditStore
    + StaffStore
    + IntelStore
    + ScreeningStore
    + SyncStore
    + ScreeningReports
    + OperationsStore
    + FiguresStore
    + CasesStore
    + PersonsStore
    + ImmigrationStore
    + CheckStore
    + RewardsStore
    + RecruitersStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
}

/// Tips as they arrive and are followed up: submission, receipts, retries, status, messages and attachments.
#[async_trait]
pub trait IntakeStore: Send + Sync {
    /// Stores a tip with its receipt hashes, attachments, retry record, outbox
    /// event and audit entry, atomically and durably.
    async fn submit_tip(&self, sub: TipSubmission) -> Result<SubmitOutcome, StoreError>;

    /// Finds a retry record by the keyed hash of a client's idempotency key.
    async fn find_client_ref(&self, key_hash: &[u8]) -> Result<Option<ClientRefHit>, StoreError>;

    /// Forgets the encrypted receipts of retry records that expired before `now`
    /// (the key hash stays, so a late retry still stores nothing twice).
    async fn expire_client_refs(&self, now: OffsetDateTime) -> Result<u64, StoreError>;

    /// Finds a receipt by the keyed hash of its lookup part.
    async fn find_receipt(&self, lookup_hash: &[u8]) -> Result<Option<ReceiptRow>, StoreError>;

    /// Reads a tip.
    async fn tip(&self, id: TipId) -> Result<TipRow, StoreError>;

    /// Reads several tips at once, in id order; ids not stored are left out.
    async fn tips_by_ids(&self, ids: &[TipId]) -> Result<Vec<TipRow>, StoreError>;

    /// At most `limit` tips with ids above `after`, in id order: a walk over
    /// every tip that costs the same for each page.
    async fn tips_after(&self, after: TipId, limit: i64) -> Result<Vec<TipRow>, StoreError>;

    /// How many attachments each of these tips has (those without any are left out).
    async fn attachment_counts(&self, ids: &[TipId]) -> Result<Vec<(TipId, i64)>, StoreError>;

    /// Which of these import references are already stored.
    async fn existing_refs(&self, refs: &[String]) -> Result<Vec<String>, StoreError>;

    /// Number of tips stored.
    async fn count_tips(&self) -> Result<i64, StoreError>;

    /// Sets a tip's coarse status, with an audit entry.
    async fn set_status(
        &self,
        id: TipId,
        status: TipStatus,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Adds a follow-up message (and its attachments) to a tip's thread.
    async fn add_message(&self, msg: NewMessage) -> Result<MessageId, StoreError>;

    /// A tip's thread, oldest first.
    async fn messages(&self, tip: TipId) -> Result<Vec<MessageRow>, StoreError>;

    /// The attachments of a tip (metadata only), oldest first.
    async fn attachments(&self, tip: TipId) -> Result<Vec<AttachmentMeta>, StoreError>;

    /// One attachment with its (encrypted) bytes.
    async fn attachment(&self, id: AttachmentId) -> Result<AttachmentRow, StoreError>;

    /// Tips within `q.provinces` (all when `None`; a tip with no province is
    /// only national), most dangerous first, then newest; and how many match.
    async fn list_tips(&self, q: &TipQuery) -> Result<(Vec<TipRow>, i64), StoreError>;
}

/// The outbox and what the pipeline records from it: events, sightings, cursors and leases.
#[async_trait]
pub trait PipelineStore: Send + Sync {
    /// The values recorded as sightings of these tips: (tip, kind, value), in
    /// tip, kind and value order.
    async fn sightings_of(&self, ids: &[TipId])
    -> Result<Vec<(TipId, String, String)>, StoreError>;

    /// Outbox events after `after`, oldest first, at most `limit`.
    async fn events_after(&self, after: EventSeq, limit: i64) -> Result<Vec<Event>, StoreError>;

    /// Records the observables of a batch of tips (replacing what each tip
    /// had before, so reprocessing is idempotent) and moves cursor `name` to
    /// `upto`, in one transaction.
    async fn record_sightings(
        &self,
        name: &str,
        upto: EventSeq,
        tips: &[TipObservables],
    ) -> Result<(), StoreError>;

    /// Where cursor `name` stands (0 when it never moved).
    async fn cursor(&self, name: &str) -> Result<EventSeq, StoreError>;

    /// Claims at most `limit` events after consumer `consumer`'s cursor for
    /// `worker`, oldest first: events neither done nor claimed by another
    /// worker whose claim has not expired. The claims (worker, until `ttl`
    /// from now) are committed before this returns, so workers on several
    /// nodes claim disjoint batches; a crashed worker's claims expire and are
    /// claimed again. A worker may claim again what it already holds. When
    /// nothing is left to claim, the cursor is moved up past the events
    /// already done. Returns the events claimed (none when nothing is left).
    async fn claim_events(
        &self,
        consumer: &str,
        worker: &str,
        limit: i64,
        ttl: std::time::Duration,
    ) -> Result<Vec<Event>, StoreError>;

    /// Completes events `worker` claimed, in one transaction: records the
    /// observables of `tips` (replacing what each tip had before), marks
    /// `events` done for `consumer`, drops the worker's claims on them and
    /// moves the cursor up to the first event not done. Idempotent:
    /// completing twice, or after the claim expired and another worker
    /// completed the same events, changes nothing more.
    async fn complete_events(
        &self,
        consumer: &str,
        worker: &str,
        events: &[EventSeq],
        tips: &[TipObservables],
    ) -> Result<(), StoreError>;

    /// Takes or renews the lease `name` for `owner` until `ttl` from now;
    /// `false` while another owner holds an unexpired lease. One worker at a
    /// time reclusters.
    async fn try_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError>;

    /// Writes a heartbeat (the `readiness` lease, renewed to now) in a
    /// transaction of its own and commits it: proof that the store accepts
    /// writes at this moment. `Unavailable` when it does not (a full disk, a
    /// database that cannot be reached).
    async fn probe_write(&self) -> Result<(), StoreError>;
}

/// The hash-chained audit log and the write-once settings every node agrees on.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an entry to the audit chain.
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError>;

    /// Audit entries with `seq > after`, in order, at most `limit`.
    async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    /// The last audit entry's position and hash, if any (as stored: walk
    /// the chain to know it is whole).
    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError>;

    /// Records `value` under `name` if nothing is recorded yet, and returns what
    /// is recorded (the first value ever given wins, across every node).
    async fn claim_meta(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError>;
}

/// Staff accounts and their tokens (sessions, setup links, API tokens).
#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Creates a staff account (a taken username is a `Conflict`), audited.
    async fn create_staff(&self, s: NewStaff, audit: NewAuditEntry) -> Result<StaffId, StoreError>;

    /// Changes an account, audited.
    async fn update_staff(
        &self,
        id: StaffId,
        u: StaffUpdate,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// An account by id.
    async fn staff(&self, id: StaffId) -> Result<StaffRow, StoreError>;

    /// An account by sign-in name.
    async fn staff_by_username(&self, username: &str) -> Result<Option<StaffRow>, StoreError>;

    /// Every account, by username.
    async fn list_staff(&self) -> Result<Vec<StaffRow>, StoreError>;

    /// Stores a token, first ending the account's tokens of the purposes in
    /// `replace` (a new setup link ends the earlier one), with its audit entry.
    async fn put_token(
        &self,
        t: TokenRow,
        replace: &[TokenPurpose],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// A token by its hash, if it exists and has not expired at `now`.
    async fn token(&self, hash: &[u8], now: OffsetDateTime)
    -> Result<Option<TokenRow>, StoreError>;

    /// Records a token's use and moves its expiry: bookkeeping of a session
    /// already audited when it began, so it writes no audit entry.
    async fn touch_token(
        &self,
        hash: &[u8],
        last_seen_at: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError>;

    /// Deletes one token (a sign-out), with its audit entry.
    async fn delete_token(&self, hash: &[u8], audit: NewAuditEntry) -> Result<(), StoreError>;

    /// Deletes tokens that expired before `now`; returns how many. Removing
    /// what can no longer be used is housekeeping, not an action: no audit.
    async fn delete_expired_tokens(&self, now: OffsetDateTime) -> Result<u64, StoreError>;
}

/// Observables, facilities, analyst decisions, counts by place and assignments.
#[async_trait]
pub trait IntelStore: Send + Sync {
    /// An observable by kind and normalised value.
    async fn observable(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<ObservableRow>, StoreError>;

    /// The newest tips an observable was seen in, within `provinces` (all when
    /// `None`), at most `limit`: the first page of [`IntelStore::related_tips_page`].
    async fn related_tips(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError> {
        self.related_tips_page(id, provinces, None, limit).await
    }

    /// One page of the tips an observable was seen in, newest first (by tip
    /// id, descending), within `provinces` (all when `None`), at most `limit`,
    /// and only tips older than `before` when given. `before` is a keyset
    /// cursor: pass the last tip of the previous page and every tip comes back
    /// exactly once however many carry the value (there is no cap). Each page
    /// is one index range read, so its cost follows `limit`, not the number of
    /// tips carrying the value.
    async fn related_tips_page(
        &self,
        id: ObservableId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<Vec<TipId>, StoreError>;

    /// The observables of a tip.
    async fn tip_observables(&self, tip: TipId) -> Result<Vec<ObservableRow>, StoreError>;

    /// Sets how an observable is used (an admin's decision), audited.
    async fn set_observable_mode(
        &self,
        id: ObservableId,
        mode: ObservableMode,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Writes facilities (replacing each one's tips) and removes others, in
    /// one transaction.
    async fn save_facilities(
        &self,
        upsert: &[FacilityWrite],
        remove: &[FacilityId],
    ) -> Result<(), StoreError>;

    /// Facilities within `q.provinces`, and how many match: those not
    /// settled by a raid first, then those a completed operation settled (a
    /// raid and no tip received after its date), each highest priority first.
    async fn facilities(&self, q: &FacilityQuery) -> Result<(Vec<FacilityRow>, i64), StoreError>;

    /// One facility and its tips (oldest first).
    async fn facility(&self, id: FacilityId) -> Result<(FacilityRow, Vec<TipId>), StoreError>;

    /// One page of a facility's tips, newest first (by tip id, descending),
    /// within `provinces` (all when `None`), at most `limit`, and only tips
    /// older than `before` when given (a keyset cursor: the last tip of the
    /// previous page); with how many of its tips lie within `provinces`.
    async fn facility_tips_page(
        &self,
        id: FacilityId,
        provinces: Option<&[String]>,
        before: Option<TipId>,
        limit: i64,
    ) -> Result<(Vec<TipId>, i64), StoreError>;

    /// The facility a tip belongs to.
    async fn facility_of(&self, tip: TipId) -> Result<Option<FacilityId>, StoreError>;

    /// The facilities of several tips, in one read: (tip, facility, its
    /// readable name as stored, its province) for each tip in a facility.
    async fn facilities_of(
        &self,
        tips: &[TipId],
    ) -> Result<Vec<(TipId, FacilityId, String, Option<String>)>, StoreError>;

    /// Every facility's tips, by facility id.
    async fn memberships(&self) -> Result<Vec<(FacilityId, Vec<TipId>)>, StoreError>;

    /// Observables an admin marked as hubs or to ignore: (kind, value, mode).
    async fn observable_modes(&self) -> Result<Vec<(String, String, ObservableMode)>, StoreError>;

    /// Records one analyst decision (a merge, split or separation, which may
    /// be several operations), audited.
    async fn add_analyst_op(
        &self,
        ops: &[vigil_domain::AnalystOp],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Every analyst decision, oldest first; a stored one that cannot be read
    /// is left out (and logged).
    async fn analyst_ops(&self) -> Result<Vec<Vec<vigil_domain::AnalystOp>>, StoreError>;

    /// Tips and facilities counted by province and by district, within
    /// `provinces` (all when `None`; tips and facilities with no province are
    /// only national).
    async fn place_counts(&self, provinces: Option<&[String]>) -> Result<PlaceCounts, StoreError>;

    /// Assigns an object to an account (replacing any earlier assignment), audited.
    async fn assign(&self, row: AssignmentRow, audit: NewAuditEntry) -> Result<(), StoreError>;

    /// Clears an object's assignment (nothing to clear is fine), audited.
    async fn unassign(&self, object: Assignable, audit: NewAuditEntry) -> Result<(), StoreError>;

    /// The assignment of an object, if any.
    async fn assignment(&self, object: Assignable) -> Result<Option<AssignmentRow>, StoreError>;

    /// What is assigned to an account, newest first.
    async fn assignments_to(&self, staff: StaffId) -> Result<Vec<AssignmentRow>, StoreError>;
}

/// Exit screenings: stored, decided and purged into the fairness tallies.
#[async_trait]
pub trait ScreeningStore: Send + Sync {
    /// Stores a screening, audited; returns its id.
    async fn insert_screening(
        &self,
        s: &NewScreening,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// A screening by id.
    async fn screening(&self, id: i64) -> Result<ScreeningRow, StoreError>;

    /// Records the officer's decision and sealed note, audited.
    async fn decide_screening(
        &self,
        id: i64,
        decision: &str,
        note: &[u8],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Deletes screenings created before `before`, first folding them into the
    /// fairness tallies (per post, month in Cambodia time, policy, sex and age
    /// band) in the same transaction; returns how many.
    async fn purge_screenings(&self, before: OffsetDateTime) -> Result<u64, StoreError>;
}

/// What exit posts and the centre exchange: outgoing screenings, cursors, the pulled watchlist.
#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Local screenings (not received from a post) changed after change
    /// sequence `after`, oldest change first, at most `limit`.
    async fn sync_outgoing(&self, after: i64, limit: i64) -> Result<Vec<SyncOutgoing>, StoreError>;

    /// The push cursor named `name` (0 when never set).
    async fn sync_cursor(&self, name: &str) -> Result<i64, StoreError>;

    /// Moves the push cursor named `name` forward to `seq` (never back).
    async fn sync_set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError>;

    /// Stores received screenings in one transaction, audited: an unknown
    /// origin is inserted, a known one takes the decision and note only when
    /// its `decided_at` is newer. Arrival order and repeats do not matter.
    async fn sync_upsert_screenings(
        &self,
        items: &[SyncIncoming],
        audit: NewAuditEntry,
    ) -> Result<SyncCounts, StoreError>;

    /// Replaces the pulled watchlist and policy whole, audited, unless the copy
    /// held was made later; returns whether it replaced it.
    async fn sync_replace_pulled(
        &self,
        pulled: &SyncPulled,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError>;

    /// The pulled watchlist and policy, if any was pulled.
    async fn sync_pulled(&self) -> Result<Option<SyncPulled>, StoreError>;
}

/// Every storage trait, for `use vigil_store::prelude::*`: calling a slice's
/// method on a [`DynStore`] needs that slice's trait in scope.
pub mod prelude {
    pub use crate::{
        AuditStore, CasesStore, CheckStore, FiguresStore, ImmigrationStore, IntakeStore,
        IntelStore, OperationsStore, PersonsStore, PipelineStore, RewardsStore, ScreeningReports,
        ScreeningStore, StaffStore, Store, SyncStore,
    };
}
