//! Conformance checks for exit screenings.

use time::{Duration, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role};

use super::audit;
use crate::{DynStore, NewScreening, NewStaff, StoreError};

pub(super) async fn screenings_are_kept_decided_and_purged(store: DynStore) {
    let officer = store
        .create_staff(
            NewStaff {
                username: "sokha".into(),
                display_name: "Sokha".into(),
                role: Role::Immigration,
                jurisdiction: Jurisdiction::National,
            },
            audit("staff.create"),
        )
        .await
        .expect("create");
    // Whole microseconds: PostgreSQL keeps no more.
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    let s = |days: i64, post: &str| NewScreening {
        policy: "default@2026.11.1".into(),
        outcome: "refer".into(),
        score: 7,
        reasons: r#"[{"code":"watchlist_match","weight":5,"evidence":"facility 3"}]"#.into(),
        post: post.into(),
        officer,
        traveller: vec![0, 1, 2, 255],
        created_at: t0 + Duration::days(days),
    };
    let old = store
        .insert_screening(&s(0, "PNH"), audit("screening.create"))
        .await
        .expect("insert");
    let new = store
        .insert_screening(&s(40, "បាវិត"), audit("screening.create"))
        .await
        .expect("insert");
    assert_ne!(old, new);
    let row = store.screening(new).await.expect("get");
    assert_eq!(row.id, new);
    assert_eq!(row.screening, s(40, "បាវិត"));
    assert_eq!(
        (row.decision, row.note, row.decided_at),
        (None, vec![], None)
    );

    store
        .decide_screening(new, "interview", &[9, 9], audit("screening.decide"))
        .await
        .expect("decide");
    let row = store.screening(new).await.expect("get");
    assert_eq!(row.decision.as_deref(), Some("interview"));
    assert_eq!(row.note, vec![9, 9]);
    assert!(row.decided_at.is_some());
    assert!(matches!(
        store
            .decide_screening(9_999, "refer", &[], audit("screening.decide"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.screening(9_999).await,
        Err(StoreError::NotFound)
    ));

    assert_eq!(
        store
            .purge_screenings(t0 + Duration::days(10))
            .await
            .expect("purge"),
        1
    );
    assert!(matches!(
        store.screening(old).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.screening(new).await.is_ok());
    assert_eq!(store.purge_screenings(t0).await.expect("purge"), 0);
}
