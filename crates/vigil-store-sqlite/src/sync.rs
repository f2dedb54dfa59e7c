//! Offline posts: written once in `vigil-store-sql` (`sync.rs`); the
//! `SyncStore` impl in `lib.rs` forwards to it. Nothing is left here.
