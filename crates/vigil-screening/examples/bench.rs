//! Batch screening throughput: `cargo run --release -p vigil-screening --example bench [N]`.
//!
//! Screens N varied travellers (default 100,000) under the default policy with a
//! watchlist of 10,000 contacts and prints travellers per second. Not a test.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::time::Instant;

use vigil_screening::{Outcome, Policy, Traveller, Watchlist, evaluate};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let policy = Policy::default_policy().expect("default policy");
    let mut watchlist = Watchlist::new();
    for i in 0..10_000u32 {
        watchlist.add(
            &format!("+855 12 {:03} {:03}", i / 1000, i % 1000),
            format!("tip HL-{i}"),
        );
    }
    let offers = [
        "null",
        r#"{"text":"Salary $3,000, no experience, free ticket","contact":"@hr_asia","employer":""}"#,
        r#"{"text":"Factory work 600 USD","contact":"012 003 456","employer":"Thai Co"}"#,
        r#"{"text":"ការងារស្រួល ប្រាក់ខែ 2000 ដុល្លារ","contact":"t.me/job_kh","employer":""}"#,
    ];
    let purposes = ["tourism", "work", "study", "family", "business", "other"];
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"ref":"B-{i}","sex":"{}","age":{},"nationality":"KH","destination":"{}","purpose":"{}","documents":{{"passport":{},"visa":"tourist","work_permit":false,"employment_contract":{},"return_ticket":{}}},"guarantor":"unverified","cash_usd":{},"ticket_paid_by":"self","documents_held_by_other":false,"companion_answers":{},"job_offer":{}}}"#,
                if i % 2 == 0 { "female" } else { "male" },
                18 + i % 40,
                ["TH", "MM", "JP", "LA"][i % 4],
                purposes[i % purposes.len()],
                i % 7 != 0,
                i % 3 == 0,
                i % 5 != 0,
                (i * 37) % 400,
                i % 97 == 0,
                offers[i % offers.len()],
            )
        })
        .collect();

    let start = Instant::now();
    let mut counts = [0usize; 3];
    for line in &lines {
        let t = Traveller::from_json(line).expect("valid");
        let s = evaluate(&policy, &t, &watchlist);
        counts[match s.outcome {
            Outcome::Clear => 0,
            Outcome::Interview => 1,
            Outcome::Refer => 2,
        }] += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} travellers (parse + evaluate) in {secs:.2} s: {:.0} travellers/s; clear {}, interview {}, refer {}",
        n as f64 / secs,
        counts[0],
        counts[1],
        counts[2]
    );
}
