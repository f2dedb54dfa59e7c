//! Search over N synthetic tips (default 1,000,000): builds the index once in
//! `--out` (reused while its size and schema version match), times searches,
//! measures Khmer recall against substring truth and a whitespace tokenizer,
//! and writes `tips-N.tsv` for the SQLite FTS5 peer (`bench/search/fts5.py`).
//!
//! `cargo bench -p vigil-search --bench search -- --n 1000000 --out bench/out/search`

use std::error::Error;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use vigil_search::{IndexDoc, SCHEMA_VERSION, SearchIndex, SearchQuery, tokenizer};

const SEED: u64 = 20_261_126;

type Res<T> = Result<T, Box<dyn Error>>;

fn doc(i: u64) -> IndexDoc {
    let t = vigil_synth::tip(SEED, i);
    let observables = digit_runs(&t.text);
    IndexDoc {
        tip_id: i as i64,
        text: t.text,
        place: None,
        province_code: Some(t.province_code.to_string()),
        district_code: None,
        category: t.category.to_string(),
        status: "new".to_string(),
        received_at_unix: 1_700_000_000 + (i as i64) * 30,
        priority: ((i * 7919) % 1000) as f64 / 1000.0,
        observables,
    }
}

/// Stand-ins for the identifiers core extracts: every run of at least eight
/// ASCII digits, as an exact `phone:` term (the bench does not link the
/// extractor; the query path is the same).
fn digit_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() >= 8)
        .map(|r| format!("phone:{r}"))
        .collect()
}

fn build(dir: &Path, tsv: &Path, n: u64) -> Res<SearchIndex> {
    if let Ok(index) = SearchIndex::open(dir)
        && index.last_seq()? == n
        && tsv.exists()
    {
        eprintln!(
            "reusing index in {} ({} docs)",
            dir.display(),
            index.num_docs()
        );
        return Ok(index);
    }
    let index = SearchIndex::recreate(dir)?;
    let mut out = BufWriter::new(std::fs::File::create(tsv)?);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut w = index.writer_with(threads, 512 << 20)?;
    let start = Instant::now();
    for i in 0..n {
        let d = doc(i);
        writeln!(
            out,
            "{}\t{}\t{}",
            d.tip_id,
            d.province_code.as_deref().unwrap_or(""),
            d.text
        )?;
        w.upsert(&d)?;
        if (i + 1) % 100_000 == 0 {
            w.commit(i + 1)?;
            eprintln!("{} docs, {:.0} s", i + 1, start.elapsed().as_secs_f64());
        }
    }
    w.commit(n)?;
    w.finish()?;
    out.flush()?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "build: {n} tips in {secs:.0} s ({:.0} tips/s, {threads} threads)",
        n as f64 / secs
    );
    Ok(index)
}

/// `s` as a JSON string.
fn js(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

/// A rare term: the longest ASCII digit run of one tip (part of a phone number).
fn rare_term() -> String {
    let text = vigil_synth::tip_text(SEED, 777);
    let mut best = String::new();
    for run in text.split(|c: char| !c.is_ascii_digit()) {
        if run.len() > best.len() {
            best = run.to_string();
        }
    }
    best
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: u64 = arg("--n").map_or(Ok(1_000_000), |s| s.parse())?;
    let iters: usize = arg("--iters").map_or(Ok(300), |s| s.parse())?;
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "bench/out/search".into()));
    std::fs::create_dir_all(&out)?;
    let dir = out.join(format!("index-v{SCHEMA_VERSION}-n{n}"));
    let tsv = out.join(format!("tips-{n}.tsv"));
    let index = build(&dir, &tsv, n)?;

    let rare = rare_term();
    let national = |text: &str| SearchQuery::text(text);
    let mut filtered = SearchQuery::text("telegram");
    filtered.provinces = Some(vec!["18".to_string()]);
    let cases: Vec<(&str, SearchQuery)> = vec![
        ("common", national("telegram")),
        ("rare", national(&rare)),
        ("and", national("passport guards")),
        ("phrase", national("\"armed guards\"")),
        ("prefix", national("pass*")),
        ("filtered", filtered),
        ("khmer_common", national("មនុស្ស")),
        ("identifier", {
            let mut q = national("");
            q.identifiers = vec![vec![format!("phone:{rare}")]];
            q
        }),
        ("common_page_2", {
            let mut q = national("telegram");
            q.after = index.search(&q)?.next;
            q
        }),
        ("newest_page_2", {
            let mut q = national("");
            q.sort = vigil_search::Sort::Newest;
            q.after = index.search(&q)?.next;
            q
        }),
        ("newest_all", {
            let mut q = national("");
            q.sort = vigil_search::Sort::Newest;
            q
        }),
    ];
    let mut json = String::from("{\n  \"queries\": {\n");
    println!("| query | text | total | p50 ms | p99 ms |");
    println!("|---|---|---:|---:|---:|");
    for (k, (name, q)) in cases.iter().enumerate() {
        for _ in 0..5 {
            index.search(q)?;
        }
        let mut times = Vec::with_capacity(iters);
        let mut total = 0;
        for _ in 0..iters {
            let t = Instant::now();
            let r = index.search(q)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            total = r.total;
        }
        times.sort_by(f64::total_cmp);
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        println!("| {name} | `{}` | {total} | {p50:.3} | {p99:.3} |", q.text);
        let provinces = q.provinces.as_ref().map_or(String::new(), |p| p.join(","));
        json.push_str(&format!(
            "    \"{name}\": {{\"text\": {}, \"provinces\": {}, \"total\": {total}, \"p50_ms\": {p50:.4}, \"p99_ms\": {p99:.4}}}{}\n",
            js(&q.text),
            js(&provinces),
            if k + 1 < cases.len() { "," } else { "" }
        ));
    }
    json.push_str("  },\n  \"recall\": {\n");

    // Khmer recall: truth is "the tip's text contains the word" (each word
    // below only ever occurs as a whole word in the generator's sentences).
    let words = [
        "មនុស្ស",
        "អគារ",
        "លិខិតឆ្លងដែន",
        "កម្មករ",
        "បោកប្រាស់",
        "កាំភ្លើង",
        "ឆ្មាំ",
        "ក្រុមហ៊ុន",
        "មិត្តភក្តិ",
        "ម្សិលមិញ",
        "ប្រាក់ខែ",
        "គោលដៅ",
        "ព្រះសីហនុ",
        "ប៉ោយប៉ែត",
        "ច្រកចូល",
        "ឃុំខ្លួន",
        "អនឡាញ",
        "ការងារ",
        "ទាក់ទង",
        "យប់",
    ];
    let mut truth = vec![0usize; words.len()];
    let mut spaced = vec![0usize; words.len()];
    for i in 0..n {
        let text = vigil_synth::tip_text(SEED, i);
        if !text.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c)) {
            continue;
        }
        // The unsegmented baseline: words are whatever lies between spaces
        // and punctuation (what FTS5's unicode61 or a whitespace tokenizer sees).
        let chunks: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '។' || c.is_ascii_punctuation())
            .map(tokenizer::normalise)
            .collect();
        for (k, w) in words.iter().enumerate() {
            if text.contains(w) {
                truth[k] += 1;
                if chunks.iter().any(|c| c == w) {
                    spaced[k] += 1;
                }
            }
        }
    }
    println!("\n| Khmer word | tips containing it | vigil recall | whitespace recall |");
    println!("|---|---:|---:|---:|");
    let (mut sum_t, mut sum_v, mut sum_s) = (0usize, 0usize, 0usize);
    for (k, w) in words.iter().enumerate() {
        let mut q = SearchQuery::text(w);
        q.limit = 0;
        let found = index.search(&q)?.total;
        sum_t += truth[k];
        sum_v += found;
        sum_s += spaced[k];
        let pct = |x: usize| 100.0 * x as f64 / truth[k].max(1) as f64;
        println!(
            "| {w} | {} | {:.1}% | {:.1}% |",
            truth[k],
            pct(found),
            pct(spaced[k])
        );
        json.push_str(&format!(
            "    {}: {{\"truth\": {}, \"vigil\": {found}, \"whitespace\": {}}}{}\n",
            js(w),
            truth[k],
            spaced[k],
            if k + 1 < words.len() { "," } else { "" }
        ));
    }
    let pct = |x: usize| 100.0 * x as f64 / sum_t.max(1) as f64;
    println!(
        "| **all** | {sum_t} | {:.1}% | {:.1}% |",
        pct(sum_v),
        pct(sum_s)
    );
    json.push_str("  }\n}\n");
    std::fs::write(out.join(format!("rust-{n}.json")), json)?;
    Ok(())
}
