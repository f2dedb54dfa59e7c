//! `GET /staff/map` and `GET /staff/map/{province}`: facilities and tips by
//! province, and by district within a province, drawn as SVG on the server
//! from the gazetteer's places (no tiles, nothing fetched from elsewhere).
//! The facility page's small map is drawn here too.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use vigil_core::atlas::{self, MapView, Precision};
use vigil_domain::places::{ATTRIBUTION, LatLon, Place, atlas as places};

use super::svg::{Frame, closed_path, hull};
use super::{Staff, StaffLang, who};
use crate::display::unit_name;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// A place with something in it, as drawn and listed.
pub struct SpotLine {
    code: String,
    name: String,
    tips: i64,
    facilities: i64,
    band: &'static str,
    /// Where it is drawn; `None`: listed only.
    xy: Option<(f64, f64)>,
    r: f64,
    /// The district map of a province (country level only).
    zoom: Option<String>,
    /// The facility queue it links to.
    queue: String,
}

/// A small dot for each gazetteer place in the drawing.
pub struct Dot {
    x: f64,
    y: f64,
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/map.html")]
struct MapPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    title: String,
    province: Option<String>,
    width: f64,
    height: f64,
    outline: String,
    dots: Vec<Dot>,
    spots: Vec<SpotLine>,
    attribution: &'static str,
}

fn radius(facilities: i64, tips: i64) -> f64 {
    if facilities > 0 {
        (5.0 + 3.5 * (facilities as f64).sqrt()).min(30.0)
    } else if tips > 0 {
        3.5
    } else {
        0.0
    }
}

/// The drawing's frame, outline and dots for a set of places.
pub(crate) fn base(pts: &[&Place], width: f64, pad: f64) -> (Frame, String, Vec<Dot>) {
    let at: Vec<LatLon> = pts.iter().map(|p| p.at).collect();
    let frame = Frame::fit(&at, width, pad);
    let xy: Vec<(f64, f64)> = at.iter().map(|p| frame.xy(*p)).collect();
    let outline = closed_path(&hull(&xy));
    let dots = pts
        .iter()
        .zip(&xy)
        .map(|(p, (x, y))| Dot {
            x: *x,
            y: *y,
            name: p.name.clone(),
        })
        .collect();
    (frame, outline, dots)
}

fn render(
    state: &AppState,
    lang: StaffLang,
    s: &vigil_core::staff::Session,
    view: MapView,
) -> Response {
    let t = Tr::new(&state.i18n, lang.0);
    let all = places().places();
    let pts: Vec<&Place> = match &view.province {
        Some(p) => all
            .iter()
            .filter(|x| x.province.as_deref() == Some(p.as_str()))
            .collect(),
        None => all.iter().collect(),
    };
    let (frame, outline, dots) = base(&pts, 640.0, 36.0);
    let mut spots: Vec<SpotLine> = view
        .spots
        .iter()
        .map(|sp| {
            let province = view.province.clone().or_else(|| sp.code.clone());
            SpotLine {
                code: sp.code.clone().unwrap_or_default(),
                name: match &sp.code {
                    Some(c) => unit_name(Some(c), lang.0),
                    None => t.t("staff-map-unplaced"),
                },
                tips: sp.tips,
                facilities: sp.facilities,
                band: sp.band.as_str(),
                xy: sp.at.map(|a| frame.xy(a)),
                r: radius(sp.facilities, sp.tips),
                zoom: match (&view.province, &sp.code) {
                    (None, Some(c)) => Some(c.clone()),
                    _ => None,
                },
                queue: province.map_or_else(
                    || "/staff/facilities".to_string(),
                    |p| format!("/staff/facilities?province={p}"),
                ),
            }
        })
        .collect();
    // Big circles first so small ones stay clickable on top.
    spots.sort_by(|a, b| b.r.total_cmp(&a.r).then(a.code.cmp(&b.code)));
    let title = match &view.province {
        Some(p) => t.t1("staff-map-province", "name", unit_name(Some(p), lang.0)),
        None => t.t("staff-map"),
    };
    let page = MapPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        title,
        province: view.province.clone(),
        width: frame.width,
        height: frame.height,
        outline,
        dots,
        spots,
        attribution: ATTRIBUTION,
    };
    lang.remember(state, page.into_response())
}

/// `GET /staff/map`.
pub async fn country(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let view = atlas::country(&state.vigil.desk, &s.principal).await?;
    Ok(render(&state, lang, &s, view))
}

/// `GET /staff/map/{province}`.
pub async fn province(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let view = atlas::province(&state.vigil.desk, &s.principal, &code).await?;
    Ok(render(&state, lang, &s, view))
}

/// The facility page's small map: the country with one marker.
pub struct MiniMap {
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// The country's outline.
    pub outline: String,
    /// The marker.
    pub x: f64,
    /// The marker.
    pub y: f64,
    /// How precise the marker is, in words.
    pub precision: String,
}

/// A small map placing a facility, if anything places it.
pub fn mini_map(
    t: &Tr<'_>,
    facility: &vigil_core::views::Facility,
    tips: &[vigil_core::views::Tip],
) -> Option<MiniMap> {
    let (at, precision) = atlas::place_of(facility, tips)?;
    let pts: Vec<&Place> = places().places().iter().collect();
    let (frame, outline, _) = base(&pts, 220.0, 8.0);
    let (x, y) = frame.xy(at);
    Some(MiniMap {
        width: frame.width,
        height: frame.height,
        outline,
        x,
        y,
        precision: t.t(match precision {
            Precision::Coordinates => "staff-map-precise",
            Precision::Place => "staff-map-place",
            Precision::Province => "staff-map-province-only",
        }),
    })
}

/// Routes of the maps.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/map", get(country))
        .route("/staff/map/{province}", get(province))
}
