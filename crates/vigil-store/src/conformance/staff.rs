//! Conformance checks for staff accounts, tokens and the staff tip list.

use time::{Duration, OffsetDateTime};
use vigil_domain::{Jurisdiction, Role, StaffId};

use super::{audit, created, sample_submission};
use crate::{DynStore, NewStaff, StaffUpdate, StoreError, TipQuery, TokenPurpose, TokenRow};
use vigil_domain::AuditAction;

fn analyst(name: &str, provinces: &[&str]) -> NewStaff {
    NewStaff {
        username: name.into(),
        display_name: format!("{name} (ភ្នាក់ងារ)"),
        role: Role::Analyst,
        jurisdiction: if provinces.is_empty() {
            Jurisdiction::National
        } else {
            Jurisdiction::Provinces(provinces.iter().map(|p| p.to_string()).collect())
        },
    }
}

pub(super) async fn staff_accounts(store: DynStore) {
    let id = store
        .create_staff(
            analyst("dara", &["12", "18"]),
            audit(AuditAction::StaffCreate),
        )
        .await
        .expect("create");
    let err = store
        .create_staff(analyst("dara", &[]), audit(AuditAction::StaffCreate))
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    let row = store.staff(id).await.expect("staff");
    assert_eq!(row.username, "dara");
    assert_eq!(row.display_name, "dara (ភ្នាក់ងារ)");
    assert_eq!(row.role, Role::Analyst);
    assert_eq!(
        row.jurisdiction,
        Jurisdiction::Provinces(vec!["12".into(), "18".into()])
    );
    assert_eq!(row.password_hash, None);
    assert!(!row.disabled);
    store
        .update_staff(
            id,
            StaffUpdate {
                password_hash: Some(Some("$argon2id$x".into())),
                totp_secret_enc: Some(Some(vec![1, 2, 3])),
                totp_last_step: Some(42),
                end_tokens: Vec::new(),
                ..StaffUpdate::default()
            },
            audit(AuditAction::StaffReset),
        )
        .await
        .expect("update");
    let row = store
        .staff_by_username("dara")
        .await
        .expect("by name")
        .expect("found");
    assert_eq!(row.password_hash.as_deref(), Some("$argon2id$x"));
    assert_eq!(row.totp_secret_enc, Some(vec![1, 2, 3]));
    assert_eq!(row.totp_last_step, 42);
    store
        .update_staff(
            id,
            StaffUpdate {
                password_hash: Some(None),
                disabled: Some(true),
                ..StaffUpdate::default()
            },
            audit(AuditAction::StaffDisable),
        )
        .await
        .expect("disable");
    let row = store.staff(id).await.expect("staff");
    assert!(row.disabled && row.password_hash.is_none());
    assert_eq!(row.totp_secret_enc, Some(vec![1, 2, 3]));
    assert!(matches!(
        store
            .update_staff(
                StaffId(9999),
                StaffUpdate::default(),
                audit(AuditAction::OperationUpdate)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.staff(StaffId(9999)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.staff_by_username("nobody").await.expect("none"), None);
    store
        .create_staff(analyst("bopha", &[]), audit(AuditAction::StaffCreate))
        .await
        .expect("create");
    let names: Vec<String> = store
        .list_staff()
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.username)
        .collect();
    assert_eq!(names, vec!["bopha".to_string(), "dara".to_string()]);
    // Account writes are on the audit chain.
    let actions: Vec<&str> = store
        .audit_after(0, 100)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.entry.action.name())
        .collect();
    assert_eq!(
        actions,
        vec![
            "staff.create",
            "staff.reset",
            "staff.disable",
            "staff.create"
        ]
    );
}

pub(super) async fn staff_role_change(store: DynStore) {
    let id = store
        .create_staff(analyst("sokha", &["12"]), audit(AuditAction::StaffCreate))
        .await
        .expect("create");
    store
        .update_staff(
            id,
            StaffUpdate {
                role: Some(Role::Officer),
                jurisdiction: Some(Jurisdiction::Provinces(vec!["02".into(), "17".into()])),
                ..StaffUpdate::default()
            },
            audit(AuditAction::StaffChange),
        )
        .await
        .expect("change");
    let row = store.staff(id).await.expect("staff");
    assert_eq!(row.role, Role::Officer);
    assert_eq!(
        row.jurisdiction,
        Jurisdiction::Provinces(vec!["02".into(), "17".into()])
    );
    assert_eq!(row.display_name, "sokha (ភ្នាក់ងារ)");
    store
        .update_staff(
            id,
            StaffUpdate {
                jurisdiction: Some(Jurisdiction::National),
                ..StaffUpdate::default()
            },
            audit(AuditAction::StaffChange),
        )
        .await
        .expect("national");
    let row = store.staff(id).await.expect("staff");
    assert_eq!(row.role, Role::Officer, "a role left out stays");
    assert_eq!(row.jurisdiction, Jurisdiction::National);
    let actions: Vec<&str> = store
        .audit_after(0, 100)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.entry.action.name())
        .collect();
    assert_eq!(
        actions,
        vec!["staff.create", "staff.change", "staff.change"]
    );
}

pub(super) async fn staff_tokens(store: DynStore) {
    let id = store
        .create_staff(analyst("dara", &[]), audit(AuditAction::StaffCreate))
        .await
        .expect("create");
    let now = OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("time");
    let token = |hash: &[u8], purpose, expires_at| TokenRow {
        hash: hash.to_vec(),
        staff_id: id,
        purpose,
        name: String::new(),
        csrf: Some("csrf-1".into()),
        created_at: now,
        last_seen_at: now,
        expires_at,
    };
    let session = token(b"s1", TokenPurpose::Session, Some(now + Duration::hours(1)));
    let audited = store.audit_after(0, -1).await.expect("audit").len();
    store
        .put_token(session.clone(), &[], audit(AuditAction::StaffSignIn))
        .await
        .expect("put");
    assert_eq!(
        store.audit_after(0, -1).await.expect("audit").len(),
        audited + 1,
        "a new token is audited in its own transaction"
    );
    store
        .put_token(
            token(b"a1", TokenPurpose::Api, None),
            &[],
            audit(AuditAction::StaffTokenCreate),
        )
        .await
        .expect("put");
    store
        .put_token(
            token(
                b"p1",
                TokenPurpose::Pending,
                Some(now + Duration::minutes(5)),
            ),
            &[],
            audit(AuditAction::StaffTokenCreate),
        )
        .await
        .expect("put");
    assert!(matches!(
        store
            .put_token(session.clone(), &[], audit(AuditAction::StaffTokenCreate))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.token(b"s1", now).await.expect("get"), Some(session));
    assert_eq!(
        store
            .token(b"s1", now + Duration::hours(2))
            .await
            .expect("expired"),
        None
    );
    assert!(
        store
            .token(b"a1", now + Duration::days(900))
            .await
            .expect("api")
            .is_some()
    );
    store
        .touch_token(
            b"s1",
            now + Duration::minutes(30),
            Some(now + Duration::hours(3)),
        )
        .await
        .expect("touch");
    let t = store
        .token(b"s1", now + Duration::hours(2))
        .await
        .expect("get")
        .expect("still valid");
    assert_eq!(t.last_seen_at, now + Duration::minutes(30));
    assert_eq!(
        store
            .delete_expired_tokens(now + Duration::minutes(10))
            .await
            .expect("expire"),
        1,
        "only the pending sign-in had expired"
    );
    // A second setup link replaces the first, in one transaction.
    store
        .put_token(
            token(b"u1", TokenPurpose::Setup, None),
            &[TokenPurpose::Setup],
            audit(AuditAction::StaffSetupLink),
        )
        .await
        .expect("setup");
    store
        .put_token(
            token(b"u2", TokenPurpose::Setup, None),
            &[TokenPurpose::Setup],
            audit(AuditAction::StaffSetupLink),
        )
        .await
        .expect("setup again");
    assert_eq!(store.token(b"u1", now).await.expect("replaced"), None);
    assert!(store.token(b"u2", now).await.expect("new").is_some());
    // Disabling ends the chosen kinds of tokens with the same write.
    let audited = store.audit_after(0, -1).await.expect("audit").len();
    store
        .update_staff(
            id,
            StaffUpdate {
                disabled: Some(true),
                end_tokens: vec![TokenPurpose::Session, TokenPurpose::Pending],
                ..StaffUpdate::default()
            },
            audit(AuditAction::StaffDisable),
        )
        .await
        .expect("disable");
    assert_eq!(
        store.audit_after(0, -1).await.expect("audit").len(),
        audited + 1
    );
    assert_eq!(store.token(b"s1", now).await.expect("gone"), None);
    assert!(store.token(b"a1", now).await.expect("kept").is_some());
    store
        .delete_token(b"a1", audit(AuditAction::StaffSignOut))
        .await
        .expect("delete");
    assert_eq!(store.token(b"a1", now).await.expect("gone"), None);
    assert_eq!(
        store.audit_after(0, -1).await.expect("audit").len(),
        audited + 2
    );
}

pub(super) async fn staff_tip_list(store: DynStore) {
    let mut ids = Vec::new();
    for (n, province, dangerous) in [
        (1, Some("12"), false),
        (2, Some("18"), true),
        (3, None, false),
        (4, Some("18"), false),
        (5, Some("01"), true),
    ] {
        let mut s = sample_submission(n);
        s.tip.location.province_code = province.map(str::to_string);
        s.tip.location.district_code = None;
        s.tip.danger.held = dangerous;
        s.tip.danger.violence = false;
        ids.push(created(&store, s).await);
    }
    let all = TipQuery {
        limit: 10,
        ..TipQuery::default()
    };
    let (tips, total) = store.list_tips(&all).await.expect("list");
    assert_eq!(total, 5);
    let order: Vec<_> = tips.iter().map(|t| t.id).collect();
    // Danger first, then newest.
    assert_eq!(order, vec![ids[4], ids[1], ids[3], ids[2], ids[0]]);
    let q = TipQuery {
        provinces: Some(vec!["18".into(), "12".into()]),
        limit: 2,
        offset: 1,
        ..TipQuery::default()
    };
    let (tips, total) = store.list_tips(&q).await.expect("list");
    assert_eq!(total, 3, "a tip with no province is not in any province");
    assert_eq!(
        tips.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![ids[3], ids[0]]
    );
    let none = TipQuery {
        provinces: Some(vec![]),
        limit: 10,
        ..TipQuery::default()
    };
    assert_eq!(store.list_tips(&none).await.expect("list").1, 0);
}
