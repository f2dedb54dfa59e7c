//! Throughput benchmark over a JSONL corpus (`{"id", "text", …}` per line).
//!
//! `cargo run --release -p vigil-extract --example bench -- CORPUS PREDICTIONS_OUT [PASSES]`
//!
//! Writes every text's identifiers to PREDICTIONS_OUT (`{"id", "found": [{kind,
//! value}]}`), then times PASSES single-threaded passes over all texts in memory and
//! prints a JSON summary on stdout.

use std::io::{BufRead, BufWriter, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args
        .get(1)
        .ok_or("usage: bench CORPUS PREDICTIONS_OUT [PASSES]")?;
    let out = args
        .get(2)
        .ok_or("usage: bench CORPUS PREDICTIONS_OUT [PASSES]")?;
    let passes: usize = args.get(3).map(|p| p.parse()).transpose()?.unwrap_or(5);
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(corpus)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        ids.push(v["id"].clone());
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
    }
    // First pass: predictions (and warm-up of the lazily built indexes).
    let t0 = Instant::now();
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    for (id, text) in ids.iter().zip(&texts) {
        let found: Vec<_> = vigil_extract::extract(text)
            .into_iter()
            .map(|f| serde_json::json!({"kind": f.kind.as_str(), "value": f.value}))
            .collect();
        serde_json::to_writer(&mut w, &serde_json::json!({"id": id, "found": found}))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let first = t0.elapsed().as_secs_f64();
    let bytes: usize = texts.iter().map(String::len).sum();
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let mut n_found = 0usize;
    for _ in 0..passes {
        for text in &texts {
            n_found += std::hint::black_box(vigil_extract::extract(text)).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let n = (texts.len() * passes) as f64;
    println!(
        "{}",
        serde_json::json!({
            "texts": texts.len(),
            "passes": passes,
            "avg_bytes": bytes as f64 / texts.len() as f64,
            "seconds": secs,
            "texts_per_s": n / secs,
            "cpu_seconds": cpu,
            "texts_per_cpu_s": cpu.map(|c| n / c),
            "mb_per_s": (bytes * passes) as f64 / secs / 1e6,
            "first_pass_seconds_incl_init_and_output": first,
            "found_per_pass": n_found / passes.max(1),
        })
    );
    Ok(())
}

/// User + system CPU time of this process (Linux `/proc/self/stat`, 100 ticks/s):
/// unlike wall time, not inflated when other work shares the cores.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
