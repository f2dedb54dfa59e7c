//! Recruitment by place: `GET /staff/areas/{code}` (a district or commune:
//! recruiters active there, victims by home village with small counts
//! hidden, arrests, a monthly trend drawn as SVG, recent tips and a small
//! map), `GET /staff/prevention` and `GET /staff/prevention.csv` (communes
//! ranked for awareness visits). Counts, hiding and the audit are decided in
//! `vigil-core` (`recruiters`).

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use vigil_core::recruiters::{self, PREVENTION_WINDOW_DAYS, PreventionRow};
use vigil_domain::gazetteer::{Level, gazetteer, name_key};
use vigil_domain::places::{LatLon, Place, atlas};

use super::recruiters::status;
use super::svg::round1;
use super::{Staff, StaffLang, Who, who};
use crate::display::{unit_name, when};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// A recruiter active in the area.
pub struct RecruiterLine {
    id: i64,
    status: (&'static str, String),
    victims: u64,
    last_seen: String,
}

/// One month of the trend, placed: bars start at [`TREND_LEFT`].
pub struct MonthBars {
    month: String,
    y: f64,
    tips: u64,
    tips_w: f64,
    /// `None`: fewer than three victims (no bar, the words instead).
    victims: Option<u64>,
    victims_w: f64,
}

/// The trend drawing's width: it fits a 360 px phone without scaling.
const TREND_WIDTH: f64 = 340.0;
/// Where bars start, after the month.
const TREND_LEFT: f64 = 62.0;
/// Room kept right of the longest bar for its value.
const TREND_VALUE_ROOM: f64 = 64.0;
/// One month's height: two bars and a gap.
const TREND_ROW: f64 = 30.0;
const TREND_BAR: f64 = 11.0;

/// The months of the trend, oldest first, with bar lengths proportional to
/// the largest value of either series.
fn trend(view: &recruiters::AreaView) -> (Vec<MonthBars>, f64) {
    let months: BTreeSet<&String> = view
        .tips_by_month
        .keys()
        .chain(view.victims_by_month.keys())
        .collect();
    let max = view
        .tips_by_month
        .values()
        .copied()
        .chain(view.victims_by_month.values().filter_map(|v| *v))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let room = TREND_WIDTH - TREND_LEFT - TREND_VALUE_ROOM;
    let len = |n: u64| round1(n as f64 / max * room);
    let bars: Vec<MonthBars> = months
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let tips = view.tips_by_month.get(m).copied().unwrap_or(0);
            let victims = view.victims_by_month.get(m).copied().unwrap_or(Some(0));
            MonthBars {
                month: m.clone(),
                y: i as f64 * TREND_ROW + 4.0,
                tips,
                tips_w: len(tips),
                victims,
                victims_w: victims.map(len).unwrap_or(0.0),
            }
        })
        .collect();
    let height = bars.len() as f64 * TREND_ROW + 8.0;
    (bars, height)
}

/// The area's small map: the country and one marker.
pub struct AreaMap {
    width: f64,
    height: f64,
    outline: String,
    x: f64,
    y: f64,
    precision: String,
}

/// Where a district or commune is drawn and how precisely: an atlas place
/// named like the commune in its district, else the district's places,
/// else the province's.
fn locate(code: &str) -> Option<(LatLon, &'static str)> {
    let g = gazetteer();
    let unit = g.get(code)?;
    let a = atlas();
    if unit.level == Level::Commune {
        let (en, km) = (name_key(&unit.name_en), name_key(&unit.name_km));
        let district = code.get(..4);
        if let Some(p) = a.places().iter().find(|p| {
            p.district.as_deref() == district && {
                let k = name_key(&p.name);
                k == en || k == km
            }
        }) {
            return Some((p.at, "rec-area-at-commune"));
        }
    }
    if let Some(at) = code.get(..4).and_then(|d| a.centroid(d)) {
        return Some((
            at,
            if unit.level == Level::District {
                "rec-area-at-commune"
            } else {
                "rec-area-at-district"
            },
        ));
    }
    code.get(..2)
        .and_then(|p| a.centroid(p))
        .map(|at| (at, "rec-area-at-province"))
}

fn area_map(t: &Tr<'_>, code: &str) -> Option<AreaMap> {
    let (at, precision) = locate(code)?;
    let pts: Vec<&Place> = atlas().places().iter().collect();
    let (frame, outline, _) = super::map::base(&pts, 220.0, 8.0);
    let (x, y) = frame.xy(at);
    Some(AreaMap {
        width: frame.width,
        height: frame.height,
        outline,
        x,
        y,
        precision: t.t(precision),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/area.html")]
struct AreaPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    code: String,
    title: String,
    commune: bool,
    /// The district above a commune: (code, name).
    up: Option<(String, String)>,
    province: String,
    province_code: String,
    /// The communes of a district: (code, name).
    down: Vec<(String, String)>,
    recruiters: Vec<RecruiterLine>,
    villages: Vec<(String, String, Option<u64>)>,
    victims: Option<u64>,
    arrests: u64,
    months: Vec<MonthBars>,
    trend_width: f64,
    trend_height: f64,
    trend_left: f64,
    trend_bar: f64,
    recent_tips: Vec<i64>,
    map: Option<AreaMap>,
}

/// `GET /staff/areas/{code}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let l = lang.0;
    let view = recruiters::area(&state.vigil.persons, &s.principal, &code).await?;
    let code = view.area.code().to_string();
    let g = gazetteer();
    let commune = code.len() == 6;
    let name = unit_name(Some(&code), l);
    let title = t.t1(
        if commune {
            "rec-area-commune"
        } else {
            "rec-area-district"
        },
        "name",
        name,
    );
    let up = commune.then(|| (code[..4].to_string(), unit_name(Some(&code[..4]), l)));
    let down = if commune {
        Vec::new()
    } else {
        g.children(&code)
            .map(|u| (u.code.clone(), unit_name(Some(&u.code), l)))
            .collect()
    };
    let (months, trend_height) = trend(&view);
    let page = AreaPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        title,
        commune,
        up,
        province: t.t1("rec-area-province", "name", unit_name(Some(&code[..2]), l)),
        province_code: code[..2].to_string(),
        down,
        recruiters: view
            .recruiters
            .iter()
            .map(|r| RecruiterLine {
                id: r.id,
                status: status(&t, r.status.code()),
                victims: r.victims,
                last_seen: when(t.lang, r.last_seen),
            })
            .collect(),
        villages: view
            .villages
            .iter()
            .map(|(v, n)| (v.clone(), unit_name(Some(v), l), *n))
            .collect(),
        victims: view.victims,
        arrests: view.arrests,
        months,
        trend_width: TREND_WIDTH,
        trend_height,
        trend_left: TREND_LEFT,
        trend_bar: TREND_BAR,
        recent_tips: view.recent_tips.iter().map(|t| t.0).collect(),
        map: area_map(&t, &code),
        code,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// A commune on the prevention list, as shown.
pub struct PreventionLine {
    rank: usize,
    code: String,
    province: String,
    district: String,
    commune: String,
    victims: Option<u64>,
    recent: Option<u64>,
    active: u64,
    arrests: u64,
    tips: u64,
    score: String,
}

fn prevention_line(rank: usize, r: &PreventionRow, lang: &str) -> PreventionLine {
    let c = &r.commune_code;
    PreventionLine {
        rank,
        code: c.clone(),
        province: unit_name(c.get(..2), lang),
        district: unit_name(c.get(..4), lang),
        commune: unit_name(Some(c), lang),
        victims: r.victims,
        recent: r.recent_victims,
        active: r.active_recruiters,
        arrests: r.recent_arrests,
        tips: r.recent_tips,
        score: format!("{:.1}", r.score),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/prevention.html")]
struct PreventionPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    days: i64,
    rows: Vec<PreventionLine>,
}

/// `GET /staff/prevention`.
pub async fn prevention(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let found = recruiters::prevention(
        &state.vigil.persons,
        &s.principal,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    let page = PreventionPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        days: PREVENTION_WINDOW_DAYS,
        rows: found
            .iter()
            .enumerate()
            .map(|(i, r)| prevention_line(i + 1, r, lang.0))
            .collect(),
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A count as the CSV writes it: `<3` when hidden.
fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "<3".to_string(), |n| n.to_string())
}

/// `GET /staff/prevention.csv`: the same list with names in Khmer and
/// English.
pub async fn prevention_csv(
    State(state): State<AppState>,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let found = recruiters::prevention(
        &state.vigil.persons,
        &s.principal,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    let mut out = String::from(
        "rank,commune_code,province_km,province_en,district_km,district_en,commune_km,\
         commune_en,victims,recent_victims,active_recruiters,recent_arrests,recent_tips,score\n",
    );
    for (i, r) in found.iter().enumerate() {
        let (km, en) = (
            prevention_line(i + 1, r, "km"),
            prevention_line(i + 1, r, "en"),
        );
        let cells = [
            km.rank.to_string(),
            km.code.clone(),
            km.province,
            en.province,
            km.district,
            en.district,
            km.commune,
            en.commune,
            count(r.victims),
            count(r.recent_victims),
            r.active_recruiters.to_string(),
            r.recent_arrests.to_string(),
            r.recent_tips.to_string(),
            km.score,
        ];
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"prevention.csv\""),
    );
    Ok(res)
}

/// Routes of the commune view and the prevention list.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/areas/{code}", get(show))
        .route("/staff/prevention", get(prevention))
        .route("/staff/prevention.csv", get(prevention_csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed_and_small_counts_hidden() {
        assert_eq!(field("Prey Veng"), "Prey Veng");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(count(None), "<3");
        assert_eq!(count(Some(4)), "4");
    }

    #[test]
    fn communes_are_placed_at_least_at_their_province() {
        let g = gazetteer();
        for p in g.provinces() {
            for d in g.children(&p.code).take(2) {
                assert!(locate(&d.code).is_some(), "district {}", d.code);
                for c in g.children(&d.code).take(3) {
                    assert!(locate(&c.code).is_some(), "commune {}", c.code);
                }
            }
        }
        assert!(locate("nowhere").is_none());
    }
}
