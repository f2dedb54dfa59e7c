//! The "persons met" section of the operation page: the list of
//! persons met in the operation and, for roles that record, the form to add
//! one — `POST /staff/operations/{id}/persons`. A bad field comes back named
//! next to the field, the input kept (422). Access and linkage are decided
//! in `vigil-core` (`persons`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use vigil_core::CoreError;
use vigil_core::persons::{self, DocumentInput, PersonInput, RecordView};
use vigil_core::staff::Session;
use vigil_domain::Capability;
use vigil_domain::victims::Indicator;

use super::StaffLang;
use super::operations::{fresh_csv, fresh_scan, show_page, with_status};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// The add-a-person form, as typed.
#[derive(Debug, Default, Clone)]
pub struct PersonForm {
    pub(crate) csrf: String,
    pub(crate) role: String,
    pub(crate) nationality: String,
    pub(crate) language: String,
    pub(crate) sex: String,
    pub(crate) age: String,
    pub(crate) date_of_birth: String,
    pub(crate) given_name: String,
    pub(crate) family_name: String,
    pub(crate) other_names: String,
    pub(crate) documents: String,
    pub(crate) notes: String,
    pub(crate) indicators: Vec<String>,
    pub(crate) imminent_danger: bool,
    pub(crate) consent: String,
    pub(crate) home_village: String,
    pub(crate) contacts: String,
    pub(crate) promised_job: String,
    pub(crate) route: String,
    pub(crate) arrested: bool,
}

impl PersonForm {
    /// Reads the form's fields; checkboxes (`indicator`) may repeat.
    pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> PersonForm {
        let mut f = PersonForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "role" => f.role = v,
                "nationality" => f.nationality = v,
                "language" => f.language = v,
                "sex" => f.sex = v,
                "age" => f.age = v,
                "date_of_birth" => f.date_of_birth = v,
                "given_name" => f.given_name = v,
                "family_name" => f.family_name = v,
                "other_names" => f.other_names = v,
                "documents" => f.documents = v,
                "notes" => f.notes = v,
                "indicator" => f.indicators.push(v),
                "imminent_danger" => f.imminent_danger = !v.is_empty(),
                "consent" => f.consent = v,
                "home_village" => f.home_village = v,
                "contacts" => f.contacts = v,
                "promised_job" => f.promised_job = v,
                "route" => f.route = v,
                "arrested" => f.arrested = !v.is_empty(),
                _ => {}
            }
        }
        f
    }

    /// The core's input: other names one per line; documents one per line
    /// as `kind, number, country, check digit`.
    pub(crate) fn input(&self, lang: &str) -> PersonInput {
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        };
        let documents = lines(&self.documents)
            .iter()
            .map(|l| {
                let mut parts = l.split(',').map(str::trim);
                DocumentInput {
                    kind: parts.next().unwrap_or_default().to_string(),
                    number: parts.next().unwrap_or_default().to_string(),
                    country: parts.next().unwrap_or_default().to_string(),
                    check_digit: parts.next().unwrap_or_default().to_string(),
                }
            })
            .collect();
        PersonInput {
            role: self.role.clone(),
            nationality: crate::display::country_code(lang, &self.nationality),
            language: crate::display::language_code(lang, &self.language),
            sex: self.sex.clone(),
            age: self.age.clone(),
            date_of_birth: self.date_of_birth.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            other_names: lines(&self.other_names),
            documents,
            notes: self.notes.clone(),
            indicators: self.indicators.clone(),
            imminent_danger: self.imminent_danger,
            consent: self.consent.clone(),
            home_village: self.home_village.clone(),
            contacts: self.contacts.clone(),
            promised_job: self.promised_job.clone(),
            route: self.route.clone(),
            arrested: self.arrested,
        }
    }
}

/// One person met, as listed.
#[derive(Debug, Clone)]
pub struct PersonLine {
    pub(crate) person: i64,
    pub(crate) role: String,
    pub(crate) nationality: String,
    pub(crate) name: Option<String>,
    pub(crate) likely_victim: bool,
    pub(crate) referred: bool,
    pub(crate) acknowledged: bool,
}

/// A record as listed (the operation page and the review queue).
pub(crate) fn line(t: &Tr<'_>, r: &RecordView) -> PersonLine {
    PersonLine {
        person: r.row.person_id,
        role: t.t(&format!("persons-role-{}", r.row.record.role)),
        nationality: r.row.record.nationality.clone(),
        name: r.identity.as_ref().map(|i| i.display_name()),
        likely_victim: r.row.record.likely_victim,
        referred: r.row.record.referred,
        acknowledged: r.row.victim_ack.is_some(),
    }
}

/// The checklist: code, label in the page's language, ticked.
pub(crate) fn checklist(t: &Tr<'_>, ticked: &[String]) -> Vec<(String, String, bool)> {
    Indicator::ALL
        .iter()
        .map(|i| {
            let label = if t.lang == "km" { i.km() } else { i.en() };
            (
                i.code().to_string(),
                label.to_string(),
                ticked.iter().any(|c| c == i.code()),
            )
        })
        .collect()
}

/// What the operation page shows of persons met.
#[derive(Debug, Default)]
pub struct PersonsSection {
    /// The persons met.
    pub(crate) rows: Vec<PersonLine>,
    /// Whether the reader records (sees the form).
    pub(crate) records: bool,
    /// The form as typed.
    pub(crate) form: PersonForm,
    /// The checklist's boxes.
    pub(crate) checklist: Vec<(String, String, bool)>,
    /// A bad field and its message.
    pub(crate) error: Option<(String, String)>,
    /// After adding: the person added.
    pub(crate) added: Option<i64>,
    /// Every country (code, name), suggested as a nationality is typed.
    pub(crate) countries: Vec<(&'static str, String)>,
    /// Languages (code, name), suggested as a language is typed.
    pub(crate) languages: Vec<(&'static str, String)>,
}

impl PersonsSection {
    /// The error's message if it is about `field` (or one of its parts).
    pub(crate) fn error_for(&self, field: &str) -> Option<&str> {
        self.error.as_ref().and_then(|(f, m)| {
            let hit = f == field
                || f.strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'));
            hit.then_some(m.as_str())
        })
    }
}

/// The section for operation `id`.
pub(crate) async fn persons_section(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    id: i64,
) -> Result<PersonsSection, CoreError> {
    let found = persons::operation_persons(&state.vigil.persons, &s.principal, id).await?;
    Ok(PersonsSection {
        rows: found.iter().map(|r| line(t, r)).collect(),
        records: s.principal.role.can(Capability::RecordOperations),
        form: PersonForm::default(),
        checklist: checklist(t, &[]),
        error: None,
        added: None,
        countries: crate::localize::countries(t.lang),
        languages: crate::display::languages(t.lang),
    })
}

/// `POST /staff/operations/{id}/persons`: records one person met.
pub async fn add(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    super::form::StaffForm(s, pairs): super::form::StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = PersonForm::from_pairs(pairs);
    match persons::record(&state.vigil.persons, &s.principal, id, &f.input(lang.0)).await {
        Ok((_, person)) => Ok(Redirect::to(&format!(
            "/staff/operations/{id}?person={person}#persons"
        ))
        .into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = show_page(&state, t, &s, id, fresh_scan(), fresh_csv()).await?;
            page.persons.checklist = checklist(&t, &f.indicators);
            page.persons.form = f;
            page.persons.error = Some((field, message));
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The village search's query.
#[derive(Debug, Default, serde::Deserialize)]
pub struct VillageQuery {
    #[serde(default)]
    q: String,
}

/// A village offered for the home village field.
#[derive(Debug, serde::Serialize)]
pub struct VillageOut {
    /// Its code (what the field sends).
    code: String,
    /// Its path in the reader's language, village first.
    label: String,
}

/// How many villages one search offers.
const VILLAGES: usize = 30;

/// `GET /staff/villages?q=`: villages whose name matches (the part before a
/// comma), each with its path, for the home village field's suggestions.
pub async fn villages(
    lang: StaffLang,
    super::Staff(_): super::Staff,
    axum::extract::Query(q): axum::extract::Query<VillageQuery>,
) -> Result<axum::Json<Vec<VillageOut>>, PageError> {
    use vigil_domain::gazetteer::{Level, gazetteer};
    crate::extract::check_field("q", &q.q, Some(200)).map_err(PageError::from)?;
    let g = gazetteer();
    let name = q.q.split(',').next().unwrap_or_default();
    let out = g
        .search(name, 20_000)
        .into_iter()
        .filter(|m| m.unit.level == Level::Village)
        .take(VILLAGES)
        .map(|m| {
            let mut names: Vec<&str> = std::iter::once(m.unit)
                .chain(g.ancestors(m.unit))
                .map(|u| {
                    if lang.0 == "km" {
                        u.name_km.as_str()
                    } else {
                        u.name_en.as_str()
                    }
                })
                .collect();
            names.truncate(3);
            VillageOut {
                code: m.unit.code.clone(),
                label: names.join(", "),
            }
        })
        .collect();
    Ok(axum::Json(out))
}

/// Routes of adding a person met and of its village suggestions.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/operations/{id}/persons", post(add))
        .route("/staff/villages", get(villages))
}
