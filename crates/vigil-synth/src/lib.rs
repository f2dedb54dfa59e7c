//! Synthetic tips for benchmarks, load tests and demos.
//!
//! Realistic-looking reports about scam compounds in Cambodia, in Khmer,
//! English, Chinese, Vietnamese and Thai, of about 200–500 bytes of UTF-8, with
//! the kinds of identifiers real tips carry: phone numbers written the way each
//! country writes them, Telegram handles and `t.me/` links, place names and
//! building labels. Every tip is a pure function of `(seed, i)`: the same seed
//! gives the same stream on every machine, and any tip can be drawn without
//! drawing the ones before it.
//!
//! Nothing here is real: the companies are invented, the numbers are random,
//! and the places are only the well-known hubs named in public reporting.
//!
//! ```
//! let tip = vigil_synth::tip(42, 7);
//! assert_eq!(tip, vigil_synth::tip(42, 7));
//! assert!((200..=500).contains(&tip.text.len()));
//! let first: Vec<_> = vigil_synth::tips(42, 3).collect();
//! assert_eq!(first[2].text, vigil_synth::tip_text(42, 2));
//! ```

#![forbid(unsafe_code)]

pub mod facilities;
pub mod reports;

/// Shortest text drawn, in bytes of UTF-8.
pub const MIN_BYTES: usize = 200;
/// Longest text drawn, in bytes of UTF-8.
pub const MAX_BYTES: usize = 500;

/// One synthetic tip, with the fields a reporter fills in on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthTip {
    /// What happened (200–500 bytes).
    pub text: String,
    /// The category's stable wire name (`scam_compound`, `trafficking`,
    /// `recruitment`, `fraud_victim`, `other`).
    pub category: &'static str,
    /// A gazetteer province code (two digits) of the place the text names.
    pub province_code: &'static str,
    /// The language of the text (`km`, `en`, `zh`, `vi`, `th`).
    pub language: &'static str,
}

impl SynthTip {
    /// The body of `POST /api/v1/tips` for this tip:
    /// `{"text": …, "category": …, "province_code": …, "language": …}`.
    pub fn api_json(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 96);
        out.push_str("{\"text\":");
        push_json_string(&mut out, &self.text);
        out.push_str(",\"category\":");
        push_json_string(&mut out, self.category);
        out.push_str(",\"province_code\":");
        push_json_string(&mut out, self.province_code);
        out.push_str(",\"language\":");
        push_json_string(&mut out, self.language);
        out.push('}');
        out
    }
}

/// The `i`-th tip of the stream named by `seed`.
pub fn tip(seed: u64, i: u64) -> SynthTip {
    let mut rng = Rng::for_item(seed, i);
    let lang = pick_weighted(&mut rng, LANGS);
    let category = pick_weighted(&mut rng, CATEGORIES);
    let place = &PLACES[rng.below(PLACES.len())];
    let text = compose(&mut rng, lang, place);
    SynthTip {
        text,
        category,
        province_code: place.code,
        language: lang.code,
    }
}

/// The text of [`tip`]`(seed, i)`.
pub fn tip_text(seed: u64, i: u64) -> String {
    tip(seed, i).text
}

/// The first `n` tips of the stream named by `seed`.
pub fn tips(seed: u64, n: u64) -> impl Iterator<Item = SynthTip> {
    (0..n).map(move |i| tip(seed, i))
}

// ---------------------------------------------------------------------------
// The random source: SplitMix64, seeded per item so tips can be drawn in any
// order. Not for anything secret.

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator for item `i` of stream `seed`.
    pub fn for_item(seed: u64, i: u64) -> Self {
        let mut r = Rng(seed ^ 0x5EED_5EED_0F16_71F5_u64);
        let base = r.next_u64();
        Rng(base ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; a negligible bias for small `n`).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        // Lemire's multiply-shift: the high half of a 128-bit product.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// `n` random decimal digits.
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

fn pick_weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total as usize) as u32;
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

// ---------------------------------------------------------------------------
// Vocabulary.

/// A language: its sentence templates and how sentences are joined.
#[derive(Clone, Copy)]
struct Lang {
    code: &'static str,
    /// Placed between sentences.
    joiner: &'static str,
    /// Sentence templates with `{place}`, `{phone}`, `{tg}`, `{n}`,
    /// `{company}`, `{building}` slots.
    sentences: &'static [&'static str],
    /// The word for a building, before its label.
    building: &'static str,
}

const KM: Lang = Lang {
    code: "km",
    joiner: " ",
    building: "អគារ ",
    sentences: &[
        "ខ្ញុំបានឃើញមនុស្សជាច្រើនត្រូវបានឃុំខ្លួននៅក្នុងអគារមួយនៅ{place}។",
        "ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ហើយមិនអោយខ្ញុំចេញទេ។",
        "សូមទាក់ទងលេខ {phone} ឬ Telegram {tg}។",
        "មានកម្មករប្រហែល {n} នាក់ ត្រូវបង្ខំឱ្យធ្វើការបោកប្រាស់តាមអនឡាញ។",
        "ក្រុមហ៊ុន {company} ផ្សាយការងារប្រាក់ខែខ្ពស់ តែជាការបោកប្រាស់។",
        "មានឆ្មាំកាន់កាំភ្លើងយាមនៅច្រកចូលទាំងយប់ទាំងថ្ងៃ។",
        "មិត្តភក្តិខ្ញុំផ្ញើសារពីខាងក្នុង{building} កាលពីម្សិលមិញ។",
        "អ្នកណាធ្វើមិនបានគោលដៅ ត្រូវគេវាយ ហើយមិនឱ្យបាយហូប។",
        "អ្នកជ្រើសរើសបុគ្គលិកប្រើលេខ {phone}។",
    ],
};

const EN: Lang = Lang {
    code: "en",
    joiner: " ",
    building: "Building ",
    sentences: &[
        "I saw many people held inside a compound in {place}.",
        "They took my passport and will not let me leave.",
        "The recruiter told us to call {phone} or message {tg} on Telegram.",
        "About {n} workers are forced to run online scams, 15 hours a day.",
        "{company} advertised a high-salary job but it was a scam compound.",
        "Armed guards watch the gate day and night.",
        "My friend messaged me yesterday from inside {building}.",
        "People who miss their targets are beaten and given no food.",
        "The boss uses the number {phone} and the Telegram account {tg}.",
    ],
};

const ZH: Lang = Lang {
    code: "zh",
    joiner: "",
    building: "",
    sentences: &[
        "我在{place}的一个园区里看到很多人被关押。",
        "他们收走了我的护照，不让我离开。",
        "招聘的人叫我联系{phone}或者飞机号{tg}。",
        "大约有{n}个人被逼着做网络诈骗，每天工作十五个小时。",
        "{company}说是高薪工作，到了以后才知道是诈骗公司。",
        "门口有拿枪的保安，二十四小时看守。",
        "我朋友昨天从{building}栋里面偷偷发消息给我。",
        "有人被打，不完成业绩就不给饭吃。",
        "老板的电话是{phone}，飞机是{tg}。",
    ],
};

const VI: Lang = Lang {
    code: "vi",
    joiner: " ",
    building: "tòa ",
    sentences: &[
        "Tôi thấy nhiều người bị giam giữ trong một tòa nhà ở {place}.",
        "Họ đã lấy hộ chiếu của tôi và không cho tôi rời đi.",
        "Người tuyển dụng bảo liên hệ số {phone} hoặc Telegram {tg}.",
        "Có khoảng {n} người bị ép làm lừa đảo qua mạng, mỗi ngày làm 15 tiếng.",
        "Công ty {company} quảng cáo việc nhẹ lương cao nhưng thực ra là lừa đảo.",
        "Có bảo vệ mang súng canh gác ở cổng cả ngày lẫn đêm.",
        "Bạn tôi nhắn tin từ bên trong {building} hôm qua.",
        "Ai không đạt chỉ tiêu thì bị đánh và bị bỏ đói.",
        "Quản lý dùng số {phone} và tài khoản Telegram {tg}.",
    ],
};

const TH: Lang = Lang {
    code: "th",
    joiner: " ",
    building: "ตึก ",
    sentences: &[
        "ฉันเห็นคนจำนวนมากถูกกักตัวอยู่ในอาคารแห่งหนึ่งที่{place}",
        "พวกเขายึดหนังสือเดินทางของฉันและไม่ให้ออกไป",
        "คนชวนไปทำงานให้ติดต่อเบอร์ {phone} หรือเทเลแกรม {tg}",
        "มีคนประมาณ {n} คนถูกบังคับให้ทำงานหลอกลวงออนไลน์",
        "บริษัท {company} โฆษณางานเงินเดือนสูงแต่ที่จริงเป็นแก๊งคอลเซ็นเตอร์",
        "มียามถือปืนเฝ้าประตูตลอดทั้งวันทั้งคืน",
        "เพื่อนของฉันส่งข้อความมาจากใน{building} เมื่อวานนี้",
        "ใครทำยอดไม่ถึงจะถูกทำร้ายและไม่ได้กินข้าว",
        "หัวหน้าใช้เบอร์ {phone} และเทเลแกรม {tg}",
    ],
};

/// Languages and how often each is drawn.
const LANGS: &[(Lang, u32)] = &[(KM, 35), (EN, 20), (ZH, 20), (VI, 15), (TH, 10)];

/// Categories (wire names) and how often each is drawn.
const CATEGORIES: &[(&str, u32)] = &[
    ("scam_compound", 40),
    ("trafficking", 20),
    ("recruitment", 20),
    ("fraud_victim", 10),
    ("other", 10),
];

/// A place and its name in each language, with its gazetteer province code.
struct Place {
    code: &'static str,
    km: &'static str,
    en: &'static str,
    zh: &'static str,
    vi: &'static str,
    th: &'static str,
}

impl Place {
    fn name(&self, lang: &str) -> &'static str {
        match lang {
            "km" => self.km,
            "zh" => self.zh,
            "vi" => self.vi,
            "th" => self.th,
            _ => self.en,
        }
    }
}

const PLACES: &[Place] = &[
    Place {
        code: "18",
        km: "ក្រុងព្រះសីហនុ",
        en: "Sihanoukville",
        zh: "西港",
        vi: "Sihanoukville",
        th: "สีหนุวิลล์",
    },
    Place {
        code: "12",
        km: "ទួលគោក ភ្នំពេញ",
        en: "Tuol Kork, Phnom Penh",
        zh: "金边堆谷",
        vi: "Tuol Kork, Phnôm Pênh",
        th: "ตวลโกก พนมเปญ",
    },
    Place {
        code: "20",
        km: "ក្រុងបាវិត",
        en: "Bavet",
        zh: "巴域",
        vi: "Bavet",
        th: "บาเวต",
    },
    Place {
        code: "01",
        km: "ក្រុងប៉ោយប៉ែត",
        en: "Poipet",
        zh: "波贝",
        vi: "Poipet",
        th: "ปอยเปต",
    },
    Place {
        code: "22",
        km: "អូរស្មាច់",
        en: "O'Smach",
        zh: "奥斯马",
        vi: "O'Smach",
        th: "โอเสม็ด",
    },
    Place {
        code: "09",
        km: "ដារ៉ាសាគរ កោះកុង",
        en: "Dara Sakor, Koh Kong",
        zh: "七星海",
        vi: "Dara Sakor, Koh Kong",
        th: "ดาราสาคร เกาะกง",
    },
    Place {
        code: "07",
        km: "ភ្នំបូកគោ កំពត",
        en: "Bokor Mountain, Kampot",
        zh: "波哥山",
        vi: "núi Bokor, Kampot",
        th: "เขาบูกอ กัมปอต",
    },
    Place {
        code: "17",
        km: "ក្រុងសៀមរាប",
        en: "Siem Reap",
        zh: "暹粒",
        vi: "Siem Reap",
        th: "เสียมราฐ",
    },
];

/// Invented company names.
const COMPANIES: &[&str] = &[
    "Golden Sun Group",
    "Lucky Star Investment",
    "Blue Ocean Online",
    "Hengxin Technology",
    "Asia Pacific Gaming",
    "Jade River Trading",
    "Great Wall Digital",
    "Royal Crown Entertainment",
];

/// Words Telegram handles are made of.
const HANDLE_WORDS: &[&str] = &[
    "hr", "job", "boss", "kefu", "lucky", "recruit", "vip", "admin", "manager", "work",
];

/// A phone number as someone from each country would write it.
fn phone(rng: &mut Rng, lang: &str) -> String {
    // Cambodian numbers are the most common in every language.
    let kh = rng.below(10) < 6;
    if kh || lang == "km" || lang == "en" {
        let prefix = ["012", "017", "092", "010", "097", "088", "096", "015"][rng.below(8)];
        let local = &prefix[1..];
        let tail = if prefix == "097" || prefix == "088" || prefix == "096" {
            rng.digits(7)
        } else {
            rng.digits(6)
        };
        return match rng.below(4) {
            0 => format!("{prefix} {} {}", &tail[..3], &tail[3..]),
            1 => format!("+855 {local} {tail}"),
            2 => format!("+855{local}{tail}"),
            _ => format!("{prefix}{tail}"),
        };
    }
    match lang {
        "zh" => {
            let mobile = format!(
                "1{}{}",
                ["38", "39", "58", "86", "77"][rng.below(5)],
                rng.digits(8)
            );
            if rng.below(2) == 0 {
                mobile
            } else {
                format!("+86 {} {} {}", &mobile[..3], &mobile[3..7], &mobile[7..])
            }
        }
        "vi" => {
            let net = ["90", "91", "98", "97", "86"][rng.below(5)];
            let rest = rng.digits(7);
            if rng.below(2) == 0 {
                format!("0{net} {} {}", &rest[..3], &rest[3..])
            } else {
                format!("+84 {net} {} {}", &rest[..3], &rest[3..])
            }
        }
        _ => {
            let net = ["81", "86", "89", "92", "95"][rng.below(5)];
            let rest = rng.digits(7);
            if rng.below(2) == 0 {
                format!("0{net}-{}-{}", &rest[..3], &rest[3..])
            } else {
                format!("+66 {net} {} {}", &rest[..3], &rest[3..])
            }
        }
    }
}

/// A Telegram handle (`@word_123`) or link (`t.me/word123`).
fn telegram(rng: &mut Rng) -> String {
    let word = HANDLE_WORDS[rng.below(HANDLE_WORDS.len())];
    let n = rng.range(10, 9999);
    if rng.below(3) == 0 {
        format!("t.me/{word}{n}")
    } else {
        format!("@{word}_{n}")
    }
}

fn building_label(rng: &mut Rng) -> String {
    let letter = char::from(b'A' + rng.below(8) as u8);
    format!("{letter}{}", rng.range(1, 12))
}

fn fill(rng: &mut Rng, template: &str, lang: &Lang, place: &Place) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        match &after[1..close] {
            "place" => out.push_str(place.name(lang.code)),
            "phone" => out.push_str(&phone(rng, lang.code)),
            "tg" => out.push_str(&telegram(rng)),
            "n" => out.push_str(&rng.range(20, 600).to_string()),
            "company" => out.push_str(COMPANIES[rng.below(COMPANIES.len())]),
            "building" => {
                out.push_str(lang.building);
                out.push_str(&building_label(rng));
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Sentences in a random order until the text reaches a random length in
/// `MIN_BYTES..=MAX_BYTES`; a sentence that would pass `MAX_BYTES` is skipped.
fn compose(rng: &mut Rng, lang: Lang, place: &Place) -> String {
    let target = rng.range(MIN_BYTES, MAX_BYTES);
    let mut order: Vec<usize> = (0..lang.sentences.len()).collect();
    // Fisher–Yates; the first sentence always names the place.
    for k in (2..order.len()).rev() {
        let j = 1 + rng.below(k);
        order.swap(k, j);
    }
    let mut text = String::with_capacity(MAX_BYTES);
    // Two passes over the sentences (with fresh numbers and handles) so that
    // short languages still reach the target.
    for &k in order.iter().chain(order.iter()) {
        if text.len() >= target {
            break;
        }
        let s = fill(rng, lang.sentences[k], &lang, place);
        let extra = if text.is_empty() {
            0
        } else {
            lang.joiner.len()
        };
        if text.len() + extra + s.len() > MAX_BYTES {
            continue;
        }
        if !text.is_empty() {
            text.push_str(lang.joiner);
        }
        text.push_str(&s);
    }
    text
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_random_access() {
        let a: Vec<_> = tips(7, 50).collect();
        let b: Vec<_> = tips(7, 50).collect();
        assert_eq!(a, b);
        assert_eq!(a[33], tip(7, 33));
        assert_ne!(tips(8, 50).collect::<Vec<_>>(), a);
    }

    #[test]
    fn lengths_stay_in_range() {
        for t in tips(1, 20_000) {
            assert!(
                (MIN_BYTES..=MAX_BYTES).contains(&t.text.len()),
                "{} bytes: {}",
                t.text.len(),
                t.text
            );
        }
    }

    #[test]
    fn every_language_category_and_place_appears() {
        let all: Vec<_> = tips(3, 5_000).collect();
        for (l, _) in LANGS {
            assert!(all.iter().any(|t| t.language == l.code), "{}", l.code);
        }
        for (c, _) in CATEGORIES {
            assert!(all.iter().any(|t| t.category == *c), "{c}");
        }
        for p in PLACES {
            assert!(all.iter().any(|t| t.province_code == p.code), "{}", p.code);
        }
    }

    #[test]
    fn texts_carry_identifiers() {
        let all: Vec<_> = tips(5, 2_000).collect();
        let with_phone = all
            .iter()
            .filter(|t| t.text.chars().filter(char::is_ascii_digit).count() >= 9)
            .count();
        let with_tg = all
            .iter()
            .filter(|t| t.text.contains('@') || t.text.contains("t.me/"))
            .count();
        assert!(with_phone > all.len() / 2, "{with_phone}");
        assert!(with_tg > all.len() / 2, "{with_tg}");
        assert!(all.iter().all(|t| !t.text.contains('{')));
    }

    #[test]
    fn the_api_body_is_json() {
        for t in tips(9, 500) {
            let v: serde_json::Value = match serde_json::from_str(&t.api_json()) {
                Ok(v) => v,
                Err(e) => panic!("{e}: {}", t.api_json()),
            };
            assert_eq!(v["text"], t.text);
            assert_eq!(v["category"], t.category);
            assert_eq!(v["province_code"], t.province_code);
            assert_eq!(v["language"], t.language);
        }
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\n\u{1}");
        assert_eq!(s, r#""a\"b\\c\n\u0001""#);
    }

    #[test]
    fn province_codes_are_gazetteer_codes() {
        for p in PLACES {
            assert_eq!(p.code.len(), 2);
            let n: u32 = p.code.parse().unwrap_or(0);
            assert!((1..=25).contains(&n), "{}", p.code);
        }
    }
}
