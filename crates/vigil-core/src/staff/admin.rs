//! Account administration: API tokens, disabling and resetting accounts.

use time::OffsetDateTime;
use vigil_domain::AuditAction;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{StaffRow, StaffUpdate, TokenPurpose, TokenRow};

use super::{Principal, StaffService, new_token, setup_link, system, token_hash};
use crate::CoreError;

/// Creates an API token for an account; the token is returned once.
pub async fn create_api_token(
    v: &StaffService,
    username: &str,
    name: &str,
) -> Result<String, CoreError> {
    let staff = by_username(v, username).await?;
    let token = format!("vgl_{}", new_token()?);
    let now = OffsetDateTime::now_utc();
    v.store
        .put_token(
            TokenRow {
                hash: token_hash(v, &token),
                staff_id: staff.id,
                purpose: TokenPurpose::Api,
                name: name.to_string(),
                csrf: None,
                created_at: now,
                last_seen_at: now,
                expires_at: None,
            },
            &[],
            NewAuditEntry {
                detail: name.to_string(),
                object: format!("staff:{}", staff.id),
                ..system(AuditAction::StaffTokenCreate)
            },
        )
        .await?;
    Ok(token)
}

/// The account an API token belongs to, if the token is live.
pub async fn api_principal(v: &StaffService, token: &str) -> Result<Option<Principal>, CoreError> {
    let Some(row) = v
        .store
        .token(&token_hash(v, token), OffsetDateTime::now_utc())
        .await?
        .filter(|t| t.purpose == TokenPurpose::Api)
    else {
        return Ok(None);
    };
    let staff = v.store.staff(row.staff_id).await?;
    Ok((!staff.disabled).then(|| Principal::of(&staff)))
}

/// Disables an account and ends its sessions and tokens.
pub async fn disable(v: &StaffService, username: &str) -> Result<(), CoreError> {
    let staff = by_username(v, username).await?;
    let audit = NewAuditEntry {
        object: format!("staff:{}", staff.id),
        ..system(AuditAction::StaffDisable)
    };
    disable_row(v, &staff, audit).await
}

async fn by_username(v: &StaffService, username: &str) -> Result<StaffRow, CoreError> {
    v.store.staff_by_username(username).await?.ok_or_else(|| {
        crate::error::invalid(
            "username",
            (crate::field::FieldMessage::NotKnown, "value", username),
        )
    })
}

/// Disables `staff`, ending its tokens, with `audit` on the chain.
pub(super) async fn disable_row(
    v: &StaffService,
    staff: &StaffRow,
    audit: NewAuditEntry,
) -> Result<(), CoreError> {
    v.store
        .update_staff(
            staff.id,
            StaffUpdate {
                disabled: Some(true),
                end_tokens: vec![
                    TokenPurpose::Session,
                    TokenPurpose::Pending,
                    TokenPurpose::Setup,
                    TokenPurpose::Api,
                ],
                ..StaffUpdate::default()
            },
            audit,
        )
        .await?;
    Ok(())
}

/// Resets an account: clears its password and second factor, ends its
/// sessions, re-enables it, and returns a new setup link token.
pub async fn reset(v: &StaffService, username: &str) -> Result<String, CoreError> {
    let staff = by_username(v, username).await?;
    let audit = NewAuditEntry {
        object: format!("staff:{}", staff.id),
        ..system(AuditAction::StaffReset)
    };
    reset_row(v, &staff, audit).await?;
    setup_link(v, staff.id).await
}

/// Clears `staff`'s password and second factor, ends its sessions and
/// enables it, with `audit` on the chain.
pub(super) async fn reset_row(
    v: &StaffService,
    staff: &StaffRow,
    audit: NewAuditEntry,
) -> Result<(), CoreError> {
    v.store
        .update_staff(
            staff.id,
            StaffUpdate {
                password_hash: Some(None),
                totp_secret_enc: Some(None),
                totp_last_step: Some(0),
                disabled: Some(false),
                end_tokens: vec![TokenPurpose::Session, TokenPurpose::Pending],
                ..StaffUpdate::default()
            },
            audit,
        )
        .await?;
    v.login_throttle.forget(&staff.username);
    Ok(())
}
