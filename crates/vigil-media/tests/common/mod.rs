//! Fixtures and checks shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use img_parts::Bytes;
use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::webp::WebP;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}

/// Every fixture with planted metadata: (file name, bytes, MIME type).
pub const FIXTURES: [(&str, &[u8], &str); 7] = [
    ("photo.jpg", fixture!("photo.jpg"), "image/jpeg"),
    ("progressive.jpg", fixture!("progressive.jpg"), "image/jpeg"),
    ("photo.png", fixture!("photo.png"), "image/png"),
    ("photo.webp", fixture!("photo.webp"), "image/webp"),
    ("alpha.webp", fixture!("alpha.webp"), "image/webp"),
    ("lossless.webp", fixture!("lossless.webp"), "image/webp"),
    ("animated.webp", fixture!("animated.webp"), "image/webp"),
];

pub fn fixture(name: &str) -> &'static [u8] {
    FIXTURES.iter().find(|(n, _, _)| *n == name).unwrap().1
}

/// The position planted in every fixture's EXIF: Phnom Penh.
pub const PLANTED_GPS: (f64, f64) = (11.5564, 104.9282);

/// Text planted in the fixtures' metadata, and the signatures of metadata
/// blocks. None may survive sanitising.
pub const MARKERS: &[&[u8]] = &[
    b"VIGIL",
    b"Vigil",
    b"Srokvigil",
    b"GPS",
    b"Exif\0\0",
    b"http://ns.adobe.com/xap",
    b"http://ns.adobe.com/xmp/extension/",
    b"adobe:ns:meta",
    b"xpacket",
    b"Photoshop 3.0",
    b"8BIM",
    b"ICC_PROFILE",
    b"Little CMS",
    b"acsp",
    b"MPF\0",
    b"II*\0",
    b"MM\0*",
    b"XML:com.adobe.xmp",
    b"Location",
    b"Author",
    b"Description",
    b"tEXt",
    b"zTXt",
    b"iTXt",
    b"eXIf",
    b"tIME",
    b"iCCP",
    b"pHYs",
    b"vgIl",
    b"EXIF",
    b"XMP ",
    b"ICCP",
    b"TRAILER",
];

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Panics naming the first planted marker or metadata signature found.
pub fn assert_no_markers(name: &str, bytes: &[u8]) {
    for marker in MARKERS {
        assert!(
            !contains(bytes, marker),
            "{name}: {:?} survived sanitising",
            String::from_utf8_lossy(marker)
        );
    }
}

/// Panics unless img-parts parses the bytes as the given type.
pub fn assert_parses(name: &str, mime: &str, bytes: &[u8]) {
    let b = Bytes::copy_from_slice(bytes);
    match mime {
        "image/jpeg" => {
            let jpeg = Jpeg::from_bytes(b).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(jpeg.dimensions().is_some(), "{name}: no size");
        }
        "image/png" => {
            let png = Png::from_bytes(b).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(png.dimensions().is_some(), "{name}: no size");
        }
        "image/webp" => {
            let webp = WebP::from_bytes(b).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(webp.dimensions().is_some(), "{name}: no size");
        }
        other => panic!("{name}: unexpected type {other}"),
    }
}
