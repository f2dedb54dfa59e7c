//! What the use cases hand to their callers: plain values shaped for
//! showing, converted here from the store's rows, so callers (the web, the
//! command line) never depend on the storage layer's types.

use time::OffsetDateTime;
use vigil_domain::{Category, Channel, DangerFlags, FacilityId, Location, TipId, TipStatus};
use vigil_store::{Assignable, FacilityRow, FairnessCounts, ObservableMode, StaffRow, TipRow};

/// A tip as shown to staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Tip {
    /// Id.
    pub id: TipId,
    /// Import reference.
    pub external_ref: Option<String>,
    /// Channel.
    pub channel: Channel,
    /// Category.
    pub category: Category,
    /// Text.
    pub text: String,
    /// Place.
    pub location: Location,
    /// Danger flags.
    pub danger: DangerFlags,
    /// Coarse status.
    pub status: TipStatus,
    /// Form language.
    pub language: Option<String>,
    /// When it was received.
    pub received_at: OffsetDateTime,
}

impl From<TipRow> for Tip {
    fn from(r: TipRow) -> Self {
        Tip {
            id: r.id,
            external_ref: r.external_ref,
            channel: r.channel,
            category: r.category,
            text: r.text,
            location: r.location,
            danger: r.danger,
            status: r.status,
            language: r.language,
            received_at: r.received_at,
        }
    }
}

/// Tips as shown.
pub(crate) fn tips(rows: Vec<TipRow>) -> Vec<Tip> {
    rows.into_iter().map(Tip::from).collect()
}

/// A suspected facility as shown to staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    /// Id.
    pub id: FacilityId,
    /// Priority score.
    pub priority: f64,
    /// The reasons (JSON array).
    pub reasons: String,
    /// Its readable name (`vigil_intel::FacilityName` as JSON; empty: none).
    pub name: String,
    /// Province.
    pub province_code: Option<String>,
    /// Number of tips.
    pub tips: i64,
    /// First tip's time.
    pub first_at: OffsetDateTime,
    /// Latest tip's time.
    pub last_at: OffsetDateTime,
    /// Its latest completed operation, if any.
    pub raid: Option<Raid>,
}

/// A completed operation against a facility, as shown with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raid {
    /// The operation's id.
    pub operation: i64,
    /// Its reference.
    pub reference: String,
    /// Its date (when it happened, else was planned for).
    pub at: OffsetDateTime,
    /// No tip came after it: the facility sits below the unsettled ones on
    /// the queue (`vigil_intel::settled_by_raid`).
    pub settled: bool,
}

fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

impl From<FacilityRow> for Facility {
    fn from(r: FacilityRow) -> Self {
        Facility {
            id: r.id,
            priority: r.priority,
            reasons: r.reasons,
            name: r.name,
            province_code: r.province_code,
            tips: r.tips,
            first_at: r.first_at,
            last_at: r.last_at,
            raid: r.raid.map(|m| Raid {
                settled: vigil_intel::settled_by_raid(nanos(r.last_at), Some(nanos(m.at))),
                operation: m.operation,
                reference: m.reference,
                at: m.at,
            }),
        }
    }
}

/// A staff account as shown, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Sign-in name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role.
    pub role: vigil_domain::Role,
    /// Whether a second factor is enrolled.
    pub has_second_factor: bool,
}

impl From<&StaffRow> for Account {
    fn from(r: &StaffRow) -> Self {
        Account {
            username: r.username.clone(),
            display_name: r.display_name.clone(),
            role: r.role,
            has_second_factor: r.totp_secret_enc.is_some(),
        }
    }
}

/// What can be assigned to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A suspected facility.
    Facility(FacilityId),
    /// A tip.
    Tip(TipId),
}

impl From<Target> for Assignable {
    fn from(t: Target) -> Self {
        match t {
            Target::Facility(f) => Assignable::Facility(f),
            Target::Tip(t) => Assignable::Tip(t),
        }
    }
}

/// How an observable is used for linking facilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMode {
    /// Decided from the data.
    Auto,
    /// A hub: shown as a lead, never used to merge.
    Hub,
    /// Noise: not used at all.
    Ignore,
}

impl LinkMode {
    /// The form value (`auto`, `hub`, `ignore`).
    pub fn as_str(self) -> &'static str {
        ObservableMode::from(self).as_str()
    }

    /// Reads a form value; unknown values are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(LinkMode::Auto),
            "hub" => Some(LinkMode::Hub),
            "ignore" => Some(LinkMode::Ignore),
            _ => None,
        }
    }
}

impl From<ObservableMode> for LinkMode {
    fn from(m: ObservableMode) -> Self {
        match m {
            ObservableMode::Auto => LinkMode::Auto,
            ObservableMode::Hub => LinkMode::Hub,
            ObservableMode::Ignore => LinkMode::Ignore,
        }
    }
}

impl From<LinkMode> for ObservableMode {
    fn from(m: LinkMode) -> Self {
        match m {
            LinkMode::Auto => ObservableMode::Auto,
            LinkMode::Hub => ObservableMode::Hub,
            LinkMode::Ignore => ObservableMode::Ignore,
        }
    }
}

/// One group of the fairness report: counts of screenings, advice,
/// decisions and referral results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairnessLine {
    /// The policy, `name@version`.
    pub policy: String,
    /// Sex.
    pub sex: String,
    /// Age band.
    pub age_band: String,
    /// Screenings.
    pub screenings: i64,
    /// Advised `interview`.
    pub advised_interview: i64,
    /// Advised `refer`.
    pub advised_refer: i64,
    /// Decided `clear` by the officer.
    pub decided_clear: i64,
    /// Decided `interview`.
    pub decided_interview: i64,
    /// Decided `refer`.
    pub decided_refer: i64,
    /// Referrals whose result was `confirmed`.
    pub confirmed: i64,
    /// Referrals whose result was `not_confirmed`.
    pub not_confirmed: i64,
}

impl From<FairnessCounts> for FairnessLine {
    fn from(c: FairnessCounts) -> Self {
        FairnessLine {
            policy: c.policy,
            sex: c.sex,
            age_band: c.age_band,
            screenings: c.screenings,
            advised_interview: c.advised_interview,
            advised_refer: c.advised_refer,
            decided_clear: c.decided_clear,
            decided_interview: c.decided_interview,
            decided_refer: c.decided_refer,
            confirmed: c.confirmed,
            not_confirmed: c.not_confirmed,
        }
    }
}

/// An observable (a phone number, an account…) as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observable {
    /// Kind (`phone`, `telegram`, …).
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// How it is used for linking.
    pub mode: LinkMode,
    /// Tips it was seen in.
    pub tips: i64,
}

impl From<vigil_store::ObservableRow> for Observable {
    fn from(r: vigil_store::ObservableRow) -> Self {
        Observable {
            kind: r.kind,
            value: r.value,
            mode: r.mode.into(),
            tips: r.tips,
        }
    }
}
