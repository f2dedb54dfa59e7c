//! The OpenAPI document: generated from the handlers and wire types, then
//! made to say what the server really does — the answers every operation
//! can give (a body the server cannot read, too large, of the wrong type, a
//! field it refuses, a busy server), the fields' limits and patterns, and
//! that a report needs its text or a photo.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use utoipa::OpenApi;
use vigil_core::settings::IntakeSettings;
use vigil_domain::tip::{MAX_CLIENT_REF_CHARS, MAX_LANGUAGE_CHARS};

use super::{check, facilities, feed, places, receipts, screenings, sync, tips, wire};
use crate::extract::MAX_FIELD_CHARS;
use crate::state::AppState;

/// The OpenAPI description, generated from the handlers and wire types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vigil API",
        version = "1",
        description = "Anonymous tips about scam compounds and trafficking in Cambodia."
    ),
    paths(
        tips::create,
        receipts::status,
        receipts::message,
        places::provinces,
        places::children,
        places::search,
        check::check_text,
        check::range,
        check::ranges,
        feed::latest_json,
        feed::latest_csv,
        feed::key,
        facilities::list,
        facilities::show,
        screenings::create,
        screenings::decide,
        sync::receive,
        sync::watchlist,
        crate::health::healthz,
        crate::health::readyz
    ),
    components(schemas(
        wire::TipIn,
        wire::DangerIn,
        wire::PhotoIn,
        wire::TipCreated,
        wire::ReceiptIn,
        wire::MessageIn,
        wire::MessageOut,
        wire::StatusOut,
        wire::RewardOut,
        wire::PlaceOut,
        wire::ErrorOut,
        wire::ErrorDetail,
        wire::ReasonOut,
        wire::FacilityOut,
        wire::FacilitiesOut,
        wire::FacilityTipOut,
        wire::FacilityDetailOut,
        wire::ScreeningOut,
        wire::ScreeningReasonOut,
        wire::QuestionOut,
        wire::DecisionIn,
        wire::SyncReceivedOut,
        wire::CheckIn,
        wire::BandOut,
        wire::StandingOut,
        wire::CheckedValueOut,
        wire::SignOut,
        wire::CheckOut,
        wire::RangeEntryOut,
        wire::RangeOut,
        wire::RangesIn,
        wire::RangesOut
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the bearer scheme the staff routes use (`vigil token create`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub(super) async fn openapi(State(state): State<AppState>) -> Json<Value> {
    Json(document(&state.vigil.settings.intake))
}

/// No control character at all (a code, a key, a tag).
const LINE: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";
/// No control character but tab, newline and carriage return.
const FREE_TEXT: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";
/// Sixteen digits (ASCII, Khmer, Thai, Lao, Myanmar or full-width), with
/// spaces, dots and dashes between them as people write them.
const RECEIPT: &str = "^[ .\\-\u{2010}-\u{2015}]*(?:[0-9\u{17e0}-\u{17e9}\u{0e50}-\u{0e59}\u{0ed0}-\u{0ed9}\u{1040}-\u{1049}\u{ff10}-\u{ff19}][ .\\-\u{2010}-\u{2015}]*){16}$";

/// The document, with the limits of `intake`.
pub fn document(intake: &IntakeSettings) -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|_| json!({}));
    answers(&mut doc);
    limits(&mut doc, intake);
    doc
}

/// The operations whose body must be sent as `application/json`.
const TYPED_JSON: [&str; 5] = [
    "/api/v1/tips",
    "/api/v1/check",
    "/api/v1/check/ranges",
    "/api/v1/receipts/status",
    "/api/v1/receipts/messages",
];

/// An error answer: the JSON error shape.
fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    })
}

/// Adds the answers an operation can give whatever its handler does.
fn answers(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let health = path == "/healthz" || path == "/readyz";
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (_, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            // The bodies read as `ApiJson` must say they are JSON.
            let json_body = TYPED_JSON.contains(&path.as_str());
            let has_body = op.contains_key("requestBody");
            let has_params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            let path_params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| p.iter().any(|p| p["in"] == "path"));
            let mut add = Vec::new();
            if path_params {
                add.push((
                    "404",
                    "Nothing there (or an empty path parameter, a path that names nothing)",
                ));
            }
            if has_body || has_params {
                add.push(("400", "The request does not read: a body that is not JSON or not UTF-8, a parameter of the wrong type"));
            }
            if has_body {
                add.push(("413", "The body is larger than the server takes"));
                add.push(("422", "A field breaks its rule (a control character, too long, a wrong value); the error names it"));
            }
            if json_body {
                add.push(("415", "The body is not sent as application/json"));
            }
            if !health {
                add.push((
                    "503",
                    "The server is busy or cannot store now; nothing was stored. See Retry-After",
                ));
            }
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else {
                continue;
            };
            for (status, description) in add {
                let answer = responses
                    .entry(status)
                    .or_insert_with(|| error(description));
                if status == "503" {
                    answer["headers"] = json!({"Retry-After": {
                        "description": "Seconds to wait before trying again",
                        "schema": {"type": "integer"}
                    }});
                }
            }
        }
    }
}

/// Sets `key` of the schema at `pointer`, when it is there.
fn set(doc: &mut Value, pointer: &str, key: &str, value: Value) {
    if let Some(Value::Object(o)) = doc.pointer_mut(pointer) {
        o.insert(key.to_string(), value);
    }
}

/// States the fields' limits on the wire types.
fn limits(doc: &mut Value, intake: &IntakeSettings) {
    let s = "/components/schemas";
    let line = |doc: &mut Value, schema: &str, field: &str, max: usize| {
        let p = format!("{s}/{schema}/properties/{field}");
        set(doc, &p, "maxLength", json!(max));
        set(doc, &p, "pattern", json!(LINE));
    };
    let free = |doc: &mut Value, schema: &str, field: &str, max: usize| {
        let p = format!("{s}/{schema}/properties/{field}");
        set(doc, &p, "maxLength", json!(max));
        set(doc, &p, "pattern", json!(FREE_TEXT));
    };
    free(doc, "TipIn", "text", intake.max_text_chars);
    free(doc, "TipIn", "place", intake.max_place_chars);
    for (field, digits) in [
        ("province_code", 2),
        ("district_code", 4),
        ("commune_code", 6),
        ("village_code", 8),
    ] {
        let p = format!("{s}/TipIn/properties/{field}");
        set(doc, &p, "maxLength", json!(digits));
        set(doc, &p, "pattern", json!(format!("^[0-9]{{{digits}}}$")));
    }
    line(doc, "TipIn", "language", MAX_LANGUAGE_CHARS);
    line(doc, "TipIn", "client_ref", MAX_CLIENT_REF_CHARS);
    let categories: Vec<Value> = vigil_domain::Category::ALL
        .iter()
        .map(|c| json!(c.as_str()))
        .chain([json!(""), Value::Null])
        .collect();
    set(
        doc,
        &format!("{s}/TipIn/properties/category"),
        "enum",
        Value::Array(categories),
    );
    for (field, lo, hi) in [("lat", -90, 90), ("lon", -180, 180)] {
        let p = format!("{s}/TipIn/properties/{field}");
        set(doc, &p, "minimum", json!(lo));
        set(doc, &p, "maximum", json!(hi));
    }
    // Coordinates come in pairs; a report needs its text or a photo.
    set(
        doc,
        &format!("{s}/TipIn"),
        "dependentRequired",
        json!({"lat": ["lon"], "lon": ["lat"]}),
    );
    set(
        doc,
        &format!("{s}/TipIn"),
        "anyOf",
        json!([
            {"required": ["text"], "properties": {"text": {"type": "string", "pattern": "\\S"}}},
            {"required": ["photos"], "properties": {"photos": {"type": "array", "minItems": 1}}}
        ]),
    );
    for schema in ["TipIn", "MessageIn"] {
        set(
            doc,
            &format!("{s}/{schema}/properties/photos"),
            "maxItems",
            json!(intake.max_photos),
        );
    }
    line(doc, "PhotoIn", "content_type", 100);
    set(
        doc,
        &format!("{s}/PhotoIn/properties/data_base64"),
        "maxLength",
        json!(intake.max_photo_bytes.div_ceil(3) * 4),
    );
    for schema in ["ReceiptIn", "MessageIn"] {
        set(
            doc,
            &format!("{s}/{schema}/properties/receipt"),
            "pattern",
            json!(RECEIPT),
        );
    }
    free(doc, "MessageIn", "body", intake.max_message_chars);
    free(doc, "CheckIn", "text", intake.max_text_chars);
    set(
        doc,
        &format!("{s}/RangesIn/properties/prefixes"),
        "maxItems",
        json!(vigil_core::check::MAX_PREFIXES),
    );
    set(
        doc,
        &format!("{s}/RangesIn/properties/prefixes/items"),
        "pattern",
        json!("^[0-9a-fA-F]{5}$"),
    );
    set(
        doc,
        &format!("{s}/DecisionIn/properties/decision"),
        "enum",
        json!(["clear", "interview", "refer"]),
    );
    free(doc, "DecisionIn", "note", MAX_FIELD_CHARS);
    if let Some(Value::Array(params)) =
        doc.pointer_mut("/paths/~1api~1v1~1check~1range~1{prefix}/get/parameters")
    {
        for param in params.iter_mut().filter(|p| p["name"] == "prefix") {
            param["schema"]["pattern"] = json!("^[0-9a-fA-F]{5}$");
        }
    }
    if let Some(Value::Array(params)) = doc.pointer_mut("/paths/~1api~1v1~1places/get/parameters") {
        for param in params.iter_mut().filter(|p| p["name"] == "q") {
            param["schema"]["maxLength"] = json!(places::MAX_QUERY_CHARS);
            param["schema"]["pattern"] = json!(LINE);
        }
    }
}
