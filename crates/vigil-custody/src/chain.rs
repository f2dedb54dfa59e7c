//! The chain of custody: one append-only hash chain per item. The first entry
//! is the seizure (it also fixes the item's description by its hash); every
//! later entry is a transfer from the current holder to the next, or a
//! forensic image made by the holder. Each entry's hash covers the item's
//! reference, the step number, every field and the previous entry's hash, in
//! a length-prefixed encoding where no two different entries share bytes.
//!
//! A chain detects any edit, reordering or insertion; removing the *last*
//! entries needs an anchor outside the chain (a signed bundle, the audit log).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use crate::event::{Event, Imaging, Place, Seizure, Transfer};
use crate::field::{FieldError, FieldProblem, clip};
pub use crate::hash::{entry_hash, item_sha256};
use crate::item::{NewItem, parse_sha256};

/// The hash that stands before an item's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const MAX_PARTY: usize = 120;
const MAX_TEXT: usize = 500;

/// One chained entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Position in the item's chain, from 1 (the seizure).
    pub step: u32,
    /// What happened.
    pub event: Event,
    /// The previous entry's hash ([`GENESIS`] for the seizure).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// An item and its chain of custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    /// The item as described at seizure.
    pub item: NewItem,
    /// Its entries, seizure first.
    pub entries: Vec<Entry>,
}

/// Why an entry cannot be added. Each names the item and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustodyError {
    /// A field does not validate.
    #[error("item {item}: {error}")]
    Field {
        /// The item's reference.
        item: String,
        /// The field and why.
        error: FieldError,
    },
    /// The transfer (or image) is not from the person who holds the item.
    #[error("item {item}: {from} does not hold it, {holder} does (from)")]
    NotHolder {
        /// The item's reference.
        item: String,
        /// Who claimed to hand it over.
        from: String,
        /// Who holds it.
        holder: String,
    },
    /// The chain it would extend does not verify: nothing is added to it.
    #[error("nothing can be added to a broken chain: {0}")]
    Broken(Tamper),
    /// Earlier than the last entry.
    #[error("item {item}: {at} is before the last entry's time {last} (at)")]
    TimeBackwards {
        /// The item's reference.
        item: String,
        /// The new entry's time.
        at: String,
        /// The last entry's time.
        last: String,
    },
}

/// Where and why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("item {item}, step {step}: {reason}")]
pub struct Tamper {
    /// The item's reference as stored.
    pub item: String,
    /// The first step that does not hold (its position, from 1).
    pub step: u32,
    /// What is wrong there.
    pub reason: TamperReason,
}

/// What is wrong at a broken step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TamperReason {
    /// The chain has no entries.
    #[error("the chain is empty: no seizure")]
    Empty,
    /// The stored step number is not the entry's position.
    #[error("numbered {found}, out of order")]
    StepNumber {
        /// The stored number.
        found: u32,
    },
    /// The entry does not point at the one before it.
    #[error("prev_hash does not match the previous entry's hash")]
    Link,
    /// The entry's content does not hash to its stored hash.
    #[error("its content does not match its hash: a field was changed")]
    Hash,
    /// The item's description is not the one hashed at seizure.
    #[error("the item's description (item) differs from the one recorded at seizure")]
    ItemChanged,
    /// A seizure after the first entry, or a first entry that is not one.
    #[error("only the first entry is a seizure, and it must be one")]
    Seizure,
    /// A transfer or image by someone who did not hold the item.
    #[error("{from} did not hold the item, {holder} did")]
    NotHolder {
        /// Who acted.
        from: String,
        /// Who held it.
        holder: String,
    },
    /// Earlier than the entry before it.
    #[error("its time is before the previous entry's")]
    TimeBackwards,
}

/// Reads a time written as RFC 3339 with its UTC offset
/// (`2026-11-26T14:05:00+07:00`); the error names `field`.
pub fn parse_time(field: &str, text: &str) -> Result<OffsetDateTime, FieldError> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map_err(|_| FieldError::new(field, FieldProblem::NotATime { value: clip(text) }))
}

fn check_party(field: &str, who: &str) -> Result<(), FieldError> {
    if who.trim().is_empty() {
        return Err(FieldError::new(field, FieldProblem::Required));
    }
    if who.trim() != who {
        return Err(FieldError::new(field, FieldProblem::Untrimmed));
    }
    check_text(field, who, MAX_PARTY)
}

fn check_text(field: &str, text: &str, max: usize) -> Result<(), FieldError> {
    if text.chars().count() > max {
        return Err(FieldError::new(field, FieldProblem::TooLong { max }));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(field, FieldProblem::ControlCharacters));
    }
    Ok(())
}

fn check_place(p: &Place) -> Result<(), FieldError> {
    match p {
        Place::Code(code) => {
            if vigil_domain::gazetteer::gazetteer().get(code).is_none() {
                return Err(FieldError::new(
                    "place",
                    FieldProblem::NotAGazetteerCode { value: clip(code) },
                ));
            }
            Ok(())
        }
        Place::Text(t) if t.trim().is_empty() => {
            Err(FieldError::new("place", FieldProblem::Required))
        }
        Place::Text(t) => check_text("place", t, MAX_TEXT),
    }
}

impl Chain {
    /// Starts an item's chain with its seizure.
    pub fn seize(item: NewItem, seizure: Seizure) -> Result<Chain, CustodyError> {
        let field = |error| CustodyError::Field {
            item: item.reference.clone(),
            error,
        };
        check_party("by", &seizure.by).map_err(field)?;
        check_place(&seizure.place).map_err(field)?;
        if seizure.operation.trim().is_empty() {
            return Err(field(FieldError::new("operation", FieldProblem::Required)));
        }
        check_text("operation", &seizure.operation, MAX_PARTY).map_err(field)?;
        let event = Event::Seizure {
            item_sha256: item_sha256(&item),
            seizure,
        };
        let hash = entry_hash(&item.reference, 1, &event, GENESIS);
        Ok(Chain {
            entries: vec![Entry {
                step: 1,
                event,
                prev_hash: GENESIS.to_string(),
                hash,
            }],
            item,
        })
    }

    /// Who holds the item now (`None` for an empty chain).
    pub fn holder(&self) -> Option<&str> {
        holder_after(&self.entries)
    }

    /// Every forensic image hash: those given with the item and those recorded since.
    pub fn image_sha256(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.item.image_sha256.iter().map(String::as_str).collect();
        for e in &self.entries {
            if let Event::Imaging(i) = &e.event {
                out.push(&i.sha256);
            }
        }
        out
    }

    fn push(&mut self, event: Event) -> Result<&Entry, CustodyError> {
        verify(self).map_err(CustodyError::Broken)?;
        let item = self.item.reference.clone();
        let holder = self.holder().unwrap_or_default().to_string();
        let (actor, field) = match &event {
            Event::Transfer(t) => (t.from.as_str(), "from"),
            Event::Imaging(i) => (i.by.as_str(), "by"),
            Event::Seizure { .. } => ("", "event"),
        };
        if matches!(event, Event::Seizure { .. }) {
            return Err(CustodyError::Field {
                item,
                error: FieldError::new(field, FieldProblem::SeizedOnce),
            });
        }
        if actor != holder {
            return Err(CustodyError::NotHolder {
                item,
                from: actor.to_string(),
                holder,
            });
        }
        let (prev_hash, last_at, step) = match self.entries.last() {
            Some(e) => (e.hash.clone(), Some(e.event.at()), e.step.saturating_add(1)),
            None => (GENESIS.to_string(), None, 1),
        };
        if let Some(last) = last_at
            && event.at() < last
        {
            return Err(CustodyError::TimeBackwards {
                item,
                at: format_time(event.at()),
                last: format_time(last),
            });
        }
        let hash = entry_hash(&item, step, &event, &prev_hash);
        self.entries.push(Entry {
            step,
            event,
            prev_hash,
            hash,
        });
        // The entry was pushed on the line above.
        self.entries.last().ok_or(CustodyError::Field {
            item,
            error: FieldError::new("event", FieldProblem::Required),
        })
    }
}

fn holder_after(entries: &[Entry]) -> Option<&str> {
    entries.iter().rev().find_map(|e| match &e.event {
        Event::Seizure { seizure, .. } => Some(seizure.by.as_str()),
        Event::Transfer(t) => Some(t.to.as_str()),
        Event::Imaging(_) => None,
    })
}

/// A time as RFC 3339 with its offset (`2026-11-26T14:05:00+07:00`).
pub fn format_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Appends a transfer: refused unless the chain verifies, `from` holds the
/// item, `to` is someone else, and its time is not before the last entry's.
pub fn append(chain: &mut Chain, transfer: Transfer) -> Result<&Entry, CustodyError> {
    let field = |error| CustodyError::Field {
        item: chain.item.reference.clone(),
        error,
    };
    check_party("from", &transfer.from).map_err(field)?;
    check_party("to", &transfer.to).map_err(field)?;
    check_place(&transfer.place).map_err(field)?;
    if transfer.purpose.trim().is_empty() {
        return Err(field(FieldError::new("purpose", FieldProblem::Required)));
    }
    check_text("purpose", &transfer.purpose, MAX_TEXT).map_err(field)?;
    if transfer.from == transfer.to {
        return Err(field(FieldError::new("to", FieldProblem::SameHolder)));
    }
    chain.push(Event::Transfer(transfer))
}

/// Records a forensic image made by the holder; the hash is normalised to
/// lower case.
pub fn record_image(chain: &mut Chain, mut imaging: Imaging) -> Result<&Entry, CustodyError> {
    let field = |error| CustodyError::Field {
        item: chain.item.reference.clone(),
        error,
    };
    check_party("by", &imaging.by).map_err(field)?;
    imaging.sha256 = parse_sha256("sha256", &imaging.sha256).map_err(field)?;
    chain.push(Event::Imaging(imaging))
}

/// Verifies a chain: numbering, links, every entry's hash, the item's
/// description against the seizure, holders and times. The error names the
/// item and the first step that does not hold.
pub fn verify(chain: &Chain) -> Result<(), Tamper> {
    let item = &chain.item.reference;
    let tamper = |step: usize, reason| Tamper {
        item: item.clone(),
        step: u32::try_from(step + 1).unwrap_or(u32::MAX),
        reason,
    };
    if chain.entries.is_empty() {
        return Err(Tamper {
            item: item.clone(),
            step: 1,
            reason: TamperReason::Empty,
        });
    }
    let mut prev_hash = GENESIS;
    for (i, e) in chain.entries.iter().enumerate() {
        let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if e.step != position {
            return Err(tamper(i, TamperReason::StepNumber { found: e.step }));
        }
        if entry_hash(item, e.step, &e.event, &e.prev_hash) != e.hash {
            return Err(tamper(i, TamperReason::Hash));
        }
        if e.prev_hash != prev_hash {
            return Err(tamper(i, TamperReason::Link));
        }
        prev_hash = &e.hash;
        match (&e.event, i) {
            (Event::Seizure { item_sha256: h, .. }, 0) => {
                if *h != item_sha256(&chain.item) {
                    return Err(tamper(i, TamperReason::ItemChanged));
                }
            }
            (Event::Seizure { .. }, _) | (_, 0) => return Err(tamper(i, TamperReason::Seizure)),
            (Event::Transfer(Transfer { from: actor, .. }), _)
            | (Event::Imaging(Imaging { by: actor, .. }), _) => {
                let holder = holder_after(&chain.entries[..i]).unwrap_or_default();
                if actor != holder {
                    return Err(tamper(
                        i,
                        TamperReason::NotHolder {
                            from: actor.clone(),
                            holder: holder.to_string(),
                        },
                    ));
                }
                if let Some(before) = i.checked_sub(1).and_then(|j| chain.entries.get(j))
                    && e.event.at() < before.event.at()
                {
                    return Err(tamper(i, TamperReason::TimeBackwards));
                }
            }
        }
    }
    Ok(())
}
