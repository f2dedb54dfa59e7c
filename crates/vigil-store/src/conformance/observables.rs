//! Conformance checks for observables, sightings and cursors.

use vigil_domain::{EventSeq, TipId};

use super::{audit, created, sample_submission};
use crate::{DynStore, ObservableMode, StoreError, TipObservables};

fn obs(tip: TipId, values: &[(&str, &str)]) -> TipObservables {
    TipObservables {
        tip_id: tip,
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

pub(super) async fn sightings_are_occurrences(store: DynStore) {
    let mut tips = Vec::new();
    for (n, province) in [(1, "12"), (2, "18"), (3, "12")] {
        let mut s = sample_submission(n);
        s.tip.location.province_code = Some(province.into());
        tips.push(created(&store, s).await);
    }
    assert_eq!(store.cursor("pipeline").await.expect("cursor"), EventSeq(0));
    let phone = ("phone", "+85512345678");
    let handle = ("telegram", "jobs_asia");
    store
        .record_sightings(
            "pipeline",
            EventSeq(2),
            &[obs(tips[0], &[phone, handle]), obs(tips[1], &[phone])],
        )
        .await
        .expect("record");
    store
        .record_sightings(
            "pipeline",
            EventSeq(3),
            &[obs(tips[2], &[phone, ("domain", "ខ្មែរ.com")])],
        )
        .await
        .expect("record");
    // Reprocessing a tip replaces its sightings (idempotent), and a cursor
    // never moves back.
    store
        .record_sightings("pipeline", EventSeq(1), &[obs(tips[0], &[phone, handle])])
        .await
        .expect("again");
    assert_eq!(store.cursor("pipeline").await.expect("cursor"), EventSeq(3));
    assert_eq!(store.cursor("other").await.expect("cursor"), EventSeq(0));
    let p = store
        .observable("phone", "+85512345678")
        .await
        .expect("get")
        .expect("found");
    assert_eq!((p.tips, p.mode), (3, ObservableMode::Auto));
    assert_eq!(
        store.related_tips(p.id, None, 2).await.expect("related"),
        vec![tips[2], tips[1]],
        "newest first, limited"
    );
    assert_eq!(
        store
            .related_tips(p.id, Some(&["12".to_string()]), 10)
            .await
            .expect("related"),
        vec![tips[2], tips[0]],
        "within the jurisdiction only"
    );
    let of0: Vec<_> = store
        .tip_observables(tips[0])
        .await
        .expect("of tip")
        .into_iter()
        .map(|o| (o.kind, o.value, o.tips))
        .collect();
    assert_eq!(
        of0,
        vec![
            ("phone".into(), "+85512345678".into(), 3),
            ("telegram".into(), "jobs_asia".into(), 1),
        ]
    );
    // A tip reprocessed with fewer identifiers loses the old sightings.
    store
        .record_sightings("pipeline", EventSeq(4), &[obs(tips[0], &[handle])])
        .await
        .expect("shrink");
    let p = store
        .observable("phone", "+85512345678")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(p.tips, 2);
    assert_eq!(
        store
            .observable("domain", "ខ្មែរ.com")
            .await
            .expect("get")
            .map(|o| o.tips),
        Some(1)
    );
    assert_eq!(store.observable("phone", "+1").await.expect("none"), None);
    store
        .set_observable_mode(p.id, ObservableMode::Hub, audit("observable.mode"))
        .await
        .expect("mode");
    assert_eq!(
        store
            .observable("phone", "+85512345678")
            .await
            .expect("get")
            .map(|o| o.mode),
        Some(ObservableMode::Hub)
    );
    assert!(matches!(
        store
            .set_observable_mode(
                crate::ObservableId(999_999),
                ObservableMode::Ignore,
                audit("x")
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.observable_modes().await.expect("modes"),
        vec![(
            "phone".to_string(),
            "+85512345678".to_string(),
            ObservableMode::Hub
        )]
    );
    store
        .add_analyst_op(r#"{"op":"merge","a":1,"b":2}"#, audit("facility.merge"))
        .await
        .expect("op");
    store
        .add_analyst_op(r#"{"op":"split","tip":3}"#, audit("facility.split"))
        .await
        .expect("op");
    assert_eq!(
        store.analyst_ops().await.expect("ops"),
        vec![
            r#"{"op":"merge","a":1,"b":2}"#.to_string(),
            r#"{"op":"split","tip":3}"#.to_string()
        ]
    );
}

/// Reads of many tips at once (the pipeline's batches and its cold start).
pub(super) async fn batch_reads(store: DynStore) {
    let mut tips = Vec::new();
    for n in 11..=13 {
        let mut s = sample_submission(n);
        if n == 12 {
            s.attachments.clear();
        }
        tips.push(created(&store, s).await);
    }
    let missing = TipId(9_999_999);
    let asked = [tips[2], missing, tips[0], tips[1]];
    let rows = store.tips_by_ids(&asked).await.expect("tips");
    let got: Vec<TipId> = rows.iter().map(|r| r.id).collect();
    assert_eq!(got, tips, "in id order, missing ids left out");
    assert_eq!(rows[0].text, store.tip(tips[0]).await.expect("tip").text);
    assert_eq!(
        store.attachment_counts(&asked).await.expect("counts"),
        vec![(tips[0], 1), (tips[2], 1)]
    );
    assert!(store.tips_by_ids(&[]).await.expect("none").is_empty());
    store
        .record_sightings(
            "pipeline",
            EventSeq(1),
            &[
                obs(tips[1], &[("telegram", "b_22"), ("phone", "+85512000001")]),
                obs(tips[0], &[("phone", "+85512000001")]),
            ],
        )
        .await
        .expect("record");
    let s = |t: TipId, k: &str, v: &str| (t, k.to_string(), v.to_string());
    assert_eq!(
        store.sightings_of(&asked).await.expect("sightings"),
        vec![
            s(tips[0], "phone", "+85512000001"),
            s(tips[1], "phone", "+85512000001"),
            s(tips[1], "telegram", "b_22"),
        ]
    );
    assert!(
        store
            .sightings_of(&[tips[2]])
            .await
            .expect("none")
            .is_empty()
    );
}
