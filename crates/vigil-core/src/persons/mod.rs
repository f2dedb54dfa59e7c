//! Persons met in operations: suspects, victims, witnesses and
//! recruiters, linked across raids into one person each.
//!
//! Who may do what: officers, supervisors and admins record persons met in
//! an operation of their jurisdiction (`Role::records_operations`);
//! prosecutors and analysts read; immigration reads persons (they need the
//! foreigners met) but not their names, and does not record. Names and
//! documents are shown only to roles that read operations, and every opening
//! is audited. Outside the jurisdiction a person or record is `NotFound`.
//!
//! A record keeps in the clear what figures need (role, nationality,
//! province, the checklist and its outcome); the identity is sealed with
//! [`crate::keys::Keys::seal`]. The victim checklist is assessed by
//! `vigil_domain::victims::assess`: its likely-victim flag and referral, with
//! the rule's reasons, are stored with the record. A supervisor acknowledges
//! a flag before the person may be charged ([`charge_gate`]).
//!
//! Linkage is in `link`, the review queue in [`review`].

mod input;
mod link;
pub mod origin;
pub mod review;

pub use input::{DOCUMENT_KINDS, Document, DocumentInput, Identity, PersonInput, ROLES};

use time::OffsetDateTime;
use vigil_domain::{AuditAction, Capability};
use vigil_store::{NewPersonRecord, PersonFigures, PersonLink, PersonRecordRow, RecordRef};

use crate::CoreError;
use crate::operations::{invalid, visible};
use crate::staff::Principal;
use vigil_store::DynStore;

/// Persons met in operations: recorded with their identity sealed, linked across operations, reviewed. Cheap to clone.
#[derive(Clone)]
pub struct PersonsService {
    pub(crate) store: DynStore,
    pub(crate) keys: std::sync::Arc<crate::keys::Keys>,
    /// Whose operations a record belongs to.
    pub(crate) operations: crate::operations::OperationsService,
}

impl PersonsService {
    /// The slice over its parts.
    pub fn new(
        store: DynStore,
        keys: std::sync::Arc<crate::keys::Keys>,
        operations: crate::operations::OperationsService,
    ) -> Self {
        PersonsService {
            store,
            keys,
            operations,
        }
    }
}

/// The purpose the identity is sealed under.
const SEAL_IDENTITY: &str = "person.identity";

/// A record as shown: the stored row and, for roles that may read names,
/// the opened identity.
#[derive(Debug, Clone)]
pub struct RecordView {
    /// The stored record.
    pub row: PersonRecordRow,
    /// Who the person is; `None` for roles that may not read names.
    pub identity: Option<Identity>,
}

/// A linked person: every record of theirs in the principal's jurisdiction.
#[derive(Debug, Clone)]
pub struct PersonView {
    /// The person's id (after merges).
    pub id: i64,
    /// Their records, oldest first.
    pub records: Vec<RecordView>,
    /// The references of the operations they were met in, for roles that
    /// read operations (others cannot open them): operation id → reference.
    pub operations: std::collections::BTreeMap<i64, String>,
}

/// Reads persons: those who read operations, and immigration.
pub(crate) fn may_read(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReadPersons) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// Names and documents are for roles that read operations.
pub(crate) fn reads_names(p: &Principal) -> bool {
    p.role.can(Capability::ReadOperations)
}

pub(crate) fn open_identity(v: &PersonsService, sealed: &[u8]) -> Result<Identity, CoreError> {
    let json = v.keys.open(SEAL_IDENTITY, sealed)?;
    serde_json::from_slice(&json).map_err(|e| CoreError::Internal(format!("identity: {e}")))
}

/// The rows as shown to `p` (identities opened when allowed).
pub(crate) fn views(
    v: &PersonsService,
    p: &Principal,
    rows: Vec<PersonRecordRow>,
) -> Result<Vec<RecordView>, CoreError> {
    rows.into_iter()
        .map(|row| {
            let identity = if reads_names(p) {
                Some(open_identity(v, &row.record.identity)?)
            } else {
                None
            };
            Ok(RecordView { row, identity })
        })
        .collect()
}

fn prefixed(n: usize, e: CoreError) -> CoreError {
    match e {
        CoreError::InvalidField(mut fe) => {
            fe.field = format!("persons[{n}].{}", fe.field);
            CoreError::InvalidField(fe)
        }
        e => e,
    }
}

/// Records one person met in an operation. Returns `(record id, person id)`:
/// the person is an earlier one when linkage finds them again.
pub async fn record(
    v: &PersonsService,
    p: &Principal,
    operation: i64,
    input: &PersonInput,
) -> Result<(i64, i64), CoreError> {
    let ids = record_inner(v, p, operation, std::slice::from_ref(input)).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| CoreError::Internal("no record stored".into()))
}

/// Records many persons met in one operation, all or nothing: a bad field is
/// `InvalidField` named `persons[N].field` (N from 1) and nothing is stored.
pub async fn record_batch(
    v: &PersonsService,
    p: &Principal,
    operation: i64,
    inputs: &[PersonInput],
) -> Result<Vec<(i64, i64)>, CoreError> {
    if inputs.is_empty() {
        return Err(invalid(
            "persons",
            (crate::field::FieldMessage::TooFew, "min", 1),
        ));
    }
    if inputs.len() > 1000 {
        return Err(invalid(
            "persons",
            (crate::field::FieldMessage::TooMany, "max", 1000),
        ));
    }
    record_inner(v, p, operation, inputs).await
}

async fn record_inner(
    v: &PersonsService,
    p: &Principal,
    operation: i64,
    inputs: &[PersonInput],
) -> Result<Vec<(i64, i64)>, CoreError> {
    if !p.role.can(Capability::RecordOperations) {
        return Err(CoreError::Forbidden);
    }
    let op = visible(&v.operations, p, operation).await?;
    let now = OffsetDateTime::now_utc();
    let single = inputs.len() == 1;
    let checked = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            input::check(input, now.date()).map_err(|e| if single { e } else { prefixed(i + 1, e) })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut batch: Vec<link::Known> = Vec::new();
    let mut records = Vec::with_capacity(checked.len());
    for (i, c) in checked.into_iter().enumerate() {
        let keys = link::blocking_keys(v, &c.identity);
        let me = link::linkage_person(&c.identity, &c.sex, &c.nationality);
        let mut known = link::stored_candidates(v, &keys).await?;
        known.extend(batch.iter().map(|k| link::Known {
            at: k.at,
            person: k.person,
            person_record: k.person_record.clone(),
        }));
        let linked = link::decide(&me, &known)?;
        let identity = serde_json::to_vec(&c.identity)
            .map_err(|e| CoreError::Internal(format!("identity: {e}")))?;
        records.push(NewPersonRecord {
            province_code: op.operation.province_code.clone(),
            referred: c.referred(),
            role: c.role,
            nationality: c.nationality,
            language: c.language,
            sex: c.sex,
            minor: c.minor,
            indicators: c
                .assessment
                .indicators
                .iter()
                .map(|i| i.code().to_string())
                .collect(),
            imminent_danger: c.imminent_danger,
            consent: c.consent.to_string(),
            likely_victim: c.assessment.likely_victim,
            referral_reason: serde_json::to_string(&c.assessment.reasons).unwrap_or_default(),
            identity: v.keys.seal(SEAL_IDENTITY, &identity)?,
            keys,
            link: linked.link,
            reviews: linked.reviews,
            home: c.home,
            recruitment: c.recruitment,
            arrested: c.arrested,
            created_by: p.id,
            created_at: now,
        });
        batch.push(link::Known {
            at: RecordRef::Batch(i),
            person: match linked.link {
                PersonLink::Person(id) => Some(id),
                _ => None,
            },
            person_record: me,
        });
    }
    Ok(v.store
        .insert_person_records(
            Some(operation),
            &records,
            p.audit(
                AuditAction::PersonsRecord,
                format!("operation:{operation}"),
                records.len().to_string(),
            ),
        )
        .await?)
}

/// The persons met in an operation (audited): its readers see names.
pub async fn operation_persons(
    v: &PersonsService,
    p: &Principal,
    operation: i64,
) -> Result<Vec<RecordView>, CoreError> {
    if !p.role.can(Capability::ReadOperations) {
        return Err(CoreError::Forbidden);
    }
    visible(&v.operations, p, operation).await?;
    let rows = v.store.operation_person_records(operation).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::PersonsList,
            format!("operation:{operation}"),
            rows.len().to_string(),
        ))
        .await?;
    views(v, p, rows)
}

/// A person and their records in the principal's jurisdiction (audited);
/// `NotFound` when none is.
pub async fn person(v: &PersonsService, p: &Principal, id: i64) -> Result<PersonView, CoreError> {
    may_read(p)?;
    let rows: Vec<PersonRecordRow> = v
        .store
        .person_records(id)
        .await?
        .into_iter()
        .filter(|r| p.jurisdiction.covers(Some(&r.record.province_code)))
        .collect();
    let Some(first) = rows.first() else {
        return Err(CoreError::NotFound);
    };
    let resolved = first.person_id;
    v.store
        .append_audit(
            p.audit(
                AuditAction::PersonRead,
                format!("person:{resolved}"),
                if reads_names(p) {
                    "identity"
                } else {
                    "figures"
                }
                .into(),
            ),
        )
        .await?;
    let mut operations = std::collections::BTreeMap::new();
    if p.role.can(Capability::ReadOperations) {
        for op in rows.iter().filter_map(|r| r.operation_id) {
            if let std::collections::btree_map::Entry::Vacant(e) = operations.entry(op) {
                e.insert(v.store.operation(op).await?.operation.reference);
            }
        }
    }
    Ok(PersonView {
        id: resolved,
        records: views(v, p, rows)?,
        operations,
    })
}

/// The person a record belongs to, if the record lies within the
/// principal's jurisdiction and the principal reads persons met.
pub async fn person_of_record(
    v: &PersonsService,
    p: &Principal,
    record: i64,
) -> Result<i64, CoreError> {
    if !p.role.can(Capability::ReadOperations) {
        return Err(CoreError::Forbidden);
    }
    let row = v.store.person_record(record).await?;
    if !p.jurisdiction.covers(Some(&row.record.province_code)) {
        return Err(CoreError::NotFound);
    }
    Ok(row.person_id)
}

/// A supervisor (or admin) acknowledges a record's likely-victim flag, with
/// a note saying what was decided; audited.
pub async fn acknowledge(
    v: &PersonsService,
    p: &Principal,
    record: i64,
    note: &str,
) -> Result<(), CoreError> {
    if !p.role.can(Capability::AcknowledgeVictims) {
        return Err(CoreError::Forbidden);
    }
    let row = v.store.person_record(record).await?;
    if !p.jurisdiction.covers(Some(&row.record.province_code)) {
        return Err(CoreError::NotFound);
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(invalid("note", crate::field::FieldMessage::Required));
    }
    if note.chars().count() > 2000 {
        return Err(invalid(
            "note",
            (crate::field::FieldMessage::TooLong, "max", 2000),
        ));
    }
    if !row.record.likely_victim {
        return Err(invalid("note", crate::field::FieldMessage::NotFlagged));
    }
    if row.victim_ack.is_some() {
        return Err(invalid(
            "note",
            crate::field::FieldMessage::AlreadyAcknowledged,
        ));
    }
    v.store
        .acknowledge_victim(
            record,
            p.id,
            note,
            p.audit(
                AuditAction::PersonVictimAck,
                String::new(),
                format!("person:{}", row.person_id),
            ),
        )
        .await
        .map_err(|e| match e {
            vigil_store::StoreError::Conflict(_) => {
                invalid("note", crate::field::FieldMessage::ChangedMeanwhile)
            }
            e => e.into(),
        })
}

/// Called before charging a defendant: `NotFound` for an unknown person and
/// for one with no record in the principal's jurisdiction (the same answer,
/// so the gate tells nobody whether a person elsewhere exists or is flagged);
/// an `InvalidField` on `likely_victim` saying the person is flagged as a
/// likely victim and a supervisor must acknowledge the flag first
/// (`vigil_domain::victims::may_charge`) while any of their records is
/// flagged and not acknowledged; `Ok` otherwise.
pub async fn charge_gate(
    v: &PersonsService,
    p: &Principal,
    person_id: i64,
) -> Result<(), CoreError> {
    let rows = v.store.person_records(person_id).await?;
    if !rows
        .iter()
        .any(|r| p.jurisdiction.covers(Some(&r.record.province_code)))
    {
        return Err(CoreError::NotFound);
    }
    let flagged = rows.iter().any(|r| r.record.likely_victim);
    let acknowledged = rows
        .iter()
        .filter(|r| r.record.likely_victim)
        .all(|r| r.victim_ack.is_some());
    vigil_domain::victims::may_charge(flagged, acknowledged)
        .map_err(|e| invalid("likely_victim", e))
}

/// Figures on persons met with a record in `[from, to)`, within the
/// principal's jurisdiction (every province for a national one). Aggregates
/// only: any signed-in role may see them.
pub async fn person_figures(
    v: &PersonsService,
    p: &Principal,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> Result<PersonFigures, CoreError> {
    Ok(v.store
        .person_figures(from, to, p.jurisdiction.provinces())
        .await?)
}

/// The names colleagues know the supervisors who acknowledged a person's
/// victim flags by (staff id → display name), for those who read the person.
pub async fn acknowledgers(
    v: &PersonsService,
    p: &Principal,
    view: &PersonView,
) -> Result<std::collections::BTreeMap<i64, String>, CoreError> {
    may_read(p)?;
    let mut out = std::collections::BTreeMap::new();
    for (by, _, _) in view
        .records
        .iter()
        .filter_map(|r| r.row.victim_ack.as_ref())
    {
        if let std::collections::btree_map::Entry::Vacant(e) = out.entry(by.0) {
            e.insert(v.store.staff(*by).await?.display_name);
        }
    }
    Ok(out)
}

/// How many flags [`victims_to_acknowledge`] lists at most.
pub const FLAGS_LISTED: i64 = 200;

/// The records flagged as a likely victim that no supervisor has
/// acknowledged yet, within the principal's jurisdiction, newest first (at
/// most [`FLAGS_LISTED`]): the work of those who acknowledge. Audited.
pub async fn victims_to_acknowledge(
    v: &PersonsService,
    p: &Principal,
) -> Result<Vec<RecordView>, CoreError> {
    if !p.role.can(Capability::AcknowledgeVictims) {
        return Err(CoreError::Forbidden);
    }
    let rows = v
        .store
        .victims_to_acknowledge(p.jurisdiction.provinces(), FLAGS_LISTED)
        .await?;
    v.store
        .append_audit(p.audit(
            AuditAction::PersonsList,
            "victims:unacknowledged".into(),
            rows.len().to_string(),
        ))
        .await?;
    views(v, p, rows)
}
