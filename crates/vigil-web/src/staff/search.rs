//! `GET /staff/search?q=…`: words in any of the five languages, or an
//! identifier in any format (a phone number typed as `012 345 678` finds
//! tips that wrote `+855 12 345 678`), within the staff member's jurisdiction.
//! Pages follow an opaque `after` cursor in the URL: plain links, no script.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Staff, StaffLang, who};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// One result line.
pub struct Line {
    id: i64,
    /// The passage in pieces: (text, whether it is marked).
    snippet: Vec<(String, bool)>,
    by_identifier: bool,
}

/// Results per page.
const PAGE: usize = 50;

/// `text` cut at `marks` (byte ranges, sorted, on char boundaries) into
/// plain and marked pieces.
fn pieces(text: &str, marks: &[std::ops::Range<usize>]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        let (Some(before), Some(marked)) = (text.get(at..m.start), text.get(m.clone())) else {
            continue;
        };
        if !before.is_empty() {
            out.push((before.to_string(), false));
        }
        out.push((marked.to_string(), true));
        at = m.end;
    }
    if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        out.push((rest.to_string(), false));
    }
    out
}

/// A query-string value, percent-encoded.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/search.html")]
struct SearchPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    q: String,
    total: usize,
    results: Vec<Line>,
    searched: bool,
    /// The next page's URL.
    next: Option<String>,
    /// The first page's URL, when this is a later page.
    first: Option<String>,
}

/// The query.
#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    /// Where the page starts (the previous page's cursor).
    #[serde(default)]
    after: String,
}

/// `GET /staff/search`.
pub async fn search(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(f): Query<SearchForm>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let q = f.q.trim().to_string();
    let url = |after: Option<&str>| {
        let mut u = format!("/staff/search?q={}", enc(&q));
        if let Some(a) = after {
            u.push_str("&after=");
            u.push_str(&enc(a));
        }
        u
    };
    let (results, total, next) = if q.is_empty() {
        (Vec::new(), 0, None)
    } else {
        let r = vigil_core::search::search(
            &state.vigil.search,
            &s.principal,
            &q,
            PAGE,
            Some(f.after.as_str()),
        )
        .await?;
        (
            r.found
                .into_iter()
                .map(|x| Line {
                    id: x.tip.id.0,
                    snippet: pieces(&x.snippet, &x.marks),
                    by_identifier: x.by_identifier,
                })
                .collect(),
            r.total,
            r.next.as_deref().map(|n| url(Some(n))),
        )
    };
    let first = (!q.is_empty() && !f.after.is_empty()).then(|| url(None));
    let page = SearchPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        searched: !q.is_empty(),
        q,
        total,
        results,
        next,
        first,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// Routes of search.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/staff/search", get(search))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_every_byte_in_order() {
        let text = "call ០១២ ៣៤៥ now";
        let p = pieces(text, std::slice::from_ref(&(5..text.len() - 4)));
        assert_eq!(p.iter().map(|(s, _)| s.as_str()).collect::<String>(), text);
        assert_eq!(p.iter().filter(|(_, m)| *m).count(), 1);
        assert_eq!(enc("a b+c/é"), "a%20b%2Bc%2F%C3%A9");
    }
}
