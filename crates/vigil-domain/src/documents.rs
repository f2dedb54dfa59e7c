//! Travel documents of persons met in operations: passport numbers checked
//! with the ICAO Doc 9303 check digit when it is given (alone, or in a full
//! TD3 machine-readable zone line 2, whose birth date, expiry and composite
//! check digits are then checked too), and the Cambodian passport number
//! format. Every error names its field.

/// A document field that does not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DocumentError {
    /// The field: `passport_number`, `check_digit`, `mrz`, `birth_date`,
    /// `expiry_date`, `optional_data`, `composite`, `nationality`, `sex`.
    pub field: &'static str,
    /// What is wrong, as a typed value the pages translate (its English
    /// `Display` is for logs).
    pub message: DocumentProblem,
}

/// What is wrong with a document field; `value` is what was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentProblem {
    /// Nothing was given.
    #[error("must be given")]
    Required,
    /// A passport number with characters other than letters and digits.
    #[error("\"{value}\" has characters a passport number does not: only letters and digits")]
    PassportCharacters {
        /// The number.
        value: String,
    },
    /// A passport number longer than the 9 characters an MRZ holds.
    #[error("\"{value}\" is longer than the 9 characters a passport number has")]
    PassportTooLong {
        /// The number.
        value: String,
    },
    /// A check digit that is not a digit.
    #[error("\"{value}\" is not a check digit")]
    NotACheckDigit {
        /// What was given.
        value: String,
    },
    /// A value and its check digit that do not match: one of them is
    /// mistyped or misread.
    #[error("{value} does not match its check digit {digit}")]
    CheckDigit {
        /// The value.
        value: String,
        /// Its check digit as given.
        digit: String,
    },
    /// Not a Cambodian passport number (a letter N, D or S and 7 or 8 digits).
    #[error(
        "\"{value}\" is not a Cambodian passport number: a letter (N, D or S) and 7 or 8 digits"
    )]
    NotCambodian {
        /// The number.
        value: String,
    },
    /// Characters an MRZ does not have (`0-9`, `A-Z`, `<` only).
    #[error("\"{value}\" has characters an MRZ does not (0-9, A-Z, <)")]
    MrzCharacters {
        /// The characters.
        value: String,
    },
    /// An MRZ line 2 that does not have 44 characters.
    #[error("line 2 of a passport's MRZ has 44 characters, this has {count}")]
    MrzLength {
        /// How many it has.
        count: usize,
    },
    /// Not a date written `YYMMDD`.
    #[error("\"{value}\" is not a date (YYMMDD)")]
    NotAYymmdd {
        /// What was read.
        value: String,
    },
    /// Not a nationality code.
    #[error("\"{value}\" is not a nationality code")]
    NotANationality {
        /// What was read.
        value: String,
    },
    /// Not `M`, `F` or `<`.
    #[error("\"{value}\" is not M, F or <")]
    NotASex {
        /// What was read.
        value: String,
    },
    /// A document number of fillers only, or with a filler inside.
    #[error("\"{value}\" is not a document number")]
    NotADocumentNumber {
        /// What was read.
        value: String,
    },
}

fn err(field: &'static str, message: DocumentProblem) -> DocumentError {
    DocumentError { field, message }
}

/// The value of an MRZ character: digits as themselves, `A`…`Z` as 10…35,
/// the filler `<` as 0.
fn mrz_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// The ICAO 9303 check digit of an MRZ field: the sum of its characters'
/// values weighted 7, 3, 1 in turn, modulo 10. `None` if a character is not
/// one of `0-9`, `A-Z`, `<`.
pub fn icao_check_digit(field: &str) -> Option<u32> {
    let mut sum = 0u32;
    for (c, w) in field.chars().zip([7u32, 3, 1].into_iter().cycle()) {
        sum += mrz_value(c)? * w;
    }
    Some(sum % 10)
}

/// A document number as written in an MRZ: upper case, spaces and dashes
/// typed between characters removed.
fn normalise_number(number: &str) -> String {
    number
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Checks a passport number (letters and digits, 1–9 characters as the
/// TD3 MRZ holds them) and, when given, its ICAO 9303 check digit. Returns
/// the number normalised (upper case, no spaces).
pub fn check_passport_number(
    number: &str,
    check_digit: Option<char>,
) -> Result<String, DocumentError> {
    let n = normalise_number(number);
    if n.is_empty() {
        return Err(err("passport_number", DocumentProblem::Required));
    }
    if !n.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(err(
            "passport_number",
            DocumentProblem::PassportCharacters { value: n },
        ));
    }
    if n.len() > 9 {
        return Err(err(
            "passport_number",
            DocumentProblem::PassportTooLong { value: n },
        ));
    }
    if let Some(c) = check_digit {
        let given = c.to_digit(10).ok_or_else(|| {
            err(
                "check_digit",
                DocumentProblem::NotACheckDigit {
                    value: c.to_string(),
                },
            )
        })?;
        let expected = icao_check_digit(&n).unwrap_or(u32::MAX);
        if given != expected {
            return Err(err(
                "check_digit",
                DocumentProblem::CheckDigit {
                    value: n,
                    digit: given.to_string(),
                },
            ));
        }
    }
    Ok(n)
}

/// Checks a Cambodian passport number: one letter — `N` ordinary, `D`
/// diplomatic, `S` service, as on the passports seen so far (no public
/// specification was found; keep this the only place the rule lives) —
/// followed by 7 or 8 digits.
pub fn check_cambodian_passport(number: &str) -> Result<String, DocumentError> {
    let n = normalise_number(number);
    let mut chars = n.chars();
    let letter_ok = chars.next().is_some_and(|c| matches!(c, 'N' | 'D' | 'S'));
    let digits = chars.as_str();
    if !letter_ok || !(7..=8).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err(
            "passport_number",
            DocumentProblem::NotCambodian { value: n },
        ));
    }
    Ok(n)
}

/// Checks a passport number for its issuing state (ICAO code, `KHM` for
/// Cambodia) with its check digit when given.
pub fn check_passport(
    issuing_state: &str,
    number: &str,
    check_digit: Option<char>,
) -> Result<String, DocumentError> {
    let n = check_passport_number(number, check_digit)?;
    if issuing_state.trim().eq_ignore_ascii_case("KHM") {
        check_cambodian_passport(&n)
    } else {
        Ok(n)
    }
}

/// The second line of a passport's machine-readable zone (TD3), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Td3Line2 {
    /// The document number, fillers removed.
    pub document_number: String,
    /// The holder's nationality (ICAO code, fillers removed: `D` for Germany).
    pub nationality: String,
    /// Birth date as `YYMMDD` (the MRZ does not say the century).
    pub birth_date: String,
    /// `M`, `F` or `<` (unspecified).
    pub sex: char,
    /// Expiry date as `YYMMDD`.
    pub expiry_date: String,
    /// The personal number or other optional data, fillers removed.
    pub optional_data: String,
}

fn check_field(field: &'static str, value: &str, digit: char) -> Result<(), DocumentError> {
    let expected = icao_check_digit(value).ok_or_else(|| {
        err(
            field,
            DocumentProblem::MrzCharacters {
                value: value.to_string(),
            },
        )
    })?;
    // An empty optional field may carry a filler as its check digit.
    let given = if digit == '<' && value.chars().all(|c| c == '<') {
        Some(0)
    } else {
        digit.to_digit(10)
    };
    match given {
        Some(g) if g == expected => Ok(()),
        Some(g) => Err(err(
            field,
            DocumentProblem::CheckDigit {
                value: value.to_string(),
                digit: g.to_string(),
            },
        )),
        None => Err(err(
            field,
            DocumentProblem::NotACheckDigit {
                value: digit.to_string(),
            },
        )),
    }
}

fn check_date(field: &'static str, yymmdd: &str) -> Result<(), DocumentError> {
    let bad = || {
        err(
            field,
            DocumentProblem::NotAYymmdd {
                value: yymmdd.to_string(),
            },
        )
    };
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| yymmdd.get(r).and_then(|s| s.parse::<u8>().ok());
    let (yy, mm, dd) = match (num(0..2), num(2..4), num(4..6)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    let month = time::Month::try_from(mm).map_err(|_| bad())?;
    let year = 2000 + i32::from(yy);
    if dd == 0 || dd > time::util::days_in_month(month, year) {
        return Err(bad());
    }
    Ok(())
}

/// Reads and checks a TD3 MRZ line 2 (44 characters): the document number,
/// birth date, expiry and optional data against their check digits, then
/// the composite check digit over all of them.
pub fn parse_td3_line2(line: &str) -> Result<Td3Line2, DocumentError> {
    let l: String = line.trim().to_ascii_uppercase();
    if l.chars().count() != 44 {
        return Err(err(
            "mrz",
            DocumentProblem::MrzLength {
                count: l.chars().count(),
            },
        ));
    }
    if let Some(c) = l.chars().find(|c| mrz_value(*c).is_none()) {
        return Err(err(
            "mrz",
            DocumentProblem::MrzCharacters {
                value: c.to_string(),
            },
        ));
    }
    // All 44 characters are ASCII (checked above), so byte ranges are characters.
    let part = |r: std::ops::Range<usize>| l.get(r).unwrap_or_default();
    let digit = |i: usize| l.as_bytes().get(i).map_or('?', |b| char::from(*b));
    let number = part(0..9);
    check_field("check_digit", number, digit(9))?;
    let nationality = part(10..13);
    if !nationality
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '<')
        || nationality.starts_with('<')
    {
        return Err(err(
            "nationality",
            DocumentProblem::NotANationality {
                value: nationality.to_string(),
            },
        ));
    }
    let birth = part(13..19);
    check_date("birth_date", birth)?;
    check_field("birth_date", birth, digit(19))?;
    let sex = digit(20);
    if !matches!(sex, 'M' | 'F' | '<') {
        return Err(err(
            "sex",
            DocumentProblem::NotASex {
                value: sex.to_string(),
            },
        ));
    }
    let expiry = part(21..27);
    check_date("expiry_date", expiry)?;
    check_field("expiry_date", expiry, digit(27))?;
    let optional = part(28..42);
    check_field("optional_data", optional, digit(42))?;
    let composite = format!("{}{}{}", part(0..10), part(13..20), part(21..43));
    check_field("composite", &composite, digit(43))?;
    let strip = |s: &str| s.trim_end_matches('<').replace('<', " ");
    let document_number = strip(number);
    if document_number.is_empty() || document_number.contains(' ') {
        return Err(err(
            "passport_number",
            DocumentProblem::NotADocumentNumber {
                value: number.to_string(),
            },
        ));
    }
    Ok(Td3Line2 {
        document_number,
        nationality: strip(nationality),
        birth_date: birth.to_string(),
        sex,
        expiry_date: expiry.to_string(),
        optional_data: strip(optional),
    })
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    /// ICAO Doc 9303 Part 4's specimen passport (Utopia, Anna Maria Eriksson).
    const SPECIMEN: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn check_digits_of_the_icao_specimen() {
        assert_eq!(icao_check_digit("L898902C3"), Some(6));
        assert_eq!(icao_check_digit("740812"), Some(2));
        assert_eq!(icao_check_digit("120415"), Some(9));
        assert_eq!(icao_check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(icao_check_digit("a"), None);
        assert_eq!(
            check_passport_number("l898902c3", Some('6')).expect("specimen"),
            "L898902C3"
        );
        let e = check_passport_number("L898902C3", Some('5')).expect_err("wrong");
        assert_eq!(e.field, "check_digit");
        assert_eq!(
            check_passport_number("L898902C", Some('6'))
                .expect_err("typo")
                .field,
            "check_digit"
        );
        assert_eq!(
            check_passport_number("L89-8902/C3", None)
                .expect_err("slash")
                .field,
            "passport_number"
        );
        assert_eq!(
            check_passport_number("L898902C34", None)
                .expect_err("long")
                .field,
            "passport_number"
        );
    }

    #[test]
    fn the_specimen_mrz_line_reads_and_every_check_digit_is_checked() {
        let l = parse_td3_line2(SPECIMEN).expect("specimen");
        assert_eq!(l.document_number, "L898902C3");
        assert_eq!(l.nationality, "UTO");
        assert_eq!((l.birth_date.as_str(), l.sex), ("740812", 'F'));
        assert_eq!(l.expiry_date, "120415");
        assert_eq!(l.optional_data, "ZE184226B");
        // Each check digit, changed, is named by its field.
        for (pos, field) in [
            (9, "check_digit"),
            (19, "birth_date"),
            (27, "expiry_date"),
            (42, "optional_data"),
            (43, "composite"),
        ] {
            let mut b = SPECIMEN.as_bytes().to_vec();
            b[pos] = if b[pos] == b'0' { b'1' } else { b'0' };
            let line = String::from_utf8(b).unwrap();
            assert_eq!(parse_td3_line2(&line).expect_err(field).field, field);
        }
        // A misread in the data (not the check digit) is caught too.
        let misread = SPECIMEN.replacen("740812", "740813", 1);
        assert_eq!(
            parse_td3_line2(&misread).expect_err("birth").field,
            "birth_date"
        );
        let bad_date = "L898902C36UTO7413122F1204159ZE184226B<<<<<10";
        assert_eq!(
            parse_td3_line2(bad_date).expect_err("month 13").field,
            "birth_date"
        );
        assert_eq!(
            parse_td3_line2("L898902C3").expect_err("short").field,
            "mrz"
        );
        assert_eq!(
            parse_td3_line2(&SPECIMEN.replacen('F', "X", 1))
                .expect_err("sex")
                .field,
            "sex"
        );
    }

    #[test]
    fn an_empty_personal_number_may_carry_a_filler_check_digit() {
        // The composite check digit is computed for this line.
        let body = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<";
        let composite = format!("{}{}{}", &body[0..10], &body[13..20], &body[21..43]);
        let line = format!("{body}{}", icao_check_digit(&composite).unwrap());
        let l = parse_td3_line2(&line).expect("filler");
        assert_eq!(l.optional_data, "");
    }

    #[test]
    fn cambodian_passport_numbers() {
        assert_eq!(
            check_passport("KHM", "n 0123456", None).expect("ordinary"),
            "N0123456"
        );
        assert!(check_passport("khm", "D01234567", None).is_ok());
        for bad in ["X0123456", "N012345", "N012345678", "NA123456"] {
            assert_eq!(
                check_passport("KHM", bad, None).expect_err(bad).field,
                "passport_number"
            );
        }
        // Other states' numbers are checked only by their check digit.
        assert!(check_passport("UTO", "L898902C3", Some('6')).is_ok());
    }
}
