//! Operations, networks, seized items and custody chains.

use time::{OffsetDateTime, UtcOffset};
use vigil_domain::{FacilityId, Jurisdiction, Role};

use super::audit;
use crate::{CustodyEntryRow, DynStore, NewOperation, NewSeizedItem, NewStaff, StoreError};
use vigil_domain::AuditAction;

pub(super) async fn officer(store: &DynStore) -> vigil_domain::StaffId {
    store
        .create_staff(
            NewStaff {
                username: "sok.officer".into(),
                display_name: "Sok".into(),
                role: Role::Officer,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("staff")
}

pub(super) fn local(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix)
        .expect("time")
        .to_offset(UtcOffset::from_hms(7, 0, 0).expect("offset"))
}

pub(super) fn operation(
    reference: &str,
    province: &str,
    by: vigil_domain::StaffId,
) -> NewOperation {
    NewOperation {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "Anti-Human Trafficking Police".into(),
        partners: vec!["Immigration".into(), "Provincial police".into()],
        planned_for: Some(local(1_764_000_000)),
        happened_at: None,
        province_code: province.into(),
        district_code: None,
        commune_code: None,
        place: "Compound by the river".into(),
        status: "planned".into(),
        outcome: String::new(),
        network_id: None,
        facilities: vec![FacilityId(3), FacilityId(9)],
        created_by: by,
        created_at: OffsetDateTime::from_unix_timestamp(1_763_900_000).expect("time"),
    }
}

fn entry(step: i64, prev: &str, hash: &str) -> CustodyEntryRow {
    CustodyEntryRow {
        step,
        kind: if step == 1 { "seizure" } else { "transfer" }.into(),
        at: local(1_764_000_000 + step * 60),
        event_json: format!("{{\"step\":{step}}}"),
        prev_hash: prev.into(),
        hash: hash.into(),
    }
}

pub(super) fn item(reference: &str) -> NewSeizedItem {
    NewSeizedItem {
        reference: reference.into(),
        kind: "smartphone".into(),
        serial: Some(format!("SN-{reference}")),
        imei: Some("490154203237518".into()),
        iccid: None,
        card_last4: None,
        cash_amount: None,
        cash_currency: None,
        description: "black phone".into(),
        image_sha256: None,
        item_json: format!("{{\"reference\":\"{reference}\"}}"),
        holder: "sok.officer".into(),
        seizure: entry(1, "0", &format!("h1-{reference}")),
    }
}

/// How many audit entries name `object`.
async fn audited(store: &DynStore, object: &str) -> usize {
    store
        .audit_after(0, 1_000_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.entry.object == object)
        .count()
}

pub(super) async fn operations_and_networks(store: DynStore) {
    let by = officer(&store).await;
    let net = store
        .create_network(
            "Golden line",
            &["Boss A".into()],
            audit(AuditAction::NetworkCreate),
        )
        .await
        .expect("network");
    let mut op = operation("OP-1", "12", by);
    let id = store
        .create_operation(&op, audit(AuditAction::OperationCreate))
        .await
        .expect("operation");
    assert_eq!(audited(&store, &format!("network:{net}")).await, 1);
    assert_eq!(audited(&store, &format!("operation:{id}")).await, 1);
    assert!(matches!(
        store.network(999).await,
        Err(StoreError::NotFound)
    ));
    let fresh = store.network(net).await.expect("network");
    assert_eq!(fresh.name, "Golden line");
    assert_eq!(fresh.dismantled_by, None);
    assert_eq!(fresh.dismantled_evidence, "");
    let read = store.operation(id).await.expect("read");
    assert_eq!(
        read.operation, op,
        "round trip keeps the offset and facilities"
    );
    assert_eq!(
        read.operation.planned_for.map(|t| t.offset().whole_hours()),
        Some(7)
    );
    let dup = store
        .create_operation(&op, audit(AuditAction::OperationCreate))
        .await;
    assert!(
        matches!(&dup, Err(StoreError::Conflict(m)) if m.contains("OP-1")),
        "{dup:?}"
    );
    store
        .create_operation(
            &operation("OP-2", "18", by),
            audit(AuditAction::OperationCreate),
        )
        .await
        .expect("second");

    op.status = "done".into();
    op.outcome = "42 people found".into();
    op.happened_at = Some(local(1_764_010_000));
    op.network_id = Some(net);
    op.facilities = vec![FacilityId(9)];
    store
        .update_operation(id, &op, audit(AuditAction::OperationUpdate))
        .await
        .expect("update");
    assert_eq!(store.operation(id).await.expect("read").operation, op);
    assert_eq!(audited(&store, &format!("operation:{id}")).await, 2);
    assert!(matches!(
        store
            .update_operation(999, &op, audit(AuditAction::OperationUpdate))
            .await,
        Err(StoreError::NotFound)
    ));
    let mut taken = op.clone();
    taken.reference = "OP-2".into();
    assert!(matches!(
        store
            .update_operation(id, &taken, audit(AuditAction::OperationUpdate))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(audited(&store, &format!("operation:{id}")).await, 2);
    let mut bad = op.clone();
    bad.network_id = Some(999);
    assert!(matches!(
        store
            .update_operation(id, &bad, audit(AuditAction::OperationUpdate))
            .await,
        Err(StoreError::NotFound)
    ));

    let in12 = store
        .operations(Some(&["12".to_string()]), None)
        .await
        .expect("12");
    assert_eq!(in12.len(), 1);
    assert_eq!(in12[0].id, id);
    assert_eq!(store.operations(None, None).await.expect("all").len(), 2);
    // By facility: OP-1 now from facility 9 only, OP-2 from 3 and 9.
    let of = |provinces: Option<Vec<String>>, f: i64| {
        let store = store.clone();
        async move {
            store
                .operations(provinces.as_deref(), Some(FacilityId(f)))
                .await
                .expect("of facility")
                .into_iter()
                .map(|r| r.operation.reference)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(of(None, 9).await, ["OP-2", "OP-1"]);
    assert_eq!(of(None, 3).await, ["OP-2"]);
    assert_eq!(of(Some(vec!["12".into()]), 9).await, ["OP-1"]);
    assert!(of(None, 4).await.is_empty());
    assert!(matches!(
        store.operation(999).await,
        Err(StoreError::NotFound)
    ));

    store
        .dismantle_network(
            net,
            id,
            "leaders arrested; servers seized",
            audit(AuditAction::NetworkDismantle),
        )
        .await
        .expect("dismantle");
    let n = store.network(net).await.expect("network");
    assert_eq!(n.dismantled_by, Some(id));
    assert_eq!(n.dismantled_evidence, "leaders arrested; servers seized");
    assert_eq!(audited(&store, &format!("network:{net}")).await, 2);
    assert_eq!(n.leaders, vec!["Boss A".to_string()]);
    assert!(matches!(
        store
            .dismantle_network(net, id, "again", audit(AuditAction::CaseDefendant))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .dismantle_network(net, 999, "x", audit(AuditAction::CaseDefendant))
            .await,
        Err(StoreError::NotFound)
    ));
    let entries = store.audit_after(0, 1000).await.expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.entry.object == format!("network:{net}"))
    );
    super::assert_keyed_chain(&entries);
}

pub(super) async fn seized_items_all_or_nothing(store: DynStore) {
    let by = officer(&store).await;
    let op = store
        .create_operation(
            &operation("OP-7", "12", by),
            audit(AuditAction::OperationCreate),
        )
        .await
        .expect("operation");
    let batch: Vec<_> = (0..300).map(|n| item(&format!("E{n:03}"))).collect();
    assert!(matches!(
        store
            .insert_seized_items(999, &batch, audit(AuditAction::EvidenceSeize))
            .await,
        Err(StoreError::NotFound)
    ));
    let ids = store
        .insert_seized_items(op, &batch, audit(AuditAction::EvidenceSeize))
        .await
        .expect("bulk");
    assert_eq!(ids.len(), 300);
    assert_eq!(audited(&store, &format!("operation:{op}")).await, 2);
    let (row, chain) = store.seized_item(ids[5]).await.expect("item");
    assert_eq!(row.reference, "E005");
    assert_eq!(row.id, ids[5]);
    assert_eq!(row.operation_id, op);
    assert_eq!(row.kind, "smartphone");
    assert_eq!(row.serial.as_deref(), Some("SN-E005"));
    assert_eq!(row.imei.as_deref(), Some("490154203237518"));
    assert_eq!(row.item_json, batch[5].item_json);
    assert_eq!(row.holder, "sok.officer");
    assert!(matches!(
        store.seized_item(999_999).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(chain, vec![batch[5].seizure.clone()]);
    assert_eq!(chain[0].at.offset().whole_hours(), 7);

    let mut more: Vec<_> = (300..310).map(|n| item(&format!("E{n:03}"))).collect();
    more.push(item("E007"));
    let dup = store
        .insert_seized_items(op, &more, audit(AuditAction::EvidenceSeize))
        .await;
    assert!(
        matches!(&dup, Err(StoreError::Conflict(m)) if m.contains("E007")),
        "{dup:?}"
    );
    let items = store.operation_items(op).await.expect("items");
    assert_eq!(items.len(), 300, "nothing of the refused batch is stored");
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), ids);
    assert_eq!(items[5], row);
    assert_eq!(audited(&store, &format!("operation:{op}")).await, 2);
    assert!(store.operation_items(999).await.expect("none").is_empty());
    assert!(items.iter().all(|i| i.reference.as_str() < "E300"));
}

pub(super) async fn custody_appends_follow_the_last_step(store: DynStore) {
    let by = officer(&store).await;
    let op = store
        .create_operation(
            &operation("OP-9", "12", by),
            audit(AuditAction::OperationCreate),
        )
        .await
        .expect("operation");
    let ids = store
        .insert_seized_items(op, &[item("A1")], audit(AuditAction::EvidenceSeize))
        .await
        .expect("seize");
    let id = ids[0];
    assert!(matches!(
        store
            .append_custody(
                999,
                &entry(2, "h1-A1", "h2"),
                "lab",
                audit(AuditAction::EvidenceTransfer)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .append_custody(
                id,
                &entry(2, "wrong", "h2"),
                "lab",
                audit(AuditAction::EvidenceTransfer)
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    // Two transfers of the same step at once: exactly one is stored.
    let (a, b) = (store.clone(), store.clone());
    let (ra, rb) = tokio::join!(
        async move {
            a.append_custody(
                id,
                &entry(2, "h1-A1", "h2a"),
                "lab",
                audit(AuditAction::EvidenceTransfer),
            )
            .await
        },
        async move {
            b.append_custody(
                id,
                &entry(2, "h1-A1", "h2b"),
                "court",
                audit(AuditAction::EvidenceTransfer),
            )
            .await
        }
    );
    assert!(
        ra.is_ok() != rb.is_ok(),
        "one of two concurrent appends wins: {ra:?} {rb:?}"
    );
    assert!(matches!(
        ra.err().or(rb.err()),
        Some(StoreError::Conflict(_))
    ));
    let (row, chain) = store.seized_item(id).await.expect("item");
    assert_eq!(chain.len(), 2);
    let winner = if chain[1].hash == "h2a" {
        "lab"
    } else {
        "court"
    };
    assert_eq!(row.holder, winner);
    let hash = chain[1].hash.clone();
    store
        .append_custody(
            id,
            &entry(3, &hash, "h3"),
            "store",
            audit(AuditAction::EvidenceTransfer),
        )
        .await
        .expect("third");
    let (row, chain) = store.seized_item(id).await.expect("item");
    assert_eq!(chain.iter().map(|e| e.step).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(chain[2], entry(3, &hash, "h3"));
    assert_eq!(chain[2].at.offset().whole_hours(), 7);
    assert_eq!(row.holder, "store");
    assert_eq!(
        audited(&store, &format!("item:{id}")).await,
        2,
        "each stored append is audited, refused ones are not"
    );
}
