//! Recruiters: one by shared contacts (merging those a record joins), a
//! recruiter met in person joins the one their contacts name, a hub value
//! joins nobody, arrests land in the figures, and a refused batch leaves no
//! recruiter behind.

use super::audit;
use super::persons::{operation, record};
use crate::{
    DynStore, FigureScope, HomeVillage, Metric, NewStaff, ObservableMode, PersonLink,
    RecruiterStatus, Recruitment,
};
use vigil_domain::{AuditAction, Jurisdiction, Role, StaffId};

async fn officer(store: &DynStore) -> StaffId {
    store
        .create_staff(
            NewStaff {
                username: "vanna.officer".into(),
                display_name: "Vanna".into(),
                role: Role::Officer,
                jurisdiction: Jurisdiction::National,
            },
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("staff")
}

fn home(village: &str) -> HomeVillage {
    HomeVillage {
        village_code: village.into(),
        commune_code: village[..6].into(),
        district_code: village[..4].into(),
        province_code: village[..2].into(),
    }
}

fn recruited(contacts: &[(&str, &str)], job: &str) -> Recruitment {
    Recruitment {
        contacts: contacts
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        promised_job: job.into(),
        route: "by van".into(),
    }
}

pub(super) async fn recruiters_join_by_contacts_and_merge(store: DynStore) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-K1", "12", by).await;
    let victim = |village: &str, contacts: &[(&str, &str)]| {
        let mut r = record("12", "victim", "KH", by);
        r.keys = Vec::new();
        r.home = Some(home(village));
        r.recruitment = Some(recruited(contacts, "cashier"));
        r
    };
    let phone = ("phone", "+85512345678");
    let handle = ("telegram", "agent_phal");
    let hub = ("phone", "+85523999999");
    // A value an admin marked as a hub joins nobody.
    let first = store
        .insert_person_records(
            Some(op),
            &[
                victim("14010101", &[phone, hub]),
                victim("14010102", &[handle]),
            ],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("first");
    let hub_row = store
        .observable(hub.0, hub.1)
        .await
        .expect("observable")
        .expect("the contact is an observable");
    store
        .set_observable_mode(
            hub_row.id,
            ObservableMode::Hub,
            audit(AuditAction::ObservableMode),
        )
        .await
        .expect("hub");
    let origins = store
        .record_origins(&[first[0].0, first[1].0])
        .await
        .expect("origins");
    let a = origins[&first[0].0].recruiter_id.expect("a");
    let b = origins[&first[1].0].recruiter_id.expect("b");
    assert_ne!(a, b, "no shared contact yet: two recruiters");
    assert_eq!(
        origins[&first[0].0]
            .home
            .as_ref()
            .map(|h| h.commune_code.as_str()),
        Some("140101")
    );
    let stranger = store
        .insert_person_records(
            Some(op),
            &[victim("14010103", &[hub])],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("stranger");
    let c = store.record_origins(&[stranger[0].0]).await.expect("o")[&stranger[0].0]
        .recruiter_id
        .expect("c");
    assert!(c != a && c != b, "a hub value glues nobody");

    // A victim naming both makes them one: the older kept.
    let both = store
        .insert_person_records(
            Some(op),
            &[victim("14010101", &[handle, phone])],
            audit(AuditAction::PersonsRecord),
        )
        .await
        .expect("both");
    let kept = a.min(b);
    let row = store.recruiter(a.max(b)).await.expect("merged one");
    assert_eq!(row.id, kept, "a merged recruiter reads as the one kept");
    assert_eq!(row.victims.len(), 3);
    assert_eq!(row.status, RecruiterStatus::Sought);
    assert!(
        row.contacts
            .iter()
            .any(|(_, k, v)| k == "telegram" && v == "agent_phal")
    );
    assert_eq!(
        store.record_origins(&[both[0].0]).await.expect("o")[&both[0].0].recruiter_id,
        Some(kept)
    );
    // A recruitment without contacts keeps its job and route, no recruiter.
    let mut quiet = victim("14010104", &[]);
    quiet.recruitment = Some(recruited(&[], "farm work in Thailand"));
    let quiet = store
        .insert_person_records(Some(op), &[quiet], audit(AuditAction::PersonsRecord))
        .await
        .expect("quiet");
    let o = &store.record_origins(&[quiet[0].0]).await.expect("o")[&quiet[0].0];
    assert_eq!(
        (o.recruiter_id, o.promised_job.as_str()),
        (None, "farm work in Thailand")
    );

    // Met in person in another operation, foreign, arrested: the handle
    // names the recruiter already known.
    let arrest_op = operation(&store, "OP-K2", "14", by).await;
    let mut met = record("14", "recruiter", "VN", by);
    met.keys = Vec::new();
    met.home = Some(home("14010101"));
    met.recruitment = Some(recruited(&[handle], ""));
    met.arrested = true;
    let met = store
        .insert_person_records(Some(arrest_op), &[met], audit(AuditAction::PersonsRecord))
        .await
        .expect("met");
    let row = store.recruiter(kept).await.expect("recruiter");
    assert_eq!(row.person_id, Some(met[0].1));
    assert_eq!(row.records.len(), 1);
    assert_eq!(row.arrests.len(), 1);
    assert!(row.arrests[0].foreign_national);
    assert_eq!(row.status, RecruiterStatus::Arrested);
    assert_eq!(
        store.recruiter_of_person(met[0].1).await.expect("of"),
        Some(kept)
    );
    assert!(row.provinces().contains(&"14".to_string()));

    let counts = store
        .figure_counts(&FigureScope::default())
        .await
        .expect("figures");
    let arrested: Vec<_> = counts
        .iter()
        .filter(|c| c.metric == Metric::RecruitersArrested)
        .collect();
    assert_eq!(arrested.len(), 1, "{arrested:?}");
    assert_eq!(
        (
            arrested[0].key.as_str(),
            arrested[0].province.as_deref(),
            arrested[0].count
        ),
        ("foreign", Some("14"), 1)
    );
    let listed = store
        .recruiters(Some(&["14".to_string()]), 10)
        .await
        .expect("list");
    assert_eq!(listed.len(), 2, "the victims' homes are in Prey Veng");
    assert_eq!(
        (listed[0].id, listed[0].victims),
        (kept, 3),
        "most victims first"
    );
    assert!(
        store
            .recruiters(Some(&["18".to_string()]), 10)
            .await
            .expect("18")
            .is_empty(),
        "nobody touches Preah Sihanouk"
    );
    let contacts = store.recruiter_contacts().await.expect("contacts");
    assert!(
        contacts.iter().all(|(k, _, _)| *k != a.max(b)),
        "merged ones are gone"
    );
}

pub(super) async fn a_refused_batch_leaves_no_recruiter(store: DynStore) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-K3", "12", by).await;
    let mut good = record("12", "victim", "KH", by);
    good.recruitment = Some(recruited(&[("phone", "+85510000001")], "cook"));
    let mut bad = record("12", "victim", "KH", by);
    bad.link = PersonLink::SameAs(5);
    store
        .insert_person_records(Some(op), &[good, bad], audit(AuditAction::PersonsRecord))
        .await
        .expect_err("refused");
    assert!(
        store
            .recruiter_contacts()
            .await
            .expect("contacts")
            .is_empty()
    );
    assert!(store.recruiters(None, 10).await.expect("list").is_empty());
}

pub(super) async fn an_area_counts_tips_placed_in_it_or_naming_it(store: DynStore) {
    use super::{created, sample_submission};
    let mut placed = sample_submission(1);
    placed.tip.location.province_code = Some("14".into());
    placed.tip.location.district_code = Some("1401".into());
    placed.tip.location.commune_code = Some("140101".into());
    let placed = created(&store, placed).await;
    let mut named = sample_submission(2);
    named.tip.location.province_code = Some("12".into());
    let named = created(&store, named).await;
    let mut elsewhere = sample_submission(3);
    elsewhere.tip.location.province_code = Some("14".into());
    let elsewhere = created(&store, elsewhere).await;
    // The second tip's text names a village of the commune, the third a
    // village of another commune.
    store
        .record_sightings(
            "pipeline",
            vigil_domain::EventSeq(3),
            &[
                crate::TipObservables {
                    tip_id: named,
                    values: vec![("place".into(), "14010102".into())],
                },
                crate::TipObservables {
                    tip_id: elsewhere,
                    values: vec![("place".into(), "14010201".into())],
                },
            ],
        )
        .await
        .expect("sightings");
    let commune = store
        .area_recruitment(&crate::Area::Commune("140101".into()), 10)
        .await
        .expect("commune");
    let mut tips = commune.recent_tips.clone();
    tips.sort();
    assert_eq!(tips, vec![placed, named]);
    assert_eq!(commune.tips_by_month.values().sum::<u64>(), 2);
    let district = store
        .area_recruitment(&crate::Area::District("1401".into()), 10)
        .await
        .expect("district");
    assert_eq!(
        district.recent_tips.len(),
        3,
        "all three lie in the district"
    );
    let other = store
        .area_recruitment(&crate::Area::Commune("140103".into()), 10)
        .await
        .expect("other");
    assert!(other.recent_tips.is_empty() && other.recruiters.is_empty());
}

pub(super) async fn concurrent_records_naming_the_same_contacts_make_one_recruiter(
    store: DynStore,
) {
    let by = officer(&store).await;
    let op = operation(&store, "OP-K4", "12", by).await;
    // Sixteen writers at once, each naming the same three new contacts in
    // its own order: nobody deadlocks, nothing is lost, one recruiter.
    let contacts = [
        ("phone", "+85512000111"),
        ("telegram", "agent_sok"),
        ("whatsapp", "+85512000111"),
    ];
    // The values are known already from a tip, so no insert makes one
    // writer wait for another: only the store's own serialising does.
    let tip = super::created(&store, super::sample_submission(9)).await;
    store
        .record_sightings(
            "pipeline",
            vigil_domain::EventSeq(1),
            &[crate::TipObservables {
                tip_id: tip,
                values: contacts
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
            }],
        )
        .await
        .expect("sightings");
    let writers = (0..16).map(|i| {
        let store = store.clone();
        async move {
            let mut mine: Vec<(&str, &str)> = contacts.to_vec();
            mine.rotate_left(i % 3);
            if i % 2 == 1 {
                mine.reverse();
            }
            let mut r = record("12", "victim", "KH", by);
            r.keys = Vec::new();
            r.recruitment = Some(recruited(&mine, "factory work"));
            store
                .insert_person_records(Some(op), &[r], audit(AuditAction::PersonsRecord))
                .await
        }
    });
    let done = futures::future::join_all(writers).await;
    let mut records = Vec::new();
    for d in done {
        records.push(d.expect("recorded")[0].0);
    }
    let origins = store.record_origins(&records).await.expect("origins");
    let mut recruiters: Vec<i64> = origins.values().filter_map(|o| o.recruiter_id).collect();
    recruiters.sort_unstable();
    recruiters.dedup();
    assert_eq!(recruiters.len(), 1, "{recruiters:?}");
    assert_eq!(
        store
            .recruiter(recruiters[0])
            .await
            .expect("one")
            .victims
            .len(),
        16
    );
}
