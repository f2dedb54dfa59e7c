//! A normalised view of the text for the scanner: digits of every script become
//! ASCII, full-width punctuation becomes ASCII, defanging (`hxxp`, `[.]`, `(at)`…)
//! is undone. Offsets in the view map back to the original text.

use std::borrow::Cow;

use vigil_domain::digits::digit_value;

/// One replaced stretch: `norm[ns..ne]` stands for `orig[os..oe]`.
#[derive(Debug, Clone, Copy)]
struct Seg {
    ns: usize,
    ne: usize,
    os: usize,
    oe: usize,
}

/// The normalised text with its map back to the original.
#[derive(Debug)]
pub(crate) struct Norm<'a> {
    pub text: Cow<'a, str>,
    segs: Vec<Seg>,
}

const DEFANGS: &[(&str, &str)] = &[
    ("[.]", "."),
    ("(.)", "."),
    ("{.}", "."),
    ("[dot]", "."),
    ("(dot)", "."),
    ("{dot}", "."),
    ("[@]", "@"),
    ("(@)", "@"),
    ("{@}", "@"),
    ("[at]", "@"),
    ("(at)", "@"),
    ("{at}", "@"),
    ("[:]", ":"),
    ("[://]", "://"),
    ("[/]", "/"),
];

impl<'a> Norm<'a> {
    pub fn new(orig: &'a str) -> Norm<'a> {
        let b = orig.as_bytes();
        let mut out: Option<String> = None;
        let mut segs = Vec::new();
        let mut copied = 0; // orig bytes already handled
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if !INTEREST[usize::from(c)] {
                i += 1;
                continue;
            }
            let at = i;
            let rep: Option<(usize, Cow<'static, str>)> = if c < 0x80 {
                match c {
                    b'[' | b'(' | b'{' => {
                        // " [at] ": the word forms swallow the space before them, unless
                        // that space already belongs to the previous rewrite.
                        let spaced = if i > copied && b[i - 1] == b' ' {
                            defang_at(b, i - 1)
                        } else {
                            None
                        };
                        match spaced {
                            Some(r) => {
                                i -= 1;
                                Some(r)
                            }
                            None => defang_at(b, i),
                        }
                    }
                    b'h' | b'H' => hxxp_at(b, i),
                    _ => None,
                }
            } else if !maybe_special(b, i) {
                i += utf8_len(c);
                continue;
            } else {
                let ch = orig[i..].chars().next().unwrap_or(' ');
                let len = ch.len_utf8();
                let r: Option<&'static str> = if let Some(d) = digit_value(ch) {
                    Some(ASCII_DIGITS[usize::from(d)])
                } else {
                    match ch {
                        '\u{FF0B}' => Some("+"),
                        '\u{FF08}' => Some("("),
                        '\u{FF09}' => Some(")"),
                        '\u{FF1A}' => Some(":"),
                        '\u{FF20}' => Some("@"),
                        '\u{FF0E}' => Some("."),
                        '\u{FF0F}' => Some("/"),
                        '\u{FF0D}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}'
                        | '\u{2014}' | '\u{2212}' => Some("-"),
                        '\u{00A0}' | '\u{3000}' | '\u{200B}' | '\u{2009}' | '\u{202F}'
                        | '\u{FEFF}' => Some(" "),
                        '\u{2032}' | '\u{2019}' => Some("'"),
                        '\u{2033}' | '\u{201D}' => Some("\""),
                        _ => None,
                    }
                };
                match r {
                    Some(r) => Some((len, Cow::Borrowed(r))),
                    None => {
                        i += len;
                        continue;
                    }
                }
            };
            match rep {
                Some((len, r)) => {
                    let o = out.get_or_insert_with(|| String::with_capacity(orig.len()));
                    o.push_str(&orig[copied..i]);
                    let ns = o.len();
                    o.push_str(&r);
                    segs.push(Seg {
                        ns,
                        ne: o.len(),
                        os: i,
                        oe: i + len,
                    });
                    i += len;
                    copied = i;
                }
                None => i = at + 1,
            }
        }
        let text = match out {
            Some(mut o) => {
                o.push_str(&orig[copied..]);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(orig),
        };
        Norm { text, segs }
    }

    fn seg_before(&self, p: usize) -> Option<&Seg> {
        // Last segment with ns <= p.
        let idx = self.segs.partition_point(|s| s.ns <= p);
        idx.checked_sub(1).and_then(|i| self.segs.get(i))
    }

    /// The original offset of a span start at `p` in the view.
    pub fn start(&self, p: usize) -> usize {
        match self.seg_before(p) {
            None => p,
            Some(s) if p < s.ne => s.os,
            Some(s) => s.oe + (p - s.ne),
        }
    }

    /// The original offset of a span end at `p` in the view.
    pub fn end(&self, p: usize) -> usize {
        if p == 0 {
            return 0;
        }
        match self.seg_before(p - 1) {
            None => p,
            Some(s) if p <= s.ne => s.oe,
            Some(s) => s.oe + (p - s.ne),
        }
    }
}

/// Bytes at which a rewrite may start (or, for a bracket, the space before it):
/// brackets, `h`/`H` (hxxp), and the lead bytes of the non-ASCII characters that
/// [`maybe_special`] may accept. Every other byte, continuation bytes included, is
/// skipped one at a time.
const INTEREST: [bool; 256] = {
    let mut t = [false; 256];
    t[b'[' as usize] = true;
    t[b'(' as usize] = true;
    t[b'{' as usize] = true;
    t[b'h' as usize] = true;
    t[b'H' as usize] = true;
    t[0xC2] = true;
    t[0xE0] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t[0xEF] = true;
    t
};

fn utf8_len(c: u8) -> usize {
    match c {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whether the non-ASCII character at `i` may be one that is rewritten: a cheap
/// look at its first bytes (Khmer letters and CJK ideographs are skipped at once).
fn maybe_special(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xC2 => b.get(i + 1) == Some(&0xA0),
        // Thai digits U+0E50–0E59 (E0 B9 90–99), Lao U+0ED0–0ED9 (E0 BB 90–99).
        0xE0 => {
            matches!(b.get(i + 1), Some(0xB9 | 0xBB))
                && b.get(i + 2).is_some_and(|x| (0x90..=0x99).contains(x))
        }
        // Khmer digits U+17E0–17E9 (E1 9F A0–A9), Myanmar digits U+1040–1049 (E1 81 80–89).
        0xE1 => match b.get(i + 1) {
            Some(0x9F) => b.get(i + 2).is_some_and(|x| (0xA0..=0xA9).contains(x)),
            Some(0x81) => b.get(i + 2).is_some_and(|x| (0x80..=0x89).contains(x)),
            _ => false,
        },
        0xE2 => true,
        0xE3 => b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80),
        0xEF => matches!(b.get(i + 1), Some(0xBC | 0xBB)),
        _ => false,
    }
}

const ASCII_DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

fn starts_with_ci(b: &[u8], i: usize, pat: &str) -> bool {
    b.len() >= i + pat.len() && b[i..i + pat.len()].eq_ignore_ascii_case(pat.as_bytes())
}

/// A defanged separator at `i` (with surrounding single spaces for the word forms).
fn defang_at(b: &[u8], i: usize) -> Option<(usize, Cow<'static, str>)> {
    let (lead, j) = if b[i] == b' ' { (1, i + 1) } else { (0, i) };
    if j >= b.len() || !matches!(b[j], b'[' | b'(' | b'{') {
        return None;
    }
    for (pat, rep) in DEFANGS {
        if starts_with_ci(b, j, pat) {
            let wordy = pat.len() > 3 && pat.as_bytes()[1].is_ascii_alphabetic();
            let mut len = pat.len();
            if lead == 1 {
                // " [at] " — only the word forms swallow spaces, and only on both sides.
                if !(wordy && b.get(j + len) == Some(&b' ')) {
                    return None;
                }
                len += 2;
            } else if wordy {
                // "x(at)y": the word forms need letters or digits on both sides.
                let before = i.checked_sub(1).and_then(|k| b.get(k));
                let after = b.get(j + len);
                if !(before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && after.is_some_and(|c| c.is_ascii_alphanumeric()))
                {
                    return None;
                }
            }
            return Some((len, Cow::Borrowed(rep)));
        }
    }
    None
}

/// `hxxp`, `hxxps`, `hXXp`, `h**p` at a word start.
fn hxxp_at(b: &[u8], i: usize) -> Option<(usize, Cow<'static, str>)> {
    if i > 0 && b[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    if b.len() < i + 4 {
        return None;
    }
    let w = &b[i..i + 4];
    let mid_ok = (w[1] == b'x' || w[1] == b'X' || w[1] == b'*')
        && (w[2] == b'x' || w[2] == b'X' || w[2] == b'*')
        && (w[3] == b'p' || w[3] == b'P');
    if !mid_ok {
        return None;
    }
    // Followed by ":", "s:", "[:]" or "s[:]".
    let rest = &b[i + 4..];
    let ok = rest.first() == Some(&b':')
        || rest.first() == Some(&b'[')
        || (matches!(rest.first(), Some(b's' | b'S')) && matches!(rest.get(1), Some(b':' | b'[')));
    if ok {
        Some((4, Cow::Borrowed("http")))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_spans_back() {
        let t = "call ០១២ ៣៤៥ at hxxps://x[.]com now";
        let n = Norm::new(t);
        assert_eq!(n.text, "call 012 345 at https://x.com now");
        let s = n.text.find("012").unwrap_or(0);
        assert_eq!(&t[n.start(s)..n.end(s + 7)], "០១២ ៣៤៥");
        let u = n.text.find("https").unwrap_or(0);
        assert_eq!(&t[n.start(u)..n.end(u + 13)], "hxxps://x[.]com");
    }

    #[test]
    fn word_defangs() {
        assert_eq!(Norm::new("bob [at] mail [dot] com").text, "bob@mail.com");
        assert_eq!(Norm::new("bob(at)mail(dot)com").text, "bob@mail.com");
        assert_eq!(Norm::new("meet (at) noon").text, "meet@noon");
        assert_eq!(Norm::new("x (.) y").text, "x . y");
    }
}
