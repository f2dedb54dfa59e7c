//! The labelled corpus (`corpus/*.toml`) and its scoring, shared by the tests
//! and the benchmark.

#![allow(dead_code)]

use std::collections::BTreeSet;

use serde::Deserialize;

/// The corpus files, by language.
pub const FILES: [(&str, &str); 5] = [
    ("km", include_str!("../../corpus/km.toml")),
    ("en", include_str!("../../corpus/en.toml")),
    ("zh", include_str!("../../corpus/zh.toml")),
    ("vi", include_str!("../../corpus/vi.toml")),
    ("th", include_str!("../../corpus/th.toml")),
];

/// One labelled message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// `held-out` for messages written after the rules were tuned and never
    /// used to tune them; empty for the others.
    #[serde(default)]
    pub set: String,
    /// `scam`, `negative` (plain) or `hard` (legitimate, close to a scam).
    pub kind: String,
    /// The signs a reader would point at.
    pub signs: Vec<String>,
    /// The message.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    message: Vec<Message>,
}

/// The messages of one language.
pub fn load(src: &str) -> Vec<Message> {
    match toml::from_str::<File>(src) {
        Ok(f) => f.message,
        Err(e) => panic!("corpus: {e}"),
    }
}

/// Counts of (message, sign) pairs.
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    /// Messages.
    pub messages: usize,
    /// Signs expected.
    pub expected: usize,
    /// Expected and found.
    pub tp: usize,
    /// Found, not expected.
    pub fp: usize,
    /// Expected, not found.
    pub fn_: usize,
}

impl Score {
    /// Adds one message's result.
    pub fn add(&mut self, expected: &[String], found: &[&str]) {
        let e: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
        let f: BTreeSet<&str> = found.iter().copied().collect();
        self.messages += 1;
        self.expected += e.len();
        self.tp += e.intersection(&f).count();
        self.fp += f.difference(&e).count();
        self.fn_ += e.difference(&f).count();
    }

    /// Adds another score.
    pub fn merge(&mut self, o: Score) {
        self.messages += o.messages;
        self.expected += o.expected;
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// tp / (tp + fp).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}
