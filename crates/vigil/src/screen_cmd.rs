//! `vigil screen [--policy FILE] [--watchlist FILE] [--data-dir DIR] --format jsonl [FILE|-]`:
//! screens a batch of travellers without storing anything — to try a policy
//! version on past cases. The watchlist is the file given, else the one built
//! from the intelligence in the store (`vigil_core::screening`, everything
//! named: the operator has the data directory), else none when there is no
//! store yet.
//!
//! Input: one traveller per line (JSON, the fields `vigil_screening::Traveller`
//! reads); blank lines are skipped. Output, one line per traveller:
//! `{"ref", "outcome", "score", "reasons": [{"code", "weight", "evidence"}], "policy"}`.
//! A refused line gives `{"line", "field", "error"}` in its place; the rest are
//! still screened, and the run ends non-zero saying how many lines were refused.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;
use vigil_screening::{Policy, Traveller, Watchlist, evaluate};

/// Output format of `vigil screen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScreenFormat {
    /// One JSON object per input line.
    Jsonl,
}

/// Runs the command: `policy` (default: the shipped one) and `watchlist` (JSON
/// lines `{"value", "label"}`; default: empty) over `input` (stdin when `None` or `-`).
pub fn run(
    global: &crate::context::Global,
    policy: Option<PathBuf>,
    watchlist: Option<PathBuf>,
    input: Option<PathBuf>,
    _format: ScreenFormat,
) -> anyhow::Result<()> {
    let policy = match policy {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read policy {}", p.display()))?;
            Policy::from_toml(&text).with_context(|| format!("policy {}", p.display()))?
        }
        None => Policy::default_policy().context("the shipped default policy")?,
    };
    let reader: Box<dyn BufRead> = match input {
        Some(p) if p.as_os_str() != "-" => Box::new(BufReader::new(
            File::open(&p).with_context(|| format!("cannot open {}", p.display()))?,
        )),
        _ => Box::new(BufReader::new(io::stdin().lock())),
    };
    let out = BufWriter::new(io::stdout().lock());
    let watchlist = match watchlist {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read watchlist {}", p.display()))?;
            Watchlist::from_jsonl(&text).map_err(anyhow::Error::msg)?
        }
        None => crate::context::runtime(from_store(global))?,
    };
    let refused = match process(reader, out, &policy, &watchlist) {
        Ok(n) => n,
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if refused > 0 {
        anyhow::bail!("{refused} line(s) refused (see their error lines)");
    }
    Ok(())
}

/// The watchlist from the store's intelligence, or an empty one when there is
/// no store yet (nothing is created: no database, key file or index).
async fn from_store(global: &crate::context::Global) -> anyhow::Result<Watchlist> {
    let settings = crate::context::settings(global)?;
    let url = settings.storage.database_url.trim();
    let sqlite = url.is_empty() || url == "sqlite:";
    let dir = &settings.storage.data_dir;
    if sqlite && !dir.join(vigil_backends::SQLITE_DB_FILE).exists() {
        eprintln!(
            "no store in {}: screening without a watchlist",
            dir.display()
        );
        return Ok(Watchlist::new());
    }
    // The key file's audit key: any audit entry written here must be sealed
    // with it (the watchlist reads no sealed data).
    let keys = vigil_core::Vigil::load_keys(&settings)?;
    let store = vigil_backends::open_store(url, dir, keys.audit_key())
        .await
        .context("cannot open the store")?;
    let v = vigil_core::Vigil::new(store, keys, settings);
    let view = vigil_core::screening::WatchlistView::operator();
    let mut w = vigil_core::screening::watchlist(&v.screening, &view).await?;
    // An offline post's store also holds the watchlist pulled from central.
    vigil_core::screening::add_pulled(&v.screening, &mut w).await?;
    Ok(w)
}

/// Screens every line of `input`, writing one line each to `out`. Returns how
/// many lines were refused.
pub fn process(
    input: impl BufRead,
    mut out: impl Write,
    policy: &Policy,
    watchlist: &Watchlist,
) -> anyhow::Result<usize> {
    let policy_id = policy.id();
    let mut refused = 0;
    for (n, line) in input.split(b'\n').enumerate() {
        let mut line = line.context("cannot read input")?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = match std::str::from_utf8(&line) {
            Ok(text) => Traveller::from_json(text),
            Err(_) => Err(vigil_screening::InputError {
                field: ".".into(),
                kind: vigil_screening::InputProblem::Syntax,
                message: "the line is not UTF-8".into(),
            }),
        };
        match parsed {
            Ok(t) => {
                let s = evaluate(policy, &t, watchlist);
                let line = Line {
                    reference: &t.reference,
                    outcome: s.outcome.as_str(),
                    score: s.score,
                    reasons: s
                        .reasons
                        .iter()
                        .map(|r| ReasonOut {
                            code: &r.code,
                            weight: r.weight,
                            evidence: &r.evidence,
                        })
                        .collect(),
                    policy: &policy_id,
                };
                serde_json::to_writer(&mut out, &line)?;
            }
            Err(e) => {
                refused += 1;
                let line = Refused {
                    line: n + 1,
                    field: &e.field,
                    error: &e.message,
                };
                serde_json::to_writer(&mut out, &line)?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(refused)
}

/// One screened traveller, fields in the documented order.
#[derive(Serialize)]
struct Line<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    outcome: &'static str,
    score: u32,
    reasons: Vec<ReasonOut<'a>>,
    policy: &'a str,
}

#[derive(Serialize)]
struct ReasonOut<'a> {
    code: &'a str,
    weight: u32,
    evidence: &'a str,
}

/// A refused input line.
#[derive(Serialize)]
struct Refused<'a> {
    line: usize,
    field: &'a str,
    error: &'a str,
}
