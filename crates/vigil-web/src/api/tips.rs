//! `POST /api/v1/tips`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use base64::Engine;
use time::OffsetDateTime;
use vigil_core::intake::{self, TipRequest, Upload};
use vigil_domain::{Category, Channel, DangerFlags, Location, NewTip};

use super::wire::{PhotoIn, TipCreated, TipIn};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::state::AppState;

/// Decodes the photos of a JSON request.
pub(crate) fn decode_photos(photos: Vec<PhotoIn>) -> Result<Vec<Upload>, Problem> {
    photos
        .into_iter()
        .map(|p| {
            base64::engine::general_purpose::STANDARD
                .decode(p.data_base64.trim())
                .map(|bytes| Upload {
                    bytes,
                    declared_mime: p.content_type,
                })
                .map_err(|e| {
                    Problem::new(StatusCode::BAD_REQUEST, "bad-request")
                        .arg("detail", format!("data_base64: {e}"))
                })
        })
        .collect()
}

/// Stores a tip and answers its receipt.
#[utoipa::path(
    post, path = "/api/v1/tips", request_body = TipIn,
    responses(
        (status = 201, description = "Stored (or a retry with a known client_ref: same receipt, header Idempotent-Replayed)", body = TipCreated),
        (status = 400, description = "Malformed request", body = super::wire::ErrorOut),
        (status = 413, description = "Too large", body = super::wire::ErrorOut),
        (status = 415, description = "Not JSON, or a photo of the wrong type", body = super::wire::ErrorOut),
        (status = 422, description = "Breaks a rule (empty, too long, bad place codes)", body = super::wire::ErrorOut),
        (status = 503, description = "Not stored; try again", body = super::wire::ErrorOut),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TipIn>,
) -> Result<(StatusCode, HeaderMap, Json<TipCreated>), ApiError> {
    let err = ApiError;
    let category = match body.category.as_deref().map(str::trim) {
        None | Some("") => Category::Other,
        Some(c) => Category::parse(c).ok_or_else(|| {
            err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown-category",
            ))
        })?,
    };
    let photos = decode_photos(body.photos).map_err(err)?;
    let req = TipRequest {
        tip: NewTip {
            channel: Channel::Api,
            category,
            text: body.text,
            location: Location {
                province_code: body.province_code,
                district_code: body.district_code,
                commune_code: body.commune_code,
                village_code: body.village_code,
                place: body.place,
                lat: body.lat,
                lon: body.lon,
            },
            danger: DangerFlags {
                held: body.danger.held,
                passports_taken: body.danger.passports_taken,
                violence: body.danger.violence,
                children: body.danger.children,
            },
            received_at: OffsetDateTime::now_utc(),
            external_ref: None,
            language: body.language,
        },
        photos,
        use_photo_location: body.use_photo_location,
        client_ref: body.client_ref,
    };
    let done = intake::submit(&state.vigil.intake, req).await?;
    let mut headers = HeaderMap::new();
    if done.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((
        StatusCode::CREATED,
        headers,
        Json(TipCreated {
            receipt: done.receipt.grouped(),
            status: "received".into(),
            replayed: done.replayed,
        }),
    ))
}

/// Routes of tips.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new().route("/tips", post(create))
}
