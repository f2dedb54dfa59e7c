//! Staff accounts: creation, setup links, passwords, TOTP, sign-in, sessions
//! and API tokens. Only keyed hashes of tokens are stored; TOTP secrets are
//! sealed. Every account change is on the audit chain.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::staff::valid_username;
use vigil_domain::{AuditAction, Jurisdiction, Role, StaffId};
use vigil_store::{StaffRow, StaffUpdate, TokenPurpose, TokenRow};

use crate::CoreError;
use crate::keys::Keys;
use crate::keys::random_bytes;
use crate::login_throttle::{LoginThrottle, Origin};
use crate::settings::Settings;
use crate::throttle::ClientKey;
use std::sync::{Arc, OnceLock};
use vigil_store::DynStore;

/// The staff slice: accounts, sign-in with its throttle, sessions and API
/// tokens. Cheap to clone.
#[derive(Clone)]
pub struct StaffService {
    pub(crate) store: DynStore,
    pub(crate) keys: Arc<Keys>,
    pub(crate) settings: Arc<Settings>,
    /// Staff sign-in throttling (memory only).
    pub(crate) login_throttle: Arc<LoginThrottle>,
    staff_dummy: Arc<OnceLock<String>>,
}

impl StaffService {
    /// The slice over `store`, its sign-in throttle set by `[staff]`.
    pub fn new(store: DynStore, keys: Arc<Keys>, settings: Arc<Settings>) -> Self {
        let login_throttle = LoginThrottle::new(
            settings.staff.login_free_failures,
            settings.staff.login_account_failures,
            std::time::Duration::from_secs(settings.staff.login_max_delay_secs.max(1)),
        );
        StaffService {
            store,
            keys,
            settings,
            login_throttle: Arc::new(login_throttle),
            staff_dummy: Arc::default(),
        }
    }
}

mod accounts;
mod admin;

pub use accounts::{
    AccountLine, AccountStatus, account, change, create_account, disable_account, list,
    reset_account,
};

pub use admin::{api_principal, create_api_token, disable, reset};
/// An account to create, as [`create_account`] takes it.
pub use vigil_store::NewStaff;

const TOKEN_MAC: &str = "staff-token";
const DEVICE_MAC: &str = "staff-device";
const TOTP_SEAL: &str = "staff-totp";
const TOTP_SETUP_SEAL: &str = "staff-totp-setup";
/// How long a password-checked sign-in waits for its second factor.
const PENDING_MINUTES: i64 = 5;
/// A session's last use is written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A signed-in staff member, as every access check sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Account id.
    pub id: StaffId,
    /// Sign-in name (also the actor on the audit chain).
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Where they may look.
    pub jurisdiction: Jurisdiction,
}

impl Principal {
    /// The principal a stored account acts as.
    pub fn of(row: &StaffRow) -> Self {
        Principal {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            role: row.role,
            jurisdiction: row.jurisdiction.clone(),
        }
    }

    /// The audit entry for something this person did.
    pub fn audit(&self, action: AuditAction, object: String, detail: String) -> NewAuditEntry {
        NewAuditEntry {
            actor: format!("staff:{}", self.username),
            action,
            object,
            detail,
        }
    }
}

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub principal: Principal,
    /// The token every state-changing form must carry.
    pub csrf: String,
}

impl Session {
    /// Whether a submitted CSRF token is this session's (constant time).
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(submitted.as_bytes()))
    }
}

/// The outcome of a password check.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the new session's cookie value.
    Done(String),
    /// Password right; the second factor comes next (the pending cookie value).
    NeedsTotp(String),
}

/// A new TOTP secret waiting to be confirmed with a first code.
#[derive(Debug, Clone)]
pub struct TotpEnrollment {
    /// Base32 secret to type into an authenticator app.
    pub secret_base32: String,
    /// `otpauth://` link for the app.
    pub url: String,
    /// The secret sealed, to come back with the confirming form.
    pub sealed: String,
}

fn system(action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        actor: "cli".into(),
        action,
        object: String::new(),
        detail: String::new(),
    }
}

fn new_token() -> Result<String, CoreError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// The stored (keyed) hash of a token handed out.
pub fn token_hash(v: &StaffService, token: &str) -> Vec<u8> {
    v.keys.mac(TOKEN_MAC, token.as_bytes())
}

fn hasher(v: &StaffService) -> Result<Argon2<'static>, CoreError> {
    let s = &v.settings.staff;
    let params = Params::new(
        s.password_memory_kib.max(8),
        s.password_iterations.max(1),
        1,
        None,
    )
    .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

async fn hash_password(v: &StaffService, password: &str) -> Result<String, CoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(crate::error::invalid(
            "password",
            (
                crate::field::FieldMessage::TooShort,
                "min",
                MIN_PASSWORD_CHARS,
            ),
        ));
    }
    let h = hasher(v)?;
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        h.hash_password(password.as_bytes())
            .map(|p| p.to_string())
            .map_err(|e| CoreError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| CoreError::Internal(format!("hashing task: {e}")))?
}

async fn password_matches(v: &StaffService, stored: Option<&str>, password: &str) -> bool {
    // An account without a password (or none at all) costs the same work.
    let stored = stored.map(str::to_string);
    let password = password.to_string();
    let Ok(h) = hasher(v) else { return false };
    let dummy = v.staff_dummy_hash();
    tokio::task::spawn_blocking(move || {
        // The dummy is verified for the time it takes; it never counts.
        let real = stored.is_some();
        let phc = stored.unwrap_or(dummy);
        match PasswordHash::new(&phc) {
            Ok(parsed) => h.verify_password(password.as_bytes(), &parsed).is_ok() && real,
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

impl StaffService {
    /// A fixed hash to verify against when the account does not exist.
    fn staff_dummy_hash(&self) -> String {
        self.staff_dummy
            .get_or_init(|| {
                hasher(self)
                    .ok()
                    .and_then(|h| h.hash_password(b"no such account").ok())
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .clone()
    }
}

/// Creates an account with no password and returns a one-time setup link
/// token for it.
pub async fn create(
    v: &StaffService,
    new: NewStaff,
    by: Option<&Principal>,
) -> Result<(StaffId, String), CoreError> {
    if !valid_username(&new.username) {
        return Err(crate::error::invalid(
            "username",
            crate::field::FieldMessage::NotAUsername
                .with("min", 3)
                .arg("max", 40),
        ));
    }
    let audit = match by {
        Some(p) => p.audit(
            AuditAction::StaffCreate,
            String::new(),
            new.username.clone(),
        ),
        None => NewAuditEntry {
            detail: new.username.clone(),
            ..system(AuditAction::StaffCreate)
        },
    };
    let username = new.username.clone();
    let id = v
        .store
        .create_staff(new, audit)
        .await
        .map_err(|e| match e {
            vigil_store::StoreError::Conflict(_) => crate::error::invalid(
                "username",
                (crate::field::FieldMessage::AlreadyUsed, "value", &username),
            ),
            other => other.into(),
        })?;
    let token = setup_link(v, id).await?;
    Ok((id, token))
}

/// A fresh one-time setup token for an account (earlier ones stop working).
pub async fn setup_link(v: &StaffService, id: StaffId) -> Result<String, CoreError> {
    let token = new_token()?;
    let now = OffsetDateTime::now_utc();
    v.store
        .put_token(
            TokenRow {
                hash: token_hash(v, &token),
                staff_id: id,
                purpose: TokenPurpose::Setup,
                name: String::new(),
                csrf: None,
                created_at: now,
                last_seen_at: now,
                expires_at: Some(now + Duration::hours(v.settings.staff.setup_link_hours.max(1))),
            },
            &[TokenPurpose::Setup],
            NewAuditEntry {
                object: format!("staff:{id}"),
                ..system(AuditAction::StaffSetupLink)
            },
        )
        .await?;
    Ok(token)
}

/// The first start: when there is no account at all, creates `admin` and
/// returns its setup token.
pub async fn bootstrap(v: &StaffService) -> Result<Option<String>, CoreError> {
    if !v.store.list_staff().await?.is_empty() {
        return Ok(None);
    }
    let (_, token) = create(
        v,
        NewStaff {
            username: "admin".into(),
            display_name: "Administrator".into(),
            role: Role::Admin,
            jurisdiction: Jurisdiction::National,
        },
        None,
    )
    .await?;
    Ok(Some(token))
}

/// The account a setup token opens, as shown on the setup page.
pub async fn setup_account(
    v: &StaffService,
    token: &str,
) -> Result<crate::views::Account, CoreError> {
    setup_row(v, token)
        .await
        .map(|r| crate::views::Account::from(&r))
}

async fn setup_row(v: &StaffService, token: &str) -> Result<StaffRow, CoreError> {
    let row = v
        .store
        .token(&token_hash(v, token), OffsetDateTime::now_utc())
        .await?
        .filter(|t| t.purpose == TokenPurpose::Setup)
        .ok_or(CoreError::NotFound)?;
    let staff = v.store.staff(row.staff_id).await?;
    if staff.disabled {
        return Err(CoreError::NotFound);
    }
    Ok(staff)
}

/// A new TOTP secret for `username`, to be shown and then confirmed.
pub fn totp_enroll(v: &StaffService, username: &str) -> Result<TotpEnrollment, CoreError> {
    let secret = random_bytes::<20>()?.to_vec();
    let totp = totp_of(&secret, username)?;
    Ok(TotpEnrollment {
        secret_base32: totp_rs::Secret::from(secret.clone()).to_base32(),
        url: totp
            .to_url()
            .map_err(|e| CoreError::Internal(format!("totp: {e}")))?,
        sealed: URL_SAFE_NO_PAD.encode(v.keys.seal(TOTP_SETUP_SEAL, &secret)?),
    })
}

fn totp_of(secret: &[u8], username: &str) -> Result<totp_rs::Totp, CoreError> {
    totp_rs::Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(username.to_string())
        .with_issuer(Some("Vigil"))
        .build()
        .map_err(|e| CoreError::Internal(format!("totp: {e}")))
}

fn unix_now() -> u64 {
    u64::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0)
}

/// The time step a code belongs to, if it is valid now and newer than `last`.
fn totp_step(secret: &[u8], username: &str, code: &str, last: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let code = vigil_domain::digits::to_ascii(&code);
    let step = totp_of(secret, username).ok()?.check(&code, unix_now())?;
    let step = i64::try_from(step).ok()?;
    (step > last).then_some(step)
}

/// Completes a setup link: sets the password and, when given (required for
/// supervisors and admins), the TOTP secret confirmed by a current code.
pub async fn complete_setup(
    v: &StaffService,
    token: &str,
    password: &str,
    totp: Option<(&str, &str)>,
) -> Result<StaffId, CoreError> {
    let staff = setup_row(v, token).await?;
    let mut update = StaffUpdate {
        password_hash: Some(Some(hash_password(v, password).await?)),
        end_tokens: vec![TokenPurpose::Setup],
        ..StaffUpdate::default()
    };
    match totp {
        Some((sealed, code)) => {
            let sealed = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| {
                crate::error::invalid("sealed", crate::field::FieldMessage::FormAltered)
            })?;
            let secret = v.keys.open(TOTP_SETUP_SEAL, &sealed).map_err(|_| {
                crate::error::invalid("sealed", crate::field::FieldMessage::FormAltered)
            })?;
            let step = totp_step(&secret, &staff.username, code, 0).ok_or_else(|| {
                crate::error::invalid("code", crate::field::FieldMessage::WrongCode)
            })?;
            update.totp_secret_enc = Some(Some(v.keys.seal(TOTP_SEAL, &secret)?));
            update.totp_last_step = Some(step);
        }
        None if staff.role.requires_totp() => {
            return Err(crate::error::invalid(
                "code",
                crate::field::FieldMessage::NeedsAuthenticator,
            ));
        }
        None => {}
    }
    v.store
        .update_staff(
            staff.id,
            update,
            NewAuditEntry {
                actor: format!("staff:{}", staff.username),
                action: AuditAction::StaffSetup,
                object: format!("staff:{}", staff.id),
                detail: String::new(),
            },
        )
        .await?;
    Ok(staff.id)
}

async fn start_session(v: &StaffService, staff: &StaffRow) -> Result<String, CoreError> {
    let token = new_token()?;
    let now = OffsetDateTime::now_utc();
    v.store
        .put_token(
            TokenRow {
                hash: token_hash(v, &token),
                staff_id: staff.id,
                purpose: TokenPurpose::Session,
                name: String::new(),
                csrf: Some(new_token()?),
                created_at: now,
                last_seen_at: now,
                expires_at: Some(
                    now + Duration::minutes(v.settings.staff.session_idle_minutes.max(1)),
                ),
            },
            &[],
            NewAuditEntry {
                actor: format!("staff:{}", staff.username),
                action: AuditAction::StaffSignIn,
                object: format!("staff:{}", staff.id),
                detail: String::new(),
            },
        )
        .await?;
    Ok(token)
}

/// A device cookie for `username`: shown by a device that has signed in to
/// this account correctly before, it exempts that device from the
/// account-wide slowing of failed sign-ins. A random device id and a keyed
/// hash of it with the account name; nothing is stored.
pub fn device_cookie(v: &StaffService, username: &str) -> Result<String, CoreError> {
    let id: [u8; 16] = random_bytes()?;
    let username = username.trim().to_lowercase();
    let mac = device_mac(v, &username, &id);
    Ok(format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(username.as_bytes()),
        URL_SAFE_NO_PAD.encode(id),
        URL_SAFE_NO_PAD.encode(mac)
    ))
}

fn device_mac(v: &StaffService, username: &str, id: &[u8]) -> Vec<u8> {
    let mut data = username.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(id);
    v.keys.mac(DEVICE_MAC, &data)
}

/// The device a cookie names, if it is a valid device cookie for `username`.
fn device_of(v: &StaffService, cookie: Option<&str>, username: &str) -> Option<ClientKey> {
    let mut parts = cookie?.split('.');
    let (user, id, mac) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let user = URL_SAFE_NO_PAD.decode(user).ok()?;
    let id = URL_SAFE_NO_PAD.decode(id).ok()?;
    let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
    let good = device_mac(v, username, &id);
    let ok = user == username.as_bytes() && bool::from(good.ct_eq(&mac));
    let key: [u8; 16] = id.try_into().ok()?;
    ok.then_some(ClientKey(key))
}

/// Who is trying to sign in, for the throttle.
fn origin(
    v: &StaffService,
    username: &str,
    client: Option<ClientKey>,
    device: Option<&str>,
) -> Origin {
    match device_of(v, device, username) {
        Some(d) => Origin::Device(d),
        None => Origin::Address(client),
    }
}

/// Checks a username and password. Failed attempts slow further attempts
/// (per client and account, and per account unless `device` is a device
/// cookie of this account), never for good. The attempt is reserved before
/// the password is checked, so parallel attempts count too.
pub async fn sign_in(
    v: &StaffService,
    username: &str,
    password: &str,
    client: Option<ClientKey>,
    device: Option<&str>,
) -> Result<SignIn, CoreError> {
    let username = username.trim().to_lowercase();
    let attempt = v
        .login_throttle
        .reserve(&username, origin(v, &username, client, device))
        .map_err(CoreError::SlowDown)?;
    let staff = v.store.staff_by_username(&username).await?;
    let ok = password_matches(
        v,
        staff.as_ref().and_then(|s| s.password_hash.as_deref()),
        password,
    )
    .await;
    let staff = match staff {
        Some(s) if ok && !s.disabled => s,
        _ => {
            attempt.failed();
            return Err(CoreError::BadCredentials);
        }
    };
    if staff.totp_secret_enc.is_some() {
        // The password was right: the attempt is released; the code is
        // counted on its own.
        drop(attempt);
        let token = new_token()?;
        let now = OffsetDateTime::now_utc();
        v.store
            .put_token(
                TokenRow {
                    hash: token_hash(v, &token),
                    staff_id: staff.id,
                    purpose: TokenPurpose::Pending,
                    name: String::new(),
                    csrf: None,
                    created_at: now,
                    last_seen_at: now,
                    expires_at: Some(now + Duration::minutes(PENDING_MINUTES)),
                },
                &[TokenPurpose::Pending],
                NewAuditEntry {
                    actor: format!("staff:{}", staff.username),
                    action: AuditAction::StaffSignInPassword,
                    object: format!("staff:{}", staff.id),
                    detail: String::new(),
                },
            )
            .await?;
        return Ok(SignIn::NeedsTotp(token));
    }
    if staff.role.requires_totp() {
        return Err(crate::error::invalid(
            "username",
            crate::field::FieldMessage::NeedsNewSetup,
        ));
    }
    attempt.succeeded();
    Ok(SignIn::Done(start_session(v, &staff).await?))
}

/// The second step: a TOTP code for a pending sign-in.
pub async fn sign_in_totp(
    v: &StaffService,
    pending: &str,
    code: &str,
    client: Option<ClientKey>,
    device: Option<&str>,
) -> Result<String, CoreError> {
    let hash = token_hash(v, pending);
    let row = v
        .store
        .token(&hash, OffsetDateTime::now_utc())
        .await?
        .filter(|t| t.purpose == TokenPurpose::Pending)
        .ok_or(CoreError::NotFound)?;
    let staff = v.store.staff(row.staff_id).await?;
    let attempt = v
        .login_throttle
        .reserve(&staff.username, origin(v, &staff.username, client, device))
        .map_err(CoreError::SlowDown)?;
    let secret = match &staff.totp_secret_enc {
        Some(sealed) => v.keys.open(TOTP_SEAL, sealed)?,
        None => return Err(CoreError::NotFound),
    };
    let Some(step) = totp_step(&secret, &staff.username, code, staff.totp_last_step) else {
        attempt.failed();
        return Err(CoreError::BadCredentials);
    };
    if staff.disabled {
        return Err(CoreError::BadCredentials);
    }
    v.store
        .update_staff(
            staff.id,
            StaffUpdate {
                totp_last_step: Some(step),
                end_tokens: vec![TokenPurpose::Pending],
                ..StaffUpdate::default()
            },
            NewAuditEntry {
                actor: format!("staff:{}", staff.username),
                action: AuditAction::StaffTotp,
                object: format!("staff:{}", staff.id),
                detail: String::new(),
            },
        )
        .await?;
    attempt.succeeded();
    start_session(v, &staff).await
}

/// The session a cookie value opens, if it is live; moves its idle expiry.
pub async fn session(v: &StaffService, cookie: &str) -> Result<Option<Session>, CoreError> {
    let hash = token_hash(v, cookie);
    let now = OffsetDateTime::now_utc();
    let Some(row) = v
        .store
        .token(&hash, now)
        .await?
        .filter(|t| t.purpose == TokenPurpose::Session)
    else {
        return Ok(None);
    };
    let staff = match v.store.staff(row.staff_id).await {
        Ok(s) if !s.disabled => s,
        Ok(_) | Err(vigil_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let s = &v.settings.staff;
    let hard_end = row.created_at + Duration::hours(s.session_max_hours.max(1));
    if now >= hard_end {
        v.store
            .delete_token(
                &hash,
                NewAuditEntry {
                    object: format!("staff:{}", staff.id),
                    ..system(AuditAction::StaffSessionEnd)
                },
            )
            .await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_EVERY {
        let idle_end = now + Duration::minutes(s.session_idle_minutes.max(1));
        v.store
            .touch_token(&hash, now, Some(idle_end.min(hard_end)))
            .await?;
    }
    Ok(Some(Session {
        principal: Principal::of(&staff),
        csrf: row.csrf.unwrap_or_default(),
    }))
}

/// Ends a session.
pub async fn sign_out(v: &StaffService, cookie: &str) -> Result<(), CoreError> {
    let hash = token_hash(v, cookie);
    let Some(row) = v.store.token(&hash, OffsetDateTime::now_utc()).await? else {
        return Ok(());
    };
    let actor = match v.store.staff(row.staff_id).await {
        Ok(s) => format!("staff:{}", s.username),
        Err(_) => format!("staff:{}", row.staff_id),
    };
    v.store
        .delete_token(
            &hash,
            NewAuditEntry {
                actor,
                action: AuditAction::StaffSignOut,
                object: format!("staff:{}", row.staff_id),
                detail: String::new(),
            },
        )
        .await?;
    Ok(())
}
