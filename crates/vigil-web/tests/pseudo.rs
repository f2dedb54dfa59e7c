//! Every word a person reads comes from the catalogue: a small national demo
//! is built, the pages are served with the Khmer catalogue in pseudo-locale
//! form (every message marked and accented, [`I18n::pseudo`]), and every
//! role's pages, the public pages, the error pages and forms sent wrong are
//! read. Text outside the marks is either data (what people typed or the
//! demo generated: names, tip texts, identifiers — marked `translate="no"`,
//! as browsers' translators also need them) or a leak: a word written into
//! a template or by the core, a message missing in Khmer and taken from
//! English, or a message id shown as is.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod crawl;
mod staffkit;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use crawl::{crawl, in_khmer, pattern, unescape};
use staffkit::{call, get, post_form, signed_in};
use vigil_demo::{Plan, Progress};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};
use vigil_web::i18n::{I18n, PSEUDO_CLOSE, PSEUDO_OPEN};

struct Quiet(Mutex<u64>);

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, n: u64) {
        *self.0.lock().unwrap() += n;
    }
}

/// The value of attribute `name` in a tag's source, if present.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = &rest[i + name.len()..];
        if matches!(before, Some(c) if c.is_whitespace()) && after.starts_with("=\"") {
            let v = &after[2..];
            return v.find('"').map(|e| unescape(&v[..e]));
        }
        rest = after;
    }
    None
}

/// Elements that hold no text of their own.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// What a person reads on a page that is not data: text nodes and the
/// attributes read aloud or shown (title, placeholder, alt, aria-label, a
/// button's value), outside `<script>`, `<style>` and any element marked
/// `translate="no"`.
fn readable(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Open elements: (name, whether data).
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if !open.iter().any(|(_, d)| *d) {
                out.push(unescape(rest));
            }
            break;
        };
        let text = &rest[..lt];
        let in_data = open.iter().any(|(_, d)| *d);
        if !in_data && !text.trim().is_empty() {
            out.push(unescape(text));
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        // What is being typed is the person's own text.
        if name == "script" || name == "style" || name == "textarea" {
            let close = format!("</{name}>");
            let end = rest.find(&close).map_or(rest.len(), |e| e + close.len());
            rest = &rest[end..];
            continue;
        }
        // Data, or text in another language on purpose (a language's own
        // name, a tip in the reporter's words).
        let data = attr(tag, "translate").as_deref() == Some("no")
            || (name != "html" && attr(tag, "lang").is_some());
        if !in_data && !data {
            for a in ["title", "placeholder", "alt", "aria-label"] {
                if let Some(v) = attr(tag, a) {
                    out.push(v);
                }
            }
            if name == "input" && matches!(attr(tag, "type").as_deref(), Some("submit" | "button"))
            {
                out.extend(attr(tag, "value"));
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            open.push((name, data));
        }
    }
    out
}

/// The text of `s` outside the pseudo-locale marks (nested marks allowed).
fn unmarked(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in s.chars() {
        match c {
            PSEUDO_OPEN => {
                depth += 1;
                out.push(' ');
            }
            PSEUDO_CLOSE => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words of `text` a person would read as language: runs of two or more
/// Latin letters (Khmer pages have no Latin words of their own), except
/// what is plainly data or notation: anything with a digit, an `@` or a
/// `/` (references, identifiers, handles, addresses), and the tokens of
/// `allowed`.
fn leaks(text: &str, allowed: &BTreeSet<String>) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "()[]{},;:!?\"'«»“”‘’·•|×→←–—…".contains(c))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-' || c == '#'))
        .filter(|w| {
            let latin = w
                .chars()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|p| p[0].is_ascii_alphabetic() && p[1].is_ascii_alphabetic());
            latin
                && !w
                    .chars()
                    .any(|c| c.is_ascii_digit() || c == '@' || c == '/')
                && !allowed.contains(*w)
        })
        .map(str::to_string)
        .collect()
}

/// What the crawl found: leaks by page pattern, and the pages read.
#[derive(Default)]
struct Findings {
    leaks: BTreeMap<String, BTreeSet<String>>,
    read: usize,
    errors: Vec<String>,
}

impl Findings {
    fn check(&mut self, url: &str, status: StatusCode, body: &str, allowed: &BTreeSet<String>) {
        self.read += 1;
        if let Ok(dir) = std::env::var("VIGIL_PSEUDO_DUMP") {
            let name: String = url
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let _ = std::fs::write(format!("{dir}/{name}.html"), body);
        }
        if status.is_server_error() {
            self.errors.push(format!("{url}: {status}"));
        }
        for text in readable(body) {
            let words = leaks(&unmarked(&text), allowed);
            if !words.is_empty() {
                let shown: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let shown: String = shown.chars().take(90).collect();
                self.leaks
                    .entry(pattern(url))
                    .or_default()
                    .insert(format!("{} in «{shown}» ({url})", words.join(" ")));
            }
        }
    }
}

/// Where a visitor starts: the public pages, one that is not there, and
/// the staff sign-in.
const PUBLIC_START: &[&str] = &[
    "/km",
    "/km/check",
    "/km/figures",
    "/km/follow-up",
    "/km/help",
    "/km/no-such-page",
    "/staff/login?lang=km",
];

#[tokio::test]
async fn every_page_reads_only_from_the_catalogue() {
    let mut app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    vigil_demo::build(&app.vigil, &Plan::scaled(0.004), &Quiet(Mutex::new(0)))
        .await
        .expect("demo");
    app.state.i18n = Arc::new(I18n::pseudo().expect("catalogues"));

    // What no catalogue holds and every page may show: the site's name,
    // the day periods of CLDR's Khmer times, and border posts' official
    // codes (typed at the desk to pick a post, printed as on a ticket).
    let mut allowed: BTreeSet<String> = ["Vigil", "AM", "PM"]
        .iter()
        .map(|s| s.to_string())
        .chain(vigil_domain::posts::posts().iter().flat_map(|p| {
            p.code
                .split('-')
                .map(str::to_string)
                .chain([p.code.clone()])
        }))
        .collect();
    let mut found = Findings::default();

    // The public pages, and a page that is not there.
    for p in crawl(&app, "", PUBLIC_START, 3).await {
        found.check(&p.url, p.status, &p.body, &allowed);
    }
    // Forms sent wrong: a report without words, a check of nothing, a
    // receipt that is not one.
    for (url, form) in [
        ("/km/report", vec![("text", "")]),
        ("/km/check", vec![("q", "")]),
        ("/km/follow-up", vec![("receipt", "nothing")]),
    ] {
        let r = call(&app, post_form(url, "", &form)).await;
        assert!(
            r.status.is_client_error() && r.body.contains("role=\"alert\""),
            "{url} refuses the form with a message: {} {}",
            r.status,
            r.body
        );
        found.check(url, r.status, &r.body, &allowed);
    }

    for role in Role::ALL {
        let name = format!("pseudo.{role}");
        allowed.insert(name.clone());
        let (cookie, csrf) = signed_in(&app.vigil, &name, role, Jurisdiction::National).await;
        for p in crawl(&app, &cookie, &["/staff/home", "/staff/no-such-page"], 2).await {
            found.check(&p.url, p.status, &p.body, &allowed);
        }
        // A form sent wrong, where the role has one.
        let wrong: &[(&str, Vec<(&str, &str)>)] = match role {
            Role::Officer => &[("/staff/operations", vec![])],
            Role::Admin => &[("/staff/accounts", vec![("username", "")])],
            Role::Immigration => &[("/staff/screen", vec![])],
            Role::Prosecutor => &[("/staff/cases", vec![])],
            _ => &[],
        };
        for (url, fields) in wrong {
            let mut fields = fields.clone();
            fields.push(("csrf", &csrf));
            let r = call(&app, post_form(&in_khmer(url), &cookie, &fields)).await;
            assert!(
                r.status.is_client_error() && r.body.contains("role=\"alert\""),
                "{role}: {url} refuses the form with a message: {} {}",
                r.status,
                r.body
            );
            found.check(url, r.status, &r.body, &allowed);
        }
        // A page the role may not open.
        let r = call(&app, get("/staff/accounts?lang=km", &cookie)).await;
        found.check("/staff/accounts", r.status, &r.body, &allowed);
    }

    assert!(found.read > 60, "only {} pages read", found.read);
    assert!(found.errors.is_empty(), "{:#?}", found.errors);
    assert!(
        found.leaks.is_empty(),
        "{} of {} pages show text from outside the catalogue:\n{:#?}",
        found.leaks.len(),
        found.read,
        found.leaks
    );
}

#[test]
fn the_reader_finds_text_and_skips_data() {
    let html = r#"<html><head><title>⟦Títlé⟧</title><style>p { color: red }</style></head>
<body><p>Stray words</p><p translate="no">Ahmad <b>Abdullah</b></p>
<input type="submit" value="Send"><img alt="⟦ók⟧" src="/x.png"><script>var x = "no";</script>
<p>⟦á ⟦nested⟧ b⟧ OP-2026-7 @handle</p></body></html>"#;
    let texts = readable(html);
    let allowed = BTreeSet::new();
    let words: Vec<String> = texts
        .iter()
        .flat_map(|t| leaks(&unmarked(t), &allowed))
        .collect();
    assert_eq!(words, vec!["Stray", "words", "Send"]);
    let foreign = readable(r#"<p>⟦á⟧ <a lang="vi">Tiếng Việt</a></p>"#);
    assert!(
        foreign
            .iter()
            .all(|t| leaks(&unmarked(t), &allowed).is_empty())
    );
    assert_eq!(
        pattern("/staff/facilities/12?after=x&lang=km"),
        "/staff/facilities/N?after"
    );
}
