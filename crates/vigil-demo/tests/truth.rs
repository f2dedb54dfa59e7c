//! A small demo (1 % of the national scale) on every available backend: the
//! figures counted from the store equal the generator's ground truth, the
//! store follows one clock and holds screenings ([`realism`]), and a second
//! build into the same store is refused.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod realism;

use std::sync::Mutex;

use vigil_core::figures::{self, Period};
use vigil_demo::{DemoError, Plan, Progress};
use vigil_store::RecruiterStatus;
use vigil_testkit::{TestApp, backends};

#[derive(Default)]
struct Recorded(Mutex<Vec<(String, u64, u64)>>);

impl Progress for Recorded {
    fn stage(&self, label: &str, total: u64) {
        self.0.lock().unwrap().push((label.into(), total, 0));
    }
    fn advance(&self, n: u64) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.2 += n;
        }
    }
}

#[tokio::test]
async fn the_figures_equal_the_demo_truth() {
    for b in backends() {
        let app = TestApp::new(b, |_| {}).await;
        let v = &app.vigil;
        let plan = Plan::scaled(0.01);
        let progress = Recorded::default();
        let (truth, accounts) = vigil_demo::build(v, &plan, &progress).await.expect("demo");
        assert_eq!(truth.tips, plan.tips as u64);
        assert!(truth.facilities > 0);
        assert_eq!(truth.locations_raided, 25);
        assert_eq!(truth.devices_seized["computer"], 104);
        assert_eq!(truth.devices_seized["smartphone"], 365);
        assert_eq!(accounts.len(), 6);
        assert!(accounts.iter().all(|a| !a.setup_token.is_empty()));

        let f = figures::national(&v.figures, Period::default())
            .await
            .expect("figures");
        assert_eq!(f.tips, truth.tips);
        assert_eq!(f.facilities, truth.facilities);
        assert_eq!(f.locations_raided, truth.locations_raided);
        assert_eq!(f.networks_dismantled, truth.networks_dismantled);
        assert_eq!(f.devices_seized, truth.devices_seized);
        assert_eq!(f.persons_met, truth.persons_met);
        assert_eq!(f.persons_by_role, truth.persons_by_role);
        assert_eq!(f.victims_identified, truth.victims_identified);
        assert_eq!(f.victims_referred, truth.victims_referred);
        assert_eq!(f.cases, truth.cases);
        assert_eq!(f.named_cases, truth.named_cases);
        assert_eq!(f.defendants_prosecuted, truth.defendants_prosecuted);
        assert_eq!(f.defendants_convicted, truth.defendants_convicted);
        assert_eq!(f.deportations, truth.deportations);
        assert_eq!(f.detentions, truth.detentions);
        assert!(truth.detentions > 0 && truth.detentions < truth.deportations);
        assert_eq!(f.voluntary_departures, truth.voluntary_departures);
        assert_eq!(f.recruiters_arrested, truth.recruiters_arrested);
        assert_eq!(
            f.recruiters_arrested_foreign,
            truth.recruiters_arrested_foreign
        );
        assert_eq!(
            f.recruiters_arrested_by_province,
            truth.recruiters_arrested_by_province
        );
        assert_eq!(truth.recruiters_arrested, plan.recruiters_arrested as u64);
        assert!(
            truth.recruiters_arrested_foreign > 0
                && truth.recruiters_arrested_foreign < truth.recruiters_arrested,
            "domestic and foreign arrests: {truth:?}"
        );
        // Every arrest was made in a commune-level operation.
        assert_eq!(f.recruiters_arrested_by_commune.get(""), None);
        assert_eq!(
            f.recruiters_arrested_by_commune.values().sum::<u64>(),
            truth.recruiters_arrested
        );
        assert_eq!(truth.persons_met, plan.persons);
        assert_eq!(truth.defendants_prosecuted, plan.defendants as u64);
        assert_eq!(truth.deportations, plan.deportations as u64);
        assert_eq!(truth.voluntary_departures, plan.voluntary as u64);
        assert!(truth.victims_identified > 0 && truth.defendants_convicted > 0);

        // The Cambodian victims' home communes show their recruiters, and
        // the victims' contacts made one recruiter of each arrested one.
        let officer = {
            let row = v
                .store
                .staff_by_username("demo.officer")
                .await
                .expect("staff")
                .expect("officer");
            vigil_core::staff::Principal::of(&row)
        };
        let ranked = vigil_core::recruiters::prevention(
            &v.persons,
            &officer,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("prevention");
        assert!(ranked.len() >= 4, "{ranked:?}");
        let busiest = &ranked[0];
        assert!(
            busiest.victims.is_some_and(|n| n >= 3) && busiest.active_recruiters >= 1,
            "{busiest:?}"
        );
        let area = vigil_core::recruiters::area(&v.persons, &officer, &busiest.commune_code)
            .await
            .expect("area");
        assert!(area.recruiters.iter().any(|r| r.victims >= 1), "{area:?}");
        // Each arrested recruiter is the one their victims named: in the
        // commune of the arrest, with victims from there.
        for commune in f.recruiters_arrested_by_commune.keys() {
            let area = vigil_core::recruiters::area(&v.persons, &officer, commune)
                .await
                .expect("area");
            assert!(area.arrests >= 1, "{area:?}");
            assert!(
                area.recruiters
                    .iter()
                    .any(|r| r.status != RecruiterStatus::Sought && r.victims >= 1),
                "{area:?}"
            );
        }

        // Analysts confirmed the identifiers of the top facilities: the
        // partners' feed lists them, and the public check shows them.
        let admin = {
            let row = v
                .store
                .staff_by_username("demo.admin")
                .await
                .expect("staff")
                .expect("admin");
            vigil_core::staff::Principal::of(&row)
        };
        let feed = vigil_core::feed::current(&v.feed, &admin)
            .await
            .expect("feed");
        assert!(feed.count > 0, "confirmed values in the demo");
        let doc: serde_json::Value = serde_json::from_str(&feed.json).expect("json");
        let first = &doc["entries"][0];
        let checked = vigil_core::check::check_text(
            &v.check,
            &format!("t.me/x {}", first["value"].as_str().expect("value")),
        )
        .await
        .expect("check");
        assert!(
            checked.values.iter().any(|c| c.reported.standing.is_some()),
            "{first} {checked:?}"
        );

        // Every stage reported its steps to the end.
        let stages = progress.0.lock().unwrap().clone();
        let names: Vec<&str> = stages.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "tips",
                "facilities",
                "raids",
                "cases",
                "deportations",
                "voluntary departures",
                "screenings"
            ],
            "{stages:?}"
        );
        for (name, total, done) in &stages {
            assert_eq!(done, total, "stage {name}");
        }

        realism::operations_follow_the_clock(v).await;
        realism::cases_follow_the_clock(v).await;
        realism::screenings_are_there(v).await;

        let again = vigil_demo::build(v, &plan, &Recorded::default()).await;
        assert!(matches!(again, Err(DemoError::NotEmpty(_))), "{again:?}");
    }
}
