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

    /// Every listed (normalised) value with its labels, in no set order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
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
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        for n in (1..=self.name_words.min(words.len())).rev() {
            for window in words.windows(n) {
                let key = window.join(" ");
                if self.names.contains(&key) {
                    push(key);
                }
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
/// spaces and punctuation made one space.
fn name_key(value: &str) -> String {
    let trimmed = value.trim().trim_start_matches('@');
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.chars() {
        if c.is_alphanumeric() || c == '_' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}
