//! A seized item's custody report: `GET /staff/items/{id}` (the item, every
//! entry of its chain, verified on read, or the named break; prints as the
//! report), `POST /staff/items/{id}/transfer` (a hand-over from the current
//! holder) and `GET /staff/items/{id}/bundle` (the signed bundle that
//! `vigil custody verify` checks offline). Access is decided in `vigil-core`
//! (`evidence`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::evidence::{self, TransferInput};
use vigil_core::staff::Session;
use vigil_custody::{Event, Place, TamperReason};
use vigil_domain::Capability;

use super::form::StaffForm;
use super::operation_forms::ImageForm;
use super::operations::with_status;
use super::{Staff, StaffLang, Who, who};
use crate::display::{OFFSET, local_time, now_local, unit_name, with_offset};
use crate::error::{PageError, Problem};
use crate::i18n::Tr;
use crate::state::AppState;

/// One entry of the chain as the report shows it.
pub struct Line {
    step: u32,
    event: String,
    from: String,
    to: String,
    at: String,
    place: String,
    purpose: String,
    hash: String,
}

/// The hand-over form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    at_local: String,
    #[serde(default)]
    at_offset: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/item.html")]
pub(crate) struct ItemPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    operation_id: i64,
    operation: String,
    reference: String,
    kind: String,
    description: String,
    idents: Vec<(String, String)>,
    holder: String,
    lines: Vec<Line>,
    /// Where and why the chain does not verify, in words.
    broken: Option<String>,
    records: bool,
    f: TransferForm,
    error: Option<(String, String)>,
    /// The forensic image form and its error (`operation_forms`).
    pub(crate) image: ImageForm,
    pub(crate) image_error: Option<(String, String)>,
}

fn place_text(p: &Place, lang: &str) -> String {
    match p {
        Place::Code(c) => format!("{} ({c})", unit_name(Some(c), lang)),
        Place::Text(t) => t.clone(),
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

fn line(t: &Tr<'_>, e: &vigil_custody::Entry) -> Line {
    let (event, from, to, at, place, purpose) = match &e.event {
        Event::Seizure { seizure, .. } => (
            "seizure",
            String::new(),
            seizure.by.clone(),
            seizure.at,
            place_text(&seizure.place, t.lang),
            seizure.operation.clone(),
        ),
        Event::Transfer(x) => (
            "transfer",
            x.from.clone(),
            x.to.clone(),
            x.at,
            place_text(&x.place, t.lang),
            x.purpose.clone(),
        ),
        Event::Imaging(i) => (
            "imaging",
            i.by.clone(),
            i.by.clone(),
            i.at,
            String::new(),
            format!("sha256 {}", short(&i.sha256)),
        ),
    };
    Line {
        step: e.step,
        event: t.t(&format!("custody-event-{event}")),
        from,
        to,
        at: with_offset(at),
        place,
        purpose,
        hash: short(&e.hash),
    }
}

pub(crate) async fn item_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    id: i64,
    f: TransferForm,
) -> Result<ItemPage<'a>, CoreError> {
    let it = evidence::item_with_chain(&state.vigil.operations, &s.principal, id).await?;
    let item = &it.chain.item;
    let mut idents = Vec::new();
    for i in &item.imeis {
        idents.push(("IMEI".to_string(), i.imei.clone()));
    }
    for (label, v) in [
        ("serial", &item.serial),
        ("ICCID", &item.iccid),
        ("card", &item.card_last4),
    ] {
        if let Some(v) = v {
            idents.push((label.to_string(), v.clone()));
        }
    }
    if let Some(c) = &item.cash {
        idents.push(("cash".into(), format!("{} {}", c.amount, c.currency)));
    }
    for h in &item.image_sha256 {
        idents.push(("image sha256".into(), h.clone()));
    }
    let mut operation = String::new();
    let lines = it
        .chain
        .entries
        .iter()
        .map(|e| line(&t, e))
        .collect::<Vec<_>>();
    if let Some(Event::Seizure { seizure, .. }) = it.chain.entries.first().map(|e| &e.event) {
        operation.clone_from(&seizure.operation);
    }
    let broken = it.broken.as_ref().map(|b| {
        let reason = t.t(&format!(
            "custody-tamper-{}",
            tamper_name(b.reason.as_ref())
        ));
        t.t2("custody-broken-at", "step", b.step, "reason", reason)
    });
    let mut f = f;
    if f.from.is_empty() {
        f.from.clone_from(&it.row.holder);
    }
    Ok(ItemPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        id,
        operation_id: it.row.operation_id,
        operation,
        reference: item.reference.clone(),
        kind: t.t(&format!("item-kind-{}", item.kind.as_str())),
        description: item.description.clone(),
        idents,
        holder: it.row.holder.clone(),
        lines,
        records: s.principal.role.can(Capability::RecordOperations) && broken.is_none(),
        broken,
        image: ImageForm::fresh(&it.row.holder),
        f,
        error: None,
        image_error: None,
    })
}

/// The message id's last part for why a chain does not verify.
fn tamper_name(reason: Option<&TamperReason>) -> &'static str {
    match reason {
        None => "unreadable",
        Some(TamperReason::Empty) => "empty",
        Some(TamperReason::StepNumber { .. }) => "step-number",
        Some(TamperReason::Link) => "link",
        Some(TamperReason::Hash) => "hash",
        Some(TamperReason::ItemChanged) => "item-changed",
        Some(TamperReason::Seizure) => "seizure",
        Some(TamperReason::NotHolder { .. }) => "not-holder",
        Some(TamperReason::TimeBackwards) => "time-backwards",
    }
}

pub(crate) fn fresh() -> TransferForm {
    TransferForm {
        at_local: now_local(),
        at_offset: OFFSET.into(),
        ..TransferForm::default()
    }
}

/// `GET /staff/items/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let page = item_page(&state, t, &s, id, fresh()).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// `POST /staff/items/{id}/transfer`: appends a hand-over.
pub async fn transfer(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<TransferForm>,
) -> Result<Response, PageError> {
    let input = TransferInput {
        from: f.from.clone(),
        to: f.to.clone(),
        at: local_time(&f.at_local, &f.at_offset),
        place: f.place.clone(),
        purpose: f.purpose.clone(),
    };
    match evidence::transfer(&state.vigil.operations, &s.principal, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/items/{id}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = item_page(&state, t, &s, id, f).await?;
            page.error = Some((field, message));
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(CoreError::Duplicate) => Err(Problem::new(StatusCode::CONFLICT, "duplicate")
            .with_message("custody-concurrent")
            .into()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /staff/items/{id}/bundle`: the item's signed bundle as a download.
pub async fn bundle(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let bytes = evidence::export_bundle(&state.vigil.operations, &s.principal, &[id]).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"custody-item-{id}.json\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Routes of evidence items.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/items/{id}", get(show))
        .route("/staff/items/{id}/transfer", post(transfer))
        .route("/staff/items/{id}/bundle", get(bundle))
}
