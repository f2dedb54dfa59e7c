//! Operations (raids), the fraud networks they hit, seized items and their
//! chains of custody, as stored. The store keeps what `vigil-core` validated
//! and chained with `vigil-custody`: an item's description and each custody
//! event are kept as that crate's JSON, so a chain read back verifies byte for
//! byte; the columns beside them (kind, serial, IMEI…) are for finding items.
//! The store checks only what needs a transaction: unique references, known
//! operations, and that a custody entry extends the stored chain's last step.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{FacilityId, StaffId};

use crate::error::StoreError;

/// A fraud network ("line") and its leaders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRow {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its leaders' names.
    pub leaders: Vec<String>,
    /// The operation that dismantled it, once one has.
    pub dismantled_by: Option<i64>,
    /// The evidence given for dismantling it.
    pub dismantled_evidence: String,
}

/// An operation as written: planned from facilities, led by one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOperation {
    /// Its reference, unique (`OP-2026-014`).
    pub reference: String,
    /// A short title.
    pub title: String,
    /// The lead agency.
    pub lead_agency: String,
    /// Partner agencies.
    pub partners: Vec<String>,
    /// When it is planned for, with the local offset.
    pub planned_for: Option<OffsetDateTime>,
    /// When it happened, with the local offset.
    pub happened_at: Option<OffsetDateTime>,
    /// Gazetteer province code (decides jurisdiction).
    pub province_code: String,
    /// Gazetteer district code, within the province.
    pub district_code: Option<String>,
    /// Gazetteer commune code, within the district.
    pub commune_code: Option<String>,
    /// The place in words.
    pub place: String,
    /// `planned`, `done` or `cancelled`.
    pub status: String,
    /// What it found and did.
    pub outcome: String,
    /// The network it hit.
    pub network_id: Option<i64>,
    /// The facilities it was planned from.
    pub facilities: Vec<FacilityId>,
    /// Who created it.
    pub created_by: StaffId,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A stored operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub operation: NewOperation,
}

/// A seized item's searchable columns and its description as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeizedItem {
    /// The exhibit reference, unique within its operation.
    pub reference: String,
    /// `smartphone`, `sim_card`…
    pub kind: String,
    /// Serial number.
    pub serial: Option<String>,
    /// The first IMEI.
    pub imei: Option<String>,
    /// A SIM card's ICCID.
    pub iccid: Option<String>,
    /// A bank card's last four digits.
    pub card_last4: Option<String>,
    /// Cash amount, as a decimal string.
    pub cash_amount: Option<String>,
    /// Cash currency.
    pub cash_currency: Option<String>,
    /// What it looks like.
    pub description: String,
    /// The first forensic image's SHA-256.
    pub image_sha256: Option<String>,
    /// The whole description as `vigil-custody` JSON (hashed at seizure).
    pub item_json: String,
    /// Who holds it after its first entry.
    pub holder: String,
    /// The seizure: the chain's first entry (step 1).
    pub seizure: CustodyEntryRow,
}

/// One entry of an item's custody chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyEntryRow {
    /// Position from 1.
    pub step: i64,
    /// `seizure`, `transfer` or `imaging`.
    pub kind: String,
    /// When, with the local offset.
    pub at: OffsetDateTime,
    /// The event as `vigil-custody` JSON.
    pub event_json: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// A stored seized item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeizedItemRow {
    /// Its id.
    pub id: i64,
    /// Its operation.
    pub operation_id: i64,
    /// Exhibit reference.
    pub reference: String,
    /// Kind.
    pub kind: String,
    /// Serial number.
    pub serial: Option<String>,
    /// First IMEI.
    pub imei: Option<String>,
    /// The whole description as `vigil-custody` JSON.
    pub item_json: String,
    /// The current holder.
    pub holder: String,
    /// When it was stored.
    pub created_at: OffsetDateTime,
}

/// Operations, networks and seized evidence. A supertrait of
/// [`crate::Store`], kept apart to keep the main trait small.
#[async_trait]
pub trait OperationsStore: Send + Sync {
    /// Records a network; audited.
    async fn create_network(
        &self,
        name: &str,
        leaders: &[String],
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// One network.
    async fn network(&self, id: i64) -> Result<NetworkRow, StoreError>;

    /// Records an operation and its facilities; audited. A reference already
    /// used is `Conflict`; an unknown network `NotFound`.
    async fn create_operation(
        &self,
        op: &NewOperation,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// Replaces an operation's fields and facilities (not its creator);
    /// audited.
    async fn update_operation(
        &self,
        id: i64,
        op: &NewOperation,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// One operation.
    async fn operation(&self, id: i64) -> Result<OperationRow, StoreError>;

    /// Operations in these provinces (all when `None`), only those planned
    /// from `facility` when given, newest first.
    async fn operations(
        &self,
        provinces: Option<&[String]>,
        facility: Option<FacilityId>,
    ) -> Result<Vec<OperationRow>, StoreError>;

    /// Marks a network dismantled by an operation, with the evidence;
    /// audited. Already dismantled is `Conflict`.
    async fn dismantle_network(
        &self,
        network: i64,
        operation: i64,
        evidence: &str,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Stores items seized in an operation, each with its seizure entry, all
    /// in one transaction with one audit entry: all or nothing. An unknown
    /// operation is `NotFound`; a reference already in the operation (or
    /// twice in the batch) is `Conflict` naming it. Returns the ids in order.
    async fn insert_seized_items(
        &self,
        operation: i64,
        items: &[NewSeizedItem],
        audit: NewAuditEntry,
    ) -> Result<Vec<i64>, StoreError>;

    /// Appends an entry to an item's chain and sets its holder; audited.
    /// The entry must follow the stored last step (`step` one more,
    /// `prev_hash` its hash), checked inside the transaction: of two
    /// concurrent appends one is `Conflict`.
    async fn append_custody(
        &self,
        item: i64,
        entry: &CustodyEntryRow,
        holder: &str,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// An item and its whole chain, in step order.
    async fn seized_item(
        &self,
        id: i64,
    ) -> Result<(SeizedItemRow, Vec<CustodyEntryRow>), StoreError>;

    /// The items of an operation, by id.
    async fn operation_items(&self, operation: i64) -> Result<Vec<SeizedItemRow>, StoreError>;
}
