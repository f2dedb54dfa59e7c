//! Cases and prosecutions: `GET /staff/cases` (the list within the
//! jurisdiction, filtered by `?stage=`, named cases shown by their name),
//! `GET /staff/cases/new` (the form; `?operation=ID` fills in an operation
//! and its province, linked from the operation's page, and offers its
//! persons met as defendants and its seized items as evidence, each chosen
//! by name), `POST /staff/cases` (the case, then its defendants),
//! `GET /staff/cases/{id}` (defendants with their charges, the stage, the
//! hearings in time order, linked operations and evidence items, and a form
//! for each action) and `POST /staff/cases/{id}/{action}` for `defendant`,
//! `charge`, `verdict`, `outcome`, `hearing`, `stage` and `evidence`. A
//! refused form comes back (422) with the error next to its field, in the
//! page's language, and the input kept. Rules and access are decided in
//! `vigil-core::cases`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::cases::{self, CaseInput};
use vigil_core::operations;
use vigil_core::staff::Session;
use vigil_domain::{Capability, CaseStage};

pub(crate) mod choices;

use choices::{Choice, Held, gathered, held, id_list, operation_options, province_options};

use super::case_page::{ActionForm, ShowQuery, refused_action, show_page};
use super::form::StaffForm;
use super::operations::with_status;
use super::{Staff, StaffLang, Who, who};
use crate::display::{day, unit_name};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// One row of the list.
pub struct CaseLine {
    id: i64,
    reference: String,
    /// The public name of a named case, else the title.
    label: String,
    named: bool,
    province: String,
    stage: String,
    created: String,
}

/// A field's error, localized: (field, the rule in the page's language,
/// the detail from the core).
pub type FieldError = (String, String, String);

/// Localizes a core refusal for a field; the fields now chosen from lists
/// say so.
pub(crate) fn field_error(t: &Tr<'_>, field: &str, message: &str) -> FieldError {
    const CHOSEN: [&str; 4] = ["person_id", "operations", "items", "charge"];
    let prefix = if CHOSEN.contains(&field) {
        "cases-err"
    } else {
        "case-err"
    };
    (
        field.to_string(),
        t.t(&format!("{prefix}-{field}")),
        message.to_string(),
    )
}

/// Reads a list of ids (`12, #13 14`), naming `field` on a bad one.
pub(crate) fn ids(field: &str, s: &str) -> Result<Vec<i64>, CoreError> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|x| {
            x.trim_start_matches('#')
                .parse::<i64>()
                .map_err(|_| vigil_core::error::invalid(field, vigil_core::FieldMessage::NotAnId))
        })
        .collect()
}

/// `?stage=` on the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    stage: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/cases.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    rows: Vec<CaseLine>,
    stages: Vec<(String, String, bool)>,
    builds: bool,
}

/// `GET /staff/cases`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let stage = q.stage.trim();
    let filter = (!stage.is_empty()).then_some(stage);
    let found = cases::list(&state.vigil.cases, &s.principal, filter).await?;
    let rows = found
        .into_iter()
        .map(|r| {
            let c = r.case;
            CaseLine {
                id: r.id,
                named: c.name.is_some(),
                label: c.name.unwrap_or(c.title),
                province: unit_name(Some(&c.province_code), t.lang),
                stage: t.t(&format!("case-stage-{}", c.stage)),
                created: day(t.lang, c.created_at),
                reference: c.reference,
            }
        })
        .collect();
    let page = ListPage {
        t,
        who: Some(who(&t, &s)),
        csrf: s.csrf.clone(),
        rows,
        stages: stage_options(&t, stage),
        builds: s.principal.role.can(Capability::BuildCases),
    };
    Ok(lang.remember(&state, page.into_response()))
}

/// The stages as `<option>`s: (value, label, selected).
pub(crate) fn stage_options(t: &Tr<'_>, selected: &str) -> Vec<(String, String, bool)> {
    CaseStage::ALL
        .iter()
        .map(|s| {
            (
                s.name().to_string(),
                t.t(&format!("case-stage-{s}")),
                s.name() == selected,
            )
        })
        .collect()
}

/// The new case form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default, rename = "ref")]
    reference: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    province_code: String,
    #[serde(default)]
    court: String,
    #[serde(default)]
    operations: String,
    #[serde(default)]
    items: String,
    /// Persons met to make defendants once the case is open.
    #[serde(default)]
    persons: String,
}

impl NewForm {
    fn input(&self) -> Result<CaseInput, CoreError> {
        Ok(CaseInput {
            reference: self.reference.clone(),
            title: self.title.clone(),
            name: self.name.clone(),
            province_code: self.province_code.clone(),
            court: self.court.clone(),
            operations: ids("operations", &self.operations)?,
            items: ids("items", &self.items)?,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/case_new.html")]
struct NewPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    f: NewForm,
    error: Option<FieldError>,
    /// The operations to fill the form from.
    choose: Vec<Choice>,
    /// What the chosen operations hold.
    held: Held,
    provinces: Vec<(String, String, bool)>,
}

impl NewPage<'_> {
    /// Whether the form chose `id` among `field`'s values.
    fn chosen(&self, field: &str, id: &i64) -> bool {
        let list = match field {
            "operations" => &self.f.operations,
            "items" => &self.f.items,
            _ => &self.f.persons,
        };
        id_list(list).contains(id)
    }

    /// The error if it is about `field`.
    fn error_at(&self, field: &str) -> Option<&FieldError> {
        self.error.as_ref().filter(|e| e.0 == field)
    }

    /// The error if it is about none of the form's fields.
    fn error_other(&self) -> Option<&FieldError> {
        const FIELDS: [&str; 7] = [
            "reference",
            "title",
            "name",
            "province_code",
            "court",
            "operations",
            "items",
        ];
        self.error
            .as_ref()
            .filter(|e| !FIELDS.contains(&e.0.as_str()))
    }
}

/// `?operation=` on the new case form (empty: none chosen yet).
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    operation: String,
}

/// `GET /staff/cases/new`.
pub async fn new_form(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::BuildCases) {
        return Err(CoreError::Forbidden.into());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let mut f = NewForm::default();
    if let Some(op) = id_list(&q.operation).first().copied() {
        let row = operations::operation(&state.vigil.operations, &s.principal, op).await?;
        f.operations = op.to_string();
        f.province_code = row.operation.province_code;
        f.title = row.operation.title;
    }
    let page = new_page(&state, t, &s, f, None).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// The new case form with `f` as typed and chosen.
async fn new_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    f: NewForm,
    error: Option<FieldError>,
) -> Result<NewPage<'a>, CoreError> {
    let ops = id_list(&f.operations);
    Ok(NewPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        choose: operation_options(state, &t, s, &ops).await?,
        held: held(state, &t, s, &ops).await?,
        provinces: province_options(&t, s, &f.province_code),
        f,
        error,
    })
}

/// `POST /staff/cases`: opens a case, makes the chosen persons its
/// defendants, then shows it. A defendant refused shows the open case with
/// the refusal next to its defendant form.
pub async fn create(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, pairs): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f: NewForm = gathered(pairs);
    let t = Tr::new(&state.i18n, lang.0);
    let done = match f.input() {
        Ok(input) => cases::create(&state.vigil.cases, &s.principal, &input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(id) => {
            for person in id_list(&f.persons) {
                match cases::add_defendant(&state.vigil.cases, &s.principal, id, person).await {
                    Ok(()) => {}
                    Err(CoreError::InvalidField(fe)) => {
                        let message = t.field_error(&fe);
                        let kept = ActionForm::chosen_person(person);
                        return refused_action(
                            &state,
                            lang,
                            &s,
                            id,
                            "defendant",
                            kept,
                            (fe.field.clone(), message),
                        )
                        .await;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(Redirect::to(&format!("/staff/cases/{id}")).into_response())
        }
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = t.field_error(&fe);
            let error = Some(field_error(&t, &field, &message));
            let page = new_page(&state, t, &s, f, error).await?;
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /staff/cases/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = show_page(&state, t, &s, id, None).await?;
    page.notice = q.done.as_deref().map(|a| t.t(&format!("case-done-{a}")));
    Ok(lang.remember(&state, page.into_response()))
}

/// `POST /staff/cases/{id}/{action}`: one of the page's forms.
pub async fn act(
    State(state): State<AppState>,
    lang: StaffLang,
    Path((id, action)): Path<(i64, String)>,
    StaffForm(s, pairs): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f: ActionForm = gathered(pairs);
    match f.run(&state, &s, id, &action).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/cases/{id}?done={action}#{action}")).into_response())
        }
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            refused_action(&state, lang, &s, id, &action, f, (field, message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Routes of cases and prosecutions.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/cases", get(list).post(create))
        .route("/staff/cases/new", get(new_form))
        .route("/staff/cases/{id}", get(show))
        .route("/staff/cases/{id}/{action}", post(act))
}
