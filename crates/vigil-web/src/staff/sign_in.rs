//! Sign-in (password, then the authenticator code), sign-out, and the
//! one-time setup link that sets a password and enrols the second factor.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::staff::{self, SignIn};

use super::form::{SignInForm, StaffForm};
use super::{
    DEVICE_COOKIE, DEVICE_MAX_AGE, PENDING_COOKIE, SESSION_COOKIE, StaffLang, cookie, set_cookie,
};
use crate::error::{PageError, Problem};
use crate::extract::Client;
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "staff/login.html")]
struct LoginPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
    username: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/code.html")]
struct CodePage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/setup.html")]
struct SetupPage<'a> {
    t: Tr<'a>,
    who: Option<super::Who>,
    csrf: String,
    error: Option<String>,
    username: String,
    token: String,
    totp_required: bool,
    secret: String,
    url: String,
    sealed: String,
}

/// `GET /staff/login`.
pub async fn form(State(state): State<AppState>, lang: StaffLang) -> Response {
    let page = LoginPage {
        t: Tr::new(&state.i18n, lang.0),
        who: None,
        csrf: String::new(),
        error: None,
        notice: None,
        username: String::new(),
    };
    lang.remember(&state, page.into_response())
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// `POST /staff/login`.
pub async fn submit(
    State(state): State<AppState>,
    lang: StaffLang,
    Client(client): Client,
    headers: HeaderMap,
    SignInForm(f): SignInForm<LoginForm>,
) -> Response {
    let device = cookie(&headers, DEVICE_COOKIE);
    match staff::sign_in(&state.vigil.staff, &f.username, &f.password, client, device).await {
        Ok(SignIn::Done(token)) => {
            let max = state.vigil.settings.staff.session_max_hours * 3600;
            let mut r = Redirect::to(super::HOME).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &token, max),
            );
            remember_device(&state, &mut r, &f.username);
            r
        }
        Ok(SignIn::NeedsTotp(pending)) => {
            let mut r = Redirect::to("/staff/login/code").into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, PENDING_COOKIE, &pending, 300),
            );
            r
        }
        Err(e) => {
            let p = Problem::from_core(e);
            let page = LoginPage {
                t: Tr::new(&state.i18n, lang.0),
                who: None,
                csrf: String::new(),
                error: Some(p.text(&state, lang.0)),
                notice: None,
                username: f.username,
            };
            (p.status, page).into_response()
        }
    }
}

/// `GET /staff/login/code`.
pub async fn code_form(State(state): State<AppState>, lang: StaffLang) -> Response {
    CodePage {
        t: Tr::new(&state.i18n, lang.0),
        who: None,
        csrf: String::new(),
        error: None,
    }
    .into_response()
}

/// The second-factor form.
#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// `POST /staff/login/code`.
pub async fn code(
    State(state): State<AppState>,
    lang: StaffLang,
    Client(client): Client,
    headers: HeaderMap,
    SignInForm(f): SignInForm<CodeForm>,
) -> Response {
    let Some(pending) = cookie(&headers, PENDING_COOKIE) else {
        return Redirect::to("/staff/login").into_response();
    };
    let device = cookie(&headers, DEVICE_COOKIE);
    match staff::sign_in_totp(&state.vigil.staff, pending, &f.code, client, device).await {
        Ok(token) => {
            let max = state.vigil.settings.staff.session_max_hours * 3600;
            let mut r = Redirect::to(super::HOME).into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &token, max),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, PENDING_COOKIE, "", 0),
            );
            if let Ok(Some(s)) = staff::session(&state.vigil.staff, &token).await {
                remember_device(&state, &mut r, &s.principal.username);
            }
            r
        }
        Err(vigil_core::CoreError::NotFound) => Redirect::to("/staff/login").into_response(),
        Err(e) => {
            let p = Problem::from_core(e);
            let page = CodePage {
                t: Tr::new(&state.i18n, lang.0),
                who: None,
                csrf: String::new(),
                error: Some(p.text(&state, lang.0)),
            };
            (p.status, page).into_response()
        }
    }
}

/// Sets the device cookie of `username` on a response to a successful
/// sign-in.
fn remember_device(state: &AppState, r: &mut Response, username: &str) {
    if let Ok(value) = staff::device_cookie(&state.vigil.staff, username) {
        r.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, DEVICE_COOKIE, &value, DEVICE_MAX_AGE),
        );
    }
}

/// A form carrying only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {}

/// `POST /staff/logout`.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    StaffForm(_, _): StaffForm<CsrfForm>,
) -> Result<Response, PageError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        staff::sign_out(&state.vigil.staff, token).await?;
    }
    let mut r = Redirect::to("/staff/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(r)
}

fn setup_page<'a>(
    state: &'a AppState,
    lang: &'static str,
    account: &vigil_core::views::Account,
    token: String,
    error: Option<String>,
) -> Result<SetupPage<'a>, vigil_core::CoreError> {
    let enrol = staff::totp_enroll(&state.vigil.staff, &account.username)?;
    Ok(SetupPage {
        t: Tr::new(&state.i18n, lang),
        who: None,
        csrf: String::new(),
        error,
        username: account.username.clone(),
        token,
        totp_required: account.role.requires_totp(),
        secret: enrol.secret_base32,
        url: enrol.url,
        sealed: enrol.sealed,
    })
}

fn bad_link(state: &AppState, lang: &'static str) -> Response {
    let t = Tr::new(&state.i18n, lang);
    let page = LoginPage {
        t,
        who: None,
        csrf: String::new(),
        error: Some(t.t("staff-bad-link")),
        notice: None,
        username: String::new(),
    };
    (StatusCode::NOT_FOUND, page).into_response()
}

/// `GET /staff/setup/{token}`.
pub async fn setup_form(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let Ok(account) = staff::setup_account(&state.vigil.staff, &token).await else {
        return Ok(bad_link(&state, lang.0));
    };
    let page = setup_page(&state, lang.0, &account, token, None)?;
    Ok(lang.remember(&state, page.into_response()))
}

/// The setup form.
#[derive(Deserialize)]
pub struct SetupForm {
    password: String,
    password_again: String,
    #[serde(default)]
    sealed: String,
    #[serde(default)]
    code: String,
}

/// `POST /staff/setup/{token}`.
pub async fn setup(
    State(state): State<AppState>,
    lang: StaffLang,
    Path(token): Path<String>,
    SignInForm(f): SignInForm<SetupForm>,
) -> Result<Response, PageError> {
    let Ok(account) = staff::setup_account(&state.vigil.staff, &token).await else {
        return Ok(bad_link(&state, lang.0));
    };
    let t = Tr::new(&state.i18n, lang.0);
    let again = |error: String, status: StatusCode| -> Result<Response, PageError> {
        let page = setup_page(&state, lang.0, &account, token.clone(), Some(error))?;
        Ok((status, page).into_response())
    };
    if f.password != f.password_again {
        return again(
            t.t("staff-passwords-differ"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let totp = (!f.code.trim().is_empty()).then_some((f.sealed.as_str(), f.code.as_str()));
    match staff::complete_setup(&state.vigil.staff, &token, &f.password, totp).await {
        Ok(_) => Ok(LoginPage {
            t,
            who: None,
            csrf: String::new(),
            error: None,
            notice: Some(t.t("staff-setup-done")),
            username: account.username.clone(),
        }
        .into_response()),
        Err(e) => {
            let p = Problem::from_core(e);
            again(p.text(&state, lang.0), p.status)
        }
    }
}

/// Routes of signing in, the second factor, signing out and account setup.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/login", get(form).post(submit))
        .route("/staff/login/code", get(code_form).post(code))
        .route("/staff/logout", post(logout))
        .route("/staff/setup/{token}", get(setup_form).post(setup))
}
