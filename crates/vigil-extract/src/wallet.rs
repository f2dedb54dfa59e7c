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
}

impl Chain {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Chain::Bitcoin => "bitcoin",
            Chain::Tron => "tron",
            Chain::Ethereum => "ethereum",
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
        assert_eq!(
            check("bc1q2t63ewm3mvh0ztmnmezxm7s0tefknenxlrlwrk").map(|x| x.0),
            Some(Chain::Bitcoin)
        );
    }
}
