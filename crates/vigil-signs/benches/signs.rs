//! `cargo bench -p vigil-signs`: precision and recall on the labelled corpus,
//! and throughput of `Rules::find` on the corpus repeated at two sizes (16× and
//! 128×), against the naive peer `Rules::find_each_pattern` (every pattern's
//! regex run alone) in the same run.

#[path = "../tests/support/corpus.rs"]
#[allow(missing_docs)]
mod corpus;

use std::hint::black_box;
use std::time::Instant;

use corpus::{FILES, Message, Score, load};
use vigil_signs::Rules;

const SMALL: usize = 16;
const LARGE: usize = 128;

/// Messages per second and MB per second of `f` over `msgs` repeated `times`,
/// the best of three runs (the machine is shared).
fn throughput(msgs: &[Message], times: usize, f: &dyn Fn(&str) -> usize) -> (f64, f64) {
    let bytes: usize = msgs.iter().map(|m| m.text.len()).sum::<usize>() * times;
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let mut n = 0;
        for _ in 0..times {
            for m in msgs {
                n += f(black_box(&m.text));
            }
        }
        black_box(n);
        best = best.min(start.elapsed().as_secs_f64().max(1e-9));
    }
    (
        (msgs.len() * times) as f64 / best,
        bytes as f64 / best / 1e6,
    )
}

fn main() {
    let start = Instant::now();
    let rules = match Rules::embedded() {
        Ok(r) => r,
        Err(e) => panic!("embedded rules: {e}"),
    };
    println!(
        "Rules::embedded() (read, check, compile): {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut all_msgs = Vec::new();
    let mut rows = Vec::new();
    let mut total = Score::default();
    let mut held_out = Score::default();
    let mut held_out_msgs = Vec::new();
    for (lang, src) in FILES {
        let msgs = load(src);
        let mut score = Score::default();
        for m in &msgs {
            let found: Vec<&str> = rules.find(&m.text).iter().map(|h| h.sign).collect();
            score.add(&m.signs, &found);
            if m.set == "held-out" {
                held_out.add(&m.signs, &found);
                held_out_msgs.push(m.clone());
            }
        }
        total.merge(score);
        rows.push((lang.to_string(), score, msgs.clone()));
        all_msgs.extend(msgs);
    }
    rows.push(("all".to_string(), total, all_msgs));
    rows.push(("held-out".to_string(), held_out, held_out_msgs));
    let combined = |t: &str| rules.find(t).len();
    let naive = |t: &str| rules.find_each_pattern(t).len();
    let bytes: usize = rows
        .iter()
        .filter(|r| r.0 == "all")
        .flat_map(|r| r.2.iter())
        .map(|m| m.text.len())
        .sum();
    println!(
        "rules {} | corpus {bytes} bytes | sizes: corpus ×{SMALL} and ×{LARGE}, best of 3 | Rules::find vs the naive peer (each pattern alone)",
        rules.version()
    );
    println!(
        "| lang | messages | signs expected | precision | recall | msg/s ×{SMALL} | MB/s ×{SMALL} | msg/s ×{LARGE} | MB/s ×{LARGE} | naive msg/s ×{LARGE} | naive MB/s ×{LARGE} | speed-up |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (lang, score, msgs) in &rows {
        let (ms, bs) = throughput(msgs, SMALL, &combined);
        let (ml, bl) = throughput(msgs, LARGE, &combined);
        let (mn, bn) = throughput(msgs, LARGE, &naive);
        println!(
            "| {lang} | {} | {} | {:.3} | {:.3} | {ms:.0} | {bs:.2} | {ml:.0} | {bl:.2} | {mn:.0} | {bn:.2} | {:.1}× |",
            score.messages,
            score.expected,
            score.precision(),
            score.recall(),
            ml / mn.max(1e-9),
        );
    }
}
