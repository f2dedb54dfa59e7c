//! The statutes a charge may name, kept as data: the shipped list is
//! `data/statutes.toml` (maintained by the prosecutors' office), and a
//! deployment may load its own file instead (`[cases] statutes_file`).
//! A statute is found by its stable `code`; an unknown code is refused.

use std::sync::OnceLock;

use serde::Deserialize;

const SHIPPED: &str = include_str!("../data/statutes.toml");

/// One statute: an offence in a law, with its article when known.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statute {
    /// Stable code a charge names (`LSHTSE-SALE`).
    pub code: String,
    /// The law's title in English.
    pub law_en: String,
    /// The law's title in Khmer.
    pub law_km: String,
    /// The article, empty where not verified.
    #[serde(default)]
    pub article: String,
    /// The offence in English.
    pub offence_en: String,
    /// The offence in Khmer.
    pub offence_km: String,
}

impl Statute {
    /// The offence and law in `lang` (`km` gives Khmer; anything else
    /// English), with the article when known.
    pub fn label(&self, lang: &str) -> String {
        let (offence, law) = if lang == "km" {
            (&self.offence_km, &self.law_km)
        } else {
            (&self.offence_en, &self.law_en)
        };
        if self.article.is_empty() {
            format!("{offence} — {law}")
        } else {
            let art = if lang == "km" {
                "មាត្រា"
            } else {
                "art."
            };
            format!("{offence} — {law}, {art} {}", self.article)
        }
    }
}

/// A list of statutes, by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statutes {
    list: Vec<Statute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    statute: Vec<Statute>,
}

/// Why a statutes file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("statutes: {0}")]
pub struct StatutesError(pub String);

impl Statutes {
    /// Reads a statutes file (TOML, `[[statute]]` tables). Codes must be
    /// unique, upper case letters, digits and `-`; titles and offences must
    /// be given in both languages.
    pub fn parse(text: &str) -> Result<Statutes, StatutesError> {
        let file: File = toml::from_str(text).map_err(|e| StatutesError(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for (i, s) in file.statute.iter().enumerate() {
            let at = format!("statute {} ({})", i + 1, s.code);
            let ok = !s.code.is_empty()
                && s.code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                return Err(StatutesError(format!(
                    "{at}: code must be upper case letters, digits and -"
                )));
            }
            if !seen.insert(s.code.clone()) {
                return Err(StatutesError(format!("{at}: code listed twice")));
            }
            for (name, v) in [
                ("law_en", &s.law_en),
                ("law_km", &s.law_km),
                ("offence_en", &s.offence_en),
                ("offence_km", &s.offence_km),
            ] {
                if v.trim().is_empty() {
                    return Err(StatutesError(format!("{at}: {name} must be given")));
                }
            }
        }
        if file.statute.is_empty() {
            return Err(StatutesError("no [[statute]] listed".into()));
        }
        Ok(Statutes { list: file.statute })
    }

    /// The statute with this code.
    pub fn get(&self, code: &str) -> Option<&Statute> {
        self.list.iter().find(|s| s.code == code)
    }

    /// Every statute, in file order.
    pub fn all(&self) -> &[Statute] {
        &self.list
    }
}

/// The shipped statutes (`data/statutes.toml`).
pub fn shipped() -> &'static Statutes {
    static LIST: OnceLock<Statutes> = OnceLock::new();
    // The shipped file is checked by this module's tests: it always parses.
    #[allow(clippy::expect_used)]
    LIST.get_or_init(|| Statutes::parse(SHIPPED).expect("the shipped statutes parse"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_with_both_languages() {
        let s = shipped();
        assert!(s.all().len() >= 3);
        let sale = s.get("LSHTSE-SALE").expect("listed");
        assert!(sale.law_en.contains("Human Trafficking"));
        assert!(sale.label("km").contains("ច្បាប់"));
        assert!(s.get("NOPE").is_none());
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let one = |code: &str| {
            format!(
                "[[statute]]\ncode = \"{code}\"\nlaw_en = \"L\"\nlaw_km = \"ល\"\noffence_en = \"O\"\noffence_km = \"អ\"\n"
            )
        };
        assert!(Statutes::parse(&one("A-1")).is_ok());
        let e = Statutes::parse(&one("a b")).unwrap_err();
        assert!(e.0.contains("code"), "{e}");
        let twice = format!("{}{}", one("A"), one("A"));
        assert!(Statutes::parse(&twice).unwrap_err().0.contains("twice"));
        assert!(Statutes::parse("").is_err());
        let missing = one("B").replace("offence_km = \"អ\"\n", "offence_km = \" \"\n");
        assert!(
            Statutes::parse(&missing)
                .unwrap_err()
                .0
                .contains("offence_km")
        );
    }
}
