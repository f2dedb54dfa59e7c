//! Immigration records as stored (migration 0016):
//! detentions, deportation orders and departures (deported or voluntary).
//! Every record keeps its own subject: the nationality in the clear and the
//! identity sealed by `vigil-core` (bytes here). A record may point to a
//! linked person (`person_id`, set by `vigil-core`'s linkage, no foreign key).
//! The store checks what needs a transaction: unique order references, known
//! operations, and that a deportation executes an order still `issued`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;

use crate::error::StoreError;

/// A detention as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDetention {
    /// The identity, sealed.
    pub subject: Vec<u8>,
    /// The linked person, when known.
    pub person_id: Option<i64>,
    /// The operation the person was met in.
    pub operation_id: Option<i64>,
    /// ISO 3166-1 alpha-2, upper case.
    pub nationality: String,
    /// Where they are held, in words.
    pub place: String,
    /// The place's gazetteer province (decides jurisdiction).
    pub province_code: String,
    /// First day held.
    pub from_on: Date,
    /// Last day held, once released.
    pub until_on: Option<Date>,
    /// Who recorded it.
    pub created_by: StaffId,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
}

/// A stored detention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetentionRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub detention: NewDetention,
}

/// A deportation order as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeportationOrder {
    /// Its reference, unique.
    pub reference: String,
    /// The identity, sealed.
    pub subject: Vec<u8>,
    /// The linked person, when known.
    pub person_id: Option<i64>,
    /// ISO 3166-1 alpha-2, upper case.
    pub nationality: String,
    /// The day it was issued.
    pub issued_on: Date,
    /// Who issued it.
    pub authority: String,
    /// The issuing province (decides jurisdiction).
    pub province_code: String,
    /// `issued`, `executed` or `cancelled`.
    pub status: String,
    /// Who recorded it.
    pub created_by: StaffId,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
}

/// A stored deportation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeportationOrderRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub order: NewDeportationOrder,
}

/// A departure as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeparture {
    /// `deported` or `voluntary`.
    pub kind: String,
    /// The identity, sealed.
    pub subject: Vec<u8>,
    /// The linked person, when known.
    pub person_id: Option<i64>,
    /// The operation the person was met in.
    pub operation_id: Option<i64>,
    /// The order it executes (deported only).
    pub order_id: Option<i64>,
    /// ISO 3166-1 alpha-2, upper case.
    pub nationality: String,
    /// The day they left.
    pub departed_on: Date,
    /// The exit post's code (`vigil_domain::posts`).
    pub port: String,
    /// The port's province (decides jurisdiction).
    pub province_code: String,
    /// The CSV import it came in, if any.
    pub batch: Option<String>,
    /// Who recorded it.
    pub created_by: StaffId,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
}

/// A stored departure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub departure: NewDeparture,
}

/// The immigration figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImmigrationFigures {
    /// Departures of kind `deported`.
    pub deportations: u64,
    /// Departures of kind `voluntary`.
    pub voluntary_departures: u64,
    /// Detentions that began in the period.
    pub detentions: u64,
    /// Deportation orders issued in the period.
    pub orders: u64,
    /// Departures by nationality: (deported, voluntary).
    pub by_nationality: BTreeMap<String, (u64, u64)>,
}

/// What a list or an export selects; `None` fields select everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImmigrationFilter {
    /// Only this nationality.
    pub nationality: Option<String>,
    /// From this day, inclusive.
    pub from: Option<Date>,
    /// To this day, inclusive.
    pub to: Option<Date>,
    /// Only these provinces (all when `None`).
    pub provinces: Option<Vec<String>>,
    /// At most this many rows, newest first (all when `None`).
    pub limit: Option<u32>,
}

/// Immigration records. A supertrait of [`crate::Store`], kept apart to
/// keep the main trait small.
#[async_trait]
pub trait ImmigrationStore: Send + Sync {
    /// Records a detention; audited. An unknown operation is `NotFound`.
    async fn insert_detention(
        &self,
        d: &NewDetention,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// Records a deportation order; audited. A reference already used is
    /// `Conflict`.
    async fn insert_deportation_order(
        &self,
        o: &NewDeportationOrder,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// One deportation order.
    async fn deportation_order(&self, id: i64) -> Result<DeportationOrderRow, StoreError>;

    /// Records one departure; audited. A `deported` departure names an order
    /// that must still be `issued` (else `Conflict`; unknown: `NotFound`),
    /// and the order is marked `executed` in the same transaction. An
    /// unknown operation is `NotFound`.
    async fn insert_departure(
        &self,
        d: &NewDeparture,
        audit: NewAuditEntry,
    ) -> Result<i64, StoreError>;

    /// Stores many departures without orders (a CSV import) in one
    /// transaction with one audit entry: all or nothing. `progress` is
    /// called with the number of rows written so far. Returns how many.
    async fn insert_departures_bulk(
        &self,
        rows: &[NewDeparture],
        audit: NewAuditEntry,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<u64, StoreError>;

    /// Departures by `departed_on`, newest first.
    async fn departures(&self, f: &ImmigrationFilter) -> Result<Vec<DepartureRow>, StoreError>;

    /// Deportation orders by `issued_on`, newest first.
    async fn deportation_orders(
        &self,
        f: &ImmigrationFilter,
    ) -> Result<Vec<DeportationOrderRow>, StoreError>;

    /// Detentions by `from_on`, newest first.
    async fn detentions(&self, f: &ImmigrationFilter) -> Result<Vec<DetentionRow>, StoreError>;

    /// The figures of the days `from..=to` in these provinces (all when
    /// `None`), aggregated in SQL: departures from `departure_tallies` (kept
    /// by triggers on `departures`), detentions and orders counted.
    async fn immigration_figures(
        &self,
        from: Date,
        to: Date,
        provinces: Option<&[String]>,
    ) -> Result<ImmigrationFigures, StoreError>;
}
