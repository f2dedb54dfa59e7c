//! Seized evidence and its chain of custody. Pure: no files, no clock, no
//! network — times and keys are passed in.
//!
//! * [`item`]: item kinds and [`NewItem`] with strict validation (IMEI and
//!   ICCID check digits, SHA-256 hashes, bank cards masked to their last four
//!   digits, cash with its currency); every error names its field.
//! * [`bulk`]: a CSV of items or a barcode scanner's lines, taken whole or
//!   refused whole with every bad row and field named.
//! * [`chain`]: one append-only hash chain per item — seizure, transfers from
//!   the holder only, forensic images — and [`verify`], which names the item
//!   and step where a chain breaks.
//! * [`bundle`]: Ed25519-signed export bundles of items and chains that verify
//!   offline.

#![forbid(unsafe_code)]

pub mod bulk;
pub mod bundle;
pub mod chain;
mod event;
pub mod field;
mod hash;
mod ident;
pub mod item;

pub use bulk::{RowError, parse_items_csv, parse_scan_lines};
pub use bundle::{
    Bundle, BundleCheck, BundleError, ItemCheck, VerifiedBundle, check_bundle, sign_bundle,
    verify_bundle,
};
pub use chain::{
    Chain, CustodyError, Entry, Event, Imaging, Place, Seizure, Tamper, TamperReason, Transfer,
    append, format_time, parse_time, record_image, verify,
};
pub use field::{FieldError, FieldProblem};
pub use ident::{luhn_check_digit, luhn_valid};
pub use item::{Cash, Imei, ItemInput, ItemKind, NewItem};
