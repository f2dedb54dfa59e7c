//! The staff pages under `/staff`: sign-in with a second factor, account
//! setup, the queue and the tip page. Server-rendered; every form works
//! without JavaScript. Access rules live in `vigil-core` (`staff`, `desk`);
//! this module only carries cookies, CSRF tokens and pages.

mod alerts;
mod assign;
mod dashboard;
// Cases and prosecutions (issue 5).
mod case_page;
mod cases;
mod desk;
mod evidence;
mod facilities;
mod graph;
mod map;
mod observable;
mod operation_forms;
mod operations;
// Persons met (issue 5).
mod persons;
mod persons_form;
mod screen;
mod screenings;
mod search;
mod sign_in;
mod svg;
// Immigration (issue 5, item 5).
mod immigration;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use vigil_core::CoreError;
use vigil_core::staff::{self, Session};
use vigil_domain::Capability;

use crate::AppState;
use crate::error::Problem;
use crate::i18n::{I18n, STAFF_LANGS, Tr};

/// The session cookie.
pub const SESSION_COOKIE: &str = "vigil_staff";
/// The cookie of a sign-in waiting for its second factor.
pub const PENDING_COOKIE: &str = "vigil_pending";
const LANG_COOKIE: &str = "vigil_lang";

/// Routes of the staff pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/") }))
        .route("/staff/", get(desk::queue))
        .route("/staff/login", get(sign_in::form).post(sign_in::submit))
        .route(
            "/staff/login/code",
            get(sign_in::code_form).post(sign_in::code),
        )
        .route("/staff/logout", post(sign_in::logout))
        .route(
            "/staff/setup/{token}",
            get(sign_in::setup_form).post(sign_in::setup),
        )
        .route("/staff/alerts", get(alerts::stream))
        .route("/staff/search", get(search::search))
        .route("/staff/observables/{kind}/{value}", get(observable::show))
        .route(
            "/staff/observables/{kind}/{value}/mode",
            post(observable::set_mode),
        )
        .route(
            "/staff/observables/{kind}/{value}/graph",
            get(graph::observable),
        )
        .route("/staff/facilities/{id}/graph", get(graph::facility))
        .route("/staff/facilities/{id}/assign", post(assign::facility))
        .route("/staff/tips/{id}/assign", post(assign::tip))
        .route(
            "/staff/facilities/{id}/keep-apart",
            post(facilities::keep_apart),
        )
        .route("/staff/facilities/{id}/merge", post(facilities::merge))
        .route("/staff/tips/{id}/split", post(facilities::split))
        .route("/staff/map", get(map::country))
        .route("/staff/map/{province}", get(map::province))
        .route("/staff/facilities", get(facilities::list))
        .route("/staff/facilities/{id}", get(facilities::show))
        .route("/staff/tips/{id}", get(desk::tip))
        .route("/staff/tips/{id}/reply", post(desk::reply))
        .route("/staff/tips/{id}/status", post(desk::status))
        .route("/staff/photos/{id}", get(desk::photo))
        .route("/staff/screen", get(screen::form).post(screen::submit))
        .route("/staff/screen/{id}/decision", post(screen::decide))
        .route("/staff/screenings", get(screenings::list))
        .route("/staff/screenings/{id}", get(screenings::show))
        .route(
            "/staff/screenings/{id}/referral",
            post(screenings::referral),
        )
        .route("/staff/dashboard", get(dashboard::page))
        .route("/staff/dashboard.csv", get(dashboard::csv))
        .route("/staff/fairness", get(screenings::report))
        .route("/staff/fairness.csv", get(screenings::csv))
        .route(
            "/staff/operations",
            get(operations::list).post(operations::plan),
        )
        .route("/staff/operations/{id}", get(operations::show))
        .route("/staff/operations/{id}/scan", post(operations::scan))
        .route("/staff/operations/{id}/csv", post(operations::csv))
        .route(
            "/staff/operations/{id}/outcome",
            post(operation_forms::outcome),
        )
        .route(
            "/staff/operations/{id}/dismantle",
            post(operation_forms::dismantle),
        )
        .route("/staff/items/{id}/image", post(operation_forms::image))
        .route("/staff/items/{id}", get(evidence::show))
        .route("/staff/items/{id}/transfer", post(evidence::transfer))
        .route("/staff/items/{id}/bundle", get(evidence::bundle))
        // Cases and prosecutions (issue 5).
        .route("/staff/cases", get(cases::list).post(cases::create))
        .route("/staff/cases/new", get(cases::new_form))
        .route("/staff/cases/{id}", get(cases::show))
        .route("/staff/cases/{id}/{action}", post(cases::act))
        // Persons met (issue 5).
        .route("/staff/operations/{id}/persons", post(persons_form::add))
        .route("/staff/persons/review", get(persons::review_queue))
        .route("/staff/persons/review/{id}", post(persons::decide))
        .route("/staff/persons/{id}", get(persons::show))
        .route(
            "/staff/persons/records/{id}/ack",
            post(persons::acknowledge),
        )
        // Immigration (issue 5, item 5).
        .route("/staff/immigration", get(immigration::show))
        .route("/staff/immigration/orders", post(immigration::record_order))
        .route(
            "/staff/immigration/departures",
            post(immigration::record_departure),
        )
        .route("/staff/immigration/import", post(immigration::import))
        .route("/staff/immigration/export.csv", get(immigration::export))
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

impl FromRequestParts<AppState> for StaffLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let pick = |s: &str| STAFF_LANGS.iter().copied().find(|l| *l == s);
        let from_query = parts
            .uri
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
            .and_then(pick);
        if let Some(l) = from_query {
            return Ok(StaffLang(l, true));
        }
        if let Some(l) = cookie(&parts.headers, LANG_COOKIE).and_then(pick) {
            return Ok(StaffLang(l, false));
        }
        let h = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let l = I18n::negotiate(h, "km");
        Ok(StaffLang(pick(l).unwrap_or("km"), false))
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
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/staff/login").into_response());
        };
        match staff::session(&state.vigil, token).await {
            Ok(Some(s)) => Ok(Staff(s)),
            Ok(None) => Err(Redirect::to("/staff/login").into_response()),
            Err(e) => {
                let lang = StaffLang::from_request_parts(parts, state)
                    .await
                    .map_or("km", |l| l.0);
                Err(problem_page(state, lang, &Problem::from_core(e, 0)))
            }
        }
    }
}

/// Refuses a state-changing request that came from another site (the
/// browser says so in `Sec-Fetch-Site` or `Origin`), besides the form's token.
pub(crate) fn same_site(headers: &HeaderMap) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == "same-origin" || v == "none");
    let origin_ok = match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        // Browsers send `Origin: null` under `Referrer-Policy: no-referrer`;
        // `Sec-Fetch-Site` then says where the request came from.
        (Some("null"), _) => true,
        (Some(o), Some(host)) => o.split_once("://").is_some_and(|(_, rest)| rest == host),
        _ => true,
    };
    site_ok && origin_ok
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/message.html")]
struct MessagePage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    message: String,
}

/// A page with one message (an error or a notice), in the staff's language.
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

/// A page showing a problem in the staff's language.
pub(crate) fn problem_page(state: &AppState, lang: &'static str, p: &Problem) -> Response {
    message_page(state, lang, p.status, p.message(state, lang))
}

/// The answer to a form whose CSRF token (or origin) is wrong.
pub(crate) fn csrf_refused(state: &AppState, lang: &'static str) -> Response {
    let t = Tr::new(&state.i18n, lang);
    message_page(state, lang, StatusCode::FORBIDDEN, t.t("staff-csrf"))
}

/// Maps a use-case error to the staff page for it.
pub(crate) fn core_error(state: &AppState, lang: &'static str, e: CoreError) -> Response {
    let max = state.vigil.settings.intake.max_photo_bytes;
    let mut r = problem_page(state, lang, &Problem::from_core(e, max));
    if r.status() == StatusCode::TOO_MANY_REQUESTS {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    r
}

/// The page header's account line and the links its role may follow.
pub struct Who {
    /// "Signed in as …".
    pub text: String,
    /// Whether the role screens travellers (the screen page's link).
    pub screens: bool,
    /// Whether the role reviews screenings (the list and the fairness report).
    pub reviews: bool,
    /// Whether the role reads operations (raids and seized evidence).
    pub operations: bool,
    /// Whether the role records and reads immigration records.
    pub immigration: bool,
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// "Signed in as …" for the page header, with the role's extra links.
pub(crate) fn who(t: &Tr<'_>, s: &Session) -> Who {
    Who {
        text: who_text(t, s),
        screens: s.principal.role.can(Capability::ScreenTravellers),
        reviews: s.principal.role.can(Capability::ReviewScreenings),
        operations: s.principal.role.can(Capability::ReadOperations),
        immigration: s.principal.role.can(Capability::RecordImmigration),
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
