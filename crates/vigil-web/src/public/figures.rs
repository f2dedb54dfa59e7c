//! `GET /{lang}/figures`: the campaign's national totals, as a minister
//! would announce them, with tips and raids month by month — no province or
//! person, nothing that points at a place or someone. Counting is
//! `vigil_core::figures`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use vigil_core::figures::{self, Figures};

use super::PathLang;
use crate::charts::{Chart, bars};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::localize;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "figures.html")]
struct FiguresPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    /// (key, label, value as the locale writes it).
    headline: Vec<(String, String, String)>,
    /// "As of …", and "counted since …" when anything was counted.
    as_of: String,
    since: Option<String>,
    charts: Vec<Chart>,
}

/// The public totals: (key, message id) pairs read off the figures, in order.
pub fn public_totals(f: &Figures) -> Vec<(&'static str, u64)> {
    let device = |k: &str| f.devices_seized.get(k).copied().unwrap_or(0);
    vec![
        ("tips", f.tips),
        ("locations_raided", f.locations_raided),
        ("networks_dismantled", f.networks_dismantled),
        ("devices_seized.computer", device("computer")),
        ("devices_seized.smartphone", device("smartphone")),
        ("victims_identified", f.victims_identified),
        ("defendants_prosecuted", f.defendants_prosecuted),
        ("defendants_convicted", f.defendants_convicted),
        ("deportations", f.deportations),
        ("voluntary_departures", f.voluntary_departures),
        ("rewards_awarded", f.rewards_awarded),
        ("recruiters_arrested", f.recruiters_arrested),
    ]
}

/// `GET /{lang}/figures`.
pub async fn page(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang);
    let f = figures::public_national(&state.vigil.figures)
        .await
        .map_err(|e| PageError::at(e.into(), "figures"))?;
    let headline: Vec<(String, String, String)> = public_totals(&f)
        .into_iter()
        .map(|(k, n)| {
            (
                k.to_string(),
                t.t(&format!("pub-fig-{}", k.replace('.', "-"))),
                localize::count(lang, n),
            )
        })
        .collect();
    // Each chart holds one quantity over the months, so no bar of 5,000
    // shares a scale with a bar of 10.
    let monthly = |metric: &str| -> Vec<(String, u64)> {
        f.by_month
            .iter()
            .map(|(m, row)| {
                (
                    localize::month(lang, m),
                    row.get(metric).copied().unwrap_or(0),
                )
            })
            .collect()
    };
    let charts = vec![
        bars("chart-tips", t.t("pub-fig-chart"), monthly("tips"), lang),
        bars(
            "chart-raids",
            t.t("pub-fig-chart-raids"),
            monthly("locations_raided"),
            lang,
        ),
    ];
    let as_of = t.t1(
        "pub-fig-asof",
        "when",
        localize::date_time(
            lang,
            f.counted_at.unwrap_or_else(time::OffsetDateTime::now_utc),
        ),
    );
    let since = f
        .by_month
        .keys()
        .next()
        .map(|m| t.t1("pub-fig-since", "first", localize::month(lang, m)));
    Ok(FiguresPage {
        t,
        switch_path: "figures",
        headline,
        as_of,
        since,
        charts,
    }
    .into_response())
}

/// Routes of the public figures.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/{lang}/figures", get(page))
}
