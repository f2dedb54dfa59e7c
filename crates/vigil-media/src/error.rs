//! Why a photo was refused.

use std::fmt;

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

/// Maps a container parser's error to [`MediaError::Corrupt`].
pub(crate) fn corrupt(format: &str, error: impl fmt::Display) -> MediaError {
    MediaError::Corrupt(format!("{format}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sniff::JPEG;

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
}
