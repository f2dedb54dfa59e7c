//! Writes synthetic tips about known facilities as a hotline import file
//! (`vigil import tips`) and their ground truth.
//!
//! `cargo run --release -p vigil-synth --example hotline_jsonl -- N SEED TIPS.jsonl TRUTH.tsv`
//!
//! The generator's commune and village codes are shaped like the gazetteer's
//! but drawn at random, so each is mapped here onto a real unit of the same
//! province (the n-th district, commune and village, by the generator's digits),
//! as an operator picking from the gazetteer would record it.

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
    let g = vigil_domain::gazetteer::gazetteer();
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
            "commune_code": t.commune_code.as_deref().and_then(|c| g.descend(c)).map(|u| &u.code),
            "village_code": t.village_code.as_deref().and_then(|v| g.descend(v)).map(|u| &u.code),
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
