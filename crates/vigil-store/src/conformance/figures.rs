//! The campaign's counts: what counts, on which date (Cambodia's month), in
//! which province, and the scope's period and province filter.

use time::OffsetDateTime;
use vigil_domain::{FacilityId, TipId};

use super::operations::{item, local, officer, operation};
use super::{audit, created, sample_submission};
use crate::{DynStore, FacilityWrite, FigureCount, FigureScope, Metric};
use vigil_domain::AuditAction;

fn at(rfc3339: &str) -> OffsetDateTime {
    OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).expect("time")
}

fn total(counts: &[FigureCount], metric: Metric, key: &str) -> u64 {
    counts
        .iter()
        .filter(|c| c.metric == metric && (key.is_empty() || c.key == key))
        .map(|c| c.count)
        .sum()
}

pub(super) async fn figures_count_by_province_and_month(store: DynStore) {
    // Tips: two in Preah Sihanouk (18), one of them on 31 January at 18:00 UTC,
    // which is already February in Cambodia; one in Phnom Penh (12).
    let mut tips = Vec::new();
    for (n, province, when) in [
        (1, "18", "2026-01-10T03:00:00Z"),
        (2, "18", "2026-01-31T18:00:00Z"),
        (3, "12", "2026-03-05T03:00:00Z"),
    ] {
        let mut sub = sample_submission(n);
        sub.tip.location.province_code = Some(province.into());
        sub.tip.received_at = at(when);
        tips.push(created(&store, sub).await);
    }
    // Every tip, a page at a time in id order.
    let page = store.tips_after(TipId(0), 2).await.expect("page");
    assert_eq!(page.iter().map(|t| t.id).collect::<Vec<_>>(), tips[..2]);
    let rest = store.tips_after(tips[1], 10).await.expect("rest");
    assert_eq!(rest.iter().map(|t| t.id).collect::<Vec<_>>(), tips[2..]);
    assert!(store.tips_after(tips[2], 10).await.expect("end").is_empty());
    store
        .save_facilities(
            &[FacilityWrite {
                id: FacilityId(1),
                tips: vec![tips[0], tips[1]],
                priority: 5.0,
                reasons: "[]".into(),
                name: String::new(),
                province_code: Some("18".into()),
                first_at: at("2026-01-10T03:00:00Z"),
                last_at: at("2026-01-31T18:00:00Z"),
            }],
            &[],
        )
        .await
        .expect("facility");

    // One done raid in Phnom Penh that dismantled a network and seized three
    // items; one planned raid in Preah Sihanouk, which counts for nothing.
    let by = officer(&store).await;
    let net = store
        .create_network(
            "Golden line",
            &["Boss A".into()],
            audit(AuditAction::NetworkCreate),
        )
        .await
        .expect("network");
    let mut done = operation("OP-1", "12", by);
    done.status = "done".into();
    done.happened_at = Some(local(at("2026-03-10T02:00:00Z").unix_timestamp()));
    done.network_id = Some(net);
    let done_id = store
        .create_operation(&done, audit(AuditAction::OperationCreate))
        .await
        .expect("done");
    store
        .create_operation(
            &operation("OP-2", "18", by),
            audit(AuditAction::OperationCreate),
        )
        .await
        .expect("planned");
    store
        .dismantle_network(
            net,
            done_id,
            "ledger and leaders arrested",
            audit(AuditAction::OperationUpdate),
        )
        .await
        .expect("dismantle");
    let mut items = vec![item("E1"), item("E2"), item("E3")];
    items[2].kind = "computer".into();
    for it in &mut items {
        it.seizure.at = local(at("2026-03-10T04:00:00Z").unix_timestamp());
    }
    store
        .insert_seized_items(done_id, &items, audit(AuditAction::EvidenceSeize))
        .await
        .expect("items");

    let all = store
        .figure_counts(&FigureScope::default())
        .await
        .expect("counts");
    assert_eq!(total(&all, Metric::Tips, ""), 3);
    assert_eq!(total(&all, Metric::Facilities, ""), 1);
    assert_eq!(total(&all, Metric::LocationsRaided, ""), 1);
    assert_eq!(total(&all, Metric::NetworksDismantled, ""), 1);
    assert_eq!(total(&all, Metric::DevicesSeized, "smartphone"), 2);
    assert_eq!(total(&all, Metric::DevicesSeized, "computer"), 1);
    let feb: Vec<_> = all
        .iter()
        .filter(|c| c.metric == Metric::Tips && c.month == "2026-02")
        .collect();
    assert_eq!(
        feb.len(),
        1,
        "18:00 UTC on 31 January is February in Cambodia: {all:?}"
    );
    assert_eq!(feb[0].province.as_deref(), Some("18"));
    assert!(
        all.iter()
            .filter(|c| c.metric == Metric::DevicesSeized)
            .all(|c| c.province.as_deref() == Some("12") && c.month == "2026-03"),
        "items count where and when their raid seized them: {all:?}"
    );

    let sihanouk = store
        .figure_counts(&FigureScope {
            provinces: Some(vec!["18".into()]),
            ..FigureScope::default()
        })
        .await
        .expect("18");
    assert_eq!(total(&sihanouk, Metric::Tips, ""), 2);
    assert_eq!(total(&sihanouk, Metric::Facilities, ""), 1);
    assert_eq!(total(&sihanouk, Metric::LocationsRaided, ""), 0);
    assert_eq!(total(&sihanouk, Metric::DevicesSeized, ""), 0);

    // [1 February 00:00 in Cambodia, 10 March 00:00 UTC): the late-January tip
    // is in, the raid on 10 March 09:00 in Cambodia is out.
    let period = store
        .figure_counts(&FigureScope {
            from: Some(at("2026-01-31T17:00:00Z")),
            to: Some(at("2026-03-10T00:00:00Z")),
            provinces: None,
        })
        .await
        .expect("period");
    assert_eq!(total(&period, Metric::Tips, ""), 2);
    assert_eq!(total(&period, Metric::Facilities, ""), 0);
    assert_eq!(total(&period, Metric::LocationsRaided, ""), 0);
    assert_eq!(total(&period, Metric::DevicesSeized, ""), 0);
}
