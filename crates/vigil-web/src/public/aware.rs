//! `GET /{lang}/help…`: the awareness pages. How recruiters lure people
//! abroad and how to check an agency (`help/jobs`, searchable with `?q=`),
//! fake voices and videos (`help/fakes`), what to do when someone is held
//! (`help/held`, with the `[public] hotlines`) and what happens to a report
//! (`help/report`). Every word is in the `aware` catalogue; the agencies are
//! `vigil_core::awareness`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use vigil_core::awareness;

use super::PathLang;
use crate::display::unit_name;
use crate::i18n::Tr;
use crate::state::AppState;

/// The help pages, in the order the index lists them: (path below
/// `/{lang}/help/`, message id prefix).
pub const PAGES: [(&str, &str); 4] = [
    ("jobs", "aware-jobs"),
    ("fakes", "aware-fakes"),
    ("held", "aware-held"),
    ("report", "aware-report"),
];

/// The least cash, in US dollars, a traveller going to work abroad should
/// carry before exit officers ask more questions.
pub const EXIT_MIN_USD: u32 = 50;

/// The digits of a receipt, as the report page names them.
pub const RECEIPT_DIGITS: usize = vigil_domain::receipt::RECEIPT_DIGITS;

#[derive(Template, WebTemplate)]
#[template(path = "aware/index.html")]
struct IndexPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    pages: Vec<(&'static str, String, String)>,
}

/// One agency as the page shows it.
struct AgencyRow {
    name: String,
    name_km: String,
    licence: String,
    province: String,
    phone: String,
    tel: String,
}

/// What the page can say about the agencies.
enum AgencyList {
    /// No list: ask the ministry.
    Empty,
    /// The configured file does not load (logged for the operator).
    Unavailable,
    /// The ministry's list, with the agencies matching the search.
    Listed {
        source: String,
        updated: String,
        rows: Vec<AgencyRow>,
    },
}

#[derive(Template, WebTemplate)]
#[template(path = "aware/jobs.html")]
struct JobsPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    q: String,
    agencies: AgencyList,
}

#[derive(Template, WebTemplate)]
#[template(path = "aware/fakes.html")]
struct FakesPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
}

/// A hotline as the page shows it: (who answers, number, `tel:` target).
type HotlineRow = (String, String, String);

#[derive(Template, WebTemplate)]
#[template(path = "aware/held.html")]
struct HeldPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    hotlines: Vec<HotlineRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "aware/report.html")]
struct ReportPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
}

/// `GET /{lang}/help`: the list of help pages.
async fn index(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    let t = Tr::new(&state.i18n, lang);
    IndexPage {
        t,
        switch_path: "help",
        pages: PAGES
            .iter()
            .map(|(path, id)| {
                (
                    *path,
                    t.t(&format!("{id}-title")),
                    t.t(&format!("{id}-summary")),
                )
            })
            .collect(),
    }
    .into_response()
}

/// The search typed on the jobs page.
#[derive(Debug, Default, Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

/// `GET /{lang}/help/jobs?q=`: the warning signs of a false job offer, the
/// exit checks and the licensed agencies matching `q`.
async fn jobs(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Query(search): Query<Search>,
) -> Response {
    let q: String = search.q.trim().chars().take(awareness::MAX_QUERY).collect();
    let agencies = match awareness::load(&state.vigil.settings.public) {
        Err(e) => {
            tracing::warn!("the licensed agencies cannot be shown: {e}");
            AgencyList::Unavailable
        }
        Ok(list) if list.is_empty() => AgencyList::Empty,
        Ok(list) => AgencyList::Listed {
            rows: list
                .search(&q)
                .into_iter()
                .map(|a| AgencyRow {
                    name: a.name.clone(),
                    name_km: a.name_km.clone(),
                    licence: a.licence.clone(),
                    province: unit_name(Some(&a.province), lang),
                    phone: a.phone.clone(),
                    tel: a.tel(),
                })
                .collect(),
            source: list.source,
            updated: list.updated,
        },
    };
    JobsPage {
        t: Tr::new(&state.i18n, lang),
        switch_path: "help/jobs",
        q,
        agencies,
    }
    .into_response()
}

/// `GET /{lang}/help/fakes`: voices and videos made with AI.
async fn fakes(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    FakesPage {
        t: Tr::new(&state.i18n, lang),
        switch_path: "help/fakes",
    }
    .into_response()
}

/// `GET /{lang}/help/held`: what to do when someone is held, with the
/// hotlines of the settings.
async fn held(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    let t = Tr::new(&state.i18n, lang);
    let hotlines = state
        .vigil
        .settings
        .public
        .hotlines
        .iter()
        .map(|h| {
            let id = format!("aware-hotline-{}", h.key.trim());
            let named = t.t(&id);
            let name = if h.key.trim().is_empty() || named == id {
                h.name.clone()
            } else {
                named
            };
            (name, h.number.clone(), tel(&h.number))
        })
        .collect();
    HeldPage {
        t,
        switch_path: "help/held",
        hotlines,
    }
    .into_response()
}

/// `GET /{lang}/help/report`: what happens to a report.
async fn report(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    ReportPage {
        t: Tr::new(&state.i18n, lang),
        switch_path: "help/report",
    }
    .into_response()
}

/// A number as a `tel:` link takes it: its digits, with a leading `+` kept.
fn tel(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if number.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    }
}

/// Routes of the help pages.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/help", get(index))
        .route("/{lang}/help/jobs", get(jobs))
        .route("/{lang}/help/fakes", get(fakes))
        .route("/{lang}/help/held", get(held))
        .route("/{lang}/help/report", get(report))
}
