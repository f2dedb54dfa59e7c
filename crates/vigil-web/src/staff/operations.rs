//! Operations (raids) and what they seized: `GET /staff/operations` (the
//! list within the jurisdiction and, for roles that record, the form to plan
//! one, in `plan`), `POST /staff/operations` (plans one, in `plan`),
//! `GET /staff/operations/{id}` (the
//! operation, its facilities, network and seized items, with the bulk
//! seizure forms), `POST /staff/operations/{id}/scan` (one IMEI or serial per
//! line, as a barcode scanner types them) and `POST /staff/operations/{id}/csv`
//! (a CSV pasted or uploaded, through [`StaffMultipart`]). Seizures are all or nothing: a bad line comes
//! back named, with the input kept. Access is decided in `vigil-core`
//! (`operations`, `evidence`). Items and their custody are in `evidence.rs`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::evidence;
use vigil_core::operations;
use vigil_core::staff::Session;
use vigil_custody::ItemKind;
use vigil_domain::Capability;

use super::form::{StaffForm, StaffMultipart};
use super::operation_forms::{OpForms, op_forms};
use super::persons_form::{PersonsSection, persons_section};
use super::plan::{facility_names, status_label};
use super::{Staff, StaffLang, Who, who};
use crate::display::{OFFSET, local_time, now_local, unit_name, with_offset};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

pub(crate) fn with_status(mut r: Response, status: StatusCode) -> Response {
    *r.status_mut() = status;
    r
}

/// One seized item in the operation's table.
pub struct ItemLine {
    id: i64,
    reference: String,
    kind: String,
    ident: String,
    holder: String,
}

/// The scanner's form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ScanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    lines: String,
    #[serde(default)]
    at_local: String,
    #[serde(default)]
    at_offset: String,
}

/// The CSV form, as typed or uploaded.
#[derive(Debug, Default, Deserialize)]
pub struct CsvForm {
    #[serde(default)]
    csv: String,
    /// The uploaded file, which wins over the pasted text when given.
    #[serde(default)]
    file: String,
    #[serde(default)]
    at_local: String,
    #[serde(default)]
    at_offset: String,
}

impl CsvForm {
    /// The form with the uploaded file, when one was given, as its CSV.
    fn uploaded(mut self) -> CsvForm {
        if !self.file.trim().is_empty() {
            self.csv = std::mem::take(&mut self.file);
        }
        self
    }
}

/// Which form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Scan,
    Csv,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/operation.html")]
pub(crate) struct ShowPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    id: i64,
    reference: String,
    title: String,
    lead_agency: String,
    partners: String,
    planned: String,
    happened: String,
    /// Each part of the place by name and, for a district or commune, its
    /// view.
    place: Vec<(String, Option<String>)>,
    status: String,
    outcome: String,
    /// The facilities planned from: id (for the link) and readable name.
    facilities: Vec<(i64, String)>,
    network: Option<String>,
    items: Vec<ItemLine>,
    records: bool,
    officer: String,
    kinds: Vec<(String, String, bool)>,
    scan: ScanForm,
    csv: CsvForm,
    error: Option<(Which, String, Vec<String>)>,
    notice: Option<String>,
    /// The outcome and dismantling forms (`operation_forms`).
    pub(crate) forms: OpForms,
    /// Persons met and the form to add one (`persons_form`).
    pub(crate) persons: PersonsSection,
}

impl ShowPage<'_> {
    /// The error's field and lines if it belongs to `which` (`scan`, `csv`).
    fn error_of(&self, which: &str) -> Option<(&str, &[String])> {
        let w = if which == "csv" {
            Which::Csv
        } else {
            Which::Scan
        };
        self.error
            .as_ref()
            .filter(|(x, _, _)| *x == w)
            .map(|(_, f, m)| (f.as_str(), m.as_slice()))
    }
}

pub(crate) async fn show_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    id: i64,
    scan: ScanForm,
    csv: CsvForm,
) -> Result<ShowPage<'a>, CoreError> {
    let v = &state.vigil;
    let row = operations::operation(&v.operations, &s.principal, id).await?;
    let o = row.operation;
    let forms = op_forms(state, s, &(&o).into()).await?;
    let persons = persons_section(state, &t, s, id).await?;
    let network = match o.network_id {
        Some(n) => {
            let n = operations::network(&v.operations, &s.principal, n).await?;
            Some(if n.dismantled_by.is_some() {
                format!("{} · {}", n.name, t.t("ops-dismantled"))
            } else {
                n.name
            })
        }
        None => None,
    };
    let items: Vec<ItemLine> = evidence::items(&v.operations, &s.principal, id)
        .await?
        .into_iter()
        .map(|i| ItemLine {
            id: i.id,
            kind: t.t(&format!("item-kind-{}", i.kind)),
            ident: i.imei.or(i.serial).unwrap_or_default(),
            reference: i.reference,
            holder: i.holder,
        })
        .collect();
    let place = [
        Some(o.province_code.as_str()),
        o.district_code.as_deref(),
        o.commune_code.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(|c| {
        (
            unit_name(Some(c), t.lang),
            (c.len() >= 4).then(|| format!("/staff/areas/{c}")),
        )
    })
    .filter(|(name, _)| !name.is_empty())
    .chain(std::iter::once((o.place.clone(), None)))
    .collect();
    let facilities = facility_names(state, &t, s, &o.facilities).await?;
    let mut scan = scan;
    if scan.kind.is_empty() {
        scan.kind = ItemKind::Smartphone.as_str().into();
    }
    if scan.prefix.is_empty() {
        scan.prefix = format!("E{}", items.len() + 1);
    }
    let kinds = ItemKind::ALL
        .iter()
        .map(|k| {
            let k = k.as_str();
            (
                k.to_string(),
                t.t(&format!("item-kind-{k}")),
                scan.kind == k,
            )
        })
        .collect();
    Ok(ShowPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        id,
        reference: o.reference,
        title: o.title,
        lead_agency: o.lead_agency,
        partners: o.partners.join(", "),
        planned: o.planned_for.map(with_offset).unwrap_or_default(),
        happened: o.happened_at.map(with_offset).unwrap_or_default(),
        place,
        status: status_label(&t, &o.status),
        outcome: o.outcome,
        facilities,
        network,
        items,
        records: s.principal.role.can(Capability::RecordOperations),
        officer: s.principal.username.clone(),
        kinds,
        scan,
        csv,
        error: None,
        notice: None,
        forms,
        persons,
    })
}

pub(crate) fn fresh_scan() -> ScanForm {
    ScanForm {
        at_local: now_local(),
        at_offset: OFFSET.into(),
        ..ScanForm::default()
    }
}

pub(crate) fn fresh_csv() -> CsvForm {
    CsvForm {
        at_local: now_local(),
        at_offset: OFFSET.into(),
        ..CsvForm::default()
    }
}

/// `?seized=` after a seizure.
#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    seized: Option<usize>,
    /// The person just added (persons met).
    #[serde(default)]
    person: Option<i64>,
}

/// `GET /staff/operations/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = show_page(&state, t, &s, id, fresh_scan(), fresh_csv()).await?;
    page.notice = q.seized.map(|n| t.t1("ops-seized", "count", n));
    page.persons.added = q.person;
    Ok(lang.remember(&state, page.into_response()))
}

/// The operation page again with the form kept and the error shown (422).
async fn refused(
    state: &AppState,
    lang: StaffLang,
    s: &Session,
    id: i64,
    forms: (ScanForm, CsvForm),
    error: (Which, String, Vec<String>),
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = show_page(state, t, s, id, forms.0, forms.1).await?;
    page.error = Some(error);
    Ok(with_status(
        page.into_response(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// Seizes `items` at the form's time, or answers with the error.
async fn seize_now(
    state: &AppState,
    s: &Session,
    id: i64,
    items: Vec<vigil_custody::NewItem>,
    at: &str,
) -> Result<usize, CoreError> {
    let at = vigil_custody::parse_time("at", at)
        .map_err(|e| vigil_core::error::invalid(&e.field, e.message))?;
    Ok(
        evidence::seize(&state.vigil.operations, &s.principal, id, items, at)
            .await?
            .len(),
    )
}

/// `POST /staff/operations/{id}/scan`: one IMEI or serial per line.
pub async fn scan(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<ScanForm>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::RecordOperations) {
        return Err(CoreError::Forbidden.into());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let Some(kind) = ItemKind::parse(&f.kind) else {
        let e = (Which::Scan, "kind".to_string(), vec![f.kind.clone()]);
        return refused(&state, lang, &s, id, (f, fresh_csv()), e).await;
    };
    let items = match vigil_custody::parse_scan_lines(&f.lines, kind, f.prefix.trim()) {
        Ok(items) => items,
        Err(rows) => {
            let field = rows
                .first()
                .map(|r| t.t2("ops-line", "line", r.row, "field", &r.field))
                .unwrap_or_default();
            let lines = rows
                .iter()
                .map(|r| t.field_error(&vigil_core::field::from_row(r, "line")))
                .collect();
            let e = (Which::Scan, field, lines);
            return refused(&state, lang, &s, id, (f, fresh_csv()), e).await;
        }
    };
    let at = local_time(&f.at_local, &f.at_offset);
    match seize_now(&state, &s, id, items, &at).await {
        Ok(n) => Ok(Redirect::to(&format!("/staff/operations/{id}?seized={n}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let e = (Which::Scan, field, vec![message]);
            refused(&state, lang, &s, id, (f, fresh_csv()), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/operations/{id}/csv`: a CSV of items (`import_items_csv`),
/// pasted or uploaded.
pub async fn csv(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffMultipart(s, f): StaffMultipart<CsvForm>,
) -> Result<Response, PageError> {
    let f = f.uploaded();
    let at = local_time(&f.at_local, &f.at_offset);
    let at = match vigil_custody::parse_time("at", &at) {
        Ok(at) => at,
        Err(e) => {
            let fe = vigil_core::field::from_custody(e);
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let e = (Which::Csv, fe.field, vec![message]);
            return refused(&state, lang, &s, id, (fresh_scan(), f), e).await;
        }
    };
    match evidence::import_items_csv(&state.vigil.operations, &s.principal, id, &f.csv, at).await {
        Ok(ids) => Ok(
            Redirect::to(&format!("/staff/operations/{id}?seized={}", ids.len())).into_response(),
        ),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let lines = crate::i18n::Tr::new(&state.i18n, lang.0).field_errors(&fe);
            let e = (Which::Csv, field, lines);
            refused(&state, lang, &s, id, (fresh_scan(), f), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Routes of operations: list, plan, page, scan and CSV.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/staff/operations",
            get(super::plan::list).post(super::plan::plan),
        )
        .route("/staff/operations/{id}", get(show))
        .route("/staff/operations/{id}/scan", post(scan))
        .route("/staff/operations/{id}/csv", post(csv))
}
