//! Conformance checks for the map's counts and for assignments.

use time::{Duration, OffsetDateTime};
use vigil_domain::{FacilityId, Jurisdiction, Role, TipId};

use super::{audit, created, sample_submission};
use crate::{Assignable, AssignmentRow, DynStore, FacilityWrite, NewStaff, PlaceCount};
use vigil_domain::AuditAction;

fn facility(id: i64, tips: &[TipId], priority: f64, province: &str) -> FacilityWrite {
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    FacilityWrite {
        id: FacilityId(id),
        tips: tips.to_vec(),
        priority,
        reasons: "[]".into(),
        name: String::new(),
        province_code: Some(province.into()),
        first_at: t0,
        last_at: t0,
    }
}

fn row(p: Option<&str>, d: Option<&str>, tips: i64, f: i64, top: Option<f64>) -> PlaceCount {
    PlaceCount {
        province_code: p.map(str::to_string),
        district_code: d.map(str::to_string),
        tips,
        facilities: f,
        top_priority: top,
    }
}

pub(super) async fn places_are_counted(store: DynStore) {
    let mut tips = Vec::new();
    for (n, (p, d)) in [
        (Some("18"), Some("1806")),
        (Some("18"), Some("1806")),
        (Some("18"), Some("1803")),
        (Some("18"), None),
        (Some("12"), Some("1201")),
        (None, None),
    ]
    .into_iter()
    .enumerate()
    {
        let mut sub = sample_submission(n as u32);
        sub.tip.location.province_code = p.map(str::to_string);
        sub.tip.location.district_code = d.map(str::to_string);
        tips.push(created(&store, sub).await);
    }
    store
        .save_facilities(
            &[
                // Two tips in 1806 and one in 1803.
                facility(1, &[tips[0], tips[1], tips[2]], 90.5, "18"),
                facility(2, &[tips[3]], 4.0, "18"),
                facility(3, &[tips[4]], 7.0, "12"),
            ],
            &[],
        )
        .await
        .expect("save");
    let all = store.place_counts(None).await.expect("counts");
    assert_eq!(
        all.provinces,
        vec![
            row(Some("12"), None, 1, 1, Some(7.0)),
            row(Some("18"), None, 4, 2, Some(90.5)),
            row(None, None, 1, 0, None),
        ]
    );
    assert_eq!(
        all.districts,
        vec![
            row(Some("12"), Some("1201"), 1, 1, Some(7.0)),
            row(Some("18"), None, 1, 1, Some(4.0)),
            row(Some("18"), Some("1803"), 1, 1, Some(90.5)),
            row(Some("18"), Some("1806"), 2, 1, Some(90.5)),
            row(None, None, 1, 0, None),
        ]
    );
    let scoped = store
        .place_counts(Some(&["12".to_string()]))
        .await
        .expect("scoped");
    assert_eq!(
        scoped.provinces,
        vec![row(Some("12"), None, 1, 1, Some(7.0))]
    );
    assert_eq!(scoped.districts.len(), 1);
}

pub(super) async fn assignments_replace_and_clear(store: DynStore) {
    let mut ids = Vec::new();
    for (name, role) in [("sok.officer", Role::Officer), ("dara", Role::Supervisor)] {
        ids.push(
            store
                .create_staff(
                    NewStaff {
                        username: name.into(),
                        display_name: name.into(),
                        role,
                        jurisdiction: Jurisdiction::National,
                    },
                    audit(AuditAction::StaffCreate),
                )
                .await
                .expect("staff"),
        );
    }
    let (officer, boss) = (ids[0], ids[1]);
    let tip = created(&store, sample_submission(1)).await;
    let t0 = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    let f = Assignable::Facility(FacilityId(7));
    assert_eq!(store.assignment(f).await.expect("none"), None);
    let first = AssignmentRow {
        object: f,
        staff: boss,
        assigned_by: boss,
        assigned_at: t0,
    };
    store
        .assign(first.clone(), audit(AuditAction::FacilityAssign))
        .await
        .expect("assign");
    assert_eq!(store.assignment(f).await.expect("one"), Some(first));
    // Reassigning replaces: one account per object.
    let second = AssignmentRow {
        object: f,
        staff: officer,
        assigned_by: boss,
        assigned_at: t0 + Duration::minutes(1),
    };
    store
        .assign(second.clone(), audit(AuditAction::FacilityAssign))
        .await
        .expect("reassign");
    let on_tip = AssignmentRow {
        object: Assignable::Tip(tip),
        staff: officer,
        assigned_by: boss,
        assigned_at: t0 + Duration::minutes(2),
    };
    store
        .assign(on_tip.clone(), audit(AuditAction::FacilityAssign))
        .await
        .expect("tip");
    assert_eq!(
        store.assignments_to(officer).await.expect("mine"),
        vec![on_tip, second],
        "newest first"
    );
    assert!(store.assignments_to(boss).await.expect("none").is_empty());
    store
        .unassign(f, audit(AuditAction::FacilityUnassign))
        .await
        .expect("clear");
    store
        .unassign(f, audit(AuditAction::FacilityUnassign))
        .await
        .expect("clearing twice is fine");
    assert_eq!(store.assignment(f).await.expect("gone"), None);
    assert_eq!(store.assignments_to(officer).await.expect("one").len(), 1);
    let trail = store.audit_after(0, 100).await.expect("audit");
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.entry.action == AuditAction::FacilityAssign)
            .count(),
        3
    );
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.entry.action == AuditAction::FacilityUnassign)
            .count(),
        2
    );
    assert_eq!(
        Assignable::from_stored(&Assignable::Tip(tip).to_stored()),
        Some(Assignable::Tip(tip))
    );
    assert_eq!(Assignable::from_stored("case:1"), None);
}
