//! Issuing and opening receipts. The lookup part is stored as a keyed hash, the
//! secret part as an argon2id hash; an unknown receipt costs the same work as a
//! known one, and failed attempts are throttled in memory.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use vigil_domain::receipt::RECEIPT_DIGITS;
use vigil_domain::{Receipt, TipId};
use vigil_store::ReceiptHashes;

use crate::keys::random_bytes;
use crate::throttle::ClientKey;
use crate::{CoreError, Vigil};

const LOOKUP_PURPOSE: &str = "receipt-lookup";

/// A freshly drawn receipt and what is stored of it.
pub struct Issued {
    /// Shown once to the reporter.
    pub receipt: Receipt,
    /// Stored.
    pub hashes: ReceiptHashes,
}

fn argon2(v: &Vigil) -> Result<Argon2<'static>, CoreError> {
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
pub fn lookup_hash(v: &Vigil, receipt: &Receipt) -> Vec<u8> {
    v.keys.mac(LOOKUP_PURPOSE, receipt.lookup_part().as_bytes())
}

/// Draws a new receipt and hashes it (on a blocking thread: argon2 is slow on purpose).
pub async fn issue(v: &Vigil) -> Result<Issued, CoreError> {
    let receipt = random_receipt()?;
    let lookup = lookup_hash(v, &receipt);
    let hasher = argon2(v)?;
    let secret = receipt.secret_part().to_string();
    let secret_hash = tokio::task::spawn_blocking(move || {
        hasher
            .hash_password(secret.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| CoreError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))??;
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
fn dummy_hash(v: &Vigil) -> Result<String, CoreError> {
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
pub async fn open(v: &Vigil, typed: &str, client: Option<ClientKey>) -> Result<TipId, CoreError> {
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
