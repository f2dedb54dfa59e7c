//! A second opinion from exiftool, when it is installed: after sanitising,
//! it must find nothing but the file's type and the image's basic structure.
//! (Debian: `apt-get install libimage-exiftool-perl`.) The marker tests in
//! `sanitize.rs` are the ones that always run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::FIXTURES;
use vigil_media::sanitize;

/// Tags that describe the file and how to decode it, and nothing else.
const ALLOWED: &[&str] = &[
    "ExifTool:ExifToolVersion",
    "File:FileType",
    "File:FileTypeExtension",
    "File:MIMEType",
    "File:ImageWidth",
    "File:ImageHeight",
    "File:EncodingProcess",
    "File:BitsPerSample",
    "File:ColorComponents",
    "File:YCbCrSubSampling",
    "JFIF:JFIFVersion",
    "JFIF:ResolutionUnit",
    "JFIF:XResolution",
    "JFIF:YResolution",
    "PNG:ImageWidth",
    "PNG:ImageHeight",
    "PNG:BitDepth",
    "PNG:ColorType",
    "PNG:Compression",
    "PNG:Filter",
    "PNG:Interlace",
    "PNG:Palette",
    "PNG:Transparency",
    "RIFF:VP8Version",
    "RIFF:ImageWidth",
    "RIFF:ImageHeight",
    "RIFF:HorizontalScale",
    "RIFF:VerticalScale",
    "RIFF:WebP_Flags",
    "RIFF:AlphaPreprocessing",
    "RIFF:AlphaFiltering",
    "RIFF:AlphaCompression",
    "RIFF:BackgroundColor",
    "RIFF:AnimationLoopCount",
    "RIFF:Duration",
    "Composite:ImageSize",
    "Composite:Megapixels",
];

/// Runs exiftool on the bytes (through standard input) and returns its
/// "Group:Tag" names, or `None` when exiftool is not installed.
fn exiftool_tags(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let mut child = Command::new("exiftool")
        .args(["-G1", "-a", "-u", "-s", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let tags = text
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let (group, tag) = name.trim().strip_prefix('[')?.split_once(']')?;
            Some((
                format!("{}:{}", group.trim(), tag.trim()),
                value.trim().to_owned(),
            ))
        })
        .filter(|(name, _)| !name.starts_with("System:"))
        .collect();
    Some(tags)
}

#[test]
fn exiftool_finds_no_metadata_after_sanitising() {
    let Some(before) = exiftool_tags(FIXTURES[0].1) else {
        println!(
            "note: exiftool is not installed; skipping (apt-get install libimage-exiftool-perl)"
        );
        return;
    };
    // The fixture really is full of metadata, as exiftool sees it.
    assert!(
        before.iter().any(|(name, _)| name == "GPS:GPSLatitude"),
        "{before:?}"
    );
    assert!(
        before.iter().any(|(name, _)| name == "XMP-photoshop:City"),
        "{before:?}"
    );

    for (name, bytes, _) in FIXTURES {
        let clean = sanitize(bytes, None, true).unwrap();
        let tags = exiftool_tags(&clean.bytes).unwrap();
        println!("{name}: {tags:?}");
        let extra: Vec<_> = tags
            .iter()
            .filter(|(tag, _)| !ALLOWED.contains(&tag.as_str()))
            .collect();
        assert!(extra.is_empty(), "{name}: exiftool still finds {extra:?}");
        assert!(
            tags.iter().any(|(tag, _)| tag == "File:MIMEType"),
            "{name}: {tags:?}"
        );
    }
}
