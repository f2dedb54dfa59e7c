//! Cases and prosecutions, as stored: case files linked to operations and
//! seized items, defendants (persons, by id), charges under a statute code,
//! hearings and verdicts. `vigil-core` checks the rules (roles,
//! jurisdiction, known statutes, stages going forward, no verdict before a
//! charge); the store keeps each write whole in one transaction with its
//! audit entry, and refuses what needs the database to see: unknown linked
//! operations or items and charges on a person who is not a defendant
//! (`NotFound`), references and defendants already there (`Conflict`), and a
//! stage moved by someone else meanwhile (`Conflict`).

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{CaseStage, Outcome, StaffId, Verdict};

use crate::error::StoreError;

/// A case file as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Its reference, unique (`PP-2026-031`).
    pub reference: String,
    /// A short title.
    pub title: String,
    /// A named case's public name.
    pub name: Option<String>,
    /// Gazetteer province code (decides jurisdiction).
    pub province_code: String,
    /// The court that hears it.
    pub court: String,
    /// Its stage.
    pub stage: CaseStage,
    /// The operations it rests on.
    pub operations: Vec<i64>,
    /// The seized items that are its evidence.
    pub items: Vec<i64>,
    /// Who created it.
    pub created_by: StaffId,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Its id.
    pub id: i64,
    /// Its fields and links.
    pub case: NewCase,
}

/// A defendant of a case and their outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefendantRow {
    /// The case.
    pub case_id: i64,
    /// The person (`persons(id)`).
    pub person_id: i64,
    /// What came of the case for them.
    pub outcome: Outcome,
    /// The sentence, in words.
    pub sentence: String,
    /// When the outcome was decided.
    pub outcome_on: Option<Date>,
}

/// A charge as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCharge {
    /// The case.
    pub case_id: i64,
    /// The defendant charged (must be a defendant of the case).
    pub person_id: i64,
    /// The statute's code.
    pub statute: String,
    /// When charged.
    pub charged_on: Date,
}

/// A stored charge and its verdict once given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub charge: NewCharge,
    /// Its verdict, once given.
    pub verdict: Option<Verdict>,
    /// When the verdict was given.
    pub verdict_on: Option<Date>,
}

/// A hearing as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHearing {
    /// The case.
    pub case_id: i64,
    /// When, with the local offset.
    pub at: OffsetDateTime,
    /// The court.
    pub court: String,
    /// What kind of hearing (`first appearance`, `trial`…).
    pub kind: String,
    /// What came of it.
    pub outcome: String,
    /// Notes.
    pub notes: String,
}

/// A stored hearing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingRow {
    /// Its id.
    pub id: i64,
    /// Its fields.
    pub hearing: NewHearing,
}

/// Figures over the cases created in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFigures {
    /// Cases created.
    pub cases: i64,
    /// Of which named cases.
    pub named_cases: i64,
    /// Distinct persons with at least one charge in those cases.
    pub defendants_prosecuted: i64,
    /// Distinct persons whose outcome in those cases is `convicted`.
    pub defendants_convicted: i64,
    /// Cases by stage, in [`CaseStage::ALL`] order, stages with none left out.
    pub by_stage: Vec<(CaseStage, i64)>,
}

/// Cases, defendants, charges, hearings. A supertrait of [`crate::Store`].
#[async_trait]
pub trait CasesStore: Send + Sync {
    /// Records a case with its linked operations and items, all or nothing;
    /// audited. A reference already used is `Conflict`; an unknown
    /// operation or item `NotFound`.
    async fn create_case(&self, case: &NewCase, audit: NewAuditEntry) -> Result<i64, StoreError>;

    /// One case with its links.
    async fn case(&self, id: i64) -> Result<CaseRow, StoreError>;

    /// Cases in these provinces (all when `None`), at this stage (any when
    /// `None`), newest first.
    async fn cases(
        &self,
        provinces: Option<&[String]>,
        stage: Option<CaseStage>,
    ) -> Result<Vec<CaseRow>, StoreError>;

    /// Links more operations and items to a case (already linked ones are
    /// kept once), all or nothing; audited. Unknown ones are `NotFound`.
    async fn link_case(
        &self,
        case: i64,
        operations: &[i64],
        items: &[i64],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Adds a defendant (outcome [`Outcome::Pending`]); audited. Already a defendant is
    /// `Conflict`; an unknown case `NotFound`.
    async fn add_defendant(
        &self,
        case: i64,
        person: i64,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// A case's defendants, by person id.
    async fn defendants(&self, case: i64) -> Result<Vec<DefendantRow>, StoreError>;

    /// Records a charge; audited. A person who is not a defendant of the
    /// case is `NotFound`.
    async fn add_charge(&self, charge: &NewCharge, audit: NewAuditEntry)
    -> Result<i64, StoreError>;

    /// A case's charges, by id.
    async fn charges(&self, case: i64) -> Result<Vec<ChargeRow>, StoreError>;

    /// Records a charge's verdict; audited. An unknown charge is `NotFound`.
    async fn set_verdict(
        &self,
        charge: i64,
        verdict: Verdict,
        on: Date,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Records a defendant's outcome and sentence; audited. A person who is
    /// not a defendant of the case is `NotFound`.
    async fn set_outcome(
        &self,
        case: i64,
        person: i64,
        outcome: Outcome,
        sentence: &str,
        on: Option<Date>,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Records a hearing; audited. An unknown case is `NotFound`.
    async fn add_hearing(&self, h: &NewHearing, audit: NewAuditEntry) -> Result<i64, StoreError>;

    /// A case's hearings, in time order.
    async fn hearings(&self, case: i64) -> Result<Vec<HearingRow>, StoreError>;

    /// Moves a case from stage `from` to `to`; audited. If the stored stage
    /// is no longer `from` (moved meanwhile) it is `Conflict`. Which moves
    /// are allowed is decided by `vigil-core`.
    async fn set_stage(
        &self,
        case: i64,
        from: CaseStage,
        to: CaseStage,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;

    /// Figures over the cases created in `[from, to)` in these provinces
    /// (all when `None`).
    async fn case_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        provinces: Option<&[String]>,
    ) -> Result<CaseFigures, StoreError>;
}
