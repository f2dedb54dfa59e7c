//! Conformance checks for the public check's reads and analysts' standings.

use time::OffsetDateTime;
use vigil_domain::check::ValueDigest;
use vigil_domain::{AuditAction, EventSeq, StaffId, Standing, StandingReason};

use super::{audit, created, sample_submission};
use crate::{DynStore, ObservableId, StandingChange, StoreError, TipObservables};

async fn entries(store: &DynStore) -> usize {
    store.audit_after(0, -1).await.expect("audit").len()
}

pub(super) async fn check_reads_counts_samples_and_ranges(store: DynStore) {
    let phone = ("phone".to_string(), "+85512345678".to_string());
    let handle = ("telegram".to_string(), "@jobs_asia".to_string());
    let mut tips = Vec::new();
    for (n, province) in [(1, "12"), (2, "18"), (3, "12")] {
        let mut s = sample_submission(n);
        s.tip.location.province_code = Some(province.into());
        s.tip.text = format!("report number {n}");
        tips.push(created(&store, s).await);
    }
    let mut seen = vec![TipObservables {
        tip_id: tips[0],
        values: vec![phone.clone(), handle.clone()],
    }];
    for &tip in &tips[1..] {
        seen.push(TipObservables {
            tip_id: tip,
            values: vec![phone.clone()],
        });
    }
    store
        .record_sightings("pipeline", EventSeq(3), &seen)
        .await
        .expect("record");
    // Values written by the pipeline carry their digest key already.
    assert_eq!(store.fill_check_digests(100).await.expect("fill"), 0);

    let hit = store
        .check_value(&phone.0, &phone.1)
        .await
        .expect("check")
        .expect("stored");
    assert_eq!((hit.tips, hit.standing.clone()), (3, None));
    assert_eq!(hit.value, phone.1);
    assert!(
        store
            .check_value("phone", "+85500000000")
            .await
            .expect("check")
            .is_none()
    );
    assert!(
        store
            .check_value("telegram", &phone.1)
            .await
            .expect("check")
            .is_none(),
        "the kind is part of the value"
    );

    let sample = store.check_sample(hit.id, 2).await.expect("sample");
    assert_eq!(
        sample.iter().map(|s| s.tip).collect::<Vec<_>>(),
        vec![tips[2], tips[1]],
        "newest first, at most the limit"
    );
    assert_eq!(sample[0].text, "report number 3");
    assert_eq!(sample[1].province.as_deref(), Some("18"));

    let (from, to) = ValueDigest::of(&phone.1).range().keys();
    let range = store.check_range(from, to, 3).await.expect("range");
    assert!(range.iter().any(|h| h.id == hit.id), "{range:?}");
    assert!(
        range.iter().all(|h| h.tips >= 3 || h.standing.is_some()),
        "{range:?}"
    );
    let handle_hit = store
        .check_value(&handle.0, &handle.1)
        .await
        .expect("check")
        .expect("stored");
    let (hfrom, hto) = ValueDigest::of(&handle.1).range().keys();
    assert!(
        !store
            .check_range(hfrom, hto, 3)
            .await
            .expect("range")
            .iter()
            .any(|h| h.id == handle_hit.id),
        "one tip is below the threshold"
    );

    // A standing is audited, shows in ranges below the threshold and lists
    // in the feed; withdrawing it removes both.
    let before = entries(&store).await;
    let at = OffsetDateTime::now_utc().replace_nanosecond(0).expect("ns");
    store
        .set_standing(
            StandingChange {
                id: handle_hit.id,
                standing: Some((Standing::Confirmed, StandingReason::Recruitment)),
                by: StaffId(7),
                at,
            },
            audit(AuditAction::ObservableStanding),
        )
        .await
        .expect("standing");
    assert_eq!(entries(&store).await, before + 1);
    let marked = store
        .check_value(&handle.0, &handle.1)
        .await
        .expect("check")
        .expect("stored")
        .standing
        .expect("standing");
    assert_eq!(
        (marked.standing, marked.reason, marked.decided_by),
        (Standing::Confirmed, StandingReason::Recruitment, StaffId(7))
    );
    assert_eq!(marked.decided_at.unix_timestamp(), at.unix_timestamp());
    assert!(
        store
            .check_range(hfrom, hto, 3)
            .await
            .expect("range")
            .iter()
            .any(|h| h.id == handle_hit.id)
    );
    let confirmed = store
        .standings(Standing::Confirmed, None, 10)
        .await
        .expect("feed");
    assert_eq!(
        confirmed.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![handle_hit.id]
    );
    assert!(
        store
            .standings(Standing::Confirmed, Some(handle_hit.id), 10)
            .await
            .expect("feed")
            .is_empty(),
        "paged after the last one"
    );
    assert!(
        store
            .standings(Standing::Cleared, None, 10)
            .await
            .expect("feed")
            .is_empty()
    );

    store
        .set_standing(
            StandingChange {
                id: handle_hit.id,
                standing: None,
                by: StaffId(7),
                at,
            },
            audit(AuditAction::ObservableStanding),
        )
        .await
        .expect("withdraw");
    assert_eq!(entries(&store).await, before + 2);
    assert!(
        store
            .standings(Standing::Confirmed, None, 10)
            .await
            .expect("feed")
            .is_empty()
    );

    let refused = store
        .set_standing(
            StandingChange {
                id: ObservableId(999_999),
                standing: Some((Standing::Cleared, StandingReason::Legitimate)),
                by: StaffId(7),
                at,
            },
            audit(AuditAction::ObservableStanding),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(
        entries(&store).await,
        before + 2,
        "a refused change is not audited"
    );
}
