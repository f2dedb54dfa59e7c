//! JPEG: keep the segments that decode the image, drop the rest.
//!
//! img-parts parses the segments up to the first scan and leaves everything
//! after it (further scans of a progressive JPEG, tables between them, the
//! EOI marker and any appended bytes) as one opaque block. Metadata can live
//! there too (APPn and COM segments are legal between scans) and so can whole
//! appended files (motion-photo videos, MPF images), so that block is walked
//! here with the same allow-list, and cut at EOI.

use img_parts::Bytes;
use img_parts::ImageEXIF;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};

use crate::error::{MediaError, corrupt};
use crate::gps;
use crate::image::Cleaned;

/// Segments a sanitised JPEG keeps: frame headers, Huffman and arithmetic
/// tables, quantisation tables, restart interval, scans, line counts and the
/// hierarchical-mode headers. Every APPn (EXIF, XMP, extended XMP, ICC, MPF,
/// IPTC/Photoshop, JFIF and its thumbnails, maker-specific ones), every COM
/// and every reserved marker is dropped.
fn keep(marker: u8) -> bool {
    matches!(
        marker,
        markers::SOF0..=markers::SOF7 // SOF0-3, DHT, SOF5-7
            | markers::SOF9..=markers::SOF15 // SOF9-11, DAC, SOF13-15
            | markers::SOS..=markers::EXP // SOS, DQT, DNL, DRI, DHP, EXP
    )
}

/// Checks that a kept segment's length agrees with what it declares, so that
/// a kept marker can never carry anything else (a damaged file whose APP1
/// marker became SOF1 is refused, not kept with its EXIF inside).
fn check_segment(marker: u8, contents: &[u8]) -> Result<(), MediaError> {
    let count = |at: usize| contents.get(at).map(|&n| usize::from(n));
    let valid = match marker {
        markers::DHT => tables(contents, |table| {
            let counts = table.get(1..17)?;
            Some(17 + counts.iter().map(|&n| usize::from(n)).sum::<usize>())
        }),
        markers::DQT => tables(contents, |table| match table.first()? >> 4 {
            0 => Some(65),
            1 => Some(129),
            _ => None,
        }),
        markers::DAC => !contents.is_empty() && contents.len().is_multiple_of(2),
        markers::DRI | markers::DNL => contents.len() == 2,
        markers::EXP => contents.len() == 1,
        markers::SOS => count(0).is_some_and(|n| contents.len() == 1 + 2 * n + 3),
        // SOFn and DHP: precision, height, width, components, 3 bytes each.
        _ => count(5).is_some_and(|n| contents.len() == 6 + 3 * n),
    };
    if valid {
        Ok(())
    } else {
        Err(MediaError::Corrupt(format!(
            "JPEG: malformed segment {marker:#04x}"
        )))
    }
}

/// Whether `contents` is one or more tables, each as long as `table_len`
/// says from its first bytes.
fn tables(mut contents: &[u8], table_len: impl Fn(&[u8]) -> Option<usize>) -> bool {
    if contents.is_empty() {
        return false;
    }
    while !contents.is_empty() {
        match table_len(contents).and_then(|len| contents.get(len..)) {
            Some(rest) => contents = rest,
            None => return false,
        }
    }
    true
}

/// The TEM marker, which has no payload.
const TEM: u8 = 0x01;

/// Whether a marker is followed by a two-byte length and a payload.
fn has_length(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF | 0xDA..=0xDF | 0xE0..=0xFE)
}

/// A JFIF APP0 segment with no thumbnail and a square-pixel aspect ratio:
/// written when the original had one, since it says the image is YCbCr.
const JFIF: &[u8] = b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00";

/// Sanitises a JPEG, reading the EXIF GPS position first when asked.
pub(crate) fn clean(bytes: &[u8], read_gps: bool) -> Result<Cleaned, MediaError> {
    let mut jpeg =
        Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| corrupt("JPEG", e))?;
    let gps = if read_gps {
        jpeg.exif().and_then(|tiff| gps::from_tiff(&tiff))
    } else {
        None
    };

    let mut had_jfif = false;
    let mut adobe_transform = None;
    let mut kept = Vec::with_capacity(jpeg.segments().len() + 1);
    for segment in jpeg.segments() {
        let marker = segment.marker();
        let contents = segment.contents();
        if marker == markers::APP0 && contents.starts_with(b"JFIF\0") {
            had_jfif = true;
        }
        // The Adobe segment's transform flag says how to read the colours
        // of RGB and CMYK JPEGs: rebuilt below with nothing else in it.
        if marker == markers::APP14 && contents.starts_with(b"Adobe") {
            adobe_transform = contents.get(11).copied();
        }
        if !keep(marker) {
            continue;
        }
        check_segment(marker, contents)?;
        if segment.has_entropy() {
            let tail = clean_tail(scan_tail(bytes, segment)?)?;
            kept.push(JpegSegment::new_with_entropy(
                marker,
                contents.clone(),
                Bytes::from(tail),
            ));
        } else {
            kept.push(segment.clone());
        }
    }

    if !kept.iter().any(JpegSegment::has_entropy) {
        return Err(MediaError::Corrupt("JPEG: no image data".into()));
    }
    let mut header = Vec::new();
    if let Some(transform) = adobe_transform {
        let mut adobe = b"Adobe\0\x64\0\0\0\0".to_vec();
        adobe.push(transform);
        header.push(JpegSegment::new_with_contents(
            markers::APP14,
            Bytes::from(adobe),
        ));
    } else if had_jfif {
        header.push(JpegSegment::new_with_contents(
            markers::APP0,
            Bytes::from_static(JFIF),
        ));
    }
    kept.splice(0..0, header);
    *jpeg.segments_mut() = kept;
    if jpeg.dimensions().is_none() {
        return Err(MediaError::Corrupt(
            "JPEG: no frame header with a size".into(),
        ));
    }
    Ok((jpeg.encoder().bytes().to_vec(), gps))
}

/// The bytes after the first scan header: img-parts keeps all of the rest
/// of the file as that segment's entropy.
fn scan_tail<'a>(bytes: &'a [u8], segment: &JpegSegment) -> Result<&'a [u8], MediaError> {
    let entropy_len = segment.len_with_entropy() - segment.len();
    bytes
        .len()
        .checked_sub(entropy_len)
        .and_then(|start| bytes.get(start..))
        .ok_or_else(|| MediaError::Corrupt("JPEG: scan header".into()))
}

/// Walks everything after the first scan header: entropy-coded data is
/// copied as it is, allowed segments are copied, other segments and stray
/// bytes between segments are dropped, and the walk stops at EOI, dropping
/// whatever follows. A file cut short gets its EOI back.
fn clean_tail(tail: &[u8]) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::with_capacity(tail.len());
    let mut in_scan = true;
    let mut run_start = 0;
    let mut i = 0;
    while let Some(offset) = tail
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
    {
        let at = i + offset;
        let Some(&marker) = tail.get(at + 1) else {
            break;
        };
        match marker {
            // Stuffed 0xFF byte, or a restart marker: still entropy-coded data.
            0x00 | markers::RST0..=markers::RST7 => {
                i = at + 2;
                continue;
            }
            // A fill byte before a marker.
            0xFF => {
                i = at + 1;
                continue;
            }
            _ => {}
        }
        if in_scan {
            out.extend_from_slice(tail.get(run_start..at).unwrap_or_default());
        }
        if marker == markers::EOI {
            out.extend_from_slice(&[0xFF, markers::EOI]);
            return Ok(out);
        }
        if !has_length(marker) {
            if marker == TEM {
                i = at + 2;
                run_start = i;
                in_scan = false;
                continue;
            }
            return Err(MediaError::Corrupt(format!(
                "JPEG: unexpected marker {marker:#04x}"
            )));
        }
        let len = tail
            .get(at + 2..at + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .filter(|&len| len >= 2)
            .ok_or_else(|| MediaError::Corrupt("JPEG: truncated segment".into()))?;
        let end = at + 2 + len;
        let segment = tail
            .get(at..end)
            .ok_or_else(|| MediaError::Corrupt("JPEG: truncated segment".into()))?;
        if keep(marker) {
            check_segment(marker, segment.get(4..).unwrap_or_default())?;
            out.extend_from_slice(segment);
        }
        // After a scan header comes entropy-coded data; after any other
        // segment only markers are expected.
        in_scan = marker == markers::SOS && keep(marker);
        i = end;
        run_start = end;
    }
    // No EOI: keep the scan data that is there and end the image properly.
    if in_scan {
        out.extend_from_slice(tail.get(run_start..).unwrap_or_default());
    }
    out.extend_from_slice(&[0xFF, markers::EOI]);
    Ok(out)
}
