//! Persons met in operations, as stored (migration 0014): one `persons` row
//! per real individual and one `person_records` row each time a person is
//! met. A record keeps in the clear only what figures and jurisdiction need
//! (role, nationality, province, the victim checklist and its outcome); the
//! identity arrives sealed by `vigil-core` and the blocking keys as keyed
//! hashes, so the store never sees a name. `vigil-core` decides which person
//! a record belongs to (linkage); the store writes that decision, and the
//! uncertain pairs, in one transaction.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;

use crate::error::StoreError;

/// Which person a new record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonLink {
    /// A person met for the first time: a new `persons` row.
    New,
    /// A person already stored.
    Person(i64),
    /// The same person as an earlier record of the same batch (its index).
    SameAs(usize),
}

/// The other record of an uncertain pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordRef {
    /// A record already stored.
    Stored(i64),
    /// An earlier record of the same batch (its index).
    Batch(usize),
}

/// An uncertain pair to put in the review queue with a new record.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingReview {
    /// The record the new one may be the same person as.
    pub other: RecordRef,
    /// Match probability, 0–1.
    pub score: f64,
    /// The linkage's reasons, as JSON.
    pub reasons_json: String,
}

/// A record of a person met, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPersonRecord {
    /// Jurisdiction: the province where the person was met.
    pub province_code: String,
    /// `suspect`, `victim`, `witness` or `recruiter`.
    pub role: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub nationality: String,
    /// Language spoken.
    pub language: String,
    /// `f`, `m` or empty.
    pub sex: String,
    /// Under 18 when met.
    pub minor: bool,
    /// The checklist's indicators answered yes (their codes).
    pub indicators: Vec<String>,
    /// In imminent danger.
    pub imminent_danger: bool,
    /// `given`, `refused` or `not_asked`.
    pub consent: String,
    /// The checklist's outcome.
    pub likely_victim: bool,
    /// Referred to the police / protection services.
    pub referred: bool,
    /// The referral rule's reasons: a JSON array of
    /// `vigil_domain::victims::ReferralReason` (plain words in records
    /// written before).
    pub referral_reason: String,
    /// The identity, sealed.
    pub identity: Vec<u8>,
    /// Blocking keys, keyed hashes.
    pub keys: Vec<Vec<u8>>,
    /// Which person it is.
    pub link: PersonLink,
    /// Uncertain pairs to review.
    pub reviews: Vec<PendingReview>,
    /// The person's home village, when known.
    pub home: Option<crate::HomeVillage>,
    /// A victim's recruitment, or a recruiter's own contacts.
    pub recruitment: Option<crate::Recruitment>,
    /// A recruiter arrested in the operation they were met in.
    pub arrested: bool,
    /// Who recorded it.
    pub created_by: StaffId,
    /// When the person was met (recorded).
    pub created_at: OffsetDateTime,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecordRow {
    /// Its id.
    pub id: i64,
    /// The person it belongs to (now).
    pub person_id: i64,
    /// The operation it was met in.
    pub operation_id: Option<i64>,
    /// Its fields (`link`, `keys` and `reviews` empty as read).
    pub record: NewPersonRecord,
    /// The supervisor who acknowledged the victim flag, when, and their note.
    pub victim_ack: Option<(StaffId, OffsetDateTime, String)>,
}

/// A pair in the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonReviewRow {
    /// Its id.
    pub id: i64,
    /// The earlier record.
    pub record_a: i64,
    /// The later record.
    pub record_b: i64,
    /// Match probability, 0–1.
    pub score: f64,
    /// The linkage's reasons, as JSON.
    pub reasons_json: String,
    /// `pending`, `same` or `different`.
    pub status: String,
    /// Who decided, and when.
    pub decided: Option<(StaffId, OffsetDateTime)>,
}

/// A candidate for linkage: a stored record sharing a blocking key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCandidate {
    /// The record.
    pub record_id: i64,
    /// Its person.
    pub person_id: i64,
    /// Its province.
    pub province_code: String,
    /// Its recorded sex.
    pub sex: String,
    /// Its recorded nationality.
    pub nationality: String,
    /// Its sealed identity.
    pub identity: Vec<u8>,
}

/// Figures on persons met: every count is of distinct persons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFigures {
    /// Persons with a record in the period.
    pub persons_met: u64,
    /// Persons by the role they were recorded in (a person recorded in two
    /// roles counts in both).
    pub by_role: BTreeMap<String, u64>,
    /// Persons by nationality.
    pub by_nationality: BTreeMap<String, u64>,
    /// Persons with a likely-victim record.
    pub victims_identified: u64,
    /// Persons with a referred record.
    pub victims_referred: u64,
}

/// Persons met, their records, linkage reviews and figures. A supertrait of
/// [`crate::Store`].
#[async_trait]
pub trait PersonsStore: Send + Sync {
    /// Stores the records of persons met in one operation (or none), their
    /// blocking keys, new persons and review pairs, all in one transaction
    /// with one audit entry: all or nothing. An unknown operation or person
    /// is `NotFound`. Returns `(record id, person id)` in order.
    async fn insert_person_records(
        &self,
        operation: Option<i64>,
        records: &[NewPersonRecord],
        audit: NewAuditEntry,
    ) -> Result<Vec<(i64, i64)>, StoreError>;

    /// Records sharing one of these blocking keys (at most `limit`), for
    /// linkage.
    async fn person_candidates(
        &self,
        keys: &[Vec<u8>],
        limit: i64,
    ) -> Result<Vec<PersonCandidate>, StoreError>;

    /// The person a person id now stands for (following merges); `NotFound`
    /// if unknown.
    async fn resolve_person(&self, id: i64) -> Result<i64, StoreError>;

    /// One record.
    async fn person_record(&self, id: i64) -> Result<PersonRecordRow, StoreError>;

    /// Every record of a person (following merges), oldest first; `NotFound`
    /// for an unknown person.
    async fn person_records(&self, person: i64) -> Result<Vec<PersonRecordRow>, StoreError>;

    /// The records of an operation, oldest first.
    async fn operation_person_records(
        &self,
        operation: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError>;

    /// Records flagged as a likely victim and not yet acknowledged, in these
    /// provinces (all when `None`), newest first, at most `limit`.
    async fn victims_to_acknowledge(
        &self,
        provinces: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError>;

    /// A supervisor acknowledges a record's victim flag, with a note;
    /// audited. Not a likely victim, or already acknowledged, is `Conflict`.
    async fn acknowledge_victim(
        &self,
        record: i64,
        by: StaffId,
        note: &str,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Review pairs with this status whose two records both lie in these
    /// provinces (all when `None`), newest first.
    async fn person_reviews(
        &self,
        status: &str,
        provinces: Option<&[String]>,
    ) -> Result<Vec<PersonReviewRow>, StoreError>;

    /// One review pair.
    async fn person_review(&self, id: i64) -> Result<PersonReviewRow, StoreError>;

    /// Decides a pending pair, in one transaction; audited. `same` merges the
    /// two persons: every record of the later person moves to the earlier,
    /// which the later then points to. Already decided is `Conflict`.
    /// Returns the person kept.
    async fn decide_person_review(
        &self,
        id: i64,
        same: bool,
        by: StaffId,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// Figures on persons met with a record created in `[from, to)`, in these
    /// provinces (all when `None`).
    async fn person_figures(
        &self,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        provinces: Option<&[String]>,
    ) -> Result<PersonFigures, StoreError>;
}
