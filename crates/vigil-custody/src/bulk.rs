//! Bulk entry: a CSV of items, or the lines a barcode scanner types. Either
//! is taken whole or refused whole, naming every bad row and field.

use std::collections::{HashMap, HashSet};

use crate::field::{FieldError, FieldProblem, clip};
use crate::item::{ItemInput, ItemKind, NewItem, parse_iccid, parse_imei};

/// A bad row of a bulk entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, {field}: {message}")]
pub struct RowError {
    /// The line as a spreadsheet numbers it: the header is row 1, the first
    /// item row 2; for scanned lines, the line number from 1.
    pub row: u64,
    /// The column or field (`header` for a header cell that names none,
    /// `row` for a row that does not read, `line` for a line scanned twice).
    pub field: String,
    /// What is wrong.
    pub message: FieldProblem,
}

impl RowError {
    fn of(row: u64, e: FieldError) -> Self {
        RowError {
            row,
            field: e.field,
            message: e.message,
        }
    }
}

/// The columns a CSV may have (`ref` and `kind` are required).
pub const CSV_COLUMNS: [&str; 11] = [
    "ref",
    "kind",
    "description",
    "serial",
    "imei",
    "iccid",
    "card",
    "amount",
    "currency",
    "image_sha256",
    "photo_sha256",
];

/// Reads items from a CSV with a header row (columns: [`CSV_COLUMNS`], in any
/// order; lists within a cell separated by `;`). Unknown columns, bad fields
/// and references or IMEIs given twice are all reported; nothing is taken if
/// any row is bad.
pub fn parse_items_csv(text: &str) -> Result<Vec<NewItem>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| {
            vec![RowError {
                row: 1,
                field: "header".into(),
                message: FieldProblem::UnreadableHeader,
            }]
        })?
        .clone();
    let mut errors = Vec::new();
    let mut seen_columns = HashSet::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.to_ascii_lowercase();
        if h.is_empty() {
            errors.push(RowError {
                row: 1,
                field: "header".into(),
                message: FieldProblem::UnnamedColumn { column: i + 1 },
            });
        } else if !CSV_COLUMNS.contains(&name.as_str()) {
            errors.push(RowError {
                row: 1,
                field: "header".into(),
                message: FieldProblem::UnknownColumn { value: clip(h) },
            });
        } else if !seen_columns.insert(name) {
            errors.push(RowError {
                row: 1,
                field: "header".into(),
                message: FieldProblem::ColumnTwice { value: clip(h) },
            });
        }
    }
    for required in ["ref", "kind"] {
        if !seen_columns.contains(required) {
            errors.push(RowError {
                row: 1,
                field: required.into(),
                message: FieldProblem::ColumnRequired,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let columns: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let mut items = Vec::new();
    let mut refs: HashMap<String, u64> = HashMap::new();
    let mut imeis: HashMap<String, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let fallback = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(fallback, |p| p.line());
                errors.push(RowError {
                    row,
                    field: "row".into(),
                    message: FieldProblem::UnreadableRow,
                });
                continue;
            }
        };
        let row = record.position().map_or(fallback, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut input = ItemInput::default();
        for (name, value) in columns.iter().zip(record.iter()) {
            let slot = match name.as_str() {
                "ref" => &mut input.reference,
                "kind" => &mut input.kind,
                "description" => &mut input.description,
                "serial" => &mut input.serial,
                "imei" => &mut input.imei,
                "iccid" => &mut input.iccid,
                "card" => &mut input.card,
                "amount" => &mut input.amount,
                "currency" => &mut input.currency,
                "image_sha256" => &mut input.image_sha256,
                _ => &mut input.photo_sha256,
            };
            *slot = value.to_string();
        }
        match NewItem::from_input(&input) {
            Ok(item) => {
                if let Some(first) = refs.insert(item.reference.clone(), row) {
                    errors.push(RowError {
                        row,
                        field: "ref".into(),
                        message: FieldProblem::UsedOnRow {
                            value: item.reference.clone(),
                            row: first,
                        },
                    });
                }
                for imei in &item.imeis {
                    if let Some(first) = imeis.insert(imei.imei.clone(), row) {
                        errors.push(RowError {
                            row,
                            field: "imei".into(),
                            message: FieldProblem::UsedOnRow {
                                value: imei.imei.clone(),
                                row: first,
                            },
                        });
                    }
                }
                items.push(item);
            }
            Err(es) => errors.extend(es.into_iter().map(|e| RowError::of(row, e))),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// Reads what a barcode scanner typed: one identifier per line, each line an
/// item of `kind` with the reference `{prefix}-{n}` (n from 1, three digits).
/// For a smartphone an all-digit line is an IMEI (its check digit checked),
/// for a SIM card an ICCID; anything else is a serial number. Blank lines are
/// skipped; a line scanned twice is an error.
pub fn parse_scan_lines(
    text: &str,
    kind: ItemKind,
    prefix: &str,
) -> Result<Vec<NewItem>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut n = 0usize;
    for (i, line) in text.lines().enumerate() {
        let row = i as u64 + 1;
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        n += 1;
        let reference = format!("{prefix}-{n:03}");
        let all_digits = line
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
        let mut input = ItemInput {
            reference,
            kind: kind.as_str().to_string(),
            ..ItemInput::default()
        };
        let key = match (kind, all_digits) {
            (ItemKind::Smartphone, true) => {
                input.imei = line.to_string();
                parse_imei(line).map(|i| i.imei)
            }
            (ItemKind::SimCard, true) => {
                input.iccid = line.to_string();
                parse_iccid(line)
            }
            _ => {
                input.serial = line.to_string();
                Ok(line.to_string())
            }
        };
        if let Ok(key) = &key
            && let Some(first) = seen.insert(key.clone(), row)
        {
            errors.push(RowError {
                row,
                field: "line".into(),
                message: FieldProblem::ScannedTwice {
                    value: key.clone(),
                    line: first,
                },
            });
            continue;
        }
        match NewItem::from_input(&input) {
            Ok(item) => items.push(item),
            Err(es) => errors.extend(es.into_iter().map(|e| RowError::of(row, e))),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}
