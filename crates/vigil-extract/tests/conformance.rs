//! Conformance against external data (see `tests/data/NOTICE`): libphonenumber's
//! example numbers, a wallet validator's test cases and ethers' EIP-55 accounts.

use serde_json::Value;
use vigil_extract::{Chain, Detail, Kind, Options, extract, extract_with};

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

const REGIONS: &[&str] = &[
    "KH", "CN", "VN", "TH", "MM", "LA", "MY", "ID", "PH", "KR", "JP", "SG", "US", "GB",
];

fn phones(text: &str, region: &'static str) -> Vec<String> {
    extract_with(
        text,
        &Options {
            default_region: region,
        },
    )
    .into_iter()
    .filter(|f| f.kind == Kind::Phone)
    .map(|f| f.value)
    .collect()
}

#[test]
fn libphonenumber_examples_normalise_to_e164() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for ex in load("phone_examples.json") {
        let region = REGIONS.iter().find(|r| **r == s(&ex, "region"));
        let Some(region) = region else { continue };
        let e164 = s(&ex, "e164");
        for (form, text, default) in [
            ("national", s(&ex, "national"), *region),
            ("international", s(&ex, "international"), "KH"),
        ] {
            checked += 1;
            let got = phones(text, default);
            if got != [e164] {
                failures.push(format!(
                    "{region} {} {form} {text:?}: want {e164}, got {got:?}",
                    s(&ex, "type")
                ));
            }
            // The same number inside a sentence.
            let sentence = format!("Contact: {text}, thanks");
            if phones(&sentence, default) != [e164] {
                failures.push(format!("{region} {form} in a sentence {sentence:?}"));
            }
        }
    }
    assert!(checked >= 140, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn wallets(text: &str) -> Vec<(Chain, String)> {
    extract(text)
        .into_iter()
        .filter_map(|f| match f.detail {
            Some(Detail::Wallet { chain }) => Some((chain, f.value)),
            _ => None,
        })
        .collect()
}

/// The chain a case is about, or `None` when it is out of scope (Litecoin,
/// Solana, testnets).
fn chain_of(case: &Value) -> Option<Chain> {
    let currency = s(case, "currency").to_ascii_lowercase();
    let opts = s(case, "opts").to_ascii_lowercase();
    let addr = s(case, "address");
    if opts.contains("testnet") || opts.contains("solana") {
        return None;
    }
    let by_prefix = || {
        if addr.starts_with("0x") || addr.starts_with("0X") {
            Some(Chain::Ethereum)
        } else if addr.starts_with('T') {
            Some(Chain::Tron)
        } else if addr.starts_with('1')
            || addr.starts_with('3')
            || addr.to_ascii_lowercase().starts_with("bc1")
        {
            Some(Chain::Bitcoin)
        } else {
            None
        }
    };
    match currency.as_str() {
        "bitcoin" | "btc" => by_prefix().filter(|c| *c == Chain::Bitcoin),
        "trx" => Some(Chain::Tron),
        "ethereum" | "eth" | "bnb" | "binance" => by_prefix().filter(|c| *c == Chain::Ethereum),
        "tether" | "usdt" => {
            if opts.contains("tron") {
                Some(Chain::Tron)
            } else if opts.contains("erc20") || opts.contains("ethereum") {
                Some(Chain::Ethereum)
            } else if opts.contains("omni") {
                Some(Chain::Bitcoin)
            } else {
                by_prefix()
            }
        }
        _ => None,
    }
}

#[test]
fn wallet_cases() {
    let cases = load("wallet_address_cases.json");
    let valid: Vec<&str> = cases
        .iter()
        .filter(|c| s(c, "label") == "valid" && chain_of(c).is_some())
        .map(|c| s(c, "address"))
        .collect();
    let (mut found, mut rejected) = (0, 0);
    for case in &cases {
        let addr = s(case, "address");
        let Some(chain) = chain_of(case) else {
            continue;
        };
        let got = wallets(&format!("send to {addr} now"));
        if s(case, "label") == "valid" {
            let want = if chain == Chain::Ethereum
                || chain == Chain::Bitcoin && !addr.starts_with(['1', '3'])
            {
                addr.to_ascii_lowercase()
            } else {
                addr.to_string()
            };
            assert_eq!(got, [(chain, want)], "valid {case}");
            found += 1;
        } else if !valid.contains(&addr) {
            assert!(
                got.iter().all(|(c, _)| *c != chain),
                "invalid {case} found: {got:?}"
            );
            rejected += 1;
        }
    }
    assert!(
        found >= 50 && rejected >= 10,
        "found {found}, rejected {rejected}"
    );
}

#[test]
fn eip55_accounts() {
    let cases = load("eip55_accounts.json");
    assert_eq!(cases.len(), 1038);
    for case in &cases {
        let lower = s(case, "address").to_ascii_lowercase();
        let sum = s(case, "checksumAddress");
        assert_eq!(wallets(sum), [(Chain::Ethereum, lower.clone())], "{sum}");
        assert_eq!(
            wallets(&lower),
            [(Chain::Ethereum, lower.clone())],
            "{lower}"
        );
        // Flip the case of one letter: the checksum must fail.
        if let Some(p) = sum
            .char_indices()
            .skip(2)
            .find(|(_, c)| c.is_ascii_alphabetic())
            .map(|(i, _)| i)
        {
            let mut broken: Vec<u8> = sum.as_bytes().to_vec();
            broken[p] ^= 0x20;
            let broken = String::from_utf8(broken).unwrap_or_default();
            let mixed = broken[2..].bytes().any(|c| c.is_ascii_lowercase())
                && broken[2..].bytes().any(|c| c.is_ascii_uppercase());
            if mixed {
                assert!(wallets(&broken).is_empty(), "{broken}");
            }
        }
    }
}

/// Every Cambodian mobile prefix and subscriber length that libphonenumber 9.0.43
/// (Python `phonenumbers`, checked when this list was made) calls a valid mobile.
#[test]
fn every_current_kh_mobile_prefix() {
    const PREFIXES: &str = "010/6 011/6 012/6 012/7 013/6 014/6 015/6 016/6 017/6 018/6 018/7 019/6 \
        031/7 038/7 060/6 061/6 066/6 067/6 068/6 069/6 070/6 071/7 076/7 077/6 078/6 079/6 080/6 \
        081/6 083/6 084/6 085/6 086/6 087/6 088/7 089/6 090/6 091/6 092/6 093/6 094/6 095/6 096/7 \
        097/6 097/7 098/6 099/6";
    for p in PREFIXES.split_whitespace() {
        let (prefix, len) = p.split_once('/').unwrap_or_default();
        let len: usize = len.parse().unwrap_or(0);
        let national = format!("{prefix}{}", &"2345678"[..len]);
        let e164 = format!("+855{}", &national[1..]);
        assert_eq!(phones(&format!("call {national} now"), "KH"), [e164], "{p}");
    }
}
