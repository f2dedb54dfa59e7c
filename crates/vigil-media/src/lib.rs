//! Turns an uploaded photo into a safe one.
//!
//! A reporter's photo can carry where it was taken (EXIF and XMP GPS), who
//! took it (camera serial numbers, owner names, maker notes), the phone's
//! own name, edit histories, embedded thumbnails of the uncropped picture,
//! and whole files appended after the image (motion-photo videos, MPF
//! secondary images). [`sanitize`] keeps only what a decoder needs to show
//! the pixels and throws everything else away:
//!
//! - **The type comes from the content**, never from the name: JPEG, PNG and
//!   WebP are accepted; HEIC/HEIF is refused with [`MediaError::Heic`] (please
//!   send JPEG); anything else is refused, and so is a file whose content does
//!   not match the type its sender declared (a PDF or a PNG sent as
//!   `image/jpeg`).
//! - **Allow-lists, not deny-lists.** Each format keeps a short list of
//!   structural segments or chunks and drops every other one, known or not:
//!   EXIF, GPS, XMP (standard and extended), IPTC/Photoshop, ICC profiles, maker
//!   notes, thumbnails, comments, PNG text and time chunks, WebP EXIF/XMP
//!   chunks. Removing only what one knows about is how metadata leaks.
//! - **Nothing after the end of the image**: bytes after the JPEG EOI marker,
//!   the PNG IEND chunk or the WebP RIFF chunk are dropped.
//! - **Pixel data is copied byte for byte**: no re-encoding, so no loss of
//!   quality and no decoder attack surface in this crate.
//!
//! # What the sanitised image loses
//!
//! - **Orientation.** The EXIF Orientation tag goes with the rest of EXIF, so
//!   a phone photo taken in portrait may be shown sideways. Reviewers can
//!   rotate it when viewing; nothing about the original orientation is kept.
//! - **Colour profile.** ICC profiles are dropped (they carry device and
//!   software descriptions); wide-gamut photos are shown as sRGB, with
//!   slightly duller colours.
//! - **Animation.** APNG animation chunks are dropped (the still default image
//!   stays); animated WebP keeps its frames, each frame filtered too.
//!
//! # GPS
//!
//! When asked (`read_gps`), the EXIF GPS position is read *before* stripping
//! and returned in [`CleanImage::gps`]; otherwise GPS is never parsed. Only
//! EXIF GPS is read; a position held only in XMP is removed but not returned.
//! The position is as sensitive as the reporter's identity: [`CleanImage`]'s
//! `Debug` output redacts it so it cannot end up in a log by accident.
//!
//! This crate is pure: no IO, no async, no unsafe, no panics on any input
//! (property tests and a fuzz target check the last one).

mod error;
mod gps;
mod image;
mod jpeg;
mod png;
mod sniff;
mod webp;

pub use error::MediaError;
pub use image::CleanImage;
pub use sniff::{JPEG, PNG, WEBP, sniff};

/// The MIME types [`sanitize`] accepts, e.g. for an upload form's `accept`.
pub const ACCEPTED: [&str; 3] = [JPEG, PNG, WEBP];

/// Checks an uploaded photo's type and returns it without any metadata.
///
/// `declared_mime` is the type the sender declared (a multipart part's
/// `Content-Type`); `None`, an empty string and `application/octet-stream`
/// declare nothing, and then the content alone decides. When `read_gps` is
/// true the EXIF GPS position is returned in [`CleanImage::gps`].
///
/// The caller enforces the size limit, or uses [`sanitize_with_limit`].
pub fn sanitize(
    bytes: &[u8],
    declared_mime: Option<&str>,
    read_gps: bool,
) -> Result<CleanImage, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let mime = check_type(bytes, declared_mime)?;
    let (clean, gps) = match mime {
        JPEG => jpeg::clean(bytes, read_gps)?,
        PNG => png::clean(bytes, read_gps)?,
        _ => webp::clean(bytes, read_gps)?,
    };
    Ok(CleanImage {
        mime,
        bytes: clean,
        gps,
    })
}

/// [`sanitize`], refusing uploads of more than `max_bytes` bytes first.
pub fn sanitize_with_limit(
    bytes: &[u8],
    declared_mime: Option<&str>,
    read_gps: bool,
    max_bytes: usize,
) -> Result<CleanImage, MediaError> {
    if bytes.len() > max_bytes {
        return Err(MediaError::TooLarge { max: max_bytes });
    }
    sanitize(bytes, declared_mime, read_gps)
}

/// Decides the type from the content and checks it against the declared one.
/// Returns one of the [`ACCEPTED`] types.
fn check_type(bytes: &[u8], declared_mime: Option<&str>) -> Result<&'static str, MediaError> {
    let actual = sniff(bytes);
    if matches!(actual, Some(sniff::HEIC | sniff::HEIF)) {
        return Err(MediaError::Heic);
    }
    let declared = declared_mime.and_then(normalise_mime);
    if let Some(declared) = declared {
        let matches = actual.is_some_and(|actual| actual == declared);
        let claims_accepted = ACCEPTED.contains(&declared.as_str());
        // A mismatch is reported when either side is a type we accept: a PNG
        // sent as JPEG, or a PDF sent as JPEG. Two unaccepted types (a PDF
        // sent as a PDF, a ZIP sent as text) are simply not photos.
        let actual_accepted = actual.is_some_and(|actual| ACCEPTED.contains(&actual));
        if !matches && (claims_accepted || actual_accepted) {
            return Err(MediaError::TypeMismatch {
                declared,
                actual: actual.unwrap_or("unknown"),
            });
        }
    }
    match actual {
        Some(mime) if ACCEPTED.contains(&mime) => Ok(mime),
        _ => Err(MediaError::UnknownType),
    }
}

/// Lower-cases a declared MIME type, drops its parameters, maps common
/// aliases (`image/jpg`, `image/pjpeg`, `image/x-png`) and keeps at most 64
/// printable ASCII characters. Returns `None` when it declares nothing.
fn normalise_mime(declared: &str) -> Option<String> {
    let essence = declared.split(';').next().unwrap_or_default().trim();
    let lower: String = essence
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_graphic() {
                c.to_ascii_lowercase()
            } else {
                '?'
            }
        })
        .collect();
    let canonical = match lower.as_str() {
        "" | "application/octet-stream" | "binary/octet-stream" => return None,
        "image/jpg" | "image/pjpeg" | "image/jpe" => JPEG,
        "image/x-png" => PNG,
        "image/x-webp" => WEBP,
        "image/heif-sequence" => sniff::HEIF,
        "image/heic-sequence" => sniff::HEIC,
        _ => return Some(lower),
    };
    Some(canonical.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_declared_types() {
        assert_eq!(
            normalise_mime("IMAGE/JPEG; charset=x").as_deref(),
            Some(JPEG)
        );
        assert_eq!(normalise_mime(" image/jpg ").as_deref(), Some(JPEG));
        assert_eq!(normalise_mime("image/pjpeg").as_deref(), Some(JPEG));
        assert_eq!(normalise_mime("image/x-png").as_deref(), Some(PNG));
        assert_eq!(normalise_mime("application/octet-stream"), None);
        assert_eq!(normalise_mime(""), None);
        assert_eq!(
            normalise_mime("text/html\u{202e}x").as_deref(),
            Some("text/html?x")
        );
        assert_eq!(normalise_mime(&"a".repeat(500)).map(|s| s.len()), Some(64));
    }
}
