//! Cambodia's exit posts — the international airports and the main land border
//! checkpoints where immigration officers screen travellers leaving the
//! country — each with a stable code, its names in English and Khmer, and the
//! gazetteer province it lies in (which decides whose jurisdiction it is).
//! Embedded from `data/posts/exit_posts.csv`.

use std::sync::OnceLock;

const POSTS: &str = include_str!("../data/posts/exit_posts.csv");

/// What kind of post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostKind {
    /// An international airport.
    Airport,
    /// A land border checkpoint.
    Land,
}

/// One exit post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The stable code (IATA code for airports, e.g. `KTI`; a name for land
    /// checkpoints, e.g. `POIPET`).
    pub code: String,
    /// Airport or land checkpoint.
    pub kind: PostKind,
    /// The two-digit gazetteer province code.
    pub province_code: String,
    /// The name in English.
    pub name_en: String,
    /// The name in Khmer.
    pub name_km: String,
}

impl Post {
    /// The name in `lang` (`km` gives Khmer; anything else English).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "km" {
            &self.name_km
        } else {
            &self.name_en
        }
    }
}

fn parse(text: &str) -> Vec<Post> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, kind, province, en, km] = f.as_slice() else {
                return None;
            };
            let kind = match *kind {
                "airport" => PostKind::Airport,
                "land" => PostKind::Land,
                _ => return None,
            };
            Some(Post {
                code: (*code).to_string(),
                kind,
                province_code: (*province).to_string(),
                name_en: (*en).to_string(),
                name_km: (*km).to_string(),
            })
        })
        .collect()
}

/// Every exit post, in the shipped order (airports first).
pub fn posts() -> &'static [Post] {
    static POSTS_LIST: OnceLock<Vec<Post>> = OnceLock::new();
    POSTS_LIST.get_or_init(|| parse(POSTS))
}

/// The post with this code (any case).
pub fn post(code: &str) -> Option<&'static Post> {
    let code = code.trim();
    posts().iter().find(|p| p.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Jurisdiction;
    use crate::gazetteer::{Level, gazetteer};

    #[test]
    fn every_post_lies_in_a_gazetteer_province() {
        let all = posts();
        assert_eq!(all.len(), 10, "every line of the data file is read");
        let g = gazetteer();
        for p in all {
            let unit = g
                .get(&p.province_code)
                .unwrap_or_else(|| panic!("{}: no province {}", p.code, p.province_code));
            assert_eq!(unit.level, Level::Province, "{}", p.code);
            assert!(!p.name_en.is_empty() && !p.name_km.is_empty());
            assert!(
                p.name_km
                    .chars()
                    .any(|c| ('\u{1780}'..='\u{17FF}').contains(&c))
            );
        }
        let mut codes: Vec<_> = all.iter().map(|p| p.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are unique");
    }

    #[test]
    fn posts_are_found_by_code_and_placed() {
        for (code, province) in [
            ("KTI", "08"),
            ("sai", "17"),
            ("KOS", "18"),
            ("POIPET", "01"),
            ("CHAM-YEAM", "09"),
            ("O-SMACH", "22"),
            ("BAVET", "20"),
            ("PREK-CHAK", "07"),
            ("TRAPEANG-KRIEL", "19"),
            ("KAAM-SAMNOR", "08"),
        ] {
            let p = post(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(p.province_code, province, "{code}");
        }
        assert_eq!(post("PNH"), None, "the old airport closed in 2025");
        assert_eq!(
            post("KTI").map(|p| (p.kind, p.name("en"))),
            Some((PostKind::Airport, "Techo International Airport"))
        );
        assert_eq!(
            post("BAVET").map(|p| p.name("km")),
            Some("ច្រកទ្វារអន្តរជាតិបាវិត")
        );
        let bm = Jurisdiction::Provinces(vec!["01".into()]);
        let mine: Vec<_> = posts()
            .iter()
            .filter(|p| bm.covers(Some(&p.province_code)))
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(mine, ["POIPET"]);
    }
}
