//! `GET /staff/facilities/{id}/graph` and
//! `GET /staff/observables/{kind}/{value}/graph`: the link graph, drawn as
//! SVG on the server with a fixed radial layout (the centre, a ring around
//! it, a ring outside), every node a link to its page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use vigil_core::atlas::Band;
use vigil_core::graph::{self, Graph, NodeKind};
use vigil_domain::FacilityId;

use super::svg::ring;
use super::{Staff, StaffLang, who};
use crate::display::{facility_name, unit_name};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

const SIZE: f64 = 720.0;

/// A node as drawn.
pub struct NodeView {
    x: f64,
    y: f64,
    href: String,
    label: String,
    title: String,
    /// `facility` or `observable`.
    shape: &'static str,
    /// CSS classes: band for facilities, `lead` for leads, `centre`.
    class: String,
}

/// An edge as drawn.
pub struct EdgeView {
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    lead: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/graph.html")]
struct GraphPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    title: String,
    back: String,
    size: f64,
    nodes: Vec<NodeView>,
    edges: Vec<EdgeView>,
    truncated: bool,
}

/// A path segment for an observable's value (as the observable page reads it).
pub(crate) fn value_path(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('/', "%2F")
        .replace(' ', "%20")
        .replace('?', "%3F")
        .replace('#', "%23")
}

fn short(s: &str) -> String {
    if s.chars().count() > 20 {
        format!("{}…", s.chars().take(19).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Places the nodes: the centre in the middle, ring 1 evenly around it,
/// ring 2 evenly outside in the order of their first neighbour on ring 1
/// (so each sits near what links it). Deterministic.
fn layout(g: &Graph) -> Vec<(f64, f64)> {
    let c = SIZE / 2.0;
    let mut at = vec![(c, c); g.nodes.len()];
    let first: Vec<usize> = (0..g.nodes.len())
        .filter(|i| g.nodes[*i].ring == 1)
        .collect();
    for (i, p) in first.iter().zip(ring(first.len(), c, c, 150.0)) {
        at[*i] = p;
    }
    let parent = |i: usize| {
        g.edges
            .iter()
            .filter_map(|(a, b)| match (a == &i, b == &i) {
                (true, _) => Some(*b),
                (_, true) => Some(*a),
                _ => None,
            })
            .filter(|n| g.nodes[*n].ring == 1)
            .min()
            .unwrap_or(0)
    };
    let mut second: Vec<usize> = (0..g.nodes.len())
        .filter(|i| g.nodes[*i].ring == 2)
        .collect();
    second.sort_by_key(|i| (parent(*i), *i));
    for (i, p) in second.iter().zip(ring(second.len(), c, c, 300.0)) {
        at[*i] = p;
    }
    at
}

fn render(
    state: &AppState,
    lang: StaffLang,
    s: &vigil_core::staff::Session,
    g: &Graph,
    title: String,
    back: String,
) -> Response {
    let t = Tr::new(&state.i18n, lang.0);
    let at = layout(g);
    let lead_of = |i: usize| matches!(g.nodes[i].kind, NodeKind::Observable { lead: true, .. });
    let edges = g
        .edges
        .iter()
        .map(|(a, b)| EdgeView {
            x1: at[*a].0,
            y1: at[*a].1,
            x2: at[*b].0,
            y2: at[*b].1,
            lead: lead_of(*a) || lead_of(*b),
        })
        .collect();
    let nodes = g
        .nodes
        .iter()
        .zip(&at)
        .map(|(n, (x, y))| {
            let centre = if n.ring == 0 { " centre" } else { "" };
            match &n.kind {
                NodeKind::Facility { id, priority, name } => NodeView {
                    x: *x,
                    y: *y,
                    href: format!("/staff/facilities/{id}"),
                    label: short(&facility_name(&t, name, id.0)),
                    title: format!("{} · {:.0}", facility_name(&t, name, id.0), priority),
                    shape: "facility",
                    class: format!("{}{centre}", Band::of(Some(*priority)).as_str()),
                },
                NodeKind::Observable { kind, value, lead } => NodeView {
                    x: *x,
                    y: *y,
                    href: format!("/staff/observables/{kind}/{}", value_path(value)),
                    // A place is a gazetteer code: show its name.
                    label: if kind == "place" {
                        short(&format!("{} ({value})", unit_name(Some(value), lang.0)))
                    } else {
                        short(value)
                    },
                    title: if *lead {
                        format!(
                            "{}: {value} · {}",
                            crate::display::kind_label(&t, kind),
                            t.t("staff-hub")
                        )
                    } else {
                        format!("{}: {value}", crate::display::kind_label(&t, kind))
                    },
                    shape: "observable",
                    class: format!("{}{centre}", if *lead { "lead" } else { "plain" }),
                },
            }
        })
        .collect();
    let page = GraphPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        title,
        back,
        size: SIZE,
        nodes,
        edges,
        truncated: g.truncated,
    };
    lang.remember(state, page.into_response())
}

/// `GET /staff/facilities/{id}/graph`.
pub async fn facility(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let g = graph::around_facility(&state.vigil.desk, &s.principal, FacilityId(id)).await?;
    // The centre is the facility itself.
    let name = match g.nodes.first().map(|n| &n.kind) {
        Some(NodeKind::Facility { name, .. }) => facility_name(&t, name, id),
        _ => t.t1("staff-facility-title", "id", id),
    };
    let title = t.t1("staff-graph-of", "name", name);
    Ok(render(
        &state,
        lang,
        &s,
        &g,
        title,
        format!("/staff/facilities/{id}"),
    ))
}

/// `GET /staff/observables/{kind}/{value}/graph`.
pub async fn observable(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path((kind, value)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let g = graph::around_observable(&state.vigil.desk, &s.principal, &kind, &value).await?;
    let (k, v) = match g.nodes.first().map(|n| &n.kind) {
        Some(NodeKind::Observable { kind, value, .. }) => (kind.clone(), value.clone()),
        _ => (kind.clone(), value.clone()),
    };
    let shown = if k == "place" {
        unit_name(Some(&v), lang.0)
    } else {
        v.clone()
    };
    let title = t.t1(
        "staff-graph-of",
        "name",
        format!("{}: {shown}", crate::display::kind_label(&t, &k)),
    );
    let back = format!("/staff/observables/{k}/{}", value_path(&v));
    Ok(render(&state, lang, &s, &g, title, back))
}

/// Routes of the link graphs.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/observables/{kind}/{value}/graph", get(observable))
        .route("/staff/facilities/{id}/graph", get(facility))
}
