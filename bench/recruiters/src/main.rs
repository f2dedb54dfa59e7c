//! Recruiters at scale: `recruiters --n N` records N victims through Vigil
//! (`persons::record_batch`: checks, linkage, sealing, the recruiter
//! resolved by shared contacts in the store), with home villages in 400
//! communes and one recruiter per 20 victims; arrests a tenth of the
//! recruiters in commune-level operations; then times the recruiter's
//! page, the commune view, the recruiters list and the prevention ranking,
//! each against the persons figures (an aggregate over the same records)
//! in the same run. Prints one JSON line per measure and the peak memory.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, PersonInput};
use vigil_core::recruiters;
use vigil_core::staff::Principal;
use vigil_domain::gazetteer::{Level, gazetteer};
use vigil_domain::{AuditAction, Jurisdiction, Role};
use vigil_store::NewStaff;

struct Args {
    n: usize,
    out: PathBuf,
    rounds: usize,
}

fn args() -> Result<Args> {
    let mut a = Args {
        n: 4_000,
        out: PathBuf::from("bench/out/recruiters/run"),
        rounds: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().context("a value after the flag");
        match flag.as_str() {
            "--n" => a.n = value()?.parse()?,
            "--out" => a.out = PathBuf::from(value()?),
            "--rounds" => a.rounds = value()?.parse()?,
            other => anyhow::bail!("unknown flag {other}"),
        }
    }
    Ok(a)
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }
}

fn quantiles(mut us: Vec<f64>) -> (f64, f64) {
    us.sort_by(f64::total_cmp);
    let at = |q: f64| us[((us.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

const GIVEN: [&str; 16] = [
    "Sok",
    "Dara",
    "Vanna",
    "Sophea",
    "Rithy",
    "Bopha",
    "Chenda",
    "Kosal",
    "Piseth",
    "Sreyneang",
    "Visal",
    "Malis",
    "Samnang",
    "Thida",
    "Vuthy",
    "Kanha",
];
const FAMILY: [&str; 16] = [
    "Chan", "Meas", "Heng", "Kim", "Long", "Nuon", "Ouk", "Pich", "Sam", "Tep", "Yim", "Chhim",
    "Keo", "Lim", "Mao", "Ros",
];

/// A person's name and date of birth, distinct enough that linkage keeps
/// different people apart, as real records are.
fn who(n: usize) -> (String, String, String) {
    (
        format!("{} {}", GIVEN[n % 16], GIVEN[(n / 16) % 16]),
        FAMILY[(n / 256) % 16].to_string(),
        format!(
            "{}-{:02}-{:02}",
            1960 + n % 45,
            1 + (n / 45) % 12,
            1 + (n / 540) % 28
        ),
    )
}

/// A recruiter's contact written as people write it.
fn contact(recruiter: usize, style: usize) -> String {
    // A Cellcard number (012 and six digits), distinct per recruiter.
    let d = format!("12{:06}", recruiter * 7_919 % 1_000_000);
    match style % 4 {
        0 => format!("0{} {} {}", &d[..2], &d[2..5], &d[5..]),
        1 => format!("+855 {} {} {}", &d[..2], &d[2..5], &d[5..]),
        2 => format!("@agent_{recruiter}"),
        _ => format!("call 0{d} or t.me/agent_{recruiter}"),
    }
}

async fn plan_raid(
    v: &vigil_core::Vigil,
    officer: &Principal,
    reference: &str,
    commune: &str,
) -> Result<i64> {
    operations::plan(
        &v.operations,
        officer,
        &OperationInput {
            reference: reference.into(),
            title: "Raid".into(),
            lead_agency: "Anti-Human Trafficking Police".into(),
            happened_at: "2026-11-20T05:00:00+07:00".into(),
            province_code: commune[..2].into(),
            district_code: commune[..4].into(),
            commune_code: commune.into(),
            place: "Compound".into(),
            status: "done".into(),
            outcome: "Raided".into(),
            ..OperationInput::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))
}

async fn time<T, F, Fut>(rounds: usize, mut f: F) -> Result<(f64, f64)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<T, vigil_core::CoreError>>,
{
    let mut us = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let s = Instant::now();
        f(i).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        us.push(s.elapsed().as_secs_f64() * 1e6);
    }
    Ok(quantiles(us))
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let mut settings = vigil_core::Settings::default();
    settings.storage.data_dir = a.out.clone();
    let v = vigil_backends::open(settings).await?;
    let id = v
        .store
        .create_staff(
            NewStaff {
                username: "bench.officer".into(),
                display_name: "Bench".into(),
                role: Role::Officer,
                jurisdiction: Jurisdiction::National,
            },
            vigil_domain::audit::NewAuditEntry {
                actor: "cli".into(),
                action: AuditAction::StaffCreate,
                object: String::new(),
                detail: String::new(),
            },
        )
        .await?;
    let officer = Principal {
        id,
        username: "bench.officer".into(),
        display_name: "Bench".into(),
        role: Role::Officer,
        jurisdiction: Jurisdiction::National,
    };
    let g = gazetteer();
    let communes: Vec<&str> = g
        .units()
        .iter()
        .filter(|u| u.level == Level::Commune && g.children(&u.code).next().is_some())
        .step_by(4)
        .take(400)
        .map(|u| u.code.as_str())
        .collect();
    let mut rng = Rng(7);
    let recruiters_n = (a.n / 20).max(1);
    let batch = 250;
    let started = Instant::now();
    let mut first_victim_person = 0;
    for (b, chunk) in (0..a.n).collect::<Vec<_>>().chunks(batch).enumerate() {
        let commune = communes[b % communes.len()];
        let op = plan_raid(&v, &officer, &format!("OP-B-{b}"), commune).await?;
        let inputs: Vec<PersonInput> = chunk
            .iter()
            .map(|&i| {
                let home = communes[rng.below(communes.len())];
                let villages: Vec<&str> = g.children(home).map(|u| u.code.as_str()).collect();
                let recruiter = rng.below(recruiters_n);
                let (given_name, family_name, date_of_birth) = who(i);
                PersonInput {
                    role: "victim".into(),
                    nationality: "KH".into(),
                    language: "km".into(),
                    sex: if i % 2 == 0 { "f" } else { "m" }.into(),
                    given_name,
                    family_name,
                    date_of_birth,
                    home_village: villages[rng.below(villages.len())].into(),
                    contacts: contact(recruiter, i),
                    promised_job: "Casino cashier, 1,500 USD a month".into(),
                    route: "Van to the border at night".into(),
                    ..PersonInput::default()
                }
            })
            .collect();
        let ids = persons::record_batch(&v.persons, &officer, op, &inputs)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if b == 0 {
            first_victim_person = ids[0].1;
        }
    }
    let record_s = started.elapsed().as_secs_f64();
    // The recruiters' share of recording: more victims, batches with home
    // villages and contacts interleaved with batches of the same people
    // without them (the peer), into the same store.
    let (mut with_s, mut without_s) = (0.0, 0.0);
    for round in 0..8 {
        let op = plan_raid(&v, &officer, &format!("OP-C-{round}"), communes[round]).await?;
        let inputs: Vec<PersonInput> = (0..batch)
            .map(|j| {
                let i = a.n + round * batch + j;
                let home = communes[rng.below(communes.len())];
                let villages: Vec<&str> = g.children(home).map(|u| u.code.as_str()).collect();
                let (given_name, family_name, date_of_birth) = who(i);
                let full = round % 2 == 0;
                PersonInput {
                    role: "victim".into(),
                    nationality: "KH".into(),
                    language: "km".into(),
                    sex: "f".into(),
                    given_name,
                    family_name,
                    date_of_birth,
                    home_village: if full {
                        villages[rng.below(villages.len())].into()
                    } else {
                        String::new()
                    },
                    contacts: if full {
                        contact(rng.below(recruiters_n), i)
                    } else {
                        String::new()
                    },
                    ..PersonInput::default()
                }
            })
            .collect();
        let s = Instant::now();
        persons::record_batch(&v.persons, &officer, op, &inputs)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if round % 2 == 0 {
            with_s += s.elapsed().as_secs_f64();
        } else {
            without_s += s.elapsed().as_secs_f64();
        }
    }
    let per = |s: f64| s * 1000.0 / (4 * batch) as f64;
    println!(
        "{{\"n\":{},\"measure\":\"record_victim\",\"with_origin_ms\":{:.3},\"peer_without_ms\":{:.3},\"ratio\":{:.2}}}",
        a.n,
        per(with_s),
        per(without_s),
        with_s / without_s
    );
    // A tenth of the recruiters met at home and arrested there.
    let arrests = recruiters_n / 10;
    for r in 0..arrests {
        let (given_name, family_name, date_of_birth) = who(1_000_003 + r * 7);
        let commune = communes[r % communes.len()];
        let op = operations::plan(
            &v.operations,
            &officer,
            &OperationInput {
                reference: format!("OP-A-{r}"),
                title: "Arrest".into(),
                lead_agency: "Anti-Human Trafficking Police".into(),
                happened_at: "2026-11-25T05:00:00+07:00".into(),
                province_code: commune[..2].into(),
                district_code: commune[..4].into(),
                commune_code: commune.into(),
                place: "Village".into(),
                status: "done".into(),
                outcome: "Arrested".into(),
                ..OperationInput::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        persons::record(
            &v.persons,
            &officer,
            op,
            &PersonInput {
                role: "recruiter".into(),
                nationality: if r % 5 == 0 { "VN" } else { "KH" }.into(),
                language: "km".into(),
                sex: "m".into(),
                given_name,
                family_name,
                date_of_birth,
                contacts: contact(r, 1),
                arrested: true,
                ..PersonInput::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let known = v.store.recruiters(None, 100_000).await?;
    println!(
        "{{\"n\":{},\"recruiters_generated\":{recruiters_n},\"recruiters_known\":{},\"record_s\":{record_s:.1},\"ms_per_victim\":{:.3}}}",
        a.n,
        known.len(),
        record_s * 1000.0 / a.n as f64
    );
    let ids: Vec<i64> = known.iter().map(|k| k.id).collect();
    let rounds = a.rounds;
    let report = |name: &str, (p50, p99): (f64, f64)| {
        println!(
            "{{\"n\":{},\"measure\":\"{name}\",\"p50_us\":{p50:.0},\"p99_us\":{p99:.0}}}",
            a.n
        );
    };
    let now = time::OffsetDateTime::now_utc();
    report(
        "peer_person_figures",
        time(rounds, |_| {
            persons::person_figures(&v.persons, &officer, None, None)
        })
        .await?,
    );
    report(
        "recruiter_page",
        time(rounds, |i| {
            recruiters::recruiter(&v.persons, &officer, ids[i * 7_919 % ids.len()])
        })
        .await?,
    );
    report(
        "of_person",
        time(rounds, |_| {
            recruiters::of_person(&v.persons, &officer, first_victim_person)
        })
        .await?,
    );
    report(
        "commune_view",
        time(rounds, |i| {
            recruiters::area(&v.persons, &officer, communes[i % communes.len()])
        })
        .await?,
    );
    report(
        "recruiters_list_100",
        time(rounds.min(50), |_| {
            recruiters::list(&v.persons, &officer, 100)
        })
        .await?,
    );
    report(
        "prevention_list",
        time(rounds.min(50), |_| {
            recruiters::prevention(&v.persons, &officer, now)
        })
        .await?,
    );
    println!("{{\"n\":{},\"peak_rss_mib\":{:.0}}}", a.n, peak_rss_mib());
    Ok(())
}
