//! The single-pass scanner over the normalised text.

use crate::ctx::Ctx;
use crate::norm::Norm;
use crate::types::{Detail, Found, Kind, Options};
use crate::{coords, iban, labels, numbers, wallet, web};

fn utf8_len(c: u8) -> usize {
    match c {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Bytes that glue a word to the one before it into one token (`a.b`, `x@y`, `p/q`).
const TOKENISH: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'.' | b'_' | b'-' | b'@' | b'/' | b'%' | b'+' | b'=' | b'&' | b'#' | b'~'
            );
        c += 1;
    }
    t
};

#[inline]
fn is_tokenish(c: u8) -> bool {
    TOKENISH[usize::from(c)]
}

pub(crate) fn scan(text: &str, opts: &Options) -> Vec<Found> {
    let norm = Norm::new(text);
    let s: &str = &norm.text;
    let mut cx = Ctx::new(s, opts);
    let b = cx.b;
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        if c >= 0x80 {
            if c >= 0xE0
                && labels::may_start(&b[i..])
                && let Some(e) = labels::other(&mut cx, i)
            {
                i = e;
                continue;
            }
            i += utf8_len(c);
            continue;
        }
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        if c.is_ascii_alphanumeric() {
            // The end of the word at `i`, once known (the web test finds it).
            let mut word_end = None;
            if !is_tokenish(prev) {
                let (may_be_web, we) = token_may_be_web(b, i);
                word_end = Some(we);
                if may_be_web && let Some(e) = web::at_token(&mut cx, i) {
                    i = e;
                    continue;
                }
            }
            let glued_number = matches!(prev, b'.' | b'-' | b'/' | b',' | b':')
                && i >= 2
                && b[i - 2].is_ascii_digit()
                && !(matches!(prev, b'/' | b'-')
                    && b[i..].iter().take_while(|c| c.is_ascii_digit()).count() >= 7);
            if c.is_ascii_digit() && prev != b'_' && !glued_number {
                let e = numbers::scan(&mut cx, i);
                if e > i {
                    i = e;
                    continue;
                }
            }
            let we = match word_end {
                Some(we) => we,
                None => {
                    let mut we = i;
                    while we < n && b[we].is_ascii_alphanumeric() {
                        we += 1;
                    }
                    we
                }
            };
            let e = word(&mut cx, i, we, prev);
            i = e.max(we);
            continue;
        }
        match c {
            b'+' | b'('
                if !prev.is_ascii_alphanumeric()
                    && b.get(i + 1)
                        .is_some_and(|x| x.is_ascii_digit() || *x == b'+') =>
            {
                let e = numbers::scan(&mut cx, i);
                if e > i {
                    i = e;
                    continue;
                }
            }
            b'@' if !is_tokenish(prev) => {
                if let Some(e) = handle(&mut cx, i) {
                    i = e;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    cx.into_hits()
        .into_iter()
        .map(|h| Found {
            kind: h.kind,
            value: h.value,
            start: norm.start(h.start),
            end: norm.end(h.end),
            detail: h.detail,
        })
        .collect()
}

/// Whether the token at `i` contains `.`, `@` or `:` (without which it is no
/// e-mail address or link), and where the ASCII word at `i` ends.
fn token_may_be_web(b: &[u8], i: usize) -> (bool, usize) {
    let mut j = i;
    // Most tokens are one plain word: settle those without the general loop.
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    let we = j;
    match b.get(j) {
        Some(&c) if is_tokenish(c) || c == b':' => {}
        _ => return (false, we),
    }
    while j < b.len() && (is_tokenish(b[j]) || b[j] == b':') {
        if matches!(b[j], b'.' | b'@' | b':') {
            return (b.get(j + 1).is_some_and(|c| !c.is_ascii_whitespace()), we);
        }
        j += 1;
    }
    (false, we)
}

/// `@name` (not inside an e-mail address): a Telegram username.
fn handle(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let b = cx.b;
    let ns = i + 1;
    let mut ne = ns;
    while ne < b.len() && (b[ne].is_ascii_alphanumeric() || b[ne] == b'_') {
        ne += 1;
    }
    // `@gmail.com`, `@name.` followed by a letter: not a handle.
    if b.get(ne) == Some(&b'.') && b.get(ne + 1).is_some_and(u8::is_ascii_alphanumeric) {
        return Some(ne);
    }
    let name = &cx.s[ns..ne];
    if web::telegram_name(name) {
        cx.push(Kind::Telegram, name.to_ascii_lowercase(), i, ne, None);
    }
    Some(ne)
}

/// An ASCII word `ws..we`: wallet, IBAN, plus code or label.
fn word(cx: &mut Ctx<'_>, ws: usize, we: usize, prev: u8) -> usize {
    let b = cx.b;
    let len = we - ws;
    let w = &cx.s[ws..we];
    let glued_after = b.get(we).is_some_and(|c| *c == b'_');
    if len >= 26
        && !glued_after
        && !prev.is_ascii_alphanumeric()
        && let Some((chain, value)) = wallet::check(w)
    {
        cx.push(
            Kind::CryptoWallet,
            value,
            ws,
            we,
            Some(Detail::Wallet { chain }),
        );
        return we;
    }
    // Plus code: 8 code characters, '+', 2–7 more.
    if len == 8 && b.get(we) == Some(&b'+') {
        let mut e = we + 1;
        while e < b.len() && b[e].is_ascii_alphanumeric() && e - we <= 8 {
            e += 1;
        }
        if let Some((lat, lon)) = coords::plus_code(&b[ws..e])
            && let Some(v) = coords::format(lat, lon)
        {
            cx.push(Kind::Coordinates, v, ws, e, None);
            return e;
        }
    }
    if len >= 4
        && b[ws].is_ascii_uppercase()
        && b[ws + 1].is_ascii_uppercase()
        && b[ws + 2].is_ascii_digit()
        && b[ws + 3].is_ascii_digit()
        && let Some(e) = iban_at(cx, ws, we)
    {
        return e;
    }
    if len <= 9
        && b[ws].is_ascii_alphabetic()
        && let Some(e) = labels::ascii(cx, ws, we)
    {
        return e;
    }
    we
}

fn iban_at(cx: &mut Ctx<'_>, ws: usize, we: usize) -> Option<usize> {
    let b = cx.b;
    let want = iban::length(&b[ws..ws + 2])?;
    let mut buf: Vec<u8> = b[ws..we].to_vec();
    let mut e = we;
    while buf.len() < want && b.get(e) == Some(&b' ') {
        let gs = e + 1;
        let mut ge = gs;
        while ge < b.len() && (b[ge].is_ascii_digit() || b[ge].is_ascii_uppercase()) {
            ge += 1;
        }
        if ge == gs || ge - gs > 4 || b.get(ge).is_some_and(u8::is_ascii_lowercase) {
            break;
        }
        buf.extend_from_slice(&b[gs..ge]);
        e = ge;
    }
    if buf.len() == want && iban::valid(&buf) {
        let v = String::from_utf8(buf).ok()?;
        cx.push(Kind::Iban, v, ws, e, None);
        return Some(e);
    }
    None
}
