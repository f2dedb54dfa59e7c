//! One case's page (`GET /staff/cases/{id}`) and its action forms: the
//! defendants with their charges and verdicts, the stage, the hearings in
//! time order, the linked operations and evidence items. A refused action
//! shows the page again with the error next to its field and the input kept.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::cases::{self, HearingInput};
use vigil_core::staff::Session;
use vigil_domain::{Capability, Outcome, Verdict};

use super::cases::{FieldError, field_error, ids, stage_options};
use super::operations::with_status;
use super::{StaffLang, Who, who};
use crate::display::{OFFSET, day, local_time, now_local, unit_name, with_offset};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// Every action form's fields, as typed (each form sends its own).
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    statute: String,
    #[serde(default)]
    charged_on: String,
    #[serde(default)]
    charge: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    verdict_on: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    sentence: String,
    #[serde(default)]
    outcome_on: String,
    #[serde(default)]
    at_local: String,
    #[serde(default)]
    at_offset: String,
    #[serde(default)]
    court: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    hearing_outcome: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    operations: String,
    #[serde(default)]
    items: String,
}

fn one_id(field: &str, s: &str) -> Result<i64, CoreError> {
    match ids(field, s)?.as_slice() {
        [one] => Ok(*one),
        _ => Err(vigil_core::error::invalid(
            field,
            vigil_core::FieldMessage::NotAnId,
        )),
    }
}

impl ActionForm {
    /// Runs `action` through `vigil-core::cases`.
    pub(crate) async fn run(
        &self,
        state: &AppState,
        s: &Session,
        id: i64,
        action: &str,
    ) -> Result<(), CoreError> {
        let (v, p) = (&state.vigil, &s.principal);
        match action {
            "defendant" => {
                cases::add_defendant(&v.cases, p, id, one_id("person_id", &self.person_id)?).await
            }
            "charge" => {
                let person = one_id("person_id", &self.person_id)?;
                cases::charge(&v.cases, p, id, person, &self.statute, &self.charged_on)
                    .await
                    .map(|_| ())
            }
            "verdict" => {
                let charge = one_id("charge", &self.charge)?;
                cases::verdict(&v.cases, p, id, charge, &self.verdict, &self.verdict_on).await
            }
            "outcome" => {
                let person = one_id("person_id", &self.person_id)?;
                cases::outcome(
                    &v.cases,
                    p,
                    id,
                    person,
                    &self.outcome,
                    &self.sentence,
                    &self.outcome_on,
                )
                .await
            }
            "hearing" => {
                let input = HearingInput {
                    at: local_time(&self.at_local, &self.at_offset),
                    court: self.court.clone(),
                    kind: self.kind.clone(),
                    outcome: self.hearing_outcome.clone(),
                    notes: self.notes.clone(),
                };
                cases::hearing(&v.cases, p, id, &input).await.map(|_| ())
            }
            "stage" => cases::move_stage(&v.cases, p, id, &self.stage).await,
            "evidence" => {
                let ops = ids("operations", &self.operations)?;
                let items = ids("items", &self.items)?;
                cases::link(&v.cases, p, id, &ops, &items).await
            }
            _ => Err(CoreError::NotFound),
        }
    }
}

/// `?done=` after an action.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    pub(crate) done: Option<String>,
}

/// A charge as shown under its defendant.
pub struct ChargeLine {
    id: i64,
    statute: String,
    charged_on: String,
    verdict: String,
    verdict_on: String,
}

/// A defendant and their charges.
pub struct DefendantLine {
    person_id: i64,
    outcome: String,
    sentence: String,
    outcome_on: String,
    charges: Vec<ChargeLine>,
}

/// A hearing on the timeline.
pub struct HearingLine {
    at: String,
    court: String,
    kind: String,
    outcome: String,
    notes: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/case.html")]
pub(crate) struct ShowPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    reference: String,
    title: String,
    name: String,
    province: String,
    court: String,
    stage: String,
    created: String,
    defendants: Vec<DefendantLine>,
    hearings: Vec<HearingLine>,
    operations: Vec<i64>,
    items: Vec<i64>,
    builds: bool,
    prosecutes: bool,
    statutes: Vec<(String, String, bool)>,
    stages: Vec<(String, String, bool)>,
    verdicts: Vec<(String, String, bool)>,
    outcomes: Vec<(String, String, bool)>,
    f: ActionForm,
    /// The form an error belongs to, and the error.
    error: Option<(String, FieldError)>,
    pub(crate) notice: Option<String>,
}

impl ShowPage<'_> {
    /// The error of form `form` if it is about `field`.
    fn error_at(&self, form: &str, field: &str) -> Option<&FieldError> {
        self.error
            .as_ref()
            .filter(|(f, e)| f == form && e.0 == field)
            .map(|(_, e)| e)
    }

    /// The error of form `form` about none of `fields`.
    fn error_other<const N: usize>(&self, form: &str, fields: &[&str; N]) -> Option<&FieldError> {
        self.error
            .as_ref()
            .filter(|(f, e)| f == form && !fields.contains(&e.0.as_str()))
            .map(|(_, e)| e)
    }
}

fn options(
    t: &Tr<'_>,
    prefix: &str,
    values: impl Iterator<Item = &'static str>,
    selected: &str,
) -> Vec<(String, String, bool)> {
    values
        .map(|v| (v.to_string(), t.t(&format!("{prefix}-{v}")), v == selected))
        .collect()
}

pub(crate) async fn show_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    id: i64,
    kept: Option<ActionForm>,
) -> Result<ShowPage<'a>, CoreError> {
    let v = &state.vigil;
    let view = cases::case(&v.cases, &s.principal, id).await?;
    let statutes = cases::statutes(&v.cases)?;
    let c = view.case.case;
    let defendants = view
        .defendants
        .iter()
        .map(|d| DefendantLine {
            person_id: d.person_id,
            outcome: t.t(&format!("case-outcome-{}", d.outcome)),
            sentence: d.sentence.clone(),
            outcome_on: d.outcome_on.map(|x| x.to_string()).unwrap_or_default(),
            charges: view
                .charges
                .iter()
                .filter(|ch| ch.charge.person_id == d.person_id)
                .map(|ch| ChargeLine {
                    id: ch.id,
                    statute: statutes.get(&ch.charge.statute).map_or_else(
                        || ch.charge.statute.clone(),
                        |st| format!("{} · {}", ch.charge.statute, st.label(t.lang)),
                    ),
                    charged_on: ch.charge.charged_on.to_string(),
                    verdict: ch
                        .verdict
                        .map(|x| t.t(&format!("case-verdict-{x}")))
                        .unwrap_or_default(),
                    verdict_on: ch.verdict_on.map(|x| x.to_string()).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let hearings = view
        .hearings
        .into_iter()
        .map(|h| {
            let h = h.hearing;
            HearingLine {
                at: with_offset(h.at),
                court: h.court,
                kind: h.kind,
                outcome: h.outcome,
                notes: h.notes,
            }
        })
        .collect();
    let mut f = kept.unwrap_or_default();
    if f.at_local.is_empty() {
        f.at_local = now_local();
    }
    if f.at_offset.is_empty() {
        f.at_offset = OFFSET.into();
    }
    if f.court.is_empty() {
        f.court = c.court.clone();
    }
    let statute_options = statutes
        .all()
        .iter()
        .map(|st| {
            (
                st.code.clone(),
                format!("{} · {}", st.code, st.label(t.lang)),
                st.code == f.statute,
            )
        })
        .collect();
    Ok(ShowPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        id,
        reference: c.reference,
        title: c.title,
        name: c.name.unwrap_or_default(),
        province: unit_name(Some(&c.province_code), t.lang),
        court: c.court,
        stage: t.t(&format!("case-stage-{}", c.stage)),
        created: day(t.lang, c.created_at),
        defendants,
        hearings,
        operations: c.operations,
        items: c.items,
        builds: s.principal.role.can(Capability::BuildCases),
        prosecutes: s.principal.role.can(Capability::Prosecute),
        statutes: statute_options,
        stages: stage_options(&t, &f.stage),
        verdicts: options(
            &t,
            "case-verdict",
            Verdict::ALL.iter().map(|v| v.name()),
            &f.verdict,
        ),
        outcomes: options(
            &t,
            "case-outcome",
            Outcome::ALL.iter().map(|o| o.name()),
            &f.outcome,
        ),
        f,
        error: None,
        notice: None,
    })
}

/// The case page again with the action's input kept and its error (422).
pub(crate) async fn refused_action(
    state: &AppState,
    lang: StaffLang,
    s: &Session,
    id: i64,
    action: &str,
    f: ActionForm,
    (field, message): (String, String),
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = show_page(state, t, s, id, Some(f)).await?;
    page.error = Some((action.to_string(), field_error(&t, &field, &message)));
    Ok(with_status(
        page.into_response(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}
