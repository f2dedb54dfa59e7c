//! Rewards end to end through `vigil-core`, on SQLite and (with
//! `VIGIL_TEST_POSTGRES_URL`) on PostgreSQL: who may award (supervisors and
//! admins, within their jurisdiction), one award per tip, the code in the
//! reporter's thread and never on the staff's page, a claim once by the code
//! as typed at the counter, the audit entries, and the figures.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff};

use vigil_core::figures::{self, Period};
use vigil_core::intake::Submitted;
use vigil_core::{CoreError, FieldMessage, Vigil, desk, followup, rewards};
use vigil_domain::{AuditAction, Category, RewardReason, Role};

async fn tip_in(v: &Vigil, province: &str) -> Submitted {
    common::report(
        v,
        Category::ScamCompound,
        "Workers held in the blue building, passports taken",
        province,
    )
    .await
}

async fn actions(v: &Vigil) -> Vec<(AuditAction, String, String)> {
    v.store
        .audit_after(0, -1)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| (e.entry.action, e.entry.object, e.entry.actor))
        .collect()
}

fn field(e: CoreError) -> (String, FieldMessage) {
    match e {
        CoreError::InvalidField(fe) => (fe.field, fe.message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn each(env: Env) {
    let v = &env.v;
    let sup = staff(v, "dara.sup", Role::Supervisor, &["18"]).await;
    let analyst = staff(v, "sok.analyst", Role::Analyst, &[]).await;
    let elsewhere = staff(v, "vanna.sup", Role::Supervisor, &["12"]).await;
    let admin = staff(v, "root", Role::Admin, &[]).await;
    let sent = tip_in(v, "18").await;
    let tip = sent.tip_id;
    let before = actions(v).await.len();

    // Who may: an analyst is forbidden, a supervisor of another province
    // does not see the tip, nothing is stored by either.
    assert!(matches!(
        rewards::award(&v.rewards, &analyst, tip, RewardReason::Raid).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        rewards::award(&v.rewards, &elsewhere, tip, RewardReason::Raid).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        rewards::award(
            &v.rewards,
            &sup,
            vigil_domain::TipId(999_999),
            RewardReason::Raid
        )
        .await,
        Err(CoreError::NotFound)
    ));
    assert_eq!(actions(v).await.len(), before, "refusals are not audited");
    assert_eq!(rewards::status_of(&v.rewards, tip).await.unwrap(), None);

    // The supervisor of the province awards; once.
    let awarded = rewards::award(&v.rewards, &sup, tip, RewardReason::Rescue)
        .await
        .expect("award");
    assert_eq!(awarded.reason, RewardReason::Rescue);
    assert_eq!(awarded.claimed_at, None);
    let log = actions(v).await;
    assert_eq!(log.len(), before + 1);
    assert_eq!(
        log.last().unwrap(),
        &(
            AuditAction::RewardAward,
            format!("tip:{tip}"),
            "staff:dara.sup".to_string()
        )
    );
    let again = rewards::award(&v.rewards, &admin, tip, RewardReason::Raid)
        .await
        .unwrap_err();
    assert_eq!(
        field(again),
        ("reason".to_string(), FieldMessage::RewardAlreadyAwarded)
    );
    assert_eq!(actions(v).await.len(), before + 1);

    // The reporter reads the code with the receipt; staff see the award only.
    let thread = followup::open(&v.intake, sent.receipt.digits(), None)
        .await
        .expect("thread");
    let reward = thread.reward.expect("the thread shows the reward");
    let code = reward.code.clone();
    assert_eq!(
        rewards::normalise(&code).map(|r| r.len()),
        Some(9),
        "{code}"
    );
    assert_eq!(reward.status, awarded);
    let page = desk::tip(&v.desk, &sup, tip).await.expect("tip page");
    assert_eq!(page.reward, Some(awarded.clone()));
    assert_eq!(page.thread.reward, None, "staff never see the code");
    // Nothing of the code is stored in the clear.
    let row = v.store.reward_of(tip).await.unwrap().unwrap();
    assert!(
        !row.code_sealed
            .windows(code.len())
            .any(|w| w == code.as_bytes())
    );

    // Claims: an analyst may not, a supervisor elsewhere does not know the
    // code, a wrong or malformed code is unknown.
    assert!(matches!(
        rewards::claim(&v.rewards, &analyst, &code).await,
        Err(CoreError::Forbidden)
    ));
    for (who, typed) in [
        (&elsewhere, code.as_str()),
        (&sup, "K7P-4QX-9MZ"),
        (&sup, "not a code"),
        (&sup, ""),
    ] {
        let refused = rewards::claim(&v.rewards, who, typed).await.unwrap_err();
        assert_eq!(
            field(refused),
            ("code".to_string(), FieldMessage::RewardCodeUnknown),
            "{typed}"
        );
    }
    let mark = actions(v).await.len();
    // Typed at the counter in lower case with spaces: the same code.
    let typed = code.replace('-', " ").to_lowercase();
    let claimed = rewards::claim(&v.rewards, &sup, &typed)
        .await
        .expect("claim");
    assert_eq!(claimed.tip_id, tip);
    assert!(claimed.claimed_at.is_some());
    let log = actions(v).await;
    assert_eq!(log.len(), mark + 1);
    assert_eq!(
        log.last().unwrap(),
        &(
            AuditAction::RewardClaim,
            format!("tip:{tip}"),
            "staff:dara.sup".to_string()
        )
    );
    let twice = rewards::claim(&v.rewards, &admin, &code).await.unwrap_err();
    match twice {
        CoreError::InvalidField(fe) => {
            assert_eq!(fe.field, "code");
            assert_eq!(fe.message, FieldMessage::RewardAlreadyClaimed);
            assert!(fe.get("date").is_some_and(|d| d.len() == 10), "{fe}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(actions(v).await.len(), mark + 1, "claimed once");
    let thread = followup::open(&v.intake, sent.receipt.digits(), None)
        .await
        .expect("thread");
    assert!(thread.reward.unwrap().status.claimed_at.is_some());

    // The figures: national, and a supervisor's own province only.
    let other = tip_in(v, "12").await;
    rewards::award(&v.rewards, &elsewhere, other.tip_id, RewardReason::Arrest)
        .await
        .expect("award in 12");
    let national = figures::national(&v.figures, Period::default())
        .await
        .expect("figures");
    assert_eq!((national.rewards_awarded, national.rewards_claimed), (2, 1));
    let mine = figures::for_staff(&v.figures, &sup, Period::default(), None)
        .await
        .expect("mine");
    assert_eq!((mine.rewards_awarded, mine.rewards_claimed), (1, 1));
    assert_eq!(
        mine.by_province
            .get("18")
            .and_then(|r| r.get("rewards_awarded")),
        Some(&1)
    );
}

#[tokio::test]
async fn supervisors_award_once_reporters_read_the_code_and_it_is_claimed_once() {
    for env in envs("rewards").await {
        each(env).await;
    }
}
