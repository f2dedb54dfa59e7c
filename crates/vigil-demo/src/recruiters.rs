//! Local recruiters: where the Cambodian victims met in the raids come from
//! and who lured them. Recruiters live in villages of the provinces most
//! victims come from, a few in each of a few dozen communes; each is known
//! by a phone number and/or a Telegram handle. A Cambodian victim gets a
//! home village (mostly in their recruiter's commune) and, most of them,
//! the recruiter's contacts as they wrote them down (`012 345 678`,
//! `+855 12 345 678`, `@handle`, `t.me/handle`…), the job promised and the
//! route. Some recruiters are arrested at home, in commune-level operations.

use vigil_core::persons::PersonInput;
use vigil_domain::gazetteer::gazetteer;
use vigil_synth::Rng;

/// Provinces victims are most often recruited in, with weights.
const PROVINCES: [(&str, usize); 10] = [
    ("14", 18), // Prey Veng
    ("20", 14), // Svay Rieng
    ("25", 12), // Tboung Khmum
    ("03", 12), // Kampong Cham
    ("21", 10), // Takeo
    ("05", 9),  // Kampong Speu
    ("02", 8),  // Battambang
    ("01", 7),  // Banteay Meanchey
    ("17", 6),  // Siem Reap
    ("08", 4),  // Kandal
];

/// Nationalities of the foreign recruiters, in turn.
const FOREIGN: [&str; 3] = ["CN", "VN", "TH"];

/// Mobile prefixes of Cambodian operators (nine-digit numbers).
const PREFIXES: [&str; 12] = [
    "010", "012", "015", "016", "069", "070", "077", "078", "085", "086", "089", "093",
];

const JOBS: [&str; 14] = [
    "Casino cashier, 1,500 USD a month",
    "Call-centre work in Sihanoukville, 800 USD a month",
    "Online sales for a Chinese company, 1,000 USD",
    "Hotel security guard, food and room free",
    "Cook in a restaurant in Bavet",
    "Data entry, 700 USD a month and a bonus",
    "Translator Khmer–Chinese, 1,200 USD",
    "Customer service for a game company",
    "Factory work in Thailand, papers arranged",
    "Massage therapist at a resort",
    "ការងារកាស៊ីណូ ខែ ១០០០ ដុល្លារ",
    "លក់ទំនិញតាមអនឡាញ ប្រាក់ខែ ៨០០ ដុល្លារ",
    "បម្រើការនៅភោជនីយដ្ឋាន ស្នាក់នៅ និងអាហារឥតគិតថ្លៃ",
    "Construction work, 25 USD a day",
];

const ROUTES: [&str; 12] = [
    "Van from Phnom Penh to Sihanoukville at night",
    "Bus to Poipet, then across the border on foot",
    "Taxi to Bavet, handed over to a driver",
    "Motorbike to O'Smach, then a car",
    "Picked up at home by car, phone taken on the way",
    "Bus to Phnom Penh, then a van to the compound",
    "Boat along the coast from Koh Kong",
    "Flight to Bangkok, then by car to Myawaddy",
    "ជិះឡានពីភ្នំពេញទៅក្រុងព្រះសីហនុ",
    "ជិះឡានក្រុងទៅប៉ោយប៉ែត ហើយដើរឆ្លងព្រំដែន",
    "Minibus to Kampot, then moved twice",
    "Car to Chrey Thom, then across the river",
];

/// One recruiter as generated.
#[derive(Debug, Clone)]
pub(crate) struct Recruiter {
    /// Home village code.
    pub village: String,
    /// Nationality.
    pub nationality: &'static str,
    /// Phone number, nine digits with the leading 0.
    pub phone: Option<String>,
    /// Telegram handle, without `@`.
    pub handle: Option<String>,
}

/// The recruiters placed and the villages of their communes.
pub(crate) struct Recruiters {
    /// The recruiters; the first `arrested` of them are arrested.
    pub list: Vec<Recruiter>,
    /// Each commune's village codes, in the order communes were drawn.
    communes: Vec<Vec<String>>,
    /// The commune of each recruiter (index into `communes`).
    commune_of: Vec<usize>,
    /// Victims given a home so far.
    victims: usize,
    rng: Rng,
}

/// A commune's village codes.
fn villages_of(commune: &str) -> Vec<String> {
    gazetteer()
        .children(commune)
        .map(|v| v.code.clone())
        .collect()
}

/// Up to `wanted` distinct communes of [`PROVINCES`] with at least three
/// villages, drawn by the provinces' weights.
fn communes(wanted: usize, rng: &mut Rng) -> Vec<Vec<String>> {
    let g = gazetteer();
    let total: usize = PROVINCES.iter().map(|p| p.1).sum();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut tries = 0;
    while out.len() < wanted && tries < wanted * 50 {
        tries += 1;
        let mut x = rng.below(total);
        let province = PROVINCES
            .iter()
            .find(|p| {
                if x < p.1 {
                    true
                } else {
                    x -= p.1;
                    false
                }
            })
            .map_or("14", |p| p.0);
        let districts: Vec<&str> = g.children(province).map(|d| d.code.as_str()).collect();
        if districts.is_empty() {
            continue;
        }
        let district = districts[rng.below(districts.len())];
        let communes: Vec<&str> = g.children(district).map(|c| c.code.as_str()).collect();
        if communes.is_empty() {
            continue;
        }
        let commune = communes[rng.below(communes.len())];
        let villages = villages_of(commune);
        if villages.len() >= 3 && !out.iter().any(|(c, _)| c == commune) {
            out.push((commune.to_string(), villages));
        }
    }
    out.into_iter().map(|(_, v)| v).collect()
}

/// `phone` (nine digits, leading 0) as a person might write it.
fn write_phone(phone: &str, style: usize) -> String {
    let (a, b, c) = (&phone[..3], &phone[3..6], &phone[6..]);
    let national = &phone[1..];
    match style % 6 {
        0 => format!("{a} {b} {c}"),
        1 => format!("+855 {} {b} {c}", &a[1..]),
        2 => format!("{a}-{b}-{c}"),
        3 => format!("(+855) {}-{b}-{c}", &a[1..]),
        4 => format!("+855{national}"),
        _ => phone.to_string(),
    }
}

/// `handle` as a person might write it.
fn write_handle(handle: &str, style: usize) -> String {
    match style % 4 {
        0 => format!("@{handle}"),
        1 => format!("t.me/{handle}"),
        2 => format!("https://t.me/{handle}"),
        _ => format!("Telegram @{handle}"),
    }
}

impl Recruiters {
    /// `count` recruiters (every eighth foreign) in up to `communes` communes,
    /// drawn from `seed`.
    pub(crate) fn place(count: usize, wanted: usize, seed: u64) -> Recruiters {
        let mut rng = Rng::new(seed ^ 0x5245_4352);
        let communes = communes(wanted.max(1), &mut rng);
        let mut list = Vec::with_capacity(count);
        let mut commune_of = Vec::with_capacity(count);
        for i in 0..count {
            let c = i % communes.len().max(1);
            let village = communes
                .get(c)
                .map(|v| v[rng.below(v.len())].clone())
                .unwrap_or_default();
            let nationality = if i % 8 == 1 {
                FOREIGN[(i / 8) % FOREIGN.len()]
            } else {
                "KH"
            };
            // Unique per recruiter: the index in the last four digits.
            let phone = format!(
                "{}{:02}{:04}",
                PREFIXES[rng.below(PREFIXES.len())],
                rng.below(100),
                i % 10_000
            );
            let handle = format!(
                "{}_{}{}",
                ["job", "work", "agent", "kh_job", "easy_money", "jobs_kh"][rng.below(6)],
                ["asia", "sv", "pp", "thai", "casino", "vip"][rng.below(6)],
                i
            );
            let (phone, handle) = match rng.below(10) {
                0..=4 => (Some(phone), Some(handle)),
                5..=7 => (Some(phone), None),
                _ => (None, Some(handle)),
            };
            list.push(Recruiter {
                village,
                nationality,
                phone,
                handle,
            });
            commune_of.push(c);
        }
        Recruiters {
            list,
            communes,
            commune_of,
            victims: 0,
            rng,
        }
    }

    /// Recruiter `r`'s own contacts, as an officer writes them at the arrest.
    pub(crate) fn own_contacts(&mut self, r: usize) -> String {
        let style = self.rng.below(24);
        let x = &self.list[r];
        let mut parts = Vec::new();
        if let Some(p) = &x.phone {
            parts.push(write_phone(p, style));
        }
        if let Some(h) = &x.handle {
            parts.push(write_handle(h, style));
        }
        parts.join(", ")
    }

    /// Gives a Cambodian victim a home village and, most of the time, how
    /// they were recruited. Anyone else is left as is. The first victims
    /// name each recruiter in turn, so that every recruiter (the arrested
    /// ones first) has a victim from their own commune.
    pub(crate) fn recruit(&mut self, person: &mut PersonInput) {
        if person.role != "victim" || person.nationality != "KH" || self.list.is_empty() {
            return;
        }
        let rng = &mut self.rng;
        let first = self.victims < self.list.len();
        let r = if first {
            self.victims
        } else {
            rng.below(self.list.len())
        };
        self.victims += 1;
        // Most are recruited close to home; some from another commune.
        let commune = if first || rng.below(10) < 8 {
            self.commune_of[r]
        } else {
            rng.below(self.communes.len())
        };
        let villages = &self.communes[commune];
        person.home_village = villages[rng.below(villages.len())].clone();
        if !first && rng.below(10) < 2 {
            // Could not or would not say how.
            return;
        }
        let x = &self.list[r];
        let mut said = Vec::new();
        let style = rng.below(24);
        match (&x.phone, &x.handle) {
            (Some(p), Some(h)) => match rng.below(3) {
                0 => said.push(write_phone(p, style)),
                1 => said.push(write_handle(h, style)),
                _ => {
                    said.push(write_phone(p, style));
                    said.push(write_handle(h, style / 6));
                }
            },
            (Some(p), None) => said.push(write_phone(p, style)),
            (None, Some(h)) => said.push(write_handle(h, style)),
            (None, None) => {}
        }
        let lead = [
            "",
            "he called from ",
            "recruiter: ",
            "ភ្នាក់ងារ ",
            "the agent's number ",
            "contact ",
        ][rng.below(6)];
        person.contacts = format!("{lead}{}", said.join(" and "));
        person.promised_job = JOBS[rng.below(JOBS.len())].into();
        person.route = ROUTES[rng.below(ROUTES.len())].into();
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use vigil_core::persons::origin;

    /// `found` names recruiter `x` and no one else: one of `mine` at least,
    /// and nothing but `mine` and links to the Telegram handle.
    fn names_only(found: &[(String, String)], mine: &[(String, String)], x: &Recruiter) -> bool {
        let link = |(k, v): &(String, String)| {
            k == "url"
                && x.handle.as_ref().is_some_and(|h| {
                    v.to_lowercase()
                        .ends_with(&format!("t.me/{}", h.to_lowercase()))
                })
        };
        found.iter().any(|f| mine.contains(f)) && found.iter().all(|f| mine.contains(f) || link(f))
    }

    /// The normalised contacts of recruiter `x`.
    fn own(x: &Recruiter) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(p) = &x.phone {
            out.push(("phone".to_string(), format!("+855{}", &p[1..])));
        }
        if let Some(h) = &x.handle {
            out.push(("telegram".to_string(), h.to_lowercase()));
        }
        out
    }

    #[test]
    fn every_way_of_writing_a_contact_reads_as_the_recruiters_own() {
        let mut r = Recruiters::place(40, 6, 2025);
        assert_eq!(r.communes.len(), 6);
        for i in 0..r.list.len() {
            let x = r.list[i].clone();
            assert!(x.phone.is_some() || x.handle.is_some());
            assert!(gazetteer().get(&x.village).is_some(), "{}", x.village);
            let mine = own(&x);
            for style in 0..24 {
                let mut written = Vec::new();
                if let Some(p) = &x.phone {
                    written.push(write_phone(p, style));
                }
                if let Some(h) = &x.handle {
                    written.push(write_handle(h, style));
                }
                for w in written {
                    let found = origin::contacts("contacts", &w).expect(&w);
                    assert!(names_only(&found, &mine, &x), "{w}: {found:?} vs {mine:?}");
                }
            }
            let at_arrest = origin::contacts("contacts", &r.own_contacts(i)).expect("own");
            assert!(
                mine.iter().all(|m| at_arrest.contains(m)) && names_only(&at_arrest, &mine, &x),
                "{at_arrest:?} vs {mine:?}"
            );
        }
    }

    #[test]
    fn the_national_plan_spreads_its_recruiters_over_its_communes() {
        let plan = crate::Plan::national();
        let r = Recruiters::place(plan.recruiters, plan.recruiter_communes, plan.seed);
        assert_eq!(r.communes.len(), plan.recruiter_communes);
        assert!(plan.recruiters_arrested <= r.list.len());
        let foreign = r.list[..plan.recruiters_arrested]
            .iter()
            .filter(|x| x.nationality != "KH")
            .count();
        assert!(
            foreign > 0 && foreign < plan.recruiters_arrested / 4,
            "{foreign}"
        );
        let provinces: std::collections::BTreeSet<&str> =
            r.list.iter().map(|x| &x.village[..2]).collect();
        assert!(provinces.len() >= 5, "{provinces:?}");
        let mut phones: Vec<&String> = r.list.iter().filter_map(|x| x.phone.as_ref()).collect();
        let all = phones.len();
        phones.sort();
        phones.dedup();
        assert_eq!(phones.len(), all, "a phone number of its own each");
    }

    #[test]
    fn victims_get_a_home_village_and_most_the_recruiters_contacts() {
        let mut r = Recruiters::place(20, 5, 7);
        let list = r.list.clone();
        let mut with_contacts = 0;
        for _ in 0..200 {
            let mut p = PersonInput {
                role: "victim".into(),
                nationality: "KH".into(),
                ..PersonInput::default()
            };
            r.recruit(&mut p);
            let home = origin::village("home_village", &p.home_village)
                .expect("village")
                .expect("some");
            assert!(
                r.communes.iter().any(|c| c.contains(&home.village_code)),
                "{home:?}"
            );
            if !p.contacts.is_empty() {
                with_contacts += 1;
                let found = origin::contacts("contacts", &p.contacts).expect(&p.contacts);
                assert!(
                    list.iter().any(|x| names_only(&found, &own(x), x)),
                    "{}: {found:?}",
                    p.contacts
                );
                assert!(!p.promised_job.is_empty() && !p.route.is_empty());
            }
        }
        assert!(with_contacts > 120, "{with_contacts}");
        let mut foreign = PersonInput {
            role: "victim".into(),
            nationality: "VN".into(),
            ..PersonInput::default()
        };
        r.recruit(&mut foreign);
        assert!(foreign.home_village.is_empty() && foreign.contacts.is_empty());
    }
}
