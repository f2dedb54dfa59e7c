//! The accounts pages' rules: only admins list, create, change, disable and
//! reset accounts; nobody locks the last active admin out, and an admin
//! never disables or demotes their own account. Every change is on the
//! audit chain under the admin's name.

use time::OffsetDateTime;
use vigil_domain::{AuditAction, Capability, Jurisdiction, Role, StaffId};
use vigil_store::{NewStaff, StaffRow, StaffUpdate};

use super::{Principal, StaffService, create, setup_link};
use crate::CoreError;
use crate::field::FieldMessage;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    /// Set up and allowed to sign in.
    Active,
    /// Created or reset; its setup link is not used yet.
    PendingSetup,
    /// Disabled: cannot sign in.
    Disabled,
}

impl AccountStatus {
    /// A stable name (for message ids and markup).
    pub fn name(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::PendingSetup => "pending",
            AccountStatus::Disabled => "disabled",
        }
    }

    fn of(r: &StaffRow) -> Self {
        if r.disabled {
            AccountStatus::Disabled
        } else if r.password_hash.is_none() {
            AccountStatus::PendingSetup
        } else {
            AccountStatus::Active
        }
    }
}

/// One account as an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    /// Id.
    pub id: StaffId,
    /// Sign-in name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Where the account may look.
    pub jurisdiction: Jurisdiction,
    /// Active, pending setup or disabled.
    pub status: AccountStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

impl From<&StaffRow> for AccountLine {
    fn from(r: &StaffRow) -> Self {
        AccountLine {
            id: r.id,
            username: r.username.clone(),
            display_name: r.display_name.clone(),
            role: r.role,
            jurisdiction: r.jurisdiction.clone(),
            status: AccountStatus::of(r),
            created_at: r.created_at,
        }
    }
}

fn require_admin(by: &Principal) -> Result<(), CoreError> {
    if by.role.can(Capability::Administer) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// Every account, by username.
pub async fn list(v: &StaffService, by: &Principal) -> Result<Vec<AccountLine>, CoreError> {
    require_admin(by)?;
    Ok(v.store
        .list_staff()
        .await?
        .iter()
        .map(AccountLine::from)
        .collect())
}

/// One account.
pub async fn account(
    v: &StaffService,
    by: &Principal,
    id: StaffId,
) -> Result<AccountLine, CoreError> {
    require_admin(by)?;
    Ok(AccountLine::from(&v.store.staff(id).await?))
}

/// Creates an account; the one-time setup token to hand over.
pub async fn create_account(
    v: &StaffService,
    by: &Principal,
    new: NewStaff,
) -> Result<(StaffId, String), CoreError> {
    require_admin(by)?;
    let display_name = new.display_name.trim();
    if display_name.is_empty() {
        return Err(crate::error::invalid(
            "display_name",
            FieldMessage::Required,
        ));
    }
    if display_name.chars().count() > 80 {
        return Err(crate::error::invalid(
            "display_name",
            (FieldMessage::TooLong, "max", 80),
        ));
    }
    let new = NewStaff {
        username: new.username.trim().to_lowercase(),
        display_name: display_name.to_string(),
        ..new
    };
    create(v, new, Some(by)).await
}

/// Active admins other than `except`.
async fn other_active_admins(v: &StaffService, except: StaffId) -> Result<usize, CoreError> {
    Ok(v.store
        .list_staff()
        .await?
        .iter()
        .filter(|r| r.id != except && r.role == Role::Admin)
        .filter(|r| AccountStatus::of(r) == AccountStatus::Active)
        .count())
}

/// Refuses to take admin rights from `target` when that would lock admins
/// out: their own account, or the last active admin.
async fn keep_an_admin(
    v: &StaffService,
    by: &Principal,
    target: &StaffRow,
    field: &str,
) -> Result<(), CoreError> {
    if target.role != Role::Admin {
        return Ok(());
    }
    if target.id == by.id {
        return Err(crate::error::invalid(field, FieldMessage::OwnAccount));
    }
    if AccountStatus::of(target) == AccountStatus::Active
        && other_active_admins(v, target.id).await? == 0
    {
        return Err(crate::error::invalid(field, FieldMessage::LastAdmin));
    }
    Ok(())
}

/// Changes an account's role and jurisdiction. Takes effect on the
/// account's next request.
pub async fn change(
    v: &StaffService,
    by: &Principal,
    id: StaffId,
    role: Role,
    jurisdiction: Jurisdiction,
) -> Result<(), CoreError> {
    require_admin(by)?;
    let target = v.store.staff(id).await?;
    if role != Role::Admin {
        keep_an_admin(v, by, &target, "role").await?;
    }
    let detail = format!(
        "role={} jurisdiction={}",
        role.as_str(),
        jurisdiction.to_stored()
    );
    v.store
        .update_staff(
            id,
            StaffUpdate {
                role: Some(role),
                jurisdiction: Some(jurisdiction),
                ..StaffUpdate::default()
            },
            by.audit(AuditAction::StaffChange, format!("staff:{id}"), detail),
        )
        .await?;
    Ok(())
}

/// Disables an account once `confirmed`; its sessions and tokens end.
pub async fn disable_account(
    v: &StaffService,
    by: &Principal,
    id: StaffId,
    confirmed: bool,
) -> Result<(), CoreError> {
    require_admin(by)?;
    let target = v.store.staff(id).await?;
    keep_an_admin(v, by, &target, "confirm").await?;
    if !confirmed {
        return Err(crate::error::invalid("confirm", FieldMessage::Required));
    }
    super::admin::disable_row(
        v,
        &target,
        by.audit(
            AuditAction::StaffDisable,
            format!("staff:{id}"),
            String::new(),
        ),
    )
    .await
}

/// Resets an account once `confirmed`: its password and second factor are
/// cleared, its sessions end, it is enabled again; the new setup token.
pub async fn reset_account(
    v: &StaffService,
    by: &Principal,
    id: StaffId,
    confirmed: bool,
) -> Result<String, CoreError> {
    require_admin(by)?;
    let target = v.store.staff(id).await?;
    if target.id == by.id {
        return Err(crate::error::invalid("confirm", FieldMessage::OwnAccount));
    }
    if !confirmed {
        return Err(crate::error::invalid("confirm", FieldMessage::Required));
    }
    super::admin::reset_row(
        v,
        &target,
        by.audit(
            AuditAction::StaffReset,
            format!("staff:{id}"),
            String::new(),
        ),
    )
    .await?;
    setup_link(v, target.id).await
}
