//! Voluntary departures outside operations, imported in bulk from a CSV
//! The file is taken whole or refused whole: every bad
//! row is named with its row number and field, and nothing is stored.
//!
//! The columns ([`CSV_COLUMNS`], header row required, any order, UTF-8 with
//! or without a byte-order mark):
//!
//! | column | required | what |
//! |---|---|---|
//! | `name` | yes | the person's name as in the passport |
//! | `nationality` | yes | ISO 3166-1 alpha-2 (`CN`, `vn`… any case; stored upper case) |
//! | `passport` | no | the passport number |
//! | `date_of_birth` | no | `YYYY-MM-DD`, not in the future |
//! | `departed_on` | yes | `YYYY-MM-DD`, not in the future (Cambodia time) |
//! | `port` | yes | an exit post code from `vigil_domain::posts` (`KTI`, `POIPET`…, any case) |
//!
//! The per-embassy export ([`export_csv`], [`EXPORT_COLUMNS`]) is here too.

use time::Date;
use vigil_domain::AuditAction;
use vigil_domain::posts;

use vigil_store::ImmigrationFilter;

use crate::CoreError;
use crate::field::{FieldError, FieldMessage, Reason};
use crate::immigration::{
    ImmigrationService, Imported, SubjectInput, may_record, nationality, open_subject, parse_day,
    seal_checked, today, valid_nationality,
};
use crate::operations::invalid;
use crate::staff::Principal;
use time::OffsetDateTime;
use vigil_store::NewDeparture;

/// The columns a departures CSV may have.
pub const CSV_COLUMNS: [&str; 6] = [
    "name",
    "nationality",
    "passport",
    "date_of_birth",
    "departed_on",
    "port",
];

const REQUIRED: [&str; 4] = ["name", "nationality", "departed_on", "port"];

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 500_000;

/// A bad row of a departures CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, {field}: {code}")]
pub struct RowError {
    /// The line as a spreadsheet numbers it: the header is row 1, the first
    /// departure row 2.
    pub row: u64,
    /// The column (`header` for the header row, `file` for the whole file).
    pub field: String,
    /// What is wrong, as a stable code for translations: `empty`,
    /// `nationality`, `date`, `future`, `port`, `too_long`, `columns`,
    /// `unknown_column`, `missing_column`, `no_rows`, `too_many`, `unreadable`.
    pub code: &'static str,
    /// What is wrong, as a field message with the values it quotes.
    pub reason: Reason,
}

impl RowError {
    /// The row's error as a field error on its column, placed at its row.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::of(self.field.clone(), self.reason.clone()).arg("row", self.row)
    }
}

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureCsvRow {
    /// The row number (header is 1).
    pub row: u64,
    /// Name, passport, date of birth.
    pub subject: SubjectInput,
    /// ISO alpha-2, upper case.
    pub nationality: String,
    /// The day they left.
    pub departed_on: Date,
    /// The exit post's canonical code.
    pub port: String,
}

fn err(row: u64, field: &str, code: &'static str, reason: impl Into<Reason>) -> RowError {
    RowError {
        row,
        field: field.into(),
        code,
        reason: reason.into(),
    }
}

/// Reads a departures CSV, checking every row against `today` (Cambodia's
/// date). Returns every good row, or every bad row and field.
pub fn parse_departures_csv(
    text: &str,
    today: Date,
) -> Result<Vec<DepartureCsvRow>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| {
            vec![err(
                1,
                "header",
                "unreadable",
                FieldMessage::UnreadableHeader,
            )]
        })?
        .clone();
    let mut index = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.to_ascii_lowercase();
        if !CSV_COLUMNS.contains(&h.as_str()) {
            errors.push(err(
                1,
                "header",
                "unknown_column",
                FieldMessage::UnknownColumn
                    .with("value", clip(&h))
                    .arg("choices", CSV_COLUMNS.join(", ")),
            ));
        } else {
            index.insert(h, i);
        }
    }
    for r in REQUIRED {
        if !index.contains_key(r) {
            errors.push(err(1, r, "missing_column", FieldMessage::ColumnRequired));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i as u64 + 2;
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(err(
                row,
                "file",
                "too_many",
                (FieldMessage::TooMany, "max", MAX_ROWS),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(err(row, "file", "columns", FieldMessage::UnreadableRow));
                continue;
            }
        };
        let cell = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        match check_row(row, &cell, today) {
            Ok(r) => rows.push(r),
            Err(mut es) => errors.append(&mut es),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(err(2, "file", "no_rows", FieldMessage::NoRows));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn check_row(
    row: u64,
    cell: &dyn Fn(&str) -> String,
    today: Date,
) -> Result<DepartureCsvRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let name = cell("name");
    let too_long = |text: &str, max: usize| -> Reason {
        if text.chars().any(char::is_control) {
            FieldMessage::ControlCharacters.into()
        } else {
            (FieldMessage::TooLong, "max", max).into()
        }
    };
    if name.is_empty() {
        errors.push(err(row, "name", "empty", FieldMessage::Required));
    } else if name.chars().count() > 200 || name.chars().any(char::is_control) {
        errors.push(err(row, "name", "too_long", too_long(&name, 200)));
    }
    let passport = cell("passport");
    if passport.chars().count() > 30 || passport.chars().any(char::is_control) {
        errors.push(err(row, "passport", "too_long", too_long(&passport, 30)));
    }
    let nationality = match valid_nationality(&cell("nationality")) {
        Some(n) => n,
        None => {
            errors.push(err(
                row,
                "nationality",
                "nationality",
                (
                    FieldMessage::NotACountry,
                    "value",
                    clip(&cell("nationality")),
                ),
            ));
            String::new()
        }
    };
    let mut day = |field: &str, required: bool| -> Option<Date> {
        let v = cell(field);
        if v.is_empty() {
            if required {
                errors.push(err(row, field, "empty", FieldMessage::Required));
            }
            return None;
        }
        match parse_day(&v) {
            None => {
                errors.push(err(
                    row,
                    field,
                    "date",
                    (FieldMessage::NotADate, "value", clip(&v)),
                ));
                None
            }
            Some(d) if d > today => {
                errors.push(err(
                    row,
                    field,
                    "future",
                    (FieldMessage::InFuture, "value", d),
                ));
                None
            }
            Some(d) => Some(d),
        }
    };
    let departed_on = day("departed_on", true);
    let date_of_birth = day("date_of_birth", false);
    let port = match posts::post(&cell("port")) {
        Some(p) => p.code.clone(),
        None => {
            let choices: Vec<&str> = posts::posts().iter().map(|p| p.code.as_str()).collect();
            errors.push(err(
                row,
                "port",
                "port",
                FieldMessage::NotAPost
                    .with("value", clip(&cell("port")))
                    .arg("choices", choices.join(", ")),
            ));
            String::new()
        }
    };
    match departed_on {
        Some(departed_on) if errors.is_empty() => Ok(DepartureCsvRow {
            row,
            subject: SubjectInput {
                name,
                passport,
                date_of_birth: date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
            },
            nationality,
            departed_on,
            port,
        }),
        _ => Err(errors),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// The header of the per-embassy export.
pub const EXPORT_COLUMNS: [&str; 11] = [
    "record",
    "reference",
    "kind",
    "status",
    "name",
    "passport",
    "date_of_birth",
    "nationality",
    "date",
    "port",
    "authority",
];

fn csv_cell(s: &str) -> String {
    // Cells that a spreadsheet would run as a formula start with a quote.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The departures and deportation orders of one nationality in `from..=to`
/// within the jurisdiction, as CSV ([`EXPORT_COLUMNS`]) with the identities
/// opened, for an embassy. Immigration, supervisors and admins only;
/// audited with who exported what.
pub async fn export_csv(
    v: &ImmigrationService,
    p: &Principal,
    nationality_code: &str,
    from: Date,
    to: Date,
) -> Result<String, CoreError> {
    may_record(p)?;
    let nat = nationality("nationality", nationality_code)?;
    if from > to {
        return Err(invalid("to", crate::field::FieldMessage::EndsBeforeStart));
    }
    let f = ImmigrationFilter {
        nationality: Some(nat.clone()),
        from: Some(from),
        to: Some(to),
        provinces: p.jurisdiction.provinces().map(<[String]>::to_vec),
        limit: None,
    };
    let departures = v.store.departures(&f).await?;
    let orders = v.store.deportation_orders(&f).await?;
    let mut out = EXPORT_COLUMNS.join(",");
    out.push('\n');
    let mut line = |cells: [&str; 11]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    for d in departures.iter().rev() {
        let s = open_subject(v, &d.departure.subject)?;
        let x = &d.departure;
        line([
            "departure",
            &d.id.to_string(),
            &x.kind,
            "",
            &s.name,
            &s.passport,
            &s.date_of_birth,
            &x.nationality,
            &x.departed_on.to_string(),
            &x.port,
            "",
        ]);
    }
    for o in orders.iter().rev() {
        let s = open_subject(v, &o.order.subject)?;
        let x = &o.order;
        line([
            "order",
            &x.reference,
            "deportation_order",
            &x.status,
            &s.name,
            &s.passport,
            &s.date_of_birth,
            &x.nationality,
            &x.issued_on.to_string(),
            "",
            &x.authority,
        ]);
    }
    v.store
        .append_audit(p.audit(
            AuditAction::ImmigrationExport,
            format!("nationality:{nat}"),
            format!(
                "from={from} to={to} departures={} orders={}",
                departures.len(),
                orders.len()
            ),
        ))
        .await?;
    Ok(out)
}

/// Checks a departures CSV without storing anything: every bad row and
/// field, or the number of good rows.
pub fn check_csv(text: &str) -> Result<usize, Vec<RowError>> {
    parse_departures_csv(text, today()).map(|r| r.len())
}

/// Imports voluntary departures from a CSV ([`crate::immigration_csv`]): the
/// whole file or nothing. A bad row is `InvalidField` naming the first bad
/// row and field, with every bad row in the message; a port outside the
/// jurisdiction is a bad row too. `progress(done, total)` follows the
/// writing.
pub async fn import_csv(
    v: &ImmigrationService,
    p: &Principal,
    text: &str,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Imported, CoreError> {
    may_record(p)?;
    let rows = parse_departures_csv(text, today()).and_then(|rows| {
        let outside: Vec<RowError> = rows
            .iter()
            .filter(|r| {
                posts::post(&r.port).is_none_or(|x| !p.jurisdiction.covers(Some(&x.province_code)))
            })
            .map(|r| RowError {
                row: r.row,
                field: "port".into(),
                code: "outside",
                reason: (
                    crate::field::FieldMessage::OutsideJurisdiction,
                    "value",
                    &r.port,
                )
                    .into(),
            })
            .collect();
        if outside.is_empty() {
            Ok(rows)
        } else {
            Err(outside)
        }
    });
    let rows = rows.map_err(|errors| {
        let errors = errors.iter().map(RowError::to_field_error).collect();
        crate::error::invalid_all(errors, "file", crate::field::FieldMessage::NoRows)
    })?;
    let now = OffsetDateTime::now_utc();
    let batch = format!("csv-{}-{}", p.username, now.unix_timestamp_nanos());
    let total = rows.len() as u64;
    let mut stored = Vec::with_capacity(rows.len());
    for r in rows {
        let port = posts::post(&r.port).ok_or_else(|| {
            invalid(
                "port",
                (crate::field::FieldMessage::NotKnown, "value", &r.port),
            )
        })?;
        stored.push(NewDeparture {
            kind: "voluntary".into(),
            subject: seal_checked(v, &r.subject)?,
            person_id: None,
            operation_id: None,
            order_id: None,
            nationality: r.nationality,
            departed_on: r.departed_on,
            port: port.code.clone(),
            province_code: port.province_code.clone(),
            batch: Some(batch.clone()),
            created_by: p.id,
            created_at: now,
        });
    }
    let report = |done: usize| progress(done as u64, total);
    let n = v
        .store
        .insert_departures_bulk(
            &stored,
            p.audit(
                AuditAction::DepartureImport,
                format!("batch:{batch}"),
                format!("{total} rows"),
            ),
            &report,
        )
        .await?;
    Ok(Imported { rows: n, batch })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use time::Month;

    fn today() -> Date {
        Date::from_calendar_date(2026, Month::November, 26).unwrap()
    }

    #[test]
    fn good_rows_are_read_in_any_column_order() {
        let rows = parse_departures_csv(
            "\u{feff}port,departed_on,name,nationality\nkti,2026-03-01,Li Wei,cn\npoipet,2026-03-02,Nguyen Van A,VN\n",
            today(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].port, "KTI");
        assert_eq!(rows[0].nationality, "CN");
        assert_eq!(rows[1].port, "POIPET");
        assert_eq!(rows[1].row, 3);
    }

    #[test]
    fn every_bad_row_and_field_is_named() {
        let text = "name,nationality,passport,date_of_birth,departed_on,port\n\
            Li Wei,CN,E1234567,1990-01-02,2026-03-01,KTI\n\
            ,XX,,1990-13-01,2027-01-01,NOWHERE\n\
            Ok Person,VN,,,2026-02-30,KOS\n";
        let errors = parse_departures_csv(text, today()).unwrap_err();
        let named: Vec<(u64, &str, &str)> = errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            named,
            vec![
                (3, "name", "empty"),
                (3, "nationality", "nationality"),
                (3, "departed_on", "future"),
                (3, "date_of_birth", "date"),
                (3, "port", "port"),
                (4, "departed_on", "date"),
            ]
        );
    }

    #[test]
    fn headers_are_checked() {
        let errors = parse_departures_csv("name,country,port\nA,CN,KTI\n", today()).unwrap_err();
        assert!(errors.iter().any(|e| e.code == "unknown_column"));
        assert!(errors.iter().any(|e| e.code == "missing_column"));
        let errors =
            parse_departures_csv("name,nationality,departed_on,port\n", today()).unwrap_err();
        assert_eq!(errors[0].code, "no_rows");
    }

    proptest::proptest! {
        /// Hostile input never panics; what is taken is valid, and a refusal
        /// names rows that exist.
        #[test]
        fn any_text_is_taken_valid_or_refused_by_row(body in "[ -~\n,\"é中]{0,400}") {
            let text = format!("name,nationality,departed_on,port\n{body}");
            match parse_departures_csv(&text, today()) {
                Ok(rows) => {
                    for r in rows {
                        proptest::prop_assert!(valid_nationality(&r.nationality).is_some());
                        proptest::prop_assert!(posts::post(&r.port).is_some());
                        proptest::prop_assert!(r.departed_on <= today());
                        proptest::prop_assert!(!r.subject.name.is_empty());
                    }
                }
                Err(errors) => {
                    proptest::prop_assert!(!errors.is_empty());
                    let lines = text.lines().count() as u64 + 1;
                    for e in errors {
                        proptest::prop_assert!(e.row >= 1 && e.row <= lines.max(2));
                    }
                }
            }
        }
    }
}
