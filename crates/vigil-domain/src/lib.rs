//! Vigil's domain: the types every other crate speaks, and the rules that hold
//! whatever the storage or the wire format. This crate does no IO.

#![forbid(unsafe_code)]

pub mod audit;
pub mod check;
pub mod clock;
pub mod countries;
pub mod digits;
pub mod documents;
pub mod gazetteer;
pub mod ids;
pub mod places;
pub mod posts;
pub mod receipt;
pub mod staff;
pub mod statutes;
pub mod tip;
pub mod victims;
pub mod vocab;

pub use ids::{AttachmentId, EventSeq, FacilityId, MessageId, StaffId, TipId};
pub use receipt::Receipt;
pub use staff::{Jurisdiction, Role};
pub use tip::{Category, Channel, DangerFlags, Location, NewTip, TipStatus, ValidationError};
pub use vocab::{
    AnalystOp, AnalystOpKind, AssignKind, AuditAction, Capability, CaseStage, EventKind, Outcome,
    RewardReason, StageMove, Standing, StandingReason, Verdict,
};
