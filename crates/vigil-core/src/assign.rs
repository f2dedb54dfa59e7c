//! Assigning facilities and tips to accounts: an analyst or supervisor (or
//! an admin) gives an object within their jurisdiction to an account that
//! can see it; the account finds it under "assigned to me". Every
//! assignment and its removal is on the audit chain.

use time::OffsetDateTime;
use vigil_domain::{AssignKind, AuditAction, Capability, FacilityId, TipId};
use vigil_store::{Assignable, AssignmentRow, StaffRow};

use crate::views::{Facility, Target, Tip};

use crate::CoreError;
use crate::desk::DeskService;
use crate::desk::ReasonView;
use crate::staff::Principal;

/// An assignment as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentView {
    /// The account it is assigned to: sign-in name.
    pub username: String,
    /// Its name shown to colleagues.
    pub display_name: String,
    /// Who assigned it (name shown to colleagues).
    pub by: String,
    /// When.
    pub at: OffsetDateTime,
}

/// An account an object may be assigned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Sign-in name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Its role.
    pub role: vigil_domain::Role,
}

fn may_assign(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::TriageTips) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// The province of an object the principal may see; `NotFound` otherwise.
async fn visible(
    v: &DeskService,
    p: &Principal,
    object: Assignable,
) -> Result<Option<String>, CoreError> {
    if !p.role.can(Capability::ReadTips) {
        return Err(CoreError::Forbidden);
    }
    let province = match object {
        Assignable::Facility(id) => v.store.facility(id).await?.0.province_code,
        Assignable::Tip(id) => v.store.tip(id).await?.location.province_code,
    };
    if p.jurisdiction.covers(province.as_deref()) {
        Ok(province)
    } else {
        Err(CoreError::NotFound)
    }
}

/// Whether an account may be given an object placed in `province`: it is
/// active, works cases (analyst, officer or supervisor) and can see it.
fn eligible(s: &StaffRow, province: Option<&str>) -> bool {
    !s.disabled && s.role.can(Capability::TakeAssignments) && s.jurisdiction.covers(province)
}

/// Who an object may be assigned to, officers first, then by name.
pub async fn candidates(
    v: &DeskService,
    p: &Principal,
    object: Target,
) -> Result<Vec<Candidate>, CoreError> {
    may_assign(p)?;
    let object = Assignable::from(object);
    let province = visible(v, p, object).await?;
    let mut out: Vec<Candidate> = v
        .store
        .list_staff()
        .await?
        .into_iter()
        .filter(|s| eligible(s, province.as_deref()))
        .map(|s| Candidate {
            username: s.username,
            display_name: s.display_name,
            role: s.role,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.role != vigil_domain::Role::Officer, &a.username)
            .cmp(&(b.role != vigil_domain::Role::Officer, &b.username))
    });
    Ok(out)
}

/// The assignment of an object the principal may see.
pub async fn assignment(
    v: &DeskService,
    p: &Principal,
    object: Target,
) -> Result<Option<AssignmentView>, CoreError> {
    let object = Assignable::from(object);
    visible(v, p, object).await?;
    let Some(row) = v.store.assignment(object).await? else {
        return Ok(None);
    };
    let to = v.store.staff(row.staff).await?;
    let by = v.store.staff(row.assigned_by).await?;
    Ok(Some(AssignmentView {
        username: to.username,
        display_name: to.display_name,
        by: by.display_name,
        at: row.assigned_at,
    }))
}

/// What kind of object is assigned.
fn kind_of(object: Assignable) -> AssignKind {
    match object {
        Assignable::Facility(_) => AssignKind::Facility,
        Assignable::Tip(_) => AssignKind::Tip,
    }
}

/// Assigns an object to the account `username` (which must be able to see
/// it), replacing any earlier assignment; audited.
pub async fn assign(
    v: &DeskService,
    p: &Principal,
    object: Target,
    username: &str,
) -> Result<(), CoreError> {
    may_assign(p)?;
    let object = Assignable::from(object);
    let province = visible(v, p, object).await?;
    let to = v
        .store
        .staff_by_username(username.trim())
        .await?
        .filter(|s| eligible(s, province.as_deref()))
        .ok_or_else(|| {
            crate::error::invalid(
                "to",
                (
                    crate::field::FieldMessage::NotAssignable,
                    "value",
                    username.trim(),
                ),
            )
        })?;
    let key = object.to_stored();
    v.store
        .assign(
            AssignmentRow {
                object,
                staff: to.id,
                assigned_by: p.id,
                assigned_at: OffsetDateTime::now_utc(),
            },
            p.audit(
                AuditAction::assign(kind_of(object)),
                key.clone(),
                format!("staff:{}", to.username),
            ),
        )
        .await?;
    Ok(())
}

/// Clears an object's assignment; audited.
pub async fn unassign(v: &DeskService, p: &Principal, object: Target) -> Result<(), CoreError> {
    let object = Assignable::from(object);
    may_assign(p)?;
    visible(v, p, object).await?;
    let key = object.to_stored();
    v.store
        .unassign(
            object,
            p.audit(AuditAction::unassign(kind_of(object)), key, String::new()),
        )
        .await?;
    Ok(())
}

/// What is assigned to the principal and still within their jurisdiction.
#[derive(Debug, Clone, Default)]
pub struct Mine {
    /// Facilities, newest assignment first, with their reasons.
    pub facilities: Vec<(Facility, Vec<ReasonView>)>,
    /// Tips, newest assignment first.
    pub tips: Vec<Tip>,
}

/// What is assigned to the principal ("assigned to me"). A facility that
/// reclustering removed, or an object that left the jurisdiction, is skipped.
pub async fn mine(v: &DeskService, p: &Principal) -> Result<Mine, CoreError> {
    if !p.role.can(Capability::ReadTips) {
        return Err(CoreError::Forbidden);
    }
    let mut out = Mine::default();
    for row in v.store.assignments_to(p.id).await? {
        match row.object {
            Assignable::Facility(FacilityId(id)) => match v.store.facility(FacilityId(id)).await {
                Ok((f, _)) if p.jurisdiction.covers(f.province_code.as_deref()) => {
                    let reasons = serde_json::from_str(&f.reasons).unwrap_or_default();
                    out.facilities.push((f.into(), reasons));
                }
                Ok(_) | Err(vigil_store::StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            },
            Assignable::Tip(TipId(id)) => match v.store.tip(TipId(id)).await {
                Ok(t) if p.jurisdiction.covers(t.location.province_code.as_deref()) => {
                    out.tips.push(t.into());
                }
                Ok(_) | Err(vigil_store::StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            },
        }
    }
    Ok(out)
}
