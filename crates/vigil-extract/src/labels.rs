//! Labelled ids: `WeChat: abc123`, `微信：abc`, `vx abc`, `Line ID xyz`,
//! `WhatsApp +855…`, `Telegram: name`, `IG: @name`…

use crate::ctx::Ctx;
use crate::numbers;
use crate::types::Kind;
use crate::web::telegram_name;

/// ASCII labels: (lowercase word, kind, strong). A weak label needs `:`, `=` or
/// `ID` after it; a strong one may be followed by the id after a space, but then
/// the id must not be a common word and must contain a digit or `_` (so
/// `WeChat group` or `Telegram guards` is not an id: in prose a bare word after a
/// messenger's name is far more often a word than a handle).
const ASCII: &[(&str, Kind, bool)] = &[
    ("telegram", Kind::Telegram, true),
    ("tg", Kind::Telegram, false),
    ("tele", Kind::Telegram, false),
    ("whatsapp", Kind::Whatsapp, true),
    ("whatapp", Kind::Whatsapp, true),
    ("watsapp", Kind::Whatsapp, true),
    ("wa", Kind::Whatsapp, false),
    ("wechat", Kind::Wechat, true),
    ("weixin", Kind::Wechat, true),
    ("vx", Kind::Wechat, true),
    ("wx", Kind::Wechat, false),
    ("line", Kind::Line, false),
    ("zalo", Kind::Zalo, true),
    ("facebook", Kind::Facebook, false),
    ("fb", Kind::Facebook, false),
    ("tiktok", Kind::Tiktok, false),
    ("instagram", Kind::Instagram, false),
    ("ig", Kind::Instagram, false),
    ("insta", Kind::Instagram, false),
];

/// Labels in other scripts (all strong and explicit).
const OTHER: &[(&str, Kind)] = &[
    ("微信号", Kind::Wechat),
    ("微信", Kind::Wechat),
    ("威信", Kind::Wechat),
    ("薇信", Kind::Wechat),
    ("纸飞机", Kind::Telegram),
    ("飞机号", Kind::Telegram),
    ("飞机", Kind::Telegram),
    ("电报", Kind::Telegram),
    ("脸书", Kind::Facebook),
    ("抖音", Kind::Tiktok),
    ("ไลน์ไอดี", Kind::Line),
    ("ไลน์", Kind::Line),
    ("ไอดีไลน์", Kind::Line),
    ("តេឡេក្រាម", Kind::Telegram),
    ("តេលេក្រាម", Kind::Telegram),
    ("វីឆាត", Kind::Wechat),
];

const STOP: &[&str] = &[
    "is", "me", "my", "group", "groups", "account", "and", "or", "the", "to", "id", "number",
    "contact", "channel", "chat", "call", "message", "please", "only", "app", "link", "no",
    "called", "number", "calls", "video", "voice", "groups", "accounts", "messages", "because",
    "before", "after", "friend", "friends", "family", "someone", "people", "again", "there",
    "which", "where", "about", "using", "through",
];

/// The region assumed for a number given as a messenger id.
fn region_for(kind: Kind, default: &'static str) -> &'static str {
    match kind {
        Kind::Zalo => "VN",
        Kind::Line => "TH",
        Kind::Wechat => "CN",
        _ => default,
    }
}

/// A label word at `ws..we`; returns the end of what it consumed.
pub(crate) fn ascii(cx: &mut Ctx<'_>, ws: usize, we: usize) -> Option<usize> {
    let w = &cx.b[ws..we];
    if w.len() > 9
        || w.len() < 2
        || !matches!(w[0] | 0x20, b't' | b'w' | b'v' | b'l' | b'z' | b'f' | b'i')
    {
        return None;
    }
    let mut buf = [0u8; 9];
    for (d, c) in buf.iter_mut().zip(w) {
        *d = c.to_ascii_lowercase();
    }
    let lw = &buf[..w.len()];
    let &(_, kind, strong) = ASCII.iter().find(|(l, _, _)| l.as_bytes() == lw)?;
    // "Line" and other weak labels written in lower case inside prose are words.
    value_after(cx, we, kind, strong, false)
}

/// Whether a label in another script may start here (first three bytes).
pub(crate) fn may_start(b: &[u8]) -> bool {
    // The first characters of the labels in `OTHER`, as UTF-8.
    matches!(
        b,
        [0xE0, 0xB9, 0x84, ..]
            | [0xE1, 0x9E, 0x8F, ..]
            | [0xE1, 0x9E, 0x9C, ..]
            | [0xE5, 0xA8, 0x81, ..]
            | [0xE5, 0xBE, 0xAE, ..]
            | [0xE6, 0x8A, 0x96, ..]
            | [0xE7, 0x94, 0xB5, ..]
            | [0xE7, 0xBA, 0xB8, ..]
            | [0xE8, 0x84, 0xB8, ..]
            | [0xE8, 0x96, 0x87, ..]
            | [0xE9, 0xA3, 0x9E, ..]
    )
}

/// A label in another script at `i`.
pub(crate) fn other(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let rest = &cx.s[i..];
    let &(label, kind) = OTHER.iter().find(|(l, _)| rest.starts_with(l))?;
    value_after(cx, i + label.len(), kind, true, true)
}

fn value_after(
    cx: &mut Ctx<'_>,
    mut j: usize,
    kind: Kind,
    strong: bool,
    mut explicit: bool,
) -> Option<usize> {
    let b = cx.b;
    let skip_spaces = |j: &mut usize| {
        while *j < b.len() && b[*j] == b' ' {
            *j += 1;
        }
    };
    skip_spaces(&mut j);
    // Optional "ID", "id", "号".
    if b.len() >= j + 2
        && b[j..j + 2].eq_ignore_ascii_case(b"id")
        && !b.get(j + 2).is_some_and(u8::is_ascii_alphanumeric)
    {
        j += 2;
        explicit = true;
        skip_spaces(&mut j);
    } else if cx.s[j..].starts_with('号') {
        j += '号'.len_utf8();
    }
    if matches!(b.get(j), Some(b':' | b'=' | b'-')) {
        j += 1;
        explicit = true;
        skip_spaces(&mut j);
    }
    let c = *b.get(j)?;
    // A weak label counts when followed by `:`, `ID` or straight by `@name`.
    if !strong && !explicit && c != b'@' {
        return None;
    }
    if c == b'@' {
        let ns = j + 1;
        let mut ne = ns;
        while ne < b.len() && (b[ne].is_ascii_alphanumeric() || b[ne] == b'_' || b[ne] == b'.') {
            ne += 1;
        }
        while ne > ns && b[ne - 1] == b'.' {
            ne -= 1;
        }
        let name = &cx.s[ns..ne];
        let ok = match kind {
            Kind::Telegram => telegram_name(name),
            Kind::Whatsapp => false,
            _ => name.len() >= 2,
        };
        if ok {
            cx.push(kind, name.to_ascii_lowercase(), j, ne, None);
            return Some(ne);
        }
        return None;
    }
    if c.is_ascii_digit() || c == b'+' || c == b'(' {
        if let Some((s, e, v)) = numbers::phone_at(b, j, region_for(kind, cx.opts.default_region))
            .or_else(|| numbers::phone_at(b, j, cx.opts.default_region))
        {
            numbers::push_phone(cx, Kind::Phone, s, e, v.clone());
            numbers::push_phone(cx, kind, s, e, v);
            return Some(e);
        }
        if matches!(kind, Kind::Whatsapp | Kind::Zalo) {
            return None;
        }
    }
    if !c.is_ascii_alphanumeric() {
        return None;
    }
    let mut e = j;
    while e < b.len() && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'_' | b'.' | b'-')) {
        e += 1;
    }
    while e > j && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    // Glued to a non-ASCII letter: not a whole id.
    let id = &cx.s[j..e];
    let lower = id.to_ascii_lowercase();
    if STOP.contains(&lower.as_str()) || id.len() < 3 || id.len() > 40 {
        return None;
    }
    if !explicit && !id.bytes().any(|c| c.is_ascii_digit() || c == b'_') {
        return None;
    }
    let ok = match kind {
        Kind::Telegram => telegram_name(id),
        Kind::Whatsapp | Kind::Zalo => false,
        Kind::Wechat => id.len() >= 5 && id.as_bytes()[0].is_ascii_alphabetic(),
        _ => true,
    };
    if !ok {
        return None;
    }
    // An e-mail or link after the label (`Telegram: https://…`) is read as such.
    if matches!(b.get(e), Some(b'@' | b':' | b'/'))
        || id.contains('.')
            && kind != Kind::Facebook
            && kind != Kind::Instagram
            && kind != Kind::Tiktok
    {
        return None;
    }
    cx.push(kind, lower, j, e, None);
    Some(e)
}
