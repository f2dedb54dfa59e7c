//! Hotline import: one JSON object a line, each with a unique `ref`. Importing
//! the same file twice stores nothing twice; refused lines are reported with
//! their line numbers and nothing of them is stored.

use std::io::BufRead;

use futures::StreamExt;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, Category, Channel, DangerFlags, Location, NewTip, TipId};
use vigil_store::{SubmitOutcome, TipSubmission};

use crate::CoreError;
use crate::intake::IntakeService;

/// One line of an import file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    #[serde(rename = "ref")]
    reference: Option<String>,
    text: Option<String>,
    category: Option<String>,
    province_code: Option<String>,
    district_code: Option<String>,
    commune_code: Option<String>,
    village_code: Option<String>,
    place: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    received_at: Option<String>,
    channel: Option<String>,
    #[serde(default)]
    danger: Option<ImportDanger>,
    language: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ImportDanger {
    held: bool,
    passports_taken: bool,
    violence: bool,
    children: bool,
}

/// A refused line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// 1-based line number.
    pub line: u64,
    /// The line's `ref`, when it could be read.
    pub reference: Option<String>,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Non-blank lines read.
    pub lines: u64,
    /// Tips stored.
    pub stored: u64,
    /// Lines whose `ref` was already stored (nothing stored again).
    pub duplicates: u64,
    /// Lines refused, with reasons.
    pub refused: Vec<Refused>,
    /// Ids of the tips stored.
    pub stored_ids: Vec<TipId>,
}

/// Progress, reported as lines are processed.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Lines done.
    pub lines: u64,
    /// Bytes read so far.
    pub bytes: u64,
}

fn parse_line(line: &str, v: &IntakeService) -> Result<NewTip, (Option<String>, String)> {
    let l: ImportLine =
        serde_json::from_str(line).map_err(|e| (None, format!("not a valid JSON object: {e}")))?;
    let reference = l
        .reference
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .ok_or((None, "`ref` is required".to_string()))?;
    let fail = |msg: String| (Some(reference.clone()), msg);
    let category = match l.category.as_deref().map(str::trim) {
        None | Some("") => Category::Other,
        Some(c) => Category::parse(c).ok_or_else(|| {
            fail(format!(
                "unknown category {c:?} (one of scam_compound, trafficking, recruitment, fraud_victim, other)"
            ))
        })?,
    };
    let channel = match l.channel.as_deref().map(str::trim) {
        None | Some("") => Channel::Hotline,
        Some(c) => Channel::parse(c)
            .ok_or_else(|| fail(format!("unknown channel {c:?} (web, api, hotline, import)")))?,
    };
    let received_at = match l.received_at.as_deref() {
        None => OffsetDateTime::now_utc(),
        Some(s) => OffsetDateTime::parse(s.trim(), &Rfc3339)
            .map_err(|e| fail(format!("received_at {s:?} is not RFC 3339: {e}")))?,
    };
    let d = l.danger.unwrap_or_default();
    let mut tip = NewTip {
        channel,
        category,
        text: l.text.unwrap_or_default(),
        location: Location {
            province_code: l.province_code,
            district_code: l.district_code,
            commune_code: l.commune_code,
            village_code: l.village_code,
            place: l.place,
            lat: l.lat,
            lon: l.lon,
        },
        danger: DangerFlags {
            held: d.held,
            passports_taken: d.passports_taken,
            violence: d.violence,
            children: d.children,
        },
        received_at,
        external_ref: Some(reference.clone()),
        language: l.language,
    };
    tip.normalise(&v.settings.intake.tip_limits(), false)
        .map_err(|e| fail(e.to_string()))?;
    Ok(tip)
}

/// Imports every line of `reader`. Lines are stored concurrently so that many
/// share one commit; the report lists refused lines in line order.
pub async fn import_jsonl<R: BufRead>(
    v: &IntakeService,
    reader: R,
    actor: &str,
    mut progress: impl FnMut(Progress),
) -> Result<ImportReport, CoreError> {
    let mut report = ImportReport::default();
    let mut bytes = 0u64;
    let mut pending: Vec<(u64, NewTip)> = Vec::new();
    let mut lines = reader.split(b'\n');
    let mut line_no = 0u64;
    loop {
        let next = lines.next();
        let done = next.is_none();
        if let Some(raw) = next {
            let raw = raw.map_err(|e| CoreError::BadRequest(format!("cannot read input: {e}")))?;
            line_no += 1;
            bytes += raw.len() as u64 + 1;
            let text = match std::str::from_utf8(&raw) {
                Ok(t) => t.trim(),
                Err(_) => {
                    report.lines += 1;
                    report.refused.push(Refused {
                        line: line_no,
                        reference: None,
                        reason: "the line is not valid UTF-8".into(),
                    });
                    continue;
                }
            };
            if text.is_empty() {
                continue;
            }
            report.lines += 1;
            match parse_line(text, v) {
                Ok(tip) => pending.push((line_no, tip)),
                Err((reference, reason)) => report.refused.push(Refused {
                    line: line_no,
                    reference,
                    reason,
                }),
            }
        }
        if pending.len() >= 2_000 || (done && !pending.is_empty()) {
            store_chunk(v, actor, std::mem::take(&mut pending), &mut report).await?;
            progress(Progress {
                lines: report.lines,
                bytes,
            });
        }
        if done {
            break;
        }
    }
    progress(Progress {
        lines: report.lines,
        bytes,
    });
    report.refused.sort_by_key(|r| r.line);
    Ok(report)
}

async fn store_chunk(
    v: &IntakeService,
    actor: &str,
    chunk: Vec<(u64, NewTip)>,
    report: &mut ImportReport,
) -> Result<(), CoreError> {
    type Stored = (
        u64,
        Option<String>,
        String,
        Result<SubmitOutcome, vigil_store::StoreError>,
    );
    let results: Vec<Stored> = futures::stream::iter(chunk.into_iter().map(|(line, tip)| {
        let store = v.store.clone();
        let reference = tip.external_ref.clone();
        let text = tip.text.clone();
        let audit = NewAuditEntry {
            actor: actor.to_string(),
            action: AuditAction::TipImport,
            object: String::new(),
            detail: format!("ref={}", reference.as_deref().unwrap_or("")),
        };
        async move {
            let r = store
                .submit_tip(TipSubmission {
                    tip,
                    receipt: None,
                    client_ref: None,
                    attachments: Vec::new(),
                    audit,
                })
                .await;
            (line, reference, text, r)
        }
    }))
    .buffered(512)
    .collect()
    .await;
    // A `ref` seen again is the same report sent twice only if its text is
    // the same; a different text under a used `ref` is refused, not skipped.
    let seen: Vec<TipId> = results
        .iter()
        .filter_map(|(_, _, _, r)| match r {
            Ok(SubmitOutcome::DuplicateRef { tip_id }) => Some(*tip_id),
            _ => None,
        })
        .collect();
    let stored_text: std::collections::HashMap<TipId, String> = if seen.is_empty() {
        Default::default()
    } else {
        v.store
            .tips_by_ids(&seen)
            .await?
            .into_iter()
            .map(|t| (t.id, t.text))
            .collect()
    };
    for (line, reference, text, r) in results {
        match r {
            Ok(SubmitOutcome::Created { tip_id }) => {
                report.stored += 1;
                report.stored_ids.push(tip_id);
            }
            Ok(SubmitOutcome::DuplicateRef { tip_id })
                if stored_text.get(&tip_id).is_some_and(|t| *t != text) =>
            {
                report.refused.push(Refused {
                    line,
                    reason: format!(
                        "`ref` {:?} was already imported (tip {}) with a different text: \
                         nothing stored; give a different report its own `ref`",
                        reference.as_deref().unwrap_or(""),
                        tip_id.0
                    ),
                    reference,
                });
            }
            Ok(SubmitOutcome::DuplicateRef { .. }) => report.duplicates += 1,
            Ok(other) => report.refused.push(Refused {
                line,
                reference,
                reason: format!("unexpected outcome {other:?}"),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
