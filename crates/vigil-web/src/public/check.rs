//! `/{lang}/check`: paste a number, link, handle, wallet or a whole message
//! and see what Vigil's reports say about each identifier in it. The text
//! arrives by POST (never in a URL), is never stored or logged, and the
//! answer says nothing below `[check] min_reports` independent reports.
//! "Report this" opens the report form with the text filled in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigil_core::check::{self, CheckAnswer, CheckedValue, PublicStanding, ValueWarning};
use vigil_domain::Standing;

use super::PathLang;
use crate::display::unit_name;
use crate::error::Problem;
use crate::extract::check_field;
use crate::i18n::Tr;
use crate::state::AppState;

/// One identifier as the page shows it.
pub struct ValueView {
    /// Its kind, in the reader's language.
    kind: String,
    /// The value as normalised.
    value: String,
    /// What the reports say, one sentence.
    reports: String,
    /// Whether anything is known (drawn apart).
    known: bool,
    /// The standing's sentence and reason, if any.
    standing: Option<(String, String)>,
    /// `confirmed`, `investigating` or `cleared`, for the page's style.
    standing_class: &'static str,
    /// Provinces named, in the reader's language.
    provinces: String,
    /// Warnings of the value itself.
    warnings: Vec<String>,
}

/// One warning sign found in the text.
pub struct SignView {
    /// Its title.
    title: String,
    /// Why it is a warning sign.
    why: String,
    /// The words that showed it.
    evidence: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "check.html")]
struct CheckPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    text: String,
    error: Option<String>,
    answered: bool,
    values: Vec<ValueView>,
    signs: Vec<SignView>,
    cut: bool,
    max_values: usize,
    max_text: usize,
}

impl<'a> CheckPage<'a> {
    fn empty(state: &'a AppState, lang: &'static str) -> Self {
        CheckPage {
            t: Tr::new(&state.i18n, lang),
            switch_path: "check",
            text: String::new(),
            error: None,
            answered: false,
            values: Vec::new(),
            signs: Vec::new(),
            cut: false,
            max_values: check::MAX_VALUES,
            max_text: state.vigil.settings.intake.max_text_chars,
        }
    }
}

fn standing_view(t: &Tr<'_>, s: &PublicStanding) -> (String, String) {
    let date = s.since.to_string();
    (
        t.t1(
            &format!("check-standing-{}", s.standing.name()),
            "date",
            date,
        ),
        t.t(&format!("check-reason-{}", s.reason.name())),
    )
}

fn value_view(t: &Tr<'_>, lang: &str, v: &CheckedValue) -> ValueView {
    let r = &v.reported;
    let reports = match r.reports {
        Some(b) => match b.to {
            Some(to) => t.t2("check-reports-band", "from", b.from, "to", to),
            None => t.t1("check-reports-open", "from", b.from),
        },
        None if r.standing.is_some() => t.t("check-reports-hidden"),
        None => t.t("check-reports-none"),
    };
    let provinces = r
        .provinces
        .iter()
        .map(|p| unit_name(Some(p), lang))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let warnings = v
        .warnings
        .iter()
        .map(|w| match w {
            ValueWarning::Link(l) => t.t(&format!("check-warn-{}", l.as_str())),
            ValueWarning::LooksLike(domain) => t.t1("check-warn-looks-like", "domain", domain),
        })
        .collect();
    ValueView {
        kind: t.t(&format!("check-kind-{}", v.kind.as_str())),
        value: v.value.clone(),
        reports,
        known: r.is_known(),
        standing: r.standing.as_ref().map(|s| standing_view(t, s)),
        standing_class: match r.standing.map(|s| s.standing) {
            Some(Standing::Confirmed) => "confirmed",
            Some(Standing::Investigating) => "investigating",
            Some(Standing::Cleared) => "cleared",
            None => "",
        },
        provinces,
        warnings,
    }
}

fn answer_page<'a>(
    state: &'a AppState,
    lang: &'static str,
    text: String,
    answer: &CheckAnswer,
) -> CheckPage<'a> {
    let mut page = CheckPage::empty(state, lang);
    let t = page.t;
    page.values = answer
        .values
        .iter()
        .map(|v| value_view(&t, lang, v))
        .collect();
    page.signs = answer
        .signs
        .iter()
        .map(|s| SignView {
            title: t.t(&format!("sign-{}", s.sign)),
            why: t.t(&format!("sign-{}-why", s.sign)),
            evidence: s.evidence.clone(),
        })
        .collect();
    page.cut = answer.cut;
    page.answered = true;
    page.text = text;
    page
}

/// `GET /{lang}/check`: the empty form.
pub async fn form(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    CheckPage::empty(&state, lang).into_response()
}

/// The check form's body.
#[derive(Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    text: String,
}

fn with_error(state: &AppState, lang: &'static str, text: String, p: &Problem) -> Response {
    let mut page = CheckPage::empty(state, lang);
    page.error = Some(p.text(state, lang));
    page.text = text;
    (p.status, page).into_response()
}

/// `POST /{lang}/check`: the answer.
pub async fn answer(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    form: Result<Form<CheckForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        let p = Problem::new(StatusCode::BAD_REQUEST, "bad-request");
        return with_error(&state, lang, String::new(), &p);
    };
    if let Err(p) = check_field("text", &form.text, None) {
        return with_error(&state, lang, String::new(), &p);
    }
    match check::check_text(&state.vigil.check, &form.text).await {
        Ok(a) => answer_page(&state, lang, form.text, &a).into_response(),
        Err(e) => {
            let p = Problem::from_core(e).arg("max", state.vigil.settings.intake.max_text_chars);
            with_error(&state, lang, form.text, &p)
        }
    }
}

/// `POST /{lang}/check/report`: the report form with the checked text.
pub async fn report(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    form: Result<Form<CheckForm>, FormRejection>,
) -> Response {
    let text = match form {
        Ok(Form(f)) if check_field("text", &f.text, None).is_ok() => f.text,
        _ => String::new(),
    };
    super::report::prefilled(&state, lang, text)
}

/// Routes of the check.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/{lang}/check", get(form).post(answer))
        .route("/{lang}/check/report", post(report))
}
