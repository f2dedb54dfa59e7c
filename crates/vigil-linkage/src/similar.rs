//! String similarity on names and codes: Jaro–Winkler (with a cheap bound that skips
//! pairs that cannot reach a threshold) and "at most one edit".

/// Whether two strings are at most one edit apart (an insertion, a deletion, a
/// substitution or two adjacent characters swapped: Damerau–Levenshtein ≤ 1).
pub fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let i = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if i == short.len() {
        return true;
    }
    if short.len() < long.len() {
        return short[i..] == long[i + 1..];
    }
    short[i + 1..] == long[i + 1..]
        || (i + 1 < short.len()
            && short[i] == long[i + 1]
            && short[i + 1] == long[i]
            && short[i + 2..] == long[i + 2..])
}

/// Jaro–Winkler similarity (prefix scale 0.1, up to four letters, boost above 0.7).
/// Short ASCII strings are compared on the stack; anything else goes to `strsim`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    if x.is_empty() || y.is_empty() {
        return if x.len() == y.len() { 1.0 } else { 0.0 };
    }
    let range = (x.len().max(y.len()) / 2).saturating_sub(1);
    // Matched positions as bits (both strings are at most 64 bytes here).
    let (mut xm, mut ym) = (0u64, 0u64);
    let mut m = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let hi = (i + range + 1).min(y.len());
        for (j, &d) in y.iter().enumerate().take(hi).skip(i.saturating_sub(range)) {
            if ym & (1 << j) == 0 && d == c {
                xm |= 1 << i;
                ym |= 1 << j;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut rest = ym;
    for (i, &c) in x.iter().enumerate() {
        if xm & (1 << i) != 0 {
            let k = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if y[k] != c {
                t += 1;
            }
        }
    }
    let m = m as f64;
    let jaro = (m / x.len() as f64 + m / y.len() as f64 + (m - (t / 2) as f64) / m) / 3.0;
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// Jaro–Winkler, or 0 when a cheap upper bound (letters of one found in the other,
/// the common prefix) shows it is below `min`.
pub fn jaro_winkler_min(a: &str, b: &str, min: f64) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if a.is_ascii() && b.is_ascii() && !x.is_empty() && !y.is_empty() {
        let mask = |s: &[u8]| s.iter().fold(0u64, |m, &c| m | 1 << (c & 63));
        let (mx, my) = (mask(x), mask(y));
        let common_x = x.iter().filter(|&&c| my & 1 << (c & 63) != 0).count();
        let common_y = y.iter().filter(|&&c| mx & 1 << (c & 63) != 0).count();
        let m = common_x.min(common_y) as f64;
        let jaro = (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0;
        let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count() as f64;
        if jaro + 0.1 * prefix * (1.0 - jaro) < min {
            return 0.0;
        }
    }
    jaro_winkler(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_agrees_with_strsim() {
        for (a, b) in [
            ("martha", "marhta"),
            ("dwayne", "duane"),
            ("dixon", "dicksonx"),
            ("sokha", "sokhar"),
            ("abc", "xyz"),
            ("a", "a"),
            ("", "x"),
            ("michaela", "michael"),
        ] {
            let d = (jaro_winkler(a, b) - strsim::jaro_winkler(a, b)).abs();
            assert!(
                d < 1e-9,
                "{a} / {b}: {} vs {}",
                jaro_winkler(a, b),
                strsim::jaro_winkler(a, b)
            );
        }
    }

    #[test]
    fn one_edit_is_damerau_levenshtein_one() {
        let words = [
            "4066625", "4066652", "406625", "40666255", "4066635", "0466625", "5066626", "",
        ];
        for a in words {
            for b in words {
                let expected = strsim::damerau_levenshtein(a, b) <= 1;
                assert_eq!(one_edit(a.as_bytes(), b.as_bytes()), expected, "{a} / {b}");
            }
        }
    }

    #[test]
    fn bounded_jaro_winkler_only_drops_low_values() {
        let words = [
            "michaela", "michael", "tanya", "sokha", "sophea", "chan", "zhang", "ouk", "ok",
        ];
        for a in words {
            for b in words {
                let full = jaro_winkler(a, b);
                let bounded = jaro_winkler_min(a, b, 0.8);
                assert!(
                    bounded == full || (bounded == 0.0 && full < 0.8),
                    "{a} / {b}"
                );
            }
        }
    }
}
