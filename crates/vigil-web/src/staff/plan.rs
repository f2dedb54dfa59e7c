//! Planning a raid, so that no one types or reads a code:
//! `GET /staff/operations` (the list of operations within the jurisdiction
//! and, for roles that record, the form to plan one; `?facility=` ticks that
//! facility and chooses its province) and `POST /staff/operations` (plans
//! one, or with `narrow` shows the form again with the lists below the place
//! chosen filled, for browsers without JavaScript). The province, district
//! and commune are lists of names in the reader's language (a lower list
//! filled by the page's script once the higher one is chosen, or by
//! "narrow"; or found by a name typed in any spelling), the facilities those
//! of the chosen province (else the top of the queue) by their readable
//! names, with their tips and priority. Access is decided in `vigil-core`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigil_core::operations::{self, OperationInput};
use vigil_core::staff::Session;
use vigil_core::{CoreError, atlas, desk};
use vigil_domain::Capability;
use vigil_domain::FacilityId;
use vigil_domain::gazetteer::{Unit, gazetteer};

use super::form::StaffForm;
use super::{Staff, StaffLang, Who, who};
use crate::display::{OFFSET, facility_name, local_time, unit_name, with_offset};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// How many facilities the form offers besides those already ticked.
const OFFERED: usize = 20;

/// One choice of a place list: the code posted, the name shown.
pub struct PlaceOpt {
    pub(crate) code: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The three place lists of the form.
pub struct PlaceLists {
    pub(crate) provinces: Vec<PlaceOpt>,
    pub(crate) districts: Vec<PlaceOpt>,
    pub(crate) communes: Vec<PlaceOpt>,
}

/// A unit's name as the lists show it: Khmer for `km`; else English with
/// the Khmer after it, as the page's script fills a list.
fn label(lang: &str, u: &Unit) -> String {
    if lang == "km" {
        u.name_km.clone()
    } else {
        format!("{} ({})", u.name_en, u.name_km)
    }
}

fn options<'a>(lang: &str, units: impl Iterator<Item = &'a Unit>, selected: &str) -> Vec<PlaceOpt> {
    units
        .map(|u| PlaceOpt {
            code: u.code.clone(),
            label: label(lang, u),
            selected: u.code == selected,
        })
        .collect()
}

/// Whether `child` lies directly inside `parent`.
fn inside(child: &str, parent: &str) -> bool {
    gazetteer().get(child).and_then(|u| u.parent.as_deref()) == Some(parent)
}

/// Drops a district or commune that does not lie in the place above it (the
/// officer changed the province after choosing a district, say).
pub fn prune(province: &str, district: &mut String, commune: &mut String) {
    if !district.is_empty() && !inside(district, province) {
        district.clear();
    }
    if !commune.is_empty() && !inside(commune, district) {
        commune.clear();
    }
}

/// The lists for a choice so far: the provinces of the reader's
/// jurisdiction, the districts of the chosen province, the communes of the
/// chosen district.
pub fn place_lists(
    lang: &str,
    s: &Session,
    province: &str,
    district: &str,
    commune: &str,
) -> PlaceLists {
    let g = gazetteer();
    let mine = s.principal.jurisdiction.provinces();
    let provinces = g
        .provinces()
        .filter(|u| mine.is_none_or(|list| list.contains(&u.code)));
    let below = |parent: &str, selected: &str| {
        if parent.is_empty() {
            Vec::new()
        } else {
            options(lang, g.children(parent), selected)
        }
    };
    PlaceLists {
        provinces: options(lang, provinces, province),
        districts: below(province, district),
        communes: below(district, commune),
    }
}

/// The province, district and commune (the last two may be empty) of the
/// place best matching `name` — Khmer, English, a common variant spelling —
/// among those in the reader's jurisdiction; a village gives its commune.
pub fn place_named(s: &Session, name: &str) -> Option<(String, String, String)> {
    let g = gazetteer();
    let mine = s.principal.jurisdiction.provinces();
    g.search(name, 50).into_iter().find_map(|m| {
        let mut chain = vec![m.unit];
        while let Some(up) = chain
            .last()
            .and_then(|u| u.parent.as_deref())
            .and_then(|c| g.get(c))
        {
            chain.push(up);
        }
        let codes: Vec<String> = chain.iter().rev().map(|u| u.code.clone()).collect();
        let province = codes.first()?;
        if mine.is_some_and(|list| !list.contains(province)) {
            return None;
        }
        let at = |i: usize| codes.get(i).cloned().unwrap_or_default();
        Some((at(0), at(1), at(2)))
    })
}

/// The one province of a jurisdiction of one province.
pub fn only_province(s: &Session) -> Option<String> {
    match s.principal.jurisdiction.provinces() {
        Some([one]) => Some(one.clone()),
        _ => None,
    }
}

/// What a reader may not see counts as nothing to offer; other failures
/// stay failures.
fn nothing_if_refused<T: Default>(r: Result<T, CoreError>) -> Result<T, CoreError> {
    match r {
        Err(CoreError::Forbidden | CoreError::NotFound) => Ok(T::default()),
        other => other,
    }
}

/// A facility the form offers: its id (posted), name and context (shown).
pub struct FacilityOpt {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) context: String,
    pub(crate) checked: bool,
}

/// The facilities to offer: those ticked first, then the chosen province's
/// (or, with none chosen, the queue's) highest priority. Empty for a role
/// that does not read facilities.
pub async fn facility_choices(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    province: &str,
    ticked: &[i64],
) -> Result<Vec<FacilityOpt>, CoreError> {
    let v = &state.vigil;
    let p = &s.principal;
    let ids: Vec<FacilityId> = ticked.iter().copied().map(FacilityId).collect();
    let mut found = nothing_if_refused(desk::facilities_by_id(&v.desk, p, &ids).await)?;
    let listed = if province.is_empty() {
        desk::facilities(&v.desk, p, 0).await
    } else {
        atlas::facilities_in(&v.desk, p, province, 0).await
    };
    let (more, _) = nothing_if_refused(listed)?;
    found.extend(
        more.into_iter()
            .map(|(f, _)| f)
            .filter(|f| !ticked.contains(&f.id.0))
            .take(OFFERED),
    );
    Ok(found
        .into_iter()
        .map(|f| FacilityOpt {
            id: f.id.0,
            name: facility_name(t, &f.name, f.id.0),
            context: t.t2(
                "opsx-facility-context",
                "tips",
                f.tips,
                "priority",
                format!("{:.0}", f.priority),
            ),
            checked: ticked.contains(&f.id.0),
        })
        .collect())
}

/// The facilities of `ids` by name, each with the reader's name for it;
/// a facility the reader may not see by name is called as one without.
pub async fn facility_names(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    ids: &[FacilityId],
) -> Result<Vec<(i64, String)>, CoreError> {
    let found =
        nothing_if_refused(desk::facilities_by_id(&state.vigil.desk, &s.principal, ids).await)?;
    Ok(ids
        .iter()
        .map(|id| {
            let name = found
                .iter()
                .find(|f| f.id == *id)
                .map_or("", |f| f.name.as_str());
            (id.0, facility_name(t, name, id.0))
        })
        .collect())
}

/// One row of the list.
pub struct OpRow {
    id: i64,
    reference: String,
    title: String,
    date: String,
    province: String,
    status: String,
}

/// The planning form, as chosen and typed (kept to show it again on an
/// error or after narrowing the place). Places and facilities are posted
/// as codes and ids, chosen from lists of names.
#[derive(Debug, Default)]
pub struct PlanForm {
    reference: String,
    title: String,
    lead_agency: String,
    partners: String,
    planned_local: String,
    planned_offset: String,
    province_code: String,
    district_code: String,
    commune_code: String,
    place: String,
    /// A place's name typed instead of choosing it from the lists.
    place_name: String,
    /// The facilities ticked (`facility`, repeated).
    facilities: Vec<i64>,
    /// The "narrow" button was pressed: show the lists below the place
    /// chosen, plan nothing.
    narrow: bool,
}

impl PlanForm {
    fn fresh() -> PlanForm {
        PlanForm {
            planned_offset: OFFSET.into(),
            ..PlanForm::default()
        }
    }

    /// Reads the form's fields; `facility` may repeat. A facility value
    /// that is not an id is left out and given back as the error to show.
    fn from_pairs(pairs: Vec<(String, String)>) -> (PlanForm, Option<CoreError>) {
        let mut f = PlanForm::default();
        let mut bad = None;
        for (k, v) in pairs {
            match k.as_str() {
                "ref" => f.reference = v,
                "title" => f.title = v,
                "lead_agency" => f.lead_agency = v,
                "partners" => f.partners = v,
                "planned_local" => f.planned_local = v,
                "planned_offset" => f.planned_offset = v,
                "province_code" => f.province_code = v.trim().to_string(),
                "district_code" => f.district_code = v.trim().to_string(),
                "commune_code" => f.commune_code = v.trim().to_string(),
                "place" => f.place = v,
                "place_name" => f.place_name = v.trim().to_string(),
                "facility" => match v.trim().parse::<i64>() {
                    Ok(id) => f.facilities.push(id),
                    Err(_) => {
                        bad = Some(vigil_core::error::invalid(
                            "facilities",
                            (vigil_core::FieldMessage::NotAnId, "value", v.as_str()),
                        ));
                    }
                },
                "narrow" => f.narrow = true,
                _ => {}
            }
        }
        (f, bad)
    }

    fn input(&self) -> OperationInput {
        OperationInput {
            reference: self.reference.clone(),
            title: self.title.clone(),
            lead_agency: self.lead_agency.clone(),
            partners: self
                .partners
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            planned_for: local_time(&self.planned_local, &self.planned_offset),
            province_code: self.province_code.clone(),
            district_code: self.district_code.clone(),
            commune_code: self.commune_code.clone(),
            place: self.place.clone(),
            status: "planned".into(),
            facilities: self.facilities.iter().copied().map(FacilityId).collect(),
            ..OperationInput::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/operations.html")]
struct ListPage<'a> {
    t: Tr<'a>,
    who: Option<Who>,
    csrf: String,
    rows: Vec<OpRow>,
    records: bool,
    f: PlanForm,
    places: PlaceLists,
    facilities: Vec<FacilityOpt>,
    error: Option<(String, String)>,
}

impl ListPage<'_> {
    /// The error's message if it is about `field`.
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// An operation's status in the reader's language.
pub(crate) fn status_label(t: &Tr<'_>, status: &str) -> String {
    t.t(&format!("ops-status-{status}"))
}

async fn list_page<'a>(
    state: &AppState,
    t: Tr<'a>,
    s: &Session,
    f: PlanForm,
    error: Option<(String, String)>,
) -> Result<ListPage<'a>, CoreError> {
    let found = operations::list(&state.vigil.operations, &s.principal).await?;
    let rows = found
        .into_iter()
        .map(|r| {
            let o = r.operation;
            OpRow {
                id: r.id,
                date: o
                    .happened_at
                    .or(o.planned_for)
                    .map(with_offset)
                    .unwrap_or_default(),
                province: unit_name(Some(&o.province_code), t.lang),
                status: status_label(&t, &o.status),
                reference: o.reference,
                title: o.title,
            }
        })
        .collect();
    let records = s.principal.role.can(Capability::RecordOperations);
    let places = place_lists(
        t.lang,
        s,
        &f.province_code,
        &f.district_code,
        &f.commune_code,
    );
    let facilities = if records {
        facility_choices(state, &t, s, &f.province_code, &f.facilities).await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        t,
        who: Some(who(&t, s)),
        csrf: s.csrf.clone(),
        rows,
        records,
        f,
        places,
        facilities,
        error,
    })
}

/// `?facility=` on the list: the planning form with that facility ticked
/// and its province chosen (a facility's "plan a raid here").
#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    facility: Option<i64>,
}

/// `GET /staff/operations`.
pub async fn list(
    State(state): State<AppState>,
    lang: StaffLang,
    Staff(s): Staff,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let mut f = PlanForm::fresh();
    if let Some(id) = q.facility {
        f.facilities.push(id);
        let found =
            vigil_core::desk::facilities_by_id(&state.vigil.desk, &s.principal, &[FacilityId(id)])
                .await;
        if let Some(code) = found
            .ok()
            .and_then(|v| v.into_iter().next())
            .and_then(|f| f.province_code)
        {
            f.province_code = code;
        }
    }
    if f.province_code.is_empty() {
        f.province_code = only_province(&s).unwrap_or_default();
    }
    let page = list_page(&state, t, &s, f, None).await?;
    Ok(lang.remember(&state, page.into_response()))
}

/// `POST /staff/operations`: plans one, then shows it; with `narrow`, shows
/// the form again with the lists below the place chosen filled. A place's
/// name typed chooses it in the lists first.
pub async fn plan(
    State(state): State<AppState>,
    lang: StaffLang,
    StaffForm(s, pairs): StaffForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = Tr::new(&state.i18n, lang.0);
    let (mut f, bad_facility) = PlanForm::from_pairs(pairs);
    if !f.place_name.is_empty() {
        let Some((p, d, c)) = place_named(&s, &f.place_name) else {
            let e = ("place_name".to_string(), t.t("opsx-place-not-found"));
            return refuse(&state, t, &s, f, e).await;
        };
        (f.province_code, f.district_code, f.commune_code) = (p, d, c);
        f.place_name.clear();
    }
    if f.narrow {
        prune(&f.province_code, &mut f.district_code, &mut f.commune_code);
        return Ok(list_page(&state, t, &s, f, None).await?.into_response());
    }
    let done = match bad_facility {
        Some(e) => Err(e),
        None => operations::plan(&state.vigil.operations, &s.principal, &f.input()).await,
    };
    match done {
        Ok(id) => Ok(Redirect::to(&format!("/staff/operations/{id}")).into_response()),
        Err(CoreError::InvalidField(fe)) => {
            let e = (fe.field.clone(), t.field_error(&fe));
            refuse(&state, t, &s, f, e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The list and the form again, as typed, with the error shown (422).
async fn refuse(
    state: &AppState,
    t: Tr<'_>,
    s: &Session,
    f: PlanForm,
    error: (String, String),
) -> Result<Response, PageError> {
    let page = list_page(state, t, s, f, Some(error)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
