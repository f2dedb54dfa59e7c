//! Seized evidence and its chain of custody, over `vigil-custody`:
//! items are validated there (`NewItem`, `parse_items_csv`), each seizure
//! and transfer is chained there, and the store keeps that crate's JSON so a
//! chain read back verifies. Rights and jurisdiction are the operation's
//! ([`crate::operations`]). Bulk entry is all or nothing: a bad row or field
//! is named and nothing is stored.

use time::OffsetDateTime;
use vigil_custody::{
    Bundle, Chain, CustodyError, Entry, Event, Imaging, ItemKind, NewItem, Place, Seizure,
    TamperReason, Transfer,
};
use vigil_domain::AuditAction;
use vigil_store::{CustodyEntryRow, NewSeizedItem, SeizedItemRow, StoreError};

use crate::CoreError;
use crate::operations::OperationsService;
use crate::operations::{invalid, may_read, may_record, visible};
use crate::staff::Principal;

/// At most this many items in one seizure (a CSV of a raid's phones).
pub const MAX_ITEMS: usize = 5000;

/// A hand-over as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferInput {
    /// The current holder.
    pub from: String,
    /// Who receives the item.
    pub to: String,
    /// When: RFC 3339 with the local offset.
    pub at: String,
    /// A gazetteer code, or the place in words.
    pub place: String,
    /// Why (`storage`, `forensic examination`, `court`…).
    pub purpose: String,
}

/// A stored item with its chain, verified on read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemWithChain {
    /// The stored row (operation, current holder…).
    pub row: SeizedItemRow,
    /// The item and its chain as far as it can be read.
    pub chain: Chain,
    /// Where the chain stops holding, when it was altered in the store.
    pub broken: Option<Broken>,
}

/// Where and why a stored chain of custody does not verify: it was changed
/// outside Vigil, so nothing more is added to it and it is not exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The first step that does not hold (0: the item's own record).
    pub step: u32,
    /// What is wrong there; `None` when the stored entry cannot be read.
    pub reason: Option<TamperReason>,
}

fn custody_error(e: CustodyError) -> CoreError {
    match e {
        CustodyError::Field { item, error } => {
            CoreError::InvalidField(crate::field::from_custody(error).arg("item", item))
        }
        CustodyError::NotHolder { item, from, holder } => CoreError::InvalidField(
            crate::field::FieldError::of(
                "from",
                crate::field::FieldMessage::NotHolder
                    .with("value", from)
                    .arg("holder", holder),
            )
            .arg("item", item),
        ),
        CustodyError::TimeBackwards { item, last, .. } => CoreError::InvalidField(
            crate::field::FieldError::of(
                "at",
                (crate::field::FieldMessage::BeforeLastEntry, "last", last),
            )
            .arg("item", item),
        ),
        CustodyError::Broken(t) => tampered(&t.to_string()),
    }
}

fn tampered(what: &str) -> CoreError {
    CoreError::Internal(format!("custody chain does not verify: {what}"))
}

fn place_of(text: &str) -> Place {
    let t = text.trim();
    if vigil_domain::gazetteer::gazetteer().get(t).is_some() {
        Place::Code(t.to_string())
    } else {
        Place::Text(t.to_string())
    }
}

fn entry_row(e: &Entry) -> Result<CustodyEntryRow, CoreError> {
    let (kind, at) = match &e.event {
        Event::Seizure { seizure, .. } => ("seizure", seizure.at),
        Event::Transfer(t) => ("transfer", t.at),
        Event::Imaging(i) => ("imaging", i.at),
    };
    Ok(CustodyEntryRow {
        step: i64::from(e.step),
        kind: kind.into(),
        at,
        event_json: serde_json::to_string(&e.event)
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        prev_hash: e.prev_hash.clone(),
        hash: e.hash.clone(),
    })
}

fn seized_row(chain: &Chain, holder: &str) -> Result<NewSeizedItem, CoreError> {
    let item = &chain.item;
    let first = chain
        .entries
        .first()
        .ok_or_else(|| tampered(&format!("item {}: no seizure", item.reference)))?;
    Ok(NewSeizedItem {
        reference: item.reference.clone(),
        kind: item.kind.as_str().into(),
        serial: item.serial.clone(),
        imei: item.imeis.first().map(|i| i.imei.clone()),
        iccid: item.iccid.clone(),
        card_last4: item.card_last4.clone(),
        cash_amount: item.cash.as_ref().map(|c| c.amount.clone()),
        cash_currency: item.cash.as_ref().map(|c| c.currency.clone()),
        description: item.description.clone(),
        image_sha256: item.image_sha256.first().cloned(),
        item_json: serde_json::to_string(item).map_err(|e| CoreError::Internal(e.to_string()))?,
        holder: holder.into(),
        seizure: entry_row(first)?,
    })
}

/// Stores items seized in an operation by the principal at `at`, each with
/// its seizure entry (by the principal, at the operation's most precise
/// gazetteer code), all in one transaction. A cancelled operation seizes
/// nothing (`operation`). An unknown operation, or one
/// outside the jurisdiction, is `NotFound`; a reference already in the
/// operation is an error on `ref` naming it, and nothing is stored.
pub async fn seize(
    v: &OperationsService,
    p: &Principal,
    operation: i64,
    items: Vec<NewItem>,
    at: OffsetDateTime,
) -> Result<Vec<i64>, CoreError> {
    may_record(p)?;
    let op = visible(v, p, operation).await?.operation;
    if op.status == "cancelled" {
        return Err(invalid(
            "operation",
            (
                crate::field::FieldMessage::OperationCancelled,
                "operation",
                &op.reference,
            ),
        ));
    }
    if items.is_empty() {
        return Err(invalid(
            "items",
            (crate::field::FieldMessage::TooFew, "min", 1),
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(invalid(
            "items",
            (crate::field::FieldMessage::TooMany, "max", MAX_ITEMS),
        ));
    }
    let code = op
        .commune_code
        .clone()
        .or(op.district_code.clone())
        .unwrap_or(op.province_code.clone());
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        let chain = Chain::seize(
            item,
            Seizure {
                by: p.username.clone(),
                place: Place::Code(code.clone()),
                at,
                operation: op.reference.clone(),
            },
        )
        .map_err(custody_error)?;
        rows.push(seized_row(&chain, &p.username)?);
    }
    let detail = format!("{} items", rows.len());
    let stored = v
        .store
        .insert_seized_items(
            operation,
            &rows,
            p.audit(AuditAction::EvidenceSeize, String::new(), detail),
        )
        .await;
    match stored {
        // A reference already in the operation is named; any other conflict
        // is a change made meanwhile.
        Err(StoreError::Conflict(_)) => {
            let held = v.store.operation_items(operation).await?;
            let why = match rows
                .iter()
                .find(|r| held.iter().any(|h| h.reference == r.reference))
            {
                Some(r) => crate::field::FieldMessage::AlreadyUsed.with("value", &r.reference),
                None => crate::field::FieldMessage::ChangedMeanwhile.into(),
            };
            Err(invalid("ref", why))
        }
        stored => Ok(stored?),
    }
}

/// Reads a CSV of items (`vigil_custody::bulk::CSV_COLUMNS`) and seizes them
/// as [`seize`] does. A bad row is an error naming its row and field (every
/// bad row is listed in the message); nothing is stored.
pub async fn import_items_csv(
    v: &OperationsService,
    p: &Principal,
    operation: i64,
    csv_text: &str,
    at: OffsetDateTime,
) -> Result<Vec<i64>, CoreError> {
    may_record(p)?;
    visible(v, p, operation).await?;
    let items = vigil_custody::parse_items_csv(csv_text).map_err(|errors| {
        let errors = errors
            .iter()
            .map(|e| crate::field::from_row(e, "row"))
            .collect();
        crate::error::invalid_all(errors, "csv", crate::field::FieldMessage::NoRows)
    })?;
    seize(v, p, operation, items, at).await
}

/// The item as far as its stored row tells, when its own record cannot be
/// read.
fn item_of_row(row: &SeizedItemRow) -> NewItem {
    NewItem {
        reference: row.reference.clone(),
        kind: ItemKind::parse(&row.kind).unwrap_or(ItemKind::Other),
        description: String::new(),
        serial: row.serial.clone(),
        imeis: Vec::new(),
        iccid: None,
        card_last4: None,
        cash: None,
        image_sha256: Vec::new(),
        photo_sha256: Vec::new(),
    }
}

/// Reads an item and its chain and verifies it. A chain altered in the
/// store is not an error here: it comes back with [`Broken`] naming the
/// first step that does not hold, so a page can show the item and say so.
async fn load(v: &OperationsService, p: &Principal, id: i64) -> Result<ItemWithChain, CoreError> {
    let (row, stored) = v.store.seized_item(id).await?;
    visible(v, p, row.operation_id).await?;
    let unreadable = |step: i64| Broken {
        step: u32::try_from(step).unwrap_or(u32::MAX),
        reason: None,
    };
    let mut item_unreadable = None;
    let item = serde_json::from_str(&row.item_json).unwrap_or_else(|_| {
        item_unreadable = Some(unreadable(0));
        item_of_row(&row)
    });
    let mut entries = Vec::with_capacity(stored.len());
    let mut entry_unreadable = None;
    for e in &stored {
        let step = u32::try_from(e.step);
        let event = serde_json::from_str(&e.event_json);
        match (step, event) {
            (Ok(step), Ok(event)) => entries.push(Entry {
                step,
                event,
                prev_hash: e.prev_hash.clone(),
                hash: e.hash.clone(),
            }),
            _ => {
                entry_unreadable = Some(unreadable(e.step));
                break;
            }
        }
    }
    let chain = Chain { item, entries };
    // The first break is named: the item's own record, then the readable
    // entries in order, then the first entry that cannot be read.
    let broken = item_unreadable
        .or_else(|| {
            vigil_custody::verify(&chain).err().map(|t| Broken {
                step: t.step,
                reason: Some(t.reason),
            })
        })
        .or(entry_unreadable);
    if let Some(b) = &broken {
        tracing::error!(
            item = id,
            step = b.step,
            "the chain of custody does not verify"
        );
    }
    Ok(ItemWithChain { row, chain, broken })
}

/// [`load`], refusing a chain that does not verify: nothing is added to it
/// or exported from it.
async fn load_sound(
    v: &OperationsService,
    p: &Principal,
    id: i64,
) -> Result<ItemWithChain, CoreError> {
    let it = load(v, p, id).await?;
    match &it.broken {
        None => Ok(it),
        Some(b) => Err(CoreError::InvalidField(
            crate::field::FieldError::of(
                "item",
                (crate::field::FieldMessage::CustodyBroken, "step", b.step),
            )
            .arg("item", it.row.reference.clone()),
        )),
    }
}

/// An item with its chain of custody, verified on read: a chain altered in
/// the store comes back with where it breaks (audited).
pub async fn item_with_chain(
    v: &OperationsService,
    p: &Principal,
    id: i64,
) -> Result<ItemWithChain, CoreError> {
    may_read(p)?;
    let it = load(v, p, id).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::EvidenceRead,
            format!("item:{id}"),
            String::new(),
        ))
        .await?;
    Ok(it)
}

/// The items of an operation (audited).
pub async fn items(
    v: &OperationsService,
    p: &Principal,
    operation: i64,
) -> Result<Vec<SeizedItemRow>, CoreError> {
    may_read(p)?;
    visible(v, p, operation).await?;
    let rows = v.store.operation_items(operation).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::EvidenceList,
            format!("operation:{operation}"),
            rows.len().to_string(),
        ))
        .await?;
    Ok(rows)
}

/// Hands an item over: only from its current holder, never back in time
/// (`vigil_custody::append`). Of two hand-overs at once, the second is
/// `Duplicate` (read the item again).
pub async fn transfer(
    v: &OperationsService,
    p: &Principal,
    item: i64,
    input: &TransferInput,
) -> Result<(), CoreError> {
    may_record(p)?;
    let mut it = load_sound(v, p, item).await?;
    let at =
        vigil_custody::parse_time("at", &input.at).map_err(|e| invalid(&e.field, e.message))?;
    let entry = vigil_custody::append(
        &mut it.chain,
        Transfer {
            from: input.from.clone(),
            to: input.to.clone(),
            at,
            place: place_of(&input.place),
            purpose: input.purpose.trim().to_string(),
        },
    )
    .map_err(custody_error)?;
    let row = entry_row(entry)?;
    v.store
        .append_custody(
            item,
            &row,
            &input.to,
            p.audit(
                AuditAction::EvidenceTransfer,
                String::new(),
                input.purpose.clone(),
            ),
        )
        .await?;
    Ok(())
}

/// Records a forensic image of an item made by its holder `by` at `at`
/// (RFC 3339 with offset), with the image's SHA-256; appended to the chain
/// like a hand-over (`vigil_custody::record_image`).
pub async fn record_image(
    v: &OperationsService,
    p: &Principal,
    item: i64,
    by: &str,
    at: &str,
    sha256: &str,
) -> Result<(), CoreError> {
    may_record(p)?;
    let mut it = load_sound(v, p, item).await?;
    let at = vigil_custody::parse_time("at", at).map_err(|e| invalid(&e.field, e.message))?;
    let holder = it.row.holder.clone();
    let entry = vigil_custody::record_image(
        &mut it.chain,
        Imaging {
            by: by.to_string(),
            at,
            sha256: sha256.to_string(),
        },
    )
    .map_err(|e| match custody_error(e) {
        CoreError::InvalidField(mut fe) if fe.message == crate::field::FieldMessage::NotHolder => {
            fe.field = "by".into();
            CoreError::InvalidField(fe)
        }
        e => e,
    })?;
    let row = entry_row(entry)?;
    v.store
        .append_custody(
            item,
            &row,
            &holder,
            p.audit(AuditAction::EvidenceImage, String::new(), row.hash.clone()),
        )
        .await?;
    Ok(())
}

/// A signed bundle of items and their chains, signed with this instance's
/// key (`sync::signing_key`); it verifies offline with
/// `vigil_custody::verify_bundle` (`vigil custody verify`).
pub async fn export_bundle(
    v: &OperationsService,
    p: &Principal,
    ids: &[i64],
) -> Result<Vec<u8>, CoreError> {
    may_read(p)?;
    let mut chains = Vec::with_capacity(ids.len());
    for id in ids {
        chains.push(load_sound(v, p, *id).await?.chain);
    }
    let key = crate::sync::signing_key(&v.settings)?;
    let bundle = Bundle {
        format: vigil_custody::bundle::FORMAT,
        exported_by: p.username.clone(),
        created: OffsetDateTime::now_utc(),
        items: chains,
    };
    let bytes = vigil_custody::sign_bundle(&bundle, &key)
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    let detail = ids
        .iter()
        .map(|i| format!("item:{i}"))
        .collect::<Vec<_>>()
        .join(",");
    v.store
        .append_audit(p.audit(AuditAction::EvidenceExport, String::new(), detail))
        .await?;
    Ok(bytes)
}
