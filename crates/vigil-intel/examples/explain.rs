//! Diagnostic: which links make the false merges on the synthetic corpus.
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
    let mut bad: Vec<(u64, usize)> = Vec::new();
    for (ci, cl) in c.clusters.iter().enumerate() {
        let mut cnt: HashMap<Option<u32>, u64> = HashMap::new();
        for &t in &cl.tips {
            *cnt.entry(synth[(t - 1) as usize].facility).or_default() += 1;
        }
        let total = cl.tips.len() as u64;
        let good: u64 = cnt.iter().filter(|(k, _)| k.is_some()).map(|(_, &v)| v * (v - 1) / 2).sum();
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
            cnt.entry(synth[(t - 1) as usize].facility).or_default().push(t);
        }
        let mut v: Vec<_> = cnt.iter().map(|(k, t)| (t.len(), *k)).collect();
        v.sort_by(|a, b| b.cmp(a));
        println!("\ncluster {} tips, false pairs {fp}: facilities {:?}", cl.tips.len(), v);
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
