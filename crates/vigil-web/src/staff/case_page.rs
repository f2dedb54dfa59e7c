//! One case's page (`GET /staff/cases/{id}`) and its action forms: the
//! defendants by name with their charges and verdicts, the stage, the
//! hearings in time order, the linked operations by reference and evidence
//! items by number and kind. Every form offers what it acts on by name: the
//! persons met in the linked operations, their seized items, the case's
//! defendants and charges. A refused action shows the page again with the
//! error next to its field and the input kept.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::cases::{self, HearingInput};
use vigil_core::staff::Session;
use vigil_domain::{Capability, Outcome, Verdict};

use super::cases::choices::{Choice, Item, OperationShown, held, item_label, operation_options};
use super::cases::{FieldError, field_error, ids, stage_options};
use super::operations::with_status;
use super::{StaffLang, Who, who};
use crate::display::{OFFSET, day, iso_day_shown, local_time, now_local, unit_name, when};
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
    /// The form with one person chosen (a defendant refused at opening).
    pub(crate) fn chosen_person(person: i64) -> ActionForm {
        ActionForm {
            person_id: person.to_string(),
            ..ActionForm::default()
        }
    }

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
    name: String,
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
    /// Linked operations: (id, reference · title · day, facilities by name).
    operations: Vec<OperationShown>,
    /// Linked items: (id, number · kind · label).
    items: Vec<(i64, String)>,
    /// Persons met in the linked operations who are not yet defendants.
    candidates: Vec<Choice>,
    /// The defendants to choose from, by name.
    defendant_options: Vec<Choice>,
    /// The charges to choose from: defendant · statute · day.
    charge_options: Vec<Choice>,
    /// Operations not yet linked.
    more_operations: Vec<Choice>,
    /// Items of the linked operations not yet linked.
    more_items: Vec<Choice>,
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

/// A person's name as the reader may see it, from their latest record;
/// "Person N" when none is known.
async fn person_name(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    id: i64,
) -> Result<String, CoreError> {
    let name = match vigil_core::persons::person(&state.vigil.persons, &s.principal, id).await {
        Ok(view) => view
            .records
            .iter()
            .rev()
            .filter_map(|r| r.identity.as_ref().map(|i| i.display_name()))
            .find(|n| !n.is_empty()),
        Err(CoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    Ok(name.unwrap_or_else(|| t.t1("persons-person", "id", id)))
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
    let mut f = kept.unwrap_or_default();
    let held = held(state, &t, s, &c.operations).await?;
    let mut names = held.names.clone();
    for d in &view.defendants {
        if names.get(&d.person_id).is_none_or(|n| n.is_empty()) {
            names.insert(d.person_id, person_name(state, &t, s, d.person_id).await?);
        }
    }
    let name_of = |p: i64| names.get(&p).cloned().unwrap_or_default();
    let shown_day = |d: time::Date| iso_day_shown(t.lang, &d.to_string());
    let statute_label = |code: &str| {
        statutes.get(code).map_or_else(
            || code.to_string(),
            |st| format!("{code} · {}", st.label(t.lang)),
        )
    };
    let defendants = view
        .defendants
        .iter()
        .map(|d| DefendantLine {
            person_id: d.person_id,
            name: name_of(d.person_id),
            outcome: t.t(&format!("case-outcome-{}", d.outcome)),
            sentence: d.sentence.clone(),
            outcome_on: d.outcome_on.map(shown_day).unwrap_or_default(),
            charges: view
                .charges
                .iter()
                .filter(|ch| ch.charge.person_id == d.person_id)
                .map(|ch| ChargeLine {
                    id: ch.id,
                    statute: statute_label(&ch.charge.statute),
                    charged_on: shown_day(ch.charge.charged_on),
                    verdict: ch
                        .verdict
                        .map(|x| t.t(&format!("case-verdict-{x}")))
                        .unwrap_or_default(),
                    verdict_on: ch.verdict_on.map(shown_day).unwrap_or_default(),
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
                at: when(t.lang, h.at),
                court: h.court,
                kind: h.kind,
                outcome: h.outcome,
                notes: h.notes,
            }
        })
        .collect();
    // The linked items by label; one from an operation not linked is read
    // on its own.
    let mut items = Vec::new();
    for &i in &c.items {
        let label = match held.items.iter().find(|(x, _)| *x == i) {
            Some((_, label)) => label.clone(),
            None => {
                match vigil_core::evidence::item_with_chain(&v.operations, &s.principal, i).await {
                    Ok(it) => item_label(
                        &t,
                        Item {
                            id: it.row.id,
                            reference: &it.row.reference,
                            kind: &it.row.kind,
                            json: &it.row.item_json,
                            imei: it.row.imei.as_deref(),
                            serial: it.row.serial.as_deref(),
                        },
                    ),
                    Err(CoreError::NotFound) => format!("#{i}"),
                    Err(e) => return Err(e),
                }
            }
        };
        items.push((i, label));
    }
    let chosen_person = ids("person_id", &f.person_id).unwrap_or_default();
    let chosen_items = ids("items", &f.items).unwrap_or_default();
    let chosen_ops = ids("operations", &f.operations).unwrap_or_default();
    let chosen_charge = ids("charge", &f.charge).unwrap_or_default();
    let candidates = held
        .persons
        .iter()
        .filter(|(p, _)| !view.defendants.iter().any(|d| d.person_id == **p))
        .map(|(p, label)| Choice {
            id: *p,
            label: label.clone(),
            on: chosen_person.contains(p),
        })
        .collect();
    let defendant_options = view
        .defendants
        .iter()
        .map(|d| Choice {
            id: d.person_id,
            label: name_of(d.person_id),
            on: chosen_person.contains(&d.person_id),
        })
        .collect();
    let charge_options = view
        .charges
        .iter()
        .map(|ch| Choice {
            id: ch.id,
            label: format!(
                "{} · {} · {}",
                name_of(ch.charge.person_id),
                ch.charge.statute,
                shown_day(ch.charge.charged_on)
            ),
            on: chosen_charge.contains(&ch.id),
        })
        .collect();
    let builds = s.principal.role.can(Capability::BuildCases);
    let more_operations = if builds {
        operation_options(state, &t, s, &chosen_ops)
            .await?
            .into_iter()
            .filter(|o| !c.operations.contains(&o.id))
            .collect()
    } else {
        Vec::new()
    };
    let more_items = held
        .items
        .iter()
        .filter(|(i, _)| !c.items.contains(i))
        .map(|(i, label)| Choice {
            id: *i,
            label: label.clone(),
            on: chosen_items.contains(i),
        })
        .collect();
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
        operations: held.operations,
        items,
        candidates,
        defendant_options,
        charge_options,
        more_operations,
        more_items,
        builds,
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
