//! Conformance checks for facilities.

use time::{Duration, OffsetDateTime};
use vigil_domain::{FacilityId, TipId};

use super::{created, sample_submission};
use crate::{DynStore, FacilityQuery, FacilityWrite, StoreError};

fn write(id: i64, tips: &[TipId], priority: f64, province: Option<&str>) -> FacilityWrite {
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    FacilityWrite {
        id: FacilityId(id),
        tips: tips.to_vec(),
        priority,
        reasons: format!(r#"[{{"code":"corroboration","weight":{priority}}}]"#),
        name: format!(r#"{{"by":"place","code":"{id}"}}"#),
        province_code: province.map(str::to_string),
        first_at: t0,
        last_at: t0 + Duration::days(3),
    }
}

pub(super) async fn facilities_keep_their_tips(store: DynStore) {
    let mut tips = Vec::new();
    for n in 0..5 {
        tips.push(created(&store, sample_submission(n)).await);
    }
    store
        .save_facilities(
            &[
                write(1, &tips[0..2], 3.5, Some("18")),
                write(2, &tips[2..4], 9.25, Some("12")),
                write(3, &tips[4..5], 1.0, None),
            ],
            &[],
        )
        .await
        .expect("save");
    let all = FacilityQuery {
        limit: 10,
        ..FacilityQuery::default()
    };
    let (list, total) = store.facilities(&all).await.expect("list");
    assert_eq!(total, 3);
    assert_eq!(
        list.iter().map(|f| f.id.0).collect::<Vec<_>>(),
        vec![2, 1, 3],
        "highest priority first"
    );
    assert_eq!(list[0].tips, 2);
    assert_eq!(list[0].priority, 9.25);
    assert_eq!(list[0].last_at - list[0].first_at, Duration::days(3));
    let (row, members) = store.facility(FacilityId(1)).await.expect("one");
    assert_eq!(members, tips[0..2].to_vec());
    assert!(row.reasons.contains("corroboration"));
    assert_eq!(row.name, r#"{"by":"place","code":"1"}"#, "the name kept");
    let scoped = FacilityQuery {
        provinces: Some(vec!["18".into()]),
        limit: 10,
        offset: 0,
    };
    let (list, total) = store.facilities(&scoped).await.expect("scoped");
    assert_eq!((total, list.len(), list[0].id.0), (1, 1, 1));
    // Reclustering: facility 2 takes a tip of facility 1; facility 3 goes.
    store
        .save_facilities(
            &[
                write(1, &tips[0..1], 3.0, Some("18")),
                write(2, &[tips[1], tips[2], tips[3], tips[4]], 9.5, Some("12")),
            ],
            &[FacilityId(3)],
        )
        .await
        .expect("recluster");
    assert_eq!(
        store.facility_of(tips[1]).await.expect("of"),
        Some(FacilityId(2))
    );
    assert_eq!(
        store.facility_of(tips[4]).await.expect("of"),
        Some(FacilityId(2))
    );
    assert_eq!(store.facility_of(TipId(999_999)).await.expect("of"), None);
    assert!(matches!(
        store.facility(FacilityId(3)).await,
        Err(StoreError::NotFound)
    ));
    let members = store.memberships().await.expect("memberships");
    assert_eq!(
        members,
        vec![
            (FacilityId(1), vec![tips[0]]),
            (FacilityId(2), vec![tips[1], tips[2], tips[3], tips[4]]),
        ]
    );
}
