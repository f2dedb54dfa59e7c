//! The follow-up pages: type the receipt, read the status and thread, reply.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::followup::{self, ThreadView};

use super::{PathLang, multipart};
use crate::display::{day, when};
use crate::error::Problem;
use crate::extract::Client;
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "followup.html")]
struct FollowupPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    error: Option<String>,
}

/// The reward shown in the thread: the code and how to claim it.
pub struct RewardPanel {
    code: String,
    how: String,
    claimed: Option<String>,
}

/// One message as shown.
pub struct MessageLine {
    from_reporter: bool,
    who: String,
    when: String,
    body: String,
    photos: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "thread.html")]
struct ThreadPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    status: String,
    received: String,
    report_photos: String,
    messages: Vec<MessageLine>,
    receipt: String,
    error: Option<String>,
    reward: Option<RewardPanel>,
}

fn thread_page<'a>(
    state: &'a AppState,
    lang: &'static str,
    view: ThreadView,
    receipt: &str,
    error: Option<String>,
) -> ThreadPage<'a> {
    let t = Tr::new(&state.i18n, lang);
    let channel = state.vigil.settings.public.reward_channel.trim();
    let reward = view.reward.map(|r| RewardPanel {
        code: r.code,
        how: if channel.is_empty() {
            t.t("reward-claim-in-person")
        } else {
            t.t1("reward-claim-channel", "channel", channel)
        },
        claimed: r
            .status
            .claimed_at
            .map(|at| t.t1("reward-claimed", "date", day(t.lang, at))),
    });
    ThreadPage {
        t,
        reward,
        switch_path: "follow-up",
        status: t.t(&format!("status-{}", view.status.as_str())),
        received: t.t1("received-on", "date", when(t.lang, view.received_at)),
        report_photos: t.t1("report-photos", "count", view.report_photos),
        messages: view
            .messages
            .into_iter()
            .map(|m| MessageLine {
                from_reporter: m.from_reporter,
                who: t.t(if m.from_reporter {
                    "from-you"
                } else {
                    "from-analyst"
                }),
                when: when(t.lang, m.created_at),
                body: m.body,
                photos: m.photos,
            })
            .collect(),
        receipt: receipt.to_string(),
        error,
    }
}

fn followup_with_error(state: &AppState, lang: &'static str, p: &Problem) -> Response {
    let page = FollowupPage {
        t: Tr::new(&state.i18n, lang),
        switch_path: "follow-up",
        error: Some(p.text(state, lang)),
    };
    (p.status, page).into_response()
}

fn receipt_problem(e: CoreError) -> Problem {
    match e {
        CoreError::NotFound => Problem::new(StatusCode::NOT_FOUND, "receipt-not-found"),
        other => Problem::from_core(other),
    }
}

/// `GET /{lang}/follow-up`.
pub async fn form(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    FollowupPage {
        t: Tr::new(&state.i18n, lang),
        switch_path: "follow-up",
        error: None,
    }
    .into_response()
}

/// The receipt form's body.
#[derive(Deserialize)]
pub struct ReceiptForm {
    #[serde(default)]
    receipt: String,
}

/// `POST /{lang}/follow-up`: opens the thread.
pub async fn open(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Client(client): Client,
    form: Result<Form<ReceiptForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return followup_with_error(
            &state,
            lang,
            &Problem::new(StatusCode::BAD_REQUEST, "receipt-format"),
        );
    };
    match followup::open(&state.vigil.intake, &form.receipt, client).await {
        Ok(view) => thread_page(&state, lang, view, form.receipt.trim(), None).into_response(),
        Err(e) => followup_with_error(&state, lang, &receipt_problem(e)),
    }
}

/// `POST /{lang}/follow-up/reply`: adds the reporter's message and photos.
pub async fn reply(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Client(client): Client,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let limits = state.vigil.settings.intake.clone();
    let fields = match mp {
        Ok(mp) => match multipart::read(mp, limits.max_photos).await {
            Ok(f) => f,
            Err(p) => return followup_with_error(&state, lang, &p),
        },
        Err(e) => {
            let p =
                Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", e.body_text());
            return followup_with_error(&state, lang, &p);
        }
    };
    let receipt = fields.get("receipt").trim().to_string();
    let body = fields.get("body").to_string();
    match followup::reporter_reply(&state.vigil.intake, &receipt, client, &body, fields.photos)
        .await
    {
        Ok(view) => thread_page(&state, lang, view, &receipt, None).into_response(),
        Err(e @ (CoreError::Invalid(_) | CoreError::Photo(_) | CoreError::TooLarge(_))) => {
            // Show the thread again with the problem, so nothing typed is lost.
            let p = Problem::from_core(e)
                .arg("count", limits.max_photos)
                .arg("max", limits.max_message_chars);
            match followup::open(&state.vigil.intake, &receipt, client).await {
                Ok(view) => {
                    let msg = p.text(&state, lang);
                    (
                        p.status,
                        thread_page(&state, lang, view, &receipt, Some(msg)),
                    )
                        .into_response()
                }
                Err(e) => followup_with_error(&state, lang, &receipt_problem(e)),
            }
        }
        Err(e) => followup_with_error(&state, lang, &receipt_problem(e)),
    }
}

/// Routes of the follow-up pages.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/{lang}/follow-up", get(form).post(open))
        .route("/{lang}/follow-up/reply", post(reply))
}
