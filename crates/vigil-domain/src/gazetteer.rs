//! Cambodia's administrative divisions (25 provinces, 210 districts, 1,661 communes,
//! 14,576 villages; Khmer and English names, official codes), embedded in the binary.
//!
//! Source: General Directorate of Digital Economy, Ministry of Economy and Finance
//! (see `data/gazetteer/NOTICE`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const PROVINCES: &str = include_str!("../data/gazetteer/CambodiaProvinceList2025.csv");
const DISTRICTS: &str = include_str!("../data/gazetteer/CambodiaDistrictList2025.csv");
const COMMUNES: &str = include_str!("../data/gazetteer/CambodiaCommuneList2025.csv");
const VILLAGES: &str = include_str!("../data/gazetteer/CambodiaVillagesList2025.csv");

/// The level of an administrative unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Province (or the capital), 2-digit code.
    Province,
    /// District, municipality or khan, 4-digit code.
    District,
    /// Commune or sangkat, 6-digit code.
    Commune,
    /// Village, 8-digit code.
    Village,
}

impl Level {
    /// The stable name of the level.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
            Level::Village => "village",
        }
    }

    /// The level a code of this length belongs to.
    pub fn of_code(code: &str) -> Option<Level> {
        match code.len() {
            2 => Some(Level::Province),
            4 => Some(Level::District),
            6 => Some(Level::Commune),
            8 => Some(Level::Village),
            _ => None,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Official code (2, 4, 6 or 8 digits).
    pub code: String,
    /// Level.
    pub level: Level,
    /// Khmer name.
    pub name_km: String,
    /// English (romanised) name.
    pub name_en: String,
    /// Code of the unit one level up, if any.
    pub parent: Option<String>,
}

/// Common spellings people use that differ from the official romanisation.
/// Each maps to the official code it most often means.
const VARIANTS: &[(&str, &str)] = &[
    ("Sihanoukville", "18"),
    ("Preah Sihanouk", "18"),
    ("Kampong Som", "18"),
    ("Kompong Som", "18"),
    ("Kampong Saom", "18"),
    ("Snookyville", "18"),
    ("Siem Reap", "17"),
    ("Siem Riep", "17"),
    ("Phnum Penh", "12"),
    ("Phnom Penh", "12"),
    ("Mondulkiri", "11"),
    ("Ratanakiri", "16"),
    ("Rattanakiri", "16"),
    ("Ratanakkiri", "16"),
    ("Oddar Meanchey", "22"),
    ("Oddar Mean Chey", "22"),
    ("Tbong Khmum", "25"),
    ("Tbong Khmom", "25"),
    ("Kracheh", "10"),
    ("Kratié", "10"),
    ("Takev", "21"),
    ("Pouthisat", "15"),
    ("Pousat", "15"),
    ("Batdambang", "02"),
    ("Kaeb", "23"),
    ("Krong Kep", "23"),
    ("Stoeng Treng", "19"),
    ("Stueng Traeng", "19"),
    ("Poipet", "0110"),
    ("Poi Pet", "0110"),
    ("Bavet", "2008"),
    ("O'Smach", "220405"),
    ("O Smach", "220405"),
    ("Osmach", "220405"),
];

/// The embedded gazetteer with its indexes.
#[derive(Debug)]
pub struct Gazetteer {
    units: Vec<Unit>,
    by_code: HashMap<String, usize>,
    children: HashMap<String, Vec<usize>>,
    provinces: Vec<usize>,
    keys: Vec<(String, String)>,
    variants: Vec<(String, usize, &'static str)>,
}

/// A unit found by [`Gazetteer::search`], with how well it matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match<'a> {
    /// The unit.
    pub unit: &'a Unit,
    /// Higher is better: 100 code, 90 name, 85 variant, 60 prefix, 40 contains.
    pub score: u8,
    /// The variant spelling that matched, if it was one.
    pub variant: Option<&'static str>,
}

/// The gazetteer, parsed once on first use from the embedded files.
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::load)
}

/// A search key for a name: case, spacing, punctuation and common romanisation
/// differences folded away. Khmer names keep their letters and lose spaces.
pub fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in lower.chars() {
        if c.is_alphanumeric() || ('\u{1780}'..='\u{17FF}').contains(&c) {
            cur.push(fold_accent(c));
        } else if c == '\'' || c == '\u{2019}' || c == '\u{200B}' {
            continue;
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
        .into_iter()
        .map(|w| match w.as_str() {
            "kompong" | "kg" | "kampung" => "kampong".to_string(),
            "koh" => "kaoh".to_string(),
            "phnum" => "phnom".to_string(),
            "krong" | "khan" | "srok" | "sangkat" | "khum" | "phum" | "province" | "city"
            | "district" | "commune" | "village" => String::new(),
            _ => w,
        })
        .collect::<String>()
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        _ => c,
    }
}

fn parse_csv(text: &str, level: Level, out: &mut Vec<Unit>, known: &HashMap<String, usize>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    for record in reader.records().flatten() {
        // Columns: ancestors' codes…, own code, Khmer name, English name.
        let n = record.len();
        if n < 3 {
            continue;
        }
        let code = record.get(n - 3).unwrap_or_default().trim().to_string();
        // The nearest listed ancestor: a few villages name a commune that the
        // commune list lacks (120913 in 2025); they hang from their district.
        let parent = (0..n - 3)
            .rev()
            .filter_map(|i| record.get(i))
            .map(str::trim)
            .find(|c| known.contains_key(*c))
            .map(str::to_string);
        out.push(Unit {
            code,
            level,
            name_km: record.get(n - 2).unwrap_or_default().trim().to_string(),
            name_en: record.get(n - 1).unwrap_or_default().trim().to_string(),
            parent,
        });
    }
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut units = Vec::with_capacity(16_500);
        let mut known = HashMap::new();
        for (text, level) in [
            (PROVINCES, Level::Province),
            (DISTRICTS, Level::District),
            (COMMUNES, Level::Commune),
            (VILLAGES, Level::Village),
        ] {
            let from = units.len();
            parse_csv(text, level, &mut units, &known);
            for (i, u) in units.iter().enumerate().skip(from) {
                known.insert(u.code.clone(), i);
            }
        }
        let mut by_code = HashMap::with_capacity(units.len());
        let mut children: HashMap<String, Vec<usize>> = HashMap::new();
        let mut provinces = Vec::new();
        for (i, u) in units.iter().enumerate() {
            by_code.insert(u.code.clone(), i);
            match &u.parent {
                Some(p) => children.entry(p.clone()).or_default().push(i),
                None => provinces.push(i),
            }
        }
        let keys = units
            .iter()
            .map(|u| (name_key(&u.name_en), name_key(&u.name_km)))
            .collect();
        let variants = VARIANTS
            .iter()
            .filter_map(|(name, code)| by_code.get(*code).map(|i| (name_key(name), *i, *name)))
            .collect();
        Gazetteer {
            units,
            by_code,
            children,
            provinces,
            keys,
            variants,
        }
    }

    /// Every unit, provinces first, then districts, communes and villages.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit with this official code.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.by_code.get(code).map(|i| &self.units[*i])
    }

    /// The 25 provinces, in code order.
    pub fn provinces(&self) -> impl Iterator<Item = &Unit> {
        self.provinces.iter().map(|i| &self.units[*i])
    }

    /// The units directly inside `code`.
    pub fn children(&self, code: &str) -> impl Iterator<Item = &Unit> {
        self.children
            .get(code)
            .into_iter()
            .flatten()
            .map(|i| &self.units[*i])
    }

    /// The real unit a code shaped like the gazetteer's stands for (synthetic
    /// data draws such codes at random): its province, then for each further
    /// pair of digits the child at that index, modulo the number of children.
    /// `None` when the province is unknown or a level has no children.
    pub fn descend(&self, code: &str) -> Option<&Unit> {
        let mut unit = self.get(code.get(..2)?)?;
        let mut rest = code.get(2..)?;
        while rest.len() >= 2 {
            let k: usize = rest.get(..2)?.parse().ok()?;
            let children: Vec<&Unit> = self.children(&unit.code).collect();
            if children.is_empty() {
                return None;
            }
            unit = children[k % children.len()];
            rest = &rest[2..];
        }
        Some(unit)
    }

    /// The units above `unit`, nearest first.
    pub fn ancestors<'a>(&'a self, unit: &'a Unit) -> impl Iterator<Item = &'a Unit> {
        std::iter::successors(unit.parent.as_deref().and_then(|p| self.get(p)), |u| {
            u.parent.as_deref().and_then(|p| self.get(p))
        })
    }

    /// Number of units at a level.
    pub fn count(&self, level: Level) -> usize {
        self.units.iter().filter(|u| u.level == level).count()
    }

    /// Finds units by code, Khmer or English name, or a common variant spelling.
    /// Best matches first; at equal score, higher levels (provinces) first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Match<'_>> {
        let q = query.trim();
        let mut found: Vec<Match<'_>> = Vec::new();
        if q.is_empty() {
            return found;
        }
        if let Some(u) = self.get(q) {
            found.push(Match {
                unit: u,
                score: 100,
                variant: None,
            });
        }
        let key = name_key(q);
        if key.is_empty() {
            return found;
        }
        for (k, i, name) in &self.variants {
            if *k == key {
                found.push(Match {
                    unit: &self.units[*i],
                    score: 95,
                    variant: Some(name),
                });
            }
        }
        for (i, (en, km)) in self.keys.iter().enumerate() {
            let score = if *en == key || *km == key {
                90
            } else if en.starts_with(&key) || km.starts_with(&key) {
                60
            } else if key.chars().count() >= 3 && (en.contains(&key) || km.contains(&key)) {
                40
            } else {
                continue;
            };
            found.push(Match {
                unit: &self.units[i],
                score,
                variant: None,
            });
        }
        found.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.unit.level.cmp(&b.unit.level))
                .then(a.unit.code.cmp(&b.unit.code))
        });
        let mut seen = std::collections::HashSet::new();
        found.retain(|m| seen.insert(m.unit.code.clone()));
        found.truncate(limit);
        found
    }

    /// The full path of a unit, e.g. "Svay Rieng › Bavet › Bavet".
    pub fn path_en(&self, unit: &Unit) -> String {
        let mut names: Vec<&str> = self.ancestors(unit).map(|u| u.name_en.as_str()).collect();
        names.reverse();
        names.push(&unit.name_en);
        names.join(" › ")
    }

    /// The full path of a unit in Khmer.
    pub fn path_km(&self, unit: &Unit) -> String {
        let mut names: Vec<&str> = self.ancestors(unit).map(|u| u.name_km.as_str()).collect();
        names.reverse();
        names.push(&unit.name_km);
        names.join(" › ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_official_lists() {
        let g = gazetteer();
        assert_eq!(g.count(Level::Province), 25);
        assert_eq!(g.count(Level::District), 210);
        assert_eq!(g.count(Level::Commune), 1661);
        assert_eq!(g.count(Level::Village), 14576);
        assert_eq!(g.provinces().count(), 25);
    }

    #[test]
    fn quoted_names_are_read_whole() {
        let g = gazetteer();
        let v = g.get("03010403").map(|u| u.name_en.as_str());
        assert_eq!(v, Some("Prasout \"Ka\""));
    }

    fn first(q: &str) -> Option<String> {
        gazetteer()
            .search(q, 5)
            .first()
            .map(|m| m.unit.code.clone())
    }

    #[test]
    fn finds_by_name_code_and_variant() {
        assert_eq!(first("Sihanoukville").as_deref(), Some("18"));
        assert_eq!(first("Preah Sihanouk").as_deref(), Some("18"));
        assert_eq!(first("Kampong Som").as_deref(), Some("18"));
        assert_eq!(first("kompong som").as_deref(), Some("18"));
        assert_eq!(first("ព្រះសីហនុ").as_deref(), Some("18"));
        assert_eq!(first("1806").as_deref(), Some("1806"));
        assert_eq!(first("Bavet").as_deref(), Some("2008"));
        assert_eq!(first("Poipet").as_deref(), Some("0110"));
        assert_eq!(first("O'Smach").as_deref(), Some("220405"));
        assert_eq!(first("siem reap").as_deref(), Some("17"));
        assert_eq!(first("Battambang").as_deref(), Some("02"));
        assert_eq!(first("បាត់ដំបង").as_deref(), Some("02"));
        assert!(gazetteer().search("zzzzqqq", 5).is_empty());
        assert!(gazetteer().search("", 5).is_empty());
    }

    #[test]
    fn hierarchy_is_whole() {
        let g = gazetteer();
        for u in g.units() {
            if let Some(p) = &u.parent {
                let parent = g.get(p);
                // Codes usually extend their parent's, but not always (units were
                // moved between communes), so only the parent link is checked.
                assert!(parent.is_some(), "{} has unknown parent {p}", u.code);
            }
        }
        assert_eq!(
            g.get("12091301").and_then(|u| u.parent.as_deref()),
            Some("1209")
        );
        assert_eq!(
            g.children("18").count(),
            g.units()
                .iter()
                .filter(|u| u.parent.as_deref() == Some("18"))
                .count()
        );
    }
}
