//! Where things are: 337 populated places with coordinates (GeoNames, CC BY
//! 4.0, see `data/gazetteer/NOTICE`), tied to the official gazetteer's
//! provinces and districts, and the centroids drawn on the staff map.
//!
//! GeoNames files each place under its own first-level code; [`ADMIN1`] maps
//! those codes to official province codes (found by matching the places'
//! names against district and commune names, and checked by a test). A place
//! whose name is a district or commune name in that province also gets the
//! district. A unit's centroid is the mean of its places; a district with no
//! place of its name has none and is listed, not drawn.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::gazetteer::{Level, gazetteer, name_key};

const PLACES: &str = include_str!("../data/gazetteer/geonames_kh_places.json");

/// The attribution the data's licence requires, for every page that draws it.
pub const ATTRIBUTION: &str = "Places: GeoNames (geonames.org), CC BY 4.0. \
     Divisions: General Directorate of Digital Economy, Ministry of Economy and Finance.";

/// GeoNames first-level code → official province code.
pub const ADMIN1: [(&str, &str); 25] = [
    ("02", "03"),
    ("03", "04"),
    ("04", "05"),
    ("05", "06"),
    ("07", "08"),
    ("08", "09"),
    ("09", "10"),
    ("10", "11"),
    ("12", "15"),
    ("13", "13"),
    ("14", "14"),
    ("17", "19"),
    ("18", "20"),
    ("19", "21"),
    ("21", "07"),
    ("22", "12"),
    ("23", "16"),
    ("24", "17"),
    ("25", "01"),
    ("26", "23"),
    ("27", "22"),
    ("28", "18"),
    ("29", "02"),
    ("30", "24"),
    ("31", "25"),
];

/// A point on the earth, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its name (romanised).
    pub name: String,
    /// Where it is.
    pub at: LatLon,
    /// Population, as GeoNames has it.
    pub population: u64,
    /// Official province code.
    pub province: Option<String>,
    /// Official district code, when the place's name is one of the
    /// province's district or commune names.
    pub district: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    name: String,
    latitude: f64,
    longitude: f64,
    #[serde(default)]
    population: u64,
    admin1code: String,
    #[serde(default)]
    alternatenames: Vec<String>,
}

/// The places and the centroids of the units they fall in.
#[derive(Debug)]
pub struct Atlas {
    places: Vec<Place>,
    centroids: BTreeMap<String, LatLon>,
}

/// The atlas, built once from the embedded data.
pub fn atlas() -> &'static Atlas {
    static A: OnceLock<Atlas> = OnceLock::new();
    A.get_or_init(Atlas::load)
}

fn district_of(province: &str, names: &[String]) -> Option<String> {
    let g = gazetteer();
    let keys: Vec<String> = names
        .iter()
        .map(|n| name_key(n))
        .filter(|k| !k.is_empty())
        .collect();
    let matches = |u: &crate::gazetteer::Unit| {
        let (en, km) = (name_key(&u.name_en), name_key(&u.name_km));
        keys.iter().any(|k| *k == en || *k == km)
    };
    let districts: Vec<_> = g.children(province).collect();
    if let Some(d) = districts.iter().find(|d| matches(d)) {
        return Some(d.code.clone());
    }
    districts
        .iter()
        .find(|d| g.children(&d.code).any(&matches))
        .map(|d| d.code.clone())
}

impl Atlas {
    fn load() -> Atlas {
        // The embedded file is checked by the tests below; a broken one
        // leaves the map empty rather than failing the server.
        let raw: Vec<Raw> = serde_json::from_str(PLACES).unwrap_or_default();
        let places: Vec<Place> = raw
            .into_iter()
            .map(|r| {
                let province = ADMIN1
                    .iter()
                    .find(|(a, _)| *a == r.admin1code)
                    .map(|(_, p)| (*p).to_string());
                let mut names = vec![r.name.clone()];
                names.extend(r.alternatenames);
                let district = province.as_deref().and_then(|p| district_of(p, &names));
                Place {
                    name: r.name,
                    at: LatLon {
                        lat: r.latitude,
                        lon: r.longitude,
                    },
                    population: r.population,
                    province,
                    district,
                }
            })
            .collect();
        let mut sums: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
        for p in &places {
            for code in p.province.iter().chain(&p.district) {
                let s = sums.entry(code.clone()).or_default();
                s.0 += p.at.lat;
                s.1 += p.at.lon;
                s.2 += 1.0;
            }
        }
        let centroids = sums
            .into_iter()
            .map(|(c, (lat, lon, n))| {
                (
                    c,
                    LatLon {
                        lat: lat / n,
                        lon: lon / n,
                    },
                )
            })
            .collect();
        Atlas { places, centroids }
    }

    /// Every place.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The centroid of a province or district's places, if it has any.
    pub fn centroid(&self, code: &str) -> Option<LatLon> {
        self.centroids.get(code).copied()
    }

    /// Where a gazetteer unit is best placed: its own centroid, else the
    /// nearest ancestor's (a commune or village falls back to its district,
    /// then its province).
    pub fn locate(&self, code: &str) -> Option<LatLon> {
        let g = gazetteer();
        let mut code = code;
        loop {
            if let Some(c) = self.centroid(code) {
                return Some(c);
            }
            match g.get(code).and_then(|u| u.parent.as_deref()) {
                Some(p) if Level::of_code(p).is_some() => code = p,
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_is_in_a_province_and_the_capital_is_where_it_should_be() {
        let a = atlas();
        assert_eq!(a.places().len(), 337);
        assert!(a.places().iter().all(|p| p.province.is_some()));
        let pp = a
            .places()
            .iter()
            .find(|p| p.name == "Phnom Penh")
            .expect("pp");
        assert_eq!(pp.province.as_deref(), Some("12"));
        for p in gazetteer().provinces() {
            assert!(
                a.centroid(&p.code).is_some(),
                "{} has a centroid",
                p.name_en
            );
        }
        let c = a.centroid("12").expect("capital");
        assert!((c.lat - 11.56).abs() < 0.3 && (c.lon - 104.9).abs() < 0.3);
    }

    #[test]
    fn the_admin1_table_agrees_with_the_names() {
        // A place named like a district or commune of its mapped province is
        // evidence for the mapping: most places of each code must agree.
        let a = atlas();
        for (geo, official) in ADMIN1 {
            let n = a
                .places()
                .iter()
                .filter(|p| p.province.as_deref() == Some(official))
                .count();
            let named = a
                .places()
                .iter()
                .filter(|p| p.province.as_deref() == Some(official) && p.district.is_some())
                .count();
            assert!(n > 0 && named > 0, "GeoNames {geo} → {official}");
        }
        let districts = a
            .places()
            .iter()
            .filter_map(|p| p.district.as_deref())
            .collect::<std::collections::BTreeSet<_>>();
        assert!(districts.len() > 60, "{} districts placed", districts.len());
    }

    #[test]
    fn units_fall_back_to_their_ancestors() {
        let a = atlas();
        // A village code resolves through its commune and district.
        let v = gazetteer()
            .units()
            .iter()
            .find(|u| u.level == Level::Village && u.code.starts_with("18"))
            .expect("a village");
        assert!(a.locate(&v.code).is_some());
        assert_eq!(a.locate("99"), None);
    }
}
