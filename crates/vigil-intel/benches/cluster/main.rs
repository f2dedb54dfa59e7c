//! Clustering quality and speed against the ground truth of
//! `vigil_synth::facilities`, and near-duplicate speed and recall.
//!
//! `cargo bench -p vigil-intel --bench cluster -- [--n 20000] [--seeds 1,2,3]
//! [--big 100000] [--out bench/out/cluster]`
//!
//! For each seed: extract identifiers (`vigil-extract`), cluster (`vigil-intel`),
//! score pairwise precision and recall against the truth; then the same clustering
//! with hub detection replaced by "ignore values seen more than N times" for a sweep
//! of N. Then the time of one full recluster of `--big` tips, and the near-duplicate
//! index on the texts of the first seed (throughput on all; recall against exact
//! all-pairs Jaccard on a sample). The texts and the exact pairs of the sample are
//! written to `--out` for the Python `datasketch` peer (`bench/cluster/run.sh`).

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use vigil_domain::{Category, DangerFlags};
use vigil_intel::{
    ClusterConfig, Ident, NearDupConfig, Overrides, Sketcher, TipFacts, cluster, idents_from_text,
    near_duplicates, text::jaccard,
};
use vigil_synth::facilities::{FacilityTip, tips};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn facts(i: usize, t: &FacilityTip) -> TipFacts {
    let mut identifiers = idents_from_text(&t.text);
    if let Some(p) = &t.place {
        identifiers.extend(idents_from_text(p));
    }
    TipFacts {
        id: i as i64 + 1,
        received_at_unix: t.received_at_unix,
        category: Category::parse(t.category).unwrap_or(Category::Other),
        province_code: t.province_code.clone(),
        district_code: None,
        commune_code: t.commune_code.clone(),
        village_code: t.village_code.clone(),
        place: t.place.clone(),
        lat: t.lat,
        lon: t.lon,
        text: t.text.clone(),
        identifiers,
        danger: DangerFlags {
            held: t.danger[0],
            passports_taken: t.danger[1],
            violence: t.danger[2],
            children: t.danger[3],
        },
        photos: t.photos,
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pairwise precision and recall of `pred` (clusters of tip ids) against `truth`.
fn score(pred: &[Vec<i64>], truth: &[Option<u32>]) -> (f64, f64) {
    let mut cells: HashMap<(usize, u32), u64> = HashMap::new();
    let mut true_sizes: HashMap<u32, u64> = HashMap::new();
    for f in truth.iter().flatten() {
        *true_sizes.entry(*f).or_default() += 1;
    }
    let mut pred_pairs = 0;
    for (c, tips) in pred.iter().enumerate() {
        pred_pairs += pairs(tips.len() as u64);
        for &t in tips {
            if let Some(f) = truth[(t - 1) as usize] {
                *cells.entry((c, f)).or_default() += 1;
            }
        }
    }
    let tp: u64 = cells.values().map(|&n| pairs(n)).sum();
    let true_pairs: u64 = true_sizes.values().map(|&n| pairs(n)).sum();
    (
        tp as f64 / pred_pairs.max(1) as f64,
        tp as f64 / true_pairs.max(1) as f64,
    )
}

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = arg(&args, "--n", "20000").parse()?;
    let big: usize = arg(&args, "--big", "100000").parse()?;
    let out_dir = std::path::PathBuf::from(arg(&args, "--out", "bench/out/cluster"));
    let seeds: Vec<u64> = arg(&args, "--seeds", "1,2,3")
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let show: usize = arg(&args, "--show", "0").parse()?;
    for t in tips(1, 200).iter().take(show) {
        eprintln!(
            "{:?} {:?} {:?} {:?}\n  {}",
            t.facility, t.commune_code, t.place, t.lat, t.text
        );
    }
    let mut config = ClusterConfig::default();
    if args.iter().any(|a| a == "--no-text") {
        config.text_link_jaccard = 2.0;
    }
    if args.iter().any(|a| a == "--no-place") {
        config.place_similarity = 2.0;
    }
    if args.iter().any(|a| a == "--no-geo") {
        config.radius_m = 0.0;
    }
    if args.iter().any(|a| a == "--jhist") {
        let synth = tips(1, n);
        let texts: Vec<(i64, &str)> = synth
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64, t.text.as_str()))
            .collect();
        let mut hist = [[0usize; 10]; 2];
        for p in near_duplicates(&texts, &NearDupConfig::default()) {
            let same = synth[p.a as usize].facility.is_some()
                && synth[p.a as usize].facility == synth[p.b as usize].facility;
            hist[usize::from(same)][((p.jaccard * 10.0) as usize).min(9)] += 1;
        }
        eprintln!(
            "J histogram (deciles) different facility: {:?}\nsame facility: {:?}",
            hist[0], hist[1]
        );
    }
    println!("## Clustering quality ({n} tips per seed)\n");
    println!(
        "| seed | facilities | noise tips | Vigil P | Vigil R | hubs | extract s | cluster s | best cut-off (P≥0.95) | its R | best cut-off (R≥0.90) | its P |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|");
    let mut first_texts = Vec::new();
    for &seed in &seeds {
        let synth = tips(seed, n);
        let truth: Vec<Option<u32>> = synth.iter().map(|t| t.facility).collect();
        let t0 = Instant::now();
        let all: Vec<TipFacts> = synth.iter().enumerate().map(|(i, t)| facts(i, t)).collect();
        let extract_s = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let out = cluster(&all, &config, &Overrides::default());
        let cluster_s = t1.elapsed().as_secs_f64();
        let pred: Vec<Vec<i64>> = out.clusters.iter().map(|c| c.tips.clone()).collect();
        let (p, r) = score(&pred, &truth);
        // The cut-off sweep: no detection, values seen more than N times ignored.
        let mut counts: HashMap<Ident, usize> = HashMap::new();
        for t in &all {
            let mut ids = t.identifiers.clone();
            ids.dedup();
            for i in ids {
                *counts.entry(i).or_default() += 1;
            }
        }
        let mut cut_cfg = config.clone();
        cut_cfg.hubs.min_support = usize::MAX;
        let mut best_p: Option<(usize, f64, f64)> = None;
        let mut best_r: Option<(usize, f64, f64)> = None;
        let mut sweep = Vec::new();
        for cut in [2, 3, 5, 10, 20, 30, 50, 1_000_000] {
            let force_hub: Vec<Ident> = counts
                .iter()
                .filter(|(_, c)| **c > cut)
                .map(|(i, _)| i.clone())
                .collect();
            let o = Overrides {
                force_hub,
                ..Overrides::default()
            };
            let res = cluster(&all, &cut_cfg, &o);
            let pc: Vec<Vec<i64>> = res.clusters.iter().map(|c| c.tips.clone()).collect();
            let (cp, cr) = score(&pc, &truth);
            sweep.push((cut, cp, cr));
            if cp >= 0.95 && best_p.is_none_or(|b| cr > b.2) {
                best_p = Some((cut, cp, cr));
            }
            if cr >= 0.90 && best_r.is_none_or(|b| cp > b.1) {
                best_r = Some((cut, cp, cr));
            }
        }
        let facilities = truth
            .iter()
            .flatten()
            .collect::<std::collections::HashSet<_>>()
            .len();
        let noise = truth.iter().filter(|t| t.is_none()).count();
        let show = |b: Option<(usize, f64, f64)>, p_first: bool| match b {
            Some((c, bp, br)) => format!("N={c} | {:.4}", if p_first { br } else { bp }),
            None => "none | –".to_string(),
        };
        println!(
            "| {seed} | {facilities} | {noise} | **{p:.4}** | **{r:.4}** | {} | {extract_s:.2} | {cluster_s:.3} | {} | {} |",
            out.hubs.len(),
            show(best_p, true),
            show(best_r, false)
        );
        eprintln!("seed {seed} sweep (N, P, R): {sweep:?}");
        let mut views: HashMap<String, usize> = HashMap::new();
        for h in &out.hubs {
            *views
                .entry(format!("{:?}/{}", h.verdict.view, h.ident.kind))
                .or_default() += 1;
        }
        eprintln!("seed {seed} hubs by view/kind: {views:?}");
        if first_texts.is_empty() {
            first_texts = synth.iter().map(|t| t.text.clone()).collect();
        }
    }

    // One full recluster of `big` tips.
    let synth = tips(seeds.first().copied().unwrap_or(1), big);
    let all: Vec<TipFacts> = synth.iter().enumerate().map(|(i, t)| facts(i, t)).collect();
    let t = Instant::now();
    let out = cluster(&all, &config, &Overrides::default());
    let s = t.elapsed().as_secs_f64();
    println!(
        "\nFull recluster of {big} tips: {s:.2} s ({:.0} tips/s), {} clusters, {} hubs.",
        big as f64 / s,
        out.clusters.len(),
        out.hubs.len()
    );

    // Near-duplicates.
    let nd = NearDupConfig::default();
    let texts: Vec<(i64, &str)> = first_texts
        .iter()
        .enumerate()
        .map(|(i, t)| (i as i64, t.as_str()))
        .collect();
    let t = Instant::now();
    let found = near_duplicates(&texts, &nd);
    let s = t.elapsed().as_secs_f64();
    let sample = texts.len().min(4000);
    let sketcher = Sketcher::new(&nd);
    let sets: Vec<Vec<u32>> = texts[..sample]
        .iter()
        .map(|(_, t)| sketcher.sketch(t).shingles)
        .collect();
    let mut exact = Vec::new();
    for i in 0..sample {
        for j in i + 1..sample {
            if !sets[i].is_empty() && jaccard(&sets[i], &sets[j]) >= nd.threshold {
                exact.push((i as i64, j as i64));
            }
        }
    }
    let got: std::collections::HashSet<(i64, i64)> = near_duplicates(&texts[..sample], &nd)
        .iter()
        .map(|p| (p.a, p.b))
        .collect();
    let hit = exact.iter().filter(|p| got.contains(p)).count();
    let correct = got
        .iter()
        .filter(|p| exact.binary_search(p).is_ok())
        .count();
    println!(
        "\nNear-duplicates: {} texts in {s:.3} s = {:.0} texts/s (one core), {} pairs at J≥{}; on a sample of {sample}: {} exact pairs, recall {:.4}, precision {:.4}.",
        texts.len(),
        texts.len() as f64 / s,
        found.len(),
        nd.threshold,
        exact.len(),
        hit as f64 / exact.len().max(1) as f64,
        correct as f64 / got.len().max(1) as f64
    );
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
        "{{\"texts\": {}, \"seconds\": {s}, \"texts_per_s\": {}}}\n",
        texts.len(),
        texts.len() as f64 / s
    );
    std::fs::write(out_dir.join("vigil_neardup.json"), summary)?;
    Ok(())
}
