//! The GPS position in an EXIF (TIFF) block.

use exif::{In, Tag, Value};

/// Reads the GPS latitude and longitude from raw EXIF data (a TIFF header
/// and its IFDs), in decimal degrees, south and west negative.
///
/// Returns `None` unless both coordinates and their hemispheres are present
/// and plausible: a position in the wrong hemisphere would be worse than
/// none. `(0, 0)`, what some phones write without a fix, counts as none.
pub(crate) fn from_tiff(tiff: &[u8]) -> Option<(f64, f64)> {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).ok()?;
    let lat = coordinate(
        &exif,
        Tag::GPSLatitude,
        Tag::GPSLatitudeRef,
        b'N',
        b'S',
        90.0,
    )?;
    let lon = coordinate(
        &exif,
        Tag::GPSLongitude,
        Tag::GPSLongitudeRef,
        b'E',
        b'W',
        180.0,
    )?;
    if lat == 0.0 && lon == 0.0 {
        return None;
    }
    Some((lat, lon))
}

fn coordinate(
    exif: &exif::Exif,
    tag: Tag,
    reference: Tag,
    positive: u8,
    negative: u8,
    max: f64,
) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut degrees = 0.0;
    for (part, scale) in parts.iter().zip([1.0, 60.0, 3600.0]) {
        if part.denom == 0 {
            return None;
        }
        degrees += f64::from(part.num) / f64::from(part.denom) / scale;
    }
    let Value::Ascii(texts) = &exif.get_field(reference, In::PRIMARY)?.value else {
        return None;
    };
    let sign = match texts.first()?.first()?.to_ascii_uppercase() {
        b if b == positive => 1.0,
        b if b == negative => -1.0,
        _ => return None,
    };
    (degrees.is_finite() && degrees <= max).then_some(sign * degrees)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A little-endian TIFF with one IFD0 entry pointing to a GPS IFD that
    /// holds the given entries: (tag, type, count, value bytes).
    pub(crate) fn tiff_with_gps(entries: &[(u16, u16, u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = b"II*\0\x08\0\0\0".to_vec();
        // IFD0 at 8: one entry (GPSInfo, LONG, 1, offset 26), next IFD 0.
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&0x8825u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&26u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD at 26.
        let ifd_len = 2 + 12 * entries.len() + 4;
        let mut data_offset = 26 + ifd_len;
        let mut data = Vec::new();
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in entries {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            if value.len() <= 4 {
                let mut inline = value.clone();
                inline.resize(4, 0);
                out.extend_from_slice(&inline);
            } else {
                out.extend_from_slice(&(data_offset as u32).to_le_bytes());
                data.extend_from_slice(value);
                data_offset += value.len();
            }
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&data);
        out
    }

    fn rationals(parts: &[(u32, u32)]) -> Vec<u8> {
        parts
            .iter()
            .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
            .collect()
    }

    fn position(lat_ref: &[u8], lat: &[(u32, u32)], lon_ref: &[u8], lon: &[(u32, u32)]) -> Vec<u8> {
        tiff_with_gps(&[
            (1, 2, 2, lat_ref.to_vec()),
            (2, 5, lat.len() as u32, rationals(lat)),
            (3, 2, 2, lon_ref.to_vec()),
            (4, 5, lon.len() as u32, rationals(lon)),
        ])
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
    }

    #[test]
    fn reads_degrees_minutes_seconds() {
        // 11°33'23.04" N, 104°55'41.52" E: Phnom Penh.
        let tiff = position(
            b"N\0",
            &[(11, 1), (33, 1), (2304, 100)],
            b"E\0",
            &[(104, 1), (55, 1), (4152, 100)],
        );
        let got = from_tiff(&tiff).unwrap();
        assert!(close(got, (11.5564, 104.9282)), "{got:?}");
    }

    #[test]
    fn south_and_west_are_negative() {
        let tiff = position(
            b"S\0",
            &[(10, 1), (30, 1), (0, 1)],
            b"W\0",
            &[(20, 1), (15, 1), (0, 1)],
        );
        assert!(close(from_tiff(&tiff).unwrap(), (-10.5, -20.25)));
    }

    #[test]
    fn implausible_positions_are_none() {
        let cases = [
            position(b"X\0", &[(10, 1)], b"E\0", &[(20, 1)]),
            position(b"N\0", &[(10, 0)], b"E\0", &[(20, 1)]),
            position(b"N\0", &[(91, 1)], b"E\0", &[(20, 1)]),
            position(b"N\0", &[(10, 1)], b"E\0", &[(181, 1)]),
            position(b"N\0", &[(0, 1)], b"E\0", &[(0, 1)]),
            tiff_with_gps(&[
                (2, 5, 1, rationals(&[(10, 1)])),
                (4, 5, 1, rationals(&[(20, 1)])),
            ]),
        ];
        for tiff in cases {
            assert_eq!(from_tiff(&tiff), None);
        }
        assert_eq!(from_tiff(b""), None);
        assert_eq!(from_tiff(b"II*\0\xFF\xFF\xFF\xFF"), None);
    }
}
