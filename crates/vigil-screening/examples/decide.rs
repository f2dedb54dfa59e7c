//! Decision time with a 100,000-entry watchlist, and batch throughput. Not a test.
//!
//! ```sh
//! # inputs: watchlist.jsonl (100,000 entries), decide.jsonl (20,000 travellers),
//! # batch.jsonl (100,000 travellers), written once for Vigil and its peer
//! cargo run --release -p vigil-screening --example decide -- gen DIR
//! # times them: one JSON summary line on stdout, outcomes in DIR/rust_*.tsv
//! cargo run --release -p vigil-screening --example decide -- run DIR
//! ```
//!
//! A decision is what the server does for one screening: parse the traveller's
//! JSON and evaluate it under the default policy against the watchlist. Driven by
//! `bench/screening/run.sh`, which runs the Python peer on the same files.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use serde_json::json;
use vigil_screening::{Policy, Traveller, Watchlist, evaluate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: decide gen DIR [WATCHLIST DECISIONS BATCH] | decide run DIR";
    let dir = Path::new(args.get(2).expect(usage));
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let n = |i: usize, d: usize| args.get(i).map_or(d, |a| a.parse().expect(usage));
            generate(dir, n(3, 100_000), n(4, 20_000), n(5, 100_000));
        }
        Some("run") => run(dir),
        _ => panic!("{usage}"),
    }
}

/// xorshift64*: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS_A: &[&str] = &[
    "Golden", "Silver", "Lucky", "Royal", "Grand", "Star", "Dragon", "Phoenix", "Ocean", "Sky",
    "Jade", "Pearl", "Diamond", "Sunrise", "Asia", "Mekong", "Angkor", "Lotus", "Tiger", "Crown",
    "Prime", "Harmony", "Victory", "Unity", "Eagle", "Emerald", "Summit", "Bright", "Rich",
    "Noble",
];
const WORDS_B: &[&str] = &[
    "Fortune", "Wealth", "Bridge", "Horizon", "Gate", "Harbour", "Peak", "River", "Garden",
    "Palace", "Light", "Wave", "Field", "Stone", "Tower", "Vision", "Future", "Link", "Trust",
    "Path", "Way", "Point", "Land", "World", "Hill", "Bay", "Forest", "Moon", "Sun", "Cloud",
];
const WORDS_C: &[&str] = &[
    "Trading",
    "Holdings",
    "Development",
    "Investment",
    "Services",
    "Resources",
    "Logistics",
    "Technology",
    "Entertainment",
    "Network",
    "Industrial",
    "Property",
    "Media",
    "Solutions",
    "Consulting",
    "Digital",
    "Global",
    "Pacific",
    "Capital",
    "Partners",
];
const FORMS: &[&str] = &[
    "Co., Ltd",
    "Co. Ltd",
    "Company Limited",
    "Ltd",
    "Recruitment Agency",
    "Group",
    "Manpower",
];
const HAN: &[&str] = &[
    "金", "福", "鑫", "源", "盛", "达", "恒", "泰", "隆", "华", "宏", "瑞", "祥", "安", "佳", "顺",
];
const HANDLE_WORDS: &[&str] = &[
    "job", "work", "hr", "asia", "easy", "money", "visa", "kh", "thai", "career", "hire", "agent",
    "office", "team", "vip", "best", "pay", "boss", "star", "gold",
];
/// Cambodian mobile prefixes whose numbers have six digits after the prefix.
const KH_PREFIXES: &[&str] = &[
    "12", "17", "77", "78", "89", "92", "95", "99", "11", "61", "76", "85",
];

/// A listed value and what travellers can write for it in another format.
enum Listed {
    Phone { cc: &'static str, national: String },
    Telegram(String),
    Domain(String),
    Name { core: String, han: bool },
}

fn phone_formats(rng: &mut Rng, cc: &str, national: &str) -> String {
    let (a, b) = national.split_at(2);
    let (b, c) = b.split_at(3);
    match (cc, rng.below(5)) {
        ("855", 0) => format!("0{a} {b} {c}"),
        ("855", 1) => format!("0{a}-{b}-{c}"),
        ("855", 2) => format!("(+855) {national}"),
        ("855", 3) => format!("+855 {a} {b} {c}"),
        ("855", _) => format!("0{a}{b}{c}"),
        (_, 0 | 1) => format!("+{cc} {a} {b} {c}"),
        (_, 2) => format!("+{cc}-{national}"),
        _ => format!("+{cc}{national}"),
    }
}

fn watchlist_entries(n: usize, rng: &mut Rng) -> (Vec<String>, Vec<Listed>) {
    let mut lines = Vec::with_capacity(n);
    let mut listed = Vec::with_capacity(n);
    let mut i = 0usize;
    while lines.len() < n {
        i += 1;
        let (value, item) = match i % 20 {
            0..=7 => {
                let (cc, national) = match i % 8 {
                    0 => ("66", format!("8{}{:07}", i % 10, i % 10_000_000)),
                    1 => ("84", format!("9{}{:07}", i % 10, i % 10_000_000)),
                    _ => (
                        "855",
                        format!("{}{:06}", KH_PREFIXES[i % 12], (i / 12) % 1_000_000),
                    ),
                };
                (
                    phone_formats(rng, cc, &national),
                    Listed::Phone { cc, national },
                )
            }
            8..=12 => {
                let h = format!("{}_{}{}", rng.pick(HANDLE_WORDS), rng.pick(HANDLE_WORDS), i);
                let v = match rng.below(3) {
                    0 => format!("@{h}"),
                    1 => format!("t.me/{h}"),
                    _ => h.to_uppercase(),
                };
                let v = if v.starts_with('@') || v.starts_with("t.me") {
                    v
                } else {
                    format!("@{v}")
                };
                (v, Listed::Telegram(h))
            }
            13..=16 => {
                let d = format!("{}-{}{}", rng.pick(HANDLE_WORDS), rng.pick(HANDLE_WORDS), i);
                let tld = rng.pick(&["com", "net", "org", "asia"]);
                let v = match rng.below(3) {
                    0 => format!("{d}.{tld}"),
                    1 => format!("www.{d}.{tld}"),
                    _ => format!("https://{d}.{tld}/jobs"),
                };
                (v, Listed::Domain(format!("{d}.{tld}")))
            }
            _ if i % 10 == 7 => {
                let core = format!("{}{}{}", rng.pick(HAN), rng.pick(HAN), i);
                (format!("{core}有限公司"), Listed::Name { core, han: true })
            }
            _ => {
                let core = format!(
                    "{} {} {}",
                    rng.pick(WORDS_A),
                    rng.pick(WORDS_B),
                    rng.pick(WORDS_C)
                );
                let v = format!("{core} {}", rng.pick(FORMS));
                (v, Listed::Name { core, han: false })
            }
        };
        // Names must be distinct to be found; identifiers must be recognised.
        let (keys, is_name) = vigil_screening::watchlist::keys(&value);
        let is_name_item = matches!(item, Listed::Name { .. });
        if keys.is_empty() || is_name != is_name_item {
            continue;
        }
        let label = if i.is_multiple_of(3) {
            format!("tip HL-{i}")
        } else {
            format!("facility {}", i % 5000)
        };
        lines.push(json!({"value": value, "label": label}).to_string());
        listed.push(item);
    }
    (lines, listed)
}

const TEXTS: &[&str] = &[
    "Office work in a modern company, salary $800 per month, training provided.",
    "Customer service staff needed, no experience, salary 2500 USD, free ticket and visa.",
    "ការងារស្រួល ប្រាក់ខែ 2000 ដុល្លារ មិនត្រូវការបទពិសោធន៍ ចេញថ្លៃធ្វើដំណើរ",
    "招聘客服，不需要经验，月薪3000美元，包吃住，包机票",
    "Tuyển nhân viên văn phòng, lương 1200 USD, không cần kinh nghiệm",
    "รับสมัครพนักงาน เงินเดือน 900 USD ทำงานที่กรุงเทพ",
    "Restaurant job, 450 USD a month, food and room provided by the owner.",
    "Typing job online, earn 5k USD monthly, ticket paid, contact on Telegram only.",
    "Factory work, 600 dollars, contract signed before departure.",
    "Hotel cleaning staff, $520 monthly, overtime paid.",
];

fn traveller(rng: &mut Rng, n: usize, listed: &[Listed]) -> String {
    let dest = *rng.pick(&["TH", "MM", "LA", "JP", "KR", "MY", "CN", "VN", "PH", "SG"]);
    let purpose = *rng.pick(&["tourism", "work", "study", "family", "business", "other"]);
    let mut offer = serde_json::Value::Null;
    if rng.chance(70) {
        let mut text = rng.pick(TEXTS).to_string();
        let mut contact = format!(
            "0{}{}",
            rng.pick(&["10", "15", "16", "69", "70", "81"]),
            100_000 + rng.below(900_000)
        );
        let mut employer = format!(
            "{} {} {}",
            rng.pick(WORDS_B),
            rng.pick(WORDS_A),
            rng.pick(FORMS)
        );
        if rng.chance(50) {
            // A value on the watchlist, written as an officer might type it.
            match &listed[rng.below(listed.len())] {
                Listed::Phone { cc, national } => contact = phone_formats(rng, cc, national),
                Listed::Telegram(h) => {
                    contact = match rng.below(3) {
                        0 => format!("@{h}"),
                        1 => format!("https://t.me/{}", h.to_uppercase()),
                        _ => format!("telegram @{h}"),
                    }
                }
                Listed::Domain(d) => text = format!("{text} Apply at https://www.{d}/apply"),
                Listed::Name { core, han: true } => employer = format!("{core}公司"),
                Listed::Name { core, han: false } => {
                    if rng.chance(50) {
                        employer = format!("{} CO LTD", core.to_uppercase());
                    } else {
                        text = format!("Join {core} Company Limited. {text}");
                    }
                }
            }
        }
        offer = json!({"text": text, "contact": contact, "employer": employer});
    }
    json!({
        "ref": format!("T-{n}"),
        "sex": *rng.pick(&["female", "male", "female", "other", "unspecified"]),
        "age": 16 + rng.below(45),
        "nationality": "KH",
        "destination": dest,
        "purpose": purpose,
        "documents": {
            "passport": rng.chance(95),
            "visa": *rng.pick(&["tourist", "work", "none", "student", "tourist", "other"]),
            "work_permit": rng.chance(30),
            "employment_contract": rng.chance(40),
            "return_ticket": rng.chance(70),
        },
        "guarantor": *rng.pick(&["none", "unverified", "verified", "verified"]),
        "cash_usd": (rng.below(60_000) as f64) / 100.0,
        "ticket_paid_by": *rng.pick(&["self", "family", "employer", "recruiter", "unknown", "self"]),
        "documents_held_by_other": rng.chance(3),
        "companion_answers": rng.chance(3),
        "job_offer": offer,
    })
    .to_string()
}

fn write_lines(path: &Path, lines: impl Iterator<Item = String>) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for l in lines {
        writeln!(w, "{l}").expect("write");
    }
    w.flush().expect("flush");
}

fn generate(dir: &Path, entries: usize, decisions: usize, batch: usize) {
    std::fs::create_dir_all(dir).expect("dir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (lines, listed) = watchlist_entries(entries, &mut rng);
    write_lines(&dir.join("watchlist.jsonl"), lines.into_iter());
    write_lines(
        &dir.join("decide.jsonl"),
        (0..decisions).map(|n| traveller(&mut rng, n, &listed)),
    );
    write_lines(
        &dir.join("batch.jsonl"),
        (0..batch).map(|n| traveller(&mut rng, decisions + n, &listed)),
    );
    std::fs::write(
        dir.join("policy.toml"),
        vigil_screening::policy::DEFAULT_POLICY,
    )
    .expect("policy");
}

/// This process's user + system CPU seconds (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Resident memory in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run(dir: &Path) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("read input");
    let policy = Policy::from_toml(&read("policy.toml")).expect("policy");
    let wl_text = read("watchlist.jsonl");
    let decide = read("decide.jsonl");
    let batch = read("batch.jsonl");
    let rss0 = rss_kib();
    let t = Instant::now();
    let watchlist = Watchlist::from_jsonl(&wl_text).expect("watchlist");
    let build_s = t.elapsed().as_secs_f64();
    let rss_mib = (rss_kib().saturating_sub(rss0)) as f64 / 1024.0;

    let decide: Vec<&str> = decide.lines().collect();
    for line in decide.iter().take(1000) {
        let t = Traveller::from_json(line).expect("valid");
        std::hint::black_box(evaluate(&policy, &t, &watchlist));
    }
    let mut nanos = Vec::with_capacity(decide.len());
    let mut out = String::new();
    for line in &decide {
        let t0 = Instant::now();
        let t = Traveller::from_json(line).expect("valid");
        let s = evaluate(&policy, &t, &watchlist);
        nanos.push(t0.elapsed().as_nanos() as u64);
        writeln!(out, "{}\t{}\t{}", t.reference, s.outcome.as_str(), s.score).expect("fmt");
    }
    std::fs::write(dir.join("rust_decide.tsv"), out).expect("write");
    nanos.sort_unstable();
    let q = |p: f64| nanos[((nanos.len() as f64 * p) as usize).min(nanos.len() - 1)] as f64 / 1e6;

    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let mut results = Vec::with_capacity(100_000);
    for line in batch.lines() {
        let t = Traveller::from_json(line).expect("valid");
        let s = evaluate(&policy, &t, &watchlist);
        results.push((t.reference, s.outcome, s.score));
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let mut out = String::new();
    for (r, o, s) in &results {
        writeln!(out, "{r}\t{}\t{s}", o.as_str()).expect("fmt");
    }
    std::fs::write(dir.join("rust_batch.tsv"), out).expect("write");
    println!(
        "{}",
        json!({
            "impl": "vigil",
            "watchlist_entries": wl_text.lines().count(),
            "watchlist_keys": watchlist.len(),
            "build_s": build_s,
            "watchlist_rss_mib": rss_mib,
            "decisions": nanos.len(),
            "p50_ms": q(0.50), "p90_ms": q(0.90), "p99_ms": q(0.99), "p999_ms": q(0.999),
            "max_ms": q(1.0),
            "batch": results.len(),
            "batch_wall_s": wall,
            "batch_cpu_s": cpu,
            "batch_per_s": results.len() as f64 / wall,
            "batch_per_cpu_s": if cpu > 0.0 { results.len() as f64 / cpu } else { 0.0 },
        })
    );
}
