//! Cambodian place names (gazetteer names in Khmer and English, and common
//! variants) found with one dictionary scan (`dict.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use vigil_domain::gazetteer::{Level, gazetteer};

use crate::dict::Dict;

use crate::types::{Detail, Found, Kind};

/// Variant spellings (English, Chinese, Vietnamese, Thai) → gazetteer code.
const ALIASES: &[(&str, &str)] = &[
    ("Sihanoukville", "18"),
    ("Sihanouk Ville", "18"),
    ("Preah Sihanouk", "18"),
    ("Kampong Som", "18"),
    ("Kompong Som", "18"),
    ("Kampong Saom", "18"),
    ("Snookyville", "18"),
    ("西港", "18"),
    ("西哈努克", "18"),
    ("Phnom Penh", "12"),
    ("Phnum Penh", "12"),
    ("Phnôm Pênh", "12"),
    ("金边", "12"),
    ("金邊", "12"),
    ("พนมเปญ", "12"),
    ("Siem Reap", "17"),
    ("Siem Riep", "17"),
    ("Siemreap", "17"),
    ("暹粒", "17"),
    ("Poipet", "0110"),
    ("Poi Pet", "0110"),
    ("Paoy Paet", "0110"),
    ("波贝", "0110"),
    ("波比", "0110"),
    ("ปอยเปต", "0110"),
    ("Bavet", "2008"),
    ("巴域", "2008"),
    ("巴韦", "2008"),
    ("木牌", "2008"),
    ("Mộc Bài", "2008"),
    ("O'Smach", "220405"),
    ("O Smach", "220405"),
    ("Osmach", "220405"),
    ("Ou Smach", "220405"),
    ("O'Smarch", "220405"),
    ("奥斯玛", "220405"),
    ("Koh Kong", "09"),
    ("Kaoh Kong", "09"),
    ("戈公", "09"),
    ("Cham Yeam", "0903"),
    ("Battambang", "02"),
    ("马德望", "02"),
    ("Kampot", "07"),
    ("贡布", "07"),
    ("Kep", "23"),
    ("Kaeb", "23"),
    ("白马", "23"),
    ("Pailin", "24"),
    ("拜林", "24"),
    ("Svay Rieng", "20"),
    ("柴桢", "20"),
    ("Kratie", "10"),
    ("Kratié", "10"),
    ("Mondulkiri", "11"),
    ("Ratanakiri", "16"),
    ("Rattanakiri", "16"),
    ("Oddar Meanchey", "22"),
    ("Banteay Meanchey", "01"),
    ("Tbong Khmum", "25"),
    ("Takeo", "21"),
    ("Kandal", "08"),
    ("Pursat", "15"),
    ("Preah Vihear", "13"),
    ("Stung Treng", "19"),
    ("Chrey Thom", "0806"),
    ("Ream", "1803"),
    ("ភ្នំពេញ", "12"),
    ("ព្រះសីហនុ", "18"),
    ("កំពង់សោម", "18"),
    ("បាត់ដំបង", "02"),
    ("សៀមរាប", "17"),
    ("ប៉ោយប៉ែត", "0110"),
    ("បាវិត", "2008"),
    ("អូរស្មាច់", "220405"),
    ("កំពត", "07"),
    ("កោះកុង", "09"),
    ("ស្វាយរៀង", "20"),
    ("កែប", "23"),
    ("ប៉ៃលិន", "24"),
    ("ចាំយាម", "0903"),
];

/// Khmer words that name a unit's level; a short Khmer name counts only after one.
const KHMER_LEVEL_WORDS: &[&str] = &["ខេត្ត", "រាជធានី", "ក្រុង", "ស្រុក", "ខណ្ឌ", "ឃុំ", "សង្កាត់", "ភូមិ"];

/// Khmer names shorter than this (in code points) need a level word before them.
const KHMER_MIN_BARE: usize = 6;

/// English words that are also place names, never matched alone.
const COMMON: &[&str] = &[
    "chan", "chey", "thom", "toch", "kandal", "tbong", "cheung", "kaeut", "lech", "kang", "phum",
    "prey", "ream", "spean", "tuol", "boeng", "veal", "trapeang",
];

/// What a name stands for: gazetteer index, whether it needs a capital first letter,
/// whether it is a curated alias.
type Target = (usize, bool, bool);

fn places() -> &'static Dict<Target> {
    static P: OnceLock<Dict<Target>> = OnceLock::new();
    P.get_or_init(|| Dict::new(names()))
}

fn rank(l: Level) -> u8 {
    match l {
        Level::Province => 0,
        Level::District => 1,
        Level::Commune => 2,
        Level::Village => 3,
    }
}

/// Every name to look for with what it stands for: the aliases first, then the
/// gazetteer's names (those unambiguous at their best level) in byte order.
fn names() -> Vec<(String, Target)> {
    let g = gazetteer();
    let units = g.units();
    // name → (best level, unit index, ambiguous at that level)
    let mut names: HashMap<String, (u8, usize, bool)> = HashMap::new();
    let add =
        |name: &str, i: usize, level: Level, names: &mut HashMap<String, (u8, usize, bool)>| {
            let r = rank(level);
            names
                .entry(name.to_string())
                .and_modify(|e| {
                    if r < e.0 {
                        *e = (r, i, false);
                    } else if r == e.0 && e.1 != i {
                        e.2 = true;
                    }
                })
                .or_insert((r, i, false));
        };
    for (i, u) in units.iter().enumerate() {
        let km_len = u.name_km.chars().count();
        let en = u.name_en.trim();
        let en_ok = match u.level {
            Level::Province | Level::District => en.len() >= 4,
            Level::Commune => en.len() >= 8 && en.contains(' '),
            Level::Village => false,
        } && !COMMON.contains(&en.to_ascii_lowercase().as_str());
        if en_ok {
            add(en, i, u.level, &mut names);
        }
        let km_ok = match u.level {
            Level::Province | Level::District => km_len >= 3,
            Level::Commune => km_len >= 5,
            Level::Village => km_len >= 8,
        };
        if km_ok && !u.name_km.is_empty() {
            add(u.name_km.trim(), i, u.level, &mut names);
        }
    }
    // Aliases override.
    let mut patterns: Vec<String> = Vec::new();
    let mut targets = Vec::new();
    let code_index: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.as_str(), i))
        .collect();
    for (alias, code) in ALIASES {
        if let Some(&i) = code_index.get(code) {
            names.remove(*alias);
            patterns.push((*alias).to_string());
            targets.push((i, alias.len() < 5, true));
        }
    }
    let mut rest: Vec<(String, (u8, usize, bool))> =
        names.into_iter().filter(|(_, v)| !v.2).collect();
    rest.sort();
    for (name, (_, i, _)) in rest {
        targets.push((i, name.len() < 5, false));
        patterns.push(name);
    }
    patterns.into_iter().zip(targets).collect()
}

fn is_khmer_mark(c: char) -> bool {
    // Dependent vowels, signs and the coeng: a name may not end or start inside a syllable.
    ('\u{17B6}'..='\u{17D3}').contains(&c) || c == '\u{17DD}'
}

/// Whether the name found at `s..e` stands as a place name where it is.
fn accept(text: &str, s: usize, e: usize, needs_cap: bool, alias: bool) -> bool {
    let first = text[s..].chars().next().unwrap_or(' ');
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let latin = |c: char| c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c);
    if first.is_ascii() {
        if before.is_some_and(latin) || after.is_some_and(latin) {
            return false;
        }
        if needs_cap && !first.is_ascii_uppercase() {
            return false;
        }
    } else if ('\u{1780}'..='\u{17FF}').contains(&first) {
        if after.is_some_and(is_khmer_mark) || before == Some('\u{17D2}') {
            return false;
        }
        if !alias && text[s..e].chars().count() < KHMER_MIN_BARE {
            let head = text[..s].trim_end_matches([' ', '\u{200B}']);
            if !KHMER_LEVEL_WORDS.iter().any(|w| head.ends_with(w)) {
                return false;
            }
        }
    }
    true
}

/// Adds the places named in `text`.
pub(crate) fn find(text: &str, out: &mut Vec<Found>) {
    let units = gazetteer().units();
    places().for_each(text, |m| {
        let &(ui, needs_cap, alias) = m.value;
        if !accept(text, m.start, m.end, needs_cap, alias) {
            return;
        }
        let Some(u) = units.get(ui) else { return };
        out.push(Found {
            kind: Kind::Place,
            value: u.code.clone(),
            start: m.start,
            end: m.end,
            detail: Some(Detail::Place {
                level: u.level,
                name: u.name_en.clone(),
            }),
        });
    });
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasickBuilder, MatchKind};

    use super::*;

    /// The dictionary finds exactly what a leftmost-longest, ASCII case-insensitive
    /// Aho-Corasick automaton over the same names finds (the matcher it replaced), on
    /// texts stitched from pieces of names with their case changed.
    #[test]
    fn same_matches_as_aho_corasick() {
        let names = names();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(names.iter().map(|(n, _)| n.as_str()))
            .expect("automaton");
        let dict = places();
        let mut seed: u64 = 0x5EED;
        let mut rand = |m: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % m.max(1)
        };
        let seps = [" ", "", "x", "ខេត្ត", "។", ",", "\u{200B}", "ា", "a "];
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..1 + rand(6) {
                let (name, _) = &names[rand(names.len())];
                let chars: Vec<char> = name.chars().collect();
                let from = if rand(3) == 0 { rand(chars.len()) } else { 0 };
                let to = if rand(3) == 0 {
                    from + rand(chars.len() - from + 1)
                } else {
                    chars.len()
                };
                for &c in &chars[from..to] {
                    text.push(if rand(4) == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    });
                }
                text.push_str(seps[rand(seps.len())]);
            }
            let want: Vec<(usize, usize, Target)> = ac
                .find_iter(&text)
                .map(|m| (m.start(), m.end(), names[m.pattern().as_usize()].1))
                .collect();
            let mut got = Vec::new();
            dict.for_each(&text, |h| got.push((h.start, h.end, *h.value)));
            assert_eq!(got, want, "{text:?}");
        }
    }
}
