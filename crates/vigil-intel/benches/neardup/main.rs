//! Near-duplicate text: speed (texts/s on one core) and recall/precision against exact
//! all-pairs Jaccard on a sample.
//!
//! `cargo bench -p vigil-intel --bench neardup -- [--n 10000] [--seed 1]
//! [--sample 4000] [--corpus synth|varied] [--repeat 3] [--out bench/out/neardup]`
//!
//! Corpora: `synth` is the texts of `vigil_synth::facilities::tips(seed, n)` (templated,
//! five languages); `varied` is random words drawn from that corpus's vocabulary, a
//! third of them edited copies of an earlier text (each word replaced, dropped or
//! doubled with a rate drawn per copy from 2–45 %), so similarities spread over the
//! whole 0–1 range without shared template sentences.
//!
//! It prints the figures and writes `texts.txt`, `exact_pairs.txt` (the sample size,
//! then one exact pair at J ≥ threshold per line) and `vigil.json` to `--out`, for the
//! Python `datasketch` peer (`bench/neardup/run.sh`).

use std::io::Write;
use std::time::Instant;

use vigil_intel::{NearDupConfig, NearDupIndex, Sketch, Sketcher, near_duplicates, text::jaccard};
use vigil_synth::Rng;
use vigil_synth::facilities::tips;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

/// Random-word texts with edited copies (see the module doc).
fn varied(seed: u64, n: usize) -> Vec<String> {
    let mut vocab: Vec<String> = tips(seed.wrapping_add(100), 2000)
        .iter()
        .flat_map(|t| {
            t.text
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    vocab.sort();
    vocab.dedup();
    let mut rng = Rng::new(seed ^ 0xBADC_0FFE);
    let mut out: Vec<String> = Vec::with_capacity(n);
    while out.len() < n {
        if !out.is_empty() && rng.below(3) == 0 {
            let src = out[rng.below(out.len())].clone();
            let rate = rng.range(2, 46);
            let mut words = Vec::new();
            for w in src.split(' ') {
                if rng.below(100) >= rate {
                    words.push(w.to_string());
                    continue;
                }
                match rng.below(3) {
                    0 => words.push(vocab[rng.below(vocab.len())].clone()),
                    1 => {}
                    _ => {
                        words.push(w.to_string());
                        words.push(vocab[rng.below(vocab.len())].clone());
                    }
                }
            }
            out.push(words.join(" "));
        } else {
            let len = rng.range(15, 60);
            let words: Vec<&str> = (0..len)
                .map(|_| vocab[rng.below(vocab.len())].as_str())
                .collect();
            out.push(words.join(" "));
        }
    }
    out
}

/// CPU time of this thread in seconds (Linux `/proc/thread-self/schedstat`; 0 where
/// that is missing).
fn thread_cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = arg(&args, "--n", "10000").parse()?;
    let seed: u64 = arg(&args, "--seed", "1").parse()?;
    let sample: usize = arg(&args, "--sample", "4000").parse()?;
    let repeat: usize = arg(&args, "--repeat", "3").parse()?;
    let corpus = arg(&args, "--corpus", "synth");
    let out_dir = std::path::PathBuf::from(arg(&args, "--out", "bench/out/neardup"));
    let texts_owned: Vec<String> = match corpus.as_str() {
        "synth" => tips(seed, n).into_iter().map(|t| t.text).collect(),
        "varied" => varied(seed, n),
        other => return Err(format!("unknown corpus {other}").into()),
    };
    let texts: Vec<(i64, &str)> = texts_owned
        .iter()
        .enumerate()
        .map(|(i, t)| (i as i64, t.as_str()))
        .collect();
    let mut nd = NearDupConfig::default();
    nd.bands = arg(&args, "--bands", &nd.bands.to_string()).parse()?;
    nd.rows = arg(&args, "--rows", &nd.rows.to_string()).parse()?;
    nd.max_bucket_checks = arg(&args, "--cap", &nd.max_bucket_checks.to_string()).parse()?;

    // Speed: the median of `repeat` runs over all texts (one thread), wall clock and
    // this thread's CPU time (the machine may be shared).
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut found = 0;
    for _ in 0..repeat.max(1) {
        let c = thread_cpu_s();
        let t = Instant::now();
        found = near_duplicates(&texts, &nd).len();
        times.push(t.elapsed().as_secs_f64());
        cpu_times.push(thread_cpu_s() - c);
    }
    times.sort_by(f64::total_cmp);
    cpu_times.sort_by(f64::total_cmp);
    let s = times[times.len() / 2];
    let cpu = cpu_times[cpu_times.len() / 2];
    // The share of that spent sketching, and the work of the index.
    let sketcher = Sketcher::new(&nd);
    let c = thread_cpu_s();
    let mut one = Sketch::default();
    for (_, t) in &texts {
        sketcher.sketch_into(t, &mut one);
    }
    let sketch_cpu = thread_cpu_s() - c;
    let sketches: Vec<_> = texts.iter().map(|(_, t)| sketcher.sketch(t)).collect();
    let shingles: usize = sketches.iter().map(|s| s.shingles.len()).sum();
    let mut index = NearDupIndex::new(&nd);
    for (id, t) in &texts {
        index.insert(*id, t);
    }
    let stats = index.stats();

    // Quality: exact all-pairs Jaccard on the sample.
    let sample = texts.len().min(sample);
    let sets: Vec<_> = sketches[..sample].iter().map(|s| &s.shingles).collect();
    let mut exact = Vec::new();
    let mut hist = [0u64; 20];
    let profile = args.iter().any(|a| a == "--profile");
    // J ≤ min/max: without the histogram, skip pairs that cannot reach the threshold.
    let floor = if profile { 0.1 } else { nd.threshold };
    for i in 0..sample {
        for j in i + 1..sample {
            let (a, b) = (sets[i].len(), sets[j].len());
            if a == 0 || b == 0 || (a.min(b) as f64) < floor * a.max(b) as f64 {
                continue;
            }
            let jac = jaccard(sets[i], sets[j]);
            hist[((jac * 20.0) as usize).min(19)] += 1;
            if jac >= nd.threshold {
                exact.push((i as i64, j as i64));
            }
        }
    }
    let got: Vec<(i64, i64)> = near_duplicates(&texts[..sample], &nd)
        .iter()
        .map(|p| (p.a, p.b))
        .collect();
    let hit = exact
        .iter()
        .filter(|p| got.binary_search(p).is_ok())
        .count();
    let correct = got
        .iter()
        .filter(|p| exact.binary_search(p).is_ok())
        .count();
    let recall = hit as f64 / exact.len().max(1) as f64;
    let precision = correct as f64 / got.len().max(1) as f64;
    let tps = texts.len() as f64 / s;
    let tpc = texts.len() as f64 / cpu;
    println!(
        "Vigil near-duplicates, corpus {corpus} (seed {seed}, {} bands × {} rows, cap {}): {} texts in {s:.3} s wall ({tps:.0} texts/s), {cpu:.3} s CPU ({tpc:.0} texts per CPU-second; one thread, median of {}), {found} pairs at J≥{}.\n  Sketching alone {sketch_cpu:.3} s CPU ({:.0} shingles/text); index: {stats:?}.\n  Sample of {sample}: {} exact pairs, recall {recall:.4}, precision {precision:.4}.",
        nd.bands,
        nd.rows,
        nd.max_bucket_checks,
        texts.len(),
        times.len(),
        nd.threshold,
        shingles as f64 / texts.len().max(1) as f64,
        exact.len(),
    );
    if profile {
        eprintln!("exact J histogram of the sample (0.05 steps, pairs with J ≥ 0.1 possible):");
        for (k, c) in hist.iter().enumerate() {
            eprintln!("  {:.2}–{:.2}: {c}", k as f64 / 20.0, (k + 1) as f64 / 20.0);
        }
        // Expected LSH candidates for a few band/row choices, from the histogram.
        for (b, r) in [(21, 3), (32, 4), (48, 5), (64, 5), (100, 6), (128, 6)] {
            let mut cand = 0.0;
            let mut rec = (0.0, 0.0);
            for (k, &c) in hist.iter().enumerate() {
                let j = (k as f64 + 0.5) / 20.0;
                let p = 1.0 - (1.0 - j.powi(r)).powi(b);
                cand += c as f64 * p;
                if j >= 0.5 {
                    rec.0 += c as f64 * p;
                    rec.1 += c as f64;
                }
            }
            eprintln!(
                "  {b} bands × {r} rows: ~{cand:.0} candidates in the sample, recall ~{:.3}",
                rec.0 / rec.1.max(1.0)
            );
        }
    }
    std::fs::create_dir_all(&out_dir)?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out_dir.join("texts.txt"))?);
    for (_, t) in &texts {
        writeln!(f, "{}", t.replace('\n', " "))?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(out_dir.join("exact_pairs.txt"))?);
    writeln!(f, "{sample}")?;
    for (a, b) in &exact {
        writeln!(f, "{a} {b}")?;
    }
    let summary = format!(
        "{{\"corpus\": \"{corpus}\", \"texts\": {}, \"seconds\": {s}, \"texts_per_s\": {tps}, \"cpu_s\": {cpu}, \"texts_per_cpu_s\": {tpc}, \"pairs\": {found}, \"sample\": {sample}, \"exact_pairs\": {}, \"recall\": {recall}, \"precision\": {precision}}}\n",
        texts.len(),
        exact.len()
    );
    std::fs::write(out_dir.join("vigil.json"), summary)?;
    Ok(())
}
