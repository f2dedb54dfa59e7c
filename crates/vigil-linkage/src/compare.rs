//! Field comparisons: each field of a pair gets an agreement level.

use crate::normal::{self, Script};
use crate::record::{Person, Sex};
use crate::similar::{jaro_winkler, jaro_winkler_min, one_edit};

/// The fields compared, in the order of a comparison vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Given name(s).
    Given,
    /// Family name.
    Family,
    /// Date of birth.
    Dob,
    /// Sex.
    Sex,
    /// Nationality.
    Nationality,
    /// Document numbers.
    Document,
    /// Phone (last eight digits).
    Phone,
    /// Names in Khmer or Chinese script (an agreement counts only when a Latin name
    /// is missing on either side, so one name is not counted twice).
    ScriptName,
    /// House number.
    Number,
    /// Street.
    Street,
    /// Village, suburb or locality.
    Locality,
    /// Commune, district or second address line.
    Area,
    /// Postcode.
    Postcode,
    /// Province or state.
    Province,
}

/// Number of compared fields.
pub const FIELDS: usize = 14;

impl Field {
    /// Every field, in comparison-vector order.
    pub const ALL: [Field; FIELDS] = [
        Field::Given,
        Field::Family,
        Field::Dob,
        Field::Sex,
        Field::Nationality,
        Field::Document,
        Field::Phone,
        Field::ScriptName,
        Field::Number,
        Field::Street,
        Field::Locality,
        Field::Area,
        Field::Postcode,
        Field::Province,
    ];

    /// The field's name in reasons (`given`, `family`, `dob`…).
    pub fn name(self) -> &'static str {
        match self {
            Field::Given => "given",
            Field::Family => "family",
            Field::Dob => "dob",
            Field::Sex => "sex",
            Field::Nationality => "nationality",
            Field::Document => "document",
            Field::Phone => "phone",
            Field::ScriptName => "script_name",
            Field::Number => "number",
            Field::Street => "street",
            Field::Locality => "locality",
            Field::Area => "area",
            Field::Postcode => "postcode",
            Field::Province => "province",
        }
    }
}

/// How well one field agrees in a pair. `Missing` (either side empty, or names in
/// different scripts) contributes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Agreement {
    /// Not comparable.
    Missing = 0,
    /// Identical after folding.
    Exact = 1,
    /// Same transliteration key, or the same digits written differently.
    Equivalent = 2,
    /// One typo: Jaro–Winkler ≥ 0.92 or one edit (short names: `Ouk`/`Ok`), one edit
    /// in a number, a date with one digit wrong or day and month swapped.
    Close = 3,
    /// Similar: Jaro–Winkler ≥ 0.80, or a date that agrees only where both are known
    /// or in its year.
    Partial = 4,
    /// Disagrees.
    Different = 5,
}

/// Number of agreement levels (including `Missing`).
pub const LEVELS: usize = 6;

impl Agreement {
    /// The level's name in reasons.
    pub fn name(self) -> &'static str {
        match self {
            Agreement::Missing => "missing",
            Agreement::Exact => "exact",
            Agreement::Equivalent => "equivalent",
            Agreement::Close => "close",
            Agreement::Partial => "partial",
            Agreement::Different => "different",
        }
    }

    pub(crate) fn from_index(i: u8) -> Agreement {
        match i {
            1 => Agreement::Exact,
            2 => Agreement::Equivalent,
            3 => Agreement::Close,
            4 => Agreement::Partial,
            5 => Agreement::Different,
            _ => Agreement::Missing,
        }
    }
}

/// A comparison vector: one level per field (as `Agreement as u8`).
pub type Gamma = [u8; FIELDS];

/// A record with its normal forms computed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    pub given: String,
    pub family: String,
    pub given_key: String,
    pub family_key: String,
    pub scripts: Vec<(String, Script)>,
    pub dob: Option<[u8; 8]>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub documents: Vec<String>,
    pub phone: Option<String>,
    pub address: [String; 6],
}

fn opt(text: &Option<String>, f: fn(&str) -> String) -> String {
    text.as_deref().map(f).unwrap_or_default()
}

/// Names already normalised in this run: raw name → (clean, key). Names repeat a lot.
pub(crate) type NameCache = rustc_hash::FxHashMap<String, (String, String)>;

fn cached_name(name: &Option<String>, cache: &mut NameCache) -> (String, String) {
    let Some(name) = name.as_deref() else {
        return Default::default();
    };
    if let Some(hit) = cache.get(name) {
        return hit.clone();
    }
    let value = (normal::clean_name(name), normal::name_key(name));
    cache.insert(name.to_string(), value.clone());
    value
}

/// Every record prepared, sharing one name cache.
pub(crate) fn prepare_all(records: &[Person]) -> Vec<Prepared> {
    let mut cache = NameCache::default();
    records
        .iter()
        .map(|p| Prepared::with_cache(p, &mut cache))
        .collect()
}

impl Prepared {
    #[cfg(test)]
    pub fn new(p: &Person) -> Prepared {
        Prepared::with_cache(p, &mut NameCache::default())
    }

    pub fn with_cache(p: &Person, cache: &mut NameCache) -> Prepared {
        let (given, given_key) = cached_name(&p.given, cache);
        let (family, family_key) = cached_name(&p.family, cache);
        let a = &p.address;
        let phone = p.phone.as_deref().map(normal::digits).map(|d| {
            let start = d.len().saturating_sub(8);
            d[start..].to_string()
        });
        Prepared {
            given,
            family,
            given_key,
            family_key,
            scripts: p
                .script_names
                .iter()
                .map(|s| normal::script_name(s))
                .filter(|(s, _)| !s.is_empty())
                .collect(),
            dob: p
                .dob
                .map(|d| d.digits())
                .filter(|d| d.iter().any(|&c| c != b'?')),
            sex: p.sex,
            nationality: p
                .nationality
                .as_deref()
                .map(|n| n.trim().to_ascii_uppercase())
                .filter(|n| !n.is_empty()),
            documents: p
                .documents
                .iter()
                .map(|d| normal::document(d))
                .filter(|d| !d.is_empty())
                .collect(),
            phone: phone.filter(|p| p.len() >= 6),
            address: [
                opt(&a.number, normal::fold),
                opt(&a.street, normal::fold),
                opt(&a.locality, normal::fold),
                opt(&a.area, normal::fold),
                opt(&a.postcode, normal::fold),
                opt(&a.province, normal::fold),
            ],
        }
    }
}

fn name_level(a: &str, ak: &str, b: &str, bk: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        return Agreement::Missing as u8;
    }
    if a == b {
        return Agreement::Exact as u8;
    }
    if ak == bk && !ak.is_empty() {
        return Agreement::Equivalent as u8;
    }
    let jw = jaro_winkler_min(a, b, 0.6);
    if jw >= 0.92 || one_edit(a.as_bytes(), b.as_bytes()) {
        Agreement::Close as u8
    } else if jw >= 0.80 || (jw >= 0.6 && jaro_winkler_min(ak, bk, 0.92) >= 0.92) {
        Agreement::Partial as u8
    } else {
        Agreement::Different as u8
    }
}

fn text_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        return Agreement::Missing as u8;
    }
    if a == b {
        return Agreement::Exact as u8;
    }
    let jw = jaro_winkler_min(a, b, 0.8);
    if jw >= 0.92 {
        Agreement::Close as u8
    } else if jw >= 0.80 {
        Agreement::Partial as u8
    } else {
        Agreement::Different as u8
    }
}

fn code_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        Agreement::Missing as u8
    } else if a == b {
        Agreement::Exact as u8
    } else if one_edit(a.as_bytes(), b.as_bytes()) {
        Agreement::Close as u8
    } else {
        Agreement::Different as u8
    }
}

fn dob_level(a: &[u8; 8], b: &[u8; 8]) -> u8 {
    if a == b && !a.contains(&b'?') {
        return Agreement::Exact as u8;
    }
    let known = |i: usize| a[i] != b'?' && b[i] != b'?';
    let diff = (0..8).filter(|&i| known(i) && a[i] != b[i]).count();
    let complete = !a.contains(&b'?') && !b.contains(&b'?');
    let swapped = complete && a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6];
    let adjacent = complete && diff == 2 && (0..7).any(|i| a[i] == b[i + 1] && a[i + 1] == b[i]);
    if complete && (diff == 1 || swapped || adjacent) {
        Agreement::Close as u8
    } else if diff == 0 || (known(3) && a[..4] == b[..4]) {
        Agreement::Partial as u8
    } else {
        Agreement::Different as u8
    }
}

/// Same digits, at least five of them (`N0123456` / `0123456`).
fn same_digits(x: &str, y: &str) -> bool {
    let dx = x.bytes().filter(u8::is_ascii_digit);
    dx.clone().count() >= 5 && dx.eq(y.bytes().filter(u8::is_ascii_digit))
}

fn set_level<'a>(
    a: impl Iterator<Item = &'a String> + Clone,
    b: impl Iterator<Item = &'a String> + Clone,
) -> u8 {
    let mut best = Agreement::Missing as u8;
    for x in a {
        for y in b.clone() {
            let level = if x == y {
                Agreement::Exact as u8
            } else if same_digits(x, y) {
                Agreement::Equivalent as u8
            } else if x.len() >= 5 && one_edit(x.as_bytes(), y.as_bytes()) {
                Agreement::Close as u8
            } else {
                Agreement::Different as u8
            };
            best = if best == 0 { level } else { best.min(level) };
        }
    }
    best
}

fn script_level(a: &[(String, Script)], b: &[(String, Script)]) -> u8 {
    let mut best = Agreement::Missing as u8;
    for (x, sx) in a {
        for (y, sy) in b.iter().filter(|(_, sy)| sy == sx) {
            let _ = sy;
            let level = if x == y {
                Agreement::Exact as u8
            } else if strsim::normalized_levenshtein(x, y) >= 0.75 {
                Agreement::Close as u8
            } else {
                Agreement::Different as u8
            };
            best = if best == 0 { level } else { best.min(level) };
        }
    }
    best
}

fn eq_level<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> u8 {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Agreement::Exact as u8,
        (Some(_), Some(_)) => Agreement::Different as u8,
        _ => Agreement::Missing as u8,
    }
}

/// Whether `a1 + a2 == b1 + b2`, without joining.
fn joined_eq(a1: &str, a2: &str, b1: &str, b2: &str) -> bool {
    a1.len() + a2.len() == b1.len() + b2.len()
        && a1
            .bytes()
            .chain(a2.bytes())
            .eq(b1.bytes().chain(b2.bytes()))
}

/// Both names taken together, whichever field each part was written in (`Chan Sokha`
/// in one field against `Sokha` / `Chan`): the joined keys in either order.
fn full_name_level(a: &Prepared, b: &Prepared) -> u8 {
    let (ag, af, bg, bf) = (&a.given_key, &a.family_key, &b.given_key, &b.family_key);
    if ag.len() + af.len() < 4 || bg.len() + bf.len() < 4 {
        return 0;
    }
    if joined_eq(ag, af, bg, bf) || joined_eq(ag, af, bf, bg) || joined_eq(af, ag, bg, bf) {
        return Agreement::Equivalent as u8;
    }
    // Typos in a full name are looked for only when it was written in one field.
    if !(ag.is_empty() || af.is_empty() || bg.is_empty() || bf.is_empty()) {
        return 0;
    }
    let x = [ag.as_str(), af.as_str()].concat();
    let best = jaro_winkler(&x, &[bg.as_str(), bf.as_str()].concat())
        .max(jaro_winkler(&x, &[bf.as_str(), bg.as_str()].concat()));
    if best >= 0.93 {
        Agreement::Close as u8
    } else {
        0
    }
}

/// The comparison vector of a pair and whether given and family names were swapped.
pub(crate) fn compare(a: &Prepared, b: &Prepared) -> (Gamma, bool) {
    let mut g = [0u8; FIELDS];
    let straight = (
        name_level(&a.given, &a.given_key, &b.given, &b.given_key),
        name_level(&a.family, &a.family_key, &b.family, &b.family_key),
    );
    // Swapped names are only looked for when neither name agrees as it stands.
    let crossed = if straight.0 > 2 && straight.1 > 2 {
        (
            name_level(&a.given, &a.given_key, &b.family, &b.family_key),
            name_level(&a.family, &a.family_key, &b.given, &b.given_key),
        )
    } else {
        (0, 0)
    };
    let score = |(x, y): (u8, u8)| {
        let v = |l: u8| if l == 0 { 3 } else { l };
        v(x) + v(y)
    };
    let swapped = crossed.0 > 0 && crossed.1 > 0 && score(crossed) + 1 < score(straight);
    (g[0], g[1]) = if swapped { crossed } else { straight };
    // A full name split differently between the two fields (`Chan Sokha` / `` vs
    // `Sokha` / `Chan`): the joined keys agree in one order or the other.
    if g[0] > 2 || g[1] > 2 {
        let full = full_name_level(a, b);
        if full != 0 && (g[0] == 0 || full < g[0]) && (g[1] == 0 || full < g[1]) {
            g[0] = full;
            g[1] = full;
        }
    }
    g[2] = match (&a.dob, &b.dob) {
        (Some(x), Some(y)) => dob_level(x, y),
        _ => 0,
    };
    g[3] = eq_level(&a.sex, &b.sex);
    g[4] = eq_level(&a.nationality, &b.nationality);
    g[5] = set_level(a.documents.iter(), b.documents.iter());
    g[6] = match (&a.phone, &b.phone) {
        (Some(x), Some(y)) => code_level(x, y),
        _ => 0,
    };
    g[7] = script_level(&a.scripts, &b.scripts);
    // A name in script that agrees says again what agreeing Latin names said: it only
    // counts when a Latin name is missing. Disagreeing script still counts (Cantonese
    // `Wong` is both 王 and 黃).
    if g[7] != 0 && g[7] < Agreement::Different as u8 && g[0] != 0 && g[1] != 0 {
        g[7] = Agreement::Missing as u8;
    }
    g[8] = code_level(&a.address[0], &b.address[0]);
    g[9] = text_level(&a.address[1], &b.address[1]);
    g[10] = text_level(&a.address[2], &b.address[2]);
    g[11] = text_level(&a.address[3], &b.address[3]);
    g[12] = code_level(&a.address[4], &b.address[4]);
    g[13] = eq_level(
        &Some(&a.address[5]).filter(|s| !s.is_empty()),
        &Some(&b.address[5]).filter(|s| !s.is_empty()),
    );
    (g, swapped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::PartialDate;

    fn person(given: &str, family: &str) -> Person {
        Person {
            given: Some(given.into()),
            family: Some(family.into()),
            ..Person::default()
        }
    }

    fn check(a: &Person, b: &Person, expected: &[(Field, Agreement)], swapped: bool) {
        let (g, s) = compare(&Prepared::new(a), &Prepared::new(b));
        for (f, level) in expected {
            let i = Field::ALL.iter().position(|x| x == f).unwrap_or(0);
            assert_eq!(
                Agreement::from_index(g[i]),
                *level,
                "{f:?} in {a:?} / {b:?}"
            );
        }
        assert_eq!(s, swapped);
    }

    #[test]
    fn names() {
        use Agreement::*;
        use Field::*;
        let sokha = person("Sokha", "Chan");
        check(
            &sokha,
            &person("Sokhar", "Chan"),
            &[(Given, Equivalent), (Family, Exact)],
            false,
        );
        check(
            &sokha,
            &person("Chan", "Sokha"),
            &[(Given, Exact), (Family, Exact)],
            true,
        );
        check(
            &sokha,
            &person("Sokhaa", "Chen"),
            &[(Given, Equivalent), (Family, Equivalent)],
            false,
        );
        check(
            &sokha,
            &person("Dara", "Chan"),
            &[(Given, Different)],
            false,
        );
        let split = Person {
            given: Some("Chan Sokha".into()),
            ..Person::default()
        };
        check(
            &sokha,
            &split,
            &[(Given, Equivalent), (Family, Equivalent)],
            false,
        );
    }

    #[test]
    fn dates_and_numbers() {
        use Agreement::*;
        use Field::*;
        let with = |dob: PartialDate, doc: &str, phone: &str| Person {
            dob: Some(dob),
            documents: vec![doc.into()],
            phone: Some(phone.into()),
            ..Person::default()
        };
        let a = with(PartialDate::ymd(1990, 3, 7), "N0123456", "+855 12 345 678");
        let b = with(PartialDate::ymd(1990, 7, 3), "N0123465", "012 345 678");
        check(
            &a,
            &b,
            &[(Dob, Close), (Document, Close), (Phone, Exact)],
            false,
        );
        let c = with(
            PartialDate::parse("1990").unwrap_or_default(),
            "X9",
            "099 999 999",
        );
        check(
            &a,
            &c,
            &[(Dob, Partial), (Document, Different), (Phone, Different)],
            false,
        );
        let d = with(PartialDate::ymd(1991, 3, 7), "n0123456", "12345678");
        check(
            &a,
            &d,
            &[(Dob, Close), (Document, Exact), (Phone, Exact)],
            false,
        );
    }

    #[test]
    fn scripts() {
        use Agreement::*;
        use Field::*;
        let a = Person {
            script_names: vec!["ចាន់ សុខា".into()],
            ..Person::default()
        };
        let b = Person {
            script_names: vec!["ចាន់សុខា".into(), "陈".into()],
            ..Person::default()
        };
        let c = Person {
            script_names: vec!["张晓明".into()],
            ..Person::default()
        };
        check(&a, &b, &[(ScriptName, Exact)], false);
        check(&a, &c, &[(ScriptName, Missing)], false);
    }
}
