//! Writes synthetic tips about known facilities as a hotline import file
//! (`vigil import tips`) and their ground truth.
//!
//! `cargo run --release -p vigil-synth --example hotline_jsonl -- N SEED TIPS.jsonl TRUTH.tsv`
//!
//! The generator's commune and village codes are synthetic, so the file
//! carries the province, the place description and the coordinates only.

use std::io::Write;

use time::format_description::well_known::Rfc3339;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(seed), Some(tips_path), Some(truth_path)) =
        (args.get(1), args.get(2), args.get(3), args.get(4))
    else {
        return Err("usage: hotline_jsonl N SEED TIPS.jsonl TRUTH.tsv".into());
    };
    let tips = vigil_synth::facilities::tips(seed.parse()?, n.parse()?);
    let mut out = std::io::BufWriter::new(std::fs::File::create(tips_path)?);
    let mut truth = std::io::BufWriter::new(std::fs::File::create(truth_path)?);
    for (i, t) in tips.iter().enumerate() {
        let reference = format!("S-{i:06}");
        let received =
            time::OffsetDateTime::from_unix_timestamp(t.received_at_unix)?.format(&Rfc3339)?;
        let line = serde_json::json!({
            "ref": reference,
            "text": t.text,
            "category": t.category,
            "province_code": t.province_code,
            "place": t.place,
            "lat": t.lat,
            "lon": t.lon,
            "received_at": received,
            "channel": "hotline",
        });
        writeln!(out, "{line}")?;
        match t.facility {
            Some(f) => writeln!(truth, "{reference}\t{f}")?,
            None => writeln!(truth, "{reference}\t-")?,
        }
    }
    out.flush()?;
    truth.flush()?;
    Ok(())
}
