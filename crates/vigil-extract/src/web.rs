//! E-mail addresses, links, domains, and the profile links of messengers and
//! social networks.

use crate::ctx::Ctx;
use crate::numbers;
use crate::phone;
use crate::types::{Detail, Kind, LinkWarning};

/// Top-level domains accepted for a bare host (no scheme, no `www.`), besides
/// two-letter country codes and multi-label public suffixes like `com.kh`.
const BARE_TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "io", "co", "me", "cc", "xyz", "top", "vip", "club",
    "online", "site", "app", "asia", "shop", "store", "live", "pro", "work", "link", "icu", "buzz",
    "fun", "win", "bet", "casino", "games", "space", "website", "tech", "cloud", "ltd", "group",
    "ai", "dev", "page", "today", "life", "world", "email", "social", "finance", "money",
    "exchange", "market", "trade", "gov", "edu", "int", "mobi", "tv",
];

fn is_host_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_'
}

fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_path_byte(c: u8) -> bool {
    c > b' '
        && c < 0x7f
        && !matches!(
            c,
            b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'[' | b']'
        )
}

/// A checked host: its lowercase form and registrable domain.
struct Host {
    lower: String,
    domain: String,
}

fn check_host(host: &str, bare: bool) -> Option<Host> {
    if host.len() < 4 || host.len() > 253 || !host.contains('.') {
        return None;
    }
    let lower = host.to_ascii_lowercase();
    let mut labels = 0;
    for l in lower.split('.') {
        if l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-') {
            return None;
        }
        labels += 1;
    }
    let tld = lower.rsplit('.').next()?;
    if !(tld.bytes().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--")) || tld.len() < 2 {
        return None;
    }
    let suffix = psl::suffix(lower.as_bytes())?;
    if !suffix.is_known() {
        return None;
    }
    let domain = psl::domain(lower.as_bytes())?;
    let domain = std::str::from_utf8(domain.as_bytes()).ok()?.to_string();
    if bare {
        let orig_tld = host.rsplit('.').next().unwrap_or("");
        let all_upper = !host.bytes().any(|c| c.is_ascii_lowercase());
        if !all_upper && orig_tld.bytes().any(|c| c.is_ascii_uppercase()) {
            return None;
        }
        let multi = suffix.as_bytes().contains(&b'.');
        if !(multi || tld.len() == 2 || BARE_TLDS.contains(&tld)) {
            return None;
        }
        if labels > 6 {
            return None;
        }
    }
    Some(Host { lower, domain })
}

fn unicode_domain(d: &str) -> String {
    if d.contains("xn--") {
        let (u, r) = idna::domain_to_unicode(d);
        if r.is_ok() {
            return u;
        }
    }
    d.to_string()
}

/// Pushes the registrable domain of the host written at `hs..he`: its last
/// labels, however the host was written (ASCII, Unicode or punycode).
fn push_domain(cx: &mut Ctx<'_>, h: &Host, hs: usize, he: usize) {
    let labels = h.domain.split('.').count();
    let dots: Vec<usize> = cx.s[hs..he].match_indices('.').map(|(k, _)| k).collect();
    let start = match dots.len().checked_sub(labels) {
        Some(k) => hs + dots[k] + 1,
        None => hs,
    };
    cx.push(Kind::Domain, unicode_domain(&h.domain), start, he, None);
}

/// An e-mail address or a link starting at `i`; returns its end when found.
pub(crate) fn at_token(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let b = cx.b;
    // E-mail: local part, '@', host.
    let mut j = i;
    while j < b.len() && is_local_byte(b[j]) {
        j += 1;
    }
    if b.get(j) == Some(&b'@') && j > i {
        return email(cx, i, j);
    }
    url(cx, i)
}

fn email(cx: &mut Ctx<'_>, i: usize, at: usize) -> Option<usize> {
    let b = cx.b;
    let local = &cx.s[i..at];
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return None;
    }
    let hs = at + 1;
    let mut he = hs;
    while he < b.len() && (b[he].is_ascii_alphanumeric() || b[he] == b'-' || b[he] == b'.') {
        he += 1;
    }
    while he > hs && matches!(b[he - 1], b'.' | b'-') {
        he -= 1;
    }
    let h = check_host(&cx.s[hs..he], false)?;
    let value = format!("{}@{}", local.to_ascii_lowercase(), h.lower);
    cx.push(Kind::Email, value, i, he, None);
    push_domain(cx, &h, hs, he);
    Some(he)
}

fn url(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    url_at(cx, i, 0)
}

/// Whether the character at `k` may be part of an internationalised host.
fn unicode_host_char(s: &str, k: usize) -> Option<usize> {
    let ch = s[k..].chars().next()?;
    let mark = matches!(
        u32::from(ch),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    );
    (ch.is_alphanumeric() || mark).then(|| ch.len_utf8())
}

/// Percent-decodes `v` (`+` stays `+`); `None` when the result is not UTF-8.
fn percent_decode(v: &str) -> Option<String> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'%'
            && let Some(h) = v.get(k + 1..k + 3)
            && let Ok(x) = u8::from_str_radix(h, 16)
        {
            out.push(x);
            k += 3;
            continue;
        }
        out.push(b[k]);
        k += 1;
    }
    String::from_utf8(out).ok()
}

/// Links hidden percent-encoded in the query of the link at `start..end`
/// (a redirector's `?url=http%3A%2F%2F…`): each is pushed with the outer
/// link's span and marked nested.
fn nested(cx: &mut Ctx<'_>, path: &str, start: usize, end: usize, depth: u8) {
    let Some(q) = path.find('?') else {
        return;
    };
    let query = path[q + 1..].split('#').next().unwrap_or("");
    for kv in query.split('&') {
        let v = kv.split_once('=').map_or(kv, |(_, v)| v);
        let lower = v.to_ascii_lowercase();
        if !(lower.contains("%3a%2f%2f") || lower.contains("://")) {
            continue;
        }
        let Some(decoded) = percent_decode(v) else {
            continue;
        };
        let opts = cx.opts;
        let mut sub = Ctx::new(&decoded, opts);
        if url_at(&mut sub, 0, depth + 1).is_none() {
            continue;
        }
        for h in sub.into_hits() {
            let detail = match (h.kind, h.detail) {
                (Kind::Url, Some(Detail::Link { mut warnings })) => {
                    warnings.push(LinkWarning::Nested);
                    warnings.sort();
                    warnings.dedup();
                    Some(Detail::Link { warnings })
                }
                (Kind::Url, _) => Some(Detail::Link {
                    warnings: vec![LinkWarning::Nested],
                }),
                (_, d) => d,
            };
            cx.push(h.kind, h.value, start, end, detail);
        }
    }
}

fn url_at(cx: &mut Ctx<'_>, i: usize, depth: u8) -> Option<usize> {
    let b = cx.b;
    let s = cx.s;
    let rest = &b[i..];
    let (scheme, mut hs) = if rest.len() > 8 && rest[..8].eq_ignore_ascii_case(b"https://") {
        ("https", i + 8)
    } else if rest.len() > 7 && rest[..7].eq_ignore_ascii_case(b"http://") {
        ("http", i + 7)
    } else {
        ("", i)
    };
    let mut warnings = Vec::new();
    // Userinfo: after a scheme, anything up to an `@` before the path is not
    // the host, however much it looks like one.
    if !scheme.is_empty() {
        let mut k = hs;
        while k < b.len()
            && b[k] > b' '
            && !matches!(b[k], b'/' | b'?' | b'#' | b'@' | b'<' | b'>' | b'"')
        {
            k += 1;
        }
        if b.get(k) == Some(&b'@') && k > hs {
            hs = k + 1;
            warnings.push(LinkWarning::Userinfo);
        }
    }
    let www = b.len() > hs + 4 && b[hs..hs + 4].eq_ignore_ascii_case(b"www.");
    let bare = scheme.is_empty() && !www;
    let mut he = hs;
    // An IPv6 literal, after a scheme only.
    let ip = if !scheme.is_empty() && b.get(hs) == Some(&b'[') {
        let close = hs + s[hs..].find(']')?;
        let addr: std::net::Ipv6Addr = s[hs + 1..close].parse().ok()?;
        he = close + 1;
        Some(format!("[{addr}]"))
    } else {
        while he < b.len() {
            if is_host_byte(b[he]) {
                he += 1;
            } else if b[he] >= 0x80
                && !bare
                && let Some(n) = unicode_host_char(s, he)
            {
                he += n;
            } else {
                break;
            }
        }
        while he > hs && matches!(b[he - 1], b'.' | b'-' | b'_') {
            he -= 1;
        }
        let text = &s[hs..he];
        if scheme.is_empty() {
            None
        } else {
            text.parse::<std::net::Ipv4Addr>()
                .ok()
                .map(|a| a.to_string())
        }
    };
    let host = &s[hs..he];
    let h = match &ip {
        Some(_) => {
            warnings.push(LinkWarning::IpHost);
            None
        }
        None => {
            let ascii = if host.is_ascii() {
                host.to_string()
            } else {
                idna::domain_to_ascii(host).ok()?
            };
            if ascii.contains("xn--") {
                warnings.push(LinkWarning::International);
            }
            Some(check_host(&ascii, bare)?)
        }
    };
    // Port.
    let mut e = he;
    if b.get(e) == Some(&b':') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        e += 1;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
    }
    let port = &s[he..e];
    // Path, query, fragment; a closing parenthesis or punctuation at the end
    // belongs to the sentence unless the path opened it.
    let ps = e;
    if matches!(b.get(e), Some(b'/' | b'?' | b'#')) {
        while e < b.len() && is_path_byte(b[e]) {
            e += 1;
        }
        loop {
            match b[e - 1] {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => e -= 1,
                b')' if s[ps..e].matches(')').count() > s[ps..e].matches('(').count() => {
                    e -= 1;
                }
                _ => break,
            }
            if e == ps {
                break;
            }
        }
    }
    let path = &s[ps..e];
    if bare && path.is_empty() {
        // A bare domain: only the domain.
        if let Some(h) = &h {
            push_domain(cx, h, hs, he);
        }
        return Some(he);
    }
    let scheme = if scheme.is_empty() { "http" } else { scheme };
    let shown = match (&ip, &h) {
        (Some(ip), _) => ip.clone(),
        (None, Some(h)) => unicode_domain(&h.lower),
        (None, None) => return None,
    };
    let value = format!("{scheme}://{shown}{port}{path}");
    let start = i;
    warnings.sort();
    let detail = (!warnings.is_empty()).then_some(Detail::Link { warnings });
    cx.push(Kind::Url, value, start, e, detail);
    if let Some(h) = &h {
        push_domain(cx, h, hs, he);
        profile(cx, h, path, start, e);
        if let Some((lat, lon)) = crate::coords::from_map_link(&h.lower, path)
            && let Some(v) = crate::coords::format(lat, lon)
        {
            cx.push(Kind::Coordinates, v, start, e, None);
        }
    }
    if depth < 3 {
        nested(cx, path, start, e, depth);
    }
    Some(e)
}

fn valid_name(n: &str, min: usize, max: usize, extra: &[u8]) -> bool {
    (min..=max).contains(&n.len())
        && n.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || extra.contains(&c))
}

/// Telegram usernames: 5–32 of `[A-Za-z0-9_]`, starting with a letter.
pub(crate) fn telegram_name(n: &str) -> bool {
    valid_name(n, 5, 32, &[]) && n.as_bytes()[0].is_ascii_alphabetic()
}

const TG_RESERVED: &[&str] = &[
    "joinchat",
    "addstickers",
    "share",
    "iv",
    "proxy",
    "socks",
    "addlist",
    "setlanguage",
    "login",
    "confirmphone",
    "contact",
    "addemoji",
    "addtheme",
    "boost",
    "invoice",
];
const FB_RESERVED: &[&str] = &[
    "groups",
    "pages",
    "events",
    "watch",
    "share",
    "sharer",
    "sharer.php",
    "story.php",
    "photo",
    "photo.php",
    "marketplace",
    "login",
    "help",
    "policies",
    "gaming",
    "reel",
    "posts",
    "hashtag",
    "permalink.php",
    "home.php",
    "messages",
    "notifications",
    "friends",
    "search",
    "dialog",
];
const IG_RESERVED: &[&str] = &[
    "p", "reel", "reels", "stories", "explore", "tv", "accounts", "direct",
];

/// The messenger or social account a profile link names.
fn profile(cx: &mut Ctx<'_>, h: &Host, path: &str, s: usize, e: usize) {
    let (path_only, query) = match path.find('?') {
        Some(q) => (&path[..q], &path[q + 1..]),
        None => (path, ""),
    };
    let path_only = path_only.split('#').next().unwrap_or("");
    let mut segs = path_only.split('/').filter(|x| !x.is_empty());
    let first = segs.next().unwrap_or("");
    let param = |key: &str| -> Option<&str> {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    match h.domain.as_str() {
        "t.me" | "telegram.me" | "telegram.dog" => {
            let name = if first == "s" {
                segs.next().unwrap_or("")
            } else {
                first
            };
            if telegram_name(name) && !TG_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
                cx.push(Kind::Telegram, name.to_ascii_lowercase(), s, e, None);
            }
        }
        "wa.me" | "whatsapp.com" => {
            let digits = if h.domain == "wa.me" {
                Some(first)
            } else {
                param("phone")
            };
            if let Some(d) = digits
                .filter(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit() || c == b'+'))
                && let Some(v) = phone::international(d.trim_start_matches('+'))
            {
                numbers::push_phone(cx, Kind::Whatsapp, s, e, v);
            }
        }
        "line.me" => {
            let mut parts: Vec<&str> = path_only.split('/').filter(|x| !x.is_empty()).collect();
            if parts.first().is_some_and(|p| p.eq_ignore_ascii_case("r")) {
                parts.remove(0);
            }
            if parts.len() >= 3 && parts[0] == "ti" && parts[1] == "p" {
                let id = parts[2].trim_start_matches(['~', '@']);
                if valid_name(id, 3, 40, b".-") {
                    cx.push(Kind::Line, id.to_ascii_lowercase(), s, e, None);
                }
            }
        }
        "zalo.me" => {
            if first.bytes().all(|c| c.is_ascii_digit()) && first.len() >= 9 {
                let v = if let Some(r) = first.strip_prefix("84") {
                    phone::validate(84, r)
                } else {
                    phone::national(first, "VN")
                };
                if let Some(v) = v {
                    numbers::push_phone(cx, Kind::Zalo, s, e, v);
                }
            } else if first != "g" && valid_name(first, 3, 40, b".") {
                cx.push(Kind::Zalo, first.to_ascii_lowercase(), s, e, None);
            }
        }
        "facebook.com" | "fb.com" | "fb.me" => {
            let lower = first.to_ascii_lowercase();
            if lower == "profile.php" {
                if let Some(id) =
                    param("id").filter(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
                {
                    cx.push(Kind::Facebook, id.to_string(), s, e, None);
                }
            } else if lower == "people" {
                // /people/Name/1000123…
                if let Some(id) = segs
                    .nth(1)
                    .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                {
                    cx.push(Kind::Facebook, id.to_string(), s, e, None);
                }
            } else if !FB_RESERVED.contains(&lower.as_str()) && valid_name(first, 5, 50, b".") {
                cx.push(Kind::Facebook, lower, s, e, None);
            }
        }
        "tiktok.com" => {
            if let Some(name) = first.strip_prefix('@')
                && valid_name(name, 2, 24, b".")
            {
                cx.push(Kind::Tiktok, name.to_ascii_lowercase(), s, e, None);
            }
        }
        "instagram.com" | "instagr.am" => {
            let lower = first.to_ascii_lowercase();
            if !IG_RESERVED.contains(&lower.as_str()) && valid_name(first, 2, 30, b".") {
                cx.push(Kind::Instagram, lower, s, e, None);
            }
        }
        _ => {}
    }
}
