//! Exit-screening policy (as data) and its evaluation, with reasons. Pure: no IO.
//!
//! Not built yet: it arrives with the screening issue.

#![forbid(unsafe_code)]
