//! E-mail addresses, links, domains, and the profile links of messengers and
//! social networks.

use crate::ctx::Ctx;
use crate::numbers;
use crate::phone;
use crate::types::Kind;

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

fn push_domain(cx: &mut Ctx<'_>, h: &Host, host_end: usize) {
    let start = host_end - h.domain.len();
    cx.push(
        Kind::Domain,
        unicode_domain(&h.domain),
        start,
        host_end,
        None,
    );
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
    push_domain(cx, &h, he);
    Some(he)
}

fn url(cx: &mut Ctx<'_>, i: usize) -> Option<usize> {
    let b = cx.b;
    let s = cx.s;
    let rest = &b[i..];
    let (scheme, hs) = if rest.len() > 8 && rest[..8].eq_ignore_ascii_case(b"https://") {
        ("https", i + 8)
    } else if rest.len() > 7 && rest[..7].eq_ignore_ascii_case(b"http://") {
        ("http", i + 7)
    } else {
        ("", i)
    };
    let mut he = hs;
    while he < b.len() && is_host_byte(b[he]) {
        he += 1;
    }
    while he > hs && matches!(b[he - 1], b'.' | b'-' | b'_') {
        he -= 1;
    }
    let host = &s[hs..he];
    let www = host.len() > 4 && host[..4].eq_ignore_ascii_case("www.");
    let bare = scheme.is_empty() && !www;
    let h = check_host(host, bare)?;
    // Port.
    let mut e = he;
    if b.get(e) == Some(&b':') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        e += 1;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
    }
    let port = &s[he..e];
    // Path, query, fragment.
    let ps = e;
    if matches!(b.get(e), Some(b'/' | b'?' | b'#')) {
        while e < b.len() && is_path_byte(b[e]) {
            e += 1;
        }
        loop {
            match b[e - 1] {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => e -= 1,
                b')' if !s[ps..e].contains('(') => e -= 1,
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
        push_domain(cx, &h, he);
        return Some(he);
    }
    let scheme = if scheme.is_empty() { "http" } else { scheme };
    let value = format!("{scheme}://{}{port}{path}", h.lower);
    let start = i;
    cx.push(Kind::Url, value, start, e, None);
    push_domain(cx, &h, he);
    profile(cx, &h, path, start, e);
    if let Some((lat, lon)) = crate::coords::from_map_link(&h.lower, path)
        && let Some(v) = crate::coords::format(lat, lon)
    {
        cx.push(Kind::Coordinates, v, start, e, None);
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
