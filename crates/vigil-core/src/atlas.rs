//! The map: facilities and tips counted by province, and by district within
//! a chosen province, placed at the centroids of the gazetteer's places
//! (`vigil_domain::places`). Counted within the principal's jurisdiction
//! only: a provincial analyst's map holds their provinces and nothing else,
//! and another province is `NotFound`.

use std::collections::BTreeMap;
use vigil_domain::Capability;

use vigil_domain::gazetteer::{Level, gazetteer};
use vigil_domain::places::{LatLon, atlas};
use vigil_store::{FacilityQuery, PlaceCount};

use crate::views::{Facility, Tip};

use crate::CoreError;
use crate::desk::DeskService;
use crate::staff::Principal;

/// How urgent the most urgent facility of a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    /// No facility.
    None,
    /// Facilities, none of them high.
    Low,
    /// A facility at a third of the life-safety floor or above.
    High,
    /// A facility whose priority holds a life-safety reason.
    LifeSafety,
}

impl Band {
    /// Stable name (a CSS class on the map).
    pub fn as_str(self) -> &'static str {
        match self {
            Band::None => "none",
            Band::Low => "low",
            Band::High => "high",
            Band::LifeSafety => "life-safety",
        }
    }

    /// The band of a top priority: life-safety at or above the smallest
    /// life-safety weight (no other reason reaches it alone).
    pub fn of(top: Option<f64>) -> Band {
        let w = vigil_intel::Weights::default();
        let floor = w
            .held
            .min(w.passports_taken)
            .min(w.violence)
            .min(w.children);
        match top {
            None => Band::None,
            Some(p) if p >= floor => Band::LifeSafety,
            Some(p) if p >= floor / 3.0 => Band::High,
            Some(_) => Band::Low,
        }
    }
}

/// One place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// Province or district code (`None`: no province, or no district known).
    pub code: Option<String>,
    /// Where to draw it, if the gazetteer's places say.
    pub at: Option<LatLon>,
    /// Tips there.
    pub tips: i64,
    /// Facilities there.
    pub facilities: i64,
    /// The most urgent facility's band.
    pub band: Band,
}

/// The map at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    /// The province chosen (district level), or `None` (the country).
    pub province: Option<String>,
    /// The places with something in them, in code order.
    pub spots: Vec<Spot>,
}

fn may_read(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReadTips) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

fn spot(row: PlaceCount, level: Level) -> Spot {
    let code = match level {
        Level::Province => row.province_code,
        _ => row.district_code,
    };
    Spot {
        at: code.as_deref().and_then(|c| atlas().centroid(c)),
        code,
        tips: row.tips,
        facilities: row.facilities,
        band: Band::of(row.top_priority),
    }
}

/// The country: one spot per province within the jurisdiction.
pub async fn country(v: &DeskService, p: &Principal) -> Result<MapView, CoreError> {
    may_read(p)?;
    let counts = v.store.place_counts(p.jurisdiction.provinces()).await?;
    Ok(MapView {
        province: None,
        spots: counts
            .provinces
            .into_iter()
            .map(|r| spot(r, Level::Province))
            .collect(),
    })
}

/// A province (which must be within the jurisdiction): one spot per district.
pub async fn province(v: &DeskService, p: &Principal, code: &str) -> Result<MapView, CoreError> {
    may_read(p)?;
    let known = gazetteer()
        .get(code)
        .is_some_and(|u| u.level == Level::Province);
    if !known || !p.jurisdiction.covers(Some(code)) {
        return Err(CoreError::NotFound);
    }
    let scope = [code.to_string()];
    let counts = v.store.place_counts(Some(&scope)).await?;
    Ok(MapView {
        province: Some(code.to_string()),
        spots: counts
            .districts
            .into_iter()
            .map(|r| spot(r, Level::District))
            .collect(),
    })
}

/// Facilities of one province (which must be within the jurisdiction),
/// highest priority first, and how many there are: the queue the map links to.
pub async fn facilities_in(
    v: &DeskService,
    p: &Principal,
    code: &str,
    page: i64,
) -> Result<(Vec<(Facility, Vec<crate::desk::ReasonView>)>, i64), CoreError> {
    may_read(p)?;
    if !p.jurisdiction.covers(Some(code)) {
        return Err(CoreError::NotFound);
    }
    let (rows, total) = v
        .store
        .facilities(&FacilityQuery {
            provinces: Some(vec![code.to_string()]),
            limit: crate::desk::PAGE,
            offset: page.max(0).saturating_mul(crate::desk::PAGE),
        })
        .await?;
    let rows = rows
        .into_iter()
        .map(|f| {
            let reasons = serde_json::from_str(&f.reasons).unwrap_or_default();
            (f.into(), reasons)
        })
        .collect();
    Ok((rows, total))
}

/// How precisely a facility is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Coordinates given with its tips (their mean).
    Coordinates,
    /// The village, commune or district its tips name most.
    Place,
    /// Only its province.
    Province,
}

/// Where a facility is, from its tips: the mean of their coordinates, else
/// the place their codes name most often, else its province. Pure.
pub fn place_of(facility: &Facility, tips: &[Tip]) -> Option<(LatLon, Precision)> {
    let coords: Vec<(f64, f64)> = tips
        .iter()
        .filter_map(|t| t.location.lat.zip(t.location.lon))
        .filter(|(lat, lon)| (9.0..=15.5).contains(lat) && (102.0..=108.0).contains(lon))
        .collect();
    if !coords.is_empty() {
        let n = coords.len() as f64;
        let lat = coords.iter().map(|c| c.0).sum::<f64>() / n;
        let lon = coords.iter().map(|c| c.1).sum::<f64>() / n;
        return Some((LatLon { lat, lon }, Precision::Coordinates));
    }
    let mut named: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tips {
        let l = &t.location;
        let finest = l
            .village_code
            .as_deref()
            .or(l.commune_code.as_deref())
            .or(l.district_code.as_deref());
        if let Some(c) = finest {
            *named.entry(c).or_default() += 1;
        }
    }
    let best = named
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c);
    if let Some(at) = best.and_then(|c| atlas().locate(c)) {
        return Some((at, Precision::Place));
    }
    facility
        .province_code
        .as_deref()
        .and_then(|c| atlas().centroid(c))
        .map(|at| (at, Precision::Province))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(Band::of(None), Band::None);
        assert_eq!(Band::of(Some(3.0)), Band::Low);
        assert_eq!(Band::of(Some(25.0)), Band::High);
        assert_eq!(Band::of(Some(95.0)), Band::LifeSafety);
        assert!(Band::LifeSafety > Band::High);
    }
}
