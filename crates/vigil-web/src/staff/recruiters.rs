//! Local recruiters: `GET /staff/recruiters` (the list within the
//! jurisdiction) and `GET /staff/recruiters/{id}` (one recruiter: status,
//! contacts, victims and their home communes, arrests, the tips,
//! compounds and exit screenings that name them). Who may read what, and
//! the audit, are decided in `vigil-core` (`recruiters`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use vigil_core::recruiters;

use super::{Staff, StaffLang, Who, who};
use crate::display::{unit_name, unit_path, when};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// How many recruiters the list shows.
const LIST: i64 = 200;

/// A status in the reader's language, with its code for styling.
pub(crate) fn status(t: &Tr<'_>, code: &'static str) -> (&'static str, String) {
    (code, t.t(&format!("rec-status-{code}")))
}

/// One recruiter in the list.
pub struct ListLine {
    id: i64,
    status: (&'static str, String),
    victims: u64,
    communes: u64,
    last_seen: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/recruiters.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    rows: Vec<ListLine>,
}

/// `GET /staff/recruiters`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let found = recruiters::list(&state.vigil.persons, &s.principal, LIST).await?;
    let rows = found
        .iter()
        .map(|r| ListLine {
            id: r.id,
            status: status(&t, r.status.code()),
            victims: r.victims,
            communes: r.communes,
            last_seen: when(t.lang, r.last_seen),
        })
        .collect();
    let page = ListPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        rows,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// A victim on the recruiter's page.
pub struct VictimLine {
    person: i64,
    name: Option<String>,
    home: String,
    commune: Option<(String, String)>,
    job: String,
    route: String,
    date: String,
}

/// An arrest on the recruiter's page.
pub struct ArrestLine {
    operation: i64,
    commune: Option<(String, String)>,
    province: String,
    foreign: bool,
    date: String,
}

/// A screening naming the recruiter.
pub struct ScreeningLine {
    id: i64,
    post: String,
    outcome: String,
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/recruiter.html")]
struct RecruiterPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    status: (&'static str, String),
    person: Option<i64>,
    name: Option<String>,
    nationalities: String,
    homes: Vec<String>,
    /// (kind, kind in words, value).
    contacts: Vec<(String, String, String)>,
    victims: Vec<VictimLine>,
    elsewhere: usize,
    communes: Vec<(String, String, u64)>,
    arrests: Vec<ArrestLine>,
    tips: Vec<i64>,
    facilities: Vec<i64>,
    screenings: Vec<ScreeningLine>,
}

use crate::display::kind_label;

/// `(code, name)` of a commune, for a link to its view.
fn commune(code: &str, lang: &str) -> (String, String) {
    (code.to_string(), unit_name(Some(code), lang))
}

/// `GET /staff/recruiters/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let l = lang.0;
    let v = recruiters::recruiter(&state.vigil.persons, &s.principal, id).await?;
    let victims = v
        .victims
        .iter()
        .map(|x| VictimLine {
            person: x.person_id,
            name: x.name.clone(),
            home: x
                .home
                .as_ref()
                .map(|h| unit_path(&h.village_code, l))
                .unwrap_or_default(),
            commune: x.home.as_ref().map(|h| commune(&h.commune_code, l)),
            job: x.promised_job.clone(),
            route: x.route.clone(),
            date: when(t.lang, x.recorded_at),
        })
        .collect();
    let mut communes: Vec<(String, String, u64)> = v
        .communes
        .iter()
        .map(|(code, n)| (code.clone(), unit_path(code, l), *n))
        .collect();
    communes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let arrests = v
        .arrests
        .iter()
        .map(|a| ArrestLine {
            operation: a.operation_id,
            commune: a.commune_code.as_deref().map(|c| commune(c, l)),
            province: unit_name(Some(&a.province_code), l),
            foreign: a.foreign_national,
            date: when(t.lang, a.arrested_at),
        })
        .collect();
    let screenings = v
        .screenings
        .iter()
        .map(|m| ScreeningLine {
            id: m.id,
            post: vigil_domain::posts::post(&m.post)
                .map(|p| p.name(l).to_string())
                .unwrap_or_else(|| m.post.clone()),
            outcome: t.t(&format!("screen-outcome-{}", m.outcome)),
            date: when(t.lang, m.at),
        })
        .collect();
    let page = RecruiterPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        id: v.id,
        status: status(&t, v.status.code()),
        person: v.person_id,
        name: v.name.clone(),
        nationalities: v
            .nationalities
            .iter()
            .map(|c| crate::localize::country(t.lang, c))
            .collect::<Vec<_>>()
            .join(", "),
        homes: v
            .homes
            .iter()
            .map(|h| unit_path(&h.village_code, l))
            .collect(),
        contacts: v
            .contacts
            .iter()
            .map(|(_, k, val)| (k.clone(), kind_label(&t, k), val.clone()))
            .collect(),
        victims,
        elsewhere: v.victims_elsewhere,
        communes,
        arrests,
        tips: v.tips.iter().map(|t| t.0).collect(),
        facilities: v.facilities.iter().map(|f| f.0).collect(),
        screenings,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// Routes of the recruiter pages.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/recruiters", get(list))
        .route("/staff/recruiters/{id}", get(show))
}
