//! The figures for staff: `GET /staff/dashboard?from=&to=&province=` (the
//! counts of a period within the jurisdiction, by province and month, the
//! recruiters arrested by commune, with charts drawn as SVG) and
//! `GET /staff/dashboard.csv` (the same counts, one line per place or month
//! and figure). Counting is `vigil_core::figures`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::figures::{self, Figures, Period, Row};

use super::{Staff, StaffLang, Who, who};
use crate::charts::{Chart, bars};
use crate::display::unit_name;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::localize;
use crate::state::AppState;

/// The filter, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    /// First day (`YYYY-MM-DD`).
    #[serde(default)]
    from: String,
    /// Last day (`YYYY-MM-DD`).
    #[serde(default)]
    to: String,
    /// One province of the jurisdiction.
    #[serde(default)]
    province: String,
}

/// The figures shown as columns of the province and month tables, in order.
pub const COLUMNS: [&str; 9] = [
    "tips",
    "facilities",
    "locations_raided",
    "networks_dismantled",
    "devices_seized.computer",
    "devices_seized.smartphone",
    "devices_seized",
    "recruiters_arrested.domestic",
    "recruiters_arrested.foreign",
];

/// A line of a table: its label and one value per [`COLUMNS`] entry.
pub struct Line {
    code: String,
    label: String,
    values: Vec<u64>,
    /// The values as the reader's locale writes them.
    shown: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    from: String,
    to: String,
    province: String,
    provinces: Vec<(String, String)>,
    headline: Vec<(String, String, String)>,
    as_of: String,
    columns: Vec<String>,
    by_province: Vec<Line>,
    by_month: Vec<Line>,
    /// Recruiters arrested by commune: (code, "commune, district, province"
    /// in the reader's language, count).
    by_commune: Vec<(String, String, String)>,
    charts: Vec<Chart>,
    csv: String,
}

/// A column's value in a row: every device kind adds up to `devices_seized`.
fn cell(row: &Row, column: &str) -> u64 {
    if column == "devices_seized" {
        row.iter()
            .filter(|(k, _)| k.starts_with("devices_seized."))
            .map(|(_, n)| n)
            .sum()
    } else {
        row.get(column).copied().unwrap_or(0)
    }
}

fn line(code: &str, label: String, row: &Row, lang: &str) -> Line {
    let values: Vec<u64> = COLUMNS.iter().map(|c| cell(row, c)).collect();
    Line {
        code: code.to_string(),
        label,
        shown: values.iter().map(|v| localize::count(lang, *v)).collect(),
        values,
    }
}

async fn load(
    state: &AppState,
    s: &super::Session,
    q: &DashboardQuery,
) -> Result<Figures, CoreError> {
    let period = Period::parse(&q.from, &q.to)?;
    let province = Some(q.province.trim()).filter(|p| !p.is_empty());
    figures::for_staff(&state.vigil.figures, &s.principal, period, province).await
}

fn province_label(code: &str, lang: &str, t: &Tr<'_>) -> String {
    if code.is_empty() {
        t.t("dash-no-province")
    } else {
        let name = unit_name(Some(code), lang);
        if name.is_empty() {
            code.to_string()
        } else {
            name
        }
    }
}

/// A commune as a reader finds it: its name, its district's and its
/// province's, in their language; `""` is "no commune".
fn commune_label(code: &str, lang: &str, t: &Tr<'_>) -> String {
    if code.len() != 6 {
        return t.t("dash-no-commune");
    }
    let parts: Vec<String> = [code, &code[..4], &code[..2]]
        .into_iter()
        .map(|c| unit_name(Some(c), lang))
        .filter(|n| !n.is_empty())
        .collect();
    if parts.is_empty() {
        code.to_string()
    } else {
        parts.join(", ")
    }
}

/// `GET /staff/dashboard`.
pub async fn page(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let f = load(&state, &s, &q).await?;
    let mut headline = vec![
        ("tips", f.tips),
        ("facilities", f.facilities),
        ("locations_raided", f.locations_raided),
        ("networks_dismantled", f.networks_dismantled),
        ("persons_met", f.persons_met),
        ("victims_identified", f.victims_identified),
        ("victims_referred", f.victims_referred),
        ("deportations", f.deportations),
        ("voluntary_departures", f.voluntary_departures),
        ("detentions", f.detentions),
        ("cases", f.cases),
        ("named_cases", f.named_cases),
        ("defendants_prosecuted", f.defendants_prosecuted),
        ("defendants_convicted", f.defendants_convicted),
        ("rewards_awarded", f.rewards_awarded),
        ("rewards_claimed", f.rewards_claimed),
        ("recruiters_arrested", f.recruiters_arrested),
        (
            "recruiters_arrested.domestic",
            f.recruiters_arrested_domestic,
        ),
        ("recruiters_arrested.foreign", f.recruiters_arrested_foreign),
    ]
    .into_iter()
    .map(|(k, n)| {
        (
            k.to_string(),
            t.t(&format!("fig-{}", k.replace('.', "-"))),
            localize::count(lang.0, n),
        )
    })
    .collect::<Vec<_>>();
    for (kind, n) in &f.devices_seized {
        headline.push((
            format!("devices_seized.{kind}"),
            format!(
                "{} · {}",
                t.t("fig-devices_seized"),
                t.t(&format!("item-kind-{kind}"))
            ),
            localize::count(lang.0, *n),
        ));
    }
    let by_province: Vec<Line> = f
        .by_province
        .iter()
        .map(|(code, row)| line(code, province_label(code, lang.0, &t), row, lang.0))
        .collect();
    let by_month: Vec<Line> = f
        .by_month
        .iter()
        .map(|(m, row)| line(m, localize::month(lang.0, m), row, lang.0))
        .collect();
    let by_commune: Vec<(String, String, String)> = f
        .recruiters_arrested_by_commune
        .iter()
        .map(|(code, n)| {
            (
                code.clone(),
                commune_label(code, lang.0, &t),
                localize::count(lang.0, *n),
            )
        })
        .collect();
    let raids = COLUMNS
        .iter()
        .position(|c| *c == "locations_raided")
        .unwrap_or(0);
    let charts = vec![
        bars(
            "chart-raids-by-month",
            t.t("dash-chart-raids-month"),
            by_month
                .iter()
                .map(|l| (l.label.clone(), l.values[raids]))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-raids-by-province",
            t.t("dash-chart-raids-province"),
            by_province
                .iter()
                .map(|l| (l.label.clone(), l.values[raids]))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-persons-by-nationality",
            t.t("dash-chart-nationality"),
            f.persons_by_nationality
                .iter()
                .map(|(k, n)| (localize::country(lang.0, k), *n))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-persons-by-role",
            t.t("dash-chart-roles"),
            f.persons_by_role
                .iter()
                .map(|(k, n)| (t.t(&format!("fig-role-{k}")), *n))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-departures-by-nationality",
            t.t("dash-chart-departures"),
            f.departures_by_nationality
                .iter()
                .map(|(k, (d, vol))| (localize::country(lang.0, k), d + vol))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-recruiters-by-province",
            t.t("dash-chart-recruiters-province"),
            f.recruiters_arrested_by_province
                .iter()
                .map(|(k, n)| (province_label(k, lang.0, &t), *n))
                .collect(),
            lang.0,
        ),
        bars(
            "chart-devices",
            t.t("dash-chart-devices"),
            f.devices_seized
                .iter()
                .map(|(k, n)| (t.t(&format!("item-kind-{k}")), *n))
                .collect(),
            lang.0,
        ),
    ];
    let provinces = match s.principal.jurisdiction.provinces() {
        Some(list) => list.to_vec(),
        None => vigil_domain::gazetteer::gazetteer()
            .provinces()
            .map(|u| u.code.clone())
            .collect(),
    }
    .into_iter()
    .map(|c| {
        let label = province_label(&c, lang.0, &t);
        (c, label)
    })
    .collect();
    let csv = format!(
        "/staff/dashboard.csv?from={}&to={}&province={}",
        q.from.trim(),
        q.to.trim(),
        q.province.trim()
    );
    let as_of = t.t1(
        "pub-fig-asof",
        "when",
        localize::date_time(
            lang.0,
            f.counted_at.unwrap_or_else(time::OffsetDateTime::now_utc),
        ),
    );
    let page = DashboardPage {
        columns: COLUMNS
            .iter()
            .map(|c| t.t(&format!("fig-{}", c.replace('.', "-"))))
            .collect(),
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        t,
        from: q.from.trim().to_string(),
        to: q.to.trim().to_string(),
        province: q.province.trim().to_string(),
        provinces,
        headline,
        as_of,
        by_province,
        by_month,
        by_commune,
        charts,
        csv,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The CSV of the figures: `dimension,key,figure,count`, where the dimension
/// is `total`, `province` (gazetteer code), `month` (`YYYY-MM`) or `commune`
/// (gazetteer code, for the recruiters arrested; empty: no commune named).
pub fn to_csv(f: &Figures) -> String {
    let mut out = String::from("dimension,key,figure,count\n");
    let mut total = Row::new();
    total.insert("tips".into(), f.tips);
    total.insert("facilities".into(), f.facilities);
    total.insert("locations_raided".into(), f.locations_raided);
    total.insert("networks_dismantled".into(), f.networks_dismantled);
    for (k, n) in &f.devices_seized {
        total.insert(format!("devices_seized.{k}"), *n);
    }
    total.insert("persons_met".into(), f.persons_met);
    total.insert("victims_identified".into(), f.victims_identified);
    total.insert("victims_referred".into(), f.victims_referred);
    for (k, n) in &f.persons_by_role {
        total.insert(format!("persons_by_role.{k}"), *n);
    }
    for (k, n) in &f.persons_by_nationality {
        total.insert(format!("persons_by_nationality.{k}"), *n);
    }
    total.insert("deportations".into(), f.deportations);
    total.insert("voluntary_departures".into(), f.voluntary_departures);
    total.insert("detentions".into(), f.detentions);
    total.insert("deportation_orders".into(), f.deportation_orders);
    for (k, (d, vol)) in &f.departures_by_nationality {
        total.insert(format!("deportations.{k}"), *d);
        total.insert(format!("voluntary_departures.{k}"), *vol);
    }
    total.insert("cases".into(), f.cases);
    total.insert("named_cases".into(), f.named_cases);
    total.insert("defendants_prosecuted".into(), f.defendants_prosecuted);
    total.insert("defendants_convicted".into(), f.defendants_convicted);
    total.insert("rewards_awarded".into(), f.rewards_awarded);
    total.insert("rewards_claimed".into(), f.rewards_claimed);
    total.insert("recruiters_arrested".into(), f.recruiters_arrested);
    total.insert(
        "recruiters_arrested.domestic".into(),
        f.recruiters_arrested_domestic,
    );
    total.insert(
        "recruiters_arrested.foreign".into(),
        f.recruiters_arrested_foreign,
    );
    let communes: Vec<(String, Row)> = f
        .recruiters_arrested_by_commune
        .iter()
        .map(|(k, n)| (k.clone(), Row::from([("recruiters_arrested".into(), *n)])))
        .collect();
    let tables = [("total", vec![(String::new(), &total)])]
        .into_iter()
        .chain([
            (
                "province",
                f.by_province.iter().map(|(k, r)| (k.clone(), r)).collect(),
            ),
            (
                "month",
                f.by_month.iter().map(|(k, r)| (k.clone(), r)).collect(),
            ),
            (
                "commune",
                communes.iter().map(|(k, r)| (k.clone(), r)).collect(),
            ),
        ]);
    for (dimension, rows) in tables {
        for (key, row) in rows {
            for (figure, n) in row {
                out.push_str(&format!("{dimension},{key},{figure},{n}\n"));
            }
        }
    }
    out
}

/// `GET /staff/dashboard.csv`.
pub async fn csv(
    State(state): State<AppState>,
    Staff(s): Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let f = load(&state, &s, &q).await?;
    let mut res = to_csv(&f).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"vigil-figures.csv\""),
    );
    Ok(res)
}

/// Routes of the dashboard.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/dashboard", get(page))
        .route("/staff/dashboard.csv", get(csv))
}
