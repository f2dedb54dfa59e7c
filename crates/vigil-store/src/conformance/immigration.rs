//! Detentions, deportation orders and departures.

use time::{Date, Month, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role, StaffId};

use super::audit;
use crate::{
    DynStore, ImmigrationFilter, NewDeparture, NewDeportationOrder, NewDetention, NewStaff,
    StoreError,
};
use vigil_domain::AuditAction;

async fn clerk(store: &DynStore) -> StaffId {
    store
        .create_staff(
            NewStaff {
                username: "dara.immigration".into(),
                display_name: "Dara".into(),
                role: Role::Immigration,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("staff")
}

/// How many audit entries have this action and object.
async fn audited(store: &DynStore, action: AuditAction, object: &str) -> usize {
    store
        .audit_after(0, 1_000_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.entry.action == action && e.entry.object == object)
        .count()
}

fn day(d: u8) -> Date {
    Date::from_calendar_date(2026, Month::March, d).expect("date")
}

fn order(reference: &str, by: StaffId) -> NewDeportationOrder {
    NewDeportationOrder {
        reference: reference.into(),
        subject: vec![1, 2, 3],
        person_id: None,
        nationality: "CN".into(),
        issued_on: day(2),
        authority: "General Department of Immigration".into(),
        province_code: "18".into(),
        status: "issued".into(),
        created_by: by,
        created_at: OffsetDateTime::from_unix_timestamp(1_772_000_000).expect("time"),
    }
}

fn departure(kind: &str, nationality: &str, on: Date, port: &str, by: StaffId) -> NewDeparture {
    NewDeparture {
        kind: kind.into(),
        subject: vec![9, 9, 9],
        person_id: Some(41),
        operation_id: None,
        order_id: None,
        nationality: nationality.into(),
        departed_on: on,
        port: port.into(),
        province_code: if port == "KOS" { "18" } else { "08" }.into(),
        batch: None,
        created_by: by,
        created_at: OffsetDateTime::from_unix_timestamp(1_772_000_000).expect("time"),
    }
}

/// An order is recorded once; a deportation executes an issued order and
/// only once; a departure round-trips.
pub async fn orders_and_departures(store: DynStore) {
    let by = clerk(&store).await;
    let o = store
        .insert_deportation_order(
            &order("DO-1", by),
            audit(AuditAction::DeportationOrderCreate),
        )
        .await
        .expect("order");
    assert!(matches!(
        store
            .insert_deportation_order(
                &order("DO-1", by),
                audit(AuditAction::DeportationOrderCreate)
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        audited(
            &store,
            AuditAction::DeportationOrderCreate,
            &format!("deportation_order:{o}")
        )
        .await,
        1
    );
    let read = store.deportation_order(o).await.expect("order");
    assert_eq!((read.id, &read.order), (o, &order("DO-1", by)));
    assert!(matches!(
        store.deportation_order(9999).await,
        Err(StoreError::NotFound)
    ));
    let mut d = departure("deported", "CN", day(5), "KOS", by);
    d.order_id = Some(o);
    let stored = d.clone();
    let id = store
        .insert_departure(&d, audit(AuditAction::DepartureCreate))
        .await
        .expect("dep");
    assert_eq!(
        audited(
            &store,
            AuditAction::DepartureCreate,
            &format!("departure:{id}")
        )
        .await,
        1
    );
    assert_eq!(
        store
            .deportation_order(o)
            .await
            .expect("order")
            .order
            .status,
        "executed"
    );
    // A second execution of the same order is refused and stores nothing.
    assert!(matches!(
        store
            .insert_departure(&d, audit(AuditAction::DepartureCreate))
            .await,
        Err(StoreError::Conflict(_))
    ));
    d.order_id = Some(9999);
    assert!(matches!(
        store
            .insert_departure(&d, audit(AuditAction::DepartureCreate))
            .await,
        Err(StoreError::NotFound)
    ));
    let mut op = departure("voluntary", "VN", day(6), "KTI", by);
    op.operation_id = Some(4242);
    assert!(matches!(
        store
            .insert_departure(&op, audit(AuditAction::DepartureCreate))
            .await,
        Err(StoreError::NotFound)
    ));
    let all = store
        .departures(&ImmigrationFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert_eq!(all[0].departure.order_id, Some(o));
    assert_eq!(all[0].departure.departed_on, day(5));
    assert_eq!(all[0].departure.subject, vec![9, 9, 9]);
    assert_eq!(all[0].departure.person_id, Some(41));
    assert_eq!(all[0].departure, stored);
    let detention = NewDetention {
        subject: vec![7],
        person_id: None,
        operation_id: None,
        nationality: "CN".into(),
        place: "Immigration detention centre".into(),
        province_code: "12".into(),
        from_on: day(1),
        until_on: Some(day(5)),
        created_by: by,
        created_at: OffsetDateTime::from_unix_timestamp(1_772_000_000).expect("time"),
    };
    let mut unknown = detention.clone();
    unknown.operation_id = Some(4242);
    assert!(matches!(
        store
            .insert_detention(&unknown, audit(AuditAction::DetentionCreate))
            .await,
        Err(StoreError::NotFound)
    ));
    let det = store
        .insert_detention(&detention, audit(AuditAction::DetentionCreate))
        .await
        .expect("detention");
    assert_eq!(
        audited(
            &store,
            AuditAction::DetentionCreate,
            &format!("detention:{det}")
        )
        .await,
        1
    );
    let mut later = detention.clone();
    later.nationality = "VN".into();
    later.from_on = day(8);
    later.until_on = None;
    later.person_id = Some(5);
    later.province_code = "08".into();
    let det2 = store
        .insert_detention(&later, audit(AuditAction::DetentionCreate))
        .await
        .expect("detention");
    let newest_first = store
        .detentions(&ImmigrationFilter::default())
        .await
        .expect("detentions");
    assert_eq!(
        newest_first.iter().map(|r| r.id).collect::<Vec<_>>(),
        [det2, det]
    );
    assert_eq!(newest_first[0].detention, later);
    assert_eq!(newest_first[1].detention, detention);
    let cn = store
        .detentions(&ImmigrationFilter {
            nationality: Some("CN".into()),
            ..ImmigrationFilter::default()
        })
        .await
        .expect("detentions");
    assert_eq!(cn.iter().map(|r| r.id).collect::<Vec<_>>(), [det]);
    let window = |from: u8, to: u8, limit: Option<u32>| ImmigrationFilter {
        from: Some(day(from)),
        to: Some(day(to)),
        limit,
        ..ImmigrationFilter::default()
    };
    assert_eq!(
        store.detentions(&window(2, 31, None)).await.expect("d")[0].id,
        det2
    );
    assert!(
        store
            .detentions(&window(2, 7, None))
            .await
            .expect("d")
            .is_empty()
    );
    assert_eq!(
        store.detentions(&window(1, 31, Some(1))).await.expect("d")[0].id,
        det2
    );
    assert_eq!(
        store
            .deportation_orders(&window(2, 2, None))
            .await
            .expect("orders")
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        [o]
    );
    assert!(
        store
            .departures(&window(6, 31, None))
            .await
            .expect("departures")
            .is_empty()
    );
    let dets = store
        .detentions(&ImmigrationFilter {
            provinces: Some(vec!["12".into()]),
            ..ImmigrationFilter::default()
        })
        .await
        .expect("detentions");
    assert_eq!(dets.len(), 1);
    assert_eq!(dets[0].id, det);
    assert_eq!(dets[0].detention.until_on, Some(day(5)));
    let none = store
        .deportation_orders(&ImmigrationFilter {
            provinces: Some(vec!["12".into()]),
            ..ImmigrationFilter::default()
        })
        .await
        .expect("orders");
    assert!(none.is_empty());
}

/// A bulk import stores every row or none.
pub async fn bulk_all_or_nothing(store: DynStore) {
    let by = clerk(&store).await;
    let mut rows: Vec<NewDeparture> = (0..1203)
        .map(|i| {
            let mut d = departure("voluntary", "CN", day(1 + (i % 20) as u8), "KTI", by);
            d.batch = Some("batch-1".into());
            d
        })
        .collect();
    // A row the database refuses (an unknown kind) near the end.
    rows[1150].kind = "escaped".into();
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let progress = |n: usize| {
        seen.store(n, std::sync::atomic::Ordering::Relaxed);
    };
    assert!(
        store
            .insert_departures_bulk(&rows, audit(AuditAction::DepartureImport), &progress)
            .await
            .is_err()
    );
    assert!(
        store
            .departures(&ImmigrationFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        audited(&store, AuditAction::DepartureImport, "").await,
        0,
        "a refused import is not audited"
    );
    rows[1150].kind = "voluntary".into();
    let n = store
        .insert_departures_bulk(&rows, audit(AuditAction::DepartureImport), &progress)
        .await
        .expect("import");
    assert_eq!(n, 1203);
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 1203);
    assert_eq!(
        audited(&store, AuditAction::DepartureImport, "").await,
        1,
        "one entry per import"
    );
    let newest = store
        .departures(&ImmigrationFilter {
            limit: Some(1),
            ..ImmigrationFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(newest.len(), 1);
    assert_eq!(
        newest[0].departure, rows[19],
        "the latest day first, rows kept whole"
    );
    let f = ImmigrationFilter {
        nationality: Some("CN".into()),
        from: Some(day(1)),
        to: Some(day(1)),
        limit: Some(1000),
        ..ImmigrationFilter::default()
    };
    let first = store.departures(&f).await.expect("list");
    assert_eq!(first.len(), 61); // rows 0, 20, 40, … 1200
    assert!(
        first
            .iter()
            .all(|d| d.departure.batch.as_deref() == Some("batch-1"))
    );
}

/// The figures count by kind and nationality within a period and provinces.
pub async fn figures(store: DynStore) {
    let by = clerk(&store).await;
    let mut rows = Vec::new();
    for i in 0..30u8 {
        let nat = if i % 3 == 0 { "VN" } else { "CN" };
        let port = if i % 2 == 0 { "KTI" } else { "KOS" };
        rows.push(departure("voluntary", nat, day(1 + i), port, by));
    }
    store
        .insert_departures_bulk(&rows, audit(AuditAction::DepartureImport), &|_| {})
        .await
        .expect("import");
    let o = store
        .insert_deportation_order(
            &order("DO-7", by),
            audit(AuditAction::DeportationOrderCreate),
        )
        .await
        .expect("order");
    let mut d = departure("deported", "CN", day(10), "KOS", by);
    d.order_id = Some(o);
    store
        .insert_departure(&d, audit(AuditAction::DepartureCreate))
        .await
        .expect("dep");
    for (on, province) in [(3, "18"), (12, "18"), (4, "08")] {
        store
            .insert_detention(
                &NewDetention {
                    subject: vec![7],
                    person_id: None,
                    operation_id: None,
                    nationality: "CN".into(),
                    place: "Immigration detention centre".into(),
                    province_code: province.into(),
                    from_on: day(on),
                    until_on: None,
                    created_by: by,
                    created_at: OffsetDateTime::from_unix_timestamp(1_772_000_000).expect("time"),
                },
                audit(AuditAction::DetentionCreate),
            )
            .await
            .expect("detention");
    }

    let all = store
        .immigration_figures(day(1), day(31), None)
        .await
        .expect("figures");
    assert_eq!(all.voluntary_departures, 30);
    assert_eq!(all.deportations, 1);
    assert_eq!(all.orders, 1);
    assert_eq!(all.detentions, 3);
    assert_eq!(all.by_nationality["VN"], (0, 10));
    assert_eq!(all.by_nationality["CN"], (1, 20));

    // Days 1..=10 at KOS (province 18): i = 1, 3, 5, 7, 9 → days 2, 4, 6, 8, 10.
    let kos = store
        .immigration_figures(day(1), day(10), Some(&["18".to_string()]))
        .await
        .expect("figures");
    assert_eq!(kos.voluntary_departures, 5);
    assert_eq!(kos.deportations, 1);
    assert_eq!(kos.orders, 1);
    assert_eq!(kos.detentions, 1);
    // i = 3, 9 are VN.
    assert_eq!(kos.by_nationality["VN"], (0, 2));
    assert_eq!(kos.by_nationality["CN"], (1, 3));

    let elsewhere = store
        .immigration_figures(day(1), day(31), Some(&["01".to_string()]))
        .await
        .expect("figures");
    assert_eq!(elsewhere, crate::ImmigrationFigures::default());
}
