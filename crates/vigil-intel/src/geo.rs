//! Distances on the Earth and a grid index for "within r metres" pairs.

use rustc_hash::FxHashMap;

const EARTH_RADIUS_M: f64 = 6_371_008.8;
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Great-circle distance in metres between two `(lat, lon)` points in degrees.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Every pair `(i, j)`, `i < j`, of `points` (indexed by position) at most `radius_m`
/// apart, sorted. Points are bucketed in cells at least `radius_m` wide, so only the
/// 3×3 neighbouring cells are compared.
pub fn pairs_within(points: &[Option<(f64, f64)>], radius_m: f64) -> Vec<(usize, usize)> {
    if radius_m <= 0.0 || !radius_m.is_finite() {
        return Vec::new();
    }
    let dlat = radius_m / METRES_PER_DEGREE;
    let row_of = |lat: f64| (lat / dlat).floor() as i64;
    // Width of a cell in degrees of longitude on a row: wide enough at the row's
    // edge nearest a pole.
    let dlon_of = |row: i64| {
        let edge = ((row as f64).abs() + 1.0) * dlat;
        dlat / edge.min(89.0).to_radians().cos().max(1e-6)
    };
    let mut cells: FxHashMap<(i64, i64), Vec<usize>> = FxHashMap::default();
    for (i, p) in points.iter().enumerate() {
        if let Some((lat, lon)) = *p {
            let row = row_of(lat);
            let col = (lon / dlon_of(row)).floor() as i64;
            cells.entry((row, col)).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let Some(pi) = *p else { continue };
        let row = row_of(pi.0);
        for r in row - 1..=row + 1 {
            let col = (pi.1 / dlon_of(r)).floor() as i64;
            for c in col - 1..=col + 1 {
                let Some(cell) = cells.get(&(r, c)) else {
                    continue;
                };
                for &j in cell {
                    if j > i
                        && let Some(pj) = points[j]
                        && haversine_m(pi, pj) <= radius_m
                    {
                        out.push((i, j));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_table() {
        // One degree of latitude ≈ 111.2 km.
        let d = haversine_m((10.0, 104.0), (11.0, 104.0));
        assert!((d - 111_195.0).abs() < 100.0, "{d}");
        assert_eq!(haversine_m((10.6, 103.5), (10.6, 103.5)), 0.0);
        // Phnom Penh – Sihanoukville ≈ 185 km.
        let d = haversine_m((11.5564, 104.9282), (10.6253, 103.5234));
        assert!((180_000.0..190_000.0).contains(&d), "{d}");
    }

    #[test]
    fn grid_matches_brute_force() {
        let mut pts = Vec::new();
        let mut x = 12345u64;
        for _ in 0..400 {
            x = crate::text::mix64(x);
            let lat = 10.6 + (x % 1000) as f64 * 1e-5;
            x = crate::text::mix64(x);
            let lon = 103.5 + (x % 1000) as f64 * 1e-5;
            pts.push(if x.is_multiple_of(7) {
                None
            } else {
                Some((lat, lon))
            });
        }
        let fast = pairs_within(&pts, 250.0);
        let mut slow = Vec::new();
        for i in 0..pts.len() {
            for j in i + 1..pts.len() {
                if let (Some(a), Some(b)) = (pts[i], pts[j])
                    && haversine_m(a, b) <= 250.0
                {
                    slow.push((i, j));
                }
            }
        }
        assert_eq!(fast, slow);
        assert!(!fast.is_empty());
    }
}
