//! Correlation of tips by shared identifiers, clustering into suspected
//! facilities, and priority with reasons. Pure: no IO.
//!
//! Not built yet: it arrives with the intelligence issue.

#![forbid(unsafe_code)]
