//! Issuing and opening receipts. The lookup part is stored as a keyed hash, the
//! secret part as an argon2id hash; an unknown receipt costs the same work as a
//! known one, and failed attempts are throttled in memory.

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use vigil_domain::receipt::RECEIPT_DIGITS;
use vigil_domain::{Receipt, TipId};
use vigil_store::ReceiptHashes;

use crate::CoreError;
use crate::keys::Keys;
use crate::keys::random_bytes;
use crate::settings::Settings;
use crate::throttle::ClientKey;
use crate::throttle::Throttle;
use std::sync::{Arc, OnceLock};
use vigil_store::DynStore;

/// Receipts: issued with a tip, opened by the reporter, throttled per client.
/// Cheap to clone.
#[derive(Clone)]
pub struct ReceiptService {
    pub(crate) store: DynStore,
    pub(crate) keys: Arc<Keys>,
    pub(crate) settings: Arc<Settings>,
    /// Receipt attempt throttling (memory only).
    pub(crate) throttle: Arc<Throttle>,
    receipt_dummy: Arc<OnceLock<String>>,
}

impl ReceiptService {
    /// The receipts over `store`, throttled as `[receipts]` says.
    pub fn new(store: DynStore, keys: Arc<Keys>, settings: Arc<Settings>) -> Self {
        let throttle = Throttle::new(settings.receipts.throttle());
        ReceiptService {
            store,
            keys,
            settings,
            throttle: Arc::new(throttle),
            receipt_dummy: Arc::default(),
        }
    }
}

const LOOKUP_PURPOSE: &str = "receipt-lookup";

/// A freshly drawn receipt and what is stored of it.
pub struct Issued {
    /// Shown once to the reporter.
    pub receipt: Receipt,
    /// Stored.
    pub hashes: ReceiptHashes,
}

fn argon2(v: &ReceiptService) -> Result<Argon2<'static>, CoreError> {
    let r = &v.settings.receipts;
    let params = Params::new(
        r.argon2_memory_kib.max(8),
        r.argon2_iterations.max(1),
        1,
        None,
    )
    .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Draws sixteen uniformly random digits.
pub fn random_receipt() -> Result<Receipt, CoreError> {
    let mut digits = [0u8; RECEIPT_DIGITS];
    let mut filled = 0;
    while filled < RECEIPT_DIGITS {
        for b in random_bytes::<32>()? {
            // Rejection sampling keeps digits uniform.
            if b < 250 && filled < RECEIPT_DIGITS {
                digits[filled] = b % 10;
                filled += 1;
            }
        }
    }
    Ok(Receipt::from_digit_values(digits))
}

/// The keyed hash under which a receipt's lookup part is stored.
pub fn lookup_hash(v: &ReceiptService, receipt: &Receipt) -> Vec<u8> {
    v.keys.mac(LOOKUP_PURPOSE, receipt.lookup_part().as_bytes())
}

/// Salt bytes per receipt hash (the argon2 crate's recommendation).
const SALT_LEN: usize = 16;

/// Hashes whose memory × passes is at most this many KiB run on the calling
/// (async) thread: at the default 256 KiB × 1 a hash takes ≈ 0.1 ms, less than
/// handing it to the blocking pool and back costs. Costlier settings go to the
/// blocking pool so that they do not stall the runtime.
const INLINE_MAX_KIB_PASSES: u64 = 512;

thread_local! {
    /// argon2's working memory, kept per thread and reused by every hash made
    /// on it: a fresh allocation per hash (with its zeroing and page faults)
    /// cost more than the hash's own first pass. Every block is overwritten
    /// by the first pass before it is read, so reuse cannot leak one hash's
    /// state into another's result.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2id of `secret` with a fresh random salt, as a PHC string (the same
/// format `PasswordHasher::hash_password` gives, so `open` verifies it), using
/// this thread's reusable working memory.
fn hash_secret(hasher: &Argon2<'_>, params: &Params, secret: &[u8]) -> Result<String, CoreError> {
    hash_with_salt(hasher, params, secret, &random_bytes::<SALT_LEN>()?)
}

fn hash_with_salt(
    hasher: &Argon2<'_>,
    params: &Params,
    secret: &[u8],
    salt_bytes: &[u8],
) -> Result<String, CoreError> {
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    MEMORY
        .with(|m| {
            let mut blocks = m.borrow_mut();
            let need = params.block_count();
            if blocks.len() < need {
                blocks.resize(need, Block::new());
            }
            hasher.hash_password_into_with_memory(secret, salt_bytes, &mut out, &mut blocks[..need])
        })
        .map_err(|e| CoreError::Internal(format!("argon2: {e}")))?;
    let phc = |e: &dyn std::fmt::Display| CoreError::Internal(format!("argon2: {e}"));
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| phc(&e))?,
        salt: Some(Salt::new(salt_bytes).map_err(|e| phc(&e))?),
        hash: Some(Output::new(&out).map_err(|e| phc(&e))?),
    };
    Ok(hash.to_string())
}

/// Draws a new receipt and hashes it. argon2 is slow on purpose: cheap
/// settings (the default) hash on the calling thread, costlier ones on a
/// blocking thread.
pub async fn issue(v: &ReceiptService) -> Result<Issued, CoreError> {
    let receipt = random_receipt()?;
    let lookup = lookup_hash(v, &receipt);
    let hasher = argon2(v)?;
    let params = hasher.params().clone();
    let cost = u64::from(params.m_cost()) * u64::from(params.t_cost());
    let secret_hash = if cost <= INLINE_MAX_KIB_PASSES {
        hash_secret(&hasher, &params, receipt.secret_part().as_bytes())?
    } else {
        let secret = receipt.secret_part().to_string();
        tokio::task::spawn_blocking(move || hash_secret(&hasher, &params, secret.as_bytes()))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??
    };
    Ok(Issued {
        receipt,
        hashes: ReceiptHashes {
            lookup_hash: lookup,
            secret_hash,
        },
    })
}

/// A hash with the same parameters as real ones, made once, so that an unknown
/// lookup part costs one argon2 verification like a known one.
fn dummy_hash(v: &ReceiptService) -> Result<String, CoreError> {
    if let Some(h) = v.receipt_dummy.get() {
        return Ok(h.clone());
    }
    let h = argon2(v)?
        .hash_password(b"00000000")
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("argon2: {e}")))?;
    Ok(v.receipt_dummy.get_or_init(|| h).clone())
}

/// Opens a receipt as typed by a person. Unknown and wrong receipts both give
/// [`CoreError::NotFound`] after the same work; too many failures give
/// [`CoreError::Throttled`].
pub async fn open(
    v: &ReceiptService,
    typed: &str,
    client: Option<ClientKey>,
) -> Result<TipId, CoreError> {
    let receipt = Receipt::parse(typed).map_err(|_| CoreError::ReceiptFormat)?;
    let lookup = lookup_hash(v, &receipt);
    if !v.throttle.allowed(client, &lookup) {
        return Err(CoreError::Throttled);
    }
    let row = v.store.find_receipt(&lookup).await?;
    let (stored, tip) = match row {
        Some(r) => (r.secret_hash, Some(r.tip_id)),
        None => (dummy_hash(v)?, None),
    };
    let secret = receipt.secret_part().to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(secret.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))?;
    match (ok, tip) {
        (true, Some(id)) => Ok(id),
        _ => {
            v.throttle.failed(client, &lookup);
            Err(CoreError::NotFound)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher(kib: u32, passes: u32) -> Argon2<'static> {
        let params = Params::new(kib, passes, 1, None).unwrap();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// The reused thread-local memory gives exactly the crate's own PHC string,
    /// whatever size the previous hash on this thread had.
    #[test]
    fn reused_memory_matches_the_crate() {
        let salt = [7u8; SALT_LEN];
        for (kib, passes) in [
            (256, 1),
            (64, 2),
            (512, 1),
            (8, 1),
            (256, 1),
            (1024, 3),
            (32, 1),
        ] {
            let h = hasher(kib, passes);
            let ours = hash_with_salt(&h, h.params(), b"12345678", &salt).unwrap();
            let theirs = h
                .hash_password_with_salt(b"12345678", &salt)
                .unwrap()
                .to_string();
            assert_eq!(ours, theirs, "m={kib} t={passes}");
            let parsed = PasswordHash::new(&ours).unwrap();
            assert!(
                Argon2::default()
                    .verify_password(b"12345678", &parsed)
                    .is_ok()
            );
            assert!(
                Argon2::default()
                    .verify_password(b"12345679", &parsed)
                    .is_err()
            );
        }
    }

    #[test]
    fn salts_differ() {
        let h = hasher(64, 1);
        let a = hash_secret(&h, h.params(), b"12345678").unwrap();
        let b = hash_secret(&h, h.params(), b"12345678").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{a}");
    }
}
