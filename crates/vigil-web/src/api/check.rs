//! The public check as JSON (`POST /api/v1/check`), the k-anonymous range
//! API (`GET /api/v1/check/range/{prefix}`, anyone) and its bulk form for
//! partners (`POST /api/v1/check/ranges`, an API token whose role reads the
//! feed). The checked text and the prefixes are never stored or logged.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use vigil_core::check::{self, CheckedValue, PublicStanding, RangeEntry, Reported, ValueWarning};
use vigil_domain::check::RangePrefix;

use super::facilities::ApiStaff;
use super::wire::{
    BandOut, CheckIn, CheckOut, CheckedValueOut, RangeEntryOut, RangeOut, RangesIn, RangesOut,
    SignOut, StandingOut,
};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::state::AppState;

fn band(r: &Reported) -> Option<BandOut> {
    r.reports.map(|b| BandOut {
        from: b.from,
        to: b.to,
    })
}

fn standing(s: &Option<PublicStanding>) -> Option<StandingOut> {
    s.map(|s| StandingOut {
        standing: s.standing.name().to_string(),
        reason: s.reason.name().to_string(),
        since: s.since.to_string(),
    })
}

fn value_out(v: &CheckedValue) -> CheckedValueOut {
    let mut looks_like = None;
    let warnings = v
        .warnings
        .iter()
        .map(|w| match w {
            ValueWarning::Link(l) => l.as_str().to_string(),
            ValueWarning::LooksLike(d) => {
                looks_like = Some(d.clone());
                "looks_like".to_string()
            }
        })
        .collect();
    CheckedValueOut {
        kind: v.kind.as_str().to_string(),
        value: v.value.clone(),
        reports: band(&v.reported),
        provinces: v.reported.provinces.clone(),
        standing: standing(&v.reported.standing),
        warnings,
        looks_like,
    }
}

fn range_out(prefix: RangePrefix, min_reports: u32, entries: &[RangeEntry]) -> RangeOut {
    RangeOut {
        prefix: prefix.hex(),
        min_reports,
        entries: entries
            .iter()
            .map(|e| RangeEntryOut {
                suffix: e.suffix.clone(),
                kind: e.kind.as_str().to_string(),
                reports: band(&e.reported),
                standing: standing(&e.reported.standing),
            })
            .collect(),
    }
}

/// What the reports say about every identifier in a text.
#[utoipa::path(post, path = "/api/v1/check", request_body = CheckIn,
    responses((status = 200, body = CheckOut)))]
pub async fn check_text(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<CheckIn>,
) -> Result<Json<CheckOut>, ApiError> {
    let answer = check::check_text(&state.vigil.check, &body.text).await?;
    Ok(Json(CheckOut {
        min_reports: state.vigil.check.min_reports(),
        values: answer.values.iter().map(value_out).collect(),
        signs: answer
            .signs
            .iter()
            .map(|s| SignOut {
                sign: s.sign.clone(),
                evidence: s.evidence.clone(),
            })
            .collect(),
        cut: answer.cut,
    }))
}

/// The known values whose SHA-256 (of the normalised value) starts with
/// these 5 hexadecimal digits: compare the suffixes with your own value's.
#[utoipa::path(get, path = "/api/v1/check/range/{prefix}",
    params(("prefix" = String, Path, description = "The first 5 hexadecimal digits of the SHA-256 of the normalised value")),
    responses((status = 200, body = RangeOut),
        (status = 422, body = super::wire::ErrorOut, description = "Not 5 hexadecimal digits")))]
pub async fn range(
    State(state): State<AppState>,
    Path(prefix): Path<String>,
) -> Result<Response, ApiError> {
    let Some(p) = RangePrefix::parse(&prefix) else {
        return Err(ApiError(
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-field")
                .arg("field", "prefix")
                .arg("field-message", "field-not-a-choice")
                .arg("choices", "00000–fffff"),
        ));
    };
    let entries = check::range(&state.vigil.check, p).await?;
    let out = range_out(p, state.vigil.check.min_reports(), &entries);
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(out)).into_response())
}

/// Many ranges at once, for partners (telephone companies, banks,
/// platforms) with an API token.
#[utoipa::path(post, path = "/api/v1/check/ranges", request_body = RangesIn,
    security(("bearer" = [])),
    responses((status = 200, body = RangesOut), (status = 401, body = super::wire::ErrorOut),
        (status = 403, body = super::wire::ErrorOut)))]
pub async fn ranges(
    State(state): State<AppState>,
    ApiStaff(p): ApiStaff,
    ApiJson(body): ApiJson<RangesIn>,
) -> Result<Json<RangesOut>, ApiError> {
    let k = state.vigil.check.min_reports();
    let found = check::ranges(&state.vigil.check, &p, &body.prefixes).await?;
    Ok(Json(RangesOut {
        ranges: found
            .iter()
            .map(|(prefix, entries)| range_out(*prefix, k, entries))
            .collect(),
    }))
}

/// Routes of the check.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/check", post(check_text))
        .route("/check/range/{prefix}", get(range))
        .route("/check/ranges", post(ranges))
}
