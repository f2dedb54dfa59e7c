//! Newtype ids, so that ids of different things cannot be mixed.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A tip's internal id (never shown to the public).
    TipId
);
id_type!(
    /// A follow-up message's id.
    MessageId
);
id_type!(
    /// An attachment's id.
    AttachmentId
);
id_type!(
    /// A position in the `events` outbox; strictly increasing.
    EventSeq
);
id_type!(
    /// A staff account's id.
    StaffId
);
id_type!(
    /// A suspected facility's id.
    FacilityId
);
