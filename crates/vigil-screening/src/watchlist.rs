//! Values that intelligence ties to recruitment or facilities: phone numbers,
//! handles, domains, employer and agency names.

use std::collections::{HashMap, HashSet};

/// Normalised values → what each is tied to (facility or tip labels). The caller
/// fills it from intelligence; values are normalised on the way in and on lookup,
/// so `012 345 678`, `+855 12 345 678`, `@Handle` and `t.me/handle` meet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watchlist {
    entries: HashMap<String, Vec<String>>,
    /// The keys listed as names (no identifier in them): found in texts by runs
    /// of words. Identifiers are found only as identifiers, so a handle that is
    /// also a common word does not match that word in an offer's text.
    names: HashSet<String>,
    /// The first word of every listed name: runs of words are looked up only
    /// from these.
    first_words: HashSet<String>,
    /// The most words in a listed name.
    name_words: usize,
}

/// Names longer than this many words are still listed, but only found whole.
const MAX_NAME_WORDS: usize = 8;

impl Watchlist {
    /// An empty watchlist.
    pub fn new() -> Watchlist {
        Watchlist::default()
    }

    /// Ties `value` (a contact in any format, or a name) to `label`.
    pub fn add(&mut self, value: &str, label: impl Into<String>) {
        let label = label.into();
        let (keys, is_name) = keys(value);
        for key in keys {
            if is_name {
                let words = key.split(' ').count();
                self.name_words = self.name_words.max(words.min(MAX_NAME_WORDS));
                if let Some(first) = key.split(' ').next() {
                    self.first_words.insert(first.to_string());
                }
                self.names.insert(key.clone());
            }
            let labels = self.entries.entry(key).or_default();
            if !labels.contains(&label) {
                labels.push(label.clone());
            }
        }
    }

    /// Reads a watchlist written as JSON lines, `{"value": …, "label": …}` each
    /// (blank lines skipped). A bad line is refused with its number.
    pub fn from_jsonl(text: &str) -> Result<Watchlist, String> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            value: String,
            label: String,
        }
        let mut w = Watchlist::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: Entry =
                serde_json::from_str(line).map_err(|e| format!("watchlist line {}: {e}", n + 1))?;
            w.add(&e.value, e.label);
        }
        Ok(w)
    }

    /// Every listed value with its labels, in no set order, each written so
    /// that [`Watchlist::add`] lists it again under the same key and as the
    /// same kind (a handle's key gets its `@` back, so it is not taken for a
    /// name): a watchlist rebuilt from its entries is the same watchlist.
    pub fn entries(&self) -> impl Iterator<Item = (String, &[String])> {
        self.entries.iter().map(|(key, labels)| {
            let again = |value: &str| {
                let (keys, is_name) = keys(value);
                keys.len() == 1 && keys[0] == *key && is_name == self.names.contains(key)
            };
            let value = if again(key) {
                key.clone()
            } else {
                let handle = format!("@{key}");
                if again(&handle) { handle } else { key.clone() }
            };
            (value, labels.as_slice())
        })
    }

    /// How many normalised values are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The listed values found in `text` (a contact, a name or an offer's text),
    /// each with its labels: identifiers first, then names (runs of words).
    pub fn find(&self, text: &str) -> Vec<(String, &[String])> {
        let mut out: Vec<(String, &[String])> = Vec::new();
        let mut push = |key: String| {
            if let Some(labels) = self.entries.get(&key)
                && !out.iter().any(|(k, _)| *k == key)
            {
                out.push((key, labels.as_slice()));
            }
        };
        let found = identifiers(text);
        let folded = name_key(text);
        if found.is_empty() {
            // The whole text is one value: a bare handle meets `@handle`.
            push(folded.clone());
        }
        for key in found {
            push(key);
        }
        if self.names.is_empty() {
            return out;
        }
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut key = String::new();
        let mut runs: Vec<String> = Vec::new();
        for (i, first) in words.iter().enumerate() {
            if !self.first_words.contains(*first) {
                continue;
            }
            key.clear();
            for (n, w) in words[i..].iter().take(self.name_words).enumerate() {
                if n > 0 {
                    key.push(' ');
                }
                key.push_str(w);
                if self.names.contains(&key) {
                    runs.push(key.clone());
                }
            }
        }
        // Longest first, as before: a name inside a longer listed name comes after.
        runs.sort_by_key(|k| std::cmp::Reverse(k.split(' ').count()));
        for key in runs {
            push(key);
        }
        // Names written without spaces between words ("在金福有限公司工作"): only
        // in scripts written that way (three-byte UTF-8 and above).
        if text.bytes().any(|b| b >= 0xE0) {
            for org in vigil_extract::org::organisations(text) {
                push(name_key(&org));
            }
        }
        out
    }
}

/// The normal forms under which `value` is listed: every identifier vigil-extract
/// finds in it or, when it has none, the whole value as a name (lowercase, a
/// leading `@` dropped, spaces and punctuation folded) — so a bare `handle` or an
/// agency's name can be listed and found. The flag says whether it is a name.
pub fn keys(value: &str) -> (Vec<String>, bool) {
    let found = identifiers(value);
    if !found.is_empty() {
        return (found, false);
    }
    let name = name_key(value);
    (if name.is_empty() { vec![] } else { vec![name] }, true)
}

/// The normal forms of the identifiers in `value`.
fn identifiers(value: &str) -> Vec<String> {
    use vigil_extract::Kind;
    let found = vigil_extract::extract(value);
    let is_account = |k: Kind| {
        !matches!(
            k,
            Kind::Domain | Kind::Url | Kind::Place | Kind::Coordinates
        )
    };
    let mut out = Vec::new();
    for f in &found {
        // `t.me`, `wa.me`, `facebook.com` inside an account's link are platforms,
        // not leads: listing them would match every account on the platform.
        let platform = f.kind == Kind::Domain
            && found
                .iter()
                .any(|o| is_account(o.kind) && o.start <= f.start && f.end <= o.end);
        if f.kind != Kind::Place && !platform && !out.contains(&f.value) {
            out.push(f.value.clone());
        }
    }
    out
}

/// A name folded for comparison: lowercase, a leading `@` dropped, runs of
/// spaces and punctuation made one space, and the legal forms around a name
/// dropped — so `Golden Fortune Co., Ltd`, `GOLDEN FORTUNE CO LTD` and
/// `ក្រុមហ៊ុន Golden Fortune` are all `golden fortune`, `金福有限公司` is `金福`.
fn name_key(value: &str) -> String {
    let trimmed = value.trim().trim_start_matches('@');
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.chars() {
        let word = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            c.is_alphanumeric() || is_mark(c)
        };
        if !word {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.is_ascii() && !out.contains(' ') {
        return out; // a handle or one word: no legal form to drop
    }
    drop_legal_forms(&out)
}

/// Vowel signs, tone marks and the like (Khmer, Thai, combining accents): part
/// of a word, though not letters.
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
        || ('\u{E31}'..='\u{E4E}').contains(&c)
        || ('\u{17B4}'..='\u{17D3}').contains(&c)
        || c == '\u{17DD}'
}

/// Legal forms after a name, as folded words, longest first.
const LEGAL_SUFFIXES: &[&[&str]] = &[
    &["co", "ltd"],
    &["co", "limited"],
    &["company", "limited"],
    &["company", "ltd"],
    &["pte", "ltd"],
    &["sdn", "bhd"],
    &["จำกัด", "มหาชน"],
    &["ltd"],
    &["limited"],
    &["co"],
    &["company"],
    &["inc"],
    &["llc"],
    &["corp"],
    &["corporation"],
    &["plc"],
    &["jsc"],
    &["จำกัด"],
];

/// Legal forms and company words before a name, as folded words, longest first.
const LEGAL_PREFIXES: &[&[&str]] = &[
    &["công", "ty", "tnhh", "mtv"],
    &["công", "ty", "tnhh"],
    &["công", "ty", "cổ", "phần"],
    &["công", "ty", "cp"],
    &["cong", "ty", "tnhh"],
    &["công", "ty"],
    &["cong", "ty"],
    &["cty", "tnhh"],
    &["cty"],
];

/// Chinese legal forms joined to the name, longest first.
const JOINED_SUFFIXES: &[&str] = &[
    "有限责任公司",
    "有限責任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "จำกัด",
];

/// `folded` without the legal forms before and after the name; a key that is
/// only a legal form is kept as it is.
fn drop_legal_forms(folded: &str) -> String {
    let mut words: Vec<&str> = folded.split(' ').collect();
    loop {
        let before = words.clone();
        if let Some(p) = LEGAL_PREFIXES
            .iter()
            .find(|p| p.len() < words.len() && words.starts_with(p))
        {
            words.drain(..p.len());
        }
        if let Some(p) = LEGAL_SUFFIXES
            .iter()
            .find(|p| p.len() < words.len() && words.ends_with(p))
        {
            words.truncate(words.len() - p.len());
        }
        if let Some(&first) = words.first()
            && let Some(p) = vigil_extract::org::KHMER_PREFIXES
                .iter()
                .chain(vigil_extract::org::THAI_PREFIXES)
                .find(|p| first.starts_with(**p))
        {
            let rest = &first[p.len()..];
            if !rest.is_empty() {
                words[0] = rest;
            } else if words.len() > 1 {
                words.remove(0);
            }
        }
        if let Some(&last) = words.last()
            && let Some(s) = JOINED_SUFFIXES
                .iter()
                .find(|s| last.len() > s.len() && last.ends_with(**s))
        {
            let n = words.len() - 1;
            words[n] = &last[..last.len() - s.len()];
        }
        if words == before {
            return words.join(" ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Watchlist, name_key};

    #[test]
    fn legal_forms_case_and_punctuation_meet() {
        for (value, key) in [
            ("Golden Fortune Co., Ltd", "golden fortune"),
            ("GOLDEN FORTUNE CO LTD", "golden fortune"),
            ("Golden Fortune Company Limited", "golden fortune"),
            ("golden-fortune co.,ltd.", "golden fortune"),
            ("Golden Fortune", "golden fortune"),
            ("KK Group company", "kk group"),
            ("Win Win Recruitment Agency", "win win recruitment agency"),
            ("ក្រុមហ៊ុន Golden Fortune", "golden fortune"),
            ("ក្រុមហ៊ុនហ្គោលឌិន", "ហ្គោលឌិន"),
            ("金福有限公司", "金福"),
            ("金福公司", "金福"),
            ("Công ty TNHH Kim Phát", "kim phát"),
            ("CÔNG TY KIM PHÁT", "kim phát"),
            ("บริษัท โกลเด้น ฟอร์จูน จำกัด (มหาชน)", "โกลเด้น ฟอร์จูน"),
            ("@Recruiter_KH", "recruiter_kh"),
            // Only a legal form: kept, never an empty key.
            ("Co., Ltd", "co"),
            ("Company", "company"),
        ] {
            assert_eq!(name_key(value), key, "{value}");
        }
    }

    #[test]
    fn a_watchlist_rebuilt_from_its_entries_is_the_same() {
        // What an offline post does with the entries central sends.
        let mut w = Watchlist::new();
        for (value, label) in [
            ("+855 12 345 678", "facility 1"),
            ("097 123 4567", "tip 4"),
            ("@Recruiter_KH", "facility 2"),
            ("t.me/hr_asia_jobs", "facility 2"),
            ("https://jobs-asia.example.com/apply", "tip 5"),
            ("Golden Fortune Co., Ltd", "facility 3"),
            ("金福有限公司", "tip 9"),
            ("Win Win Recruitment Agency", "tip-line intelligence"),
            ("Company", "tip 10"),
        ] {
            w.add(value, label);
        }
        let mut again = Watchlist::new();
        for (value, labels) in w.entries() {
            for label in labels {
                again.add(&value, label.clone());
            }
        }
        assert_eq!(again, w);
    }

    #[test]
    fn an_employer_is_found_whatever_its_legal_form() {
        let mut w = Watchlist::new();
        w.add("Golden Fortune Co., Ltd", "facility 3");
        w.add("金福有限公司", "tip 9");
        for text in [
            "GOLDEN FORTUNE CO LTD",
            "golden fortune company limited",
            "Work at Golden Fortune Co. Ltd, Bavet",
            "ក្រុមហ៊ុន Golden Fortune",
        ] {
            let found = w.find(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].1, ["facility 3"], "{text}");
        }
        // Chinese names are written without spaces around them.
        let found = w.find("我在金福有限公司工作");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, ["tip 9"]);
        assert!(w.find("Golden Dragon Co., Ltd").is_empty());
        assert!(w.find("金龙有限公司").is_empty());
    }
}
