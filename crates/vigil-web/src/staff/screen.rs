//! The officer's screen at the counter: `GET /staff/screen` (the traveller's
//! form), `POST /staff/screen` (screens through `vigil-core::screenings`, the
//! same path as the API, and shows the advice, every reason with its
//! evidence and the questions to ask next) and
//! `POST /staff/screen/{id}/decision` (the officer's decision and note, then
//! a fresh form). Built for the keyboard: the first field has focus, every
//! choice of a select starts with its shortcut letter (the post with its
//! code), shown next to the label in the page's language; the passport is a
//! yes/no pair with no default (Space cannot silently undo it); Enter
//! submits from a text field without script, and from a select with the
//! page's script.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use vigil_core::CoreError;
use vigil_core::screenings::{self, Screened};
use vigil_core::staff::Session;
use vigil_domain::Capability;

use super::form::StaffForm;
use super::{Staff, StaffLang, Who, cookie, set_cookie, who};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::localize;
use crate::state::AppState;

/// The cookie remembering the officer's post.
const POST_COOKIE: &str = "vigil_post";

/// The choices of each select: (field, values); labels are `screen-{field}-{value}`.
const CHOICES: [(&str, &[&str]); 5] = [
    ("sex", &["female", "male", "other", "unspecified"]),
    (
        "purpose",
        &["tourism", "work", "study", "family", "business", "other"],
    ),
    ("visa", &["none", "tourist", "work", "student", "other"]),
    ("guarantor", &["none", "unverified", "verified"]),
    (
        "ticket_paid_by",
        &["self", "family", "employer", "recruiter", "unknown"],
    ),
];

/// The traveller's form, as typed (kept to show it again on an error).
#[derive(Debug, Default, Deserialize)]
pub struct ScreenForm {
    #[serde(default)]
    post: String,
    #[serde(default, rename = "ref")]
    reference: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    age: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    passport: Option<String>,
    #[serde(default)]
    visa: String,
    #[serde(default)]
    work_permit: Option<String>,
    #[serde(default)]
    employment_contract: Option<String>,
    #[serde(default)]
    return_ticket: Option<String>,
    #[serde(default)]
    guarantor: String,
    #[serde(default)]
    cash_usd: String,
    #[serde(default)]
    ticket_paid_by: String,
    #[serde(default)]
    documents_held_by_other: Option<String>,
    #[serde(default)]
    companion_answers: Option<String>,
    #[serde(default)]
    offer_text: String,
    #[serde(default)]
    offer_contact: String,
    #[serde(default)]
    offer_employer: String,
    #[serde(default)]
    officer_notes: String,
}

impl ScreenForm {
    /// The traveller as `vigil_screening::Traveller` reads it; what does not
    /// parse is sent as typed, so the core names the field.
    fn traveller_json(&self, lang: &str) -> String {
        let int = |s: &str| {
            s.trim()
                .parse::<i64>()
                .map_or_else(|_| Value::from(s.trim()), Value::from)
        };
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .map_or_else(|_| Value::from(s.trim()), Value::from)
        };
        let offer = if [&self.offer_text, &self.offer_contact, &self.offer_employer]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            Value::Null
        } else {
            json!({"text": self.offer_text.trim(), "contact": self.offer_contact.trim(),
                   "employer": self.offer_employer.trim()})
        };
        json!({
            "ref": self.reference.trim(),
            "sex": self.sex,
            "age": int(&self.age),
            "nationality": crate::display::country_code(lang, &self.nationality),
            "destination": crate::display::country_code(lang, &self.destination),
            "purpose": self.purpose,
            "documents": {
                "passport": self.passport.as_deref() == Some("yes"),
                "visa": self.visa,
                "work_permit": self.work_permit.is_some(),
                "employment_contract": self.employment_contract.is_some(),
                "return_ticket": self.return_ticket.is_some(),
            },
            "guarantor": self.guarantor,
            "cash_usd": num(&self.cash_usd),
            "ticket_paid_by": self.ticket_paid_by,
            "documents_held_by_other": self.documents_held_by_other.is_some(),
            "companion_answers": self.companion_answers.is_some(),
            "job_offer": offer,
            "officer_notes": self.officer_notes.trim(),
        })
        .to_string()
    }

    fn fresh() -> ScreenForm {
        ScreenForm {
            nationality: "KH".into(),
            ..ScreenForm::default()
        }
    }
}

/// The form field an error names (`documents.visa` is the `visa` field).
fn field_of(error_field: &str) -> String {
    let f = error_field
        .trim_start_matches("documents.")
        .replace("job_offer.", "offer_");
    if f == "job_offer" {
        "offer_text".into()
    } else {
        f
    }
}

/// What is wrong with `field`, in the page's language: the field's own
/// message when one is written (`screen-error-age`…), else a general one that
/// quotes the reader's words.
fn field_message(t: &Tr<'_>, field: &str, message: &str) -> String {
    let key = format!("screen-error-{field}");
    let own = t.t(&key);
    if own == key {
        t.t1("screen-error-other", "message", message)
    } else {
        own
    }
}

/// One choice of a select: (value, label, selected).
type Choice = (String, String, bool);

/// The advice just given.
pub struct Advice {
    id: i64,
    reference: String,
    outcome: String,
    outcome_label: String,
    score: u32,
    policy: String,
    in_scope: bool,
    reasons: Vec<(String, u32, String)>,
    questions: Vec<String>,
}

/// A reason's label in the page's language (its code when none is written).
pub(crate) fn reason_label(t: &Tr<'_>, code: &str) -> String {
    let key = format!("reason-{code}");
    let label = t.t(&key);
    if label == key {
        code.to_string()
    } else {
        label
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/screen.html")]
struct ScreenPage<'a> {
    /// Every country (code, name), suggested as a country is typed.
    countries: Vec<(&'static str, String)>,
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    posts: Vec<Choice>,
    f: ScreenForm,
    selects: Vec<(&'static str, Vec<Choice>)>,
    error: Option<(String, String)>,
    notice: Option<String>,
    advice: Option<Advice>,
}

impl ScreenPage<'_> {
    /// The choices of the select `name`.
    fn choices(&self, name: &str) -> &[Choice] {
        self.selects
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, c)| c.as_slice())
    }

    /// The shortcut letter of a choice: its value's first letter, as the
    /// option's text starts with it.
    fn key(&self, value: &str) -> String {
        value
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    }

    /// Whether the passport answer is `value` (`yes` or `no`).
    fn passport_is(&self, value: &str) -> bool {
        self.f.passport.as_deref() == Some(value)
    }

    /// Whether a post is chosen (else the post select takes the focus).
    fn post_chosen(&self) -> bool {
        self.posts.iter().any(|(_, _, on)| *on)
    }

    /// The error message if it is about `field`.
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn page<'a>(
    t: Tr<'a>,
    s: &Session,
    post: &str,
    mut f: ScreenForm,
    error: Option<(String, String)>,
) -> ScreenPage<'a> {
    // Countries are shown and typed by name; a code (the default, or one
    // typed) is shown as its name.
    for c in [&mut f.nationality, &mut f.destination] {
        if c.trim().len() == 2 {
            *c = localize::country(t.lang, c);
        }
    }
    // No post is chosen for the officer unless it is the one remembered or
    // the only one of the jurisdiction: a wrong post would go unnoticed.
    let mine = screenings::posts_for(&s.principal);
    let only = mine.len() == 1;
    let posts = mine
        .into_iter()
        .map(|p| {
            let chosen = only || p.code.eq_ignore_ascii_case(post);
            (p.code.clone(), p.name(t.lang).to_string(), chosen)
        })
        .collect();
    let selects = CHOICES
        .iter()
        .map(|(name, values)| {
            let current = match *name {
                "sex" => &f.sex,
                "purpose" => &f.purpose,
                "visa" => &f.visa,
                "guarantor" => &f.guarantor,
                _ => &f.ticket_paid_by,
            };
            let list = values
                .iter()
                .map(|v| {
                    let label = t.t(&format!("screen-{name}-{v}"));
                    ((*v).to_string(), label, current == v)
                })
                .collect();
            (*name, list)
        })
        .collect();
    ScreenPage {
        countries: localize::countries(t.lang),
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        posts,
        f,
        selects,
        error,
        notice: None,
        advice: None,
    }
}

/// `?post=` and `?done=` of the screen page.
#[derive(Deserialize)]
pub struct ScreenQuery {
    #[serde(default)]
    post: String,
    #[serde(default)]
    done: Option<i64>,
}

/// `GET /staff/screen`: a fresh form at the officer's post.
pub async fn form(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    headers: HeaderMap,
    Query(q): Query<ScreenQuery>,
) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::ScreenTravellers) {
        return Err(CoreError::Forbidden.into());
    }
    let t = Tr::new(&state.i18n, lang.0);
    let post = if q.post.is_empty() {
        cookie(&headers, POST_COOKIE)
            .unwrap_or_default()
            .to_string()
    } else {
        q.post.clone()
    };
    let mut view = page(t, &s, &post, ScreenForm::fresh(), None);
    view.notice = q
        .done
        .map(|id| t.t1("screen-recorded", "ref", format!("#{id}")));
    Ok(lang.remember(&state, view.into_response()))
}

/// `POST /staff/screen`: screens the traveller and shows the advice.
pub async fn submit(
    State(state): State<AppState>,
    lang: StaffLang,
    _headers: HeaderMap,
    StaffForm(s, f): StaffForm<ScreenForm>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let post = f.post.clone();
    // The passport is answered yes or no, never assumed.
    if !matches!(f.passport.as_deref(), Some("yes" | "no")) {
        let message = t.t("desk-error-passport");
        let mut r = page(t, &s, &post, f, Some(("passport".into(), message))).into_response();
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let done = screenings::screen(
        &state.vigil.screening,
        &s.principal,
        &f.traveller_json(t.lang),
        &post,
    )
    .await;
    let mut r = match done {
        Ok(screened) => {
            let mut view = page(t, &s, &post, ScreenForm::fresh(), None);
            view.advice = Some(advice(&t, screened));
            view.into_response()
        }
        Err(CoreError::InvalidField(fe)) => {
            let field = fe.field.clone();
            let message = crate::i18n::Tr::new(&state.i18n, lang.0).field_error(&fe);
            let field = field_of(&field);
            let message = field_message(&t, &field, &message);
            let mut r = page(t, &s, &post, f, Some((field, message))).into_response();
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(p) = vigil_domain::posts::post(&post) {
        r.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, POST_COOKIE, &p.code, 31_536_000),
        );
    }
    Ok(r)
}

fn advice(t: &Tr<'_>, s: Screened) -> Advice {
    let km = t.lang == "km";
    Advice {
        id: s.id,
        reference: s.reference,
        outcome: s.screening.outcome.as_str().into(),
        outcome_label: t.t(&format!("screen-outcome-{}", s.screening.outcome.as_str())),
        score: s.screening.score,
        policy: s.screening.policy,
        in_scope: s.screening.in_scope,
        reasons: s
            .screening
            .reasons
            .into_iter()
            .map(|r| {
                let evidence = r
                    .facts
                    .iter()
                    .map(|f| {
                        let args = f.args.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                        crate::reasons::screening_fact(t, &f.id, args)
                    })
                    .collect::<Vec<_>>()
                    .join(t.t("reasons-separator").as_str());
                (reason_label(t, &r.code), r.weight, evidence)
            })
            .collect(),
        questions: s
            .screening
            .questions
            .into_iter()
            .map(|q| if km { q.km } else { q.en })
            .collect(),
    }
}

/// The officer's decision.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /staff/screen/{id}/decision`: records it, then a fresh form.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<DecisionForm>,
) -> Result<Redirect, PageError> {
    screenings::decide(
        &state.vigil.screening,
        &s.principal,
        id,
        &f.decision,
        &f.note,
    )
    .await?;
    // The screening's number, never the traveller's reference (often a
    // passport number): a URL stays in the counter's browser history.
    Ok(Redirect::to(&format!("/staff/screen?done={id}")))
}

/// Routes of screening a traveller.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/screen", get(form).post(submit))
        .route("/staff/screen/{id}/decision", post(decide))
}
