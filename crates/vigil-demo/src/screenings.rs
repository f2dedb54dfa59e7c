//! Exit screenings at the posts over the demo's months, by the demo
//! immigration officer: holiday-makers, family visits and workers with
//! proper papers, and some travellers with the signs of a lure (a job offer
//! abroad, the ticket paid by a recruiter, no return ticket), a few of whom
//! show the contact of a recruiter confirmed by the analysts. Each is
//! screened against the policy in force and the watchlist, the officer
//! decides (mostly as advised) and, for the older referrals, records what
//! came of them: what the counter's list and the fairness report show.

use futures::StreamExt;
use time::{Duration, OffsetDateTime};
use vigil_core::screening;
use vigil_core::staff::Principal;
use vigil_core::{Vigil, fairness, screenings};
use vigil_domain::AuditAction;
use vigil_domain::posts::posts;
use vigil_screening::{Policy, Traveller, Watchlist, evaluate};
use vigil_store::NewScreening;
use vigil_synth::Rng;

use crate::plan::{DemoError, Plan, Progress, at};
use crate::raids::principal;

/// The purpose a screening's traveller is sealed under: the one
/// `vigil_core::screenings` seals and opens with (the demo's tests open a
/// demo screening through it).
const SEAL_TRAVELLER: &str = "screening.traveller";

/// Days back the screenings go.
const DAYS: u64 = 180;

/// Destinations of travellers leaving, with weights.
const DESTINATIONS: [(&str, usize); 8] = [
    ("TH", 30),
    ("VN", 15),
    ("MY", 12),
    ("KR", 10),
    ("CN", 10),
    ("JP", 8),
    ("MM", 8),
    ("LA", 7),
];

/// Job offers that lure, as travellers show them.
const LURES: [&str; 6] = [
    "Customer service for an online shop, 1,500 USD a month, room and food free, no experience needed",
    "ការងារវាយអក្សរ ប្រាក់ខែ ១២០០ ដុល្លារ មានកន្លែងស្នាក់នៅ ចេញថ្លៃយន្តហោះឱ្យ",
    "Casino marketing, 2,000 USD a month, visa and ticket paid by the company",
    "Translator Khmer–Chinese, 1,800 USD, start at once, passport kept by the agency for the visa",
    "高薪客服，月薪1500美金，包吃包住，报销机票",
    "Hotel reception in Myawaddy, 1,200 USD, free room, travel arranged",
];

/// Honest work abroad, with papers.
const JOBS: [(&str, &str); 3] = [
    (
        "Factory work under the government labour agreement, contract signed at the ministry",
        "Samsung Electronics Vietnam",
    ),
    (
        "Seasonal farm work, two-year contract through a licensed agency",
        "Korea Agricultural Cooperative",
    ),
    (
        "Construction worker, contract approved by the Ministry of Labour",
        "Sunway Construction",
    ),
];

fn pick<T: Copy>(rng: &mut Rng, items: &[(T, usize)]) -> T {
    let total: usize = items.iter().map(|x| x.1).sum();
    let mut x = rng.below(total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// `value` of `kind` as a traveller writes it on an offer.
fn written(kind: &str, value: &str, style: usize) -> String {
    match (kind, style % 3) {
        ("telegram", 0) => format!("@{value}"),
        ("telegram", 1) => format!("t.me/{value}"),
        ("telegram", _) => format!("Telegram @{value}"),
        (_, 0) => value.to_string(),
        (_, _) => value
            .strip_prefix("+855")
            .map_or_else(|| value.to_string(), |rest| format!("0{rest}")),
    }
}

/// One traveller as JSON, drawn from `rng`; `contacts` are the confirmed
/// recruiters' (kind, value).
fn traveller(n: usize, rng: &mut Rng, contacts: &[(String, String)]) -> serde_json::Value {
    let sex = ["female", "male"][rng.below(2)];
    let destination = pick(rng, &DESTINATIONS);
    let base = serde_json::json!({
        "ref": format!("EX-DEMO-{:05}", n + 1),
        "sex": sex,
        "nationality": "KH",
        "destination": destination,
    });
    let mut t = base;
    // Every tenth shows a lure (and a confirmed recruiter), the others are
    // drawn.
    let profile = if n % 10 == 9 { 99 } else { rng.below(100) };
    if profile < 62 {
        // Holiday, family, business: papers in order.
        let purpose = ["tourism", "family", "business"][rng.below(3)];
        t["age"] = (18 + rng.below(50)).into();
        t["purpose"] = purpose.into();
        t["documents"] = serde_json::json!({
            "passport": true,
            "visa": if rng.below(3) == 0 { "tourist" } else { "none" },
            "work_permit": false,
            "employment_contract": false,
            "return_ticket": rng.below(10) < 9,
        });
        t["guarantor"] = ["none", "verified"][rng.below(2)].into();
        t["cash_usd"] = (200 + 100 * rng.below(20)).into();
        t["ticket_paid_by"] = ["self", "family"][rng.below(2)].into();
        t["documents_held_by_other"] = false.into();
        t["companion_answers"] = false.into();
        t["job_offer"] = serde_json::Value::Null;
    } else if profile < 82 {
        // Work abroad with a contract.
        let (offer, employer) = JOBS[rng.below(JOBS.len())];
        t["age"] = (20 + rng.below(25)).into();
        t["purpose"] = "work".into();
        t["documents"] = serde_json::json!({
            "passport": true,
            "visa": "work",
            "work_permit": true,
            "employment_contract": true,
            "return_ticket": false,
        });
        t["guarantor"] = "verified".into();
        t["cash_usd"] = (100 + 50 * rng.below(10)).into();
        t["ticket_paid_by"] = "employer".into();
        t["documents_held_by_other"] = false.into();
        t["companion_answers"] = false.into();
        t["job_offer"] = serde_json::json!({"text": offer, "contact": "", "employer": employer});
    } else {
        // The signs of a lure; some show a confirmed recruiter's contact.
        let contact = if !contacts.is_empty() && (n % 10 == 9 || rng.below(3) == 0) {
            let (kind, value) = &contacts[rng.below(contacts.len())];
            written(kind, value, rng.below(3))
        } else {
            format!(
                "0{}{:07}",
                [12, 15, 77, 89][rng.below(4)],
                rng.below(10_000_000)
            )
        };
        t["age"] = (18 + rng.below(17)).into();
        t["purpose"] = "tourism".into();
        t["documents"] = serde_json::json!({
            "passport": true,
            "visa": "tourist",
            "work_permit": false,
            "employment_contract": false,
            "return_ticket": rng.below(4) == 0,
        });
        t["guarantor"] = ["none", "unverified"][rng.below(2)].into();
        t["cash_usd"] = (20 * rng.below(10)).into();
        t["ticket_paid_by"] = ["recruiter", "unknown", "employer"][rng.below(3)].into();
        t["documents_held_by_other"] = (rng.below(4) == 0).into();
        t["companion_answers"] = (rng.below(3) == 0).into();
        t["job_offer"] = serde_json::json!({
            "text": LURES[rng.below(LURES.len())],
            "contact": contact,
            "employer": "",
        });
    }
    t
}

/// One screening to record.
struct Planned {
    at: OffsetDateTime,
    post: String,
    json: String,
    decision_roll: usize,
    referral_roll: usize,
}

async fn record(
    v: &Vigil,
    p: &Principal,
    policy: &Policy,
    watchlist: &Watchlist,
    now: OffsetDateTime,
    s: Planned,
) -> Result<(), DemoError> {
    let traveller = Traveller::from_json(&s.json)
        .map_err(|e| at("screening travellers")(vigil_core::CoreError::BadRequest(e.message)))?;
    let screening = evaluate(policy, &traveller, watchlist);
    let reasons: Vec<serde_json::Value> = screening
        .reasons
        .iter()
        .map(|r| serde_json::json!({"code": r.code, "weight": r.weight, "evidence": r.evidence}))
        .collect();
    let advised = screening.outcome.as_str();
    // Stored through the store: the use case stamps the current time, and
    // the demo's screenings span months. The row is what `screenings::screen`
    // stores for the same traveller, sealed alike, and audited alike.
    let row = NewScreening {
        policy: screening.policy.clone(),
        outcome: advised.into(),
        score: i64::from(screening.score),
        reasons: serde_json::Value::from(reasons).to_string(),
        post: s.post,
        officer: p.id,
        traveller: v
            .keys
            .seal(SEAL_TRAVELLER, s.json.as_bytes())
            .map_err(at("sealing travellers"))?,
        sex: traveller.sex.as_str().into(),
        age_band: fairness::age_band(traveller.age.years()).into(),
        created_at: s.at,
    };
    let detail = format!(
        "policy={} outcome={advised} score={}",
        screening.policy, screening.score
    );
    let id = v
        .store
        .insert_screening(
            &row,
            p.audit(AuditAction::ScreeningCreate, String::new(), detail),
        )
        .await
        .map_err(|e| at("storing screenings")(e.into()))?;
    // The officer mostly follows the advice.
    let decision = match (advised, s.decision_roll) {
        ("refer", 0..=84) => "refer",
        ("refer", _) => "interview",
        ("interview", 0..=64) => "clear",
        ("interview", 65..=89) => "interview",
        ("interview", _) => "refer",
        _ => "clear",
    };
    screenings::decide(&v.screening, p, id, decision, "")
        .await
        .map_err(at("deciding screenings"))?;
    if decision == "refer" && s.at < now - Duration::days(7) {
        let result = if s.referral_roll < 60 {
            "confirmed"
        } else {
            "not_confirmed"
        };
        fairness::record_referral(&v.screening, p, id, result)
            .await
            .map_err(at("recording referrals"))?;
    }
    Ok(())
}

/// Screens `plan.screenings` travellers at the posts over the last months;
/// `contacts` are the recruiters' contacts the analysts confirmed.
pub(crate) async fn screen(
    v: &Vigil,
    plan: &Plan,
    now: OffsetDateTime,
    contacts: &[(String, String)],
    progress: &dyn Progress,
) -> Result<(), DemoError> {
    let p = principal(v, "demo.immigration").await?;
    let watchlist = screening::watchlist_for(&v.screening, &p)
        .await
        .map_err(at("building the watchlist"))?;
    let policy = screening::policy(&v.screening).map_err(at("reading the policy"))?;
    v.store
        .record_policy_note(&fairness::policy_note(&policy))
        .await
        .map_err(|e| at("noting the policy")(e.into()))?;
    let mut rng = Rng::new(plan.seed ^ 0x4558_4954);
    let list = posts();
    let mut planned = Vec::with_capacity(plan.screenings);
    for n in 0..plan.screenings {
        // Every post in turn, at any minute of the last months.
        let post = list[n % list.len()].code.clone();
        let at_ = now - Duration::minutes(30 + rng.below(DAYS as usize * 24 * 60) as i64);
        let json = traveller(n, &mut rng, contacts).to_string();
        planned.push(Planned {
            at: at_,
            post,
            json,
            decision_roll: rng.below(100),
            referral_roll: rng.below(100),
        });
    }
    progress.stage("screenings", planned.len() as u64);
    let mut results = futures::stream::iter(
        planned
            .into_iter()
            .map(|s| record(v, &p, &policy, &watchlist, now, s)),
    )
    .buffer_unordered(8);
    while let Some(r) = results.next().await {
        r?;
        progress.advance(1);
    }
    Ok(())
}
