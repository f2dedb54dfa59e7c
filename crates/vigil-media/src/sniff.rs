//! Content types: the MIME types of the photos, told from magic bytes.

/// The MIME type of a JPEG image.
pub const JPEG: &str = "image/jpeg";
/// The MIME type of a PNG image.
pub const PNG: &str = "image/png";
/// The MIME type of a WebP image.
pub const WEBP: &str = "image/webp";
/// HEIC: HEIF holding HEVC-coded images, what iPhones take.
pub(crate) const HEIC: &str = "image/heic";
/// HEIF with another or no named codec.
pub(crate) const HEIF: &str = "image/heif";

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Tells a file's content type from its first bytes.
///
/// Knows the accepted photo types (`image/jpeg`, `image/png`, `image/webp`),
/// the ones refused with a specific message (`image/heic`, `image/heif`), and
/// a few that are useful to name when a file is refused: `image/avif`,
/// `image/gif`, `image/tiff`, `image/bmp`, `video/mp4`, `application/pdf`,
/// `application/zip`, `image/svg+xml`, `application/xml` and `text/html`.
/// Returns `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(JPEG);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return Some(PNG);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some(WEBP);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        return Some(iso_bmff(bytes));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Some("image/tiff");
    }
    if bytes.starts_with(b"BM") && bytes.len() >= 26 && bytes.get(6..10) == Some(&[0, 0, 0, 0]) {
        return Some("image/bmp");
    }
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some("application/zip");
    }
    markup(bytes)
}

/// Names an ISO base media file (HEIF, AVIF, MP4, QuickTime) by its brands.
fn iso_bmff(bytes: &[u8]) -> &'static str {
    let declared = bytes
        .get(0..4)
        .and_then(|size| size.try_into().ok())
        .map_or(0, u32::from_be_bytes);
    // The ftyp box: size, "ftyp", major brand, minor version, compatible
    // brands up to the end of the box. A size of 0 or 1 means "to the end"
    // or "64-bit size": read what is there, at most 4 KiB.
    let end = match declared {
        0 | 1 => bytes.len(),
        n => usize::try_from(n).unwrap_or(usize::MAX).min(bytes.len()),
    }
    .min(4096);
    let major = bytes.get(8..12);
    let compatible = bytes.get(16..end).unwrap_or_default().chunks_exact(4);
    let brands: Vec<&[u8]> = major.into_iter().chain(compatible).collect();

    let is_heic = |b: &[u8]| {
        matches!(
            b,
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"hevm" | b"hevs"
        )
    };
    let is_avif = |b: &[u8]| matches!(b, b"avif" | b"avis");
    let is_heif = |b: &[u8]| matches!(b, b"mif1" | b"msf1" | b"mif2" | b"miaf");

    // The major brand decides first, then the compatible ones.
    match major {
        Some(b) if is_heic(b) => return HEIC,
        Some(b) if is_avif(b) => return "image/avif",
        _ => {}
    }
    if brands.iter().any(|b| is_heic(b)) {
        HEIC
    } else if brands.iter().any(|b| is_avif(b)) {
        "image/avif"
    } else if brands.iter().any(|b| is_heif(b)) {
        HEIF
    } else {
        "video/mp4"
    }
}

/// Recognises HTML, SVG and XML after an optional byte-order mark and
/// leading whitespace.
fn markup(bytes: &[u8]) -> Option<&'static str> {
    let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let head: Vec<u8> = rest
        .get(start..)?
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    const HTML: [&[u8]; 11] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<style",
        b"<title",
        b"<div",
        b"<a ",
        b"<!--",
    ];
    if HTML.iter().any(|tag| head.starts_with(tag)) {
        Some("text/html")
    } else if head.starts_with(b"<svg") {
        Some("image/svg+xml")
    } else if head.starts_with(b"<?xml") {
        Some("application/xml")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Option<&str>) {
        assert_eq!(
            sniff(bytes),
            expected,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut out = (size as u32).to_be_bytes().to_vec();
        out.extend_from_slice(b"ftyp");
        out.extend_from_slice(major);
        out.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            out.extend_from_slice(*brand);
        }
        out.extend_from_slice(b"\0\0\0\x08free");
        out
    }

    #[test]
    fn table() {
        check(b"", None);
        check(b"\xFF\xD8", None);
        check(b"\xFF\xD8\xFF\xE0", Some(JPEG));
        check(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", Some(PNG));
        check(b"\x89PNG\r\n", None);
        check(b"RIFF\x10\0\0\0WEBPVP8 ", Some(WEBP));
        check(b"RIFF\x10\0\0\0WAVEfmt ", None);
        check(b"GIF89a\x01\0", Some("image/gif"));
        check(b"%PDF-1.7\n", Some("application/pdf"));
        check(b"PK\x03\x04\x14\0", Some("application/zip"));
        check(b"\xEF\xBB\xBF  <!DOCTYPE html><html>", Some("text/html"));
        check(b"\n<HTML><body>", Some("text/html"));
        check(b"<svg xmlns=", Some("image/svg+xml"));
        check(b"<?xml version=\"1.0\"?>", Some("application/xml"));
        check(b"II*\0\x08\0\0\0", Some("image/tiff"));
        check(b"hello world", None);
        check(b"   ", None);
    }

    #[test]
    fn iso_brands() {
        check(&ftyp(b"heic", &[b"mif1", b"heic"]), Some(HEIC));
        check(&ftyp(b"mif1", &[b"mif1", b"heic"]), Some(HEIC));
        check(&ftyp(b"mif1", &[b"mif1"]), Some(HEIF));
        check(&ftyp(b"msf1", &[b"hevc"]), Some(HEIC));
        check(&ftyp(b"avif", &[b"mif1", b"miaf"]), Some("image/avif"));
        check(&ftyp(b"isom", &[b"isom", b"mp41"]), Some("video/mp4"));
        check(&ftyp(b"qt  ", &[]), Some("video/mp4"));
        // A lying box size never reads past the end.
        check(b"\xFF\xFF\xFF\xFFftypmif1", Some(HEIF));
        check(b"\0\0\0\0ftyp", Some("video/mp4"));
    }
}
