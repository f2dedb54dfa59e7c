//! The forms that record what an operation did:
//! `POST /staff/operations/{id}/outcome` (status, when it happened, the
//! outcome and the network it hit, a new network created on the way),
//! `POST /staff/operations/{id}/dismantle` (a done operation dismantles the
//! network it hit, with the evidence) and `POST /staff/items/{id}/image` (a
//! forensic image made by the item's holder, appended to its chain). A bad
//! field comes back named with the input kept (422). Access is decided in
//! `vigil-core` (`operations`, `evidence`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use vigil_core::staff::Session;
use vigil_core::{CoreError, evidence, operations};
use vigil_domain::Capability;

use super::StaffLang;
use super::evidence::item_page;
use super::form::StaffForm;
use super::operations::{fresh_csv, fresh_scan, show_page, with_status};
use crate::display::{OFFSET, local_time, now_local};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// The outcome form, as typed. `network` is empty (none), `new` (create
/// one from `network_name` and `network_leaders`) or a network's id.
#[derive(Debug, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) happened_local: String,
    #[serde(default)]
    pub(crate) happened_offset: String,
    #[serde(default)]
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) network: String,
    #[serde(default)]
    pub(crate) network_name: String,
    #[serde(default)]
    pub(crate) network_leaders: String,
}

/// The dismantling form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct DismantleForm {
    #[serde(default)]
    network: String,
    #[serde(default)]
    pub(crate) evidence: String,
}

/// The forensic image form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ImageForm {
    #[serde(default)]
    pub(crate) by: String,
    #[serde(default)]
    pub(crate) sha256: String,
    #[serde(default)]
    pub(crate) at_local: String,
    #[serde(default)]
    pub(crate) at_offset: String,
}

impl ImageForm {
    /// A fresh form: made now by the current holder.
    pub(crate) fn fresh(holder: &str) -> ImageForm {
        ImageForm {
            by: holder.to_string(),
            at_local: now_local(),
            at_offset: OFFSET.into(),
            ..ImageForm::default()
        }
    }
}

/// What the operation page needs for these forms.
#[derive(Debug, Default)]
pub struct OpForms {
    /// The outcome form.
    pub(crate) outcome: OutcomeForm,
    /// Networks to choose from: id, name, selected.
    pub(crate) networks: Vec<(i64, String, bool)>,
    /// The network this done operation may dismantle: id and name.
    pub(crate) dismantles: Option<(i64, String)>,
    /// The dismantling form.
    pub(crate) dismantle: DismantleForm,
    /// Which form (`outcome`, `dismantle`), the field and the message.
    pub(crate) error: Option<(String, String, String)>,
}

impl OpForms {
    /// The error's field and message if it belongs to `which`.
    pub(crate) fn error_of(&self, which: &str) -> Option<(&str, &str)> {
        self.error
            .as_ref()
            .filter(|(w, _, _)| w == which)
            .map(|(_, f, m)| (f.as_str(), m.as_str()))
    }
}

/// The forms for operation `o`, filled with what it records now. The
/// networks offered are those hit by operations in the jurisdiction.
pub(crate) async fn op_forms(
    state: &AppState,
    s: &Session,
    o: &operations::OperationInput,
) -> Result<OpForms, CoreError> {
    let v = &state.vigil;
    let p = &s.principal;
    if !p.role.can(Capability::RecordOperations) {
        return Ok(OpForms::default());
    }
    let mut ids: Vec<i64> = operations::list(&v.operations, p)
        .await?
        .into_iter()
        .filter_map(|r| r.operation.network_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut networks = Vec::with_capacity(ids.len());
    let mut dismantles = None;
    for n in ids {
        let row = operations::network(&v.operations, p, n).await?;
        let hit = o.network_id == Some(n);
        if hit && o.status == "done" && row.dismantled_by.is_none() {
            dismantles = Some((n, row.name.clone()));
        }
        networks.push((n, row.name, hit));
    }
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let happened = time::OffsetDateTime::parse(&o.happened_at, &Rfc3339).ok();
    let (happened_local, happened_offset) = match happened {
        Some(t) => (
            t.format(fmt).unwrap_or_default(),
            t.format(format_description!(
                "[offset_hour sign:mandatory]:[offset_minute]"
            ))
            .unwrap_or_default(),
        ),
        None => (String::new(), OFFSET.into()),
    };
    Ok(OpForms {
        outcome: OutcomeForm {
            status: o.status.clone(),
            happened_local,
            happened_offset,
            outcome: o.outcome.clone(),
            network: o.network_id.map(|n| n.to_string()).unwrap_or_default(),
            ..OutcomeForm::default()
        },
        networks,
        dismantles,
        dismantle: DismantleForm::default(),
        error: None,
    })
}

use vigil_core::error::invalid;

/// The operation as it stands with the outcome form's fields in place.
fn input_of(
    o: operations::OperationInput,
    f: &OutcomeForm,
    network_id: Option<i64>,
) -> operations::OperationInput {
    operations::OperationInput {
        happened_at: local_time(&f.happened_local, &f.happened_offset),
        status: f.status.clone(),
        outcome: f.outcome.clone(),
        network_id,
        ..o
    }
}

/// Records the outcome; a new network is created first, and `f.network`
/// then names it so that submitting again does not create it twice.
async fn record_outcome(
    state: &AppState,
    s: &Session,
    id: i64,
    f: &mut OutcomeForm,
) -> Result<(), CoreError> {
    let v = &state.vigil;
    let p = &s.principal;
    let row = operations::operation(&v.operations, p, id).await?;
    let network_id = match f.network.trim() {
        "" => None,
        "new" => {
            let leaders: Vec<String> = f
                .network_leaders
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            let n = operations::create_network(&v.operations, p, &f.network_name, &leaders)
                .await
                .map_err(|e| match e {
                    CoreError::InvalidField(mut fe) => {
                        fe.field = format!("network_{}", fe.field);
                        CoreError::InvalidField(fe)
                    }
                    e => e,
                })?;
            f.network = n.to_string();
            Some(n)
        }
        n => Some(n.parse::<i64>().map_err(|_| {
            invalid(
                "network_id",
                (vigil_core::FieldMessage::NotAnId, "value", n),
            )
        })?),
    };
    operations::update(
        &v.operations,
        p,
        id,
        &input_of((&row.operation).into(), f, network_id),
    )
    .await
}

/// The operation page again with `forms` changed by `edit` (422).
async fn refused_op(
    state: &AppState,
    lang: StaffLang,
    s: &Session,
    id: i64,
    edit: impl FnOnce(&mut OpForms),
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = show_page(state, t, s, id, fresh_scan(), fresh_csv()).await?;
    edit(&mut page.forms);
    Ok(with_status(
        page.into_response(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /staff/operations/{id}/outcome`.
pub async fn outcome(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, mut f): StaffForm<OutcomeForm>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::RecordOperations) {
        return Err(CoreError::Forbidden.into());
    }
    match record_outcome(&state, &s, id, &mut f).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/operations/{id}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            refused_op(&state, lang, &s, id, |forms| {
                forms.outcome = f;
                forms.error = Some(("outcome".into(), field, message));
            })
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/operations/{id}/dismantle`.
pub async fn dismantle(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<DismantleForm>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::RecordOperations) {
        return Err(CoreError::Forbidden.into());
    }
    let done = match f.network.trim().parse::<i64>() {
        Ok(n) => {
            operations::dismantle(&state.vigil.operations, &s.principal, n, id, &f.evidence).await
        }
        Err(_) => Err(invalid(
            "network",
            (vigil_core::FieldMessage::NotAnId, "value", &f.network),
        )),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/operations/{id}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            refused_op(&state, lang, &s, id, |forms| {
                forms.dismantle = f;
                forms.error = Some(("dismantle".into(), field, message));
            })
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/items/{id}/image`: a forensic image by the holder.
pub async fn image(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<ImageForm>,
) -> Result<Response, PageError> {
    let at = local_time(&f.at_local, &f.at_offset);
    let done = evidence::record_image(
        &state.vigil.operations,
        &s.principal,
        id,
        &f.by,
        &at,
        &f.sha256,
    )
    .await;
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/items/{id}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = item_page(&state, t, &s, id, super::evidence::fresh()).await?;
            page.image = f;
            page.image_error = Some((field, message));
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Routes of an operation's outcome, dismantling, and forensic images.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/staff/operations/{id}/outcome", post(outcome))
        .route("/staff/operations/{id}/dismantle", post(dismantle))
        .route("/staff/items/{id}/image", post(image))
}
