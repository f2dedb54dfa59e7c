//! The analyst's workspace as it crosses the [`crate::Store`] boundary: counts
//! by place for the map, and assignments of facilities and tips to accounts.

use time::OffsetDateTime;
use vigil_domain::{FacilityId, StaffId, TipId};

/// Facilities counted by (province, district): count and top priority.
pub type DistrictFacilities = (Option<String>, Option<String>, i64, Option<f64>);

/// Tips and facilities counted in one place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceCount {
    /// Province (`None`: tips with no province).
    pub province_code: Option<String>,
    /// District, in the district rows (`None` in province rows, and for tips
    /// with no district).
    pub district_code: Option<String>,
    /// Tips placed there.
    pub tips: i64,
    /// Facilities there: in a province row, facilities of that province; in
    /// a district row, facilities of the district's province with a tip in it.
    pub facilities: i64,
    /// The highest priority among those facilities.
    pub top_priority: Option<f64>,
}

/// Counts for the map: one row per province and one per (province, district).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceCounts {
    /// By province, in code order (no province last).
    pub provinces: Vec<PlaceCount>,
    /// By province and district, in code order.
    pub districts: Vec<PlaceCount>,
}

impl PlaceCounts {
    /// Joins what the backends count separately: tips by (province,
    /// district), facilities by district and by province. Shared by every
    /// backend so they agree.
    pub fn assemble(
        tips: Vec<(Option<String>, Option<String>, i64)>,
        district_facilities: Vec<DistrictFacilities>,
        province_facilities: Vec<(Option<String>, i64, Option<f64>)>,
    ) -> PlaceCounts {
        use std::collections::BTreeMap;
        type Key = (Option<String>, Option<String>);
        let mut districts: BTreeMap<Key, PlaceCount> = BTreeMap::new();
        let mut provinces: BTreeMap<Option<String>, PlaceCount> = BTreeMap::new();
        let blank = |p: &Option<String>, d: &Option<String>| PlaceCount {
            province_code: p.clone(),
            district_code: d.clone(),
            tips: 0,
            facilities: 0,
            top_priority: None,
        };
        for (p, d, n) in tips {
            provinces
                .entry(p.clone())
                .or_insert_with(|| blank(&p, &None))
                .tips += n;
            districts
                .entry((p.clone(), d.clone()))
                .or_insert_with(|| blank(&p, &d))
                .tips += n;
        }
        for (p, d, n, top) in district_facilities {
            let row = districts
                .entry((p.clone(), d.clone()))
                .or_insert_with(|| blank(&p, &d));
            row.facilities = n;
            row.top_priority = top;
        }
        for (p, n, top) in province_facilities {
            let row = provinces
                .entry(p.clone())
                .or_insert_with(|| blank(&p, &None));
            row.facilities = n;
            row.top_priority = top;
        }
        // `None` sorts first in a BTreeMap; the map lists it last.
        let last = |mut v: Vec<PlaceCount>| {
            v.sort_by_key(|r| r.province_code.is_none());
            v
        };
        PlaceCounts {
            provinces: last(provinces.into_values().collect()),
            districts: last(districts.into_values().collect()),
        }
    }
}

/// What can be assigned to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Assignable {
    /// A suspected facility.
    Facility(FacilityId),
    /// A tip.
    Tip(TipId),
}

impl Assignable {
    /// Stored form: `facility:12`, `tip:5` (also the audit object).
    pub fn to_stored(self) -> String {
        match self {
            Assignable::Facility(f) => format!("facility:{f}"),
            Assignable::Tip(t) => format!("tip:{t}"),
        }
    }

    /// Reads the stored form.
    pub fn from_stored(s: &str) -> Option<Assignable> {
        let (kind, id) = s.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "facility" => Some(Assignable::Facility(FacilityId(id))),
            "tip" => Some(Assignable::Tip(TipId(id))),
            _ => None,
        }
    }
}

/// A stored assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    /// What is assigned.
    pub object: Assignable,
    /// To whom.
    pub staff: StaffId,
    /// By whom.
    pub assigned_by: StaffId,
    /// When.
    pub assigned_at: OffsetDateTime,
}
