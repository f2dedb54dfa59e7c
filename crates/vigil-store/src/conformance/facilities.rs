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

/// A facility's tips page by page, newest first: every tip once, the count
/// within the provinces asked for.
pub(super) async fn facility_tips_page_through_every_tip(store: DynStore) {
    let mut tips = Vec::new();
    for n in 0..7 {
        let mut sub = sample_submission(n);
        if n % 3 == 0 {
            sub.tip.location.province_code = Some("12".into());
        }
        tips.push(created(&store, sub).await);
    }
    store
        .save_facilities(&[write(1, &tips, 5.0, Some("18"))], &[])
        .await
        .expect("save");
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let (page, total) = store
            .facility_tips_page(FacilityId(1), None, before, 3)
            .await
            .expect("page");
        assert_eq!(total, 7);
        assert!(page.len() <= 3);
        seen.extend(page.iter().copied());
        if page.len() < 3 {
            break;
        }
        before = page.last().copied();
    }
    let mut newest_first = tips.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first, "every tip once, newest first");
    let scope = ["18".to_string()];
    let (page, total) = store
        .facility_tips_page(FacilityId(1), Some(&scope), None, 10)
        .await
        .expect("scoped");
    assert_eq!(total, 4, "three of the seven are in province 12");
    assert_eq!(
        page,
        vec![tips[5], tips[4], tips[2], tips[1]],
        "only the province's"
    );
    let (page, total) = store
        .facility_tips_page(FacilityId(2), None, None, 10)
        .await
        .expect("none");
    assert_eq!((page.len(), total), (0, 0));
    let of = store
        .facilities_of(&[tips[1], TipId(999_999), tips[0]])
        .await
        .expect("of");
    assert_eq!(
        of,
        vec![
            (
                tips[0],
                FacilityId(1),
                r#"{"by":"place","code":"1"}"#.to_string(),
                Some("18".to_string())
            ),
            (
                tips[1],
                FacilityId(1),
                r#"{"by":"place","code":"1"}"#.to_string(),
                Some("18".to_string())
            ),
        ],
        "tips in no facility left out"
    );
}

/// Facilities a completed operation settled (no tip received after it) list
/// below every other, whatever their priority; a later tip brings one back.
pub(super) async fn raided_facilities_sort_last(store: DynStore) {
    use super::operations::{officer, operation};
    let mut tips = Vec::new();
    for n in 0..4 {
        tips.push(created(&store, sample_submission(n)).await);
    }
    // Every facility's last tip is 3 days after 1_764_000_000.
    let last =
        OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time") + Duration::days(3);
    store
        .save_facilities(
            &[
                write(1, &tips[0..1], 90.0, Some("18")),
                write(2, &tips[1..2], 50.0, Some("18")),
                write(3, &tips[2..3], 10.0, Some("18")),
                write(4, &tips[3..4], 5.0, Some("18")),
            ],
            &[],
        )
        .await
        .expect("save");
    let by = officer(&store).await;
    let raid = |reference: &str, facility: i64, at: OffsetDateTime, status: &str| {
        let mut op = operation(reference, "18", by);
        op.facilities = vec![FacilityId(facility)];
        op.happened_at = Some(at);
        op.status = status.into();
        op
    };
    for op in [
        // Raided after its last tip: settled.
        raid("OP-A", 1, last + Duration::days(1), "done"),
        // Raided before its last tip: new tips since, not settled.
        raid("OP-B", 2, last - Duration::days(1), "done"),
        // Only planned: not a raid.
        raid("OP-C", 3, last + Duration::days(1), "planned"),
    ] {
        store
            .create_operation(
                &op,
                super::audit(vigil_domain::AuditAction::OperationCreate),
            )
            .await
            .expect("operation");
    }
    let all = FacilityQuery {
        limit: 10,
        ..FacilityQuery::default()
    };
    let (list, total) = store.facilities(&all).await.expect("list");
    assert_eq!(total, 4);
    assert_eq!(
        list.iter().map(|f| f.id.0).collect::<Vec<_>>(),
        vec![2, 3, 4, 1],
        "the settled facility last despite the highest priority"
    );
    let marks: Vec<Option<&str>> = list
        .iter()
        .map(|f| f.raid.as_ref().map(|r| r.reference.as_str()))
        .collect();
    assert_eq!(marks, vec![Some("OP-B"), None, None, Some("OP-A")]);
    let (one, _) = store.facility(FacilityId(1)).await.expect("one");
    let mark = one.raid.expect("raided");
    assert_eq!(mark.at, last + Duration::days(1));
    // A tip after the raid: facility 1 rejoins the others by priority.
    let mut later = write(1, &tips[0..1], 90.0, Some("18"));
    later.last_at = last + Duration::days(2);
    store.save_facilities(&[later], &[]).await.expect("save");
    let (list, _) = store.facilities(&all).await.expect("list");
    assert_eq!(
        list.iter().map(|f| f.id.0).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    // The second page of a paged queue follows the same order.
    let page = FacilityQuery {
        limit: 2,
        offset: 2,
        ..FacilityQuery::default()
    };
    let (list, _) = store.facilities(&page).await.expect("page");
    assert_eq!(list.iter().map(|f| f.id.0).collect::<Vec<_>>(), vec![3, 4]);
}
