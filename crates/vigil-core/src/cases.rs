//! Cases and prosecutions: case files resting on operations and
//! seized evidence, defendants (persons met, by id), charges under a statute
//! kept as data, hearings, stages and verdicts.
//!
//! Who may do what: officers, prosecutors, supervisors and admins create
//! cases and add defendants and evidence; prosecutors, supervisors and admins
//! also charge, record hearings, move stages and record verdicts and
//! outcomes; analysts read; immigration may do neither (`Forbidden`). A
//! case's province decides its jurisdiction: outside it a case is
//! `NotFound`, like an unknown one. Every read and write is audited.
//!
//! Rules, each refused as `InvalidField` naming the field: a statute must be
//! known; linked operations and items must be ones the principal can see;
//! no verdict before a charge (a verdict dated before its charge, an outcome
//! of `convicted` or `acquitted` for a defendant never charged, a case moved
//! to `charged`, `trial` or `verdict` with no charge); stages only go
//! forward, and `appeal` only from `verdict`. Before a person is made a
//! defendant and before every charge, [`crate::persons::charge_gate`]
//! decides whether they may be (a likely victim may not, unacknowledged).

use std::sync::Arc;

use time::{Date, Month, OffsetDateTime};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::statutes::{self, Statutes};
use vigil_domain::{AuditAction, Capability, CaseStage, Outcome, StageMove, Verdict};
use vigil_store::{
    CaseFigures, CaseRow, ChargeRow, DefendantRow, HearingRow, NewCase, NewCharge, NewHearing,
    StoreError,
};

use crate::CoreError;
use crate::operations::invalid;
use crate::operations::text;
use crate::persons::charge_gate;
use crate::staff::Principal;
use vigil_store::DynStore;

/// Cases through the courts: defendants, charges under the statutes, stages and verdicts. Cheap to clone.
#[derive(Clone)]
pub struct CasesService {
    pub(crate) store: DynStore,
    pub(crate) settings: std::sync::Arc<crate::settings::Settings>,
    /// The statutes a charge may name, loaded once.
    pub(crate) statutes:
        std::sync::Arc<std::sync::OnceLock<std::sync::Arc<vigil_domain::statutes::Statutes>>>,
    /// Its defendants' records (a likely victim is not charged unseen).
    pub(crate) persons: crate::persons::PersonsService,
}

impl CasesService {
    /// The slice over its parts.
    pub fn new(
        store: DynStore,
        settings: std::sync::Arc<crate::settings::Settings>,
        persons: crate::persons::PersonsService,
    ) -> Self {
        CasesService {
            store,
            settings,
            statutes: std::sync::Arc::default(),
            persons,
        }
    }
}

const MAX_SHORT: usize = 200;
const MAX_TEXT: usize = 5000;

/// The statutes in force: `[cases] statutes_file` when set, else the
/// shipped list. Loaded once; a file that does not load is an error naming it.
pub fn statutes(v: &CasesService) -> Result<Arc<Statutes>, CoreError> {
    if let Some(s) = v.statutes.get() {
        return Ok(s.clone());
    }
    let loaded = match &v.settings.cases.statutes_file {
        None => statutes::shipped().clone(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                CoreError::Unavailable(format!(
                    "[cases] statutes_file {}: cannot read it: {e}",
                    path.display()
                ))
            })?;
            Statutes::parse(&text).map_err(|e| {
                CoreError::Unavailable(format!("[cases] statutes_file {}: {e}", path.display()))
            })?
        }
    };
    Ok(v.statutes.get_or_init(|| Arc::new(loaded)).clone())
}

fn allow(ok: bool) -> Result<(), CoreError> {
    if ok {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// Reads an ISO date (`2026-03-02`).
pub fn parse_date(field: &str, value: &str) -> Result<Date, CoreError> {
    let value = value.trim();
    let bad = || invalid(field, crate::field::FieldMessage::NotADate);
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let m = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, m, d).map_err(|_| bad())
}

/// The names of every word of a vocabulary, for error messages.
fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter().map(|w| name(*w)).collect::<Vec<_>>().join(", ")
}

/// Reads a stage as typed in a form.
pub fn parse_stage(field: &str, stage: &str) -> Result<CaseStage, CoreError> {
    let stage = stage.trim();
    CaseStage::parse(stage).ok_or_else(|| {
        invalid(
            field,
            crate::field::FieldMessage::NotAChoice
                .with("value", stage)
                .arg("choices", names(CaseStage::ALL, CaseStage::name)),
        )
    })
}

/// A case as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseInput {
    /// Unique reference (`PP-2026-031`).
    pub reference: String,
    /// Short title.
    pub title: String,
    /// A named case's public name (empty when not named).
    pub name: String,
    /// Gazetteer province code (jurisdiction).
    pub province_code: String,
    /// The court.
    pub court: String,
    /// Operations it rests on.
    pub operations: Vec<i64>,
    /// Seized items that are its evidence.
    pub items: Vec<i64>,
}

/// A hearing as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HearingInput {
    /// When: RFC 3339 with the local offset.
    pub at: String,
    /// The court.
    pub court: String,
    /// What kind of hearing.
    pub kind: String,
    /// What came of it.
    pub outcome: String,
    /// Notes.
    pub notes: String,
}

/// Everything about one case, for its page.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case and its links.
    pub case: CaseRow,
    /// Its defendants.
    pub defendants: Vec<DefendantRow>,
    /// Its charges.
    pub charges: Vec<ChargeRow>,
    /// Its hearings, in time order.
    pub hearings: Vec<HearingRow>,
}

/// Checks that the principal sees every operation and item named.
async fn check_links(
    v: &CasesService,
    p: &Principal,
    operations: &[i64],
    items: &[i64],
) -> Result<(), CoreError> {
    for o in operations {
        let seen = match v.store.operation(*o).await {
            Ok(row) => p.jurisdiction.covers(Some(&row.operation.province_code)),
            Err(StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !seen {
            return Err(invalid(
                "operations",
                (crate::field::FieldMessage::NotKnown, "value", o),
            ));
        }
    }
    for i in items {
        let seen = match v.store.seized_item(*i).await {
            Ok((row, _)) => match v.store.operation(row.operation_id).await {
                Ok(op) => p.jurisdiction.covers(Some(&op.operation.province_code)),
                Err(StoreError::NotFound) => false,
                Err(e) => return Err(e.into()),
            },
            Err(StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !seen {
            return Err(invalid(
                "items",
                (crate::field::FieldMessage::NotKnown, "value", i),
            ));
        }
    }
    Ok(())
}

/// A case the principal may see, or `NotFound`.
async fn visible(v: &CasesService, p: &Principal, id: i64) -> Result<CaseRow, CoreError> {
    let row = v.store.case(id).await?;
    if p.jurisdiction.covers(Some(&row.case.province_code)) {
        Ok(row)
    } else {
        Err(CoreError::NotFound)
    }
}

fn conflict(field: &'static str, why: crate::field::Reason) -> impl Fn(StoreError) -> CoreError {
    move |e| match e {
        StoreError::Conflict(_) => invalid(field, why.clone()),
        e => e.into(),
    }
}

/// Opens a case file (stage `investigation`) in the principal's
/// jurisdiction, linked to operations and items they can see. Returns its id.
pub async fn create(v: &CasesService, p: &Principal, input: &CaseInput) -> Result<i64, CoreError> {
    allow(p.role.can(Capability::BuildCases))?;
    let reference = text("reference", &input.reference, true, 64)?;
    let title = text("title", &input.title, true, MAX_SHORT)?;
    let name = text("name", &input.name, false, MAX_SHORT)?;
    let province = input.province_code.trim();
    let known = gazetteer()
        .get(province)
        .is_some_and(|u| u.level == vigil_domain::gazetteer::Level::Province);
    if !known {
        return Err(invalid(
            "province_code",
            (
                crate::field::FieldMessage::NotAGazetteerCode,
                "value",
                province,
            ),
        ));
    }
    if !p.jurisdiction.covers(Some(province)) {
        return Err(invalid(
            "province_code",
            crate::field::FieldMessage::OutsideJurisdiction,
        ));
    }
    let court = text("court", &input.court, true, MAX_SHORT)?;
    check_links(v, p, &input.operations, &input.items).await?;
    let case = NewCase {
        reference,
        title,
        name: (!name.is_empty()).then_some(name),
        province_code: province.to_string(),
        court,
        stage: CaseStage::FIRST,
        operations: input.operations.clone(),
        items: input.items.clone(),
        created_by: p.id,
        created_at: OffsetDateTime::now_utc(),
    };
    v.store
        .create_case(
            &case,
            p.audit(
                AuditAction::CaseCreate,
                String::new(),
                case.reference.clone(),
            ),
        )
        .await
        .map_err(conflict(
            "reference",
            crate::field::FieldMessage::AlreadyUsed.with("value", &case.reference),
        ))
}

/// Links more operations and seized items to a case.
pub async fn link(
    v: &CasesService,
    p: &Principal,
    id: i64,
    operations: &[i64],
    items: &[i64],
) -> Result<(), CoreError> {
    allow(p.role.can(Capability::BuildCases))?;
    visible(v, p, id).await?;
    if operations.is_empty() && items.is_empty() {
        return Err(invalid(
            "operations",
            (crate::field::FieldMessage::TooFew, "min", 1),
        ));
    }
    check_links(v, p, operations, items).await?;
    let detail = format!("operations {operations:?} items {items:?}");
    Ok(v.store
        .link_case(
            id,
            operations,
            items,
            p.audit(AuditAction::CaseLink, String::new(), detail),
        )
        .await?)
}

/// Makes a person a defendant of a case (outcome `pending`).
pub async fn add_defendant(
    v: &CasesService,
    p: &Principal,
    id: i64,
    person_id: i64,
) -> Result<(), CoreError> {
    allow(p.role.can(Capability::BuildCases))?;
    visible(v, p, id).await?;
    if person_id <= 0 {
        return Err(invalid("person_id", crate::field::FieldMessage::NotAnId));
    }
    let unknown = |e: CoreError| match e {
        CoreError::NotFound => invalid(
            "person_id",
            (crate::field::FieldMessage::NotKnown, "value", person_id),
        ),
        e => e,
    };
    // A person merged into another is that other: one defendant, not two.
    let person_id = v
        .store
        .resolve_person(person_id)
        .await
        .map_err(|e| unknown(e.into()))?;
    charge_gate(&v.persons, p, person_id)
        .await
        .map_err(unknown)?;
    v.store
        .add_defendant(
            id,
            person_id,
            p.audit(
                AuditAction::CaseDefendant,
                String::new(),
                format!("person:{person_id}"),
            ),
        )
        .await
        .map_err(conflict(
            "person_id",
            crate::field::FieldMessage::AlreadyADefendant.with("value", person_id),
        ))
}

/// Charges a defendant of the case under a known statute on a date.
/// Returns the charge's id.
pub async fn charge(
    v: &CasesService,
    p: &Principal,
    id: i64,
    person_id: i64,
    statute: &str,
    charged_on: &str,
) -> Result<i64, CoreError> {
    allow(p.role.can(Capability::Prosecute))?;
    visible(v, p, id).await?;
    let statute = statute.trim();
    if statutes(v)?.get(statute).is_none() {
        return Err(invalid(
            "statute",
            (crate::field::FieldMessage::NotKnown, "value", statute),
        ));
    }
    let charged_on = parse_date("charged_on", charged_on)?;
    let defendants = v.store.defendants(id).await?;
    if !defendants.iter().any(|d| d.person_id == person_id) {
        return Err(invalid(
            "person_id",
            (
                crate::field::FieldMessage::NotADefendant,
                "value",
                person_id,
            ),
        ));
    }
    charge_gate(&v.persons, p, person_id)
        .await
        .map_err(|e| match e {
            CoreError::NotFound => invalid(
                "person_id",
                (crate::field::FieldMessage::NotKnown, "value", person_id),
            ),
            e => e,
        })?;
    let c = NewCharge {
        case_id: id,
        person_id,
        statute: statute.to_string(),
        charged_on,
    };
    let detail = format!("person:{person_id} {statute}");
    Ok(v.store
        .add_charge(&c, p.audit(AuditAction::CaseCharge, String::new(), detail))
        .await?)
}

/// Records a charge's verdict, on or after the day it was charged.
pub async fn verdict(
    v: &CasesService,
    p: &Principal,
    id: i64,
    charge: i64,
    verdict: &str,
    on: &str,
) -> Result<(), CoreError> {
    allow(p.role.can(Capability::Prosecute))?;
    visible(v, p, id).await?;
    let verdict = Verdict::parse(verdict.trim()).ok_or_else(|| {
        invalid(
            "verdict",
            (
                crate::field::FieldMessage::NotAChoice,
                "choices",
                names(Verdict::ALL, Verdict::name),
            ),
        )
    })?;
    let on = parse_date("verdict_on", on)?;
    let charges = v.store.charges(id).await?;
    let Some(c) = charges.iter().find(|c| c.id == charge) else {
        return Err(invalid(
            "charge",
            (
                crate::field::FieldMessage::NotAChargeOfCase,
                "value",
                charge,
            ),
        ));
    };
    if on < c.charge.charged_on {
        return Err(invalid(
            "verdict_on",
            (
                crate::field::FieldMessage::BeforeCharge,
                "date",
                c.charge.charged_on,
            ),
        ));
    }
    let detail = format!("charge:{charge} {verdict}");
    Ok(v.store
        .set_verdict(
            charge,
            verdict,
            on,
            p.audit(AuditAction::CaseVerdict, String::new(), detail),
        )
        .await?)
}

/// Records a defendant's outcome and sentence. `convicted` needs a charge
/// with a `convicted` verdict and `acquitted` a charge, both dated on or
/// after it; `pending` clears the date.
pub async fn outcome(
    v: &CasesService,
    p: &Principal,
    id: i64,
    person_id: i64,
    outcome: &str,
    sentence: &str,
    on: &str,
) -> Result<(), CoreError> {
    allow(p.role.can(Capability::Prosecute))?;
    visible(v, p, id).await?;
    let outcome = Outcome::parse(outcome.trim()).ok_or_else(|| {
        invalid(
            "outcome",
            (
                crate::field::FieldMessage::NotAChoice,
                "choices",
                names(Outcome::ALL, Outcome::name),
            ),
        )
    })?;
    let sentence = text("sentence", sentence, false, MAX_TEXT)?;
    if !v
        .store
        .defendants(id)
        .await?
        .iter()
        .any(|d| d.person_id == person_id)
    {
        return Err(invalid(
            "person_id",
            (
                crate::field::FieldMessage::NotADefendant,
                "value",
                person_id,
            ),
        ));
    }
    let on = if outcome == Outcome::Pending {
        None
    } else {
        Some(parse_date("outcome_on", on)?)
    };
    let charges: Vec<ChargeRow> = v
        .store
        .charges(id)
        .await?
        .into_iter()
        .filter(|c| c.charge.person_id == person_id)
        .collect();
    if outcome.is_judgement() {
        let Some(first) = charges.iter().map(|c| c.charge.charged_on).min() else {
            return Err(invalid(
                "outcome",
                (crate::field::FieldMessage::NeverCharged, "value", person_id),
            ));
        };
        if on.is_some_and(|d| d < first) {
            return Err(invalid(
                "outcome_on",
                (crate::field::FieldMessage::BeforeCharge, "date", first),
            ));
        }
    }
    if outcome == Outcome::Convicted
        && !charges
            .iter()
            .any(|c| c.verdict == Some(Verdict::Convicted))
    {
        return Err(invalid(
            "outcome",
            crate::field::FieldMessage::NeedsConviction,
        ));
    }
    let detail = format!("person:{person_id} {outcome}");
    Ok(v.store
        .set_outcome(
            id,
            person_id,
            outcome,
            &sentence,
            on,
            p.audit(AuditAction::CaseOutcome, String::new(), detail),
        )
        .await?)
}

/// Records a hearing.
pub async fn hearing(
    v: &CasesService,
    p: &Principal,
    id: i64,
    input: &HearingInput,
) -> Result<i64, CoreError> {
    allow(p.role.can(Capability::Prosecute))?;
    visible(v, p, id).await?;
    if input.at.trim().is_empty() {
        return Err(invalid("at", crate::field::FieldMessage::Required));
    }
    let at =
        vigil_custody::parse_time("at", &input.at).map_err(|e| invalid(&e.field, e.message))?;
    let h = NewHearing {
        case_id: id,
        at,
        court: text("court", &input.court, true, MAX_SHORT)?,
        kind: text("kind", &input.kind, true, MAX_SHORT)?,
        outcome: text("outcome", &input.outcome, false, MAX_TEXT)?,
        notes: text("notes", &input.notes, false, MAX_TEXT)?,
    };
    let detail = h.kind.clone();
    Ok(v.store
        .add_hearing(&h, p.audit(AuditAction::CaseHearing, String::new(), detail))
        .await?)
}

/// Moves a case forward to `to`: stages only go forward; `charged`,
/// `trial` and `verdict` need a charge; `appeal` only follows `verdict`.
pub async fn move_stage(
    v: &CasesService,
    p: &Principal,
    id: i64,
    to: &str,
) -> Result<(), CoreError> {
    allow(p.role.can(Capability::Prosecute))?;
    let row = visible(v, p, id).await?;
    let to = parse_stage("stage", to)?;
    let from = row.case.stage;
    let charged = !v.store.charges(id).await?.is_empty();
    from.may_move(to, charged).map_err(|why| match why {
        StageMove::Backwards => invalid(
            "stage",
            (crate::field::FieldMessage::StageBackwards, "from", from),
        ),
        StageMove::AppealWithoutVerdict => {
            invalid("stage", crate::field::FieldMessage::AppealWithoutVerdict)
        }
        StageMove::NeedsCharge => invalid(
            "stage",
            (crate::field::FieldMessage::StageNeedsCharge, "to", to),
        ),
    })?;
    v.store
        .set_stage(
            id,
            from,
            to,
            p.audit(
                AuditAction::CaseStage,
                String::new(),
                format!("{from} -> {to}"),
            ),
        )
        .await
        .map_err(conflict(
            "stage",
            crate::field::FieldMessage::ChangedMeanwhile.into(),
        ))
}

/// One case with its defendants, charges and hearings (audited).
pub async fn case(v: &CasesService, p: &Principal, id: i64) -> Result<CaseView, CoreError> {
    allow(p.role.can(Capability::ReadCases))?;
    let case = visible(v, p, id).await?;
    let view = CaseView {
        case,
        defendants: v.store.defendants(id).await?,
        charges: v.store.charges(id).await?,
        hearings: v.store.hearings(id).await?,
    };
    v.store
        .append_audit(p.audit(AuditAction::CaseRead, format!("case:{id}"), String::new()))
        .await?;
    Ok(view)
}

/// The cases in the principal's jurisdiction, at `stage` when given,
/// newest first (audited).
pub async fn list(
    v: &CasesService,
    p: &Principal,
    stage: Option<&str>,
) -> Result<Vec<CaseRow>, CoreError> {
    allow(p.role.can(Capability::ReadCases))?;
    let stage = stage.map(|s| parse_stage("stage", s)).transpose()?;
    let rows = v.store.cases(p.jurisdiction.provinces(), stage).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::CaseList,
            String::new(),
            format!("{} {}", stage.map_or("all", CaseStage::name), rows.len()),
        ))
        .await?;
    Ok(rows)
}

/// The case figures over `[from, to)` within the principal's jurisdiction
/// (audited).
pub async fn figures(
    v: &CasesService,
    p: &Principal,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<CaseFigures, CoreError> {
    allow(p.role.can(Capability::ReadCases))?;
    let f = v
        .store
        .case_figures(from, to, p.jurisdiction.provinces())
        .await?;
    v.store
        .append_audit(p.audit(AuditAction::CaseFigures, String::new(), String::new()))
        .await?;
    Ok(f)
}

/// The readable names (the stored JSON, see `vigil_intel::name_of`) of the
/// facilities an operation was planned from, for a case's readers: those
/// outside the principal's jurisdiction or unknown are left out. Audited.
pub async fn facility_names(
    v: &CasesService,
    p: &Principal,
    ids: &[vigil_domain::FacilityId],
) -> Result<Vec<(vigil_domain::FacilityId, String)>, CoreError> {
    allow(p.role.can(Capability::ReadCases))?;
    let mut out = Vec::new();
    for id in ids {
        let f = match v.store.facility(*id).await {
            Ok((f, _)) => f,
            Err(StoreError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        if p.jurisdiction.covers(f.province_code.as_deref()) {
            out.push((*id, f.name));
        }
    }
    if !out.is_empty() {
        v.store
            .append_audit(p.audit(
                AuditAction::FacilityRead,
                String::new(),
                format!("names {}", out.len()),
            ))
            .await?;
    }
    Ok(out)
}
