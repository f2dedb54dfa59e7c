//! Coordinates: decimal pairs, degrees-minutes-seconds, map links and plus codes.

use crate::ctx::Ctx;
use crate::types::Kind;

/// `lat,lon` with 6 decimals, or `None` when out of range.
pub(crate) fn format(lat: f64, lon: f64) -> Option<String> {
    if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 || lon.abs() > 180.0 {
        return None;
    }
    Some(format!("{lat:.6},{lon:.6}"))
}

/// A decimal number at `j`: value, count of decimals, end.
fn float_at(b: &[u8], j: usize) -> Option<(f64, usize, usize)> {
    let mut k = j;
    if b.get(k) == Some(&b'-') {
        k += 1;
    }
    let ds = k;
    while k < b.len() && b[k].is_ascii_digit() {
        k += 1;
    }
    let int_len = k - ds;
    if int_len == 0 || int_len > 3 {
        return None;
    }
    let mut decimals = 0;
    if b.get(k) == Some(&b'.') {
        let fs = k + 1;
        let mut m = fs;
        while m < b.len() && b[m].is_ascii_digit() {
            m += 1;
        }
        decimals = m - fs;
        if decimals > 0 {
            k = m;
        }
    }
    let v: f64 = std::str::from_utf8(&b[j..k]).ok()?.parse().ok()?;
    Some((v, decimals, k))
}

fn hemisphere(b: &[u8], mut k: usize) -> (Option<u8>, usize) {
    // Optional "°", optional space, optional N/S/E/W not followed by a letter.
    if b[k..].starts_with("°".as_bytes()) {
        k += "°".len();
    }
    let mut m = k;
    if b.get(m) == Some(&b' ') {
        m += 1;
    }
    match b.get(m) {
        Some(&c @ (b'N' | b'S' | b'E' | b'W'))
            if !b.get(m + 1).is_some_and(|x| x.is_ascii_alphabetic()) =>
        {
            (Some(c), m + 1)
        }
        _ => (None, k),
    }
}

fn signed(v: f64, h: Option<u8>) -> f64 {
    match h {
        Some(b'S' | b'W') => -v.abs(),
        _ => v,
    }
}

/// `11.556400, 104.928200` (4+ decimals each) or `11.5564° N 104.9282° E`.
pub(crate) fn decimal(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let b = cx.b;
    let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
    let (lat, d1, k) = float_at(b, start)?;
    if d1 < 4 {
        return None;
    }
    let (h1, k) = hemisphere(b, k);
    let mut m = k;
    if b.get(m) == Some(&b',') {
        m += 1;
    }
    while b.get(m) == Some(&b' ') && m < k + 3 {
        m += 1;
    }
    if m == k {
        return None;
    }
    let (lon, d2, e) = float_at(b, m)?;
    if d2 < 4 || b.get(e).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h2, e) = hemisphere(b, e);
    let (lat, lon) = if matches!(h1, Some(b'E' | b'W')) && matches!(h2, Some(b'N' | b'S')) {
        (signed(lon, h2), signed(lat, h1))
    } else {
        (signed(lat, h1), signed(lon, h2))
    };
    let v = format(lat, lon)?;
    cx.push(Kind::Coordinates, v, start, e, None);
    Some(e)
}

/// One `11°33'23.5"N` part: value, hemisphere, end.
fn dms_part(b: &[u8], j: usize) -> Option<(f64, u8, usize)> {
    let (deg, _, mut k) = float_at(b, j)?;
    if !b[k..].starts_with("°".as_bytes()) {
        return None;
    }
    k += "°".len();
    let mut value = deg.abs();
    let skip_sp = |k: &mut usize| {
        if b.get(*k) == Some(&b' ') {
            *k += 1;
        }
    };
    skip_sp(&mut k);
    if let Some((min, _, e)) = float_at(b, k)
        && b.get(e) == Some(&b'\'')
    {
        value += min / 60.0;
        k = e + 1;
        skip_sp(&mut k);
        if let Some((sec, _, e2)) = float_at(b, k)
            && b.get(e2) == Some(&b'"')
        {
            value += sec / 3600.0;
            k = e2 + 1;
            skip_sp(&mut k);
        }
    }
    match b.get(k) {
        Some(&h @ (b'N' | b'S' | b'E' | b'W')) => Some((signed(value, Some(h)), h, k + 1)),
        _ => None,
    }
}

/// `11°33'23.5"N 104°55'41.0"E`.
pub(crate) fn dms(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let b = cx.b;
    let (a, ha, k) = dms_part(b, i)?;
    let mut m = k;
    while m < b.len() && m < k + 3 && matches!(b[m], b' ' | b',') {
        m += 1;
    }
    let (o, ho, e) = dms_part(b, m)?;
    let (lat, lon) = match (ha, ho) {
        (b'N' | b'S', b'E' | b'W') => (a, o),
        (b'E' | b'W', b'N' | b'S') => (o, a),
        _ => return None,
    };
    let v = format(lat, lon)?;
    cx.push(Kind::Coordinates, v, i, e, None);
    Some(e)
}

/// A `lat,lon` pair written in a map link's path or query.
pub(crate) fn from_map_link(host: &str, rest: &str) -> Option<(f64, f64)> {
    let google =
        host.contains("google.") && (host.starts_with("maps.") || rest.starts_with("/maps"));
    let apple = host == "maps.apple.com";
    let osm = host.ends_with("openstreetmap.org") || host == "osm.org";
    if !(google || apple || osm) {
        return None;
    }
    let b = rest.as_bytes();
    let pair = |at: usize, sep: u8| -> Option<(f64, f64)> {
        let (lat, _, k) = float_at(b, at)?;
        if b.get(k) != Some(&sep) {
            return None;
        }
        let (lon, _, _) = float_at(b, k + 1)?;
        Some((lat, lon))
    };
    if osm {
        if let Some(p) = rest.find("map=") {
            // #map=zoom/lat/lon
            let z = rest[p + 4..].find('/')? + p + 5;
            return pair(z, b'/');
        }
        let la = rest.find("mlat=")?;
        let lo = rest.find("mlon=")?;
        return Some((float_at(b, la + 5)?.0, float_at(b, lo + 5)?.0));
    }
    if let Some(p) = rest.find("!3d") {
        let (lat, _, k) = float_at(b, p + 3)?;
        if rest[k..].starts_with("!4d") {
            return Some((lat, float_at(b, k + 3)?.0));
        }
    }
    for key in [
        "@",
        "q=",
        "ll=",
        "query=",
        "sll=",
        "daddr=",
        "center=",
        "coordinate=",
    ] {
        let mut from = 0;
        while let Some(p) = rest[from..].find(key) {
            let at = from + p + key.len();
            if let Some(v) = pair(at, b',') {
                return Some(v);
            }
            from = at;
        }
    }
    None
}

const PLUS_ALPHABET: &[u8; 20] = b"23456789CFGHJMPQRVWX";

fn plus_digit(c: u8) -> Option<usize> {
    PLUS_ALPHABET
        .iter()
        .position(|&x| x == c.to_ascii_uppercase())
}

/// Decodes a full plus code (`7P6RGX8Q+QW`) to the centre of its area.
pub(crate) fn plus_code(code: &[u8]) -> Option<(f64, f64)> {
    let plus = code.iter().position(|&c| c == b'+')?;
    if plus != 8 {
        return None;
    }
    let after = &code[9..];
    if after.len() == 1 || after.len() > 7 {
        return None;
    }
    let first = plus_digit(code[0])?;
    let second = plus_digit(code[1])?;
    if first > 8 || second > 17 {
        return None;
    }
    let mut lat = -90.0;
    let mut lon = -180.0;
    let mut res = 20.0;
    let digits: Vec<u8> = code[..8]
        .iter()
        .chain(after.iter().take(2))
        .copied()
        .collect();
    for pair in digits.chunks(2) {
        lat += plus_digit(pair[0])? as f64 * res;
        lon += plus_digit(pair[1])? as f64 * res;
        res /= 20.0;
    }
    let mut lat_res = res * 20.0;
    let mut lon_res = res * 20.0;
    for &c in after.iter().skip(2) {
        let d = plus_digit(c)?;
        lat_res /= 5.0;
        lon_res /= 4.0;
        lat += (d / 4) as f64 * lat_res;
        lon += (d % 4) as f64 * lon_res;
    }
    Some((lat + lat_res / 2.0, lon + lon_res / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_codes_decode() {
        let (lat, lon) = plus_code(b"7P36HW4H+H7").unwrap_or((0.0, 0.0));
        assert!((lat - 11.5564).abs() < 0.0002, "{lat}");
        assert!((lon - 104.9282).abs() < 0.0002, "{lon}");
    }
}
