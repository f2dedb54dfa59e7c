//! Immigration: foreigners met in operations — detention,
//! deportation order, departure (deported or voluntary) with date, port and
//! nationality —, voluntary departures outside operations imported in bulk
//! ([`crate::immigration_csv`]) and lists per embassy (CSV export).
//!
//! Every record keeps its own subject: the nationality in the clear, the
//! identity (name, passport number, date of birth) sealed as JSON under
//! [`SEAL_SUBJECT`]. A record may point to a linked person (`person_id`).
//!
//! Who may do what: immigration, supervisors and admins record and read
//! (and export, audited); officers record detentions of people met in their
//! operations; every other role reads nothing personal (`Forbidden`) — only
//! the figures. Jurisdiction is the port's province for a departure, the
//! place's for a detention, the issuing province for an order; national
//! accounts see all, and outside the jurisdiction a record is `NotFound`.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use vigil_domain::posts;
use vigil_domain::{AuditAction, Capability};
use vigil_screening::traveller::Country;
use vigil_store::{
    DepartureRow, DeportationOrderRow, ImmigrationFigures, ImmigrationFilter, NewDeparture,
    NewDeportationOrder, NewDetention, StoreError,
};

use crate::CoreError;
use crate::operations::{invalid, visible};
use crate::staff::Principal;
use vigil_store::DynStore;

/// Immigration: deportation orders, departures (one by one or from CSV files) and their subjects. Cheap to clone.
#[derive(Clone)]
pub struct ImmigrationService {
    pub(crate) store: DynStore,
    pub(crate) keys: std::sync::Arc<crate::keys::Keys>,
    /// The operations a subject was met in.
    pub(crate) operations: crate::operations::OperationsService,
}

impl ImmigrationService {
    /// The slice over its parts.
    pub fn new(
        store: DynStore,
        keys: std::sync::Arc<crate::keys::Keys>,
        operations: crate::operations::OperationsService,
    ) -> Self {
        ImmigrationService {
            store,
            keys,
            operations,
        }
    }
}

/// The sealing purpose of a record's identity.
pub const SEAL_SUBJECT: &str = "immigration.subject";

/// A person's identity as entered (sealed at rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectInput {
    /// Name as in the passport.
    pub name: String,
    /// Passport number (may be empty).
    pub passport: String,
    /// `YYYY-MM-DD` (may be empty).
    pub date_of_birth: String,
}

/// A detention as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetentionInput {
    /// Who is held.
    pub subject: SubjectInput,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// Where, in words.
    pub place: String,
    /// The place's gazetteer province code.
    pub province_code: String,
    /// First day, `YYYY-MM-DD`.
    pub from_on: String,
    /// Last day, `YYYY-MM-DD`, or empty.
    pub until_on: String,
    /// The operation they were met in (required for officers).
    pub operation_id: Option<i64>,
    /// The linked person, when known.
    pub person_id: Option<i64>,
}

/// A deportation order as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderInput {
    /// Unique reference.
    pub reference: String,
    /// Who is to be deported.
    pub subject: SubjectInput,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// Who issued it.
    pub authority: String,
    /// The issuing province's gazetteer code.
    pub province_code: String,
    /// The linked person, when known.
    pub person_id: Option<i64>,
}

/// A departure as entered. A `deported` one names its order and takes the
/// subject, nationality and person from it; a `voluntary` one gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepartureInput {
    /// `deported` or `voluntary`.
    pub kind: String,
    /// Who left (voluntary only).
    pub subject: SubjectInput,
    /// ISO 3166-1 alpha-2 (voluntary only).
    pub nationality: String,
    /// `YYYY-MM-DD`, not in the future.
    pub departed_on: String,
    /// Exit post code.
    pub port: String,
    /// The order executed (deported only).
    pub order_id: Option<i64>,
    /// The operation they were met in.
    pub operation_id: Option<i64>,
    /// The linked person, when known (voluntary only).
    pub person_id: Option<i64>,
}

/// A departure with its identity opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureView {
    /// The stored row.
    pub row: DepartureRow,
    /// Its subject, opened.
    pub subject: SubjectInput,
}

/// An order with its identity opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    /// The stored row.
    pub row: DeportationOrderRow,
    /// Its subject, opened.
    pub subject: SubjectInput,
}

/// Recent records and counts within the jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// The latest departures, newest first.
    pub departures: Vec<DepartureView>,
    /// The latest orders, newest first.
    pub orders: Vec<OrderView>,
    /// Figures over the last year.
    pub figures: ImmigrationFigures,
}

/// The outcome of a CSV import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Rows stored.
    pub rows: u64,
    /// The batch id the rows carry.
    pub batch: String,
}

pub(crate) fn may_record(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::RecordImmigration) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// Today's date in Cambodia (UTC+7).
pub fn today() -> Date {
    OffsetDateTime::now_utc()
        .to_offset(vigil_domain::clock::CAMBODIA)
        .date()
}

/// A `YYYY-MM-DD` date.
pub fn parse_day(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), fmt).ok()
}

/// An ISO 3166-1 alpha-2 code in upper case, if `s` is one (any case).
pub fn valid_nationality(s: &str) -> Option<String> {
    Country::new(s.trim()).map(|c| c.as_str().to_string())
}

pub(crate) fn nationality(field: &str, s: &str) -> Result<String, CoreError> {
    valid_nationality(s).ok_or_else(|| {
        invalid(
            field,
            (crate::field::FieldMessage::NotACountry, "value", s.trim()),
        )
    })
}

fn day(field: &str, s: &str, required: bool) -> Result<Option<Date>, CoreError> {
    if s.trim().is_empty() {
        return if required {
            Err(invalid(field, crate::field::FieldMessage::Required))
        } else {
            Ok(None)
        };
    }
    let d = parse_day(s).ok_or_else(|| invalid(field, crate::field::FieldMessage::NotADate))?;
    if d > today() {
        return Err(invalid(field, crate::field::FieldMessage::InFuture));
    }
    Ok(Some(d))
}

/// A short text field (at most 200 characters), as [`crate::operations::text`].
fn text(field: &str, s: &str, required: bool) -> Result<String, CoreError> {
    crate::operations::text(field, s, required, 200)
}

fn province(p: &Principal, s: &str) -> Result<String, CoreError> {
    let s = s.trim();
    let unit = vigil_domain::gazetteer::gazetteer()
        .get(s)
        .filter(|u| u.level == vigil_domain::gazetteer::Level::Province)
        .ok_or_else(|| {
            invalid(
                "province_code",
                (crate::field::FieldMessage::NotAGazetteerCode, "value", s),
            )
        })?;
    if !p.jurisdiction.covers(Some(&unit.code)) {
        return Err(invalid(
            "province_code",
            crate::field::FieldMessage::OutsideJurisdiction,
        ));
    }
    Ok(unit.code.clone())
}

fn seal_subject(v: &ImmigrationService, s: &SubjectInput) -> Result<Vec<u8>, CoreError> {
    let subject = SubjectInput {
        name: text("name", &s.name, true)?,
        passport: text("passport", &s.passport, false)?,
        date_of_birth: day("date_of_birth", &s.date_of_birth, false)?
            .map(|d| d.to_string())
            .unwrap_or_default(),
    };
    seal_checked(v, &subject)
}

pub(crate) fn seal_checked(v: &ImmigrationService, s: &SubjectInput) -> Result<Vec<u8>, CoreError> {
    let json = serde_json::to_vec(s).map_err(|e| CoreError::Internal(e.to_string()))?;
    v.keys.seal(SEAL_SUBJECT, &json)
}

pub(crate) fn open_subject(
    v: &ImmigrationService,
    sealed: &[u8],
) -> Result<SubjectInput, CoreError> {
    let json = v.keys.open(SEAL_SUBJECT, sealed)?;
    serde_json::from_slice(&json)
        .map_err(|_| CoreError::Internal("a sealed subject is not readable".into()))
}

async fn operation(
    v: &ImmigrationService,
    p: &Principal,
    id: Option<i64>,
) -> Result<(), CoreError> {
    if let Some(id) = id {
        visible(&v.operations, p, id).await.map_err(|e| match e {
            CoreError::NotFound => invalid(
                "operation_id",
                (crate::field::FieldMessage::NotKnown, "value", id),
            ),
            e => e,
        })?;
    }
    Ok(())
}

fn exit_port(p: &Principal, code: &str) -> Result<&'static posts::Post, CoreError> {
    let post = posts::post(code).ok_or_else(|| {
        let choices: Vec<&str> = posts::posts().iter().map(|p| p.code.as_str()).collect();
        invalid(
            "port",
            crate::field::FieldMessage::NotAPost
                .with("value", code.trim())
                .arg("choices", choices.join(", ")),
        )
    })?;
    if !p.jurisdiction.covers(Some(&post.province_code)) {
        return Err(invalid(
            "port",
            (
                crate::field::FieldMessage::OutsideJurisdiction,
                "value",
                &post.code,
            ),
        ));
    }
    Ok(post)
}

/// Records a detention. Immigration, supervisors and admins record any;
/// an officer records the detention of someone met in an operation they can
/// see. Returns its id.
pub async fn record_detention(
    v: &ImmigrationService,
    p: &Principal,
    input: &DetentionInput,
) -> Result<i64, CoreError> {
    let officer = p.role.can(Capability::DetainFromOperation) && input.operation_id.is_some();
    if !officer {
        may_record(p)?;
    }
    let from_on = day("from_on", &input.from_on, true)?.unwrap_or_else(today);
    let until_on = match parse_day(&input.until_on) {
        None if input.until_on.trim().is_empty() => None,
        None => return Err(invalid("until_on", crate::field::FieldMessage::NotADate)),
        Some(d) if d < from_on => {
            return Err(invalid(
                "until_on",
                crate::field::FieldMessage::EndsBeforeStart,
            ));
        }
        Some(d) => Some(d),
    };
    let row = NewDetention {
        nationality: nationality("nationality", &input.nationality)?,
        place: text("place", &input.place, true)?,
        province_code: province(p, &input.province_code)?,
        subject: seal_subject(v, &input.subject)?,
        person_id: input.person_id,
        operation_id: input.operation_id,
        from_on,
        until_on,
        created_by: p.id,
        created_at: OffsetDateTime::now_utc(),
    };
    operation(v, p, input.operation_id).await?;
    let detail = format!("nationality={}", row.nationality);
    Ok(v.store
        .insert_detention(
            &row,
            p.audit(AuditAction::DetentionCreate, String::new(), detail),
        )
        .await?)
}

/// Records a deportation order (status `issued`). Returns its id.
pub async fn record_order(
    v: &ImmigrationService,
    p: &Principal,
    input: &OrderInput,
) -> Result<i64, CoreError> {
    may_record(p)?;
    let reference = text("reference", &input.reference, true)?;
    let row = NewDeportationOrder {
        nationality: nationality("nationality", &input.nationality)?,
        issued_on: day("issued_on", &input.issued_on, true)?.unwrap_or_else(today),
        authority: text("authority", &input.authority, true)?,
        province_code: province(p, &input.province_code)?,
        subject: seal_subject(v, &input.subject)?,
        person_id: input.person_id,
        status: "issued".into(),
        created_by: p.id,
        created_at: OffsetDateTime::now_utc(),
        reference,
    };
    v.store
        .insert_deportation_order(
            &row,
            p.audit(
                AuditAction::DeportationOrderCreate,
                String::new(),
                row.reference.clone(),
            ),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => invalid(
                "reference",
                (
                    crate::field::FieldMessage::AlreadyUsed,
                    "value",
                    &row.reference,
                ),
            ),
            e => e.into(),
        })
}

/// An order the principal may see, or `NotFound`.
async fn visible_order(
    v: &ImmigrationService,
    p: &Principal,
    id: i64,
) -> Result<DeportationOrderRow, CoreError> {
    let row = v.store.deportation_order(id).await?;
    if p.jurisdiction.covers(Some(&row.order.province_code)) {
        Ok(row)
    } else {
        Err(CoreError::NotFound)
    }
}

/// Records a departure. A deported one executes its order (which must be
/// `issued` and visible), marked `executed` in the same transaction.
pub async fn record_departure(
    v: &ImmigrationService,
    p: &Principal,
    input: &DepartureInput,
) -> Result<i64, CoreError> {
    may_record(p)?;
    let departed_on = day("departed_on", &input.departed_on, true)?.unwrap_or_else(today);
    let port = exit_port(p, &input.port)?;
    let (subject, nationality, person_id, order_id) = match input.kind.trim() {
        "deported" => {
            let id = input
                .order_id
                .ok_or_else(|| invalid("order_id", crate::field::FieldMessage::Required))?;
            let order = visible_order(v, p, id).await.map_err(|e| match e {
                CoreError::NotFound => invalid(
                    "order_id",
                    (crate::field::FieldMessage::NotKnown, "value", id),
                ),
                e => e,
            })?;
            if order.order.status != "issued" {
                return Err(invalid(
                    "order_id",
                    crate::field::FieldMessage::OrderNotIssued
                        .with("value", &order.order.reference)
                        .arg("status", &order.order.status),
                ));
            }
            let o = order.order;
            (o.subject, o.nationality, o.person_id, Some(id))
        }
        "voluntary" => {
            if input.order_id.is_some() {
                return Err(invalid(
                    "order_id",
                    crate::field::FieldMessage::VoluntaryHasNoOrder,
                ));
            }
            (
                seal_subject(v, &input.subject)?,
                nationality("nationality", &input.nationality)?,
                input.person_id,
                None,
            )
        }
        _ => {
            return Err(invalid(
                "kind",
                (
                    crate::field::FieldMessage::NotAChoice,
                    "choices",
                    "deported, voluntary",
                ),
            ));
        }
    };
    operation(v, p, input.operation_id).await?;
    let row = NewDeparture {
        kind: input.kind.trim().to_string(),
        subject,
        person_id,
        operation_id: input.operation_id,
        order_id,
        nationality,
        departed_on,
        port: port.code.clone(),
        province_code: port.province_code.clone(),
        batch: None,
        created_by: p.id,
        created_at: OffsetDateTime::now_utc(),
    };
    let detail = format!("{} {} {}", row.kind, row.nationality, row.port);
    v.store
        .insert_departure(
            &row,
            p.audit(AuditAction::DepartureCreate, String::new(), detail),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                invalid("order_id", crate::field::FieldMessage::ChangedMeanwhile)
            }
            e => e.into(),
        })
}

/// The latest departures and orders in the jurisdiction with their
/// identities opened, and the last year's figures; audited.
pub async fn overview(
    v: &ImmigrationService,
    p: &Principal,
    limit: u32,
) -> Result<Overview, CoreError> {
    may_record(p)?;
    let provinces = p.jurisdiction.provinces().map(<[String]>::to_vec);
    let f = ImmigrationFilter {
        provinces: provinces.clone(),
        limit: Some(limit),
        ..ImmigrationFilter::default()
    };
    let departures = v
        .store
        .departures(&f)
        .await?
        .into_iter()
        .map(|row| {
            let subject = open_subject(v, &row.departure.subject)?;
            Ok(DepartureView { row, subject })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    let orders = v
        .store
        .deportation_orders(&f)
        .await?
        .into_iter()
        .map(|row| {
            let subject = open_subject(v, &row.order.subject)?;
            Ok(OrderView { row, subject })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    let to = today();
    let figures = v
        .store
        .immigration_figures(to - time::Duration::days(365), to, provinces.as_deref())
        .await?;
    v.store
        .append_audit(p.audit(
            AuditAction::ImmigrationList,
            String::new(),
            format!("{} departures, {} orders", departures.len(), orders.len()),
        ))
        .await?;
    Ok(Overview {
        departures,
        orders,
        figures,
    })
}

/// The figures of `from..=to` within the jurisdiction (any staff role:
/// counts only, nothing personal).
pub async fn figures(
    v: &ImmigrationService,
    p: &Principal,
    from: Date,
    to: Date,
) -> Result<ImmigrationFigures, CoreError> {
    Ok(v.store
        .immigration_figures(from, to, p.jurisdiction.provinces())
        .await?)
}

/// The principal for a staff account acting from the command line (`--as`,
/// any case, as at sign-in); an unknown or disabled account is
/// `InvalidField` naming `as`.
pub async fn acting(v: &ImmigrationService, username: &str) -> Result<Principal, CoreError> {
    let row = v
        .store
        .staff_by_username(&username.trim().to_lowercase())
        .await?
        .filter(|r| !r.disabled)
        .ok_or_else(|| {
            invalid(
                "as",
                (
                    crate::field::FieldMessage::NotKnown,
                    "value",
                    username.trim(),
                ),
            )
        })?;
    Ok(Principal::of(&row))
}
