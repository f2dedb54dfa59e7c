//! What the raid-planning form offers to choose from, so that no one types
//! or reads a code: the province, district and commune as lists of names in
//! the reader's language (a lower list filled once the higher one is
//! chosen: by the page's script, or by the form's "narrow" button without
//! it; or found by a name typed in any spelling), and the facilities of the chosen province (else the top of the
//! queue) by their readable names, with their tips and priority.

use vigil_core::staff::Session;
use vigil_core::{CoreError, atlas, desk};
use vigil_domain::FacilityId;
use vigil_domain::gazetteer::{Unit, gazetteer};

use crate::display::facility_name;
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
