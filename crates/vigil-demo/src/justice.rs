//! Case files from the raids: suspects and recruiters met there become
//! defendants, charged under the shipped statutes by the demo prosecutor;
//! most cases reach a verdict. Then the foreigners met in raids who are
//! ordered deported and leave, and the voluntary departures imported as the
//! immigration department's CSV.

use futures::StreamExt;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};
use vigil_core::Vigil;
use vigil_core::cases::{self, HearingInput};
use vigil_core::immigration::{self, DepartureInput, DetentionInput, OrderInput, SubjectInput};
use vigil_core::immigration_csv;
use vigil_core::staff::Principal;
use vigil_domain::posts::posts;
use vigil_domain::{AuditAction, CaseStage, Outcome, Verdict};
use vigil_store::NewCase;
use vigil_synth::Rng;

use crate::plan::{DemoError, Plan, Progress, Truth, at};
use crate::raids::{Recorded, principal};

/// The statutes charged, in turn.
const STATUTES: [&str; 4] = [
    "CC-FRAUD",
    "LSHTSE-RECRUIT",
    "LSHTSE-SALE",
    "CC-CONFINEMENT",
];

fn day(d: Date) -> String {
    d.to_string()
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// One case: a raid and its defendants.
struct CasePlan {
    n: usize,
    raid: Recorded,
    defendants: Vec<i64>,
    named: bool,
    verdict: bool,
    seed: u64,
    /// The demo's clock.
    now: OffsetDateTime,
}

/// The court of a province's cases.
const COURT: &str = "Provincial Court of First Instance";

/// The hearings of a case: (kind, what came of it once held).
const HEARINGS: [(&str, &str); 3] = [
    (
        "Preliminary hearing",
        "Charges read; the defendants are kept in pre-trial detention.",
    ),
    (
        "Trial hearing",
        "Victims and officers heard; the seized devices entered as evidence.",
    ),
    ("Verdict hearing", "The court gives its verdict."),
];

/// When a case's steps happen: opened some days after its raid, charged
/// after that, then hearings some weeks apart, the verdict at the last one.
/// Days after `today` are not reached yet: hearings then are scheduled, and
/// there is no verdict.
struct Timeline {
    opened: OffsetDateTime,
    charged: Date,
    hearings: Vec<OffsetDateTime>,
}

impl Timeline {
    fn of(raid: OffsetDateTime, now: OffsetDateTime, rng: &mut Rng) -> Timeline {
        let opened = (raid + Duration::days(1 + rng.below(4) as i64) + Duration::hours(2))
            .min(now - Duration::minutes(5));
        let charged = (opened.date() + Duration::days(3 + rng.below(8) as i64)).min(now.date());
        let mut at = PrimitiveDateTime::new(charged, Time::MIDNIGHT).assume_offset(opened.offset())
            + Duration::hours(9);
        let mut hearings = Vec::new();
        for _ in 0..HEARINGS.len() {
            at += Duration::days(21 + rng.below(25) as i64);
            hearings.push(at);
        }
        Timeline {
            opened,
            charged,
            hearings,
        }
    }
}

async fn one_case(
    v: &Vigil,
    officer: &Principal,
    prosecutor: &Principal,
    c: CasePlan,
) -> Result<(u64, u64), DemoError> {
    let mut rng = Rng::for_item(c.seed, c.n as u64);
    let when = Timeline::of(c.raid.happened, c.now, &mut rng);
    let reference = format!("PP-DEMO-{:04}", c.n + 1);
    // Opened through the store: the use case stamps the current time, and a
    // demo's cases were opened after their raids, months ago for some. The
    // fields are what `cases::create` would accept, and it is audited alike.
    let case = NewCase {
        reference: reference.clone(),
        title: format!("Online fraud compound raided in operation {}", c.raid.op),
        name: c
            .named
            .then(|| format!("The compound case no. {}", c.n + 1)),
        province_code: c.raid.province.clone(),
        court: COURT.into(),
        stage: CaseStage::FIRST,
        operations: vec![c.raid.op],
        items: Vec::new(),
        created_by: officer.id,
        created_at: when.opened,
    };
    let id = v
        .store
        .create_case(
            &case,
            officer.audit(AuditAction::CaseCreate, String::new(), reference),
        )
        .await
        .map_err(|e| at("opening cases")(e.into()))?;
    let today = c.now.date();
    let mut charges = Vec::new();
    for (k, person) in c.defendants.iter().enumerate() {
        cases::add_defendant(&v.cases, officer, id, *person)
            .await
            .map_err(at("adding defendants"))?;
        let statute = STATUTES[(c.n + k) % STATUTES.len()];
        let charge = cases::charge(
            &v.cases,
            prosecutor,
            id,
            *person,
            statute,
            &day(when.charged),
        )
        .await
        .map_err(at("charging defendants"))?;
        charges.push((*person, charge));
    }
    cases::move_stage(&v.cases, prosecutor, id, CaseStage::Charged.name())
        .await
        .map_err(at("moving cases"))?;
    // Cases meant to end in a verdict go through all their hearings (the
    // later ones still to come for recent cases); the others have had their
    // first and wait for the trial, set for the coming weeks.
    let wanted = if c.verdict { HEARINGS.len() } else { 2 };
    let mut held = 0;
    for (k, (kind, outcome)) in HEARINGS.iter().enumerate().take(wanted) {
        let mut at_ = when.hearings[k];
        if !c.verdict && k + 1 == wanted && at_ < c.now {
            at_ = c.now + Duration::days(7 + rng.below(30) as i64);
        }
        let past = at_ < c.now;
        cases::hearing(
            &v.cases,
            prosecutor,
            id,
            &HearingInput {
                at: rfc3339(at_),
                court: COURT.into(),
                kind: (*kind).into(),
                outcome: if past {
                    (*outcome).into()
                } else {
                    String::new()
                },
                notes: String::new(),
            },
        )
        .await
        .map_err(at("recording hearings"))?;
        if !past {
            break;
        }
        held += 1;
    }
    if held > 0 {
        cases::move_stage(&v.cases, prosecutor, id, CaseStage::Trial.name())
            .await
            .map_err(at("moving cases"))?;
    }
    let mut convicted = 0;
    if c.verdict && held == HEARINGS.len() {
        let on = when.hearings[HEARINGS.len() - 1].date().min(today);
        let on = day(on);
        for (person, charge) in charges {
            let guilty = rng.below(100) < 85;
            let (verdict, outcome) = if guilty {
                (Verdict::Convicted, Outcome::Convicted)
            } else {
                (Verdict::Acquitted, Outcome::Acquitted)
            };
            cases::verdict(&v.cases, prosecutor, id, charge, verdict.name(), &on)
                .await
                .map_err(at("recording verdicts"))?;
            let sentence = if guilty { "5 years' imprisonment" } else { "" };
            cases::outcome(
                &v.cases,
                prosecutor,
                id,
                person,
                outcome.name(),
                sentence,
                &on,
            )
            .await
            .map_err(at("recording outcomes"))?;
            convicted += u64::from(guilty);
        }
        cases::move_stage(&v.cases, prosecutor, id, CaseStage::Verdict.name())
            .await
            .map_err(at("moving cases"))?;
    }
    Ok((c.defendants.len() as u64, convicted))
}

/// Opens cases against `plan.defendants` suspects and recruiters met in the
/// raids, in groups of two to five from one raid.
pub(crate) async fn prosecute(
    v: &Vigil,
    plan: &Plan,
    now: OffsetDateTime,
    raids: &[Recorded],
    progress: &dyn Progress,
    truth: &mut Truth,
) -> Result<(), DemoError> {
    let officer = principal(v, "demo.officer").await?;
    let prosecutor = principal(v, "demo.prosecutor").await?;
    let mut rng = Rng::new(plan.seed ^ 0x434f_5552);
    let mut left = plan.defendants;
    let mut planned = Vec::new();
    for raid in raids {
        if left == 0 {
            break;
        }
        let accused: Vec<i64> = raid
            .persons
            .iter()
            .filter(|p| p.1 == "suspect" || p.1 == "recruiter")
            .map(|p| p.0)
            .collect();
        if accused.is_empty() {
            continue;
        }
        let take = (2 + rng.below(4)).min(accused.len()).min(left);
        left -= take;
        let n = planned.len();
        planned.push(CasePlan {
            n,
            raid: raid.clone(),
            defendants: accused[..take].to_vec(),
            named: n % 25 == 0,
            verdict: rng.below(100) < 70,
            seed: plan.seed,
            now,
        });
    }
    progress.stage("cases", planned.len() as u64);
    truth.cases = planned.len() as u64;
    truth.named_cases = planned.iter().filter(|c| c.named).count() as u64;
    let mut results = futures::stream::iter(
        planned
            .into_iter()
            .map(|c| one_case(v, &officer, &prosecutor, c)),
    )
    .buffer_unordered(8);
    while let Some(r) = results.next().await {
        let (charged, convicted) = r?;
        truth.defendants_prosecuted += charged;
        truth.defendants_convicted += convicted;
        progress.advance(1);
    }
    Ok(())
}

struct Deportation {
    n: usize,
    /// The day the raid met them.
    met: Date,
    /// Held in immigration detention from the raid to the departure.
    detained: bool,
    today: Date,
    raid_op: i64,
    province: String,
    nationality: String,
    person: i64,
    name: String,
    passport: String,
    issued: Date,
}

async fn deport(v: &Vigil, officer: &Principal, d: Deportation) -> Result<(), DemoError> {
    let subject = SubjectInput {
        name: d.name.clone(),
        passport: d.passport.clone(),
        date_of_birth: String::new(),
    };
    let order = immigration::record_order(
        &v.immigration,
        officer,
        &OrderInput {
            reference: format!("DO-DEMO-{:05}", d.n + 1),
            subject,
            nationality: d.nationality.clone(),
            issued_on: day(d.issued),
            authority: "General Department of Immigration".into(),
            province_code: d.province.clone(),
            person_id: Some(d.person),
        },
    )
    .await
    .map_err(at("issuing deportation orders"))?;
    let list = posts();
    let port = &list[d.n % list.len()];
    let departed = (d.issued + Duration::days(3)).min(d.today);
    if d.detained {
        immigration::record_detention(
            &v.immigration,
            officer,
            &DetentionInput {
                subject: SubjectInput {
                    name: d.name.clone(),
                    passport: d.passport.clone(),
                    date_of_birth: String::new(),
                },
                nationality: d.nationality.clone(),
                place: "Immigration detention centre, Phnom Penh".into(),
                province_code: "12".into(),
                from_on: day(d.met),
                until_on: day(departed),
                operation_id: Some(d.raid_op),
                person_id: Some(d.person),
            },
        )
        .await
        .map_err(at("recording detentions"))?;
    }
    immigration::record_departure(
        &v.immigration,
        officer,
        &DepartureInput {
            kind: "deported".into(),
            departed_on: day(departed),
            port: port.code.clone(),
            order_id: Some(order),
            operation_id: Some(d.raid_op),
            ..DepartureInput::default()
        },
    )
    .await
    .map_err(at("recording deportations"))?;
    Ok(())
}

/// Deports `plan.deportations` foreigners met in raids (an order, then the
/// departure), then imports `plan.voluntary` voluntary departures as a CSV.
pub(crate) async fn depart(
    v: &Vigil,
    plan: &Plan,
    now: OffsetDateTime,
    raids: &[Recorded],
    progress: &dyn Progress,
    truth: &mut Truth,
) -> Result<(), DemoError> {
    let officer = principal(v, "demo.immigration").await?;
    let mut planned = Vec::new();
    'raids: for raid in raids {
        for (person, role, nationality, name, passport) in &raid.persons {
            if planned.len() >= plan.deportations {
                break 'raids;
            }
            if nationality == "KH" || role == "suspect" || role == "recruiter" {
                continue;
            }
            let n = planned.len();
            planned.push(Deportation {
                n,
                met: raid.happened.date(),
                // One in four waits in detention for the flight home.
                detained: n % 4 == 0,
                today: now.date(),
                raid_op: raid.op,
                province: raid.province.clone(),
                nationality: nationality.clone(),
                person: *person,
                name: name.clone(),
                passport: passport.clone(),
                issued: (raid.happened.date() + Duration::days(5)).min(now.date()),
            });
        }
    }
    progress.stage("deportations", planned.len() as u64);
    truth.deportations = planned.len() as u64;
    truth.detentions = planned.iter().filter(|d| d.detained).count() as u64;
    let mut results = futures::stream::iter(planned.into_iter().map(|d| deport(v, &officer, d)))
        .buffer_unordered(8);
    while let Some(r) = results.next().await {
        r?;
        progress.advance(1);
    }

    // Voluntary departures, as the immigration department's CSV.
    let mut rng = Rng::new(plan.seed ^ 0x564f_4c55);
    let mut csv = String::from("name,nationality,passport,date_of_birth,departed_on,port\n");
    let list = posts();
    let today = now.date();
    for n in 0..plan.voluntary {
        let m = crate::people::person(1_000_000 + n as u64, &mut rng);
        // Cambodians do not leave as foreigners: their draws count as Chinese.
        let nationality = if m.input.nationality == "KH" {
            "CN".to_string()
        } else {
            m.input.nationality.clone()
        };
        let departed = today - Duration::days(1 + rng.below(360) as i64);
        let port = &list[rng.below(list.len())];
        csv.push_str(&format!(
            "{} {},{},V{:08},,{},{}\n",
            m.input.given_name, m.input.family_name, nationality, n, departed, port.code
        ));
    }
    progress.stage("voluntary departures", plan.voluntary as u64);
    let last = std::sync::atomic::AtomicU64::new(0);
    let imported = immigration_csv::import_csv(&v.immigration, &officer, &csv, &|done, _| {
        let before = last.swap(done, std::sync::atomic::Ordering::Relaxed);
        progress.advance(done.saturating_sub(before));
    })
    .await
    .map_err(at("importing voluntary departures"))?;
    truth.voluntary_departures = imported.rows;
    Ok(())
}
