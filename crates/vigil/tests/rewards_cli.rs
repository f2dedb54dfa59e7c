//! `vigil stats --format json` as a process, on every available backend,
//! after a supervisor awarded two rewards and one was claimed: the keys
//! `rewards_awarded` and `rewards_claimed` are numbers that count them.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::process::Command;

use serde_json::Value;
use vigil_core::staff::Principal;
use vigil_core::{Vigil, rewards};
use vigil_domain::{Category, Jurisdiction, RewardReason, Role, TipId};
use vigil_testkit::{TestDb, backends, reported, staff_account};

async fn tip(v: &Vigil) -> TipId {
    reported(
        v,
        Category::ScamCompound,
        "people held behind the casino",
        "18",
    )
    .await
}

#[tokio::test]
async fn stats_count_rewards_awarded_and_claimed() {
    for b in backends() {
        let db = TestDb::new(b).await;
        {
            let v = vigil_backends::open(db.settings()).await.expect("open");
            staff_account(&v, "dara", "Dara", Role::Supervisor, Jurisdiction::National).await;
            let row = v
                .store
                .staff_by_username("dara")
                .await
                .expect("staff")
                .expect("dara");
            let sup = Principal::of(&row);
            let (a, b) = (tip(&v).await, tip(&v).await);
            rewards::award(&v.rewards, &sup, a, RewardReason::Raid)
                .await
                .expect("award a");
            rewards::award(&v.rewards, &sup, b, RewardReason::Seizure)
                .await
                .expect("award b");
            let thread = vigil_core::followup::thread_of(&v.intake, a)
                .await
                .expect("thread");
            let code = thread.reward.expect("reward").code;
            rewards::claim(&v.rewards, &sup, &code)
                .await
                .expect("claim");
        }
        let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"));
        c.args(["stats", "--format", "json", "--data-dir"])
            .arg(db.dir.path());
        if db.url.is_empty() {
            c.env_remove("VIGIL_DATABASE_URL");
        } else {
            c.env("VIGIL_DATABASE_URL", &db.url);
        }
        let out = c.output().expect("run vigil");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stats: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(stats["rewards_awarded"].as_u64(), Some(2), "{stats}");
        assert_eq!(stats["rewards_claimed"].as_u64(), Some(1), "{stats}");
        assert_eq!(stats["tips"].as_u64(), Some(2), "{stats}");
    }
}
