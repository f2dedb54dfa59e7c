//! Operations (raids) and the fraud networks they hit.
//!
//! Who may do what (`vigil_domain::Role::records_operations` and
//! `reads_operations`): officers, supervisors and admins plan operations,
//! record their outcome, dismantle networks, seize evidence and hand it over;
//! prosecutors and analysts read (prosecutors take the evidence to court,
//! analysts planned from the facilities and need to know what a raid found);
//! immigration may do neither (`Forbidden`). An operation's province decides
//! its jurisdiction: outside it an operation and its items are `NotFound`,
//! like an unknown one. Every read and write is on the audit chain.
//!
//! Seized evidence and its chain of custody are in [`crate::evidence`].

use time::OffsetDateTime;
use vigil_domain::FacilityId;
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{AuditAction, Capability};
use vigil_store::{NetworkRow, NewOperation, OperationRow, StoreError};

use crate::CoreError;
use crate::staff::Principal;
use vigil_store::DynStore;

/// Operations: raids planned and recorded, and the devices seized with their chain of custody. Cheap to clone.
#[derive(Clone)]
pub struct OperationsService {
    pub(crate) store: DynStore,
    pub(crate) settings: std::sync::Arc<crate::settings::Settings>,
}

impl OperationsService {
    /// The slice over its parts.
    pub fn new(store: DynStore, settings: std::sync::Arc<crate::settings::Settings>) -> Self {
        OperationsService { store, settings }
    }
}

const MAX_SHORT: usize = 200;
const MAX_TEXT: usize = 5000;

impl From<&NewOperation> for OperationInput {
    /// A stored operation as its form shows it, times in RFC 3339.
    fn from(o: &NewOperation) -> Self {
        let time = |t: Option<OffsetDateTime>| {
            t.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
        };
        OperationInput {
            reference: o.reference.clone(),
            title: o.title.clone(),
            lead_agency: o.lead_agency.clone(),
            partners: o.partners.clone(),
            planned_for: time(o.planned_for),
            happened_at: time(o.happened_at),
            province_code: o.province_code.clone(),
            district_code: o.district_code.clone().unwrap_or_default(),
            commune_code: o.commune_code.clone().unwrap_or_default(),
            place: o.place.clone(),
            status: o.status.clone(),
            outcome: o.outcome.clone(),
            network_id: o.network_id,
            facilities: o.facilities.clone(),
        }
    }
}

/// An operation as planned or updated, fields as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationInput {
    /// Unique reference (`OP-2026-014`).
    pub reference: String,
    /// Short title.
    pub title: String,
    /// The lead agency.
    pub lead_agency: String,
    /// Partner agencies.
    pub partners: Vec<String>,
    /// When it is planned for: RFC 3339 with the local offset, or empty.
    pub planned_for: String,
    /// When it happened: RFC 3339 with the local offset; required once done.
    pub happened_at: String,
    /// Gazetteer province code.
    pub province_code: String,
    /// Gazetteer district code, within the province (may be empty).
    pub district_code: String,
    /// Gazetteer commune code, within the district (may be empty).
    pub commune_code: String,
    /// The place in words.
    pub place: String,
    /// `planned`, `done` or `cancelled`.
    pub status: String,
    /// What it found and did.
    pub outcome: String,
    /// The network it hit.
    pub network_id: Option<i64>,
    /// The facilities it was planned from.
    pub facilities: Vec<FacilityId>,
}

pub(crate) use crate::error::invalid;

pub(crate) fn may_read(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReadOperations) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

pub(crate) fn may_record(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::RecordOperations) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// A text field trimmed and checked: given when `required`, at most `max`
/// characters, no control characters but newlines; the error names the field.
pub(crate) fn text(
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Result<String, CoreError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(invalid(field, crate::field::FieldMessage::Required));
    }
    if value.chars().count() > max {
        return Err(invalid(
            field,
            (crate::field::FieldMessage::TooLong, "max", max),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(
            field,
            crate::field::FieldMessage::ControlCharacters,
        ));
    }
    Ok(value.to_string())
}

fn time_field(field: &str, value: &str) -> Result<Option<OffsetDateTime>, CoreError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    vigil_custody::parse_time(field, value)
        .map(Some)
        .map_err(|e| invalid(&e.field, e.message))
}

/// Checks a gazetteer code (empty allowed unless `parent` is `None`) and that
/// it lies within `parent`.
fn code(field: &str, value: &str, parent: Option<&str>) -> Result<Option<String>, CoreError> {
    let value = value.trim();
    if value.is_empty() {
        return if parent.is_none() {
            Err(invalid(field, crate::field::FieldMessage::Required))
        } else {
            Ok(None)
        };
    }
    let unit = gazetteer().get(value).ok_or_else(|| {
        invalid(
            field,
            (
                crate::field::FieldMessage::NotAGazetteerCode,
                "value",
                value,
            ),
        )
    })?;
    let expected = match parent {
        None => vigil_domain::gazetteer::Level::Province,
        Some(p) if p.len() == 2 => vigil_domain::gazetteer::Level::District,
        Some(_) => vigil_domain::gazetteer::Level::Commune,
    };
    if unit.level != expected {
        return Err(invalid(
            field,
            (crate::field::FieldMessage::WrongLevel, "value", value),
        ));
    }
    if let Some(p) = parent
        && unit.parent.as_deref() != Some(p)
    {
        return Err(invalid(
            field,
            crate::field::FieldMessage::NotWithin
                .with("value", value)
                .arg("parent", p),
        ));
    }
    Ok(Some(value.to_string()))
}

async fn validate(
    v: &OperationsService,
    p: &Principal,
    input: &OperationInput,
    created_by: vigil_domain::StaffId,
    created_at: OffsetDateTime,
) -> Result<NewOperation, CoreError> {
    let reference = text("reference", &input.reference, true, 64)?;
    let title = text("title", &input.title, true, MAX_SHORT)?;
    let lead_agency = text("lead_agency", &input.lead_agency, true, MAX_SHORT)?;
    let partners = input
        .partners
        .iter()
        .map(|a| text("partners", a, true, MAX_SHORT))
        .collect::<Result<Vec<_>, _>>()?;
    let province = code("province_code", &input.province_code, None)?.unwrap_or_default();
    if !p.jurisdiction.covers(Some(&province)) {
        return Err(invalid(
            "province_code",
            crate::field::FieldMessage::OutsideJurisdiction,
        ));
    }
    let district = code("district_code", &input.district_code, Some(&province))?;
    let commune = match &district {
        Some(d) => code("commune_code", &input.commune_code, Some(d))?,
        None if !input.commune_code.trim().is_empty() => {
            return Err(invalid(
                "commune_code",
                crate::field::FieldMessage::NeedsDistrict,
            ));
        }
        None => None,
    };
    let status = input.status.trim();
    if !matches!(status, "planned" | "done" | "cancelled") {
        return Err(invalid(
            "status",
            (
                crate::field::FieldMessage::NotAChoice,
                "choices",
                "planned, done, cancelled",
            ),
        ));
    }
    let planned_for = time_field("planned_for", &input.planned_for)?;
    let happened_at = time_field("happened_at", &input.happened_at)?;
    if status == "done" && happened_at.is_none() {
        return Err(invalid(
            "happened_at",
            crate::field::FieldMessage::RequiredWhenDone,
        ));
    }
    if let Some(n) = input.network_id {
        match v.store.network(n).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(invalid(
                    "network_id",
                    (crate::field::FieldMessage::NotKnown, "value", n),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    for f in &input.facilities {
        let seen = match v.store.facility(*f).await {
            Ok((row, _)) => p.jurisdiction.covers(row.province_code.as_deref()),
            Err(StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !seen {
            return Err(invalid(
                "facilities",
                (crate::field::FieldMessage::NotKnown, "value", f),
            ));
        }
    }
    Ok(NewOperation {
        reference,
        title,
        lead_agency,
        partners,
        planned_for,
        happened_at,
        province_code: province,
        district_code: district,
        commune_code: commune,
        place: text("place", &input.place, true, MAX_SHORT)?,
        status: status.to_string(),
        outcome: text("outcome", &input.outcome, false, MAX_TEXT)?,
        network_id: input.network_id,
        facilities: input.facilities.clone(),
        created_by,
        created_at,
    })
}

fn conflict(field: &str, why: crate::field::Reason) -> impl Fn(StoreError) -> CoreError + '_ {
    move |e| match e {
        StoreError::Conflict(_) => invalid(field, why.clone()),
        e => e.into(),
    }
}

/// An operation the principal may see, or `NotFound`.
pub(crate) async fn visible(
    v: &OperationsService,
    p: &Principal,
    id: i64,
) -> Result<OperationRow, CoreError> {
    let row = v.store.operation(id).await?;
    if p.jurisdiction.covers(Some(&row.operation.province_code)) {
        Ok(row)
    } else {
        Err(CoreError::NotFound)
    }
}

/// Records a fraud network ("line") and its leaders.
pub async fn create_network(
    v: &OperationsService,
    p: &Principal,
    name: &str,
    leaders: &[String],
) -> Result<i64, CoreError> {
    may_record(p)?;
    let name = text("name", name, true, MAX_SHORT)?;
    let leaders = leaders
        .iter()
        .map(|l| text("leaders", l, true, MAX_SHORT))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(v.store
        .create_network(
            &name,
            &leaders,
            p.audit(AuditAction::NetworkCreate, String::new(), name.clone()),
        )
        .await?)
}

/// A network (networks are not placed: any reader of operations sees them).
pub async fn network(
    v: &OperationsService,
    p: &Principal,
    id: i64,
) -> Result<NetworkRow, CoreError> {
    may_read(p)?;
    let n = v.store.network(id).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::NetworkRead,
            format!("network:{id}"),
            String::new(),
        ))
        .await?;
    Ok(n)
}

/// Plans an operation in the principal's jurisdiction, from facilities they
/// can see. Returns its id.
pub async fn plan(
    v: &OperationsService,
    p: &Principal,
    input: &OperationInput,
) -> Result<i64, CoreError> {
    may_record(p)?;
    let op = validate(v, p, input, p.id, OffsetDateTime::now_utc()).await?;
    v.store
        .create_operation(
            &op,
            p.audit(
                AuditAction::OperationCreate,
                String::new(),
                op.reference.clone(),
            ),
        )
        .await
        .map_err(conflict(
            "reference",
            crate::field::FieldMessage::AlreadyUsed.with("value", &op.reference),
        ))
}

/// Updates an operation: its outcome, status, times, facilities…
pub async fn update(
    v: &OperationsService,
    p: &Principal,
    id: i64,
    input: &OperationInput,
) -> Result<(), CoreError> {
    may_record(p)?;
    let old = visible(v, p, id).await?;
    let op = validate(
        v,
        p,
        input,
        old.operation.created_by,
        old.operation.created_at,
    )
    .await?;
    v.store
        .update_operation(
            id,
            &op,
            p.audit(
                AuditAction::OperationUpdate,
                String::new(),
                op.status.clone(),
            ),
        )
        .await
        .map_err(conflict(
            "reference",
            crate::field::FieldMessage::AlreadyUsed.with("value", &op.reference),
        ))
}

/// One operation (audited).
pub async fn operation(
    v: &OperationsService,
    p: &Principal,
    id: i64,
) -> Result<OperationRow, CoreError> {
    may_read(p)?;
    let row = visible(v, p, id).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::OperationRead,
            format!("operation:{id}"),
            String::new(),
        ))
        .await?;
    Ok(row)
}

/// The operations in the principal's jurisdiction, newest first (audited).
pub async fn list(v: &OperationsService, p: &Principal) -> Result<Vec<OperationRow>, CoreError> {
    may_read(p)?;
    let rows = v.store.operations(p.jurisdiction.provinces(), None).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::OperationList,
            String::new(),
            rows.len().to_string(),
        ))
        .await?;
    Ok(rows)
}

/// The operations planned from a facility, newest first: empty for a role
/// that does not read operations (the facility page shows them to those who
/// do). Audited like [`list`].
pub async fn of_facility(
    v: &OperationsService,
    p: &Principal,
    facility: FacilityId,
) -> Result<Vec<OperationRow>, CoreError> {
    if !p.role.can(Capability::ReadOperations) {
        return Ok(Vec::new());
    }
    let rows = v
        .store
        .operations(p.jurisdiction.provinces(), Some(facility))
        .await?;
    v.store
        .append_audit(p.audit(
            AuditAction::OperationList,
            format!("facility:{}", facility.0),
            rows.len().to_string(),
        ))
        .await?;
    Ok(rows)
}

/// Marks a network dismantled by an operation that hit it and is done, with
/// the evidence for it.
pub async fn dismantle(
    v: &OperationsService,
    p: &Principal,
    network: i64,
    operation: i64,
    evidence: &str,
) -> Result<(), CoreError> {
    may_record(p)?;
    let op = visible(v, p, operation).await?;
    if op.operation.network_id != Some(network) {
        return Err(invalid(
            "network",
            (
                crate::field::FieldMessage::NetworkNotHit,
                "operation",
                &op.operation.reference,
            ),
        ));
    }
    if op.operation.status != "done" {
        return Err(invalid(
            "operation",
            (
                crate::field::FieldMessage::OperationNotDone,
                "operation",
                &op.operation.reference,
            ),
        ));
    }
    let evidence = text("evidence", evidence, true, MAX_TEXT)?;
    v.store
        .dismantle_network(
            network,
            operation,
            &evidence,
            p.audit(
                AuditAction::NetworkDismantle,
                String::new(),
                format!("operation:{operation}"),
            ),
        )
        .await
        .map_err(conflict(
            "network",
            crate::field::FieldMessage::AlreadyDismantled.into(),
        ))
}
