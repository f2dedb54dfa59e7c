//! The full-text search index (tantivy with an ICU4X tokenizer for Khmer, Thai,
//! Lao and Burmese), fed from the `events` outbox and rebuildable at any time.
//!
//! Not built yet: it arrives with the intelligence issue. The crate exists so the
//! workspace already has the shape DESIGN.md describes.

#![forbid(unsafe_code)]
