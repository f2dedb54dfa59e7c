//! Writes everything found in a JSONL corpus, spans and details included, one line
//! per text: compare two builds' output byte for byte.
//!
//! `cargo run --release -p vigil-extract --example dump -- CORPUS > OUT`

use std::io::{BufRead, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::env::args().nth(1).ok_or("usage: dump CORPUS")?;
    let mut w = BufWriter::new(std::io::stdout().lock());
    for line in std::io::BufReader::new(std::fs::File::open(corpus)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let text = v["text"].as_str().unwrap_or_default();
        serde_json::to_writer(&mut w, &vigil_extract::extract(text))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(())
}
