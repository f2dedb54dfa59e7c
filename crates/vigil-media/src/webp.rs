//! WebP: keep the chunks that draw the image, drop the rest, fix VP8X.

use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{
    CHUNK_ALPH, CHUNK_ANIM, CHUNK_ANMF, CHUNK_VP8, CHUNK_VP8L, CHUNK_VP8X, WebP,
};
use img_parts::{Bytes, ImageEXIF};

use crate::error::{MediaError, corrupt};
use crate::gps;
use crate::image::Cleaned;

/// VP8X flag bits (first byte of the chunk).
const FLAG_ALPHA: u8 = 0b0001_0000;
const FLAG_ANIMATION: u8 = 0b0000_0010;

/// The VP8X chunk: flags, three reserved bytes, canvas width and height.
const VP8X_LEN: usize = 10;
/// The ANMF frame header before the frame's own chunks.
const ANMF_HEADER_LEN: usize = 16;

/// Sanitises a WebP, reading the EXIF GPS position first when asked.
///
/// Kept: VP8X (with only the alpha and animation flags, as they still apply),
/// VP8, VP8L, ALPH, ANIM and ANMF (each frame filtered to ALPH, VP8, VP8L).
/// Dropped: EXIF, XMP, ICCP and every other chunk, and anything after the
/// RIFF chunk.
pub(crate) fn clean(bytes: &[u8], read_gps: bool) -> Result<Cleaned, MediaError> {
    let mut webp =
        WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| corrupt("WebP", e))?;
    let gps = if read_gps {
        webp.exif().and_then(|tiff| gps::from_tiff(&tiff))
    } else {
        None
    };

    let extended = webp
        .chunk_by_id(CHUNK_VP8X)
        .and_then(|c| c.content().data().cloned());
    let mut kept = Vec::new();
    for chunk in webp.chunks() {
        let id = chunk.id();
        let Some(data) = chunk.content().data() else {
            continue; // a LIST: nothing an image needs
        };
        if id == CHUNK_VP8
            || id == CHUNK_VP8L
            || (extended.is_some() && (id == CHUNK_ALPH || id == CHUNK_ANIM))
        {
            kept.push(chunk.clone());
        } else if extended.is_some() && id == CHUNK_ANMF {
            let frame = clean_frame(data)?;
            kept.push(RiffChunk::new(
                CHUNK_ANMF,
                RiffContent::Data(Bytes::from(frame)),
            ));
        }
    }

    let animated = has(&kept, CHUNK_ANIM) && has(&kept, CHUNK_ANMF);
    let still = has(&kept, CHUNK_VP8) || has(&kept, CHUNK_VP8L);
    if animated {
        // Frames carry the pictures; a stray still bitstream is not shown.
        kept.retain(|c| c.id() != CHUNK_VP8 && c.id() != CHUNK_VP8L && c.id() != CHUNK_ALPH);
    } else if still {
        kept.retain(|c| c.id() != CHUNK_ANIM && c.id() != CHUNK_ANMF);
    } else {
        return Err(MediaError::Corrupt("WebP: no image data".into()));
    }

    // VP8X stays only when the image needs the extended format (alpha next
    // to a lossy bitstream, or animation), with its metadata flags cleared.
    let needs_extended = animated || has(&kept, CHUNK_ALPH);
    if let (true, Some(vp8x)) = (needs_extended, extended) {
        let canvas = vp8x
            .get(4..VP8X_LEN)
            .ok_or_else(|| MediaError::Corrupt("WebP: VP8X chunk too short".into()))?;
        let old_flags = vp8x.first().copied().unwrap_or_default();
        let mut flags = 0;
        if has(&kept, CHUNK_ALPH) || (animated && old_flags & FLAG_ALPHA != 0) {
            flags |= FLAG_ALPHA;
        }
        if animated {
            flags |= FLAG_ANIMATION;
        }
        let mut content = vec![flags, 0, 0, 0];
        content.extend_from_slice(canvas);
        kept.insert(
            0,
            RiffChunk::new(CHUNK_VP8X, RiffContent::Data(Bytes::from(content))),
        );
    }

    *webp.chunks_mut() = kept;
    if webp.dimensions().is_none() {
        return Err(MediaError::Corrupt("WebP: no readable image size".into()));
    }
    Ok((webp.encoder().bytes().to_vec(), gps))
}

/// Filters one ANMF frame's chunks to ALPH, VP8 and VP8L.
fn clean_frame(data: &[u8]) -> Result<Vec<u8>, MediaError> {
    let short = || MediaError::Corrupt("WebP: truncated animation frame".into());
    let header = data.get(..ANMF_HEADER_LEN).ok_or_else(short)?;
    let mut out = header.to_vec();
    let mut rest = data.get(ANMF_HEADER_LEN..).unwrap_or_default();
    while !rest.is_empty() {
        let id: [u8; 4] = rest
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(short)?;
        let len: [u8; 4] = rest
            .get(4..8)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(short)?;
        let len = usize::try_from(u32::from_le_bytes(len)).map_err(|_| short())?;
        let padded = len.checked_add(len % 2).ok_or_else(short)?;
        let end = padded.checked_add(8).ok_or_else(short)?;
        // A missing pad byte at the very end is tolerated.
        let chunk = rest
            .get(..end)
            .or_else(|| rest.get(..8 + len))
            .ok_or_else(short)?;
        if id == CHUNK_ALPH || id == CHUNK_VP8 || id == CHUNK_VP8L {
            out.extend_from_slice(chunk);
            if chunk.len() % 2 == 1 {
                out.push(0);
            }
        }
        rest = rest.get(chunk.len()..).unwrap_or_default();
    }
    Ok(out)
}

/// Whether any chunk has this id.
fn has(chunks: &[RiffChunk], id: [u8; 4]) -> bool {
    chunks.iter().any(|chunk| chunk.id() == id)
}
