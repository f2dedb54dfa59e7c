//! The admins' accounts pages: the list with a form to create an account,
//! and one page per account to change its role and jurisdiction, disable it
//! or reset it. Disabling and resetting need their "I confirm" box ticked,
//! so they work without JavaScript. The rules are in
//! `vigil_core::staff` (`accounts`); refusals show as field errors.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::field::FieldMessage;
use vigil_core::staff::{self, AccountLine, NewStaff, Session};
use vigil_core::{CoreError, FieldError};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Capability, Jurisdiction, Role, StaffId};

use super::form::StaffForm;
use super::operations::with_status;
use super::{Staff, StaffLang, Who, who};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// An account as a row of the list.
pub struct Line {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    area: String,
    status: &'static str,
    status_text: String,
    created: String,
}

fn area(t: &Tr<'_>, j: &Jurisdiction) -> String {
    match j.provinces() {
        None => t.t("acc-national"),
        Some(codes) => codes
            .iter()
            .map(|c| crate::display::unit_name(Some(c), t.lang))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn line(t: &Tr<'_>, a: &AccountLine) -> Line {
    Line {
        id: a.id.0,
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: t.t(&format!("acc-role-{}", a.role.as_str())),
        area: area(t, &a.jurisdiction),
        status: a.status.name(),
        status_text: t.t(&format!("acc-status-{}", a.status.name())),
        created: crate::display::day(t.lang, a.created_at),
    }
}

/// A choice of a select list or a checkbox list.
pub struct Choice {
    value: String,
    label: String,
    chosen: bool,
}

/// What the role and jurisdiction fields show.
pub struct Fields {
    roles: Vec<Choice>,
    national: bool,
    provinces: Vec<Choice>,
}

fn fields(t: &Tr<'_>, role: Option<Role>, j: Option<&Jurisdiction>) -> Fields {
    let chosen: Vec<String> = j
        .and_then(|j| j.provinces())
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    let mut provinces: Vec<Choice> = gazetteer()
        .provinces()
        .map(|u| Choice {
            value: u.code.clone(),
            label: crate::display::unit_name(Some(&u.code), t.lang),
            chosen: chosen.contains(&u.code),
        })
        .collect();
    provinces.sort_by(|a, b| a.label.cmp(&b.label));
    Fields {
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_string(),
                label: t.t(&format!("acc-role-{}", r.as_str())),
                chosen: Some(*r) == role,
            })
            .collect(),
        national: !matches!(j, Some(Jurisdiction::Provinces(_))),
        provinces,
    }
}

/// A refused form's message and the field it belongs to.
pub struct Refusal {
    field: String,
    text: String,
}

fn refusal(t: &Tr<'_>, fe: &FieldError) -> Refusal {
    Refusal {
        field: fe.field.clone(),
        text: t.field_error(fe),
    }
}

/// The form's fields as sent, in order (checkboxes repeat their name).
type Pairs = Vec<(String, String)>;

fn value<'a>(f: &'a Pairs, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn role_of(f: &Pairs) -> Result<Role, CoreError> {
    Role::parse(value(f, "role")).ok_or_else(|| {
        CoreError::InvalidField(
            FieldError::new("role", FieldMessage::NotAChoice).arg(
                "choices",
                Role::ALL
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        )
    })
}

fn jurisdiction_of(f: &Pairs) -> Result<Jurisdiction, CoreError> {
    if value(f, "scope") != "provinces" {
        return Ok(Jurisdiction::National);
    }
    let codes: Vec<&str> = f
        .iter()
        .filter(|(k, _)| k == "province")
        .map(|(_, v)| v.as_str())
        .collect();
    if codes.is_empty() {
        return Err(CoreError::InvalidField(FieldError::new(
            "jurisdiction",
            FieldMessage::Required,
        )));
    }
    for c in &codes {
        let province = gazetteer()
            .get(c)
            .is_some_and(|u| u.level == vigil_domain::gazetteer::Level::Province);
        if !province {
            return Err(CoreError::InvalidField(
                FieldError::new("jurisdiction", FieldMessage::NotAGazetteerCode)
                    .arg("value", c.to_string()),
            ));
        }
    }
    Jurisdiction::parse(&codes.join(","), gazetteer()).map_err(|_| {
        CoreError::InvalidField(FieldError::new("jurisdiction", FieldMessage::Required))
    })
}

/// The setup link to hand over: the configured public address, else this
/// site's path.
fn setup_url(state: &AppState, token: &str) -> String {
    let base = state
        .vigil
        .settings
        .staff
        .public_url
        .clone()
        .unwrap_or_default();
    format!("{}/staff/setup/{token}", base.trim_end_matches('/'))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/accounts.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    accounts: Vec<Line>,
    fields: Fields,
    username: String,
    display_name: String,
    error: Option<Refusal>,
    created: Option<(String, String)>,
}

impl ListPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.text.as_str())
    }
}

async fn list_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
) -> Result<ListPage<'a>, PageError> {
    let accounts = staff::list(&state.vigil.staff, &s.principal).await?;
    Ok(ListPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        accounts: accounts.iter().map(|a| line(&t, a)).collect(),
        fields: fields(&t, Some(Role::Analyst), None),
        username: String::new(),
        display_name: String::new(),
        error: None,
        created: None,
    })
}

/// `GET /staff/accounts`: every account and the form to create one.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let page = list_page(&state, t, &s).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// `POST /staff/accounts`: creates an account and shows its setup link.
pub async fn create(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, f): StaffForm<Pairs>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::Administer) {
        return Err(CoreError::Forbidden.into());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let done = match (role_of(&f), jurisdiction_of(&f)) {
        (Ok(role), Ok(jurisdiction)) => {
            staff::create_account(
                &state.vigil.staff,
                &s.principal,
                NewStaff {
                    username: value(&f, "username").to_string(),
                    display_name: value(&f, "display_name").to_string(),
                    role,
                    jurisdiction,
                },
            )
            .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match done {
        Ok((_, token)) => {
            let mut page = list_page(&state, t, &s).await?;
            page.created = Some((
                value(&f, "username").trim().to_lowercase(),
                setup_url(&state, &token),
            ));
            Ok(page.into_response())
        }
        Err(CoreError::InvalidField(fe)) => {
            let mut page = list_page(&state, t, &s).await?;
            let jurisdiction = jurisdiction_of(&f).ok();
            page.fields = fields(&t, Role::parse(value(&f, "role")), jurisdiction.as_ref());
            page.username = value(&f, "username").to_string();
            page.display_name = value(&f, "display_name").to_string();
            page.error = Some(refusal(&t, &fe));
            Ok(with_status(
                page.into_response(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/account.html")]
struct AccountPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    account: Line,
    fields: Fields,
    error: Option<Refusal>,
    notice: Option<String>,
    link: Option<String>,
}

impl AccountPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.text.as_str())
    }
}

async fn account_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    id: i64,
) -> Result<AccountPage<'a>, PageError> {
    let a = staff::account(&state.vigil.staff, &s.principal, StaffId(id)).await?;
    Ok(AccountPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        account: line(&t, &a),
        fields: fields(&t, Some(a.role), Some(&a.jurisdiction)),
        error: None,
        notice: None,
        link: None,
    })
}

/// What the account page says after a change.
#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// `GET /staff/accounts/{id}`: one account and what may be done to it.
pub async fn show(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = account_page(&state, t, &s, id).await?;
    page.notice = match q.done.as_str() {
        "saved" => Some(t.t("acc-saved")),
        "disabled" => Some(t.t("acc-disabled-notice")),
        _ => None,
    };
    Ok(lang.remember(&state, page.into_response()))
}

async fn refused(
    state: &AppState,
    lang: StaffLang,
    s: &Session,
    id: i64,
    fe: &FieldError,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut page = account_page(state, t, s, id).await?;
    page.error = Some(refusal(&t, fe));
    Ok(with_status(
        page.into_response(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /staff/accounts/{id}/change`: a new role and jurisdiction.
pub async fn change(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Pairs>,
) -> Result<Response, PageError> {
    let done = match (role_of(&f), jurisdiction_of(&f)) {
        (Ok(role), Ok(j)) => {
            staff::change(&state.vigil.staff, &s.principal, StaffId(id), role, j).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/accounts/{id}?done=saved")).into_response()),
        Err(CoreError::InvalidField(fe)) => refused(&state, lang, &s, id, &fe).await,
        Err(e) => Err(e.into()),
    }
}

fn confirmed(f: &Pairs) -> bool {
    value(f, "confirm") == "yes"
}

/// `POST /staff/accounts/{id}/disable`: disables the account once confirmed.
pub async fn disable(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Pairs>,
) -> Result<Response, PageError> {
    match staff::disable_account(&state.vigil.staff, &s.principal, StaffId(id), confirmed(&f)).await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/accounts/{id}?done=disabled")).into_response()),
        Err(CoreError::InvalidField(fe)) => refused(&state, lang, &s, id, &fe).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/accounts/{id}/reset`: resets the account once confirmed and
/// shows its new setup link.
pub async fn reset(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<Pairs>,
) -> Result<Response, PageError> {
    match staff::reset_account(&state.vigil.staff, &s.principal, StaffId(id), confirmed(&f)).await {
        Ok(token) => {
            let t = Tr::new(&state.i18n, lang.0);
            let mut page = account_page(&state, t, &s, id).await?;
            page.notice = Some(t.t("acc-reset-notice"));
            page.link = Some(setup_url(&state, &token));
            Ok(page.into_response())
        }
        Err(CoreError::InvalidField(fe)) => refused(&state, lang, &s, id, &fe).await,
        Err(e) => Err(e.into()),
    }
}

/// Routes of the accounts pages.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/accounts", get(list).post(create))
        .route("/staff/accounts/{id}", get(show))
        .route("/staff/accounts/{id}/change", post(change))
        .route("/staff/accounts/{id}/disable", post(disable))
        .route("/staff/accounts/{id}/reset", post(reset))
}
