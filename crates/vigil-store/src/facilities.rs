//! Suspected facilities (clusters of tips) as they cross the [`crate::Store`]
//! boundary. Clustering and scoring happen in `vigil-intel`; the store only
//! keeps the result.

use time::OffsetDateTime;
use vigil_domain::{FacilityId, TipId};

/// A facility to write (insert or replace), with all its tips.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityWrite {
    /// Stable id (chosen by the caller: reused across reclustering).
    pub id: FacilityId,
    /// Its tips (each tip belongs to one facility at most).
    pub tips: Vec<TipId>,
    /// Priority score.
    pub priority: f64,
    /// The reasons, as a JSON array written by the caller.
    pub reasons: String,
    /// Its readable name, as JSON written by the caller (empty: none).
    pub name: String,
    /// The province most of its tips are in.
    pub province_code: Option<String>,
    /// Its first tip's time.
    pub first_at: OffsetDateTime,
    /// Its latest tip's time.
    pub last_at: OffsetDateTime,
}

/// A stored facility.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityRow {
    /// Id.
    pub id: FacilityId,
    /// Priority score.
    pub priority: f64,
    /// The reasons (JSON array).
    pub reasons: String,
    /// Its readable name (JSON; empty: none yet).
    pub name: String,
    /// Province.
    pub province_code: Option<String>,
    /// Number of tips.
    pub tips: i64,
    /// First tip's time.
    pub first_at: OffsetDateTime,
    /// Latest tip's time.
    pub last_at: OffsetDateTime,
    /// Its latest completed operation (status `done`), if one was carried
    /// out against it.
    pub raid: Option<RaidMark>,
}

/// A completed operation against a facility: the latest one, by its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaidMark {
    /// The operation's id.
    pub operation: i64,
    /// Its reference (`OP-2026-014`).
    pub reference: String,
    /// When it happened (else when it was planned for, else when it was
    /// recorded).
    pub at: OffsetDateTime,
}

/// Which facilities to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacilityQuery {
    /// Only these provinces; `None` for all.
    pub provinces: Option<Vec<String>>,
    /// At most this many.
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}
