//! Immigration pages: `GET /staff/immigration` (recent
//! departures and deportation orders within the jurisdiction, departures by
//! nationality over the last year, and the forms), `POST
//! /staff/immigration/orders` (record a deportation order), `POST
//! /staff/immigration/departures` (record a departure: deported — executing
//! an order — or voluntary), `POST /staff/immigration/import` (a CSV of
//! voluntary departures, pasted or uploaded through [`StaffMultipart`]: all
//! or nothing, every bad row
//! named by row and field in the reader's language) and `GET
//! /staff/immigration/export.csv` (one nationality in a period, for its
//! embassy; audited). Access is decided in `vigil-core::immigration`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::immigration::{self, DepartureInput, OrderInput, SubjectInput};
use vigil_core::immigration_csv;
use vigil_core::staff::Session;
use vigil_domain::Capability;

use super::form::{StaffForm, StaffMultipart};
use super::operations::with_status;
use super::{Staff, StaffLang, Who, who};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::localize;
use crate::state::AppState;

/// One departure in the list.
pub struct DepartureLine {
    kind: String,
    name: String,
    nationality: String,
    day: String,
    port: String,
}

/// One order in the list.
pub struct OrderLine {
    id: i64,
    reference: String,
    name: String,
    nationality: String,
    day: String,
    status: String,
    issued: bool,
}

/// The order form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct OrderForm {
    #[serde(default, rename = "ref")]
    reference: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    passport: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    province_code: String,
}

/// The departure form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct DepartureForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    order: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    passport: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    departed_on: String,
    #[serde(default)]
    port: String,
}

/// Which form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Order,
    Departure,
    Import,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/immigration.html")]
struct Page<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    departures: Vec<DepartureLine>,
    orders: Vec<OrderLine>,
    /// (nationality, deported, voluntary) over the last year.
    by_nationality: Vec<(String, String, String, String)>,
    totals: (u64, u64, u64, u64),
    ports: Vec<(String, String)>,
    /// The provinces the account may record in: (code, name).
    provinces: Vec<(String, String)>,
    /// Every country (code, name), suggested as a nationality is typed.
    countries: Vec<(&'static str, String)>,
    today: String,
    order: OrderForm,
    departure: DepartureForm,
    csv: String,
    error: Option<(Which, String, Vec<String>)>,
    notice: Option<String>,
}

impl Page<'_> {
    /// The error's field and lines if it belongs to `which` (`order`,
    /// `departure`, `import`).
    fn error_of(&self, which: &str) -> Option<(&str, &[String])> {
        let w = match which {
            "order" => Which::Order,
            "departure" => Which::Departure,
            _ => Which::Import,
        };
        self.error
            .as_ref()
            .filter(|(x, _, _)| *x == w)
            .map(|(_, f, m)| (f.as_str(), m.as_slice()))
    }
}

async fn page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    order: OrderForm,
    departure: DepartureForm,
    csv: String,
) -> Result<Page<'a>, CoreError> {
    let o = immigration::overview(&state.vigil.immigration, &s.principal, 50).await?;
    let departures = o
        .departures
        .into_iter()
        .map(|d| {
            let r = d.row.departure;
            DepartureLine {
                kind: t.t(&format!("immig-kind-{}", r.kind)),
                name: d.subject.name,
                nationality: localize::country(t.lang, &r.nationality),
                day: r.departed_on.to_string(),
                port: r.port,
            }
        })
        .collect();
    let orders = o
        .orders
        .into_iter()
        .map(|x| {
            let r = x.row.order;
            OrderLine {
                id: x.row.id,
                issued: r.status == "issued",
                status: t.t(&format!("immig-status-{}", r.status)),
                reference: r.reference,
                name: x.subject.name,
                nationality: localize::country(t.lang, &r.nationality),
                day: r.issued_on.to_string(),
            }
        })
        .collect();
    let f = o.figures;
    let mut by_nationality: Vec<(String, u64, u64)> = f
        .by_nationality
        .into_iter()
        .map(|(n, (d, v))| (n, d, v))
        .collect();
    by_nationality.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then(a.0.cmp(&b.0)));
    let by_nationality: Vec<(String, String, String, String)> = by_nationality
        .into_iter()
        .map(|(n, d, v)| {
            let name = localize::country(t.lang, &n);
            (
                n,
                name,
                localize::count(t.lang, d),
                localize::count(t.lang, v),
            )
        })
        .collect();
    let ports = vigil_core::screenings::posts_for(&s.principal)
        .into_iter()
        .map(|p| (p.code.clone(), p.name(t.lang).to_string()))
        .collect();
    let provinces = match s.principal.jurisdiction.provinces() {
        Some(list) => list.to_vec(),
        None => vigil_domain::gazetteer::gazetteer()
            .provinces()
            .map(|u| u.code.clone())
            .collect(),
    }
    .into_iter()
    .map(|c| {
        let name = crate::display::unit_name(Some(&c), t.lang);
        (c, name)
    })
    .collect();
    Ok(Page {
        provinces,
        countries: localize::countries(t.lang),
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        departures,
        orders,
        by_nationality,
        totals: (
            f.deportations,
            f.voluntary_departures,
            f.detentions,
            f.orders,
        ),
        ports,
        today: immigration::today().to_string(),
        order,
        departure,
        csv,
        error: None,
        notice: None,
    })
}

/// `?done=` after a write.
#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    imported: Option<u64>,
}

/// `GET /staff/immigration`.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut p = page(
        &state,
        t,
        &s,
        OrderForm::default(),
        DepartureForm::default(),
        String::new(),
    )
    .await?;
    p.notice = match (q.done.as_deref(), q.imported) {
        (_, Some(n)) => Some(t.t1("immig-imported", "count", n)),
        (Some("order"), _) => Some(t.t("immig-order-recorded")),
        (Some("departure"), _) => Some(t.t("immig-departure-recorded")),
        _ => None,
    };
    Ok(lang.remember(&state, p.into_response()))
}

/// The page again with the forms kept and the error shown (422).
async fn refused(
    state: &AppState,
    lang: StaffLang,
    s: &Session,
    forms: (OrderForm, DepartureForm, String),
    error: (Which, String, Vec<String>),
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut p = page(state, t, s, forms.0, forms.1, forms.2).await?;
    p.error = Some(error);
    Ok(with_status(
        p.into_response(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

fn id_field(field: &str, value: &str) -> Result<Option<i64>, CoreError> {
    let v = value.trim().trim_start_matches('#');
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| vigil_core::error::invalid(field, vigil_core::FieldMessage::NotANumber))
}

/// `POST /staff/immigration/orders`.
pub async fn record_order(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, f): StaffForm<OrderForm>,
) -> Result<Response, PageError> {
    let input = OrderInput {
        reference: f.reference.clone(),
        subject: SubjectInput {
            name: f.name.clone(),
            passport: f.passport.clone(),
            date_of_birth: f.date_of_birth.clone(),
        },
        nationality: crate::display::country_code(lang.0, &f.nationality),
        issued_on: f.issued_on.clone(),
        authority: f.authority.clone(),
        province_code: f.province_code.clone(),
        person_id: None,
    };
    match immigration::record_order(&state.vigil.immigration, &s.principal, &input).await {
        Ok(_) => Ok(Redirect::to("/staff/immigration?done=order").into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let e = (Which::Order, field, vec![message]);
            let forms = (f, DepartureForm::default(), String::new());
            refused(&state, lang, &s, forms, e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/immigration/departures`.
pub async fn record_departure(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, f): StaffForm<DepartureForm>,
) -> Result<Response, PageError> {
    let done = match id_field("order_id", &f.order) {
        Ok(order_id) => {
            let input = DepartureInput {
                kind: f.kind.clone(),
                subject: SubjectInput {
                    name: f.name.clone(),
                    passport: f.passport.clone(),
                    date_of_birth: f.date_of_birth.clone(),
                },
                nationality: crate::display::country_code(lang.0, &f.nationality),
                departed_on: f.departed_on.clone(),
                port: f.port.clone(),
                order_id,
                operation_id: None,
                person_id: None,
            };
            immigration::record_departure(&state.vigil.immigration, &s.principal, &input).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to("/staff/immigration?done=departure").into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let e = (Which::Departure, field, vec![message]);
            let forms = (OrderForm::default(), f, String::new());
            refused(&state, lang, &s, forms, e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The import form: the pasted text, or the uploaded file when given.
#[derive(Debug, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    file: String,
}

impl ImportForm {
    /// The CSV: the uploaded file when one was given, else the pasted text.
    fn text(self) -> String {
        if self.file.trim().is_empty() {
            self.csv
        } else {
            self.file
        }
    }
}

/// `POST /staff/immigration/import`: voluntary departures from a CSV.
pub async fn import(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffMultipart(s, f): StaffMultipart<ImportForm>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::RecordImmigration) {
        return Err(CoreError::Forbidden.into());
    }
    let text = f.text();
    let t = Tr::new(&state.i18n, lang.0);
    // Checked first, so every bad row is named in the reader's language.
    if let Err(rows) = immigration_csv::check_csv(&text) {
        let label = |row: u64, field: &str| t.t2("immig-row", "row", row, "field", field);
        let field = rows
            .first()
            .map(|r| label(r.row, &r.field))
            .unwrap_or_default();
        let lines = rows
            .iter()
            .map(|r| {
                format!(
                    "{}: {}",
                    label(r.row, &r.field),
                    t.t(&format!("immig-err-{}", r.code))
                )
            })
            .collect();
        let forms = (OrderForm::default(), DepartureForm::default(), text);
        return refused(&state, lang, &s, forms, (Which::Import, field, lines)).await;
    }
    match immigration_csv::import_csv(&state.vigil.immigration, &s.principal, &text, &|_, _| {})
        .await
    {
        Ok(done) => {
            Ok(Redirect::to(&format!("/staff/immigration?imported={}", done.rows)).into_response())
        }
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let lines = crate::i18n::Tr::new(&state.i18n, lang.0).field_errors(&fe);
            let forms = (OrderForm::default(), DepartureForm::default(), text);
            refused(&state, lang, &s, forms, (Which::Import, field, lines)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The export form's query.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /staff/immigration/export.csv?nationality=CN&from=…&to=…`.
pub async fn export(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Query(mut q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    q.nationality = crate::display::country_code(lang.0, &q.nationality);
    let day = |field: &str, v: &str| {
        immigration::parse_day(v)
            .ok_or_else(|| vigil_core::error::invalid(field, vigil_core::FieldMessage::NotADate))
    };
    let done = match (day("from", &q.from), day("to", &q.to)) {
        (Ok(from), Ok(to)) => {
            immigration_csv::export_csv(
                &state.vigil.immigration,
                &s.principal,
                &q.nationality,
                from,
                to,
            )
            .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let csv = done?;
    let nat: String = q
        .nationality
        .trim()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    let name = format!(
        "attachment; filename=\"departures-{nat}-{}-{}.csv\"",
        q.from.trim(),
        q.to.trim()
    );
    let mut res = csv.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Routes of immigration records.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/immigration", get(show))
        .route("/staff/immigration/orders", post(record_order))
        .route("/staff/immigration/departures", post(record_departure))
        .route("/staff/immigration/import", post(import))
        .route("/staff/immigration/export.csv", get(export))
}
