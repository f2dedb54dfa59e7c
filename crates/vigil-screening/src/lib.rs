//! Exit-screening policy (as data) and its evaluation, with reasons. Pure: no IO.

#![forbid(unsafe_code)]

mod evaluate;
mod offer;
pub mod policy;
pub mod traveller;
pub mod watchlist;

pub use evaluate::{Outcome, Question, Reason, Screening, evaluate};
pub use policy::{Indicator, Policy, PolicyError};
pub use traveller::{InputError, Traveller};
pub use watchlist::Watchlist;
