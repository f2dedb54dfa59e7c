//! Intelligence over tips: hub detection, clustering into suspected facilities,
//! near-duplicate texts, and priority with reasons. Pure: no IO, no clock, no
//! global mutable state; the same input gives the same output in any order.
//!
//! ```
//! use vigil_intel::{ClusterConfig, Overrides, TipFacts, cluster};
//! let a = TipFacts::from_text(1, 0, "They took my passport. Boss: 012 345 678");
//! let b = TipFacts::from_text(2, 0, "Compound manager phone +855 12 345 678");
//! let c = TipFacts::from_text(3, 0, "Scam in Bavet, call 097 765 4321");
//! let out = cluster(&[a, b, c], &ClusterConfig::default(), &Overrides::default());
//! assert_eq!(out.clusters[0].tips, vec![1, 2]);
//! assert_eq!(out.clusters[1].tips, vec![3]);
//! ```
//!
//! - [`facts`]: [`TipFacts`], the input per tip.
//! - [`hubs`]: which over-common values (platform domains, hotlines, recruiters) are
//!   leads but never links — the method is described there.
//! - [`cluster`](mod@cluster): the linking rules, analyst overrides, stable ids.
//! - [`neardup`]: MinHash + LSH with exact verification.
//! - [`priority`]: life-safety signals in five languages and the weighted score.

#![forbid(unsafe_code)]

pub mod cluster;
pub mod facts;
pub mod geo;
pub mod hubs;
pub mod independent;
pub mod name;
pub mod neardup;
mod phrases;
pub mod priority;
pub mod text;
mod uf;

pub use cluster::{
    AnalystOp, Cluster, ClusterConfig, Clustering, FacilityId, Hub, Link, Overrides, Rule,
    assign_ids, cluster,
};
pub use facts::{Ident, TipFacts, idents_from_text};
pub use hubs::{HubConfig, HubVerdict, HubView};
pub use independent::independent_groups;
pub use name::{FacilityName, name_of};
pub use neardup::{
    DupPair, NearDupConfig, NearDupIndex, NearDupStats, Sketch, Sketcher, near_duplicates,
};
pub use priority::{
    FacilityFacts, Priority, Reason, Signal, SignalKind, Weights, life_safety, queue_order, score,
    settled_by_raid,
};
