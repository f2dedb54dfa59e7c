//! Rewards: one per tip, claimed once, each write with its one audit entry
//! (a refused write leaves none), and counted in the figures by the day
//! awarded or claimed and the tip's province.

use time::OffsetDateTime;
use vigil_domain::{AuditAction, RewardReason, StaffId, TipId};

use super::operations::officer;
use super::{audit, created, sample_submission};
use crate::{DynStore, FigureScope, Metric, NewReward, StoreError};

async fn entries(store: &DynStore) -> usize {
    store.audit_after(0, -1).await.expect("audit").len()
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).expect("time")
}

fn reward(tip: TipId, by: StaffId, n: u8, when: i64) -> NewReward {
    NewReward {
        tip_id: tip,
        reason: RewardReason::Rescue,
        code_sealed: vec![9, 9, n],
        code_hash: vec![b'h', n],
        awarded_by: by,
        awarded_at: at(when),
    }
}

pub(super) async fn rewards_award_once_and_claim_once(store: DynStore) {
    let by = officer(&store).await;
    let tip = created(&store, sample_submission(1)).await;
    let other = created(&store, sample_submission(2)).await;
    assert_eq!(store.reward_of(tip).await.expect("none yet"), None);

    let n = entries(&store).await;
    let r = reward(tip, by, 1, 1_767_000_000);
    store
        .award_reward(&r, audit(AuditAction::RewardAward))
        .await
        .expect("award");
    assert_eq!(entries(&store).await, n + 1, "an award is audited");
    let last = store.audit_after(0, -1).await.expect("audit");
    let last = last.last().expect("entry");
    assert_eq!(last.entry.action, AuditAction::RewardAward);
    assert_eq!(last.entry.object, format!("tip:{tip}"));
    super::assert_keyed_chain(&store.audit_after(0, -1).await.expect("chain"));

    let stored = store.reward_of(tip).await.expect("read").expect("some");
    assert_eq!(stored.tip_id, tip);
    assert_eq!(stored.reason, RewardReason::Rescue);
    assert_eq!(stored.code_sealed, r.code_sealed);
    assert_eq!(stored.awarded_by, by);
    assert_eq!(stored.awarded_at, r.awarded_at);
    assert_eq!((stored.claimed_by, stored.claimed_at), (None, None));
    assert_eq!(
        store.reward_by_code(&r.code_hash).await.expect("by code"),
        Some(stored.clone())
    );
    assert_eq!(store.reward_by_code(b"no such").await.expect("none"), None);

    // A second award for the tip, even with another code, is refused whole.
    let again = reward(tip, by, 2, 1_767_000_100);
    assert!(matches!(
        store
            .award_reward(&again, audit(AuditAction::RewardAward))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.reward_by_code(&again.code_hash).await.expect("no"),
        None
    );
    // A code hash is unique across tips too; an unknown tip is not found.
    assert!(matches!(
        store
            .award_reward(
                &reward(other, by, 1, 1_767_000_100),
                audit(AuditAction::RewardAward)
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .award_reward(
                &reward(TipId(999_999), by, 3, 1_767_000_100),
                audit(AuditAction::RewardAward)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        entries(&store).await,
        n + 1,
        "refused awards are not audited"
    );
    assert_eq!(store.reward_of(other).await.expect("none"), None);

    // Claimed once.
    let claimed = store
        .claim_reward(
            &r.code_hash,
            by,
            at(1_767_100_000),
            audit(AuditAction::RewardClaim),
        )
        .await
        .expect("claim");
    assert_eq!(claimed.tip_id, tip);
    assert_eq!(claimed.claimed_by, Some(by));
    assert_eq!(claimed.claimed_at, Some(at(1_767_100_000)));
    assert_eq!(store.reward_of(tip).await.expect("read"), Some(claimed));
    assert_eq!(entries(&store).await, n + 2, "a claim is audited");
    let last = store.audit_after(0, -1).await.expect("audit");
    let last = last.last().expect("entry");
    assert_eq!(last.entry.action, AuditAction::RewardClaim);
    assert_eq!(last.entry.object, format!("tip:{tip}"));

    assert!(matches!(
        store
            .claim_reward(
                &r.code_hash,
                by,
                at(1_767_200_000),
                audit(AuditAction::RewardClaim)
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .claim_reward(
                b"no such",
                by,
                at(1_767_200_000),
                audit(AuditAction::RewardClaim)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        entries(&store).await,
        n + 2,
        "refused claims are not audited"
    );
    let kept = store.reward_of(tip).await.expect("read").expect("some");
    assert_eq!(
        kept.claimed_at,
        Some(at(1_767_100_000)),
        "the first claim stays"
    );
}

pub(super) async fn concurrent_awards_and_claims_keep_one(store: DynStore) {
    let by = officer(&store).await;
    let tip = created(&store, sample_submission(1)).await;
    let n = entries(&store).await;
    let awards = (0..4u8).map(|i| {
        let store = store.clone();
        async move {
            store
                .award_reward(
                    &reward(tip, by, 10 + i, 1_767_000_000),
                    audit(AuditAction::RewardAward),
                )
                .await
        }
    });
    let results = futures::future::join_all(awards).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(()) | Err(StoreError::Conflict(_)))),
        "{results:?}"
    );
    let code = store
        .reward_of(tip)
        .await
        .expect("read")
        .expect("one")
        .code_sealed[2];
    let claims = (0..4).map(|_| {
        let store = store.clone();
        async move {
            store
                .claim_reward(
                    &[b'h', code],
                    by,
                    at(1_767_100_000),
                    audit(AuditAction::RewardClaim),
                )
                .await
        }
    });
    let results = futures::future::join_all(claims).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(_) | Err(StoreError::Conflict(_)))),
        "{results:?}"
    );
    assert_eq!(entries(&store).await, n + 2, "one award, one claim");
}

pub(super) async fn rewards_are_counted_in_the_figures(store: DynStore) {
    let by = officer(&store).await;
    let mut tips = Vec::new();
    for (n, province) in [(1, "18"), (2, "12"), (3, "12")] {
        let mut sub = sample_submission(n);
        sub.tip.location.province_code = Some(province.into());
        tips.push(created(&store, sub).await);
    }
    // Awarded on 31 January at 18:00 UTC (February in Cambodia) and in
    // March; the first one claimed in April.
    let jan31 = 1_769_882_400; // 2026-01-31T18:00:00Z
    let mar5 = 1_772_683_200; // 2026-03-05T04:00:00Z
    let apr2 = 1_775_102_400; // 2026-04-02T04:00:00Z
    store
        .award_reward(
            &reward(tips[0], by, 1, jan31),
            audit(AuditAction::RewardAward),
        )
        .await
        .expect("award 1");
    store
        .award_reward(
            &reward(tips[1], by, 2, mar5),
            audit(AuditAction::RewardAward),
        )
        .await
        .expect("award 2");
    store
        .claim_reward(&[b'h', 1], by, at(apr2), audit(AuditAction::RewardClaim))
        .await
        .expect("claim");

    let total = |counts: &[crate::FigureCount], metric| -> u64 {
        counts
            .iter()
            .filter(|c| c.metric == metric)
            .map(|c| c.count)
            .sum()
    };
    let all = store
        .figure_counts(&FigureScope::default())
        .await
        .expect("counts");
    assert_eq!(total(&all, Metric::RewardsAwarded), 2);
    assert_eq!(total(&all, Metric::RewardsClaimed), 1);
    let months = |metric| -> Vec<(Option<String>, String)> {
        all.iter()
            .filter(|c| c.metric == metric)
            .map(|c| (c.province.clone(), c.month.clone()))
            .collect()
    };
    assert_eq!(
        months(Metric::RewardsAwarded),
        vec![
            (Some("12".into()), "2026-03".into()),
            (Some("18".into()), "2026-02".into())
        ],
        "by the tip's province and the day awarded in Cambodia"
    );
    assert_eq!(
        months(Metric::RewardsClaimed),
        vec![(Some("18".into()), "2026-04".into())],
        "a claim counts on the day claimed"
    );

    let phnom_penh = store
        .figure_counts(&FigureScope {
            provinces: Some(vec!["12".into()]),
            ..FigureScope::default()
        })
        .await
        .expect("12");
    assert_eq!(total(&phnom_penh, Metric::RewardsAwarded), 1);
    assert_eq!(total(&phnom_penh, Metric::RewardsClaimed), 0);

    // [1 March, 1 April): the March award only, no claim.
    let march = store
        .figure_counts(&FigureScope {
            from: Some(at(1_772_298_000)), // 2026-03-01T00:00:00+07:00
            to: Some(at(1_774_976_400)),   // 2026-04-01T00:00:00+07:00
            provinces: None,
        })
        .await
        .expect("march");
    assert_eq!(total(&march, Metric::RewardsAwarded), 1);
    assert_eq!(total(&march, Metric::RewardsClaimed), 0);
}
