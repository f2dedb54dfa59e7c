//! Look-alike hosts: a link's host that reads as a protected domain (a bank's,
//! an agency's) but is not it.
//!
//! Two hosts are confusable when their UTS #39 skeletons are equal: the skeleton
//! maps every character to its prototype in Unicode's confusables data (Cyrillic
//! `а` and Vietnamese `ạ` become `a`, `0` becomes `O`, `1` becomes `l`, `m`
//! becomes `rn`…). Both sides are lowercased first and a punycode (`xn--`) label
//! is read in its Unicode form. Lowercasing is done again after the skeleton so
//! that `0` and `o` meet, and combining diacritics are dropped from it, so that
//! `ạ` or `á` read as `a` (UTS #39 alone keeps them). The real domain and its own subdomains are never
//! flagged; a look-alike with any subdomain prefix in front is.
//!
//! Not covered: a different name that is merely similar (`abaa.com.kh`, a typo
//! squat) and the protected name used as a subdomain of an unrelated domain
//! (`aba.com.kh.example.com`); those are not confusables.

use unicode_security::skeleton;

/// The protected domain that `host` is a confusable look-alike of, if any.
///
/// `protected` holds registrable domains from configuration (`aba.com.kh`,
/// `nbc.gov.kh`…), written in ASCII, Unicode or punycode; the one returned is the
/// entry as given. `host` itself, or a subdomain of it, is never its own
/// look-alike.
///
/// ```
/// let banks = vec!["aba.com.kh".to_string()];
/// assert_eq!(vigil_extract::looks_like("login.\u{1EA1}ba.com.kh", &banks), Some("aba.com.kh"));
/// assert_eq!(vigil_extract::looks_like("www.aba.com.kh", &banks), None);
/// ```
pub fn looks_like<'a>(host: &str, protected: &'a [String]) -> Option<&'a str> {
    let host = normalise(host);
    if host.is_empty() {
        return None;
    }
    let host_skel = fold(&host);
    protected.iter().find_map(|p| {
        let name = normalise(p);
        if name.is_empty() || is_within(&host, &name) {
            return None;
        }
        let skel = fold(&name);
        is_within(&host_skel, &skel).then_some(p.as_str())
    })
}

/// Whether `host` is `domain` or one of its subdomains.
fn is_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// The host lowercased, without a trailing dot, with punycode labels read as
/// Unicode.
fn normalise(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    if host.split('.').any(|l| l.starts_with("xn--")) {
        let (unicode, result) = idna::domain_to_unicode(&host);
        if result.is_ok() {
            return unicode.to_lowercase();
        }
    }
    host
}

/// The skeleton, lowercased, then the skeleton of that (`0` → `O` → `o`, so a
/// digit and the letter it imitates compare equal whatever their case), without
/// combining diacritics (`ạ` is `a` and a dot below).
fn fold(s: &str) -> String {
    let once: String = skeleton(s).collect::<String>().to_lowercase();
    skeleton(&once).filter(|c| !is_diacritic(*c)).collect()
}

/// Combining diacritical marks (the basic block, its extensions and supplement,
/// marks for symbols, half marks).
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protected() -> Vec<String> {
        [
            "aba.com.kh",
            "acledabank.com.kh",
            "nbc.gov.kh",
            "wing.com.kh",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn check(host: &str, expected: Option<&str>) {
        let p = protected();
        assert_eq!(looks_like(host, &p), expected, "host {host:?}");
    }

    #[test]
    fn lookalikes_are_found() {
        // Cyrillic а (U+0430) in place of the Latin a.
        check("\u{430}ba.com.kh", Some("aba.com.kh"));
        check("ab\u{430}.com.kh", Some("aba.com.kh"));
        // Vietnamese ạ (U+1EA1), with a subdomain in front.
        check("login.\u{1EA1}ba.com.kh", Some("aba.com.kh"));
        check("\u{1EA1}ba.com.kh", Some("aba.com.kh"));
        // The same, written in punycode, and in upper case.
        let puny = idna::domain_to_ascii("\u{430}ba.com.kh").unwrap_or_default();
        assert!(puny.starts_with("xn--"), "{puny}");
        check(&puny, Some("aba.com.kh"));
        check(&puny.to_uppercase(), Some("aba.com.kh"));
        check(&format!("secure.{puny}"), Some("aba.com.kh"));
        // rn for m, 1 for l, 0 for o.
        check("acledabank.corn.kh", Some("acledabank.com.kh"));
        check("ac1edabank.com.kh", Some("acledabank.com.kh"));
        check("acledabank.c0m.kh", Some("acledabank.com.kh"));
        check("nbc.g0v.kh", Some("nbc.gov.kh"));
        check("pay.wing.corn.kh.", Some("wing.com.kh"));
    }

    #[test]
    fn real_domains_and_other_names_are_not() {
        check("aba.com.kh", None);
        check("ABA.com.kh.", None);
        check("www.aba.com.kh", None);
        check("online.acledabank.com.kh", None);
        check("example.com", None);
        check("abaa.com.kh", None);
        check("aba.com.kh.example.com", None);
        check("", None);
        check(".", None);
        check("xn--", None);
        check("xn--zz-invalid..", None);
        assert_eq!(looks_like("\u{430}ba.com.kh", &[]), None);
    }

    #[test]
    fn a_protected_entry_in_punycode_is_compared_as_unicode() {
        let p = vec!["xn--80ak6aa92e.com".to_string()];
        let unicode = normalise(&p[0]);
        assert_ne!(unicode, p[0]);
        assert_eq!(looks_like(&unicode, &p), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_never_flags_the_real_domain(host in "\\PC{0,40}", sub in "[a-z0-9]{0,8}") {
            let p = protected();
            let _ = looks_like(&host, &p);
            for d in &p {
                proptest::prop_assert_eq!(looks_like(d, &p), None);
                proptest::prop_assert_eq!(looks_like(&format!("{sub}.{d}"), &p), None);
            }
        }
    }
}
