//! `POST /api/v1/screenings` for border systems with an API token
//! (`Authorization: Bearer …`): one traveller in (the fields `vigil screen`
//! reads, strictly: an unknown field or value is 422 naming it), the screening
//! out. Only immigration accounts and admins screen (others 403); the
//! screening is stored with the traveller sealed, and audited, in `vigil-core`.
//! `POST /api/v1/screenings/{id}/decision` records what the officer decided.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use vigil_core::screenings;

use super::facilities::ApiStaff;
use super::wire::{DecisionIn, QuestionOut, ScreeningOut, ScreeningReasonOut};
use crate::error::ApiError;
use crate::state::AppState;

/// Where the traveller is screened.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PostQuery {
    /// The exit post's code (`KTI`, `SAI`, `KOS`, `POIPET`, `BAVET`…; see
    /// `vigil_domain::posts`); it must lie within the token's jurisdiction.
    #[serde(default)]
    post: String,
}

/// Screens one traveller and stores the screening.
#[utoipa::path(post, path = "/api/v1/screenings", params(PostQuery),
    security(("bearer" = [])),
    request_body(content = Object, content_type = "application/json",
        description = "One traveller: `ref`, `sex`, `age`, `nationality`, `destination`, \
            `purpose`, `documents` {`passport`, `visa`, `work_permit`, `employment_contract`, \
            `return_ticket`}, `guarantor`, `cash_usd`, `ticket_paid_by`, \
            `documents_held_by_other`, `companion_answers`, `job_offer` (null or {`text`, \
            `contact`, `employer`}), `officer_notes` — as `vigil screen` reads them."),
    responses((status = 201, body = ScreeningOut),
        (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut, description = "Not a screening role, or the post is outside the jurisdiction"),
        (status = 422, body = super::wire::ErrorOut, description = "A field (or the post) is wrong; the error names it")))]
pub async fn create(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    Query(q): Query<PostQuery>,
    body: String,
) -> Result<(StatusCode, Json<ScreeningOut>), ApiError> {
    crate::extract::check_json_text(&body)?;
    crate::extract::check_field("post", &q.post, Some(crate::extract::MAX_FIELD_CHARS))?;
    let s = screenings::screen(&state.vigil.screening, &p, &body, &q.post).await?;
    let out = ScreeningOut {
        id: s.id,
        reference: s.reference,
        outcome: s.screening.outcome.as_str().into(),
        score: s.screening.score,
        reasons: s
            .screening
            .reasons
            .into_iter()
            .map(|r| ScreeningReasonOut {
                code: r.code,
                weight: r.weight,
                evidence: r.evidence,
            })
            .collect(),
        policy: s.screening.policy,
        questions: s
            .screening
            .questions
            .into_iter()
            .map(|q| QuestionOut {
                code: q.code.into(),
                km: q.km,
                en: q.en,
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// Records the officer's decision and note on a stored screening (audited).
#[utoipa::path(post, path = "/api/v1/screenings/{id}/decision",
    params(("id" = i64, Path, description = "Screening id")),
    security(("bearer" = [])),
    request_body = DecisionIn,
    responses((status = 204, description = "Recorded"),
        (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut),
        (status = 404, body = super::wire::ErrorOut),
        (status = 422, body = super::wire::ErrorOut)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    Path(id): Path<i64>,
    body: String,
) -> Result<StatusCode, ApiError> {
    let fail = ApiError::from;
    crate::extract::check_json_text(&body)?;
    let d: DecisionIn = serde_json::from_str(&body).map_err(|e| {
        fail(vigil_core::CoreError::BadRequest(
            e.to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        ))
    })?;
    screenings::decide(&state.vigil.screening, &p, id, &d.decision, &d.note)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Routes of screenings.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/screenings", post(create))
        .route("/screenings/{id}/decision", post(decide))
}
