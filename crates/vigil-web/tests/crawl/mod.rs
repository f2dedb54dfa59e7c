//! A crawl of the site as one person reaches it: from a few start pages,
//! every link to the site's own pages (not files, other languages or
//! signing out), in Khmer, at most a few pages of each kind.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use axum::http::{StatusCode, header};
use vigil_testkit::TestApp;

use crate::staffkit::{call, get};

/// A page read: where, its status, its HTML.
pub struct Page {
    pub url: String,
    pub status: StatusCode,
    pub body: String,
}

/// `&amp;` and friends, as a browser shows them.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A page's place in the crawl: its path with values (ids, identifiers) as
/// `N` and its query's keys, so that one facility stands for all.
pub fn pattern(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    // A part that is a value (an id, an identifier) rather than a word.
    let p = path
        .split('/')
        .map(|part| {
            if part.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                part
            } else {
                "N"
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut keys: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty() && *k != "lang")
        .collect();
    keys.sort_unstable();
    keys.dedup();
    format!("{p}?{}", keys.join("&"))
}

/// The links of a page worth reading: the site's own pages, not files,
/// other languages or signing out.
pub fn links(html: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|e| unescape(&rest[..e]))
        })
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .filter(|l| {
            let path = l.split(['?', '#']).next().unwrap_or_default();
            !(path.ends_with(".csv")
                || path.ends_with(".json")
                || path.ends_with(".css")
                || path.ends_with(".js")
                || path.ends_with(".svg")
                || path.ends_with(".png")
                || path.ends_with("/bundle")
                || path.starts_with("/static")
                || path.starts_with("/assets")
                || path.starts_with("/api")
                || path.starts_with("/staff/photos")
                || path.contains("logout")
                || ["/en", "/th", "/vi", "/zh"]
                    .iter()
                    .any(|l| path == *l || path.starts_with(&format!("{l}/"))))
        })
        .map(|l| l.split('#').next().unwrap_or_default().to_string())
        .filter(|l| !l.contains("lang=") || l.contains("lang=km"))
        .collect()
}

/// Asks for `path` in Khmer.
pub fn in_khmer(path: &str) -> String {
    if path.starts_with("/staff") && !path.contains("lang=") {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}lang=km")
    } else {
        path.to_string()
    }
}

/// Reads every page `cookie` reaches from `start`, at most `per` pages of
/// each pattern.
pub async fn crawl(app: &TestApp, cookie: &str, start: &[&str], per: usize) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut visited = BTreeSet::new();
    let mut queue: VecDeque<String> = start.iter().map(|s| in_khmer(s)).collect();
    while let Some(url) = queue.pop_front() {
        if !visited.insert(url.clone()) {
            continue;
        }
        let n = seen.entry(pattern(&url)).or_default();
        if *n >= per {
            continue;
        }
        *n += 1;
        let r = call(app, get(&url, cookie)).await;
        if r.status.is_redirection() {
            if let Some(to) = r.headers.get(header::LOCATION) {
                queue.push_back(in_khmer(to.to_str().unwrap()));
            }
            continue;
        }
        let html = r
            .headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/html"));
        if !html {
            continue;
        }
        let found = links(&r.body);
        pages.push(Page {
            url: url.clone(),
            status: r.status,
            body: r.body,
        });
        for l in found {
            let l = if l.starts_with('?') {
                format!("{}{l}", url.split('?').next().unwrap_or_default())
            } else {
                l
            };
            queue.push_back(in_khmer(&l));
        }
    }
    pages
}
