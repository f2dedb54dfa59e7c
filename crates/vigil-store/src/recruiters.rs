//! Local recruiters, as stored (migration 0022): where persons met come
//! from, how victims were recruited and by whom, and recruiters' arrests.
//!
//! A recruiter is one row, met in person or known only by the contacts
//! victims gave. Its contacts are observables (a value seen in tips and a
//! recruiter's contact is one observable), so a recruiter reaches tips,
//! facilities and the screening watchlist through the values it shares.
//! The store resolves a record's recruiter inside the transaction that
//! writes the record: the recruiters already holding one of its contacts
//! (or, for a recruiter met in person, that person) become one, the oldest
//! kept; none makes a new one.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::TipId;

use crate::error::StoreError;
use crate::figures::FigureScope;
use crate::observables::ObservableId;

/// A home village and the units above it (gazetteer codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct HomeVillage {
    /// Village code (8 digits).
    pub village_code: String,
    /// Its commune (6 digits).
    pub commune_code: String,
    /// Its district (4 digits).
    pub district_code: String,
    /// Its province (2 digits).
    pub province_code: String,
}

/// What a record says about recruitment. For a victim: how they were
/// recruited (the recruiter's contacts, the job promised, the route); for a
/// recruiter met in person: their own contacts (job and route empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recruitment {
    /// The recruiter's contacts, `(kind, normalised value)`, each once.
    pub contacts: Vec<(String, String)>,
    /// The job promised, in the victim's words.
    pub promised_job: String,
    /// The route taken, in the victim's words.
    pub route: String,
}

/// Where a recruiter stands, derived from what is stored: charged and
/// convicted from the cases of the person met, arrested from arrests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecruiterStatus {
    /// Not arrested.
    Sought,
    /// Arrested in an operation.
    Arrested,
    /// A defendant in a case.
    Charged,
    /// Convicted in a case.
    Convicted,
}

impl RecruiterStatus {
    /// Its code (`sought`, `arrested`, `charged`, `convicted`).
    pub fn code(self) -> &'static str {
        match self {
            RecruiterStatus::Sought => "sought",
            RecruiterStatus::Arrested => "arrested",
            RecruiterStatus::Charged => "charged",
            RecruiterStatus::Convicted => "convicted",
        }
    }
}

/// A victim recruited by a recruiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecruitedVictim {
    /// The victim's record.
    pub record_id: i64,
    /// The victim (after merges).
    pub person_id: i64,
    /// The operation they were met in.
    pub operation_id: Option<i64>,
    /// The province they were met in (the record's jurisdiction).
    pub province_code: String,
    /// Their home village, when recorded.
    pub home: Option<HomeVillage>,
    /// The job promised.
    pub promised_job: String,
    /// The route.
    pub route: String,
    /// When the record was made.
    pub recorded_at: OffsetDateTime,
}

/// A recruiter's arrest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecruiterArrest {
    /// The record of the recruiter met.
    pub record_id: i64,
    /// The operation that arrested them.
    pub operation_id: i64,
    /// Where (the operation's province and commune).
    pub province_code: String,
    /// The operation's commune, when it named one.
    pub commune_code: Option<String>,
    /// Not Cambodian by the nationality recorded.
    pub foreign_national: bool,
    /// When.
    pub arrested_at: OffsetDateTime,
}

/// One recruiter with everything stored about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecruiterRow {
    /// Its id (after merges).
    pub id: i64,
    /// The person met, when met in person (after merges).
    pub person_id: Option<i64>,
    /// When first known.
    pub created_at: OffsetDateTime,
    /// Its contacts: observable, kind, value.
    pub contacts: Vec<(ObservableId, String, String)>,
    /// The victims it recruited, oldest first.
    pub victims: Vec<RecruitedVictim>,
    /// Its own records when met in person: record id, province met in,
    /// nationality, home village.
    pub records: Vec<(i64, String, String, Option<HomeVillage>)>,
    /// Its arrests, oldest first.
    pub arrests: Vec<RecruiterArrest>,
    /// Its status.
    pub status: RecruiterStatus,
}

impl RecruiterRow {
    /// Every province the recruiter touches: where its victims were met and
    /// come from, where it was met and arrested, its home. A reader whose
    /// jurisdiction covers one of them may read it.
    pub fn provinces(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in &self.victims {
            out.push(v.province_code.clone());
            if let Some(h) = &v.home {
                out.push(h.province_code.clone());
            }
        }
        for (_, met, _, home) in &self.records {
            out.push(met.clone());
            if let Some(h) = home {
                out.push(h.province_code.clone());
            }
        }
        out.extend(self.arrests.iter().map(|a| a.province_code.clone()));
        out.sort();
        out.dedup();
        out
    }
}

/// A recruiter in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecruiterSummary {
    /// Its id.
    pub id: i64,
    /// Victims recruited (within the area asked for, when one was).
    pub victims: u64,
    /// Distinct communes its victims come from.
    pub communes: u64,
    /// Its status.
    pub status: RecruiterStatus,
    /// Its latest victim record or arrest.
    pub last_seen: OffsetDateTime,
}

/// A district or a commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    /// A district (4-digit code).
    District(String),
    /// A commune (6-digit code).
    Commune(String),
}

impl Area {
    /// Its gazetteer code.
    pub fn code(&self) -> &str {
        match self {
            Area::District(c) | Area::Commune(c) => c,
        }
    }
}

/// What is known about recruitment in one area.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreaRecruitment {
    /// Recruiters with a victim from the area, met or arrested there, or at
    /// home there; their victim counts are of victims from the area.
    pub recruiters: Vec<RecruiterSummary>,
    /// Victims from the area by home village: distinct persons.
    pub villages: BTreeMap<String, u64>,
    /// Recruiters arrested in the area's operations.
    pub arrests: u64,
    /// Tips placed in the area, or whose text names a place within it, by
    /// month (`YYYY-MM`, Cambodia time).
    pub tips_by_month: BTreeMap<String, u64>,
    /// Victims from the area by the month they were met.
    pub victims_by_month: BTreeMap<String, u64>,
    /// The most recent of those tips, newest first.
    pub recent_tips: Vec<TipId>,
}

/// One commune's recruitment activity, for the prevention list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneActivity {
    /// The commune.
    pub commune_code: String,
    /// Victims from the commune (distinct persons), ever.
    pub victims: u64,
    /// Of whom met since the date asked for.
    pub recent_victims: u64,
    /// Distinct recruiters with a victim from here, at home here or
    /// arrested here, with activity since the date asked for.
    pub active_recruiters: u64,
    /// Recruiters arrested in the commune since the date asked for.
    pub recent_arrests: u64,
    /// Tips placed in the commune since the date asked for.
    pub recent_tips: u64,
}

/// Recruiters, home villages and arrests. A supertrait of [`crate::Store`];
/// records are written with [`crate::PersonsStore::insert_person_records`].
#[async_trait]
pub trait RecruitersStore: Send + Sync {
    /// One recruiter (following merges); `NotFound` if unknown.
    async fn recruiter(&self, id: i64) -> Result<RecruiterRow, StoreError>;

    /// The home village and recruitment of each of these records (records
    /// with neither are left out): record id → (home, recruitment's
    /// recruiter, job, route).
    async fn record_origins(
        &self,
        records: &[i64],
    ) -> Result<BTreeMap<i64, RecordOrigin>, StoreError>;

    /// The recruiter a person met in person is (following merges), if any.
    async fn recruiter_of_person(&self, person: i64) -> Result<Option<i64>, StoreError>;

    /// Recruiters touching these provinces (all when `None`), most victims
    /// first, at most `limit`.
    async fn recruiters(
        &self,
        provinces: Option<&[String]>,
        limit: i64,
    ) -> Result<Vec<RecruiterSummary>, StoreError>;

    /// What is known about recruitment in an area.
    async fn area_recruitment(
        &self,
        area: &Area,
        recent_tips: i64,
    ) -> Result<AreaRecruitment, StoreError>;

    /// Every commune with a victim from it, a recruiter at home or arrested
    /// in it, within these provinces (all when `None`); "recent" counts are
    /// from `since` on.
    async fn commune_activity(
        &self,
        since: OffsetDateTime,
        provinces: Option<&[String]>,
    ) -> Result<Vec<CommuneActivity>, StoreError>;

    /// Recruiter arrests in `scope` by the operation's commune (arrests in
    /// operations that named no commune under `""`).
    async fn recruiter_arrests_by_commune(
        &self,
        scope: &FigureScope,
    ) -> Result<BTreeMap<String, u64>, StoreError>;

    /// The recruiters (live, not merged away) one of whose contacts is this
    /// observable.
    async fn recruiters_of_observable(&self, id: ObservableId) -> Result<Vec<i64>, StoreError>;

    /// Every recruiter's contacts: (recruiter id, kind, value), for the
    /// screening watchlist.
    async fn recruiter_contacts(&self) -> Result<Vec<(i64, String, String)>, StoreError>;

    /// The newest screenings whose reasons contain `needle` (a watchlist
    /// label), at most `limit`: (id, post, outcome, reasons, when).
    async fn screenings_naming(
        &self,
        needle: &str,
        limit: i64,
    ) -> Result<Vec<ScreeningMention>, StoreError>;
}

/// A screening whose reasons name something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningMention {
    /// The screening.
    pub id: i64,
    /// Its exit post's code.
    pub post: String,
    /// Its outcome code.
    pub outcome: String,
    /// Its reasons, as stored (JSON).
    pub reasons: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A record's origin and recruitment as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordOrigin {
    /// Its home village.
    pub home: Option<HomeVillage>,
    /// The recruiter it names (a victim's) or is (a recruiter met).
    pub recruiter_id: Option<i64>,
    /// A victim's recruitment: job promised.
    pub promised_job: String,
    /// A victim's recruitment: route.
    pub route: String,
}
