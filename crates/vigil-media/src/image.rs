//! The sanitised photo.

use std::fmt;

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

/// A sanitised file and the GPS position read from it, if asked for.
pub(crate) type Cleaned = (Vec<u8>, Option<(f64, f64)>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sniff::JPEG;

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
