//! What a test sets up without going through a page (accounts, an operation
//! and its seized items) and the stored state it asserts on (screenings,
//! departures, deportation orders), straight from the store. Tests of the
//! outer crates call these instead of naming the storage types themselves.

use time::OffsetDateTime;
use vigil_core::Vigil;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{AuditAction, Jurisdiction, Role, StaffId};
use vigil_store::{
    CustodyEntryRow, DepartureRow, DeportationOrderRow, ImmigrationFilter, NewOperation,
    NewSeizedItem, NewStaff, ScreeningRow, StoreError,
};

/// A staff account made by the system (as `vigil user add` does), not set up
/// yet: returns the one-time token for `vigil_core::staff::complete_setup`.
pub async fn staff_account(
    v: &Vigil,
    username: &str,
    display_name: &str,
    role: Role,
    jurisdiction: Jurisdiction,
) -> String {
    let (_, setup_token) = vigil_core::staff::create(
        &v.staff,
        NewStaff {
            username: username.into(),
            display_name: display_name.into(),
            role,
            jurisdiction,
        },
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("staff account {username}: {e}"));
    setup_token
}

/// Every stored screening, by id from 1 until one is missing.
pub async fn stored_screenings(v: &Vigil) -> Vec<ScreeningRow> {
    let mut out = Vec::new();
    for id in 1.. {
        match v.store.screening(id).await {
            Ok(r) => out.push(r),
            Err(StoreError::NotFound) => break,
            Err(e) => panic!("screening {id}: {e}"),
        }
    }
    out
}

/// Every stored departure, unfiltered.
pub async fn stored_departures(v: &Vigil) -> Vec<DepartureRow> {
    v.store
        .departures(&ImmigrationFilter::default())
        .await
        .expect("departures")
}

/// Every stored deportation order, unfiltered, newest first.
pub async fn stored_deportation_orders(v: &Vigil) -> Vec<DeportationOrderRow> {
    v.store
        .deportation_orders(&ImmigrationFilter::default())
        .await
        .expect("deportation orders")
}

/// An operation done just now in `province_code` (led by the police, at a
/// compound, linked to no facility), recorded by `by`: its id.
pub async fn done_operation(
    v: &Vigil,
    reference: &str,
    title: &str,
    province_code: &str,
    by: StaffId,
) -> i64 {
    let at = OffsetDateTime::now_utc();
    v.store
        .create_operation(
            &NewOperation {
                reference: reference.into(),
                title: title.into(),
                lead_agency: "Police".into(),
                partners: vec![],
                planned_for: None,
                happened_at: Some(at),
                province_code: province_code.into(),
                district_code: None,
                commune_code: None,
                place: "Compound".into(),
                status: "done".into(),
                outcome: String::new(),
                network_id: None,
                facilities: vec![],
                created_by: by,
                created_at: at,
            },
            system(AuditAction::OperationCreate),
        )
        .await
        .unwrap_or_else(|e| panic!("operation {reference}: {e}"))
}

/// An operation done at `at` against facility `facility` in `province_code`
/// (a raid), recorded by `by`: its id.
pub async fn raid_on(
    v: &Vigil,
    reference: &str,
    province_code: &str,
    facility: i64,
    at: OffsetDateTime,
    by: StaffId,
) -> i64 {
    v.store
        .create_operation(
            &NewOperation {
                reference: reference.into(),
                title: "Raid".into(),
                lead_agency: "Police".into(),
                partners: vec![],
                planned_for: None,
                happened_at: Some(at),
                province_code: province_code.into(),
                district_code: None,
                commune_code: None,
                place: "Compound".into(),
                status: "done".into(),
                outcome: String::new(),
                network_id: None,
                facilities: vec![vigil_domain::FacilityId(facility)],
                created_by: by,
                created_at: at,
            },
            system(AuditAction::OperationCreate),
        )
        .await
        .unwrap_or_else(|e| panic!("operation {reference}: {e}"))
}

/// One item of `kind` seized just now in `operation` and held by `holder`,
/// with no serial or IMEI: its id. Its seizure is the custody chain's only
/// entry, with placeholder JSON and hashes (the chain is not verified).
pub async fn seized_item(
    v: &Vigil,
    operation: i64,
    reference: &str,
    kind: &str,
    description: &str,
    holder: &str,
) -> i64 {
    let item = NewSeizedItem {
        reference: reference.into(),
        kind: kind.into(),
        serial: None,
        imei: None,
        iccid: None,
        card_last4: None,
        cash_amount: None,
        cash_currency: None,
        description: description.into(),
        image_sha256: None,
        item_json: "{}".into(),
        holder: holder.into(),
        seizure: CustodyEntryRow {
            step: 1,
            kind: "seizure".into(),
            at: OffsetDateTime::now_utc(),
            event_json: "{}".into(),
            prev_hash: "0".into(),
            hash: "h".into(),
        },
    };
    let ids = v
        .store
        .insert_seized_items(operation, &[item], system(AuditAction::EvidenceSeize))
        .await
        .unwrap_or_else(|e| panic!("item {reference}: {e}"));
    ids[0]
}

fn system(action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        actor: "system".into(),
        action,
        object: String::new(),
        detail: String::new(),
    }
}

/// A report from the web form (no photo) of `text` in `province`, stored as
/// a reporter's would be; its tip id.
pub async fn reported(
    v: &Vigil,
    category: vigil_domain::Category,
    text: &str,
    province: &str,
) -> vigil_domain::TipId {
    vigil_core::intake::submit(
        &v.intake,
        vigil_core::intake::TipRequest {
            tip: vigil_domain::NewTip {
                channel: vigil_domain::Channel::Web,
                category,
                text: text.into(),
                location: vigil_domain::Location {
                    province_code: Some(province.into()),
                    ..vigil_domain::Location::default()
                },
                danger: vigil_domain::DangerFlags::default(),
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: Some("km".into()),
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("report {text:?}: {e}"))
    .tip_id
}

/// Replaces a stored facility's reasons with `reasons_json` as written (to
/// stand for a row written by an older version), keeping everything else.
pub async fn facility_reasons_stored(
    v: &Vigil,
    id: vigil_domain::FacilityId,
    reasons_json: &str,
) -> Result<(), StoreError> {
    let (row, tips) = v.store.facility(id).await?;
    v.store
        .save_facilities(
            &[vigil_store::FacilityWrite {
                id,
                tips,
                priority: row.priority,
                reasons: reasons_json.to_string(),
                name: String::new(),
                province_code: row.province_code,
                first_at: row.first_at,
                last_at: row.last_at,
            }],
            &[],
        )
        .await
}
