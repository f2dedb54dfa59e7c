//! `vigil extract [--format jsonl|table] [FILE|-]`: finds identifiers in texts.
//!
//! Input, one text per line: either a JSON object `{"id": …, "text": …}` (any line
//! whose first non-blank character is `{`), or plain text, whose id is its line
//! number (from 1). Output, streamed, one line per input line:
//! `{"id": …, "identifiers": [{"kind", "value", "start", "end", …}, …]}` (jsonl), or
//! one tab-separated row per identifier (table: `id kind value start end`).
//!
//! A malformed JSON line (bad JSON, not an object, or no string `text`) is reported
//! on stderr with its line number and skipped; the run goes on, and ends with an
//! error (non-zero exit) saying how many lines were skipped.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde_json::Value;

/// Output format of `vigil extract`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    /// One JSON object per input line.
    Jsonl,
    /// Tab-separated rows, one per identifier: id, kind, value, start, end.
    Table,
}

/// Runs the command over `input` (a file, or stdin when `None` or `-`).
pub fn run(input: Option<PathBuf>, format: ExtractFormat) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = match input {
        Some(p) if p.as_os_str() != "-" => Box::new(BufReader::with_capacity(
            1 << 16,
            File::open(&p).with_context(|| format!("cannot open {}", p.display()))?,
        )),
        _ => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
    };
    let stdout = io::stdout().lock();
    let out = BufWriter::with_capacity(1 << 16, stdout);
    let stderr = io::stderr().lock();
    let skipped = match process(reader, out, stderr, format) {
        Ok(n) => n,
        // `vigil extract … | head`: the reader went away; that is not a failure.
        Err(e) if is_broken_pipe(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    if skipped > 0 {
        anyhow::bail!("{skipped} malformed line(s) skipped (see above)");
    }
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Reads lines from `input`, writes results to `out` and complaints to `err`.
/// Returns how many malformed lines were skipped.
pub fn process(
    input: impl BufRead,
    mut out: impl Write,
    mut err: impl Write,
    format: ExtractFormat,
) -> anyhow::Result<usize> {
    let mut skipped = 0;
    let mut buf = Vec::with_capacity(1024);
    for (n, line) in input.split(b'\n').enumerate() {
        let line_no = n + 1;
        let raw = line.context("cannot read input")?;
        buf.clear();
        buf.extend_from_slice(&raw);
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        let text = String::from_utf8_lossy(&buf);
        let (id, text) = if text.trim_start().starts_with('{') {
            match parse_json_line(&text) {
                Ok(pair) => pair,
                Err(why) => {
                    writeln!(err, "line {line_no}: {why}; skipped")?;
                    skipped += 1;
                    continue;
                }
            }
        } else {
            (Value::from(line_no), text.into_owned())
        };
        let found = vigil_extract::extract(&text);
        match format {
            ExtractFormat::Jsonl => {
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({ "id": id, "identifiers": found }),
                )?;
                out.write_all(b"\n")?;
            }
            ExtractFormat::Table => {
                let id = match &id {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                for f in &found {
                    writeln!(
                        out,
                        "{id}\t{}\t{}\t{}\t{}",
                        f.kind.as_str(),
                        f.value,
                        f.start,
                        f.end
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(skipped)
}

fn parse_json_line(line: &str) -> Result<(Value, String), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON ({e})"))?;
    let Value::Object(mut obj) = v else {
        return Err("not a JSON object".into());
    };
    let text = match obj.remove("text") {
        Some(Value::String(t)) => t,
        _ => return Err("no string field \"text\"".into()),
    };
    Ok((obj.remove("id").unwrap_or(Value::Null), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(input: &str, format: ExtractFormat) -> (String, String, usize) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let skipped = process(input.as_bytes(), &mut out, &mut err, format).unwrap_or(usize::MAX);
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            skipped,
        )
    }

    #[test]
    fn json_lines_and_plain_lines() {
        let input = "{\"id\": \"t1\", \"text\": \"call 012 345 678\"}\nplain @boss_kh99\n{oops\n";
        let (out, err, skipped) = run_on(input, ExtractFormat::Jsonl);
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "t1");
        assert_eq!(lines[0]["identifiers"][0]["kind"], "phone");
        assert_eq!(lines[0]["identifiers"][0]["value"], "+85512345678");
        assert_eq!(lines[0]["identifiers"][0]["start"], 5);
        assert_eq!(lines[1]["id"], 2);
        assert_eq!(lines[1]["identifiers"][0]["value"], "boss_kh99");
        assert!(err.contains("line 3"), "{err}");
        assert_eq!(skipped, 1);
    }

    #[test]
    fn table() {
        let (out, _, _) = run_on("call 012 345 678\n", ExtractFormat::Table);
        assert_eq!(out, "1\tphone\t+85512345678\t5\t16\n");
    }
}
