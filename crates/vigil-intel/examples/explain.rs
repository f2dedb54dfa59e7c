//! Diagnostics for clustering on the synthetic corpus (`vigil-synth`): values
//! judged hubs that belong to one facility, tips left out of their facility
//! (by what they carry), and the links of the clusters with the most false pairs.
//!
//! `cargo run --release -p vigil-intel --example explain -- [N] [SEED]`
use std::collections::HashMap;
use vigil_domain::{Category, DangerFlags};
use vigil_intel::{ClusterConfig, Overrides, TipFacts, cluster, idents_from_text};
use vigil_synth::facilities::tips;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let synth = tips(seed, n);
    let facts: Vec<TipFacts> = synth
        .iter()
        .enumerate()
        .map(|(i, t)| {
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
                danger: DangerFlags::default(),
                photos: 0,
            }
        })
        .collect();
    let c = cluster(&facts, &ClusterConfig::default(), &Overrides::default());
    // Hubs whose tips are (mostly) one facility.
    for h in &c.hubs {
        let mut fs: HashMap<Option<u32>, usize> = HashMap::new();
        for (i, f) in facts.iter().enumerate() {
            if f.identifiers.contains(&h.ident) {
                *fs.entry(synth[i].facility).or_default() += 1;
            }
        }
        let mut v: Vec<_> = fs.into_iter().map(|(k, n)| (n, k)).collect();
        v.sort_by(|a, b| b.cmp(a));
        if v.len() == 1 || v[1].0 * 10 < v[0].0 {
            println!("false hub? {} {:?} {:?}", h.ident, h.verdict, v);
        }
    }
    // Missed pairs: for facilities split in several clusters, the pieces.
    let mut of: HashMap<i64, usize> = HashMap::new();
    for (ci, cl) in c.clusters.iter().enumerate() {
        for &t in &cl.tips {
            of.insert(t, ci);
        }
    }
    let mut by_f: HashMap<u32, Vec<i64>> = HashMap::new();
    for (i, t) in synth.iter().enumerate() {
        if let Some(f) = t.facility {
            by_f.entry(f).or_default().push(i as i64 + 1);
        }
    }
    let mut missed: Vec<(u64, u32)> = Vec::new();
    for (f, ts) in &by_f {
        let mut pieces: HashMap<usize, u64> = HashMap::new();
        for t in ts {
            *pieces.entry(of[t]).or_default() += 1;
        }
        let n = ts.len() as u64;
        let got: u64 = pieces.values().map(|&k| k * (k - 1) / 2).sum();
        missed.push((n * (n - 1) / 2 - got, *f));
    }
    missed.sort_by(|a, b| b.cmp(a));
    let mut cats: HashMap<String, (usize, u64)> = HashMap::new();
    for (f, ts) in &by_f {
        let mut pieces: HashMap<usize, u64> = HashMap::new();
        for t in ts {
            *pieces.entry(of[t]).or_default() += 1;
        }
        let main = pieces
            .iter()
            .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
            .map(|(c, _)| *c);
        let big = main.map_or(0, |m| pieces[&m]);
        for t in ts {
            if Some(of[t]) != main {
                let ft = &facts[(*t - 1) as usize];
                let ids = ft
                    .identifiers
                    .iter()
                    .any(|i| !matches!(i.kind, vigil_extract::Kind::Place));
                let key = format!(
                    "ids={} placefield={} commune={} point={} province={}",
                    ids,
                    ft.place.is_some(),
                    ft.commune().is_some(),
                    ft.point().is_some(),
                    ft.province().is_some()
                );
                let e = cats.entry(key).or_default();
                e.0 += 1;
                e.1 += big;
            }
        }
        let _ = f;
    }
    let mut cv: Vec<_> = cats.into_iter().collect();
    cv.sort_by_key(|c| std::cmp::Reverse(c.1.1));
    for c in cv {
        println!("stray {:?}", c);
    }
    println!("missed pairs {}", missed.iter().map(|m| m.0).sum::<u64>());
    for (m, f) in missed.iter().take(4) {
        println!("\nfacility {f}: missed {m}");
        let mut pieces: HashMap<usize, Vec<i64>> = HashMap::new();
        for t in &by_f[f] {
            pieces.entry(of[t]).or_default().push(*t);
        }
        let mut ps: Vec<_> = pieces.into_values().collect();
        ps.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for p in ps.iter().skip(1).take(5) {
            for &t in p {
                let ft = &facts[(t - 1) as usize];
                let ids: Vec<String> = ft.identifiers.iter().map(|i| i.to_string()).collect();
                println!(
                    "  piece of {}: tip {t} prov {:?} comm {:?} vil {:?} place {:?} pt {:?} ids {:?} | {}",
                    p.len(),
                    ft.province_code,
                    ft.commune_code,
                    ft.village_code,
                    ft.place,
                    ft.point(),
                    ids,
                    ft.text.chars().take(80).collect::<String>()
                );
            }
        }
    }
    let mut bad: Vec<(u64, usize)> = Vec::new();
    for (ci, cl) in c.clusters.iter().enumerate() {
        let mut cnt: HashMap<Option<u32>, u64> = HashMap::new();
        for &t in &cl.tips {
            *cnt.entry(synth[(t - 1) as usize].facility).or_default() += 1;
        }
        let total = cl.tips.len() as u64;
        let good: u64 = cnt
            .iter()
            .filter(|(k, _)| k.is_some())
            .map(|(_, &v)| v * (v - 1) / 2)
            .sum();
        let fp = total * (total - 1) / 2 - good;
        if fp > 0 {
            bad.push((fp, ci));
        }
    }
    bad.sort_by(|a, b| b.cmp(a));
    let allfp: u64 = bad.iter().map(|b| b.0).sum();
    println!("false pairs {allfp}");
    for (fp, ci) in bad.iter().take(6) {
        let cl = &c.clusters[*ci];
        let mut cnt: HashMap<Option<u32>, Vec<i64>> = HashMap::new();
        for &t in &cl.tips {
            cnt.entry(synth[(t - 1) as usize].facility)
                .or_default()
                .push(t);
        }
        let mut v: Vec<_> = cnt.iter().map(|(k, t)| (t.len(), *k)).collect();
        v.sort_by(|a, b| b.cmp(a));
        println!(
            "\ncluster {} tips, false pairs {fp}: facilities {:?}",
            cl.tips.len(),
            v
        );
        for l in cl.links.iter().take(25) {
            // which facilities carry this key
            let mut fs: HashMap<Option<u32>, usize> = HashMap::new();
            if !l.key.is_empty() {
                for &t in &cl.tips {
                    let f = &facts[(t - 1) as usize];
                    if f.identifiers.iter().any(|i| i.to_string() == l.key) {
                        *fs.entry(synth[(t - 1) as usize].facility).or_default() += 1;
                    }
                }
            }
            let mut fs: Vec<_> = fs.into_iter().collect();
            fs.sort();
            println!("  {:?} {} {} {:?}", l.rule, l.key, l.tips, fs);
        }
    }
}
