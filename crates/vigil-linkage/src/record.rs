//! The person record as the linkage step sees it: every field optional, written as met.

/// A person as recorded at one encounter (a raid, an arrest, a case, a departure).
///
/// Every field is optional: records met in the field are incomplete, and a missing
/// field neither helps nor hurts a match. Strings are kept as written; the linkage
/// step normalises them itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Given name(s) in Latin letters, as written (`Sokha`, `Xiao-Ming`, `Hsiao Ming`).
    pub given: Option<String>,
    /// Family name in Latin letters, as written (`Chan`, `Zhang`, `Cheung`).
    pub family: Option<String>,
    /// Full names in other scripts (Khmer `ចាន់ សុខា`, Chinese `张晓明`), compared in
    /// script after normalisation; there is no romaniser.
    pub script_names: Vec<String>,
    /// Date of birth, possibly partial.
    pub dob: Option<PartialDate>,
    /// Sex as recorded.
    pub sex: Option<Sex>,
    /// Nationality, ISO 3166-1 alpha-2 (`KH`, `CN`); compared case-insensitively.
    pub nationality: Option<String>,
    /// Document numbers (passport, national id), compared on letters and digits only.
    pub documents: Vec<String>,
    /// Phone number, compared on its last eight digits.
    pub phone: Option<String>,
    /// Address or place of residence, by parts.
    pub address: Address,
}

/// A date of birth as written: any part may be unknown. Parts are not validated —
/// a month of 13 is a typo the comparison can still recognise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartialDate {
    /// Year (four digits), if known.
    pub year: Option<u16>,
    /// Month, if known.
    pub month: Option<u8>,
    /// Day, if known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// A complete date.
    pub fn ymd(year: u16, month: u8, day: u8) -> Self {
        PartialDate {
            year: Some(year),
            month: Some(month),
            day: Some(day),
        }
    }

    /// Reads `YYYYMMDD`, `YYYY-MM-DD` or `YYYY`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: Vec<u8> = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let num = |d: &[u8]| d.iter().fold(0u16, |n, &x| n * 10 + u16::from(x));
        match digits.len() {
            8 => Some(PartialDate {
                year: Some(num(&digits[..4])),
                month: u8::try_from(num(&digits[4..6])).ok().filter(|&m| m > 0),
                day: u8::try_from(num(&digits[6..8])).ok().filter(|&d| d > 0),
            }),
            4 => Some(PartialDate {
                year: Some(num(&digits)),
                month: None,
                day: None,
            }),
            _ => None,
        }
    }

    /// Eight characters `YYYYMMDD`, `?` for unknown digits (for digit-wise comparison).
    pub(crate) fn digits(&self) -> [u8; 8] {
        let mut out = [b'?'; 8];
        if let Some(y) = self.year {
            write_digits(&mut out[..4], u32::from(y));
        }
        if let Some(m) = self.month {
            write_digits(&mut out[4..6], u32::from(m));
        }
        if let Some(d) = self.day {
            write_digits(&mut out[6..8], u32::from(d));
        }
        out
    }
}

fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        // `value % 10` is below 10, so it fits in a u8.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// An address by parts; each part optional. For Cambodia: house, street, village,
/// commune/district, postcode, province. Parts are compared position by position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// House or building number.
    pub number: Option<String>,
    /// Street (or street and building name).
    pub street: Option<String>,
    /// Village, suburb or locality.
    pub locality: Option<String>,
    /// Commune, district or a second address line.
    pub area: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Province or state.
    pub province: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_render() {
        let d = PartialDate::parse("19651013");
        assert_eq!(d, Some(PartialDate::ymd(1965, 10, 13)));
        assert_eq!(d.map(|d| d.digits()), Some(*b"19651013"));
        let y = PartialDate::parse("1980");
        assert_eq!(y.map(|d| d.digits()), Some(*b"1980????"));
        assert_eq!(PartialDate::parse("12/3"), None);
        let odd = PartialDate::parse("1965-13-00");
        assert_eq!(odd.map(|d| d.digits()), Some(*b"196513??"));
    }
}
