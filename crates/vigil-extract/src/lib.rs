//! Finds identifiers in tip text — phone numbers, e-mail addresses, links and their
//! domains, messenger and social handles, crypto wallets, bank cards, IBANs,
//! coordinates and Cambodian place names — and writes each one the same way every time.
//!
//! ```
//! let found = vigil_extract::extract("Call +855 (0)12 345 678 or t.me/RecruiterKH");
//! assert_eq!(found[0].kind, vigil_extract::Kind::Phone);
//! assert_eq!(found[0].value, "+85512345678");
//! ```
//!
//! [`looks_like`] tells whether a link's host is a confusable look-alike of a
//! protected domain (a bank's, an agency's), by Unicode's confusables skeletons.
//!
//! The crate is pure: no IO, no global mutable state (only lazily built, read-only
//! indexes over embedded metadata). The text is read in one pass by a hand-written
//! scanner; validation (libphonenumber metadata, checksums, the Public Suffix List,
//! the gazetteer) runs only on candidates.
//!
//! # Fuzzing
//! A `cargo fuzz` target lives in `fuzz/` (its own workspace). With only a stable
//! toolchain: `cargo install cargo-fuzz`, then from `crates/vigil-extract`:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run extract -- -max_total_time=60`.

#![forbid(unsafe_code)]

mod confusable;
mod coords;
mod ctx;
mod dict;
mod iban;
mod labels;
mod norm;
mod numbers;
pub mod org;
mod phone;
mod place;
mod scan;
mod types;
mod wallet;
mod web;

pub use confusable::looks_like;
pub use phone::PhoneType;
pub use types::{Detail, Found, Kind, LinkWarning, Options};
pub use vigil_domain::gazetteer::Level;
pub use wallet::Chain;

/// Every identifier in `text`, sorted by start (then end, then kind). Phone numbers
/// without a country code are read as Cambodian.
pub fn extract(text: &str) -> Vec<Found> {
    extract_with(text, &Options::default())
}

/// Every identifier in `text`, read with `options`.
pub fn extract_with(text: &str, options: &Options) -> Vec<Found> {
    let mut out = scan::scan(text, options);
    place::find(text, &mut out);
    out.sort_by(|a, b| (a.start, a.end, a.kind, &a.value).cmp(&(b.start, b.end, b.kind, &b.value)));
    out.dedup_by(|a, b| {
        a.start == b.start && a.end == b.end && a.kind == b.kind && a.value == b.value
    });
    out
}
