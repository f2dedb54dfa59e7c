//! Crypto wallet addresses, accepted only when their checksum holds.

use sha3::{Digest, Keccak256};

/// The chain a wallet address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chain {
    /// Bitcoin: base58check P2PKH/P2SH, or bech32/bech32m segwit.
    Bitcoin,
    /// TRON (where USDT-TRC20 lives): base58check with version 0x41.
    Tron,
    /// Ethereum and EVM chains (BSC, Arbitrum…): `0x` + 40 hex.
    Ethereum,
    /// Monero: its own base58 (8-byte blocks), network byte, two keys, and a
    /// Keccak-256 checksum.
    Monero,
}

impl Chain {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Chain::Bitcoin => "bitcoin",
            Chain::Tron => "tron",
            Chain::Ethereum => "ethereum",
            Chain::Monero => "monero",
        }
    }
}

/// Checks a whole word; returns the chain and normal form.
pub(crate) fn check(word: &str) -> Option<(Chain, String)> {
    let b = word.as_bytes();
    if b.len() == 42 && b.starts_with(b"0x") {
        return ethereum(&word[2..]).then(|| (Chain::Ethereum, word.to_ascii_lowercase()));
    }
    if b.len() >= 14 && b.len() <= 90 && (b[..3].eq_ignore_ascii_case(b"bc1")) {
        let lower = word.to_ascii_lowercase();
        let upper = word.to_ascii_uppercase();
        if word != lower && word != upper {
            return None;
        }
        return match bech32::segwit::decode(word) {
            Ok((hrp, _, _)) if hrp == bech32::hrp::BC => Some((Chain::Bitcoin, lower)),
            _ => None,
        };
    }
    if matches!(b.len(), 95 | 106) && matches!(b[0], b'4' | b'8') {
        return monero(word).then(|| (Chain::Monero, word.to_string()));
    }
    if (26..=35).contains(&b.len()) && matches!(b[0], b'1' | b'3' | b'T') {
        let bytes = bs58::decode(word).with_check(None).into_vec().ok()?;
        if bytes.len() != 21 {
            return None;
        }
        let chain = match (b[0], bytes[0]) {
            (b'T', 0x41) if b.len() == 34 => Chain::Tron,
            (b'1', 0x00) | (b'3', 0x05) => Chain::Bitcoin,
            _ => return None,
        };
        return Some((chain, word.to_string()));
    }
    None
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decodes Monero's base58: each 11 characters are 8 bytes, big-endian; a
/// shorter last block stands for fewer bytes.
fn monero_base58(text: &[u8]) -> Option<Vec<u8>> {
    // Bytes a last block of n characters encodes (`None`: no such block).
    const BYTES_OF: [Option<usize>; 12] = [
        Some(0),
        None,
        Some(1),
        Some(2),
        None,
        Some(3),
        Some(4),
        Some(5),
        None,
        Some(6),
        Some(7),
        Some(8),
    ];
    let mut out = Vec::with_capacity(text.len() * 8 / 11 + 8);
    for block in text.chunks(11) {
        let bytes = BYTES_OF[block.len()]?;
        let mut n: u128 = 0;
        for &c in block {
            let d = BASE58.iter().position(|&x| x == c)?;
            n = n * 58 + d as u128;
        }
        if bytes < 8 && n >> (8 * bytes) != 0 || n > u128::from(u64::MAX) {
            return None;
        }
        let be = n.to_be_bytes();
        out.extend_from_slice(&be[16 - bytes..]);
    }
    Some(out)
}

/// A Monero address: standard (network byte 18) or subaddress (42), 95
/// characters; integrated (19), 106. The last 4 bytes are the first 4 of
/// Keccak-256 of the rest.
fn monero(word: &str) -> bool {
    let Some(data) = monero_base58(word.as_bytes()) else {
        return false;
    };
    let expected_len = match data.first() {
        Some(18 | 42) => 69,
        Some(19) => 77,
        _ => return false,
    };
    if data.len() != expected_len {
        return false;
    }
    let (body, sum) = data.split_at(data.len() - 4);
    Keccak256::digest(body)[..4] == *sum
}

/// 40 hex digits, EIP-55 checked when mixed case.
fn ethereum(hex: &str) -> bool {
    if hex.len() != 40 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    let has_lower = hex.bytes().any(|c| c.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|c| c.is_ascii_uppercase());
    if !(has_lower && has_upper) {
        return true;
    }
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    hex.bytes().enumerate().all(|(i, c)| {
        if !c.is_ascii_alphabetic() {
            return true;
        }
        let byte = hash[i / 2];
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        (nibble >= 8) == c.is_ascii_uppercase()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert_eq!(
            check("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").map(|x| x.0),
            Some(Chain::Ethereum)
        );
        assert_eq!(check("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), None);
        assert_eq!(
            check("TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r").map(|x| x.0),
            Some(Chain::Tron)
        );
        assert_eq!(check("TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg31"), None);
        // The Monero project's general fund address, as it publishes it.
        let xmr = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
        assert_eq!(check(xmr).map(|x| x.0), Some(Chain::Monero));
        // Any one character changed breaks the checksum (or the encoding).
        for i in [1, 20, 60, 94] {
            let mut bad = xmr.as_bytes().to_vec();
            bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
            let bad = String::from_utf8(bad).unwrap_or_default();
            assert_eq!(check(&bad), None, "{bad}");
        }
        assert_eq!(
            check("bc1q2t63ewm3mvh0ztmnmezxm7s0tefknenxlrlwrk").map(|x| x.0),
            Some(Chain::Bitcoin)
        );
    }
}
