//! What the case forms offer to choose from, by name: operations by their
//! reference and title (with the facilities they were planned from), the
//! persons met in them by name, role and nationality, their seized items by
//! number, kind and label, and the provinces of the reader's jurisdiction.
//! The forms post ids; a list of checkboxes posts its name once per box,
//! gathered here into one comma-separated value as a typed list would be.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use vigil_core::CoreError;
use vigil_core::persons::RecordView;
use vigil_core::staff::Session;
use vigil_core::{cases, evidence, operations, persons};
use vigil_domain::gazetteer::gazetteer;

use crate::display::{day, facility_name};
use crate::i18n::Tr;
use crate::state::AppState;

/// A form's fields from its pairs: a name sent more than once (checkboxes)
/// becomes one comma-separated value.
pub(crate) fn gathered<T: DeserializeOwned + Default>(pairs: Vec<(String, String)>) -> T {
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        let v = v.trim().to_string();
        match map.get_mut(&k) {
            Some(serde_json::Value::String(old)) if !v.is_empty() => {
                if !old.is_empty() {
                    old.push_str(", ");
                }
                old.push_str(&v);
            }
            Some(_) => {}
            None => {
                map.insert(k, serde_json::Value::String(v));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

/// The ids in a comma-separated value, leaving out what is not one.
pub(crate) fn id_list(s: &str) -> Vec<i64> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(|x| x.trim_start_matches('#').parse().ok())
        .collect()
}

/// One thing to choose: its id, its words, whether it is chosen.
#[derive(Debug, Clone)]
pub struct Choice {
    pub(crate) id: i64,
    pub(crate) label: String,
    pub(crate) on: bool,
}

/// A person met, as chosen: their name, role and nationality.
pub(crate) fn person_label(t: &Tr<'_>, r: &RecordView) -> String {
    let rec = &r.row.record;
    let name = r
        .identity
        .as_ref()
        .map(|i| i.display_name())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| t.t1("persons-person", "id", r.row.person_id));
    format!(
        "{name} · {} · {}",
        t.t(&format!("persons-role-{}", rec.role)),
        crate::localize::country(t.lang, &rec.nationality)
    )
}

/// What an item's label is made of.
pub(crate) struct Item<'a> {
    pub(crate) id: i64,
    pub(crate) reference: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) json: &'a str,
    pub(crate) imei: Option<&'a str>,
    pub(crate) serial: Option<&'a str>,
}

/// A seized item as chosen and shown: its number, kind and label
/// (`#101 E1 · Smartphone · Samsung A12`).
pub(crate) fn item_label(t: &Tr<'_>, i: Item<'_>) -> String {
    let described: serde_json::Value = serde_json::from_str(i.json).unwrap_or_default();
    let words = described
        .get("description")
        .and_then(|d| d.as_str())
        .map(|d| d.chars().take(60).collect::<String>())
        .filter(|d| !d.trim().is_empty())
        .or_else(|| i.imei.or(i.serial).map(str::to_string))
        .unwrap_or_default();
    let mut label = format!(
        "#{} {} · {}",
        i.id,
        i.reference,
        t.t(&format!("item-kind-{}", i.kind))
    );
    if !words.is_empty() {
        label.push_str(" · ");
        label.push_str(&words);
    }
    label
}

/// An operation as chosen and shown: its reference, title and day.
pub(crate) fn operation_label(
    t: &Tr<'_>,
    reference: &str,
    title: &str,
    when: time::OffsetDateTime,
) -> String {
    format!("{reference} · {title} · {}", day(t.lang, when))
}

/// The operations the reader may choose from (newest first), `chosen`
/// selected.
pub(crate) async fn operation_options(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    chosen: &[i64],
) -> Result<Vec<Choice>, CoreError> {
    Ok(operations::list(&state.vigil.operations, &s.principal)
        .await?
        .iter()
        .filter(|o| o.operation.status != "cancelled")
        .map(|o| Choice {
            id: o.id,
            label: operation_label(
                t,
                &o.operation.reference,
                &o.operation.title,
                o.operation
                    .happened_at
                    .or(o.operation.planned_for)
                    .unwrap_or(o.operation.created_at),
            ),
            on: chosen.contains(&o.id),
        })
        .collect())
}

/// The provinces of the reader's jurisdiction by name, `selected` chosen.
pub(crate) fn province_options(
    t: &Tr<'_>,
    s: &Session,
    selected: &str,
) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = gazetteer()
        .provinces()
        .filter(|u| s.principal.jurisdiction.covers(Some(u.code.as_str())))
        .map(|u| {
            let name = if t.lang == "km" {
                &u.name_km
            } else {
                &u.name_en
            };
            (u.code.clone(), name.clone(), u.code == selected)
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// An operation as shown: (id, reference · title · day, the facilities it
/// was planned from as (id, name)).
pub(crate) type OperationShown = (i64, String, Vec<(i64, String)>);

/// What some operations hold, for the forms: each operation (with the
/// facilities it was planned from, by name), its persons met and its
/// seized items.
#[derive(Debug, Default)]
pub struct Held {
    /// (id, reference · title · day, facilities by name).
    pub(crate) operations: Vec<OperationShown>,
    /// Person id → (record shown, label).
    pub(crate) persons: BTreeMap<i64, String>,
    /// The names alone, for defendants.
    pub(crate) names: BTreeMap<i64, String>,
    /// Item id → label, in the operations' order.
    pub(crate) items: Vec<(i64, String)>,
}

/// Reads what the operations `ids` hold, as the reader may see it.
pub(crate) async fn held(
    state: &AppState,
    t: &Tr<'_>,
    s: &Session,
    ids: &[i64],
) -> Result<Held, CoreError> {
    let v = &state.vigil;
    let p = &s.principal;
    let mut out = Held::default();
    for &op in ids {
        let row = match operations::operation(&v.operations, p, op).await {
            Ok(row) => row,
            Err(CoreError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let o = &row.operation;
        let when = o.happened_at.or(o.planned_for).unwrap_or(o.created_at);
        let facilities = cases::facility_names(&v.cases, p, &o.facilities)
            .await?
            .into_iter()
            .map(|(f, name)| (f.0, facility_name(t, &name, f.0)))
            .collect();
        out.operations.push((
            op,
            operation_label(t, &o.reference, &o.title, when),
            facilities,
        ));
        for r in persons::operation_persons(&v.persons, p, op).await? {
            out.names.entry(r.row.person_id).or_insert_with(|| {
                r.identity
                    .as_ref()
                    .map(|i| i.display_name())
                    .unwrap_or_default()
            });
            out.persons
                .entry(r.row.person_id)
                .or_insert_with(|| person_label(t, &r));
        }
        for i in evidence::items(&v.operations, p, op).await? {
            let label = item_label(
                t,
                Item {
                    id: i.id,
                    reference: &i.reference,
                    kind: &i.kind,
                    json: &i.item_json,
                    imei: i.imei.as_deref(),
                    serial: i.serial.as_deref(),
                },
            );
            out.items.push((i.id, label));
        }
    }
    Ok(out)
}
