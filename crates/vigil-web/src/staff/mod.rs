//! The staff pages under `/staff`: sign-in with a second factor, account
//! setup, the queue and the tip page. Server-rendered; every form works
//! without JavaScript. Access rules live in `vigil-core` (`staff`, `desk`);
//! this module only carries cookies, CSRF tokens and pages.

mod accounts;
mod alerts;
mod areas;
mod assign;
mod case_page;
mod cases;
mod dashboard;
mod desk;
mod evidence;
mod facilities;
mod form;
mod graph;
mod immigration;
mod map;
mod observable;
mod operation_forms;
mod operations;
mod persons;
mod persons_form;
mod plan;
mod recruiters;
mod rewards;
mod screen;
mod screenings;
mod search;
mod sign_in;
mod svg;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use vigil_core::staff::{self, Session};
use vigil_domain::Capability;

use crate::error::PageError;
use crate::i18n::{I18n, STAFF_LANGS, Tr};
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "vigil_staff";
/// The cookie of a sign-in waiting for its second factor.
pub const PENDING_COOKIE: &str = "vigil_pending";
const LANG_COOKIE: &str = "vigil_lang";
/// The device cookie: set on a successful sign-in, it spares this browser
/// the account-wide slowing of failed sign-ins (a year).
pub const DEVICE_COOKIE: &str = "vigil_device";
/// How long a device cookie lasts.
pub const DEVICE_MAX_AGE: i64 = 31_536_000;

/// Routes of the staff pages: each module brings its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/") }))
        .route(HOME, get(home))
        .merge(desk::routes())
        .merge(accounts::routes())
        .merge(sign_in::routes())
        .merge(alerts::routes())
        .merge(search::routes())
        .merge(observable::routes())
        .merge(graph::routes())
        .merge(assign::routes())
        .merge(facilities::routes())
        .merge(map::routes())
        .merge(screen::routes())
        .merge(screenings::routes())
        .merge(dashboard::routes())
        .merge(operations::routes())
        .merge(operation_forms::routes())
        .merge(evidence::routes())
        .merge(cases::routes())
        .merge(persons_form::routes())
        .merge(persons::routes())
        .merge(recruiters::routes())
        .merge(areas::routes())
        .merge(immigration::routes())
        .merge(rewards::routes())
}

/// A cookie's value from the request headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure unless configured off.
pub(crate) fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.vigil.settings.staff.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    let v = format!(
        "{name}={value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The staff pages' language: `?lang=` (remembered in a cookie), else the
/// cookie, else the browser's languages among Khmer and English.
#[derive(Debug, Clone, Copy)]
pub struct StaffLang(pub &'static str, bool);

impl StaffLang {
    /// The language of a request, and whether `?lang=` chose it.
    fn of(uri: &Uri, headers: &HeaderMap) -> StaffLang {
        let pick = |s: &str| STAFF_LANGS.iter().copied().find(|l| *l == s);
        let from_query = uri
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
            .and_then(pick);
        if let Some(l) = from_query {
            return StaffLang(l, true);
        }
        if let Some(l) = cookie(headers, LANG_COOKIE).and_then(pick) {
            return StaffLang(l, false);
        }
        let h = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let l = I18n::negotiate(h, "km");
        StaffLang(pick(l).unwrap_or("km"), false)
    }
}

/// The staff pages' language of a request (see [`StaffLang`]).
pub(crate) fn language(uri: &Uri, headers: &HeaderMap) -> &'static str {
    StaffLang::of(uri, headers).0
}

impl FromRequestParts<AppState> for StaffLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(StaffLang::of(&parts.uri, &parts.headers))
    }
}

impl StaffLang {
    /// Adds the language cookie to a response when `?lang=` chose it.
    pub(crate) fn remember(self, state: &AppState, mut r: Response) -> Response {
        if self.1 {
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(state, LANG_COOKIE, self.0, 31_536_000),
            );
        }
        r
    }
}

/// A signed-in staff member; pages without one send the browser to sign in.
pub struct Staff(pub Session);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Sent to sign in in the language the page was asked in.
        let login = format!("/staff/login?lang={}", language(&parts.uri, &parts.headers));
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to(&login).into_response());
        };
        match staff::session(&state.vigil.staff, token).await {
            Ok(Some(s)) => Ok(Staff(s)),
            Ok(None) => Err(Redirect::to(&login).into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/message.html")]
struct MessagePage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    message: String,
}

/// A page with one message, in the staff's language: how the error layer
/// shows a [`PageError`] under `/staff`.
pub(crate) fn message_page(
    state: &AppState,
    lang: &'static str,
    status: StatusCode,
    message: String,
) -> Response {
    let page = MessagePage {
        t: Tr::new(&state.i18n, lang),
        who: None,
        csrf: String::new(),
        message,
    };
    (status, page).into_response()
}

/// The page header's account line and the links its role may follow.
pub struct Who {
    /// "Signed in as …".
    pub text: String,
    /// Whether the role reads tips (the queue, facilities, map, search).
    pub tips: bool,
    /// Whether the role takes assignments ("assigned to me").
    pub assigned: bool,
    /// Whether the role screens travellers (the screen page's link).
    pub screens: bool,
    /// Whether the role reviews screenings (the list and the fairness report).
    pub reviews: bool,
    /// Whether the role reads operations (raids and seized evidence).
    pub operations: bool,
    /// Whether the role records and reads immigration records.
    pub immigration: bool,
    /// Whether the role awards rewards and records their claims.
    pub rewards: bool,
    /// Whether the role reads persons met (recruiters and prevention).
    pub persons: bool,
    /// Whether the role manages staff accounts.
    pub accounts: bool,
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where a role's work starts: analysts the queue, officers their
/// operations (their assigned work is linked there), prosecutors the cases,
/// immigration the screening counter, supervisors and partners the figures,
/// admins the accounts.
pub(crate) fn landing(role: vigil_domain::Role) -> &'static str {
    use vigil_domain::Role;
    match role {
        Role::Analyst => "/staff/",
        Role::Officer => "/staff/operations",
        Role::Prosecutor => "/staff/cases",
        Role::Immigration => "/staff/screen",
        Role::Supervisor | Role::Partner => "/staff/dashboard",
        Role::Admin => "/staff/accounts",
    }
}

/// Where signing in and the site's name lead: the signed-in role's
/// landing page.
pub(crate) const HOME: &str = "/staff/home";

async fn home(Staff(s): Staff, uri: Uri) -> Redirect {
    let to = landing(s.principal.role);
    match uri.query() {
        Some(q) => Redirect::to(&format!("{to}?{q}")),
        None => Redirect::to(to),
    }
}

/// "Signed in as …" for the page header, with the role's extra links.
pub(crate) fn who(t: &Tr<'_>, s: &Session) -> Who {
    Who {
        text: who_text(t, s),
        tips: s.principal.role.can(Capability::ReadTips),
        assigned: s.principal.role.can(Capability::TakeAssignments),
        screens: s.principal.role.can(Capability::ScreenTravellers),
        reviews: s.principal.role.can(Capability::ReviewScreenings),
        operations: s.principal.role.can(Capability::ReadOperations),
        immigration: s.principal.role.can(Capability::RecordImmigration),
        rewards: s.principal.role.can(Capability::AwardRewards),
        persons: s.principal.role.can(Capability::ReadPersons),
        accounts: s.principal.role.can(Capability::Administer),
    }
}

fn who_text(t: &Tr<'_>, s: &Session) -> String {
    let p = &s.principal;
    let area = match p.jurisdiction.provinces() {
        None => t.t("staff-national"),
        Some(list) => list.join(", "),
    };
    t.ta(
        "staff-signed-in-as",
        &[
            ("name", p.display_name.clone()),
            ("role", p.role.as_str().to_string()),
            ("area", area),
        ],
    )
}
