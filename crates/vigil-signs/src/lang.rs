//! The languages the rules are written in.

/// A language the rules are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Khmer (`km`).
    Km,
    /// English (`en`).
    En,
    /// Chinese, simplified (`zh`).
    Zh,
    /// Vietnamese (`vi`).
    Vi,
    /// Thai (`th`).
    Th,
}

impl Lang {
    /// Every language, in the project's order.
    pub const ALL: [Lang; 5] = [Lang::Km, Lang::En, Lang::Zh, Lang::Vi, Lang::Th];

    /// The language's code (`km`, `en`…).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Km => "km",
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Vi => "vi",
            Lang::Th => "th",
        }
    }

    /// The language with this code.
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether its patterns match whole words only (languages written with
    /// spaces between words).
    pub fn bounded(self) -> bool {
        matches!(self, Lang::En | Lang::Vi)
    }
}
