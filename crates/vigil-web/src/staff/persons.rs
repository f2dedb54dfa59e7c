//! Persons met: `GET /staff/persons/{id}` (every record of a
//! linked person across raids within the jurisdiction, with the referral
//! reason and, for supervisors, the form acknowledging a victim flag),
//! `POST /staff/persons/records/{id}/ack`, `GET /staff/persons/review` (for
//! supervisors the likely victims waiting for their acknowledgement, by
//! name; for every reviewer the linkage's uncertain pairs) and `POST /staff/persons/review/{id}` (`same`
//! merges the two persons, `different` keeps them apart). Access is decided
//! in `vigil-core` (`persons`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::persons::{self, RecordView, review};
use vigil_core::recruiters::{self, RecordOrigin};
use vigil_core::staff::Session;
use vigil_domain::Capability;

use super::form::StaffForm;
use super::operations::with_status;
use super::persons_form::{PersonLine, line};
use super::{Staff, StaffLang, Who, who};
use crate::display::{unit_name, unit_path, when};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// One record on the person page.
pub struct RecordLine {
    id: i64,
    date: String,
    /// The operation met in, with its reference, for roles that read
    /// operations.
    operation: Option<(i64, String)>,
    province: String,
    role: String,
    nationality: String,
    language: String,
    sex: String,
    minor: bool,
    name: Option<String>,
    other_names: String,
    dob: String,
    documents: Vec<String>,
    indicators: Vec<String>,
    imminent_danger: bool,
    likely_victim: bool,
    referred: bool,
    reason: String,
    /// When, by whom (their name) and the note.
    ack: Option<(String, String, String)>,
    /// The home village's path in the reader's language.
    home: String,
    /// The home commune, for its view.
    home_commune: Option<String>,
    promised_job: String,
    route: String,
    /// The recruiter this record names (a victim's) or is (a recruiter's):
    /// (id, the link's words).
    recruiter: Option<(i64, String)>,
}

/// The other names a record gives, each once, leaving out the one shown
/// as the person's name.
fn other_names(i: &vigil_core::persons::Identity) -> String {
    let shown = i.display_name();
    let mut seen: Vec<&str> = Vec::new();
    for n in i.other_names.iter().map(|n| n.trim()) {
        if !n.is_empty() && n != shown && !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen.join(" · ")
}

fn record_line(
    t: &Tr<'_>,
    r: &RecordView,
    origin: Option<&RecordOrigin>,
    operations: &std::collections::BTreeMap<i64, String>,
    acknowledgers: &std::collections::BTreeMap<i64, String>,
) -> RecordLine {
    let rec = &r.row.record;
    let id = r.identity.as_ref();
    let home = origin.and_then(|o| o.home.as_ref());
    RecordLine {
        home: home
            .map(|h| unit_path(&h.village_code, t.lang))
            .unwrap_or_default(),
        home_commune: home.map(|h| h.commune_code.clone()),
        promised_job: origin.map(|o| o.promised_job.clone()).unwrap_or_default(),
        route: origin.map(|o| o.route.clone()).unwrap_or_default(),
        recruiter: origin.and_then(|o| o.recruiter_id).map(|k| {
            let words = if rec.role == "recruiter" {
                t.t("rec-own-page")
            } else {
                format!(
                    "{} {}",
                    t.t("rec-recruited-by"),
                    t.t1("rec-recruiter", "id", k)
                )
            };
            (k, words)
        }),
        id: r.row.id,
        date: when(t.lang, rec.created_at),
        operation: r
            .row
            .operation_id
            .and_then(|op| operations.get(&op).map(|reference| (op, reference.clone()))),
        province: unit_name(Some(&rec.province_code), t.lang),
        role: t.t(&format!("persons-role-{}", rec.role)),
        nationality: crate::localize::country(t.lang, &rec.nationality),
        language: crate::localize::language(t.lang, &rec.language),
        sex: if rec.sex.is_empty() {
            String::new()
        } else {
            t.t(&format!("persons-sex-{}", rec.sex))
        },
        minor: rec.minor,
        name: id.map(|i| i.display_name()),
        other_names: id.map(other_names).unwrap_or_default(),
        dob: id.map(|i| i.date_of_birth.clone()).unwrap_or_default(),
        documents: id
            .map(|i| {
                i.documents
                    .iter()
                    .map(|d| {
                        let key = format!("persons-doc-{}", d.kind);
                        let kind = match t.t(&key) {
                            k if k == key => d.kind.to_string(),
                            k => k,
                        };
                        let country = if d.country.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", crate::localize::country(t.lang, &d.country))
                        };
                        format!("{kind} {}{country}", d.number)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        indicators: rec
            .indicators
            .iter()
            .map(|c| crate::reasons::indicator_label(t, c))
            .collect(),
        imminent_danger: rec.imminent_danger,
        likely_victim: rec.likely_victim,
        referred: rec.referred,
        reason: crate::reasons::referral(t, &rec.referral_reason),
        ack: r.row.victim_ack.as_ref().map(|(by, at, note)| {
            let name = acknowledgers
                .get(&by.0)
                .cloned()
                .unwrap_or_else(|| format!("#{}", by.0));
            (when(t.lang, *at), name, note.clone())
        }),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/person.html")]
struct PersonPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    /// The name from the latest record that gives one.
    name: Option<String>,
    records: Vec<RecordLine>,
    acknowledges: bool,
    error: Option<(i64, String)>,
}

async fn person_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    id: i64,
) -> Result<PersonPage<'a>, CoreError> {
    let view = persons::person(&state.vigil.persons, &s.principal, id).await?;
    let origins = recruiters::origins(&state.vigil.persons, &s.principal, &view).await?;
    let acknowledgers = persons::acknowledgers(&state.vigil.persons, &s.principal, &view).await?;
    Ok(PersonPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        id: view.id,
        name: view
            .records
            .iter()
            .rev()
            .filter_map(|r| r.identity.as_ref().map(|i| i.display_name()))
            .find(|n| !n.is_empty()),
        records: view
            .records
            .iter()
            .map(|r| {
                record_line(
                    &t,
                    r,
                    origins.get(&r.row.id),
                    &view.operations,
                    &acknowledgers,
                )
            })
            .collect(),
        acknowledges: s.principal.role.can(Capability::AcknowledgeVictims),
        error: None,
    })
}

/// `GET /staff/persons/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let page = person_page(&state, t, &s, id).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// The acknowledgement form.
#[derive(Debug, Default, Deserialize)]
pub struct AckForm {
    #[serde(default)]
    note: String,
}

/// `POST /staff/persons/records/{id}/ack`: a supervisor acknowledges a
/// record's victim flag.
pub async fn acknowledge(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(record): Path<i64>,
    StaffForm(s, f): StaffForm<AckForm>,
) -> Result<Response, PageError> {
    let v = &state.vigil;
    match persons::acknowledge(&v.persons, &s.principal, record, &f.note).await {
        Ok(()) => {
            let person = persons::person_of_record(&v.persons, &s.principal, record).await?;
            Ok(Redirect::to(&format!("/staff/persons/{person}")).into_response())
        }
        Err(CoreError::InvalidField(fe)) => {
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let person = persons::person_of_record(&v.persons, &s.principal, record).await?;
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = person_page(&state, t, &s, person).await?;
            page.error = Some((record, message));
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// One pair in the review queue.
pub struct PairLine {
    id: i64,
    score: String,
    reasons: Vec<String>,
    a: PersonLine,
    b: PersonLine,
    a_place: String,
    b_place: String,
}

/// A likely victim waiting for a supervisor.
pub struct FlagLine {
    person: i64,
    name: String,
    role: String,
    nationality: String,
    /// Where and when they were met.
    place: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/person_review.html")]
struct ReviewPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    /// For those who acknowledge: the flags waiting for them.
    flags: Option<Vec<FlagLine>>,
    pairs: Vec<PairLine>,
}

/// `GET /staff/persons/review`.
pub async fn review_queue(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let found = review::pending(&state.vigil.persons, &s.principal).await?;
    let place = |r: &RecordView| {
        format!(
            "{} · {}",
            unit_name(Some(&r.row.record.province_code), t.lang),
            when(t.lang, r.row.record.created_at)
        )
    };
    let flags = if s.principal.role.can(Capability::AcknowledgeVictims) {
        Some(
            persons::victims_to_acknowledge(&state.vigil.persons, &s.principal)
                .await?
                .iter()
                .map(|r| FlagLine {
                    person: r.row.person_id,
                    name: r
                        .identity
                        .as_ref()
                        .map(|i| i.display_name())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| t.t1("persons-person", "id", r.row.person_id)),
                    role: t.t(&format!("persons-role-{}", r.row.record.role)),
                    nationality: crate::localize::country(t.lang, &r.row.record.nationality),
                    place: place(r),
                })
                .collect(),
        )
    } else {
        None
    };
    let pairs = found
        .iter()
        .map(|p| PairLine {
            id: p.row.id,
            score: format!("{:.0} %", p.row.score * 100.0),
            reasons: p
                .reasons
                .iter()
                .map(|r| crate::reasons::match_reason(&t, r))
                .collect(),
            a: line(&t, &p.a),
            b: line(&t, &p.b),
            a_place: place(&p.a),
            b_place: place(&p.b),
        })
        .collect();
    let page = ReviewPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        flags,
        pairs,
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The decision form: `same` or `different`.
#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
}

/// `POST /staff/persons/review/{id}`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<DecideForm>,
) -> Result<Redirect, PageError> {
    let same = match f.decision.as_str() {
        "same" => true,
        "different" => false,
        _ => {
            return Err(vigil_core::error::invalid(
                "decision",
                (
                    vigil_core::FieldMessage::NotAChoice,
                    "choices",
                    "same, different",
                ),
            )
            .into());
        }
    };
    let person = review::decide(&state.vigil.persons, &s.principal, id, same).await?;
    Ok(if same {
        Redirect::to(&format!("/staff/persons/{person}"))
    } else {
        Redirect::to("/staff/persons/review")
    })
}

/// Routes of persons met: the review queue, a person, acknowledgements.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/persons/review", get(review_queue))
        .route("/staff/persons/review/{id}", post(decide))
        .route("/staff/persons/{id}", get(show))
        .route("/staff/persons/records/{id}/ack", post(acknowledge))
}
