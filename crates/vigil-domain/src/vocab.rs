//! Vigil's vocabulary: the closed sets of words the system writes and reads —
//! outbox event kinds, audit actions, case stages, verdicts, defendant
//! outcomes, analyst operations — and the capabilities a role has, with the
//! one table that says which role has which.
//!
//! Each word has a name (`name()`), the form typed in forms and shown on
//! pages; how a word is stored is decided by the store's mapping code, not
//! here. The one exception is [`AuditAction`]: its name is hashed into the
//! audit chain, so it can never change.

use std::fmt;

use crate::staff::Role;

/// Declares a closed vocabulary: a `Copy` enum, `ALL` in a stable order,
/// `name()`, `parse()` and `Display`.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $name:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $ty {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $ty {
            /// Every value, in a stable order.
            pub const ALL: &'static [$ty] = &[ $( $ty::$variant, )+ ];

            /// The name typed in forms and shown on pages.
            pub fn name(self) -> &'static str {
                match self {
                    $( $ty::$variant => $name, )+
                }
            }

            /// Reads a name (exactly as [`Self::name`] writes it).
            pub fn parse(s: &str) -> Option<$ty> {
                $ty::ALL.iter().copied().find(|v| v.name() == s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// What an outbox event says happened to a tip.
    pub enum EventKind {
        /// A tip came in.
        TipCreated = "tip.created",
        /// A tip's status changed.
        TipStatus = "tip.status",
        /// A message was added to a tip's thread.
        MessageCreated = "message.created",
    }
}

vocabulary! {
    /// What an audit entry records was done. The name is part of the audit
    /// chain's hash: never rename one.
    pub enum AuditAction {
    /// `attachment.read`.
    AttachmentRead = "attachment.read",
    /// `case.charge`.
    CaseCharge = "case.charge",
    /// `case.create`.
    CaseCreate = "case.create",
    /// `case.defendant`.
    CaseDefendant = "case.defendant",
    /// `case.figures`.
    CaseFigures = "case.figures",
    /// `case.hearing`.
    CaseHearing = "case.hearing",
    /// `case.link`.
    CaseLink = "case.link",
    /// `case.list`.
    CaseList = "case.list",
    /// `case.outcome`.
    CaseOutcome = "case.outcome",
    /// `case.read`.
    CaseRead = "case.read",
    /// `case.stage`.
    CaseStage = "case.stage",
    /// `case.verdict`.
    CaseVerdict = "case.verdict",
    /// `departure.create`.
    DepartureCreate = "departure.create",
    /// `departure.import`.
    DepartureImport = "departure.import",
    /// `deportation_order.create`.
    DeportationOrderCreate = "deportation_order.create",
    /// `detention.create`.
    DetentionCreate = "detention.create",
    /// `evidence.export`.
    EvidenceExport = "evidence.export",
    /// `evidence.image`.
    EvidenceImage = "evidence.image",
    /// `evidence.list`.
    EvidenceList = "evidence.list",
    /// `evidence.read`.
    EvidenceRead = "evidence.read",
    /// `evidence.seize`.
    EvidenceSeize = "evidence.seize",
    /// `evidence.transfer`.
    EvidenceTransfer = "evidence.transfer",
    /// `facility.assign`.
    FacilityAssign = "facility.assign",
    /// `facility.keep_apart`.
    FacilityKeepApart = "facility.keep_apart",
    /// `facility.merge`.
    FacilityMerge = "facility.merge",
    /// `facility.read`.
    FacilityRead = "facility.read",
    /// `facility.split`.
    FacilitySplit = "facility.split",
    /// `facility.unassign`.
    FacilityUnassign = "facility.unassign",
    /// `immigration.export`.
    ImmigrationExport = "immigration.export",
    /// `immigration.list`.
    ImmigrationList = "immigration.list",
    /// `message.create`.
    MessageCreate = "message.create",
    /// `network.create`.
    NetworkCreate = "network.create",
    /// `network.dismantle`.
    NetworkDismantle = "network.dismantle",
    /// `network.read`.
    NetworkRead = "network.read",
    /// `observable.mode`.
    ObservableMode = "observable.mode",
    /// `observable.read`.
    ObservableRead = "observable.read",
    /// `observable.standing`.
    ObservableStanding = "observable.standing",
    /// `operation.create`.
    OperationCreate = "operation.create",
    /// `operation.list`.
    OperationList = "operation.list",
    /// `operation.read`.
    OperationRead = "operation.read",
    /// `operation.update`.
    OperationUpdate = "operation.update",
    /// `person.read`.
    PersonRead = "person.read",
    /// `person.victim_ack`.
    PersonVictimAck = "person.victim_ack",
    /// `persons.list`.
    PersonsList = "persons.list",
    /// `persons.record`.
    PersonsRecord = "persons.record",
    /// `persons.review`.
    PersonsReview = "persons.review",
    /// `persons.reviews`.
    PersonsReviews = "persons.reviews",
    /// `prevention.list`.
    PreventionList = "prevention.list",
    /// `recruiter.read`.
    RecruiterRead = "recruiter.read",
    /// `recruiters.area`.
    RecruitersArea = "recruiters.area",
    /// `recruiters.list`.
    RecruitersList = "recruiters.list",
    /// `reward.award`.
    RewardAward = "reward.award",
    /// `reward.claim`.
    RewardClaim = "reward.claim",
    /// `screening.create`.
    ScreeningCreate = "screening.create",
    /// `screening.decide`.
    ScreeningDecide = "screening.decide",
    /// `screening.list`.
    ScreeningList = "screening.list",
    /// `screening.read`.
    ScreeningRead = "screening.read",
    /// `screening.referral`.
    ScreeningReferral = "screening.referral",
    /// `staff.change`.
    StaffChange = "staff.change",
    /// `staff.create`.
    StaffCreate = "staff.create",
    /// `staff.disable`.
    StaffDisable = "staff.disable",
    /// `staff.reset`.
    StaffReset = "staff.reset",
    /// `staff.session_end`.
    StaffSessionEnd = "staff.session_end",
    /// `staff.setup`.
    StaffSetup = "staff.setup",
    /// `staff.setup_link`.
    StaffSetupLink = "staff.setup_link",
    /// `staff.sign_in`.
    StaffSignIn = "staff.sign_in",
    /// `staff.sign_in_password`.
    StaffSignInPassword = "staff.sign_in_password",
    /// `staff.sign_out`.
    StaffSignOut = "staff.sign_out",
    /// `staff.token_create`.
    StaffTokenCreate = "staff.token_create",
    /// `staff.totp`.
    StaffTotp = "staff.totp",
    /// `sync.pull`.
    SyncPull = "sync.pull",
    /// `sync.receive`.
    SyncReceive = "sync.receive",
    /// `sync.watchlist`.
    SyncWatchlist = "sync.watchlist",
    /// `tip.assign`.
    TipAssign = "tip.assign",
    /// `tip.create`.
    TipCreate = "tip.create",
    /// `tip.import`.
    TipImport = "tip.import",
    /// `tip.read`.
    TipRead = "tip.read",
    /// `tip.search`.
    TipSearch = "tip.search",
    /// `tip.status`.
    TipStatus = "tip.status",
    /// `tip.unassign`.
    TipUnassign = "tip.unassign",
    }
}

impl AuditAction {
    /// The action of assigning an object of `kind` (`facility`, `tip`).
    pub fn assign(kind: AssignKind) -> AuditAction {
        match kind {
            AssignKind::Facility => AuditAction::FacilityAssign,
            AssignKind::Tip => AuditAction::TipAssign,
        }
    }

    /// The action of clearing an assignment of an object of `kind`.
    pub fn unassign(kind: AssignKind) -> AuditAction {
        match kind {
            AssignKind::Facility => AuditAction::FacilityUnassign,
            AssignKind::Tip => AuditAction::TipUnassign,
        }
    }
}

/// What kind of object is assigned to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignKind {
    /// A suspected facility.
    Facility,
    /// A tip.
    Tip,
}

vocabulary! {
    /// The stages of a case, in the only order a case moves through them.
    pub enum CaseStage {
        /// Opened, evidence being gathered.
        Investigation = "investigation",
        /// At least one defendant charged.
        Charged = "charged",
        /// Before the court.
        Trial = "trial",
        /// Judged.
        Verdict = "verdict",
        /// Appealed after the verdict.
        Appeal = "appeal",
    }
}

/// Why a case may not move between two stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageMove {
    /// The move goes back or stays.
    Backwards,
    /// An appeal only follows a verdict.
    AppealWithoutVerdict,
    /// The target stage needs a charge and the case has none.
    NeedsCharge,
}

impl CaseStage {
    /// The stage a new case starts at.
    pub const FIRST: CaseStage = CaseStage::Investigation;

    /// Whether a case may be at this stage without any charge.
    pub fn needs_charge(self) -> bool {
        matches!(
            self,
            CaseStage::Charged | CaseStage::Trial | CaseStage::Verdict
        )
    }

    /// Whether a case at `self` may move to `to`: stages only go forward,
    /// `appeal` only from `verdict`, and `charged`, `trial` and `verdict`
    /// need a charge.
    pub fn may_move(self, to: CaseStage, charged: bool) -> Result<(), StageMove> {
        if to <= self {
            return Err(StageMove::Backwards);
        }
        if to == CaseStage::Appeal && self != CaseStage::Verdict {
            return Err(StageMove::AppealWithoutVerdict);
        }
        if to.needs_charge() && !charged {
            return Err(StageMove::NeedsCharge);
        }
        Ok(())
    }
}

vocabulary! {
    /// The verdict on one charge.
    pub enum Verdict {
        /// Found guilty.
        Convicted = "convicted",
        /// Found not guilty.
        Acquitted = "acquitted",
        /// The charge was dropped.
        Dropped = "dropped",
    }
}

vocabulary! {
    /// What came of a case for one defendant.
    pub enum Outcome {
        /// Not decided yet.
        Pending = "pending",
        /// Convicted (needs a charge with a convicted verdict).
        Convicted = "convicted",
        /// Acquitted (needs a charge).
        Acquitted = "acquitted",
        /// The case against them was dismissed.
        Dismissed = "dismissed",
    }
}

impl Outcome {
    /// Whether this outcome is a judgement, which only a charge allows.
    pub fn is_judgement(self) -> bool {
        matches!(self, Outcome::Convicted | Outcome::Acquitted)
    }
}

/// An analyst's decision about facilities, applied on top of the automatic
/// links and kept across reclustering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnalystOp {
    /// These two tips are about the same facility.
    Merge {
        /// A tip id.
        a: i64,
        /// Another tip id.
        b: i64,
    },
    /// This tip takes part in no automatic link (it stands alone unless merged).
    Split {
        /// The tip id.
        tip: i64,
    },
    /// No two of these tips may end up in one cluster.
    KeepApart {
        /// Tip ids.
        tips: Vec<i64>,
    },
}

vocabulary! {
    /// What kind of decision an [`AnalystOp`] is.
    pub enum AnalystOpKind {
        /// [`AnalystOp::Merge`].
        Merge = "merge",
        /// [`AnalystOp::Split`].
        Split = "split",
        /// [`AnalystOp::KeepApart`].
        KeepApart = "keep_apart",
    }
}

impl AnalystOp {
    /// Its kind.
    pub fn kind(&self) -> AnalystOpKind {
        match self {
            AnalystOp::Merge { .. } => AnalystOpKind::Merge,
            AnalystOp::Split { .. } => AnalystOpKind::Split,
            AnalystOp::KeepApart { .. } => AnalystOpKind::KeepApart,
        }
    }
}

impl AnalystOpKind {
    /// The audit action recording a decision of this kind.
    pub fn audit_action(self) -> AuditAction {
        match self {
            AnalystOpKind::Merge => AuditAction::FacilityMerge,
            AnalystOpKind::Split => AuditAction::FacilitySplit,
            AnalystOpKind::KeepApart => AuditAction::FacilityKeepApart,
        }
    }
}

vocabulary! {
    /// What a tip led to, as the supervisor who awards its reporter a reward
    /// records it.
    pub enum RewardReason {
        /// A raid on the place reported.
        Raid = "raid",
        /// Victims rescued.
        Rescue = "rescue",
        /// Arrests.
        Arrest = "arrest",
        /// Seizures (devices, money, documents).
        Seizure = "seizure",
        /// Another result, said in the case file.
        Other = "other",
    }
}

vocabulary! {
    /// Something a role may do; [`Role::can`] is the one table of who may.
    pub enum Capability {
        /// Read tips, facilities, the atlas and reporters' threads.
        ReadTips = "read_tips",
        /// Reply to reporters, change a tip's status, merge, split and keep
        /// facilities apart, assign work.
        TriageTips = "triage_tips",
        /// Be given tips and facilities to work on.
        TakeAssignments = "take_assignments",
        /// Decide whether two person records are one person.
        ReviewPersonPairs = "review_person_pairs",
        /// Screen travellers at exit.
        ScreenTravellers = "screen_travellers",
        /// Open stored screenings, record referrals, read the fairness report.
        ReviewScreenings = "review_screenings",
        /// Plan operations, record their outcome, seize and hand over evidence,
        /// record persons met.
        RecordOperations = "record_operations",
        /// Read operations, seized evidence, its custody and persons' names.
        ReadOperations = "read_operations",
        /// Record a detention of someone met in an operation.
        DetainFromOperation = "detain_from_operation",
        /// Read person records (without names unless also `ReadOperations`).
        ReadPersons = "read_persons",
        /// Acknowledge that a likely victim may be charged.
        AcknowledgeVictims = "acknowledge_victims",
        /// Record, read and export detentions, orders and departures.
        RecordImmigration = "record_immigration",
        /// Read cases and case figures.
        ReadCases = "read_cases",
        /// Create cases, add defendants and evidence.
        BuildCases = "build_cases",
        /// Charge, record hearings, move stages, record verdicts and outcomes.
        Prosecute = "prosecute",
        /// Manage accounts and hub values.
        Administer = "administer",
        /// Mark a value confirmed scam, under investigation or cleared, as
        /// the public check and the partners' feed show it.
        MarkStanding = "mark_standing",
        /// Mark a tip as having led to a result, which gives its reporter a
        /// reward code.
        AwardRewards = "award_rewards",
        /// Check values in bulk by hash prefix and read the signed feed of
        /// confirmed scams.
        ReadFeed = "read_feed",
    }
}

vocabulary! {
    /// How an analyst has judged a value (a number, link, handle or wallet),
    /// as the public check and the partners' feed show it.
    pub enum Standing {
        /// A confirmed scam: partners may block it.
        Confirmed = "confirmed",
        /// Under investigation: reported, not yet confirmed.
        Investigating = "investigating",
        /// Cleared: a legitimate business or person, named in reports by
        /// mistake or by impersonators.
        Cleared = "cleared",
    }
}

vocabulary! {
    /// Why a value has its standing: the code partners receive with it.
    pub enum StandingReason {
        /// Reports from the public, checked by an analyst.
        Reports = "reports",
        /// Found in an operation (seized devices, premises).
        Operation = "operation",
        /// Impersonates a bank, agency or company.
        Impersonation = "impersonation",
        /// Recruits for a scam compound (job offers, travel).
        Recruitment = "recruitment",
        /// Receives or moves victims' money.
        Money = "money",
        /// A legitimate business or person.
        Legitimate = "legitimate",
    }
}

impl Role {
    /// Whether this role may do `what`. This is the only permission table:
    /// every check in `vigil-core` and every page asks it.
    pub fn can(self, what: Capability) -> bool {
        use Capability as C;
        use Role::*;
        match what {
            C::ReadTips => matches!(self, Analyst | Officer | Supervisor | Admin),
            C::TriageTips => matches!(self, Analyst | Supervisor | Admin),
            C::TakeAssignments => matches!(self, Analyst | Officer | Supervisor),
            C::ReviewPersonPairs => matches!(self, Analyst | Officer | Supervisor | Admin),
            C::ScreenTravellers => matches!(self, Immigration | Admin),
            C::ReviewScreenings => matches!(self, Immigration | Supervisor | Admin),
            C::RecordOperations => matches!(self, Officer | Supervisor | Admin),
            C::ReadOperations => {
                matches!(self, Analyst | Officer | Supervisor | Prosecutor | Admin)
            }
            C::DetainFromOperation => matches!(self, Officer),
            C::ReadPersons => matches!(
                self,
                Analyst | Officer | Supervisor | Prosecutor | Immigration | Admin
            ),
            C::AcknowledgeVictims => matches!(self, Supervisor | Admin),
            C::RecordImmigration => matches!(self, Immigration | Supervisor | Admin),
            C::ReadCases => matches!(self, Analyst | Officer | Supervisor | Prosecutor | Admin),
            C::BuildCases => matches!(self, Officer | Supervisor | Prosecutor | Admin),
            C::Prosecute => matches!(self, Supervisor | Prosecutor | Admin),
            C::Administer => matches!(self, Admin),
            C::MarkStanding => matches!(self, Analyst | Supervisor | Admin),
            C::AwardRewards => matches!(self, Supervisor | Admin),
            C::ReadFeed => matches!(self, Analyst | Supervisor | Admin | Partner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The permission table as a reviewer reads it. Columns: analyst,
    /// officer, supervisor, prosecutor, immigration, admin, partner
    /// (`Role::ALL`).
    #[rustfmt::skip]
    const TABLE: &[(Capability, &str)] = &[
        //                               A O S P I D R
        (Capability::ReadTips,          "x x x . . x ."),
        (Capability::TriageTips,        "x . x . . x ."),
        (Capability::TakeAssignments,   "x x x . . . ."),
        (Capability::ReviewPersonPairs, "x x x . . x ."),
        (Capability::ScreenTravellers,  ". . . . x x ."),
        (Capability::ReviewScreenings,  ". . x . x x ."),
        (Capability::RecordOperations,  ". x x . . x ."),
        (Capability::ReadOperations,    "x x x x . x ."),
        (Capability::DetainFromOperation, ". x . . . . ."),
        (Capability::ReadPersons,       "x x x x x x ."),
        (Capability::AcknowledgeVictims, ". . x . . x ."),
        (Capability::RecordImmigration, ". . x . x x ."),
        (Capability::ReadCases,         "x x x x . x ."),
        (Capability::BuildCases,        ". x x x . x ."),
        (Capability::Prosecute,         ". . x x . x ."),
        (Capability::Administer,        ". . . . . x ."),
        (Capability::MarkStanding,      "x . x . . x ."),
        (Capability::AwardRewards,      ". . x . . x ."),
        (Capability::ReadFeed,          "x . x . . x x"),
    ];

    #[test]
    fn the_permission_table_is_exactly_this() {
        assert_eq!(
            Role::ALL,
            [
                Role::Analyst,
                Role::Officer,
                Role::Supervisor,
                Role::Prosecutor,
                Role::Immigration,
                Role::Admin,
                Role::Partner
            ]
        );
        let listed: Vec<Capability> = TABLE.iter().map(|(c, _)| *c).collect();
        assert_eq!(listed, Capability::ALL, "every capability, once, in order");
        for (cap, row) in TABLE {
            let marks: Vec<&str> = row.split(' ').collect();
            assert_eq!(marks.len(), Role::ALL.len(), "{cap}");
            for (role, mark) in Role::ALL.into_iter().zip(marks) {
                assert_eq!(role.can(*cap), mark == "x", "{role} {cap}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        fn check<T: Copy + PartialEq + fmt::Debug>(
            all: &[T],
            name: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for &v in all {
                assert_eq!(parse(name(v)), Some(v));
            }
            assert_eq!(parse("no such word"), None);
        }
        check(EventKind::ALL, EventKind::name, EventKind::parse);
        check(AuditAction::ALL, AuditAction::name, AuditAction::parse);
        check(CaseStage::ALL, CaseStage::name, CaseStage::parse);
        check(Verdict::ALL, Verdict::name, Verdict::parse);
        check(Outcome::ALL, Outcome::name, Outcome::parse);
        check(
            AnalystOpKind::ALL,
            AnalystOpKind::name,
            AnalystOpKind::parse,
        );
        check(Capability::ALL, Capability::name, Capability::parse);
        check(RewardReason::ALL, RewardReason::name, RewardReason::parse);
    }

    #[test]
    fn stages_move_forward_only_appeal_after_verdict_and_charges_first() {
        use CaseStage::*;
        assert_eq!(
            CaseStage::ALL,
            [Investigation, Charged, Trial, Verdict, Appeal]
        );
        assert_eq!(Trial.may_move(Charged, true), Err(StageMove::Backwards));
        assert_eq!(Trial.may_move(Trial, true), Err(StageMove::Backwards));
        assert_eq!(
            Trial.may_move(Appeal, true),
            Err(StageMove::AppealWithoutVerdict)
        );
        assert_eq!(
            Investigation.may_move(Trial, false),
            Err(StageMove::NeedsCharge)
        );
        assert_eq!(Investigation.may_move(Trial, true), Ok(()));
        assert_eq!(Verdict.may_move(Appeal, false), Ok(()));
    }
}
