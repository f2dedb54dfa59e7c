//! Runs of digits: phone numbers, bank cards, and the look-alikes that must yield
//! nothing (dates, amounts, ranges, invoice and order numbers).

use crate::ctx::Ctx;
use crate::phone::{self, Valid};
use crate::types::{Detail, Kind};

const MAX_GROUPS: usize = 12;

/// Digit groups of one run, e.g. `+855 (0)12 345-678`.
pub(crate) struct Run {
    pub plus: bool,
    pub groups: [(usize, usize); MAX_GROUPS],
    pub n: usize,
    /// Group index written as `(0)` after a country code, skipped when reading.
    pub paren_zero: Option<usize>,
    pub end: usize,
    /// Whether every gap is a single space or dash (cards are written so).
    pub simple_gaps: bool,
    pub total: usize,
}

fn digits_end(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

/// Reads digit groups from `i` (a digit, `+` or `(`).
pub(crate) fn read_run(b: &[u8], i: usize) -> Option<Run> {
    let mut j = i;
    if b.get(j) == Some(&b'(') {
        j += 1;
    }
    let plus = b.get(j) == Some(&b'+');
    if plus {
        j += 1;
    }
    let mut run = Run {
        plus,
        groups: [(0, 0); MAX_GROUPS],
        n: 0,
        paren_zero: None,
        end: i,
        simple_gaps: true,
        total: 0,
    };
    loop {
        let e = digits_end(b, j);
        if e == j {
            break;
        }
        if run.n == MAX_GROUPS {
            break;
        }
        run.groups[run.n] = (j, e);
        run.n += 1;
        run.total += e - j;
        run.end = e;
        if run.total > 40 {
            break;
        }
        // The gap to the next group.
        let mut k = e;
        let mut dots = 0;
        let mut spaces = 0;
        while k < b.len() && k - e < 3 && matches!(b[k], b' ' | b'-' | b'.' | b'(' | b')') {
            if b[k] == b'.' {
                dots += 1;
            }
            if b[k] == b' ' {
                spaces += 1;
            }
            k += 1;
        }
        let gap = &b[e..k];
        if gap.is_empty() || k >= b.len() || !b[k].is_ascii_digit() {
            break;
        }
        if gap.contains(&b' ') && starts_coordinate(b, k) {
            break;
        }
        if dots > 1 || (dots == 1 && spaces > 0) {
            break;
        }
        if !(gap == b" " || gap == b"-") {
            run.simple_gaps = false;
        }
        if gap.ends_with(b"(") && b.get(k) == Some(&b'0') && b.get(k + 1) == Some(&b')') {
            run.paren_zero = Some(run.n);
        }
        j = k;
    }
    if run.n == 0 { None } else { Some(run) }
}

/// `11°…` or `11.5564…` at `k`: a coordinate starts here, not a phone group.
fn starts_coordinate(b: &[u8], k: usize) -> bool {
    let e = digits_end(b, k);
    if e - k > 3 {
        return false;
    }
    if b[e..].starts_with("°".as_bytes()) {
        return true;
    }
    b.get(e) == Some(&b'.') && digits_end(b, e + 1) - (e + 1) >= 4
}

impl Run {
    fn glen(&self, g: usize) -> usize {
        self.groups[g].1 - self.groups[g].0
    }

    /// A card written in groups from group `a` (4-4-4-4[-1..4] or 4-6-5), or one
    /// group of 13–19 digits when a payment word is near. Returns the end group.
    fn card_at(&self, b: &[u8], a: usize, paid: bool) -> Option<(usize, String)> {
        let mut tries: Vec<usize> = Vec::with_capacity(3);
        if self.simple_gaps && a + 4 <= self.n && (a..a + 4).all(|g| self.glen(g) == 4) {
            if a + 5 <= self.n && (1..=3).contains(&self.glen(a + 4)) {
                tries.push(a + 5);
            }
            tries.push(a + 4);
        }
        if self.simple_gaps
            && a + 3 <= self.n
            && [4, 6, 5] == [a, a + 1, a + 2].map(|g| self.glen(g))
        {
            tries.push(a + 3);
        }
        if paid && (13..=19).contains(&self.glen(a)) {
            tries.push(a + 1);
        }
        tries.into_iter().find_map(|z| {
            let d = self.digits(b, a, z);
            luhn(&d).then_some((z, d))
        })
    }

    fn digits(&self, b: &[u8], a: usize, z: usize) -> String {
        let mut d = String::with_capacity(20);
        for g in a..z {
            if self.paren_zero == Some(g) {
                continue;
            }
            let (s, e) = self.groups[g];
            for &c in &b[s..e] {
                d.push(char::from(c));
            }
        }
        d
    }

    fn len(&self, a: usize, z: usize) -> usize {
        (a..z).map(|g| self.groups[g].1 - self.groups[g].0).sum()
    }

    /// Reads groups `a..z` as one phone number.
    fn phone(&self, b: &[u8], a: usize, z: usize, region: &str) -> Option<Valid> {
        let len = self.len(a, z);
        if !(5..=17).contains(&len) {
            return None;
        }
        let d = self.digits(b, a, z);
        if a == 0 && self.plus {
            return phone::international(&d);
        }
        if let Some(rest) = d.strip_prefix("00") {
            return phone::international(rest);
        }
        if let Some(v) = phone::national(&d, region) {
            return Some(v);
        }
        let first = &b[self.groups[a].0..self.groups[a].1];
        // A country code written without `+`, e.g. `855-12-345678`, `86 138…`.
        if !first.starts_with(b"0") && (first.len() <= 3 && z - a > 1 || d.starts_with("855")) {
            let cc_len = if z - a > 1 && first.len() <= 3 {
                first.len()
            } else {
                3
            };
            if let Ok(code) = d[..cc_len].parse::<u16>()
                && COMMON_CODES.contains(&code)
                && let Some(v) = phone::international(&d)
            {
                return Some(v);
            }
        }
        // Chinese mobiles are written without +86 in tips about compound bosses.
        if region != "CN"
            && d.len() == 11
            && d.starts_with('1')
            && matches!(d.as_bytes()[1], b'3'..=b'9')
        {
            return phone::national(&d, "CN");
        }
        None
    }
}

/// Country codes accepted without a `+` (the region's neighbours and labour routes).
const COMMON_CODES: &[u16] = &[
    855, 86, 84, 66, 95, 856, 60, 62, 63, 82, 81, 65, 886, 852, 853,
];

/// Scans a number at `i`. Returns the end of what was consumed (`i` when nothing).
pub(crate) fn scan(cx: &mut Ctx<'_>, i: usize) -> usize {
    let b = cx.b;
    if let Some(e) = crate::coords::decimal(cx, i) {
        return e;
    }
    if let Some(e) = crate::coords::dms(cx, i) {
        return e;
    }
    if let Some(e) = date(b, i) {
        return e;
    }
    let Some(mut run) = read_run(b, i) else {
        return i;
    };
    // Glued to letters on the right (`123abc`, `0x…`): that group is a word, not a number.
    if b.get(run.end)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        if run.n == 1 {
            return i;
        }
        run.n -= 1;
        run.end = run.groups[run.n - 1].1;
        run.total -= run.glen(run.n);
    }
    let end = run.end;
    if is_money(b, i, end) {
        return end;
    }
    let ctx = prev_word(b, i);
    // A bare long number is a card only next to a payment word (looked for lazily).
    let long_group = (0..run.n).any(|g| (13..=19).contains(&run.glen(g)));
    let paid = long_group && (ctx == Context::Payment || payment_near(b, i, end));
    let region = cx.opts.default_region;
    // A reference number (invoice, order, IMEI…) takes the first group.
    let mut a = usize::from(ctx == Context::Reference);
    while a < run.n {
        if (!run.plus || a > 0)
            && let Some((z, d)) = run.card_at(b, a, paid && a == 0)
        {
            let s = if a == 0 { i } else { run.groups[a].0 };
            cx.push(Kind::BankCard, d, s, run.groups[z - 1].1, None);
            a = z;
            continue;
        }
        let mut hit = None;
        for z in (a + 1..=run.n).rev() {
            if let Some(v) = run.phone(b, a, z, region) {
                hit = Some((z, v));
                break;
            }
        }
        match hit {
            Some((z, v)) => {
                let s = if a == 0 { i } else { run.groups[a].0 };
                let e = run.groups[z - 1].1;
                let s = trim_open(b, s, e);
                push_phone(cx, Kind::Phone, s, e, v);
                a = z;
            }
            None => a += 1,
        }
    }
    end
}

/// A `(` that opens a number only belongs to the span if it is closed inside it.
fn trim_open(b: &[u8], s: usize, e: usize) -> usize {
    if b[s] == b'(' && !b[s..e].contains(&b')') {
        s + 1
    } else {
        s
    }
}

pub(crate) fn push_phone(cx: &mut Ctx<'_>, kind: Kind, s: usize, e: usize, v: Valid) {
    cx.push(
        kind,
        v.e164,
        s,
        e,
        Some(Detail::Phone {
            region: v.region,
            number_type: v.number_type,
        }),
    );
}

/// A phone number at `i` (after a label like `WhatsApp:`), read in `region`.
pub(crate) fn phone_at(b: &[u8], i: usize, region: &str) -> Option<(usize, usize, Valid)> {
    let run = read_run(b, i)?;
    for z in (1..=run.n).rev() {
        if let Some(v) = run.phone(b, 0, z, region) {
            return Some((trim_open(b, i, run.groups[z - 1].1), run.groups[z - 1].1, v));
        }
    }
    None
}

/// Dates like `12/05/2025`, `2024-03-15`, `15.03.2024`, `05/2025`: consumed, no result.
fn date(b: &[u8], i: usize) -> Option<usize> {
    let e1 = digits_end(b, i);
    let l1 = e1 - i;
    let sep = *b.get(e1)?;
    if !matches!(sep, b'/' | b'-' | b'.') || l1 == 0 || l1 > 4 {
        return None;
    }
    let s2 = e1 + 1;
    let e2 = digits_end(b, s2);
    let l2 = e2 - s2;
    if l2 == 0 || l2 > 4 {
        return None;
    }
    let num = |s: usize, e: usize| -> u32 {
        b[s..e]
            .iter()
            .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
    };
    let third = if b.get(e2) == Some(&sep) {
        let s3 = e2 + 1;
        let e3 = digits_end(b, s3);
        (e3 > s3).then_some((s3, e3))
    } else {
        None
    };
    let ok_dm = |x: u32, y: u32| {
        (1..=31).contains(&x) && (1..=12).contains(&y)
            || (1..=12).contains(&x) && (1..=31).contains(&y)
    };
    match third {
        Some((s3, e3)) => {
            let l3 = e3 - s3;
            let fits = if l1 == 4 {
                l2 <= 2 && l3 <= 2 && ok_dm(num(s2, e2), num(s3, e3))
            } else {
                l1 <= 2 && l2 <= 2 && (l3 == 2 || l3 == 4) && ok_dm(num(i, e1), num(s2, e2))
            };
            (fits && !b.get(e3).is_some_and(u8::is_ascii_digit)).then_some(e3)
        }
        None if sep == b'/' => {
            let fits = (l1 <= 2 && (l2 == 4 || l2 <= 2)) || (l1 == 4 && l2 <= 2);
            fits.then_some(e2)
        }
        None => None,
    }
}

/// What the word just before a number says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    None,
    /// Card, Visa, ABA…: a long number here is a card.
    Payment,
    /// Invoice, order, room, ref…: the number is a reference, not a phone.
    Reference,
}

const PAYMENT: &[&str] = &[
    "card",
    "visa",
    "mastercard",
    "master",
    "unionpay",
    "aba",
    "acleda",
    "wing",
    "jcb",
    "amex",
    "debit",
    "credit",
    "atm",
    "卡",
    "卡号",
    "银行卡",
    "កាត",
    "บัตร",
    "thẻ",
];
const REFERENCE: &[&str] = &[
    "invoice",
    "order",
    "room",
    "ref",
    "reference",
    "receipt",
    "tracking",
    "imei",
    "serial",
    "passport",
    "case",
    "ticket",
    "booking",
    "transaction",
    "txn",
    "订单",
    "订单号",
    "单号",
    "发票",
    "房间",
    "房",
    "护照",
];

fn classify(word: &str) -> Context {
    if word.is_ascii() {
        // The ASCII words of both lists are lowercase: no need to build a lowercase copy.
        return if PAYMENT.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            Context::Payment
        } else if REFERENCE.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            Context::Reference
        } else {
            Context::None
        };
    }
    let lw = word.to_lowercase();
    if PAYMENT.contains(&lw.as_str()) {
        Context::Payment
    } else if REFERENCE.contains(&lw.as_str()) {
        Context::Reference
    } else {
        Context::None
    }
}

/// Classifies the word before `i`, skipping separators and `No.`, `number`, `#`, `:`, `号`.
fn prev_word(b: &[u8], i: usize) -> Context {
    let mut j = i;
    for _ in 0..3 {
        while j > 0 && matches!(b[j - 1], b' ' | b':' | b'#' | b'.' | b'-' | b'=') {
            j -= 1;
        }
        let mut k = j;
        if k > 0 && b[k - 1] >= 0x80 {
            // A run of non-ASCII letters (Chinese, Khmer, Thai…): compare its tail.
            while k > 0 && b[k - 1] >= 0x80 {
                k -= 1;
            }
            let s = std::str::from_utf8(&b[k..j]).unwrap_or("");
            for w in PAYMENT.iter().chain(REFERENCE) {
                if !w.is_ascii() && s.ends_with(w) {
                    return classify(w);
                }
            }
            if s.ends_with('号') {
                j -= '号'.len_utf8();
                continue;
            }
            return Context::None;
        }
        while k > 0 && b[k - 1].is_ascii_alphabetic() {
            k -= 1;
        }
        if k == j {
            return Context::None;
        }
        let w = std::str::from_utf8(&b[k..j]).unwrap_or("");
        if ["no", "number", "num", "nr", "id", "code"].contains(&w.to_ascii_lowercase().as_str()) {
            j = k;
            continue;
        }
        return classify(w);
    }
    Context::None
}

fn payment_near(b: &[u8], s: usize, e: usize) -> bool {
    let lo = s.saturating_sub(24);
    let hi = (e + 12).min(b.len());
    let win = &b[lo..hi];
    const WORDS: [&[u8]; 7] = [
        b"card",
        b"visa",
        b"mastercard",
        b"unionpay",
        "卡".as_bytes(),
        "កាត".as_bytes(),
        "บัตร".as_bytes(),
    ];
    WORDS
        .iter()
        .any(|w| win.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w)))
}

/// `$ 1500000`, `1500000 VND`, `៛40000`…
fn is_money(b: &[u8], s: usize, e: usize) -> bool {
    let before = &b[s.saturating_sub(4)..s];
    let mut k = e;
    while k < b.len() && b[k] == b' ' {
        k += 1;
    }
    let after = &b[k..(k + 6).min(b.len())];
    if before.is_ascii() && after.is_ascii() {
        // The same test without decoding or allocating (ASCII text only: a
        // non-ASCII letter may lowercase to an ASCII one).
        // `str::trim_end` on ASCII: tab, line feed, vertical tab, form feed, return, space.
        let mut n = before.len();
        while n > 0 && matches!(before[n - 1], b'\t'..=b'\r' | b' ') {
            n -= 1;
        }
        let before = &before[..n];
        return [&b"$"[..], b"USD", b"KHR", b"RMB"]
            .iter()
            .any(|c| before.ends_with(c))
            || [
                &b"usd"[..],
                b"$",
                b"khr",
                b"riel",
                b"vnd",
                b"baht",
                b"thb",
                b"rmb",
                b"yuan",
                b"dollar",
            ]
            .iter()
            .any(|w| after.len() >= w.len() && after[..w.len()].eq_ignore_ascii_case(w));
    }
    let before = String::from_utf8_lossy(before);
    let before = before.trim_end();
    if ["$", "€", "£", "¥", "฿", "៛", "₫", "USD", "KHR", "RMB"]
        .iter()
        .any(|c| before.ends_with(c))
    {
        return true;
    }
    let after = String::from_utf8_lossy(after).to_lowercase();
    [
        "usd", "$", "khr", "riel", "vnd", "đ", "baht", "thb", "rmb", "yuan", "元", "៛", "₫",
        "dollar",
    ]
    .iter()
    .any(|w| after.starts_with(w))
}

/// The Luhn checksum.
pub(crate) fn luhn(d: &str) -> bool {
    let mut sum = 0u32;
    for (k, c) in d.bytes().rev().enumerate() {
        let mut v = u32::from(c - b'0');
        if k % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}
