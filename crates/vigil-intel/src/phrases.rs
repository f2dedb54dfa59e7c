//! The kinds of danger to life and the life-safety phrase list: words reporters
//! use, in Khmer, English, Chinese, Vietnamese and Thai, for being held, losing a
//! passport, violence and children.
//! Matched on normalised text (lower case, punctuation folded); English phrases must
//! stand as whole words.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

/// A kind of danger to life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// People held against their will.
    Held,
    /// Passports taken.
    PassportsTaken,
    /// Violence seen or threatened.
    Violence,
    /// Children involved.
    Children,
}

impl SignalKind {
    /// Every kind, in order of weight by default.
    pub const ALL: [SignalKind; 4] = [
        SignalKind::Children,
        SignalKind::Held,
        SignalKind::Violence,
        SignalKind::PassportsTaken,
    ];

    /// The stable snake_case name (also the reason code).
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Held => "held",
            SignalKind::PassportsTaken => "passports_taken",
            SignalKind::Violence => "violence",
            SignalKind::Children => "children",
        }
    }
}

/// `(kind, language, phrase)`; phrases are written normalised (lower case).
pub(crate) const PHRASES: &[(SignalKind, &str, &str)] = &[
    // Held against their will.
    (SignalKind::Held, "en", "held"),
    (SignalKind::Held, "en", "locked in"),
    (SignalKind::Held, "en", "locked up"),
    (SignalKind::Held, "en", "detained"),
    (SignalKind::Held, "en", "trapped"),
    (SignalKind::Held, "en", "imprisoned"),
    (SignalKind::Held, "en", "not allowed to leave"),
    (SignalKind::Held, "en", "will not let me leave"),
    (SignalKind::Held, "en", "won't let me leave"),
    (SignalKind::Held, "en", "can't leave"),
    (SignalKind::Held, "en", "cannot leave"),
    (SignalKind::Held, "en", "forced to work"),
    (SignalKind::Held, "en", "sold to"),
    (SignalKind::Held, "km", "ឃុំខ្លួន"),
    (SignalKind::Held, "km", "មិនអោយខ្ញុំចេញ"),
    (SignalKind::Held, "km", "មិនឱ្យខ្ញុំចេញ"),
    (SignalKind::Held, "km", "មិនឱ្យចេញ"),
    (SignalKind::Held, "km", "ជាប់ឃុំ"),
    (SignalKind::Held, "km", "បង្ខំឱ្យធ្វើការ"),
    (SignalKind::Held, "km", "ត្រូវគេលក់"),
    (SignalKind::Held, "zh", "被关"),
    (SignalKind::Held, "zh", "关押"),
    (SignalKind::Held, "zh", "囚禁"),
    (SignalKind::Held, "zh", "被困"),
    (SignalKind::Held, "zh", "不让我离开"),
    (SignalKind::Held, "zh", "不让走"),
    (SignalKind::Held, "zh", "限制自由"),
    (SignalKind::Held, "zh", "被卖"),
    (SignalKind::Held, "vi", "bị giam"),
    (SignalKind::Held, "vi", "giam giữ"),
    (SignalKind::Held, "vi", "bị nhốt"),
    (SignalKind::Held, "vi", "không cho tôi rời"),
    (SignalKind::Held, "vi", "không cho về"),
    (SignalKind::Held, "vi", "bị bán"),
    (SignalKind::Held, "th", "ถูกขัง"),
    (SignalKind::Held, "th", "กักตัว"),
    (SignalKind::Held, "th", "กักขัง"),
    (SignalKind::Held, "th", "ไม่ให้ออก"),
    (SignalKind::Held, "th", "หนีไม่ได้"),
    (SignalKind::Held, "th", "ถูกขาย"),
    // Passports taken.
    (SignalKind::PassportsTaken, "en", "took my passport"),
    (SignalKind::PassportsTaken, "en", "took our passports"),
    (SignalKind::PassportsTaken, "en", "took their passports"),
    (SignalKind::PassportsTaken, "en", "passport was taken"),
    (SignalKind::PassportsTaken, "en", "passports were taken"),
    (SignalKind::PassportsTaken, "en", "kept my passport"),
    (SignalKind::PassportsTaken, "en", "confiscated"),
    (SignalKind::PassportsTaken, "km", "យកលិខិតឆ្លងដែន"),
    (SignalKind::PassportsTaken, "km", "ដកហូតលិខិតឆ្លងដែន"),
    (SignalKind::PassportsTaken, "km", "រឹបអូសលិខិតឆ្លងដែន"),
    (SignalKind::PassportsTaken, "zh", "收走了我的护照"),
    (SignalKind::PassportsTaken, "zh", "收走护照"),
    (SignalKind::PassportsTaken, "zh", "护照被收"),
    (SignalKind::PassportsTaken, "zh", "扣押护照"),
    (SignalKind::PassportsTaken, "zh", "没收护照"),
    (SignalKind::PassportsTaken, "zh", "扣了护照"),
    (SignalKind::PassportsTaken, "vi", "lấy hộ chiếu"),
    (SignalKind::PassportsTaken, "vi", "giữ hộ chiếu"),
    (SignalKind::PassportsTaken, "vi", "thu hộ chiếu"),
    (SignalKind::PassportsTaken, "vi", "tịch thu hộ chiếu"),
    (SignalKind::PassportsTaken, "th", "ยึดหนังสือเดินทาง"),
    (SignalKind::PassportsTaken, "th", "ยึดพาสปอร์ต"),
    (SignalKind::PassportsTaken, "th", "เก็บพาสปอร์ต"),
    // Violence.
    (SignalKind::Violence, "en", "beaten"),
    (SignalKind::Violence, "en", "beat me"),
    (SignalKind::Violence, "en", "beat us"),
    (SignalKind::Violence, "en", "beat them"),
    (SignalKind::Violence, "en", "tortured"),
    (SignalKind::Violence, "en", "electric shock"),
    (SignalKind::Violence, "en", "electrocuted"),
    (SignalKind::Violence, "en", "tasered"),
    (SignalKind::Violence, "en", "raped"),
    (SignalKind::Violence, "en", "armed guards"),
    (SignalKind::Violence, "en", "killed"),
    (SignalKind::Violence, "km", "ត្រូវគេវាយ"),
    (SignalKind::Violence, "km", "វាយដំ"),
    (SignalKind::Violence, "km", "ធ្វើទារុណកម្ម"),
    (SignalKind::Violence, "km", "ឆក់ខ្សែភ្លើង"),
    (SignalKind::Violence, "km", "កាន់កាំភ្លើង"),
    (SignalKind::Violence, "zh", "打人"),
    (SignalKind::Violence, "zh", "被打"),
    (SignalKind::Violence, "zh", "殴打"),
    (SignalKind::Violence, "zh", "电击"),
    (SignalKind::Violence, "zh", "拿枪"),
    (SignalKind::Violence, "zh", "虐待"),
    (SignalKind::Violence, "vi", "bị đánh"),
    (SignalKind::Violence, "vi", "đánh đập"),
    (SignalKind::Violence, "vi", "tra tấn"),
    (SignalKind::Violence, "vi", "chích điện"),
    (SignalKind::Violence, "vi", "mang súng"),
    (SignalKind::Violence, "th", "ถูกทำร้าย"),
    (SignalKind::Violence, "th", "ทุบตี"),
    (SignalKind::Violence, "th", "ซ้อม"),
    (SignalKind::Violence, "th", "ช็อตไฟฟ้า"),
    (SignalKind::Violence, "th", "ถือปืน"),
    // Children.
    (SignalKind::Children, "en", "child"),
    (SignalKind::Children, "en", "children"),
    (SignalKind::Children, "en", "minor"),
    (SignalKind::Children, "en", "minors"),
    (SignalKind::Children, "en", "underage"),
    (SignalKind::Children, "en", "kids"),
    (SignalKind::Children, "km", "កុមារ"),
    (SignalKind::Children, "km", "ក្មេងៗ"),
    (SignalKind::Children, "km", "អនីតិជន"),
    (SignalKind::Children, "zh", "儿童"),
    (SignalKind::Children, "zh", "未成年"),
    (SignalKind::Children, "zh", "小孩"),
    (SignalKind::Children, "vi", "trẻ em"),
    (SignalKind::Children, "vi", "vị thành niên"),
    (SignalKind::Children, "vi", "chưa đủ tuổi"),
    (SignalKind::Children, "th", "เด็ก"),
    (SignalKind::Children, "th", "ผู้เยาว์"),
];

fn matcher() -> Option<&'static AhoCorasick> {
    static M: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    M.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(PHRASES.iter().map(|p| p.2))
            .ok()
    })
    .as_ref()
}

/// Indexes into [`PHRASES`] of the phrases found in already-normalised `norm`.
pub(crate) fn find(norm: &str) -> Vec<usize> {
    let Some(m) = matcher() else {
        return Vec::new();
    };
    let bytes = norm.as_bytes();
    let mut out = Vec::new();
    for hit in m.find_iter(norm) {
        let idx = hit.pattern().as_usize();
        if PHRASES[idx].1 == "en" {
            let before = hit.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(hit.end()).copied();
            let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
            if word(before) || word(after) {
                continue;
            }
        }
        out.push(idx);
    }
    out
}
