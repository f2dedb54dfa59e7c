//! Local recruiters end to end, on SQLite and (with
//! `VIGIL_TEST_POSTGRES_URL`) on PostgreSQL: victims recorded with their
//! home villages and the recruiter's contacts in any format become one
//! recruiter, met and arrested later under another spelling of the same
//! number; the recruiter's page within and outside the jurisdiction, with
//! and without names; the commune view with small counts hidden; the
//! prevention list; the arrest in the figures; the contacts on the exit
//! screening watchlist.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff};

use vigil_core::CoreError;
use vigil_core::figures::{self, Period};
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, PersonInput};
use vigil_core::recruiters;
use vigil_core::screening::{self, WatchlistView};
use vigil_domain::Role;
use vigil_domain::gazetteer::{Level, gazetteer};
use vigil_store::RecruiterStatus;

/// A commune with at least two villages, in province `province`.
fn commune_with_villages(province: &str) -> (String, Vec<String>) {
    let g = gazetteer();
    for d in g.children(province) {
        for c in g.children(&d.code) {
            let villages: Vec<String> = g.children(&c.code).map(|v| v.code.clone()).collect();
            if villages.len() >= 2 {
                return (c.code.clone(), villages);
            }
        }
    }
    panic!("no commune with villages in {province}");
}

fn op_input(reference: &str, commune: &str) -> OperationInput {
    OperationInput {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "Anti-Human Trafficking Police".into(),
        happened_at: "2026-11-20T05:00:00+07:00".into(),
        province_code: commune[..2].into(),
        district_code: commune[..4].into(),
        commune_code: commune.into(),
        place: "Compound".into(),
        status: "done".into(),
        outcome: "Raided".into(),
        ..OperationInput::default()
    }
}

fn victim(given: &str, home: &str, contacts: &str) -> PersonInput {
    PersonInput {
        role: "victim".into(),
        nationality: "KH".into(),
        language: "km".into(),
        sex: "f".into(),
        given_name: given.into(),
        family_name: "Chan".into(),
        home_village: home.into(),
        contacts: contacts.into(),
        promised_job: "Casino cashier, 1,500 USD a month".into(),
        route: "Van to the border at night".into(),
        indicators: vec!["cannot_leave".into()],
        ..PersonInput::default()
    }
}

async fn scenario(env: &Env) {
    let v = &env.v;
    let g = gazetteer();
    let officer = staff(v, "sok.officer", Role::Officer, &["12", "14"]).await;
    let far = staff(v, "far.officer", Role::Officer, &["18"]).await;
    let immigration = staff(v, "immigration", Role::Immigration, &[]).await;
    let supervisor = staff(v, "supervisor", Role::Supervisor, &[]).await;

    // Victims from one commune of Prey Veng, met in a raid in Phnom Penh.
    let (home_commune, villages) = commune_with_villages("14");
    let (raid_commune, _) = commune_with_villages("12");
    let raid = operations::plan(&v.operations, &officer, &op_input("OP-R-1", &raid_commune))
        .await
        .expect("raid");
    let village_a = g.get(&villages[0]).expect("village a");
    let commune = g.get(&home_commune).expect("commune");
    // By code, by name with its commune, in Khmer.
    let by_name = format!("{}, {}", village_a.name_en, commune.name_en);
    let by_khmer = format!("{}, {}", village_a.name_km, commune.name_km);
    let ids = persons::record_batch(
        &v.persons,
        &officer,
        raid,
        &[
            victim("Sokha", &villages[0], "he called from 012 345 678"),
            victim("Dara", &by_name, "+855 12 345 678 and telegram @Agent_Phal"),
            victim("Srey", &by_khmer, "@agent_phal"),
            victim("Vanna", &villages[1], "t.me/agent_phal"),
        ],
    )
    .await
    .expect("victims");
    assert_eq!(ids.len(), 4);

    // A contact with no identifier in it is refused, naming the field.
    match persons::record(
        &v.persons,
        &officer,
        raid,
        &victim("Nary", &villages[0], "a kind man from the market"),
    )
    .await
    {
        Err(CoreError::InvalidField(fe)) => assert_eq!(fe.field, "contacts"),
        other => panic!("expected a field error, got {other:?}"),
    }

    // The four victims name one recruiter (shared number and handle).
    let of_victim = recruiters::of_person(&v.persons, &officer, ids[0].1)
        .await
        .expect("of person");
    assert_eq!(of_victim.len(), 1, "{of_victim:?}");
    let recruiter_id = of_victim[0];
    for (_, person) in &ids[1..] {
        assert_eq!(
            recruiters::of_person(&v.persons, &officer, *person)
                .await
                .expect("of person"),
            vec![recruiter_id]
        );
    }
    let page = recruiters::recruiter(&v.persons, &officer, recruiter_id)
        .await
        .expect("page");
    assert_eq!(page.status, RecruiterStatus::Sought);
    assert_eq!(page.victims.len(), 4);
    assert_eq!(page.communes.get(&home_commune), Some(&4));
    assert!(
        page.contacts
            .iter()
            .any(|(_, k, val)| k == "phone" && val == "+85512345678")
    );
    assert!(page.contacts.iter().any(|(_, k, _)| k == "telegram"));
    assert_eq!(page.victims[0].name.as_deref(), Some("Sokha Chan"));
    assert_eq!(
        page.victims[1]
            .home
            .as_ref()
            .map(|h| h.village_code.as_str()),
        Some(villages[0].as_str())
    );

    // The recruiter is met at home, in a commune-level operation, and
    // arrested: the same number typed another way.
    let arrest_op = operations::plan(&v.operations, &officer, &op_input("OP-R-2", &home_commune))
        .await
        .expect("arrest op");
    let (_, recruiter_person) = persons::record(
        &v.persons,
        &officer,
        arrest_op,
        &PersonInput {
            role: "recruiter".into(),
            nationality: "KH".into(),
            language: "km".into(),
            sex: "m".into(),
            given_name: "Phal".into(),
            family_name: "Meas".into(),
            home_village: villages[1].clone(),
            contacts: "(+855) 12-345-678".into(),
            arrested: true,
            ..PersonInput::default()
        },
    )
    .await
    .expect("recruiter met");
    assert_eq!(
        recruiters::of_person(&v.persons, &officer, recruiter_person)
            .await
            .expect("of recruiter"),
        vec![recruiter_id]
    );
    let page = recruiters::recruiter(&v.persons, &officer, recruiter_id)
        .await
        .expect("page");
    assert_eq!(page.status, RecruiterStatus::Arrested);
    assert_eq!(page.name.as_deref(), Some("Phal Meas"));
    assert_eq!(page.arrests.len(), 1);
    assert_eq!(
        page.arrests[0].commune_code.as_deref(),
        Some(home_commune.as_str())
    );
    assert!(!page.arrests[0].foreign_national);
    assert_eq!(page.nationalities, vec!["KH".to_string()]);

    // Outside the jurisdiction: not found. Immigration reads without names.
    assert!(matches!(
        recruiters::recruiter(&v.persons, &far, recruiter_id).await,
        Err(CoreError::NotFound)
    ));
    let theirs = recruiters::recruiter(&v.persons, &immigration, recruiter_id)
        .await
        .expect("immigration");
    assert!(theirs.name.is_none() && theirs.victims.iter().all(|x| x.name.is_none()));

    // The commune view: the recruiter, villages with small counts hidden,
    // the arrest there.
    let area = recruiters::area(&v.persons, &officer, &home_commune)
        .await
        .expect("area");
    assert_eq!(area.recruiters.len(), 1);
    assert_eq!(area.recruiters[0].id, recruiter_id);
    assert_eq!(area.recruiters[0].victims, 4);
    assert_eq!(area.victims, Some(4));
    let shown: std::collections::BTreeMap<_, _> = area.villages.iter().cloned().collect();
    assert_eq!(shown.get(&villages[0]), Some(&Some(3)));
    assert_eq!(shown.get(&villages[1]), Some(&None), "one victim: hidden");
    assert_eq!(area.arrests, 1);
    assert!(matches!(
        recruiters::area(&v.persons, &far, &home_commune).await,
        Err(CoreError::NotFound)
    ));
    let district = recruiters::area(&v.persons, &officer, &home_commune[..4])
        .await
        .expect("district");
    assert_eq!(district.recruiters.len(), 1);
    assert!(
        g.get(&home_commune)
            .is_some_and(|u| u.level == Level::Commune)
    );

    // The prevention list puts the victims' commune first.
    let ranked = recruiters::prevention(&v.persons, &officer, time::OffsetDateTime::now_utc())
        .await
        .expect("prevention");
    assert_eq!(ranked[0].commune_code, home_commune);
    assert_eq!(ranked[0].victims, Some(4));
    assert!(ranked[0].active_recruiters >= 1);

    // The figures count the arrest, domestic, in Prey Veng.
    let f = figures::national(&v.figures, Period::default())
        .await
        .expect("figures");
    assert_eq!(f.recruiters_arrested, 1);
    assert_eq!(f.recruiters_arrested_domestic, 1);
    assert_eq!(f.recruiters_arrested_foreign, 0);
    assert_eq!(f.recruiters_arrested_by_province.get("14"), Some(&1));
    assert_eq!(
        f.recruiters_arrested_by_commune.get(&home_commune),
        Some(&1)
    );
    let mine = figures::for_staff(&v.figures, &supervisor, Period::default(), Some("12"))
        .await
        .expect("12");
    assert_eq!(mine.recruiters_arrested, 0);

    // The exit screening watchlist knows the recruiter's number.
    let w = screening::watchlist(&v.screening, &WatchlistView::operator())
        .await
        .expect("watchlist");
    let hits = w.find("my agent's number is 012 345 678");
    assert!(
        hits.iter()
            .any(|(_, labels)| labels.contains(&recruiters::watchlist_label(recruiter_id))),
        "{hits:?}"
    );
}

#[tokio::test]
async fn recruiters_on_every_backend() {
    for env in envs("recruiters").await {
        scenario(&env).await;
    }
}
