//! Conformance checks for observables, sightings and cursors.

use vigil_domain::{EventSeq, TipId};

use super::{audit, created, sample_submission};
use crate::{DynStore, ObservableMode, StoreError, TipObservables};
use vigil_domain::{AnalystOp, AuditAction};

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
        .set_observable_mode(
            p.id,
            ObservableMode::Hub,
            audit(AuditAction::ObservableMode),
        )
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
                audit(AuditAction::OperationUpdate)
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
        .add_analyst_op(
            &[AnalystOp::Merge { a: 1, b: 2 }],
            audit(AuditAction::FacilityMerge),
        )
        .await
        .expect("op");
    let apart = [
        AnalystOp::Split { tip: 3 },
        AnalystOp::KeepApart { tips: vec![4, 5] },
    ];
    store
        .add_analyst_op(&apart, audit(AuditAction::FacilitySplit))
        .await
        .expect("op");
    assert_eq!(
        store.analyst_ops().await.expect("ops"),
        vec![vec![AnalystOp::Merge { a: 1, b: 2 }], apart.to_vec()]
    );
    // Each audited write left exactly one entry; the refused one left none.
    let trail = store.audit_after(0, 100).await.expect("audit");
    let actions: Vec<&str> = trail
        .iter()
        .map(|e| e.entry.action.name())
        .filter(|a| *a != "tip.create")
        .collect();
    assert_eq!(
        actions,
        vec!["observable.mode", "facility.merge", "facility.split"]
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
/// Related tips page by a keyset cursor: newest first, every tip exactly once,
/// however many tips carry the value (no cap).
pub(super) async fn related_tips_page_through_every_tip(store: DynStore) {
    // 130 tips (more than any page), every third in province 12; submitted
    // concurrently, so ids need not follow the numbering.
    let submitted = futures::future::join_all((0..130u32).map(|n| {
        let store = store.clone();
        async move {
            let mut s = sample_submission(1000 + n);
            s.tip.location.province_code = Some(if n % 3 == 0 { "12" } else { "18" }.into());
            (created(&store, s).await, n % 3 == 0)
        }
    }))
    .await;
    let hot = ("phone", "+85599000111");
    let batch: Vec<_> = submitted
        .iter()
        .enumerate()
        .map(|(i, (tip, _))| {
            // Every tip carries the hot value; some also another one, which
            // must not leak into the hot value's pages.
            if i % 4 == 0 {
                obs(*tip, &[hot, ("telegram", "other_value")])
            } else {
                obs(*tip, &[hot])
            }
        })
        .collect();
    store
        .record_sightings("pipeline", EventSeq(1), &batch)
        .await
        .expect("record");
    let mut all: Vec<TipId> = submitted.iter().map(|(t, _)| *t).collect();
    all.sort_unstable_by(|a, b| b.cmp(a));
    let in_12: Vec<TipId> = {
        let mut v: Vec<TipId> = submitted
            .iter()
            .filter(|(_, p)| *p)
            .map(|(t, _)| *t)
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    };
    let id = store
        .observable(hot.0, hot.1)
        .await
        .expect("get")
        .expect("found")
        .id;

    // Pages of 50 (and of 7 within a jurisdiction), each starting after the
    // last tip of the one before.
    for (limit, provinces, expected) in
        [(50, None, &all), (7, Some(vec!["12".to_string()]), &in_12)]
    {
        let mut got = Vec::new();
        let mut before = None;
        let mut pages = 0;
        loop {
            let page = store
                .related_tips_page(id, provinces.as_deref(), before, limit)
                .await
                .expect("page");
            assert!(page.len() <= limit as usize, "a page holds at most `limit`");
            assert!(
                page.windows(2).all(|w| w[0] > w[1]),
                "newest first: {page:?}"
            );
            if let (Some(b), Some(first)) = (before, page.first()) {
                assert!(*first < b, "a page starts after the cursor");
            }
            pages += 1;
            match page.last() {
                Some(last) => before = Some(*last),
                None => break,
            }
            got.extend(page);
        }
        assert_eq!(&got, expected, "every tip once, in order, no gaps");
        assert_eq!(pages, expected.len().div_ceil(limit as usize) + 1);
    }

    // The first page is `related_tips`; a cursor that is no tip of the value
    // (newer than all), one in the middle and the oldest behave.
    assert_eq!(
        store.related_tips(id, None, 50).await.expect("first"),
        all[..50].to_vec()
    );
    assert_eq!(
        store
            .related_tips_page(id, None, Some(TipId(all[0].0 + 1000)), 3)
            .await
            .expect("page"),
        all[..3].to_vec()
    );
    assert_eq!(
        store
            .related_tips_page(id, None, Some(all[10]), 3)
            .await
            .expect("page"),
        all[11..14].to_vec()
    );
    assert_eq!(
        store
            .related_tips_page(id, None, Some(*all.last().expect("tips")), 50)
            .await
            .expect("past the oldest"),
        Vec::<TipId>::new()
    );
    assert_eq!(
        store
            .related_tips_page(id, None, None, 0)
            .await
            .expect("limit 0"),
        Vec::<TipId>::new()
    );
    assert_eq!(
        store
            .related_tips_page(id, Some(&[]), None, 10)
            .await
            .expect("no province"),
        Vec::<TipId>::new()
    );
    let other = store
        .observable("telegram", "other_value")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(other.tips, 33);
    assert_eq!(
        store
            .related_tips_page(other.id, None, None, 100)
            .await
            .expect("other")
            .len(),
        33
    );
}

/// Writers recording the same tips at once leave every observable's count
/// equal to its sightings.
pub(super) async fn concurrent_recordings_keep_counts(store: DynStore) {
    let mut tips = Vec::new();
    for n in 0..4 {
        tips.push(created(&store, sample_submission(2000 + n)).await);
    }
    let x = ("phone", "+85511111111");
    let y = ("telegram", "counts_y");
    let z = ("line", "counts_z");
    let variants: [&[(&str, &str)]; 4] = [&[x], &[x, y], &[y, z], &[x, y, z]];
    let runs = futures::future::join_all((0..24usize).map(|i| {
        let store = store.clone();
        let tips = tips.clone();
        async move {
            let batch: Vec<_> = (0..2)
                .map(|j| obs(tips[(i + j) % tips.len()], variants[(i * 7 + j) % 4]))
                .collect();
            store
                .record_sightings("pipeline", EventSeq(i as i64), &batch)
                .await
        }
    }))
    .await;
    for r in runs {
        r.expect("record");
    }
    for (kind, value) in [x, y, z] {
        let o = store
            .observable(kind, value)
            .await
            .expect("get")
            .expect("recorded");
        let carried = store
            .related_tips_page(o.id, None, None, 1000)
            .await
            .expect("tips");
        assert_eq!(o.tips, carried.len() as i64, "{kind} {value}");
    }
}
