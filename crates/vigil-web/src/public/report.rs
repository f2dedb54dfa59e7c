//! The report form and its receipt.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use vigil_core::CoreError;
use vigil_core::intake::{self, TipRequest};
use vigil_domain::gazetteer::{Unit, gazetteer};
use vigil_domain::{Category, Channel, DangerFlags, Location, NewTip};

use super::PathLang;
use super::multipart::{self, Fields};
use super::staging;
use crate::error::{PageError, Problem};
use crate::i18n::Tr;
use crate::state::AppState;

/// What the reporter typed, kept when the form is shown again.
#[derive(Debug, Default, Clone)]
pub struct ReportForm {
    text: String,
    category: String,
    province_code: String,
    district_code: String,
    commune_code: String,
    village_code: String,
    place: String,
    lat: String,
    lon: String,
    held: bool,
    passports_taken: bool,
    violence: bool,
    children: bool,
    use_photo_location: bool,
    /// The token of the photos staged at a narrowing step ("" for none).
    staged: String,
    /// How many photos are staged under it.
    staged_count: usize,
    /// Photos staged earlier expired: they must be attached again.
    staged_lost: bool,
}

impl ReportForm {
    fn from_fields(f: &Fields) -> Self {
        ReportForm {
            text: f.get("text").to_string(),
            category: f.get("category").to_string(),
            province_code: f.get("province_code").trim().to_string(),
            district_code: f.get("district_code").trim().to_string(),
            commune_code: f.get("commune_code").trim().to_string(),
            village_code: f.get("village_code").trim().to_string(),
            place: f.get("place").to_string(),
            lat: f.get("lat").trim().to_string(),
            lon: f.get("lon").trim().to_string(),
            held: f.checked("held"),
            passports_taken: f.checked("passports_taken"),
            violence: f.checked("violence"),
            children: f.checked("children"),
            use_photo_location: f.checked("use_photo_location"),
            ..ReportForm::default()
        }
    }

    /// Drops lower choices that do not lie in the higher ones (the reporter
    /// changed the province after choosing a district, say).
    fn prune(&mut self) {
        let g = gazetteer();
        let inside = |child: &str, parent: &str| {
            g.get(child).and_then(|u| u.parent.as_deref()) == Some(parent)
        };
        if !self.district_code.is_empty() && !inside(&self.district_code, &self.province_code) {
            self.district_code.clear();
        }
        if !self.commune_code.is_empty() && !inside(&self.commune_code, &self.district_code) {
            self.commune_code.clear();
        }
        if !self.village_code.is_empty() && !inside(&self.village_code, &self.commune_code) {
            self.village_code.clear();
        }
    }
}

/// An option of a picker.
pub struct Opt {
    code: String,
    label: String,
    selected: bool,
}

/// A category choice.
pub struct CategoryOpt {
    code: &'static str,
    label: String,
    selected: bool,
}

fn options<'a>(lang: &str, units: impl Iterator<Item = &'a Unit>, selected: &str) -> Vec<Opt> {
    units
        .map(|u| Opt {
            code: u.code.clone(),
            label: if lang == "km" {
                u.name_km.clone()
            } else {
                format!("{} ({})", u.name_en, u.name_km)
            },
            selected: u.code == selected,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    form: ReportForm,
    error: Option<String>,
    categories: Vec<CategoryOpt>,
    provinces: Vec<Opt>,
    districts: Vec<Opt>,
    communes: Vec<Opt>,
    villages: Vec<Opt>,
    max_text: usize,
    max_place: usize,
    max_mb: usize,
    max_photos: usize,
}

fn render_form<'s>(
    state: &'s AppState,
    lang: &'static str,
    mut form: ReportForm,
    error: Option<String>,
) -> ReportPage<'s> {
    form.prune();
    let g = gazetteer();
    let t = Tr::new(&state.i18n, lang);
    let limits = &state.vigil.settings.intake;
    let child_opts = |parent: &str, selected: &str| {
        if parent.is_empty() {
            Vec::new()
        } else {
            options(lang, g.children(parent), selected)
        }
    };
    ReportPage {
        t,
        switch_path: "",
        categories: Category::ALL
            .iter()
            .map(|c| CategoryOpt {
                code: c.as_str(),
                label: t.t(&format!("cat-{}", c.as_str())),
                selected: form.category == c.as_str(),
            })
            .collect(),
        provinces: options(lang, g.provinces(), &form.province_code),
        districts: child_opts(&form.province_code, &form.district_code),
        communes: child_opts(&form.district_code, &form.commune_code),
        villages: child_opts(&form.commune_code, &form.village_code),
        form,
        error,
        max_text: limits.max_text_chars,
        max_place: limits.max_place_chars,
        max_mb: limits.max_photo_bytes.div_ceil(1024 * 1024),
        max_photos: limits.max_photos,
    }
}

/// `GET /{lang}/`: the empty form.
pub async fn form(State(state): State<AppState>, PathLang(lang): PathLang) -> Response {
    render_form(&state, lang, ReportForm::default(), None).into_response()
}

/// The form with `text` filled in (from the check's "report this"), as a
/// recruitment report; nothing is stored until the reporter sends it.
pub(super) fn prefilled(state: &AppState, lang: &'static str, text: String) -> Response {
    let form = ReportForm {
        text,
        category: Category::Recruitment.as_str().to_string(),
        ..ReportForm::default()
    };
    render_form(state, lang, form, None).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "receipt.html")]
struct ReceiptPage<'a> {
    t: Tr<'a>,
    switch_path: &'a str,
    receipt: String,
}

fn parse_coord(s: &str) -> Result<Option<f64>, ()> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>().map(Some).map_err(|_| ())
}

/// `POST /{lang}/report`: narrows the pickers, or stores the tip and shows the receipt.
pub async fn submit(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let limits = state.vigil.settings.intake.clone();
    let mp = mp.map_err(|e| {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", e.body_text())
    })?;
    let mut fields = multipart::read(mp, limits.max_photos).await?;
    let mut form = ReportForm::from_fields(&fields);
    // Photos staged at an earlier narrowing step, unless the reporter
    // removed them; an expired token is said plainly.
    let token = fields.get("staged").trim().to_string();
    let mut staged = staging::load(&state, &token).await;
    form.staged_lost = !token.is_empty() && staged.is_none();
    if fields.checked("remove_staged") {
        staging::remove(&state, &token).await;
        staged = None;
    }
    let show_error = |p: Problem, form: ReportForm| {
        let msg = p.text(&state, lang);
        Ok((p.status, render_form(&state, lang, form, Some(msg))).into_response())
    };
    if fields.checked("narrow") {
        let photos = std::mem::take(&mut fields.photos);
        if !photos.is_empty() || staged.is_some() {
            // A refused photo leaves the ones kept before as they were.
            if let Some(kept) = &staged {
                form.staged = token.clone();
                form.staged_count = kept.count();
            }
            match staging::stage(&state, &token, staged, photos, form.use_photo_location).await {
                Ok((new, kept)) => {
                    form.staged = new;
                    form.staged_count = kept.count();
                }
                Err(p) => return show_error(p, form),
            }
        }
        return Ok(render_form(&state, lang, form, None).into_response());
    }
    // The staged photos come first, as they were attached first; the
    // position read from them is used when asked and none was typed.
    let mut photos = Vec::new();
    if let Some(kept) = &staged {
        form.staged = token.clone();
        form.staged_count = kept.count();
        photos = kept.uploads();
        if let Some((lat, lon)) = kept.gps()
            && form.use_photo_location
            && form.lat.is_empty()
            && form.lon.is_empty()
        {
            form.lat = lat.to_string();
            form.lon = lon.to_string();
        }
    }
    photos.append(&mut fields.photos);
    if photos.len() > limits.max_photos {
        return show_error(
            Problem::from_core(CoreError::TooLarge(limits.max_photos)),
            form,
        );
    }
    let (lat, lon) = match (parse_coord(&form.lat), parse_coord(&form.lon)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            return show_error(
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "bad-coordinates"),
                form,
            );
        }
    };
    let category = if form.category.is_empty() {
        Category::Other
    } else {
        match Category::parse(&form.category) {
            Some(c) => c,
            None => {
                return show_error(
                    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown-category"),
                    form,
                );
            }
        }
    };
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let req = TipRequest {
        tip: NewTip {
            channel: Channel::Web,
            category,
            text: form.text.clone(),
            location: Location {
                province_code: opt(&form.province_code),
                district_code: opt(&form.district_code),
                commune_code: opt(&form.commune_code),
                village_code: opt(&form.village_code),
                place: opt(&form.place),
                lat,
                lon,
            },
            danger: DangerFlags {
                held: form.held,
                passports_taken: form.passports_taken,
                violence: form.violence,
                children: form.children,
            },
            received_at: OffsetDateTime::now_utc(),
            external_ref: None,
            language: Some(lang.to_string()),
        },
        photos,
        use_photo_location: form.use_photo_location,
        client_ref: None,
    };
    match intake::submit(&state.vigil.intake, req).await {
        Ok(done) => {
            staging::remove(&state, &token).await;
            Ok(ReceiptPage {
                t: Tr::new(&state.i18n, lang),
                switch_path: "follow-up",
                receipt: done.receipt.grouped(),
            }
            .into_response())
        }
        Err(
            e @ (CoreError::Invalid(_)
            | CoreError::InvalidField(_)
            | CoreError::Photo(_)
            | CoreError::TooLarge(_)),
        ) => {
            let p = Problem::from_core(e).arg("count", limits.max_photos);
            show_error(p, form)
        }
        Err(e) => Err(e.into()),
    }
}

/// Routes of the report form.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/{lang}/", get(form))
        .route("/{lang}/report", post(submit).get(super::lang_root))
}
