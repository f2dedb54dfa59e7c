//! `vigil stats` as a process, on every available backend, after a
//! supervisor awarded two rewards and one was claimed, and an officer
//! arrested a Cambodian recruiter in a commune of Prey Veng: the JSON keys
//! `rewards_awarded`, `rewards_claimed` and `recruiters_arrested` are numbers
//! that count them, `recruiters_arrested_by_province` and `_by_commune` are
//! objects keyed by code, and the text format prints the same.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::process::Command;

use serde_json::Value;
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, PersonInput};
use vigil_core::staff::Principal;
use vigil_core::{Vigil, rewards};
use vigil_domain::gazetteer::gazetteer;
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

/// A recruiter from a village of `commune`, arrested there by `officer`.
async fn arrest_recruiter(v: &Vigil, officer: &Principal, commune: &str, village: &str) {
    let op = operations::plan(
        &v.operations,
        officer,
        &OperationInput {
            reference: "OP-ARREST-1".into(),
            title: "Arrest of a recruiter".into(),
            lead_agency: "Anti-Human Trafficking Police".into(),
            happened_at: "2026-11-20T05:00:00+07:00".into(),
            province_code: commune[..2].into(),
            district_code: commune[..4].into(),
            commune_code: commune.into(),
            place: "The recruiter's house".into(),
            status: "done".into(),
            outcome: "Recruiter arrested".into(),
            ..OperationInput::default()
        },
    )
    .await
    .expect("operation");
    persons::record(
        &v.persons,
        officer,
        op,
        &PersonInput {
            role: "recruiter".into(),
            nationality: "KH".into(),
            language: "km".into(),
            sex: "m".into(),
            given_name: "Phal".into(),
            family_name: "Meas".into(),
            home_village: village.into(),
            contacts: "012 345 678, t.me/agent_phal".into(),
            arrested: true,
            ..PersonInput::default()
        },
    )
    .await
    .expect("recruiter");
}

#[tokio::test]
async fn stats_count_rewards_awarded_and_claimed() {
    let g = gazetteer();
    let village = g
        .units()
        .iter()
        .find(|u| u.code.len() == 8 && u.code.starts_with("14"))
        .expect("a village of Prey Veng");
    let commune = village.code[..6].to_string();
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
            arrest_recruiter(&v, &sup, &commune, &village.code).await;
        }
        let vigil_stats = |format: &str| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"));
            c.args(["stats", "--format", format, "--data-dir"])
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
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let stats: Value = serde_json::from_str(&vigil_stats("json")).expect("json");
        assert_eq!(stats["rewards_awarded"].as_u64(), Some(2), "{stats}");
        assert_eq!(stats["rewards_claimed"].as_u64(), Some(1), "{stats}");
        assert_eq!(stats["tips"].as_u64(), Some(2), "{stats}");
        assert_eq!(stats["recruiters_arrested"].as_u64(), Some(1), "{stats}");
        assert_eq!(
            stats["recruiters_arrested_domestic"].as_u64(),
            Some(1),
            "{stats}"
        );
        assert_eq!(
            stats["recruiters_arrested_foreign"].as_u64(),
            Some(0),
            "{stats}"
        );
        assert_eq!(
            stats["recruiters_arrested_by_province"],
            serde_json::json!({"14": 1}),
            "{stats}"
        );
        assert_eq!(
            stats["recruiters_arrested_by_commune"],
            serde_json::json!({ commune.as_str(): 1 }),
            "{stats}"
        );
        let text = vigil_stats("text");
        for line in [
            "recruiters_arrested\t1".to_string(),
            "recruiters_arrested_foreign\t0".to_string(),
            "recruiters_arrested_by_province.14\t1".to_string(),
            format!("recruiters_arrested_by_commune.{commune}\t1"),
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from {text}"
            );
        }
    }
}
