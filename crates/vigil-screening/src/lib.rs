//! Exit screening at airports and border posts: a policy written as data, a
//! traveller's answers and documents, and an explainable result. Pure: no IO.
//!
//! A policy (TOML, versioned as `name@version`) lists indicators — each with a
//! question in Khmer and English, a weight, and whether it alone refers — the score
//! bands, and the minimum cash. The outcome is `clear`, `interview` or `refer`,
//! never a refusal: a person decides. Sex, ethnicity and religion carry no weight in
//! the shipped policy, and a policy that weights one is refused unless it says why.
//!
//! ```
//! use vigil_screening::{Outcome, Policy, Traveller, Watchlist, evaluate};
//!
//! let policy = Policy::default_policy()?;
//! let mut watchlist = Watchlist::new();
//! watchlist.add("+855 12 345 678", "facility F-12");
//! let traveller = Traveller::from_json(r#"{
//!     "ref": "AIR-1", "sex": "female", "age": 22, "nationality": "KH",
//!     "destination": "TH", "purpose": "tourism",
//!     "documents": {"passport": true, "visa": "none", "work_permit": false,
//!                   "employment_contract": false, "return_ticket": true},
//!     "guarantor": "verified", "cash_usd": 30, "ticket_paid_by": "self",
//!     "documents_held_by_other": false, "companion_answers": false,
//!     "job_offer": {"text": "Call now", "contact": "012 345 678", "employer": ""}
//! }"#)?;
//! let s = evaluate(&policy, &traveller, &watchlist);
//! assert_eq!(s.outcome, Outcome::Refer); // the contact is on the watchlist
//! assert!(s.reasons.iter().any(|r| r.evidence == "carries 30 USD, minimum 50"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//!
//! # Fuzzing
//! A `cargo fuzz` target lives in `fuzz/` (its own workspace): policy files and
//! traveller lines from arbitrary bytes. From `crates/vigil-screening`:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run screen -- -max_total_time=60`.

#![forbid(unsafe_code)]

mod evaluate;
mod fact;
mod offer;
pub mod policy;
pub mod traveller;
pub mod watchlist;

pub use evaluate::{Outcome, Question, Reason, Screening, evaluate};
pub use fact::Fact;
pub use policy::{Indicator, Policy, PolicyError};
pub use traveller::{InputError, InputProblem, Traveller};
pub use watchlist::Watchlist;
