//! Case files from the raids: suspects and recruiters met there become
//! defendants, charged under the shipped statutes by the demo prosecutor;
//! most cases reach a verdict. Then the foreigners met in raids who are
//! ordered deported and leave, and the voluntary departures imported as the
//! immigration department's CSV.

use futures::StreamExt;
use time::{Date, Duration};
use vigil_core::Vigil;
use vigil_core::cases::{self, CaseInput};
use vigil_core::immigration::{self, DepartureInput, OrderInput, SubjectInput};
use vigil_core::immigration_csv;
use vigil_core::staff::Principal;
use vigil_domain::posts::posts;
use vigil_domain::{CaseStage, Outcome, Verdict};
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

/// One case: a raid and its defendants.
struct CasePlan {
    n: usize,
    raid: Recorded,
    defendants: Vec<i64>,
    named: bool,
    verdict: bool,
    seed: u64,
}

async fn one_case(
    v: &Vigil,
    officer: &Principal,
    prosecutor: &Principal,
    c: CasePlan,
) -> Result<(u64, u64), DemoError> {
    let mut rng = Rng::for_item(c.seed, c.n as u64);
    let input = CaseInput {
        reference: format!("PP-DEMO-{:04}", c.n + 1),
        title: format!("Online fraud compound raided in operation {}", c.raid.op),
        name: if c.named {
            format!("The compound case no. {}", c.n + 1)
        } else {
            String::new()
        },
        province_code: c.raid.province.clone(),
        court: "Provincial Court of First Instance".into(),
        operations: vec![c.raid.op],
        items: Vec::new(),
    };
    let id = cases::create(&v.cases, officer, &input)
        .await
        .map_err(at("opening cases"))?;
    let today = immigration::today();
    let charged_on = (c.raid.happened.date() + Duration::days(7)).min(today);
    let mut charges = Vec::new();
    for (k, person) in c.defendants.iter().enumerate() {
        cases::add_defendant(&v.cases, officer, id, *person)
            .await
            .map_err(at("adding defendants"))?;
        let statute = STATUTES[(c.n + k) % STATUTES.len()];
        let charge = cases::charge(&v.cases, prosecutor, id, *person, statute, &day(charged_on))
            .await
            .map_err(at("charging defendants"))?;
        charges.push((*person, charge));
    }
    cases::move_stage(&v.cases, prosecutor, id, CaseStage::Charged.name())
        .await
        .map_err(at("moving cases"))?;
    let mut convicted = 0;
    if c.verdict {
        cases::move_stage(&v.cases, prosecutor, id, CaseStage::Trial.name())
            .await
            .map_err(at("moving cases"))?;
        let on = day((charged_on + Duration::days(60)).min(today));
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
        name: d.name,
        passport: d.passport,
        date_of_birth: String::new(),
    };
    let order = immigration::record_order(
        &v.immigration,
        officer,
        &OrderInput {
            reference: format!("DO-DEMO-{:05}", d.n + 1),
            subject,
            nationality: d.nationality,
            issued_on: day(d.issued),
            authority: "General Department of Immigration".into(),
            province_code: d.province,
            person_id: Some(d.person),
        },
    )
    .await
    .map_err(at("issuing deportation orders"))?;
    let list = posts();
    let port = &list[d.n % list.len()];
    let departed = (d.issued + Duration::days(3)).min(immigration::today());
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
            planned.push(Deportation {
                n: planned.len(),
                raid_op: raid.op,
                province: raid.province.clone(),
                nationality: nationality.clone(),
                person: *person,
                name: name.clone(),
                passport: passport.clone(),
                issued: (raid.happened.date() + Duration::days(5)).min(immigration::today()),
            });
        }
    }
    progress.stage("deportations", planned.len() as u64);
    truth.deportations = planned.len() as u64;
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
    let today = immigration::today();
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
