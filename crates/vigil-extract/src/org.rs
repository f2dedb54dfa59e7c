//! Company and agency names in tip text, in the five languages tips come in:
//! "Golden Fortune Co., Ltd", "Win Win Recruitment Agency", "ក្រុមហ៊ុន …",
//! "…有限公司", "Công ty TNHH …", "บริษัท … จำกัด". Not an identifier [`Kind`]:
//! names feed the screening watchlist, they do not link tips.
//!
//! Precision comes first: a name needs both a legal form or organisation word
//! (`Co., Ltd`, `Agency`, `ក្រុមហ៊ុន`, `公司`, `Công ty`, `บริษัท`) and a proper
//! name next to it — capitalised words in Latin script, a bounded name in Khmer,
//! Chinese or Thai — so "the company", "this agency" or "这家公司" are not names.
//!
//! [`Kind`]: crate::Kind

/// The company and agency names in `text`, each once, in order of appearance,
/// as written with runs of whitespace made one space. A name found inside a
/// longer one (`Golden Fortune Co., Ltd` in `ក្រុមហ៊ុន Golden Fortune Co., Ltd`)
/// is given once, as the longer.
///
/// ```
/// let found = vigil_extract::org::organisations("I was sent to Golden Fortune Co., Ltd. in Bavet");
/// assert_eq!(found, vec!["Golden Fortune Co., Ltd"]);
/// ```
pub fn organisations(text: &str) -> Vec<String> {
    let toks = latin_tokens(text);
    let mut found: Vec<(usize, usize)> = Vec::new();
    latin(text, &toks, &mut found);
    vietnamese(text, &toks, &mut found);
    if !text.is_ascii() {
        prefixed(text, &toks, KHMER_PREFIXES, khmer_name, &mut found);
        prefixed(text, &toks, THAI_PREFIXES, thai_name, &mut found);
        han(text, &mut found);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<String> = Vec::new();
    let mut reach = 0;
    for (start, end) in found {
        if end <= reach {
            continue; // inside the previous, longer name
        }
        reach = end;
        let name = text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !out.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
            out.push(name);
        }
    }
    out
}

/// Words that end a company or agency name (lowercase).
const ORG_WORDS: &str = "agency bhd co company corp corporation enterprise enterprises group holding holdings inc \
jsc limited llc ltd manpower plc pte recruitment sdn";

/// The legal forms, which may follow after `.` or `,` (`Co., Ltd`).
const LEGAL_FORMS: &str = "bhd co corp inc jsc limited llc ltd plc pte sdn";

/// Capitalised words that are not part of a name: sentence openers, pronouns,
/// prepositions, people's roles (lowercase).
const STOP: &str = "a after also an and any apply are ask at avoid beware be before boss but by call contact \
dear every for from he hello help her hi his i if in is it its job jobs join last \
manager me miss mr mrs ms my next no not of on or our please police recruiter report \
send sent she told so some that the their then these they this those to today tomorrow \
urgent via was we were when with work worked working yesterday you your";

/// Messaging platforms: "Telegram group" is not an organisation (lowercase).
const PLATFORMS: &str = "facebook fb imo instagram line messenger signal telegram tiktok viber wechat whatsapp \
youtube zalo";

/// Words that alone do not name an organisation: nationalities, places, trades
/// ("Thai Company", "Online Group", "Travel Agency") (lowercase).
const GENERIC: &str = "bangkok bavet big burmese cambodia cambodian casino china chinese construction dubai \
employment export factory fake finance garment hotel international investment japan \
japanese khmer korea korean lao laos labor labour local malaysia myanmar online penh \
phnom poipet scam security service services sihanoukville small thai thailand tour \
trading travel vietnam vietnamese";

/// A word in Latin script (or `&`), as a byte span.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
}

fn is_latin(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        && (c.is_ascii()
            || ('\u{C0}'..='\u{24F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c))
}

fn latin_tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_latin(c) || c == '\u{300}' || ('\u{301}'..='\u{36F}').contains(&c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Tok { start: s, end: i });
        }
        if c == '&' {
            out.push(Tok {
                start: i,
                end: i + 1,
            });
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            start: s,
            end: text.len(),
        });
    }
    out
}

fn word<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

/// Whether `w`, without case, is one of the space-separated (ASCII) words of `list`.
fn lower_in(w: &str, list: &str) -> bool {
    w.len() <= 16
        && list
            .split_ascii_whitespace()
            .any(|x| x.eq_ignore_ascii_case(w))
}

/// Starts with a capital, or is a short number or a code with letters ("888",
/// "A1") — not a phone number.
fn capitalised(w: &str) -> bool {
    match w.chars().next() {
        Some(c) if c.is_ascii_digit() => w.len() <= 4 || w.chars().any(char::is_alphabetic),
        Some(c) => c.is_uppercase(),
        None => false,
    }
}

fn all_caps(w: &str) -> bool {
    w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A word that may be part of a proper name.
fn is_name(w: &str) -> bool {
    capitalised(w) && !lower_in(w, STOP) && !lower_in(w, PLATFORMS) && !lower_in(w, ORG_WORDS)
}

/// What may stand between two words of one name: spaces or a hyphen.
fn name_gap(text: &str, a: &Tok, b: &Tok) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| matches!(c, ' ' | '\t' | '-' | '\u{A0}'))
}

/// Proper-name words from `toks[i]`, then organisation words: the index after
/// the run and whether organisation words followed. `None` when no name starts
/// at `i` or the name is only generic words.
fn latin_run(text: &str, toks: &[Tok], i: usize) -> Option<(usize, bool)> {
    let mut j = i;
    while j < toks.len() && (j == i || name_gap(text, &toks[j - 1], &toks[j])) {
        let w = word(text, &toks[j]);
        if is_name(w) {
            j += 1;
        } else if w == "&" && toks.get(j + 1).is_some_and(|n| is_name(word(text, n))) {
            j += 2;
        } else {
            break;
        }
    }
    if j == i || toks[i..j].iter().all(|t| lower_in(word(text, t), GENERIC)) {
        return None;
    }
    let mut k = j;
    while k < toks.len() && name_gap_or_legal(text, toks, k, j) {
        k += 1;
    }
    Some((k, k > j))
}

/// Whether `toks[k]` continues the organisation words that start at `first`.
fn name_gap_or_legal(text: &str, toks: &[Tok], k: usize, first: usize) -> bool {
    let w = word(text, &toks[k]);
    if !lower_in(w, ORG_WORDS) {
        return false;
    }
    if k == first {
        // "KK Group", "KK company" — but "Sokha company" is not a name.
        let before = word(text, &toks[k - 1]);
        return name_gap(text, &toks[k - 1], &toks[k])
            && (capitalised(w) || all_caps(before) || before.chars().any(|c| c.is_ascii_digit()));
    }
    let gap = &text[toks[k - 1].end..toks[k].start];
    if gap.is_empty()
        || !gap
            .chars()
            .all(|c| matches!(c, ' ' | '\t' | '\u{A0}' | '.' | ','))
    {
        return false;
    }
    // After punctuation only a legal form continues: "Co., Ltd", not "Group. Company".
    gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{A0}') || lower_in(w, LEGAL_FORMS)
}

/// Latin-script names ending in organisation words: "Win Win Recruitment Agency".
fn latin(text: &str, toks: &[Tok], found: &mut Vec<(usize, usize)>) {
    let mut i = 0;
    while i < toks.len() {
        match latin_run(text, toks, i) {
            Some((k, true)) => {
                found.push((toks[i].start, toks[k - 1].end));
                i = k;
            }
            Some((k, false)) => i = k,
            None => i += 1,
        }
    }
}

/// Vietnamese: `Công ty [TNHH|CP|Cổ phần] [trade] Name Capitalised`.
fn vietnamese(text: &str, toks: &[Tok], found: &mut Vec<(usize, usize)>) {
    const FORMS: &[&[&str]] = &[
        &["tnhh"],
        &["mtv"],
        &["cp"],
        &["cổ", "phần"],
        &["co", "phan"],
    ];
    const TRADES: &[&[&str]] = &[
        &["xuất", "khẩu", "lao", "động"],
        &["môi", "giới"],
        &["tuyển", "dụng"],
        &["dịch", "vụ"],
        &["du", "lịch"],
        &["việc", "làm"],
        &["đầu", "tư"],
        &["thương", "mại"],
    ];
    let lower = |t: &Tok| word(text, t).to_lowercase();
    let phrase = |at: usize, p: &[&str]| {
        p.iter().enumerate().all(|(n, w)| {
            toks.get(at + n).is_some_and(|t| lower(t) == *w)
                && (n == 0 || name_gap(text, &toks[at + n - 1], &toks[at + n]))
        })
    };
    for i in 0..toks.len() {
        let mut j = if phrase(i, &["công", "ty"]) || phrase(i, &["cong", "ty"]) {
            i + 2
        } else if lower(&toks[i]) == "cty" {
            i + 1
        } else {
            continue;
        };
        for list in [FORMS, FORMS, TRADES] {
            if let Some(p) = list.iter().find(|p| phrase(j, p)) {
                j += p.len();
            }
        }
        if j >= toks.len() || !name_gap(text, &toks[j - 1], &toks[j]) {
            continue;
        }
        if let Some((k, _)) = latin_run(text, toks, j) {
            found.push((toks[i].start, toks[k - 1].end));
        }
    }
}

/// Khmer: company and recruitment-agency words, longest first.
pub const KHMER_PREFIXES: &[&str] = &[
    "ក្រុមហ៊ុនជ្រើសរើសពលករ",
    "ក្រុមហ៊ុនជ្រើសរើសកម្មករ",
    "ភ្នាក់ងារជ្រើសរើសពលករ",
    "ភ្នាក់ងារជ្រើសរើសកម្មករ",
    "ភ្នាក់ងារជ្រើសរើសបុគ្គលិក",
    "ភ្នាក់ងារជ្រើសរើស",
    "ក្រុមហ៊ុន",
];

/// Thai: company words, longest first.
pub const THAI_PREFIXES: &[&str] = &["บริษัทจัดหางาน", "บริษัท"];

/// Names after a prefix word: Latin-script capitalised words, or a name in the
/// prefix's own script read by `native` (its end, if it is a name).
fn prefixed(
    text: &str,
    toks: &[Tok],
    prefixes: &[&str],
    native: fn(&str) -> Option<usize>,
    found: &mut Vec<(usize, usize)>,
) {
    // Each place once, with the longest prefix written there (`prefixes` is
    // longest first).
    let mut seen: Vec<usize> = Vec::new();
    for (at, p) in prefixes.iter().flat_map(|p| text.match_indices(p)) {
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        let after = at + p.len();
        let rest = &text[after..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\u{A0}']).len();
        let name_at = after + skipped;
        if let Some(i) = toks.iter().position(|t| t.start == name_at) {
            if let Some((k, _)) = latin_run(text, toks, i) {
                found.push((at, toks[k - 1].end));
            }
        } else if let Some(end) = native(&text[name_at..]) {
            found.push((at, name_at + end));
        }
    }
}

fn is_khmer(c: char) -> bool {
    ('\u{1780}'..='\u{17D3}').contains(&c) || ('\u{17DD}'..='\u{17FF}').contains(&c)
}

/// Khmer words that show the "name" is a sentence or a description ("this",
/// "which", "did", "Chinese", "big", "scam"…).
const KHMER_STOP: &str = "នេះ នោះ មួយ ដែល របស់ បាន ជា នៅ និង ថា ឲ្យ អោយ ពី មក ទៅ ខ្ញុំ \
គាត់ យើង ធ្វើ ការងារ ក្នុង ហើយ ទេ គឺ មាន ត្រូវ ចិន ថៃ ធំ បោក \
ឯកជន ណា ទាំង ច្រើន";

/// A Khmer name: one run of Khmer letters up to a space or punctuation, short,
/// with no word that makes it a phrase.
fn khmer_name(rest: &str) -> Option<usize> {
    let end = rest.find(|c: char| !is_khmer(c)).unwrap_or(rest.len());
    let name = &rest[..end];
    let chars = name.chars().count();
    ((2..=24).contains(&chars) && !KHMER_STOP.split_whitespace().any(|s| name.contains(s)))
        .then_some(end)
}

/// Thai words that show the "name" is a sentence ("this", "not", "that"…).
const THAI_STOP: &str = "นี้ นั้น ไม่ ที่ และ ของ ได้ ให้ จะ เป็น ไป มา ผม ฉัน เขา \
เรา หลอก";

/// A Thai name closed by `จำกัด` (limited, optionally `(มหาชน)`) before any
/// punctuation, at most 40 characters.
fn thai_name(rest: &str) -> Option<usize> {
    const LIMITED: &str = "จำกัด";
    const PUBLIC: &str = " (มหาชน)";
    let at = rest.find(LIMITED)?;
    let name = rest[..at].trim();
    let chars = name.chars().count();
    let clean = !name.contains(|c: char| {
        matches!(
            c,
            '\n' | '.' | ',' | '!' | '?' | '(' | ')' | '"' | ':' | ';' | '“' | '”'
        )
    });
    if !(2..=40).contains(&chars)
        || !clean
        || THAI_STOP.split_whitespace().any(|s| name.contains(s))
    {
        return None;
    }
    let end = at + LIMITED.len();
    Some(if rest[end..].starts_with(PUBLIC) {
        end + PUBLIC.len()
    } else {
        end
    })
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Characters that end a Chinese name read backwards from its suffix: verbs,
/// particles, pronouns and measure words ("在", "的", "这家"…).
const HAN_STOP: &str =
    "在是去到被给的了和与跟从叫这那个家一我你他她们进入找为替说问让把对向往由经过间所该本贵某";

/// Descriptions that may stand between a Chinese name and its suffix.
const HAN_TRADES: &str = "有限责任 有限責任 股份 有限 劳务派遣 勞務派遣 劳务 勞務 科技 网络 網絡 贸易 貿易 投资 投資 人力资源 \
人力資源 人力 发展 發展 国际 國際 控股 集团 集團 实业 實業 派遣 服务 服務 信息 电子商务";

/// Chinese cores that alone name no one: "scam company", "China company"…
const HAN_GENERIC: &str = "诈骗 詐騙 骗子 騙子 黑心 中国 中國 柬埔寨 泰国 泰國 缅甸 緬甸 越南 老挝 老撾 大型 小型 外国 外國";

/// Chinese: a name of two or more characters before 公司, 集团/集團 or 中介.
fn han(text: &str, found: &mut Vec<(usize, usize)>) {
    for suffix in ["公司", "集团", "集團", "中介"] {
        for (at, _) in text.match_indices(suffix) {
            let before = &text[..at];
            let mut start = at;
            for (i, c) in before.char_indices().rev() {
                let ok = (is_han(c) && !HAN_STOP.contains(c)) || c.is_ascii_alphanumeric();
                if !ok || before[i..].chars().count() > 12 {
                    break;
                }
                start = i;
            }
            let mut core = &text[start..at];
            while let Some(t) = HAN_TRADES
                .split_whitespace()
                .find(|t| core.len() > t.len() && core.ends_with(t))
            {
                core = &core[..core.len() - t.len()];
            }
            if HAN_TRADES.split_whitespace().any(|t| t == core) {
                core = "";
            }
            if core.chars().count() >= 2 && !HAN_GENERIC.split_whitespace().any(|g| g == core) {
                found.push((start, at + suffix.len()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::organisations;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(organisations(text), expected, "{text}");
    }

    #[test]
    fn english() {
        check(
            "My sister went to work for Golden Fortune Co., Ltd. in Sihanoukville",
            &["Golden Fortune Co., Ltd"],
        );
        check(
            "The broker from Win Win Recruitment Agency took her passport",
            &["Win Win Recruitment Agency"],
        );
        check(
            "They are held by KK Group company near the river",
            &["KK Group company"],
        );
        check(
            "GOLDEN FORTUNE CO LTD pays 1500$",
            &["GOLDEN FORTUNE CO LTD"],
        );
        check(
            "Ask Sun & Moon Manpower, they recruit",
            &["Sun & Moon Manpower"],
        );
        check(
            "Prince Holding Group and 888 Company both hire",
            &["Prince Holding Group", "888 Company"],
        );
    }

    #[test]
    fn english_phrases_that_are_not_names() {
        for text in [
            "the company took our passports",
            "The Company said no experience needed",
            "Join our Telegram group for jobs",
            "He works for a Thai company in Bangkok",
            "Sokha company is bad",
            "Recruitment Agency",
            "I called the agency. Company pays $800",
            "Travel Agency in Phnom Penh",
            "Chinese boss, big group of workers",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn khmer() {
        check(
            "បងស្រីខ្ញុំធ្វើការនៅក្រុមហ៊ុន Golden Fortune ក្នុងខេត្តព្រះសីហនុ",
            &["ក្រុមហ៊ុន Golden Fortune"],
        );
        check("ក្រុមហ៊ុន ហ្គោលឌិន បានយកលិខិតឆ្លងដែន", &["ក្រុមហ៊ុន ហ្គោលឌិន"]);
        check(
            "ភ្នាក់ងារជ្រើសរើសពលករ Win Win បានបោកប្រាស់",
            &["ភ្នាក់ងារជ្រើសរើសពលករ Win Win"],
        );
        check(
            "ក្រុមហ៊ុន Golden Fortune Co., Ltd ជួលខ្ញុំ",
            &["ក្រុមហ៊ុន Golden Fortune Co., Ltd"],
        );
        for text in [
            "ក្រុមហ៊ុននេះបោកប្រាស់យើង",
            "ខ្ញុំធ្វើការនៅក្រុមហ៊ុនចិនមួយ",
            "ក្រុមហ៊ុនបានយកលុយ",
            "ក្រុមហ៊ុន the boss",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn chinese() {
        check("我妹妹在金福有限公司工作，护照被扣", &["金福有限公司"]);
        check("柬埔寨金福集团公司招聘客服", &["柬埔寨金福集团公司"]);
        check("KK集团在妙瓦底", &["KK集团"]);
        check("通过鑫源劳务中介去的", &["鑫源劳务中介"]);
        for text in [
            "这家公司扣了我的护照",
            "诈骗公司不让我们走",
            "他说是一家大公司",
            "找中介办签证",
            "中国公司",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn vietnamese() {
        check(
            "Em tôi làm cho Công ty TNHH Kim Phát ở Bavet",
            &["Công ty TNHH Kim Phát"],
        );
        check(
            "công ty xuất khẩu lao động Hoàng Long lừa đảo",
            &["công ty xuất khẩu lao động Hoàng Long"],
        );
        check(
            "CÔNG TY CP THÀNH ĐẠT tuyển người",
            &["CÔNG TY CP THÀNH ĐẠT"],
        );
        for text in [
            "công ty đó giữ hộ chiếu của tôi",
            "Công ty này không trả lương",
            "công ty ở Campuchia",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn thai() {
        check(
            "น้องสาวทำงานที่ บริษัท โกลเด้น ฟอร์จูน จำกัด ในปอยเปต",
            &["บริษัท โกลเด้น ฟอร์จูน จำกัด"],
        );
        check(
            "บริษัทจัดหางาน สยามรุ่งเรือง จำกัด (มหาชน)",
            &["บริษัทจัดหางาน สยามรุ่งเรือง จำกัด (มหาชน)"],
        );
        check("ติดต่อ บริษัท Golden Fortune ทางไลน์", &["บริษัท Golden Fortune"]);
        for text in ["บริษัทนี้ไม่จำกัดอายุ", "บริษัทที่หลอกเรา", "บริษัท จำกัด"]
        {
            check(text, &[]);
        }
    }

    #[test]
    fn repeats_and_mixed_texts() {
        check(
            "Golden Fortune Co., Ltd (金福有限公司) — golden fortune co., ltd again",
            &["Golden Fortune Co., Ltd", "金福有限公司"],
        );
        check("", &[]);
        check("Co., Ltd", &[]);
    }

    /// Fragments of tips, glued at random: no panic (byte offsets stay on char
    /// boundaries), and every name is in the text as written.
    #[test]
    fn any_text_is_read_without_panic() {
        use proptest::prelude::*;
        // `|` between fragments: one string keeps the list short.
        const PARTS: &str = "Golden |Co.|, |Ltd| |ក្រុមហ៊ុន|ហ្គោលឌិន|有限|公司|在|金福|Công ty |TNHH |Kim \
            |บริษัท| จำกัด|โกลเด้น|(มหาชน)|KK| Group|\n|é|ា|\u{200B}|&|A1|012 345 678";
        let parts: Vec<&str> = PARTS.split('|').collect();
        proptest!(|(picks in proptest::collection::vec(0..parts.len(), 0..24))| {
            let text: String = picks.iter().map(|&i| parts[i]).collect();
            let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for name in organisations(&text) {
                prop_assert!(!name.is_empty());
                prop_assert!(spaced.contains(&name), "{name:?} not in {text:?}");
            }
        });
    }
}
