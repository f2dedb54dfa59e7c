//! Hostile input: arbitrary bytes and damaged real photos never panic, and
//! whatever is accepted comes out clean, parseable and stable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FIXTURES, assert_parses, contains};
use proptest::prelude::*;
use vigil_media::{sanitize, sniff};

const DECLARED: [Option<&str>; 7] = [
    None,
    Some("image/jpeg"),
    Some("image/png"),
    Some("image/webp"),
    Some("image/heic"),
    Some("application/octet-stream"),
    Some("text/html; charset=utf-8"),
];

/// Starts that lead each parser past its signature check.
const PREFIXES: [&[u8]; 6] = [
    b"\xFF\xD8\xFF",
    b"\xFF\xD8\xFF\xE1\x00\x10Exif\0\0II*\0",
    b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR",
    b"RIFF\xFF\xFF\x00\x00WEBPVP8X\x0a\0\0\0",
    b"RIFF\x40\x00\x00\x00WEBPANMF",
    b"\0\0\0\x18ftypmif1",
];

/// The planted text that must never come out of the sanitiser.
const TEXT_MARKERS: [&[u8]; 5] = [
    b"VIGIL-",
    b"Srokvigil",
    b"http://ns.adobe.com/",
    b"Photoshop 3.0",
    b"Exif\0\0",
];

#[derive(Debug, Clone)]
enum Mutation {
    Set(prop::sample::Index, u8),
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        4 => (any::<prop::sample::Index>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        2 => (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<prop::sample::Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match mutation {
        Mutation::Set(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Flip(i, bit) => {
            let at = i.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        Mutation::Insert(i, new) => {
            let at = i.index(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Truncate(i) => {
            let at = i.index(bytes.len());
            bytes.truncate(at);
        }
    }
}

/// What every accepted image must satisfy.
fn check_accepted(input: &[u8], declared: Option<&str>) -> Result<(), TestCaseError> {
    let Ok(image) = sanitize(input, declared, true) else {
        return Ok(());
    };
    prop_assert_eq!(sniff(&image.bytes), Some(image.mime));
    assert_parses("accepted", image.mime, &image.bytes);
    for marker in TEXT_MARKERS {
        prop_assert!(
            !contains(&image.bytes, marker),
            "{:?} survived",
            String::from_utf8_lossy(marker)
        );
    }
    if let Some((lat, lon)) = image.gps {
        prop_assert!(lat.abs() <= 90.0 && lon.abs() <= 180.0);
    }
    let again = sanitize(&image.bytes, Some(image.mime), false);
    prop_assert!(again.is_ok(), "a sanitised image is refused: {:?}", again);
    prop_assert_eq!(again.unwrap().bytes, image.bytes, "not a fixed point");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        declared in prop::sample::select(DECLARED.to_vec()),
        read_gps in any::<bool>(),
    ) {
        let _ = sanitize(&bytes, declared, read_gps);
        let _ = sniff(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_signature_never_panic(
        prefix in prop::sample::select(PREFIXES.to_vec()),
        tail in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(&tail);
        check_accepted(&bytes, None)?;
    }

    #[test]
    fn damaged_photos_never_panic_and_never_leak(
        fixture in prop::sample::select(FIXTURES.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (_, bytes, mime) = fixture;
        let mut bytes = bytes.to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check_accepted(&bytes, Some(mime))?;
    }
}
