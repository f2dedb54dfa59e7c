//! A generator of synthetic persons met several times, with ground truth: Khmer and
//! Chinese names written several ways in Latin letters, names in script, typos,
//! swapped name order, date-of-birth errors and missing fields.

use vigil_linkage::{Address, PartialDate, Person, Sex};

/// splitmix64: small, seedable, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Khmer family names: (romanisation, variants, script).
const KH_FAMILY: &[(&str, &[&str], &str)] = &[
    ("Chan", &["Chan", "Chann"], "ចាន់"),
    ("Sok", &["Sok", "Sock"], "សុខ"),
    ("Chea", &["Chea", "Chia"], "ជា"),
    ("Kim", &["Kim", "Kimm"], "គីម"),
    ("Heng", &["Heng", "Hheng"], "ហេង"),
    ("Seng", &["Seng", "Sheng"], "សេង"),
    ("Meas", &["Meas", "Mees"], "មាស"),
    ("Ly", &["Ly", "Lee"], "លី"),
    ("Keo", &["Keo", "Kao"], "កែវ"),
    ("Chhim", &["Chhim", "Chim"], "ឈឹម"),
    ("Phan", &["Phan", "Pan"], "ផាន"),
    ("Pich", &["Pich", "Pech"], "ពេជ្រ"),
    ("Touch", &["Touch", "Toch"], "ទូច"),
    ("Ouk", &["Ouk", "Ok"], "អ៊ុក"),
    ("Prak", &["Prak", "Prakh"], "ប្រាក់"),
    ("Khiev", &["Khiev", "Kiev"], "ខៀវ"),
    ("Nhem", &["Nhem", "Nhim"], "ញឹម"),
    ("Hong", &["Hong", "Hung"], "ហុង"),
];

/// Khmer given names: (variants, script).
const KH_GIVEN: &[(&[&str], &str)] = &[
    (&["Sokha", "Sokhar", "Sok Kha", "Sokhaa"], "សុខា"),
    (&["Chhay", "Chay", "Chhai"], "ឆៃ"),
    (&["Phalla", "Phala", "Palla"], "ផល្លា"),
    (&["Srey Mom", "Sreymom", "Srei Mom"], "ស្រីមុំ"),
    (&["Vannak", "Vanak", "Vanna k"], "វណ្ណៈ"),
    (&["Dara", "Darra"], "ដារា"),
    (&["Sophea", "Sophia", "Sopheа"], "សុភា"),
    (&["Bopha", "Bupha", "Bophaa"], "បុប្ផា"),
    (&["Kosal", "Kossal", "Kosol"], "កុសល"),
    (&["Rithy", "Rithi", "Rity"], "ឫទ្ធី"),
    (&["Sopheap", "Sophep", "Sopheab"], "សុភាព"),
    (&["Piseth", "Piset", "Phiseth"], "ពិសិដ្ឋ"),
    (&["Chantha", "Chanta", "Chanthar"], "ចន្ថា"),
    (&["Sreyneang", "Srey Neang", "Sreineang"], "ស្រីនាង"),
    (&["Vuthy", "Vuthi", "Vutthy"], "វុទ្ធី"),
    (&["Sovann", "Sovan", "Sovanne"], "សុវណ្ណ"),
    (&["Ratana", "Rattana", "Ratanak"], "រតនា"),
    (&["Phearum", "Pheārum", "Pearum"], "ភារម្យ"),
    (&["Samnang", "Samnag", "Sam Nang"], "សំណាង"),
    (&["Visal", "Vishal", "Wisal"], "វិសាល"),
    (&["Makara", "Makkara", "Makra"], "មករា"),
    (&["Chenda", "Chendar", "Chinda"], "ចិន្តា"),
    (&["Leakhena", "Leakena", "Lakhena"], "លក្ខិណា"),
    (&["Theary", "Thery", "Thearey"], "ធារី"),
    (&["Khemara", "Kemara", "Khemarak"], "ខេមរា"),
];

/// Chinese family names: (pinyin and other romanisations, character).
const CN_FAMILY: &[(&[&str], &str)] = &[
    (&["Zhang", "Chang", "Cheung"], "张"),
    (&["Xu", "Hsu", "Hui"], "徐"),
    (&["Zhou", "Chou", "Chow"], "周"),
    (&["Li", "Lee"], "李"),
    (&["Wang", "Wong"], "王"),
    (&["Chen", "Chan"], "陈"),
    (&["Huang", "Wong", "Hwang"], "黄"),
    (&["Liu", "Lau"], "刘"),
    (&["Wu", "Ng"], "吴"),
    (&["Zheng", "Cheng"], "郑"),
    (&["Xie", "Hsieh", "Tse"], "谢"),
    (&["Lin", "Lam", "Lim"], "林"),
    (&["Yang", "Yeung"], "杨"),
    (&["Guo", "Kuo", "Kwok"], "郭"),
    (&["Zhao", "Chao", "Chiu"], "赵"),
    (&["Sun", "Suen"], "孙"),
];

/// Chinese given-name syllables: (pinyin, Wade–Giles, character).
const CN_SYLLABLE: &[(&str, &str, &str)] = &[
    ("xiao", "hsiao", "晓"),
    ("ming", "ming", "明"),
    ("wei", "wei", "伟"),
    ("jian", "chien", "建"),
    ("hua", "hua", "华"),
    ("jun", "chun", "军"),
    ("hong", "hung", "红"),
    ("zhi", "chih", "志"),
    ("qiang", "chiang", "强"),
    ("yan", "yen", "燕"),
    ("ling", "ling", "玲"),
    ("feng", "feng", "峰"),
    ("jie", "chieh", "杰"),
    ("tao", "tao", "涛"),
    ("xin", "hsin", "欣"),
    ("yu", "yu", "宇"),
    ("hai", "hai", "海"),
    ("bo", "po", "波"),
];

const PROVINCES: &[&str] = &[
    "Phnom Penh",
    "Preah Sihanouk",
    "Koh Kong",
    "Banteay Meanchey",
    "Svay Rieng",
    "Kampot",
];

/// One true person.
#[derive(Clone)]
struct Truth {
    khmer: bool,
    family: usize,
    given: Vec<usize>,
    dob: PartialDate,
    sex: Sex,
    passport: String,
    phone: String,
    province: usize,
}

fn truth(rng: &mut Rng) -> Truth {
    let khmer = rng.chance(0.6);
    let given = if khmer {
        vec![rng.below(KH_GIVEN.len())]
    } else {
        vec![rng.below(CN_SYLLABLE.len()), rng.below(CN_SYLLABLE.len())]
    };
    let family = rng.below(if khmer {
        KH_FAMILY.len()
    } else {
        CN_FAMILY.len()
    });
    let dob = PartialDate::ymd(
        1965 + rng.below(40) as u16,
        1 + rng.below(12) as u8,
        1 + rng.below(28) as u8,
    );
    let passport = if khmer {
        format!("N{:07}", rng.below(10_000_000))
    } else {
        format!("E{:08}", rng.below(100_000_000))
    };
    Truth {
        khmer,
        family,
        given,
        dob,
        sex: if rng.chance(0.5) {
            Sex::Female
        } else {
            Sex::Male
        },
        passport,
        phone: format!("{:08}", 10_000_000 + rng.below(89_999_999)),
        province: rng.below(PROVINCES.len()),
    }
}

fn typo(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 3 {
        return text.to_string();
    }
    let i = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.swap(i, i + 1),
        _ => chars[i] = *rng.pick(&['a', 'e', 'o', 'n', 'r', 's']),
    }
    chars.into_iter().collect()
}

fn digit_typo(rng: &mut Rng, text: &str) -> String {
    let mut b: Vec<u8> = text.bytes().collect();
    let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
    if let Some(&i) = digits.get(rng.below(digits.len().max(1))) {
        b[i] = b'0' + ((b[i] - b'0' + 1 + rng.below(8) as u8) % 10);
    }
    String::from_utf8(b).unwrap_or_default()
}

fn chinese_given(rng: &mut Rng, t: &Truth) -> String {
    let wade = rng.chance(0.35);
    let parts: Vec<&str> = t
        .given
        .iter()
        .map(|&s| {
            if wade {
                CN_SYLLABLE[s].1
            } else {
                CN_SYLLABLE[s].0
            }
        })
        .collect();
    let sep = *rng.pick(&["", "", "-", " "]);
    let joined = parts.join(sep);
    let mut c = joined.chars();
    let first = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{}", c.as_str())
}

/// One encounter with a person: the record as an officer might write it.
fn sighting(rng: &mut Rng, t: &Truth) -> Person {
    let (mut given, mut family, script) = if t.khmer {
        let (_, fams, fscript) = KH_FAMILY[t.family];
        let (givens, gscript) = KH_GIVEN[t.given[0]];
        let family = if rng.chance(0.7) {
            fams[0]
        } else {
            *rng.pick(fams)
        };
        (
            rng.pick(givens).to_string(),
            family.to_string(),
            format!("{fscript} {gscript}"),
        )
    } else {
        let (fams, fchar) = CN_FAMILY[t.family];
        let chars: String = t.given.iter().map(|&s| CN_SYLLABLE[s].2).collect();
        (
            chinese_given(rng, t),
            rng.pick(fams).to_string(),
            format!("{fchar}{chars}"),
        )
    };
    if rng.chance(0.08) {
        given = typo(rng, &given);
    }
    if rng.chance(0.05) {
        family = typo(rng, &family);
    }
    if rng.chance(0.12) {
        std::mem::swap(&mut given, &mut family);
    }
    let mut p = Person {
        given: Some(given),
        family: Some(family),
        sex: rng.chance(0.9).then_some(t.sex),
        nationality: rng
            .chance(0.7)
            .then(|| if t.khmer { "KH" } else { "CN" }.to_string()),
        address: Address {
            province: rng.chance(0.5).then(|| PROVINCES[t.province].to_string()),
            ..Address::default()
        },
        ..Person::default()
    };
    if rng.chance(0.04) {
        // Written as one full name, family first.
        p.given = Some(format!(
            "{} {}",
            p.family.as_deref().unwrap_or_default(),
            p.given.as_deref().unwrap_or_default()
        ));
        p.family = None;
    }
    if rng.chance(0.3) {
        p.script_names.push(script);
        if rng.chance(0.15) {
            // Only the name in script was taken down.
            p.given = None;
            p.family = None;
        }
    }
    p.dob = match rng.below(20) {
        0 => None,
        2 => Some(PartialDate {
            month: None,
            day: None,
            ..t.dob
        }),
        3 => Some(PartialDate {
            month: t.dob.day,
            day: t.dob.month,
            ..t.dob
        }),
        4 => PartialDate::parse(&digit_typo(rng, &String::from_utf8_lossy(&t.dob_digits()))),
        _ => Some(t.dob),
    };
    if rng.chance(0.5) {
        let doc = if rng.chance(0.08) {
            digit_typo(rng, &t.passport)
        } else {
            t.passport.clone()
        };
        p.documents.push(doc);
    }
    if rng.chance(0.4) {
        let ph = &t.phone;
        p.phone = Some(match rng.below(3) {
            0 => format!("0{} {} {}", &ph[..2], &ph[2..5], &ph[5..]),
            1 => format!("+855{ph}"),
            _ => format!("(+855) {}-{}", &ph[..2], &ph[2..]),
        });
    }
    p
}

impl Truth {
    fn dob_digits(&self) -> Vec<u8> {
        format!(
            "{:04}{:02}{:02}",
            self.dob.year.unwrap_or(0),
            self.dob.month.unwrap_or(0),
            self.dob.day.unwrap_or(0)
        )
        .into_bytes()
    }
}

/// `persons` true persons, each met 1–3 times: the records and each one's person.
pub fn corpus(seed: u64, persons: usize) -> (Vec<Person>, Vec<usize>) {
    let mut rng = Rng::new(seed);
    let (mut records, mut ids) = (Vec::new(), Vec::new());
    for id in 0..persons {
        let t = truth(&mut rng);
        let times = 1 + rng.below(3);
        for _ in 0..times {
            records.push(sighting(&mut rng, &t));
            ids.push(id);
        }
    }
    // Shuffle so a person's records are not neighbours.
    for i in (1..records.len()).rev() {
        let j = rng.below(i + 1);
        records.swap(i, j);
        ids.swap(i, j);
    }
    (records, ids)
}

/// Two files of the same persons, each person once in each (two encounters).
pub fn two_files(seed: u64, persons: usize) -> (Vec<Person>, Vec<Person>) {
    let mut rng = Rng::new(seed);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..persons {
        let t = truth(&mut rng);
        a.push(sighting(&mut rng, &t));
        b.push(sighting(&mut rng, &t));
    }
    (a, b)
}
