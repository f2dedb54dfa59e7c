//! The canonical encodings hashed by custody chains: every part
//! length-prefixed after a domain tag, so no two different entries or items
//! share bytes, and times as their exact instant and offset.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::event::{Event, Place};
use crate::item::NewItem;

/// Length-prefixed parts, so that no two different sequences share bytes.
struct Encoder(Sha256);

impl Encoder {
    fn new(domain: &str) -> Self {
        let mut e = Encoder(Sha256::new());
        e.bytes(domain.as_bytes());
        e
    }
    fn bytes(&mut self, part: &[u8]) {
        self.0.update((part.len() as u64).to_be_bytes());
        self.0.update(part);
    }
    fn text(&mut self, part: &str) {
        self.bytes(part.as_bytes());
    }
    fn opt(&mut self, part: Option<&str>) {
        match part {
            None => self.bytes(b"-"),
            Some(p) => {
                self.bytes(b"+");
                self.text(p);
            }
        }
    }
    fn list(&mut self, parts: &[String]) {
        self.bytes(&(parts.len() as u64).to_be_bytes());
        for p in parts {
            self.text(p);
        }
    }
    fn time(&mut self, t: OffsetDateTime) {
        // The instant and the offset it was recorded in: exact, infallible.
        self.bytes(&t.unix_timestamp_nanos().to_be_bytes());
        self.bytes(&t.offset().whole_seconds().to_be_bytes());
    }
    fn place(&mut self, p: &Place) {
        match p {
            Place::Code(c) => {
                self.text("code");
                self.text(c);
            }
            Place::Text(t) => {
                self.text("text");
                self.text(t);
            }
        }
    }
    fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// The SHA-256 of an item's canonical description (every field).
pub fn item_sha256(item: &NewItem) -> String {
    let mut e = Encoder::new("vigil-custody/item/1");
    e.text(&item.reference);
    e.text(item.kind.as_str());
    e.text(&item.description);
    e.opt(item.serial.as_deref());
    e.bytes(&(item.imeis.len() as u64).to_be_bytes());
    for i in &item.imeis {
        e.text(&i.imei);
        e.opt(i.svn.as_deref());
        e.bytes(&[u8::from(i.checked)]);
    }
    e.opt(item.iccid.as_deref());
    e.opt(item.card_last4.as_deref());
    e.opt(item.cash.as_ref().map(|c| c.amount.as_str()));
    e.opt(item.cash.as_ref().map(|c| c.currency.as_str()));
    e.list(&item.image_sha256);
    e.list(&item.photo_sha256);
    e.finish()
}

/// The hash of an entry: the item's reference, the step, every field of
/// the event and the previous hash.
pub fn entry_hash(item: &str, step: u32, event: &Event, prev_hash: &str) -> String {
    let mut e = Encoder::new("vigil-custody/entry/1");
    e.text(item);
    e.bytes(&step.to_be_bytes());
    match event {
        Event::Seizure {
            item_sha256,
            seizure,
        } => {
            e.text("seizure");
            e.text(item_sha256);
            e.text(&seizure.by);
            e.place(&seizure.place);
            e.time(seizure.at);
            e.text(&seizure.operation);
        }
        Event::Transfer(t) => {
            e.text("transfer");
            e.text(&t.from);
            e.text(&t.to);
            e.time(t.at);
            e.place(&t.place);
            e.text(&t.purpose);
        }
        Event::Imaging(i) => {
            e.text("imaging");
            e.text(&i.by);
            e.time(i.at);
            e.text(&i.sha256);
        }
    }
    e.text(prev_hash);
    e.finish()
}
