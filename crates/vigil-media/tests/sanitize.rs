//! Sanitising the fixtures: no metadata left, the image intact, GPS only
//! when asked, types checked by content.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FIXTURES, PLANTED_GPS, assert_no_markers, assert_parses, contains, fixture};
use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::webp::WebP;
use vigil_media::{CleanImage, MediaError, sanitize, sanitize_with_limit, sniff};

fn clean(bytes: &[u8]) -> CleanImage {
    sanitize(bytes, None, false).unwrap()
}

#[test]
fn every_fixture_loses_all_metadata() {
    for (name, bytes, mime) in FIXTURES {
        let image = sanitize(bytes, Some(mime), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(image.mime, mime, "{name}");
        assert_eq!(image.gps, None, "{name}");
        assert_no_markers(name, &image.bytes);
        assert_parses(name, mime, &image.bytes);
        assert!(image.bytes.len() < bytes.len(), "{name}: nothing removed");
        // Sanitising is a fixed point: a clean image comes back unchanged.
        assert_eq!(
            clean(&image.bytes).bytes,
            image.bytes,
            "{name}: not idempotent"
        );
    }
}

#[test]
fn the_fixtures_really_carry_the_metadata() {
    // Guards the test above against fixtures that lost their metadata.
    for (name, bytes, _) in FIXTURES {
        assert!(
            contains(bytes, b"Srokvigilxmp") || contains(bytes, b"VIGIL"),
            "{name}"
        );
        assert!(
            [&b"Exif"[..], b"eXIf", b"EXIF"]
                .iter()
                .any(|m| contains(bytes, m)),
            "{name}"
        );
    }
    let jpeg = fixture("photo.jpg");
    for marker in [
        &b"http://ns.adobe.com/xmp/extension/"[..],
        b"Photoshop 3.0",
        b"Srokvigiliptc",
        b"VIGIL-JPEG-COMMENT",
        b"VIGIL-MAKERNOTE",
        b"ICC_PROFILE",
        b"VIGIL-TRAILER",
    ] {
        assert!(
            contains(jpeg, marker),
            "{:?}",
            String::from_utf8_lossy(marker)
        );
    }
}

#[test]
fn gps_is_returned_only_when_asked() {
    for (name, bytes, mime) in FIXTURES {
        let (lat, lon) = sanitize(bytes, Some(mime), true)
            .unwrap()
            .gps
            .unwrap_or_else(|| panic!("{name}: no GPS"));
        assert!(
            (lat - PLANTED_GPS.0).abs() < 1e-6 && (lon - PLANTED_GPS.1).abs() < 1e-6,
            "{name}: {lat},{lon}"
        );
        assert_eq!(
            sanitize(bytes, Some(mime), false).unwrap().gps,
            None,
            "{name}"
        );
    }
    // Same bytes out whether GPS was read or not.
    let bytes = fixture("photo.jpg");
    assert_eq!(
        sanitize(bytes, None, true).unwrap().bytes,
        clean(bytes).bytes
    );
}

/// The bytes img-parts keeps after the first scan header.
fn entropy<'a>(file: &'a [u8], segment: &JpegSegment) -> &'a [u8] {
    let len = segment.len_with_entropy() - segment.len();
    &file[file.len() - len..]
}

fn jpeg(bytes: &[u8]) -> Jpeg {
    Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).unwrap()
}

#[test]
fn jpeg_keeps_tables_and_scan_data_byte_for_byte() {
    let original = fixture("photo.jpg");
    let out = clean(original).bytes;
    let (before, after) = (jpeg(original), jpeg(&out));

    let keep =
        |s: &&JpegSegment| !(0xE0..=0xEF).contains(&s.marker()) && s.marker() != markers::COM;
    let structural = |j: &Jpeg| {
        j.segments()
            .iter()
            .filter(keep)
            .map(|s| (s.marker(), s.contents().clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(structural(&before), structural(&after));

    // Only the canonical JFIF header is left of the APPn segments.
    let apps: Vec<_> = after.segments().iter().filter(|s| !keep(s)).collect();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].marker(), markers::APP0);
    assert_eq!(
        &apps[0].contents()[..],
        b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    );

    // The scan data is the original's up to EOI; the trailer is gone.
    let sos = |j: &Jpeg| {
        j.segments()
            .iter()
            .find(|s| s.marker() == markers::SOS)
            .unwrap()
            .clone()
    };
    let old_scan = entropy(original, &sos(&before));
    let eoi = old_scan.windows(2).position(|w| w == [0xFF, 0xD9]).unwrap();
    assert_eq!(entropy(&out, &sos(&after)), &old_scan[..eoi + 2]);

    // One SOI: the EXIF thumbnail, a JPEG of its own, is gone.
    assert_eq!(out.windows(2).filter(|w| *w == [0xFF, 0xD8]).count(), 1);
    assert!(out.ends_with(&[0xFF, 0xD9]));
}

#[test]
fn metadata_between_progressive_scans_is_dropped() {
    let original = fixture("progressive.jpg");
    let sos_positions: Vec<usize> = original
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == [0xFF, 0xDA])
        .map(|(i, _)| i)
        .collect();
    assert!(sos_positions.len() > 2, "not progressive");

    let mut smuggled = Vec::new();
    smuggled.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x15]);
    smuggled.extend_from_slice(b"VIGIL-BETWEEN-SCANS");
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Srokvigil</x:xmpmeta>";
    smuggled.extend_from_slice(&[0xFF, 0xE1]);
    smuggled.extend_from_slice(&(xmp.len() as u16 + 2).to_be_bytes());
    smuggled.extend_from_slice(xmp);
    smuggled.extend_from_slice(&[0xFF, 0x01]); // TEM, no payload
    let mut tampered = original[..sos_positions[2]].to_vec();
    tampered.extend_from_slice(&smuggled);
    tampered.extend_from_slice(&original[sos_positions[2]..]);
    tampered.extend_from_slice(b"\xFF\xD8\xFF\xE1VIGIL appended JPEG");

    let out = clean(&tampered).bytes;
    assert_no_markers("tampered progressive", &out);
    assert_eq!(out, clean(original).bytes);
    // Every scan survived.
    let scans = |b: &[u8]| b.windows(2).filter(|w| *w == [0xFF, 0xDA]).count();
    assert_eq!(scans(&out), sos_positions.len());
}

#[test]
fn a_jpeg_cut_short_gets_its_end_marker_back() {
    let full = clean(fixture("photo.jpg")).bytes;
    let cut = &full[..full.len() - 100];
    let out = clean(cut).bytes;
    assert!(out.ends_with(&[0xFF, 0xD9]));
    assert_eq!(&out[..out.len() - 2], cut);
    assert_parses("cut", "image/jpeg", &out);
}

/// Replaces the first APPn/JFIF header of a clean JPEG with `segments`.
fn with_header(segments: &[(u8, &[u8])]) -> Vec<u8> {
    let mut jpeg = jpeg(&clean(fixture("photo.jpg")).bytes);
    jpeg.segments_mut().retain(|s| s.marker() != markers::APP0);
    for (i, (marker, contents)) in segments.iter().enumerate() {
        jpeg.segments_mut().insert(
            i,
            JpegSegment::new_with_contents(*marker, Bytes::copy_from_slice(contents)),
        );
    }
    jpeg.encoder().bytes().to_vec()
}

#[test]
fn jfif_thumbnails_are_dropped_and_adobe_colour_is_kept() {
    let thumb = with_header(&[
        (
            markers::APP0,
            b"JFIF\0\x01\x02\x01\x01\x2c\x01\x2c\x01\x01VQX",
        ),
        (markers::APP0, b"JFXX\0\x13VQXVQXVQX"),
    ]);
    let out = clean(&thumb).bytes;
    assert!(!contains(&out, b"VQX"));
    let segments = jpeg(&out).segments().clone();
    assert_eq!(segments[0].marker(), markers::APP0);
    assert_eq!(
        &segments[0].contents()[..],
        b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    );
    assert!(segments[1..].iter().all(|s| s.marker() < 0xE0));

    let adobe = with_header(&[(markers::APP14, b"Adobe\0\x65\x80\x00\x00\x00\x02VIGIL")]);
    let out = clean(&adobe).bytes;
    let segments = jpeg(&out).segments().clone();
    assert_eq!(segments[0].marker(), markers::APP14);
    assert_eq!(&segments[0].contents()[..], b"Adobe\0\x64\0\0\0\0\x02");
    assert!(segments[1..].iter().all(|s| s.marker() < 0xE0));
}

#[test]
fn a_damaged_marker_cannot_smuggle_exif_into_a_kept_segment() {
    // APP1 (0xE1) with one bit flipped is SOF1 (0xC1): its EXIF payload does
    // not have a frame header's shape, so the file is refused, not kept.
    let original = fixture("photo.jpg");
    let at = original
        .windows(4)
        .position(|w| w[..2] == [0xFF, 0xE1] && &w[2..] != b"\0\0")
        .unwrap();
    let mut damaged = original.to_vec();
    damaged[at + 1] = 0xC1;
    assert!(matches!(
        sanitize(&damaged, None, false),
        Err(MediaError::Corrupt(_))
    ));
}

#[test]
fn broken_jpegs_are_corrupt() {
    for bytes in [
        &b"\xFF\xD8\xFF\xD9"[..],
        b"\xFF\xD8\xFF",
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF",
        b"\xFF\xD8\xFF\xDA\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34\xFF\xD9",
    ] {
        let result = sanitize(bytes, None, false);
        assert!(
            matches!(result, Err(MediaError::Corrupt(_))),
            "{bytes:?}: {result:?}"
        );
    }
}

fn png(bytes: &[u8]) -> Png {
    Png::from_bytes(Bytes::copy_from_slice(bytes)).unwrap()
}

#[test]
fn png_keeps_only_the_chunks_that_draw() {
    let original = fixture("photo.png");
    let out = clean(original).bytes;
    let kinds: Vec<[u8; 4]> = png(&out).chunks().iter().map(PngChunk::kind).collect();
    assert_eq!(kinds, [*b"IHDR", *b"PLTE", *b"tRNS", *b"IDAT", *b"IEND"]);
    for kind in kinds {
        let content = |p: &Png| p.chunk_by_type(kind).unwrap().contents().clone();
        assert_eq!(
            content(&png(original)),
            content(&png(&out)),
            "{}",
            String::from_utf8_lossy(&kind)
        );
    }
    assert!(out.ends_with(b"IEND\xAE\x42\x60\x82"));
}

#[test]
fn broken_pngs_are_corrupt() {
    let clean_png = png(&clean(fixture("photo.png")).bytes);

    let mut no_end = clean_png.clone();
    no_end.chunks_mut().pop();
    let mut cgbi = clean_png.clone();
    cgbi.chunks_mut().insert(
        0,
        PngChunk::new(*b"CgBI", Bytes::from_static(b"\x50\x00\x20\x02")),
    );
    let mut no_data = clean_png.clone();
    no_data.remove_chunks_by_type(*b"IDAT");
    let mut bad_crc = clean_png.encoder().bytes().to_vec();
    let idat = bad_crc.windows(4).position(|w| w == b"IDAT").unwrap();
    bad_crc[idat + 6] ^= 0x01;

    for (name, bytes) in [
        ("no IEND", no_end.encoder().bytes().to_vec()),
        ("CgBI", cgbi.encoder().bytes().to_vec()),
        ("no IDAT", no_data.encoder().bytes().to_vec()),
        ("bad CRC", bad_crc),
        ("signature only", b"\x89PNG\r\n\x1a\n".to_vec()),
    ] {
        let result = sanitize(&bytes, None, false);
        assert!(
            matches!(result, Err(MediaError::Corrupt(_))),
            "{name}: {result:?}"
        );
    }
}

fn webp_ids(bytes: &[u8]) -> Vec<String> {
    let webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).unwrap();
    webp.chunks()
        .iter()
        .map(|c| String::from_utf8_lossy(&c.id()).into_owned())
        .collect()
}

fn webp_chunk(bytes: &[u8], id: &[u8; 4]) -> Bytes {
    let webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).unwrap();
    webp.chunk_by_id(*id)
        .unwrap()
        .content()
        .data()
        .unwrap()
        .clone()
}

#[test]
fn webp_keeps_the_bitstreams_and_fixes_vp8x() {
    // Lossy without alpha: back to the simple format.
    let original = fixture("photo.webp");
    let out = clean(original).bytes;
    assert!(webp_ids(original).contains(&"EXIF".to_owned()));
    assert_eq!(webp_ids(&out), ["VP8 "]);
    assert_eq!(webp_chunk(&out, b"VP8 "), webp_chunk(original, b"VP8 "));

    // Lossless: the alpha lives in the bitstream, simple format again.
    let original = fixture("lossless.webp");
    let out = clean(original).bytes;
    assert_eq!(webp_ids(&out), ["VP8L"]);
    assert_eq!(webp_chunk(&out, b"VP8L"), webp_chunk(original, b"VP8L"));

    // Lossy with alpha: VP8X stays, with only the alpha flag.
    let original = fixture("alpha.webp");
    let out = clean(original).bytes;
    assert_eq!(webp_ids(&out), ["VP8X", "ALPH", "VP8 "]);
    let (old, new) = (webp_chunk(original, b"VP8X"), webp_chunk(&out, b"VP8X"));
    assert_ne!(old[0] & 0b0010_1100, 0, "fixture has no metadata flags");
    assert_eq!(new[0], 0b0001_0000);
    assert_eq!(new[1..], old[1..]);
    assert_eq!(webp_chunk(&out, b"ALPH"), webp_chunk(original, b"ALPH"));

    // Animated: frames kept, metadata flags cleared, animation flag set.
    let original = fixture("animated.webp");
    let out = clean(original).bytes;
    let ids = webp_ids(&out);
    assert_eq!(ids[..2], ["VP8X", "ANIM"]);
    assert!(
        ids[2..].iter().all(|id| id == "ANMF") && ids.len() == 4,
        "{ids:?}"
    );
    let flags = webp_chunk(&out, b"VP8X")[0];
    assert_eq!(flags & 0b0010_1100, 0);
    assert_ne!(flags & 0b0000_0010, 0);
}

#[test]
fn webp_without_an_image_is_corrupt() {
    let mut riff = b"RIFF\x12\0\0\0WEBPEXIF\x06\0\0\0VIGIL!".to_vec();
    assert!(matches!(
        sanitize(&riff, None, false),
        Err(MediaError::Corrupt(_))
    ));
    riff.truncate(20);
    assert!(matches!(
        sanitize(&riff, None, false),
        Err(MediaError::Corrupt(_))
    ));
}

fn ftyp(major: &[u8; 4], compatible: &[u8; 4]) -> Vec<u8> {
    let mut out = b"\0\0\0\x14ftyp".to_vec();
    out.extend_from_slice(major);
    out.extend_from_slice(b"\0\0\0\0");
    out.extend_from_slice(compatible);
    out.extend_from_slice(b"\0\0\0\x08mdat");
    out
}

fn check(bytes: &[u8], declared: Option<&str>, expected: Result<&str, MediaError>) {
    let got = sanitize(bytes, declared, false).map(|image| image.mime);
    assert_eq!(
        got,
        expected,
        "declared {declared:?}, sniffed {:?}",
        sniff(bytes)
    );
}

fn mismatch(declared: &str, actual: &'static str) -> Result<&'static str, MediaError> {
    Err(MediaError::TypeMismatch {
        declared: declared.into(),
        actual,
    })
}

#[test]
fn types_come_from_the_content() {
    let (jpg, png, webp) = (
        fixture("photo.jpg"),
        fixture("photo.png"),
        fixture("photo.webp"),
    );
    check(jpg, None, Ok("image/jpeg"));
    check(jpg, Some("image/jpeg"), Ok("image/jpeg"));
    check(jpg, Some("image/JPG"), Ok("image/jpeg"));
    check(jpg, Some("image/pjpeg"), Ok("image/jpeg"));
    check(jpg, Some("application/octet-stream"), Ok("image/jpeg"));
    check(jpg, Some(""), Ok("image/jpeg"));
    check(png, Some("image/png"), Ok("image/png"));
    check(webp, Some("image/webp"), Ok("image/webp"));

    // Content that is not what it claims.
    check(png, Some("image/jpeg"), mismatch("image/jpeg", "image/png"));
    check(jpg, Some("image/png"), mismatch("image/png", "image/jpeg"));
    check(jpg, Some("text/html"), mismatch("text/html", "image/jpeg"));
    check(
        b"%PDF-1.7\n%\xE2\xE3\n1 0 obj",
        Some("image/jpeg"),
        mismatch("image/jpeg", "application/pdf"),
    );
    check(
        b"<!DOCTYPE html><script>alert(1)</script>",
        Some("image/jpeg"),
        mismatch("image/jpeg", "text/html"),
    );
    check(
        b"PK\x03\x04\x14\x00\x00\x00",
        Some("image/jpeg"),
        mismatch("image/jpeg", "application/zip"),
    );
    check(
        b"<svg onload=alert(1)>",
        Some("image/png"),
        mismatch("image/png", "image/svg+xml"),
    );
    check(
        b"just some text",
        Some("image/webp"),
        mismatch("image/webp", "unknown"),
    );

    // Not a photo at all.
    check(b"%PDF-1.7\n", None, Err(MediaError::UnknownType));
    check(
        b"%PDF-1.7\n",
        Some("application/pdf"),
        Err(MediaError::UnknownType),
    );
    check(
        b"GIF89a\x01\x00\x01\x00",
        Some("image/gif"),
        Err(MediaError::UnknownType),
    );
    check(b"just some text", None, Err(MediaError::UnknownType));
    check(&ftyp(b"avif", b"mif1"), None, Err(MediaError::UnknownType));
    check(
        &ftyp(b"isom", b"mp41"),
        Some("video/mp4"),
        Err(MediaError::UnknownType),
    );

    // HEIC, however it is declared.
    for declared in [
        None,
        Some("image/heic"),
        Some("image/jpeg"),
        Some("image/heif"),
    ] {
        check(&ftyp(b"heic", b"mif1"), declared, Err(MediaError::Heic));
        check(&ftyp(b"mif1", b"heic"), declared, Err(MediaError::Heic));
        check(&ftyp(b"mif1", b"mif1"), declared, Err(MediaError::Heic));
    }
    assert_eq!(
        sanitize(&ftyp(b"heic", b"mif1"), None, false)
            .unwrap_err()
            .code(),
        "photo-heic"
    );

    check(b"", Some("image/jpeg"), Err(MediaError::Empty));
}

#[test]
fn the_size_limit_is_checked_first() {
    let jpg = fixture("photo.jpg");
    assert_eq!(
        sanitize_with_limit(jpg, None, false, 1000).unwrap_err(),
        MediaError::TooLarge { max: 1000 }
    );
    assert_eq!(
        sanitize_with_limit(b"%PDF", None, false, 3)
            .unwrap_err()
            .code(),
        "photo-too-large"
    );
    assert!(sanitize_with_limit(jpg, None, false, jpg.len()).is_ok());
    assert_eq!(
        sanitize_with_limit(b"", None, false, 10).unwrap_err(),
        MediaError::Empty
    );
}

#[test]
fn declared_types_in_errors_are_tamed() {
    let err = sanitize(
        fixture("photo.png"),
        Some("Image/JPEG\u{202e}<b>\n; x=1"),
        false,
    )
    .unwrap_err();
    let MediaError::TypeMismatch { declared, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(declared.chars().all(|c| c.is_ascii_graphic()), "{declared}");
    assert!(declared.len() <= 64);
}
