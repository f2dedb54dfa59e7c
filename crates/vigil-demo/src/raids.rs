//! Raids on the facilities the pipeline made, the networks they hit and the
//! devices they seized (each with its custody chain), recorded through
//! `vigil_core::operations` and `vigil_core::evidence` by a demo officer;
//! and the arrests of local recruiters at home, in commune-level operations
//! counted among the raids.

use futures::StreamExt;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, PersonInput};
use vigil_core::staff::{self, Principal};
use vigil_core::{CoreError, Vigil, evidence};
use vigil_custody::{ItemInput, NewItem, luhn_check_digit};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_store::NewStaff;
use vigil_synth::Rng;

use crate::people;
use crate::plan::{Account, DemoError, Plan, Progress, Truth, at};
use crate::recruiters::Recruiters;
use crate::tips::Facility;

/// The demo's accounts, one per role, national.
const ACCOUNTS: [(&str, &str, Role); 6] = [
    ("demo.officer", "Demo officer", Role::Officer),
    ("demo.analyst", "Demo analyst", Role::Analyst),
    ("demo.supervisor", "Demo supervisor", Role::Supervisor),
    ("demo.prosecutor", "Demo prosecutor", Role::Prosecutor),
    (
        "demo.immigration",
        "Demo immigration officer",
        Role::Immigration,
    ),
    ("demo.admin", "Demo administrator", Role::Admin),
];

pub(crate) async fn accounts(v: &Vigil) -> Result<Vec<Account>, DemoError> {
    let mut out = Vec::new();
    for (username, name, role) in ACCOUNTS {
        let (_, token) = staff::create(
            &v.staff,
            NewStaff {
                username: username.into(),
                display_name: name.into(),
                role,
                jurisdiction: Jurisdiction::National,
            },
            None,
        )
        .await
        .map_err(at("creating the demo accounts"))?;
        out.push(Account {
            username: username.into(),
            role: role.as_str().into(),
            setup_token: token,
        });
    }
    Ok(out)
}

/// The principal a demo account acts as.
pub(crate) async fn principal(v: &Vigil, username: &str) -> Result<Principal, DemoError> {
    let row = v
        .store
        .staff_by_username(username)
        .await
        .map_err(|e| at("reading a demo account")(e.into()))?
        .ok_or_else(|| at("reading a demo account")(CoreError::NotFound))?;
    Ok(Principal::of(&row))
}

/// `total` split over `parts` at random, summing exactly to `total`.
pub(crate) fn spread(total: u64, parts: usize, rng: &mut Rng) -> Vec<u64> {
    if parts == 0 {
        return Vec::new();
    }
    let weights: Vec<u64> = (0..parts).map(|_| 1 + rng.below(100) as u64).collect();
    let sum: u64 = weights.iter().sum();
    let mut out: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest = total - out.iter().sum::<u64>();
    let mut i = 0;
    while rest > 0 {
        out[i % parts] += 1;
        rest -= 1;
        i += 1;
    }
    out
}

/// A 15-digit IMEI with its Luhn check digit, unique per `n`.
pub(crate) fn imei(n: u64) -> String {
    let body = format!("35{:012}", 100_000_000 + n);
    format!("{body}{}", luhn_check_digit(&body))
}

/// An ICCID (89 855 …) with its Luhn check digit, unique per `n`.
fn iccid(n: u64) -> String {
    let body = format!("8985501{n:011}");
    format!("{body}{}", luhn_check_digit(&body))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// One raid as generated.
struct Raid {
    input: OperationInput,
    seized_at: OffsetDateTime,
    computers: u64,
    smartphones: u64,
    sim_cards: u64,
    /// The network it dismantles, with the evidence.
    dismantles: Option<i64>,
    /// Numbering of its items, unique over the whole demo.
    first_item: u64,
    /// The persons met there.
    persons: Vec<PersonInput>,
}

/// A raid as recorded: what the cases and immigration stages build on.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// The operation.
    pub op: i64,
    /// Its province.
    pub province: String,
    /// When it happened.
    pub happened: OffsetDateTime,
    /// The persons met: (person id, role, nationality, name, passport).
    pub persons: Vec<(i64, String, String, String, String)>,
}

fn item(kind: &str, reference: String, n: u64) -> Result<NewItem, DemoError> {
    let mut input = ItemInput {
        reference,
        kind: kind.into(),
        ..ItemInput::default()
    };
    match kind {
        "smartphone" => {
            input.imei = imei(n);
            input.description = ["black smartphone", "white smartphone", "phone on a rack"]
                [(n % 3) as usize]
                .into();
        }
        "computer" => {
            input.serial = format!("SN{:08}", n);
            input.description = ["desktop computer", "laptop"][(n % 2) as usize].into();
        }
        _ => input.iccid = iccid(n),
    }
    NewItem::from_input(&input)
        .map_err(|e| at("making seized items")(CoreError::BadRequest(format!("{e:?}"))))
}

async fn record(v: &Vigil, p: &Principal, raid: Raid) -> Result<Recorded, DemoError> {
    let op = operations::plan(&v.operations, p, &raid.input)
        .await
        .map_err(at("recording raids"))?;
    let mut met = Vec::with_capacity(raid.persons.len());
    for chunk in raid.persons.chunks(1000) {
        let ids = persons::record_batch(&v.persons, p, op, chunk)
            .await
            .map_err(at("recording persons met"))?;
        for ((_, person), input) in ids.into_iter().zip(chunk) {
            met.push((
                person,
                input.role.clone(),
                input.nationality.clone(),
                format!("{} {}", input.given_name, input.family_name),
                input
                    .documents
                    .first()
                    .map(|d| d.number.clone())
                    .unwrap_or_default(),
            ));
        }
    }
    let mut items = Vec::new();
    let mut n = raid.first_item;
    for (kind, count, prefix) in [
        ("computer", raid.computers, "PC"),
        ("smartphone", raid.smartphones, "PH"),
        ("sim_card", raid.sim_cards, "SIM"),
    ] {
        for k in 0..count {
            items.push(item(kind, format!("{prefix}-{:03}", k + 1), n)?);
            n += 1;
        }
    }
    for chunk in items.chunks(evidence::MAX_ITEMS) {
        evidence::seize(&v.operations, p, op, chunk.to_vec(), raid.seized_at)
            .await
            .map_err(at("seizing devices"))?;
    }
    if let Some(network) = raid.dismantles {
        operations::dismantle(
            &v.operations,
            p,
            network,
            op,
            "Leaders arrested on site; ledgers, scripts and payroll seized.",
        )
        .await
        .map_err(at("dismantling networks"))?;
    }
    Ok(Recorded {
        op,
        province: raid.input.province_code,
        happened: raid.seized_at,
        persons: met,
    })
}

/// Records the plan's raids on `facilities` and the persons met there, fills
/// the truth's counts, and returns the raids as recorded.
pub(crate) async fn build(
    v: &Vigil,
    plan: &Plan,
    facilities: &[Facility],
    now: OffsetDateTime,
    progress: &dyn Progress,
    truth: &mut Truth,
) -> Result<Vec<Recorded>, DemoError> {
    let p = principal(v, "demo.officer").await?;
    let mut rng = Rng::new(plan.seed ^ 0x5241_4944);
    let placed: Vec<&Facility> = facilities.iter().filter(|f| f.province.is_some()).collect();
    if placed.is_empty() {
        return Err(at("planning raids")(CoreError::BadRequest(
            "the pipeline made no facility with a province".into(),
        )));
    }
    let mut networks = Vec::with_capacity(plan.networks);
    for k in 0..plan.networks {
        let leaders = vec![format!("Leader {}-A", k + 1), format!("Leader {}-B", k + 1)];
        let name = format!("Line {:03}", k + 1);
        networks.push(
            operations::create_network(&v.operations, &p, &name, &leaders)
                .await
                .map_err(at("naming networks"))?,
        );
    }
    // Of the done raids, the last ones are recruiters' arrests: one person
    // met each, no devices.
    let arrests = plan.recruiters_arrested.min(plan.raids);
    let on_facilities = plan.raids - arrests;
    let computers = spread(plan.computers, on_facilities, &mut rng);
    let smartphones = spread(plan.smartphones, on_facilities, &mut rng);
    let sims = spread(plan.sim_cards, on_facilities, &mut rng);
    let met = spread(
        plan.persons.saturating_sub(arrests as u64),
        on_facilities,
        &mut rng,
    );
    let mut recruiters = Recruiters::place(plan.recruiters, plan.recruiter_communes, plan.seed);
    let mut person_no = 0;
    let ict = vigil_domain::clock::CAMBODIA;
    let end = now;
    let mut raids = Vec::with_capacity(plan.raids + plan.planned);
    let mut first_item = 0;
    let mut dates = Vec::with_capacity(on_facilities);
    for i in 0..on_facilities + plan.planned {
        let f = placed[i % placed.len()];
        let province = f.province.clone().unwrap_or_default();
        let done = i < on_facilities;
        let happened = (f.first_at
            + Duration::days(3 + rng.below(60) as i64)
            + Duration::hours(rng.below(12) as i64))
        .min(end - Duration::days(1))
        .to_offset(ict);
        // Raids still planned are for the coming weeks; the past ones are done.
        let planned_for = if done {
            happened - Duration::days(2)
        } else {
            (end + Duration::days(2 + (i % 45) as i64)).to_offset(ict)
        };
        let name = gazetteer()
            .get(&province)
            .map(|u| u.name_en.clone())
            .unwrap_or_default();
        let network = (i < plan.networks.max(plan.dismantled) * 3 && !networks.is_empty())
            .then(|| networks[i % networks.len()]);
        let mut input = OperationInput {
            reference: format!("OP-DEMO-{:05}", i + 1),
            title: format!("Raid on facility {} in {name}", f.id),
            lead_agency: "Anti-Human Trafficking and Juvenile Protection Police".into(),
            partners: vec!["Immigration".into(), "Provincial police".into()],
            planned_for: rfc3339(planned_for),
            province_code: province,
            place: format!("Compound reported as facility {}", f.id),
            status: "planned".into(),
            facilities: vec![f.id],
            network_id: network,
            ..OperationInput::default()
        };
        let mut persons = Vec::new();
        if done {
            dates.push(happened);
            for _ in 0..met[i] {
                let mut m = people::person(person_no, &mut rng);
                recruiters.recruit(&mut m.input);
                person_no += 1;
                truth.persons_met += 1;
                *truth
                    .persons_by_role
                    .entry(m.input.role.clone())
                    .or_default() += 1;
                truth.victims_identified += u64::from(m.likely_victim);
                truth.victims_referred += u64::from(m.referred);
                persons.push(m.input);
            }
        }
        let (c, s, sim) = if done {
            input.status = "done".into();
            input.happened_at = rfc3339(happened);
            input.outcome = "Compound entered; workers interviewed; devices seized.".into();
            (computers[i], smartphones[i], sims[i])
        } else {
            (0, 0, 0)
        };
        // Network k is dismantled by the first raid that hit it (raid k).
        let dismantles = (done && i < plan.dismantled).then_some(network).flatten();
        raids.push(Raid {
            input,
            seized_at: happened + Duration::minutes(40),
            computers: c,
            smartphones: s,
            sim_cards: sim,
            dismantles,
            first_item,
            persons,
        });
        first_item += c + s + sim;
    }
    for k in 0..arrests.min(recruiters.list.len()) {
        let m = arrest(&mut recruiters, k, person_no, &dates, end, &mut rng, truth)?;
        person_no += 1;
        raids.push(m);
    }
    progress.stage("raids", raids.len() as u64);
    let mut results =
        futures::stream::iter(raids.into_iter().map(|r| record(v, &p, r))).buffer_unordered(8);
    let mut recorded = Vec::new();
    while let Some(r) = results.next().await {
        recorded.push(r?);
        progress.advance(1);
    }
    recorded.sort_by_key(|r| r.op);
    truth.locations_raided = (on_facilities + truth.recruiters_arrested as usize) as u64;
    truth.networks_dismantled = plan.dismantled.min(plan.networks).min(on_facilities) as u64;
    truth
        .devices_seized
        .insert("computer".into(), plan.computers);
    truth
        .devices_seized
        .insert("smartphone".into(), plan.smartphones);
    truth
        .devices_seized
        .insert("sim_card".into(), plan.sim_cards);
    Ok(recorded)
}

/// The arrest of recruiter `k` at home, some days after a raid, as the
/// `n`-th person of the demo; counted in the truth.
fn arrest(
    recruiters: &mut Recruiters,
    k: usize,
    n: u64,
    dates: &[OffsetDateTime],
    end: OffsetDateTime,
    rng: &mut Rng,
    truth: &mut Truth,
) -> Result<Raid, DemoError> {
    let g = gazetteer();
    let x = recruiters.list[k].clone();
    let contacts = recruiters.own_contacts(k);
    let village = g.get(&x.village).ok_or_else(|| {
        at("placing recruiters")(CoreError::BadRequest(format!("no village {}", x.village)))
    })?;
    let commune = &x.village[..6];
    let commune_name = g
        .get(commune)
        .map(|u| u.name_en.clone())
        .unwrap_or_default();
    let after = dates
        .get(rng.below(dates.len().max(1)))
        .copied()
        .unwrap_or(end - Duration::days(30));
    let happened = (after + Duration::days(7 + rng.below(30) as i64)).min(end - Duration::days(1));
    let m = people::arrested_recruiter(n, x.nationality, &x.village, contacts, rng);
    truth.persons_met += 1;
    *truth.persons_by_role.entry("recruiter".into()).or_default() += 1;
    truth.victims_identified += u64::from(m.likely_victim);
    truth.victims_referred += u64::from(m.referred);
    truth.recruiters_arrested += 1;
    truth.recruiters_arrested_foreign += u64::from(x.nationality != "KH");
    *truth
        .recruiters_arrested_by_province
        .entry(x.village[..2].to_string())
        .or_default() += 1;
    Ok(Raid {
        input: OperationInput {
            reference: format!("OP-DEMO-R{:04}", k + 1),
            title: format!("Arrest of a recruiter in {commune_name}"),
            lead_agency: "Anti-Human Trafficking and Juvenile Protection Police".into(),
            partners: vec!["Commune police".into()],
            planned_for: rfc3339(happened - Duration::days(1)),
            happened_at: rfc3339(happened),
            province_code: x.village[..2].into(),
            district_code: x.village[..4].into(),
            commune_code: commune.into(),
            place: format!("The recruiter's house in {}", village.name_en),
            status: "done".into(),
            outcome: "Recruiter arrested at home; victims' families interviewed.".into(),
            ..OperationInput::default()
        },
        seized_at: happened + Duration::minutes(30),
        computers: 0,
        smartphones: 0,
        sim_cards: 0,
        dismantles: None,
        first_item: 0,
        persons: vec![m.input],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_sums_exactly() {
        let mut rng = Rng::new(7);
        for (total, parts) in [(10_444, 2_500), (3, 10), (0, 5), (36_476, 2_500)] {
            let s = spread(total, parts, &mut rng);
            assert_eq!(s.len(), parts);
            assert_eq!(s.iter().sum::<u64>(), total);
        }
    }

    #[test]
    fn generated_numbers_pass_their_checks() {
        for n in [0, 1, 99_999, 46_920] {
            assert!(vigil_custody::luhn_valid(&imei(n)), "{}", imei(n));
            assert_eq!(imei(n).len(), 15);
            assert_ne!(imei(n), imei(n + 1));
        }
    }
}
