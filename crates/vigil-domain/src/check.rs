//! The public check's arithmetic: a value's digest and the hash-prefix
//! ranges partners ask for, and the bands reports are shown in.
//!
//! A value is hashed as its normalised text (what `vigil-extract` writes:
//! `+85512345678`, `@handle`, `https://host/path`), UTF-8, with SHA-256. A
//! range is the first 20 bits of the digest, written as 5 hexadecimal
//! digits; the answer lists the other 59 digits of every value in it, so
//! whoever asks never says which value they hold, and about a
//! millionth of all values share each prefix.

use sha2::{Digest, Sha256};

/// Hexadecimal digits in a range prefix.
pub const PREFIX_HEX: usize = 5;

/// The SHA-256 of a normalised value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValueDigest(pub [u8; 32]);

impl ValueDigest {
    /// The digest of `value` (its normalised text).
    pub fn of(value: &str) -> ValueDigest {
        ValueDigest(Sha256::digest(value.as_bytes()).into())
    }

    /// The first eight bytes as a signed integer, what the store indexes:
    /// every range is then one interval of these keys.
    pub fn key(&self) -> i64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        i64::from_be_bytes(first)
    }

    /// The whole digest in lowercase hexadecimal.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The hexadecimal digits after the range prefix.
    pub fn suffix(&self) -> String {
        self.hex()[PREFIX_HEX..].to_string()
    }

    /// The range this digest falls in.
    pub fn range(&self) -> RangePrefix {
        let top = u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]]) >> 4;
        RangePrefix(top)
    }
}

/// The first 20 bits of a digest: one range of the range API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RangePrefix(u32);

impl RangePrefix {
    /// Reads 5 hexadecimal digits (either case); anything else is `None`.
    pub fn parse(text: &str) -> Option<RangePrefix> {
        if text.len() != PREFIX_HEX || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(text, 16).ok().map(RangePrefix)
    }

    /// The prefix as 5 lowercase hexadecimal digits.
    pub fn hex(&self) -> String {
        format!("{:05x}", self.0)
    }

    /// The first and last digest keys ([`ValueDigest::key`]) in this range.
    pub fn keys(&self) -> (i64, i64) {
        let low = u64::from(self.0) << 44;
        let high = low | ((1u64 << 44) - 1);
        (low as i64, high as i64)
    }
}

/// How many independent reports a value has, as the public sees it: never
/// an exact number, never anything below the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReportBand {
    /// The band's first count.
    pub from: u32,
    /// Its last count; `None` for the open band ("50 or more").
    pub to: Option<u32>,
}

/// The bands' upper bounds after the threshold: 3–9, 10–49, 50 or more.
const BAND_STARTS: [u32; 2] = [10, 50];

impl ReportBand {
    /// The band of `count` independent reports when fewer than `min`
    /// (at least 1) are never mentioned; `None` below it.
    pub fn of(count: u32, min: u32) -> Option<ReportBand> {
        let min = min.max(1);
        if count < min {
            return None;
        }
        let mut from = min;
        for start in BAND_STARTS {
            if start <= from {
                continue;
            }
            if count < start {
                return Some(ReportBand {
                    from,
                    to: Some(start - 1),
                });
            }
            from = start;
        }
        Some(ReportBand {
            from: from.max(min),
            to: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_of_the_text() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        let d = ValueDigest::of("abc");
        assert_eq!(
            d.hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.range().hex(), "ba781");
        assert_eq!(d.suffix().len(), 59);
        assert!(d.hex().ends_with(&d.suffix()));
    }

    #[test]
    fn every_digest_key_lies_in_its_range() {
        for v in [
            "abc",
            "+85512345678",
            "@scam_boss",
            "https://ạba.com.kh/",
            "",
        ] {
            let d = ValueDigest::of(v);
            let (lo, hi) = d.range().keys();
            assert!(lo <= d.key() && d.key() <= hi, "{v}");
        }
        for p in ["00000", "7ffff", "80000", "fffff"] {
            let (lo, hi) = RangePrefix::parse(p).expect("prefix").keys();
            assert!(lo < hi, "{p}");
        }
    }

    #[test]
    fn prefixes_are_five_hex_digits() {
        assert_eq!(
            RangePrefix::parse("ABCDE").map(|p| p.hex()),
            Some("abcde".into())
        );
        for bad in ["abcd", "abcdef", "abcdg", "", "+bcde", "ab cd"] {
            assert_eq!(RangePrefix::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bands_start_at_the_threshold_and_never_show_less() {
        let band = |c, k| ReportBand::of(c, k).map(|b| (b.from, b.to));
        assert_eq!(band(2, 3), None);
        assert_eq!(band(0, 3), None);
        assert_eq!(band(3, 3), Some((3, Some(9))));
        assert_eq!(band(9, 3), Some((3, Some(9))));
        assert_eq!(band(10, 3), Some((10, Some(49))));
        assert_eq!(band(49, 3), Some((10, Some(49))));
        assert_eq!(band(50, 3), Some((50, None)));
        assert_eq!(band(5000, 3), Some((50, None)));
        // A higher threshold opens its own first band.
        assert_eq!(band(11, 12), None);
        assert_eq!(band(12, 12), Some((12, Some(49))));
        assert_eq!(band(60, 70), None);
        assert_eq!(band(70, 70), Some((70, None)));
        assert_eq!(band(1, 0), Some((1, Some(9))));
    }
}
