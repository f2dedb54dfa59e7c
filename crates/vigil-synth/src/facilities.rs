//! Synthetic tips about known facilities, with the ground truth, for measuring
//! clustering ([`tips`]`(seed, n)`).
//!
//! A world is drawn from the seed: facilities (a few reported 30–80 times, most
//! 1–15 times) in the well-known hubs, each with its own phones, Telegram handle,
//! website or Facebook page, commune, village, building and position; recruiters who
//! each work for 3–25 facilities; and values every reporter may mention (a national
//! hotline, `t.me`, `facebook.com`). Tips about a facility mention a random part of
//! what is known about it, in varied formats (`012 345 678`, `+855 12 345 678`,
//! Khmer digits, `@handle`, `t.me/handle`, …), in Khmer, English, Chinese,
//! Vietnamese or Thai. Some tips give only a place (commune or village and a place
//! description), some only coordinates, some are a facility's job ad pasted again with
//! small edits, and a few are noise about no facility at all (`facility: None`).
//! A few reporters name the wrong province.
//!
//! ```
//! let tips = vigil_synth::facilities::tips(7, 500);
//! assert_eq!(tips.len(), 500);
//! assert_eq!(tips, vigil_synth::facilities::tips(7, 500));
//! assert!(tips.iter().any(|t| t.facility.is_some()));
//! ```

use super::reports::{Id, Reporter};
use super::{EN, KM, Lang, PLACES, Place, Rng, TH, VI, ZH, pick_weighted};

/// The national hotline number, mentioned in tips about any facility.
pub const HOTLINE: &str = "023 999 888";

/// One synthetic tip with its ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityTip {
    /// The text.
    pub text: String,
    /// Language (`km`, `en`, `zh`, `vi`, `th`).
    pub language: &'static str,
    /// Category wire name.
    pub category: &'static str,
    /// Province code chosen on the form.
    pub province_code: Option<String>,
    /// Commune code chosen on the form (6 digits).
    pub commune_code: Option<String>,
    /// Village code chosen on the form (8 digits).
    pub village_code: Option<String>,
    /// Place description.
    pub place: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Danger flags: held, passports taken, violence, children.
    pub danger: [bool; 4],
    /// Photos attached.
    pub photos: u32,
    /// Seconds since the Unix epoch.
    pub received_at_unix: i64,
    /// The facility the tip is about (ground truth), `None` for noise.
    pub facility: Option<u32>,
}

/// Approximate centres of the hubs in [`PLACES`], same order.
const CENTRES: &[(f64, f64)] = &[
    (10.627, 103.522),
    (11.580, 104.900),
    (11.070, 106.160),
    (13.660, 102.560),
    (14.430, 103.700),
    (10.930, 103.240),
    (10.620, 104.020),
    (13.360, 103.860),
];
const AREA_WEIGHTS: &[(usize, u32)] = &[
    (0, 30),
    (1, 15),
    (2, 15),
    (3, 12),
    (4, 6),
    (5, 8),
    (6, 6),
    (7, 8),
];

const NAME_A: &[&str] = &[
    "Golden", "Jade", "Lucky", "Royal", "Dragon", "Phoenix", "Star", "Ocean", "Diamond", "Fortune",
    "Silver", "Happy", "Grand", "Pearl", "Crown", "Sunrise", "Victory", "Harmony", "Oriental",
    "Paradise", "Emerald", "Lotus", "Tiger", "Eagle",
];
const NAME_B: &[&str] = &[
    "Park", "Garden", "Tower", "Plaza", "Bay", "City", "Resort", "Villa", "Court", "Centre",
    "Hill", "Palace", "Land", "Harbour", "Square", "Heights",
];
const HANDLE_WORDS: &[&str] = &[
    "hr", "boss", "kefu", "recruit", "vip", "admin", "manager", "job", "agent", "cs",
];

struct Facility {
    area: usize,
    name: String,
    commune: String,
    village: String,
    building: String,
    lat: f64,
    lon: f64,
    phones: Vec<(String, String)>,
    handle: Option<String>,
    site: Option<String>,
    facebook: Option<String>,
    recruiter: Option<usize>,
    traits: [bool; 4],
    size: usize,
}

struct Recruiter {
    handle: String,
    phone: (String, String),
}

fn kh_phone(rng: &mut Rng) -> (String, String) {
    let prefix = ["12", "17", "92", "10", "15", "11", "77", "78"][rng.below(8)];
    (prefix.to_string(), rng.digits(6))
}

/// A Cambodian mobile number written one of the ways people write it.
fn render_phone(rng: &mut Rng, (p, t): &(String, String)) -> String {
    match rng.below(7) {
        0 | 1 => format!("0{p} {} {}", &t[..3], &t[3..]),
        2 => format!("+855 {p} {} {}", &t[..3], &t[3..]),
        3 => format!("+855{p}{t}"),
        4 => format!("0{p}{t}"),
        5 => format!("0{p}-{}-{}", &t[..3], &t[3..]),
        _ => format!("0{p} {} {}", &t[..3], &t[3..])
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32(0x17E0 + d))
                    .unwrap_or(c)
            })
            .collect(),
    }
}

fn render_handle(rng: &mut Rng, h: &str) -> String {
    match rng.below(4) {
        0 => format!("t.me/{h}"),
        1 => format!("https://t.me/{h}"),
        _ => format!("@{h}"),
    }
}

fn handle(rng: &mut Rng) -> String {
    let w = HANDLE_WORDS[rng.below(HANDLE_WORDS.len())];
    let a = NAME_A[rng.below(NAME_A.len())].to_ascii_lowercase();
    format!("{w}_{a}{}", rng.range(10, 99_999))
}

fn world(seed: u64, n: usize, size_scale: usize) -> (Vec<Facility>, Vec<Recruiter>) {
    let mut rng = Rng::for_item(seed, u64::MAX);
    let mut facilities = Vec::new();
    let target = n * 95 / 100;
    let mut total = 0;
    while total < target {
        let size = match rng.below(100) {
            0..=3 => rng.range(30, 80),
            4..=29 => rng.range(4, 15),
            _ => rng.range(1, 3),
        } * size_scale.max(1);
        total += size;
        let area = pick_weighted(&mut rng, AREA_WEIGHTS);
        let code = PLACES[area].code;
        let commune = format!("{code}{:02}{:02}", rng.range(1, 4), rng.range(1, 10));
        let village = format!("{commune}{:02}", rng.range(1, 15));
        let (clat, clon) = CENTRES[area];
        let name = format!(
            "{} {} {}",
            NAME_A[rng.below(NAME_A.len())],
            NAME_B[rng.below(NAME_B.len())],
            rng.range(1, 99)
        );
        let phones = (0..rng.range(1, 2)).map(|_| kh_phone(&mut rng)).collect();
        let slug: String = name
            .to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        facilities.push(Facility {
            area,
            commune,
            village,
            building: format!(
                "{}{}",
                char::from(b'A' + rng.below(8) as u8),
                rng.range(1, 12)
            ),
            lat: clat + (rng.below(40_001) as f64 - 20_000.0) * 1e-5,
            lon: clon + (rng.below(40_001) as f64 - 20_000.0) * 1e-5,
            phones,
            handle: (rng.below(10) < 7).then(|| handle(&mut rng)),
            site: (rng.below(10) < 3).then(|| format!("{slug}{}.com", rng.range(1, 999))),
            facebook: (rng.below(10) < 2).then(|| format!("{slug}.official{}", rng.range(1, 99))),
            recruiter: None,
            traits: [
                rng.below(10) < 6,
                rng.below(10) < 4,
                rng.below(10) < 3,
                rng.below(20) == 0,
            ],
            size,
            name,
        });
    }
    // Recruiters, each working for 3–25 facilities.
    let mut recruiters = Vec::new();
    let mut order: Vec<usize> = (0..facilities.len()).collect();
    for k in (1..order.len()).rev() {
        order.swap(k, rng.below(k + 1));
    }
    let mut rest = &order[..order.len() * 2 / 5];
    while rest.len() >= 3 {
        let take = rng.range(3, 25).min(rest.len());
        let r = recruiters.len();
        recruiters.push(Recruiter {
            handle: handle(&mut rng),
            phone: kh_phone(&mut rng),
        });
        for &f in &rest[..take] {
            facilities[f].recruiter = Some(r);
        }
        rest = &rest[take..];
    }
    (facilities, recruiters)
}

/// Extra sentences per language: `{x}` is filled with an identifier.
fn extra(lang: &str) -> [&'static str; 6] {
    match lang {
        "km" => [
            "អ្នកជ្រើសរើស {x} បាននាំខ្ញុំមក។",
            "គេហទំព័រ {x}",
            "ខ្ញុំបានហៅទូរស័ព្ទទៅខ្សែទូរស័ព្ទជំនួយ {x} រួចហើយ។",
            "ទំព័រហ្វេសប៊ុក facebook.com/{x}",
            "ខ្ញុំឃើញរថយន្តដឹកមនុស្សចូលនៅពេលយប់។",
            "កុមារខ្លះក៏ធ្វើការនៅទីនោះដែរ។",
        ],
        "zh" => [
            "中介{x}把我介绍过来的。",
            "网站是{x}",
            "我已经打过热线{x}。",
            "脸书主页 facebook.com/{x}",
            "晚上有车把人运进去。",
            "里面还有小孩在干活。",
        ],
        "vi" => [
            "Người môi giới {x} đưa tôi đến đây.",
            "Trang web {x}",
            "Tôi đã gọi đường dây nóng {x}.",
            "Trang Facebook facebook.com/{x}",
            "Ban đêm có xe chở người vào.",
            "Có cả trẻ em làm việc ở đó.",
        ],
        "th" => [
            "นายหน้า {x} พาฉันมาที่นี่",
            "เว็บไซต์ {x}",
            "ฉันโทรสายด่วน {x} แล้ว",
            "เพจเฟซบุ๊ก facebook.com/{x}",
            "ตอนกลางคืนมีรถขนคนเข้าไป",
            "มีเด็กทำงานอยู่ที่นั่นด้วย",
        ],
        _ => [
            "The recruiter {x} brought me here.",
            "Their website is {x}",
            "I already called the hotline {x}.",
            "Facebook page facebook.com/{x}",
            "At night vans bring new people in.",
            "There are children working there too.",
        ],
    }
}

/// A sentence of random pieces of this language's vocabulary (words, or short runs
/// of characters for scripts without spaces), so unrelated tips share little text.
fn free_sentence(rng: &mut Rng, lang: &Lang) -> String {
    let mut pieces: Vec<String> = Vec::new();
    for s in lang.sentences.iter().chain(extra(lang.code).iter()) {
        let mut clean = String::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 && !"。，、.,!?;:'()".contains(c) => clean.push(c),
                _ => {}
            }
        }
        for w in clean.split_whitespace() {
            let chars: Vec<char> = w.chars().collect();
            if lang.joiner.is_empty() || chars.len() > 6 && !w.is_ascii() {
                pieces.extend(chars.chunks(3).map(|c| c.iter().collect::<String>()));
            } else {
                pieces.push(w.to_string());
            }
        }
    }
    let k = rng.range(6, 12);
    let sep = if lang.code == "zh" || lang.code == "th" || lang.code == "km" {
        ""
    } else {
        " "
    };
    let words: Vec<&str> = (0..k)
        .map(|_| pieces[rng.below(pieces.len())].as_str())
        .collect();
    let end = match lang.code {
        "zh" => "。",
        "km" => "។",
        "th" => "",
        _ => ".",
    };
    format!("{}{end} {}", words.join(sep), rng.range(1, 999))
}

fn place_text(rng: &mut Rng, lang: &str, f: &Facility) -> String {
    let b = &f.building;
    match (lang, rng.below(2)) {
        ("km", _) => format!("{} អគារ {b}", f.name),
        ("zh", _) => format!("{}园区{b}栋", f.name),
        ("vi", _) => format!("khu {} tòa {b}", f.name),
        ("th", _) => format!("{} ตึก {b}", f.name),
        (_, 0) => format!("{} compound, building {b}", f.name),
        _ => format!("{}, {b}", f.name),
    }
}

/// Fills a template of the base generator with this facility's facts.
fn fill(
    rng: &mut Rng,
    t: &str,
    lang: &Lang,
    place: &Place,
    f: &Facility,
    ids: &mut Vec<Id>,
) -> String {
    let mut out = t.to_string();
    if out.contains("{phone}") {
        let p = f.phones[rng.below(f.phones.len())].clone();
        let s = render_phone(rng, &p);
        out = out.replace("{phone}", &s);
        ids.push(Id::Phone(s));
    }
    if out.contains("{tg}") {
        let s = match &f.handle {
            Some(h) => Id::Handle(render_handle(rng, h)),
            // Written where a handle goes: readers take it for one too.
            None => Id::Handle(render_phone(rng, &f.phones[0])),
        };
        let (Id::Handle(x) | Id::Phone(x)) = &s;
        out = out.replace("{tg}", x);
        ids.push(s);
    }
    out.replace("{place}", &format!("{} {}", place.name(lang.code), f.name))
        .replace("{company}", &f.name)
        .replace("{building}", &format!("{}{}", lang.building, f.building))
        .replace("{n}", &rng.range(20, 600).to_string())
}

const AD: &[&str] = &[
    "URGENT HIRING: {company} needs customer service and typing staff in {city}. Salary {s} USD per month, free room and food, visa and flight paid. No experience needed. Contact {c} today.",
    "ប្រកាសជ្រើសរើសបុគ្គលិក! ក្រុមហ៊ុន {company} នៅ{city} ត្រូវការបុគ្គលិកវាយអក្សរ ប្រាក់ខែ {s} ដុល្លារ មានកន្លែងស្នាក់នៅ និងអាហារ។ ទាក់ទង {c}",
    "高薪招聘！{company}（{city}）招客服、打字员，月薪{s}美金，包吃包住，报销机票。无需经验，联系{c}",
    "Tuyển gấp nhân viên chăm sóc khách hàng tại {city}, công ty {company}. Lương {s} USD, bao ăn ở, lo vé máy bay. Liên hệ {c}",
    "รับสมัครด่วน! บริษัท {company} ที่{city} รับพนักงานแอดมิน เงินเดือน {s} ดอลลาร์ มีที่พักและอาหารฟรี ติดต่อ {c}",
];

fn job_ad(rng: &mut Rng, f: &Facility, variant: usize) -> (String, &'static str) {
    let langs = ["en", "km", "zh", "vi", "th"];
    let k = variant % AD.len();
    let contact = match &f.handle {
        Some(h) => format!("@{h}"),
        None => render_phone(rng, &f.phones[0]),
    };
    let salary = 1200 + 100 * (variant % 7);
    let city = PLACES[f.area].name(langs[k]);
    let mut ad = AD[k]
        .replace("{company}", &f.name)
        .replace("{city}", city)
        .replace("{s}", &salary.to_string())
        .replace("{c}", &contact);
    // Small edits from one paste to the next.
    match rng.below(5) {
        0 => ad.push_str(" !!!"),
        1 => ad = format!("Forwarded: {ad}"),
        2 => ad = ad.replace(&salary.to_string(), &(salary + 200).to_string()),
        3 => ad.push_str(" 🔥🔥"),
        _ => {}
    }
    (ad, langs[k])
}

/// Where a tip's prose comes from: the benchmark's pieces (runs of the
/// language's vocabulary around template sentences), or a reporter's whole
/// sentences ([`crate::reports`]) drawn from their own stream, so that
/// every other draw is the same either way.
type Prose<'a> = Option<&'a mut Rng>;

/// The sentence of a piece: `piece` itself, or the reporter's.
fn say<'a>(
    r: &mut Option<Reporter<'a>>,
    piece: String,
    write: impl FnOnce(&mut Reporter<'a>) -> String,
) -> String {
    match r {
        Some(r) => write(r),
        None => piece,
    }
}

fn facility_tip(
    rng: &mut Rng,
    f: &Facility,
    fid: u32,
    recruiters: &[Recruiter],
    ad_variant: usize,
    prose: Prose<'_>,
) -> FacilityTip {
    let lang = pick_weighted(
        rng,
        &[(&KM, 35), (&EN, 20), (&ZH, 20), (&VI, 15), (&TH, 10)],
    );
    let place = &PLACES[f.area];
    let mut tip = FacilityTip {
        text: String::new(),
        language: lang.code,
        category: pick_weighted(
            rng,
            &[
                ("scam_compound", 50),
                ("trafficking", 25),
                ("recruitment", 15),
                ("other", 10),
            ],
        ),
        province_code: (rng.below(10) < 8).then(|| place.code.to_string()),
        commune_code: None,
        village_code: None,
        place: None,
        lat: None,
        lon: None,
        danger: [false; 4],
        photos: if rng.below(5) == 0 {
            rng.range(1, 3) as u32
        } else {
            0
        },
        received_at_unix: 1_780_000_000 + rng.below(180 * 86_400) as i64,
        facility: Some(fid),
    };
    for (d, t) in tip.danger.iter_mut().zip(f.traits) {
        *d = t && rng.below(2) == 0;
    }
    let kind = rng.below(100);
    let mut ids = Vec::new();
    if kind < 8 {
        // A pasted job ad.
        let (ad, l) = job_ad(rng, f, ad_variant);
        tip.text = ad;
        tip.language = l;
        tip.category = "recruitment";
        return tip;
    }
    let mut r = prose.map(|p| Reporter::new(p, lang.code, tip.danger, tip.category));
    if kind < 18 {
        // Only coordinates (a photo's GPS) and a vague text.
        let jitter = |rng: &mut Rng| (rng.below(1_201) as f64 - 600.0) * 1e-6;
        tip.lat = Some(f.lat + jitter(rng));
        tip.lon = Some(f.lon + jitter(rng));
        let first = free_sentence(rng, lang);
        let first = say(&mut r, first, |r| r.opening(None));
        let second = free_sentence(rng, lang);
        let second = say(&mut r, second, Reporter::detail);
        let mut parts = vec![first, second];
        if let Some(r) = r.as_mut() {
            parts.push(r.seen());
            parts.extend(r.closing());
        }
        parts.retain(|p| !p.is_empty());
        tip.text = parts.join(lang.joiner);
        return tip;
    }
    let place_only = kind < 30;
    if place_only || rng.below(2) == 0 {
        tip.commune_code = Some(f.commune.clone());
        if rng.below(5) < 2 {
            tip.village_code = Some(f.village.clone());
        }
        tip.place = Some(place_text(rng, lang.code, f));
    }
    if rng.below(10) < 2 && !place_only {
        tip.lat = Some(f.lat + (rng.below(1_201) as f64 - 600.0) * 1e-6);
        tip.lon = Some(f.lon + (rng.below(1_201) as f64 - 600.0) * 1e-6);
    }
    // Sentences: the first names the place; then a random few.
    let mut order: Vec<usize> = (1..lang.sentences.len()).collect();
    for k in (1..order.len()).rev() {
        order.swap(k, rng.below(k + 1));
    }
    let first = fill(rng, lang.sentences[0], lang, place, f, &mut ids);
    let mut parts = vec![say(&mut r, first, |r| {
        let p = r.place(&f.name, place.name(lang.code));
        r.opening(Some(&p))
    })];
    for _ in 0..rng.range(1, 2) {
        let s = free_sentence(rng, lang);
        parts.push(say(&mut r, s, Reporter::detail));
    }
    // A filled template: kept when it carries identifiers, else the
    // reporter's sentence.
    let sentence = |rng: &mut Rng, r: &mut Option<Reporter<'_>>, s: &str| {
        let mut ids = Vec::new();
        let text = fill(rng, s, lang, place, f, &mut ids);
        // A template's sentence that carries identifiers is kept as it is:
        // the words around an identifier decide how it is read.
        if ids.is_empty() {
            say(r, text, Reporter::detail)
        } else {
            text
        }
    };
    if !place_only && rng.below(10) < 8 {
        let with_ids: Vec<&str> = lang
            .sentences
            .iter()
            .copied()
            .filter(|s| s.contains("{phone}") || s.contains("{tg}"))
            .collect();
        let s = with_ids[rng.below(with_ids.len())];
        parts.push(sentence(rng, &mut r, s));
    }
    let want = parts.len() + rng.range(0, 1);
    for &k in order
        .iter()
        .filter(|&&k| !place_only || !lang.sentences[k].contains('{'))
    {
        if parts.len() >= want {
            break;
        }
        let s = lang.sentences[k];
        if !place_only || !(s.contains("{phone}") || s.contains("{tg}")) {
            parts.push(sentence(rng, &mut r, s));
        }
    }
    let ex = extra(lang.code);
    if !place_only {
        if let (Some(rec), true) = (f.recruiter, rng.below(10) < 3) {
            let rec = &recruiters[rec];
            let x = if rng.below(2) == 0 {
                render_handle(rng, &rec.handle)
            } else {
                render_phone(rng, &rec.phone)
            };
            parts.push(say(&mut r, ex[0].replace("{x}", &x), |r| r.recruiter(&x)));
        }
        if let (Some(s), true) = (&f.site, rng.below(2) == 0) {
            let x = if rng.below(2) == 0 {
                format!("https://{s}/register")
            } else {
                format!("www.{s}")
            };
            parts.push(say(&mut r, ex[1].replace("{x}", &x), |r| r.site(&x)));
        }
        if rng.below(20) == 0 {
            parts.push(say(&mut r, ex[2].replace("{x}", HOTLINE), |r| {
                r.hotline(HOTLINE)
            }));
        }
        if let (Some(fb), true) = (&f.facebook, rng.below(2) == 0) {
            parts.push(say(&mut r, ex[3].replace("{x}", fb), |r| r.facebook(fb)));
        }
    }
    if rng.below(3) == 0 {
        parts.push(ex[4].to_string());
    }
    if f.traits[3] && rng.below(2) == 0 {
        parts.push(ex[5].to_string());
    }
    // Where sentences are joined without a space, a plea does not follow a
    // link: it would change how the link is read.
    let ends = parts
        .last()
        .is_some_and(|p| !lang.joiner.is_empty() || p.ends_with('。'));
    if let (Some(end), true) = (r.as_mut().and_then(Reporter::closing), ends) {
        parts.push(end);
    }
    parts.retain(|p| !p.is_empty());
    tip.text = parts.join(lang.joiner);
    tip
}

fn noise_tip(rng: &mut Rng, prose: Prose<'_>) -> FacilityTip {
    let lang = pick_weighted(
        rng,
        &[(&KM, 35), (&EN, 20), (&ZH, 20), (&VI, 15), (&TH, 10)],
    );
    let area = rng.below(PLACES.len());
    let mut r = prose.map(|p| Reporter::new(p, lang.code, [false; 4], "other"));
    let first = free_sentence(rng, lang);
    let mut parts = vec![say(&mut r, first, |r| r.opening(None))];
    if let Some(r) = r.as_mut() {
        parts.push(r.seen());
    }
    for _ in 0..rng.range(0, 1) {
        let s = lang.sentences[rng.below(lang.sentences.len())];
        let number = kh_phone(rng);
        let city = PLACES[area].name(lang.code);
        let phone = render_phone(rng, &number);
        let tg = format!("@{}", handle(rng));
        let n = rng.range(20, 600).to_string();
        let text = s
            .replace("{place}", city)
            .replace("{phone}", &phone)
            .replace("{tg}", &tg)
            .replace("{company}", "a company")
            .replace("{building}", lang.building)
            .replace("{n}", &n);
        if s.contains("{phone}") || s.contains("{tg}") {
            parts.push(text);
        } else {
            parts.push(say(&mut r, text, |r| {
                if s.contains("{place}") {
                    r.opening(Some(city))
                } else {
                    r.detail()
                }
            }));
        }
    }
    if rng.below(4) == 0 {
        parts.push(say(
            &mut r,
            extra(lang.code)[2].replace("{x}", HOTLINE),
            |r| r.hotline(HOTLINE),
        ));
    }
    if let Some(end) = r.as_mut().and_then(Reporter::closing) {
        parts.push(end);
    }
    parts.retain(|p| !p.is_empty());
    FacilityTip {
        text: parts.join(lang.joiner),
        language: lang.code,
        category: "other",
        province_code: Some(PLACES[area].code.to_string()),
        commune_code: None,
        village_code: None,
        place: None,
        lat: None,
        lon: None,
        danger: [false; 4],
        photos: 0,
        received_at_unix: 1_780_000_000 + rng.below(180 * 86_400) as i64,
        facility: None,
    }
}

/// Every fixed phrase [`reports_scaled`] may write in `lang` (`{…}` marks a
/// slot): the report templates and the words their slots take, the
/// sentences that carry identifiers, the job ads, the sentences added about
/// a facility and the hubs' names.
pub fn phrases(lang: &str) -> Vec<&'static str> {
    let mut out = crate::reports::templates(lang);
    let base = [&KM, &EN, &ZH, &VI, &TH]
        .into_iter()
        .find(|l| l.code == lang)
        .unwrap_or(&EN);
    out.extend(base.sentences.iter().copied());
    out.push(base.building);
    out.extend(crate::reports::slot_words(lang));
    out.extend(AD.iter().copied());
    out.extend(extra(lang));
    out.extend(PLACES.iter().map(|p| p.name(lang)));
    out
}

/// `n` tips about a world drawn from `seed`, shuffled, with their ground truth.
pub fn tips(seed: u64, n: usize) -> Vec<FacilityTip> {
    tips_scaled(seed, n, 1)
}

/// Like [`tips`], with every facility `size_scale` times as often reported
/// (so about `size_scale` times fewer facilities for the same `n`).
pub fn tips_scaled(seed: u64, n: usize, size_scale: usize) -> Vec<FacilityTip> {
    generate(seed, n, size_scale, false)
}

/// The tips of [`tips_scaled`] (the same facilities, identifiers, places,
/// flags, times and order) with their prose written as people report:
/// whole sentences in the tip's language from [`crate::reports`], chosen by
/// what the tip is about, around the same identifiers written the same way.
/// Job ads are pasted as they are.
pub fn reports_scaled(seed: u64, n: usize, size_scale: usize) -> Vec<FacilityTip> {
    generate(seed, n, size_scale, true)
}

fn generate(seed: u64, n: usize, size_scale: usize, reports: bool) -> Vec<FacilityTip> {
    let (facilities, recruiters) = world(seed, n, size_scale);
    let mut out = Vec::with_capacity(n);
    let mut rng = Rng::for_item(seed, u64::MAX - 1);
    let mut prose = Rng::for_item(seed, u64::MAX - 2);
    'outer: for (fid, f) in facilities.iter().enumerate() {
        let mut ad_variant = rng.below(1000);
        for _ in 0..f.size {
            if out.len() >= n {
                break 'outer;
            }
            let mut t = facility_tip(
                &mut rng,
                f,
                fid as u32,
                &recruiters,
                ad_variant,
                reports.then_some(&mut prose),
            );
            if rng.below(30) == 0 {
                // The reporter picked the wrong province.
                t.province_code = Some(PLACES[rng.below(PLACES.len())].code.to_string());
                t.commune_code = None;
                t.village_code = None;
            }
            if rng.below(4) == 0 {
                ad_variant += 1;
            }
            out.push(t);
        }
    }
    while out.len() < n {
        out.push(noise_tip(&mut rng, reports.then_some(&mut prose)));
    }
    for k in (1..out.len()).rev() {
        out.swap(k, rng.below(k + 1));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reports_change_only_the_prose() {
        let plain = tips_scaled(11, 3000, 5);
        let reports = reports_scaled(11, 3000, 5);
        assert_eq!(plain.len(), reports.len());
        let mut changed = 0;
        for (a, b) in plain.iter().zip(&reports) {
            let strip = |t: &FacilityTip| FacilityTip {
                text: String::new(),
                ..t.clone()
            };
            assert_eq!(strip(a), strip(b));
            changed += usize::from(a.text != b.text);
        }
        // Job ads are pasted as they are; every other text is rewritten.
        assert!(changed > plain.len() * 8 / 10, "{changed}");
    }

    #[test]
    fn reported_texts_keep_the_phones_handles_and_links() {
        let plain = tips_scaled(5, 2000, 5);
        let reports = reports_scaled(5, 2000, 5);
        let marks = |t: &str| -> Vec<String> {
            let mut out: Vec<String> = t
                .split(|c: char| !c.is_ascii_graphic())
                .filter(|w| w.starts_with('@') || w.contains("t.me/") || w.contains(".com"))
                .map(|w| {
                    w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                        .to_string()
                })
                .collect();
            out.sort();
            out
        };
        for (a, b) in plain.iter().zip(&reports) {
            for m in marks(&a.text) {
                assert!(b.text.contains(&m), "{m} lost: {} -> {}", a.text, b.text);
            }
        }
    }
}
