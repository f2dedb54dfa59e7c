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

mod gps;
mod jpeg;
mod png;
mod sniff;
mod webp;

use std::fmt;

pub use sniff::sniff;

/// The MIME type of a JPEG image.
pub const JPEG: &str = "image/jpeg";
/// The MIME type of a PNG image.
pub const PNG: &str = "image/png";
/// The MIME type of a WebP image.
pub const WEBP: &str = "image/webp";
/// The MIME types [`sanitize`] accepts, e.g. for an upload form's `accept`.
pub const ACCEPTED: [&str; 3] = [JPEG, PNG, WEBP];

/// A photo with every piece of metadata removed.
#[derive(Clone, PartialEq)]
pub struct CleanImage {
    /// The type found in the content: `image/jpeg`, `image/png` or `image/webp`.
    pub mime: &'static str,
    /// The sanitised file.
    pub bytes: Vec<u8>,
    /// The EXIF GPS position as (latitude, longitude) in decimal degrees,
    /// read only when asked for, and only when complete and plausible.
    pub gps: Option<(f64, f64)>,
}

impl fmt::Debug for CleanImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The position must never reach a log through a `{:?}`.
        f.debug_struct("CleanImage")
            .field("mime", &self.mime)
            .field("len", &self.bytes.len())
            .field("gps", &self.gps.map(|_| "<redacted>"))
            .finish()
    }
}

/// Why a photo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The upload has no bytes.
    #[error("the photo is empty")]
    Empty,
    /// The upload is larger than the limit.
    #[error("the photo is larger than {max} bytes")]
    TooLarge {
        /// The limit in bytes.
        max: usize,
    },
    /// The content is not a JPEG, PNG or WebP image.
    #[error("this file is not a photo we accept: please send a JPEG, PNG or WebP image")]
    UnknownType,
    /// The content is not of the type its sender declared.
    #[error("the file was sent as {declared} but its content is {actual}")]
    TypeMismatch {
        /// The declared MIME type, normalised and cut to printable ASCII.
        declared: String,
        /// The type found in the content, or `unknown`.
        actual: &'static str,
    },
    /// The content is HEIC/HEIF, which is not accepted.
    #[error(
        "HEIC/HEIF photos are not accepted: please send the photo as JPEG \
         (on an iPhone: Settings > Camera > Formats > Most Compatible)"
    )]
    Heic,
    /// The content claims a supported type but cannot be parsed.
    #[error("the photo is damaged or incomplete: {0}")]
    Corrupt(String),
}

impl MediaError {
    /// A stable identifier for this kind of error, for translations and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::Empty => "photo-empty",
            MediaError::TooLarge { .. } => "photo-too-large",
            MediaError::UnknownType => "photo-unknown-type",
            MediaError::TypeMismatch { .. } => "photo-type-mismatch",
            MediaError::Heic => "photo-heic",
            MediaError::Corrupt(_) => "photo-corrupt",
        }
    }
}

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

/// A sanitised file and the GPS position read from it, if asked for.
type Cleaned = (Vec<u8>, Option<(f64, f64)>);

/// Maps a container parser's error to [`MediaError::Corrupt`].
fn corrupt(format: &str, error: impl fmt::Display) -> MediaError {
    MediaError::Corrupt(format!("{format}: {error}"))
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

    #[test]
    fn codes_are_stable() {
        let all = [
            (MediaError::Empty, "photo-empty"),
            (MediaError::TooLarge { max: 1 }, "photo-too-large"),
            (MediaError::UnknownType, "photo-unknown-type"),
            (
                MediaError::TypeMismatch {
                    declared: "image/png".into(),
                    actual: JPEG,
                },
                "photo-type-mismatch",
            ),
            (MediaError::Heic, "photo-heic"),
            (MediaError::Corrupt("x".into()), "photo-corrupt"),
        ];
        for (error, code) in all {
            assert_eq!(error.code(), code);
            assert!(!error.to_string().is_empty());
        }
        assert!(MediaError::Heic.to_string().contains("JPEG"));
    }

    #[test]
    fn debug_redacts_gps() {
        let image = CleanImage {
            mime: JPEG,
            bytes: vec![1, 2, 3],
            gps: Some((11.5564, 104.9282)),
        };
        let shown = format!("{image:?}");
        assert!(!shown.contains("11.5"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
