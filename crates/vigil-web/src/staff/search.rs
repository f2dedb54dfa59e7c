//! `GET /staff/search?q=…`: words in any of the five languages, or an
//! identifier in any format (a phone number typed as `012 345 678` finds
//! tips that wrote `+855 12 345 678`), within the staff member's jurisdiction.

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
    snippet: String,
    by_identifier: bool,
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
}

/// The query.
#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
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
    let (results, total) = if q.is_empty() {
        (Vec::new(), 0)
    } else {
        let (found, total) =
            vigil_core::search::search(&state.vigil.search, &s.principal, &q, 50).await?;
        (
            found
                .into_iter()
                .map(|x| Line {
                    id: x.tip.id.0,
                    snippet: x.snippet,
                    by_identifier: x.by_identifier,
                })
                .collect(),
            total,
        )
    };
    let page = SearchPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        searched: !q.is_empty(),
        q,
        total,
        results,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// Routes of search.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/staff/search", get(search))
}
