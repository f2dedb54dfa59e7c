//! Persons met in the raids: workers (mostly victims of trafficking, from
//! the region and beyond), witnesses, suspects and recruiters, each with a
//! passport of their own and a name shared by few, so that linkage keeps
//! them apart; and what the victim-identification rule will make of them.

use vigil_core::persons::{DocumentInput, PersonInput};
use vigil_domain::victims::{self, Consent, Indicator, Referral};
use vigil_synth::Rng;

/// Nationality, language, weight, given names, family names (Latin script).
type Pool = (
    &'static str,
    &'static str,
    u32,
    &'static [&'static str],
    &'static [&'static str],
);

const POOLS: &[Pool] = &[
    (
        "CN",
        "zh",
        30,
        &[
            "Wei", "Jun", "Hao", "Lei", "Ming", "Qiang", "Yan", "Li", "Jing", "Xin", "Bo", "Tao",
            "Hui", "Ping", "Fang", "Yu",
        ],
        &[
            "Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
            "Sun", "Ma", "Zhu", "Hu", "Guo",
        ],
    ),
    (
        "KH",
        "km",
        14,
        &[
            "Sokha", "Dara", "Vanna", "Sophea", "Rithy", "Chenda", "Sreymom", "Vuthy", "Bopha",
            "Kosal", "Nary", "Piseth", "Sokun", "Thida", "Veasna", "Chanthou",
        ],
        &[
            "Chan", "Sok", "Kim", "Heng", "Meas", "Ouk", "Prak", "Sam", "Keo", "Nhem", "Chea",
            "Long", "Touch", "Yim", "Phan", "Seng",
        ],
    ),
    (
        "VN",
        "vi",
        12,
        &[
            "Anh", "Minh", "Tuan", "Hung", "Lan", "Thao", "Huong", "Duc", "Nam", "Linh", "Quang",
            "Trang", "Phuong", "Hieu", "Khanh", "Long",
        ],
        &[
            "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo",
            "Duong", "Ly", "Dinh", "Truong",
        ],
    ),
    (
        "ID",
        "id",
        12,
        &[
            "Agus", "Budi", "Dewi", "Sari", "Rizky", "Putri", "Eko", "Wahyu", "Indah", "Fajar",
            "Ayu", "Dimas", "Rina", "Hendra", "Yusuf", "Nur",
        ],
        &[
            "Santoso",
            "Wijaya",
            "Saputra",
            "Pratama",
            "Hidayat",
            "Kurniawan",
            "Setiawan",
            "Lestari",
            "Susanto",
            "Rahman",
            "Nugroho",
            "Siregar",
            "Harahap",
            "Gunawan",
            "Halim",
            "Purnomo",
        ],
    ),
    (
        "MM",
        "my",
        8,
        &[
            "Aung", "Kyaw", "Htet", "Zaw", "Thandar", "Hnin", "Phyo", "Myo", "Su", "Win", "Nay",
            "Ei", "Khin", "Min", "Thiha", "Yadanar",
        ],
        &[
            "Naing", "Oo", "Lwin", "Htun", "Soe", "Myint", "Aye", "Tun", "Kyi", "Moe", "Thant",
            "Hlaing", "Zin", "Maung", "Thein", "Khaing",
        ],
    ),
    (
        "TH",
        "th",
        6,
        &[
            "Somchai", "Niran", "Kittisak", "Suda", "Malee", "Anan", "Chai", "Pim", "Nok",
            "Arthit", "Kanya", "Preecha", "Rattana", "Sakda", "Wipa", "Yupa",
        ],
        &[
            "Srisuk",
            "Chaiyaporn",
            "Boonmee",
            "Saetang",
            "Wongsakul",
            "Rattanakorn",
            "Kaewkla",
            "Thongdee",
            "Phromma",
            "Suwan",
            "Chanthara",
            "Intharat",
            "Jaidee",
            "Khamsing",
            "Meesuk",
            "Noppakun",
        ],
    ),
    (
        "PH",
        "tl",
        6,
        &[
            "Jose", "Maria", "Juan", "Ana", "Mark", "Grace", "Paolo", "Joy", "Rafael", "Liza",
            "Carlo", "Bea", "Miguel", "Rose", "Noel", "Kris",
        ],
        &[
            "Santos",
            "Reyes",
            "Cruz",
            "Bautista",
            "Ocampo",
            "Garcia",
            "Mendoza",
            "Torres",
            "Flores",
            "Ramos",
            "Villanueva",
            "Castillo",
            "Aquino",
            "Navarro",
            "Dizon",
            "Salazar",
        ],
    ),
    (
        "LA",
        "lo",
        4,
        &[
            "Khamla", "Souk", "Phet", "Noy", "Vilay", "Somphone", "Bounmy", "Chansy", "Dao",
            "Kham", "Latsamy", "Malai", "Ounkeo", "Phone", "Sengdao", "Vanh",
        ],
        &[
            "Phommachanh",
            "Sisouk",
            "Vongsa",
            "Keomany",
            "Inthavong",
            "Sayavong",
            "Phengsavanh",
            "Souvannavong",
            "Chanthavong",
            "Douangsavanh",
            "Khounthavong",
            "Luangrath",
            "Manivong",
            "Rattanavong",
            "Saysana",
            "Xayavong",
        ],
    ),
    (
        "MY",
        "ms",
        4,
        &[
            "Ahmad", "Siti", "Farid", "Nurul", "Hafiz", "Aisyah", "Azman", "Zainab", "Kamal",
            "Aminah", "Rashid", "Salmah", "Hakim", "Liyana", "Irfan", "Mariam",
        ],
        &[
            "Abdullah", "Ismail", "Ibrahim", "Hassan", "Osman", "Yusof", "Razak", "Hamid", "Aziz",
            "Salleh", "Musa", "Karim", "Latif", "Mohamad", "Rahim", "Sulaiman",
        ],
    ),
    (
        "IN",
        "hi",
        4,
        &[
            "Rahul", "Priya", "Amit", "Sunita", "Vikram", "Anjali", "Rohit", "Neha", "Arjun",
            "Pooja", "Sanjay", "Kavita", "Manoj", "Deepa", "Ravi", "Meena",
        ],
        &[
            "Sharma", "Verma", "Gupta", "Singh", "Kumar", "Patel", "Reddy", "Nair", "Iyer", "Das",
            "Joshi", "Mehta", "Rao", "Pillai", "Chopra", "Bose",
        ],
    ),
];

/// A person to record, and what the rule will decide for them.
pub(crate) struct Met {
    pub input: PersonInput,
    pub likely_victim: bool,
    pub referred: bool,
}

/// The given names and family name of person `n` of `pool` (repeating only
/// every 3,840 persons). The two given names always differ: nobody is
/// "Ahmad Ahmad".
fn names(n: u64, pool: &Pool) -> (String, String) {
    let (_, _, _, given, family) = *pool;
    let g = given.len() as u64;
    let f = family.len() as u64;
    // The family name varies fastest, so persons close in number differ most.
    let last = family[(n % f) as usize];
    let first = (n / f) % g;
    let middle = (first + 1 + (n / (f * g)) % (g - 1)) % g;
    (
        format!("{} {}", given[first as usize], given[middle as usize]),
        last.into(),
    )
}

/// Person `n`'s passport, unique per `n`.
fn passport(n: u64, nationality: &str) -> DocumentInput {
    DocumentInput {
        kind: "passport".into(),
        // Scattered, as real numbers are: neighbours differ in every digit.
        number: format!(
            "P{:08}",
            10_000_000 + n.wrapping_mul(2_654_435_761) % 89_999_989
        ),
        country: nationality.into(),
        check_digit: String::new(),
    }
}

/// The `n`-th person of the demo, a recruiter of `nationality` met at home
/// in `home_village` and arrested there, known by `contacts`.
pub(crate) fn arrested_recruiter(
    n: u64,
    nationality: &str,
    home_village: &str,
    contacts: String,
    rng: &mut Rng,
) -> Met {
    let pool = POOLS
        .iter()
        .find(|p| p.0 == nationality)
        .unwrap_or(&POOLS[1]);
    let (given_name, family_name) = names(n, pool);
    let age = 25 + rng.below(35) as u64;
    let assessed = victims::assess(&[], u8::try_from(age).ok(), Consent::NotAsked, false);
    Met {
        input: PersonInput {
            role: "recruiter".into(),
            nationality: pool.0.into(),
            language: pool.1.into(),
            sex: if rng.below(3) == 0 { "f" } else { "m" }.into(),
            age: age.to_string(),
            date_of_birth: format!(
                "{}-{:02}-{:02}",
                2026 - age,
                1 + rng.below(5),
                1 + rng.below(28)
            ),
            given_name,
            family_name,
            documents: vec![passport(n, pool.0)],
            home_village: home_village.into(),
            contacts,
            arrested: true,
            consent: "not_asked".into(),
            ..PersonInput::default()
        },
        likely_victim: assessed.likely_victim,
        referred: matches!(
            assessed.referral,
            Referral::Always(_) | Referral::WithConsent
        ),
    }
}

/// The `n`-th person of the demo: a passport number of their own, three
/// name parts drawn from `n` (repeating only every 4,096 persons) and a date
/// of birth.
pub(crate) fn person(n: u64, rng: &mut Rng) -> Met {
    let total: u32 = POOLS.iter().map(|p| p.2).sum();
    let mut pick = rng.below(total as usize) as u32;
    let pool = POOLS
        .iter()
        .find(|p| {
            if pick < p.2 {
                true
            } else {
                pick -= p.2;
                false
            }
        })
        .unwrap_or(&POOLS[0]);
    let (nationality, language, _, _, _) = *pool;
    let (given_name, family_name) = names(n, pool);
    let role = match rng.below(100) {
        0..=54 => "victim",
        55..=69 => "witness",
        70..=94 => "suspect",
        _ => "recruiter",
    };
    let victim = role == "victim";
    let age = if victim {
        16 + rng.below(30)
    } else {
        20 + rng.below(40)
    } as u64;
    let mut indicators = Vec::new();
    if victim {
        for i in Indicator::ALL {
            if i != Indicator::Under18 && rng.below(10) < 3 {
                indicators.push(i);
            }
        }
    }
    let consent = match rng.below(10) {
        0..=6 => Consent::Given,
        7..=8 => Consent::Refused,
        _ => Consent::NotAsked,
    };
    let danger = victim && rng.below(10) == 0;
    let age8 = u8::try_from(age).ok();
    let assessed = victims::assess(&indicators, age8, consent, danger);
    let referred = matches!(
        assessed.referral,
        Referral::Always(_) | Referral::WithConsent
    );
    let input = PersonInput {
        role: role.into(),
        nationality: nationality.into(),
        language: language.into(),
        sex: if rng.below(2) == 0 { "f" } else { "m" }.into(),
        age: age.to_string(),
        // Born in January to May, so the age holds on any day of a raid
        // (June onwards) and the rule sees the age computed here.
        date_of_birth: format!(
            "{}-{:02}-{:02}",
            2026 - age,
            1 + rng.below(5),
            1 + rng.below(28)
        ),
        given_name,
        family_name,
        other_names: Vec::new(),
        documents: vec![passport(n, nationality)],
        notes: String::new(),
        indicators: indicators.iter().map(|i| i.code().to_string()).collect(),
        imminent_danger: danger,
        consent: match consent {
            Consent::Given => "given",
            Consent::Refused => "refused",
            Consent::NotAsked => "not_asked",
        }
        .into(),
        ..PersonInput::default()
    };
    Met {
        input,
        likely_victim: assessed.likely_victim,
        referred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_carries_the_same_given_name_twice_and_names_vary() {
        for pool in POOLS {
            let mut seen = std::collections::HashSet::new();
            for n in 0..4_000 {
                let (given, family) = names(n, pool);
                let parts: Vec<&str> = given.split(' ').collect();
                assert_eq!(parts.len(), 2, "{given}");
                assert_ne!(parts[0], parts[1], "person {n}: {given} {family}");
                seen.insert(format!("{given} {family}"));
            }
            assert!(seen.len() >= 3_800, "{} distinct names", seen.len());
        }
    }
}
