//! The scanner's state, which the scanner of each kind reads the text from and
//! records what it finds in.

use crate::types::{Detail, Kind, Options};

/// A result in the normalised text's offsets.
pub(crate) struct Hit {
    pub kind: Kind,
    pub value: String,
    pub start: usize,
    pub end: usize,
    pub detail: Option<Detail>,
}

/// The scanner's state.
pub(crate) struct Ctx<'a> {
    pub s: &'a str,
    pub b: &'a [u8],
    pub opts: &'a Options,
    hits: Vec<Hit>,
}

impl<'a> Ctx<'a> {
    /// A scan of the normalised text `s`, nothing found yet.
    pub fn new(s: &'a str, opts: &'a Options) -> Self {
        Ctx {
            s,
            b: s.as_bytes(),
            opts,
            hits: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        kind: Kind,
        value: String,
        start: usize,
        end: usize,
        detail: Option<Detail>,
    ) {
        self.hits.push(Hit {
            kind,
            value,
            start,
            end,
            detail,
        });
    }

    /// Everything found, in the order it was found.
    pub fn into_hits(self) -> Vec<Hit> {
        self.hits
    }
}
