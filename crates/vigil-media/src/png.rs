//! PNG: keep the chunks that draw the image, drop the rest.

use img_parts::Bytes;
use img_parts::ImageEXIF;
use img_parts::png::Png;

use crate::error::{MediaError, corrupt};
use crate::gps;
use crate::image::Cleaned;

/// The chunks a sanitised PNG keeps: the critical ones and the few
/// ancillary ones that change how the pixels look. Everything else goes,
/// known or not: tEXt, zTXt, iTXt (XMP), eXIf, tIME, iCCP, pHYs, sPLT, bKGD,
/// hIST, sBIT, caBX, APNG animation, private chunks.
const KEEP: [[u8; 4]; 8] = [
    *b"IHDR", *b"PLTE", *b"IDAT", *b"IEND", *b"tRNS", *b"gAMA", *b"cHRM", *b"sRGB",
];

/// Sanitises a PNG, reading the eXIf GPS position first when asked.
pub(crate) fn clean(bytes: &[u8], read_gps: bool) -> Result<Cleaned, MediaError> {
    // Parsing stops at IEND, so anything appended after it is never kept.
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| corrupt("PNG", e))?;
    let gps = if read_gps {
        png.exif().and_then(|tiff| gps::from_tiff(&tiff))
    } else {
        None
    };

    let kinds: Vec<[u8; 4]> = png.chunks().iter().map(|chunk| chunk.kind()).collect();
    if kinds.first() != Some(b"IHDR") {
        return Err(MediaError::Corrupt(
            "PNG: IHDR is not the first chunk".into(),
        ));
    }
    if kinds.last() != Some(b"IEND") {
        return Err(MediaError::Corrupt(
            "PNG: no IEND chunk, the file is cut short".into(),
        ));
    }
    if !kinds.contains(b"IDAT") {
        return Err(MediaError::Corrupt("PNG: no image data".into()));
    }
    // An unknown critical chunk (upper-case first letter) means the image
    // cannot be decoded without it: Apple's CgBI, for one.
    if let Some(kind) = kinds
        .iter()
        .find(|kind| kind[0].is_ascii_uppercase() && !KEEP.contains(kind))
    {
        return Err(MediaError::Corrupt(format!(
            "PNG: unsupported critical chunk {}",
            String::from_utf8_lossy(kind).escape_default()
        )));
    }

    if png.dimensions().is_none() {
        return Err(MediaError::Corrupt("PNG: no readable image size".into()));
    }
    png.chunks_mut()
        .retain(|chunk| KEEP.contains(&chunk.kind()));
    Ok((png.encoder().bytes().to_vec(), gps))
}
