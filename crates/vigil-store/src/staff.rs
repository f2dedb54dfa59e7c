//! Staff accounts and their tokens (sessions, setup links, API tokens) as
//! they cross the [`crate::Store`] boundary.

use time::OffsetDateTime;
use vigil_domain::{Jurisdiction, Role, StaffId};

/// A staff account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    /// Sign-in name (unique).
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Where the account may look.
    pub jurisdiction: Jurisdiction,
}

/// A stored staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
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
    /// argon2id PHC string; `None` until the account is set up.
    pub password_hash: Option<String>,
    /// The TOTP secret, sealed; `None` when no second factor is enrolled.
    pub totp_secret_enc: Option<Vec<u8>>,
    /// The last TOTP time step accepted (a code is never accepted twice).
    pub totp_last_step: i64,
    /// A disabled account cannot sign in and its tokens are gone.
    pub disabled: bool,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A change to an account; `None` fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffUpdate {
    /// A new password hash (`Some(None)` clears it, for a reset).
    pub password_hash: Option<Option<String>>,
    /// A new sealed TOTP secret (`Some(None)` removes the second factor).
    pub totp_secret_enc: Option<Option<Vec<u8>>>,
    /// The last TOTP step accepted.
    pub totp_last_step: Option<i64>,
    /// Disable or enable.
    pub disabled: Option<bool>,
    /// A new role.
    pub role: Option<Role>,
    /// A new jurisdiction.
    pub jurisdiction: Option<Jurisdiction>,
    /// Ends the account's tokens of these purposes in the same transaction.
    pub end_tokens: Vec<TokenPurpose>,
}

/// What a staff token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    /// A signed-in browser session.
    Session,
    /// Password checked, second factor still to come.
    Pending,
    /// A one-time link to set a password (first admin, new account, reset).
    Setup,
    /// A machine client's API token.
    Api,
}

impl TokenPurpose {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Session => "session",
            TokenPurpose::Pending => "pending",
            TokenPurpose::Setup => "setup",
            TokenPurpose::Api => "api",
        }
    }

    /// Reads the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            TokenPurpose::Session,
            TokenPurpose::Pending,
            TokenPurpose::Setup,
            TokenPurpose::Api,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A stored token: only a hash of the secret handed out is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// Keyed hash of the token (unique).
    pub hash: Vec<u8>,
    /// Whose it is.
    pub staff_id: StaffId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// A label (API tokens) or empty.
    pub name: String,
    /// The CSRF token of a session.
    pub csrf: Option<String>,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it was last used.
    pub last_seen_at: OffsetDateTime,
    /// When it stops working (`None`: until revoked).
    pub expires_at: Option<OffsetDateTime>,
}
