//! Geometry for the server-drawn SVG maps and graphs: an equirectangular
//! projection fitted to a set of points, convex hulls, and a radial layout.
//! Plain functions; templates only place what these compute.

use vigil_domain::places::LatLon;

/// A projection of degrees onto a `width` × `height` drawing.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    lon0: f64,
    lat1: f64,
    scale: f64,
    squeeze: f64,
    pad: f64,
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
}

impl Frame {
    /// A frame `width` wide that holds every point (with `pad` around them);
    /// longitudes are narrowed by the cosine of the middle latitude, so shapes
    /// keep their proportions at Cambodia's latitude.
    pub fn fit(points: &[LatLon], width: f64, pad: f64) -> Frame {
        let (mut lon0, mut lon1, mut lat0, mut lat1) = (180.0_f64, -180.0_f64, 90.0_f64, -90.0_f64);
        for p in points {
            lon0 = lon0.min(p.lon);
            lon1 = lon1.max(p.lon);
            lat0 = lat0.min(p.lat);
            lat1 = lat1.max(p.lat);
        }
        if points.is_empty() {
            // Cambodia's extent.
            (lon0, lon1, lat0, lat1) = (102.3, 107.7, 10.4, 14.7);
        }
        // A single place (or a line of them) still gets a small area around it.
        let (dlon, dlat) = ((lon1 - lon0).max(0.2), (lat1 - lat0).max(0.2));
        let squeeze = ((lat0 + lat1) / 2.0).to_radians().cos();
        let scale = (width - 2.0 * pad) / (dlon * squeeze);
        Frame {
            lon0: lon0 - (dlon - (lon1 - lon0)) / 2.0,
            lat1: lat1 + (dlat - (lat1 - lat0)) / 2.0,
            scale,
            squeeze,
            pad,
            width,
            height: (dlat * scale + 2.0 * pad).round(),
        }
    }

    /// Where a point lands in the drawing.
    pub fn xy(&self, p: LatLon) -> (f64, f64) {
        (
            round1(self.pad + (p.lon - self.lon0) * self.squeeze * self.scale),
            round1(self.pad + (self.lat1 - p.lat) * self.scale),
        )
    }
}

/// One decimal is plenty in a drawing a few hundred units wide.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The convex hull of points (Andrew's monotone chain), counter-clockwise.
pub fn hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<(f64, f64)> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// An SVG path through points, closed.
pub fn closed_path(points: &[(f64, f64)]) -> String {
    let mut s = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        s.push_str(if i == 0 { "M" } else { " L" });
        s.push_str(&format!("{x} {y}"));
    }
    if !s.is_empty() {
        s.push_str(" Z");
    }
    s
}

/// Positions on a circle of radius `r` around `(cx, cy)`: `n` points evenly
/// spaced, the first at the top, clockwise.
pub fn ring(n: usize, cx: f64, cy: f64, r: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let a =
                std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
            (round1(cx + r * a.cos()), round1(cy + r * a.sin()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_keeps_points_inside_and_north_up() {
        let pts = [
            LatLon {
                lat: 10.5,
                lon: 103.5,
            },
            LatLon {
                lat: 14.5,
                lon: 107.5,
            },
        ];
        let f = Frame::fit(&pts, 600.0, 20.0);
        let (x0, y0) = f.xy(pts[0]);
        let (x1, y1) = f.xy(pts[1]);
        assert!(x0 >= 20.0 - 0.1 && x1 <= 580.1, "{x0} {x1}");
        assert!(y1 < y0, "north is up");
        assert!(y0 <= f.height - 19.9);
        let one = Frame::fit(&pts[..1], 200.0, 10.0);
        let (x, y) = one.xy(pts[0]);
        assert!(
            (x - 100.0).abs() < 1.0 && y > 0.0,
            "a single place sits in the middle"
        );
    }

    #[test]
    fn hulls_drop_inner_points() {
        let h = hull(&[(0.0, 0.0), (2.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 2.0)]);
        assert_eq!(h.len(), 4);
        assert!(!h.contains(&(1.0, 1.0)));
        assert_eq!(closed_path(&[(0.0, 0.0), (1.0, 2.0)]), "M0 0 L1 2 Z");
        assert_eq!(ring(4, 0.0, 0.0, 10.0)[0], (0.0, -10.0));
    }
}
