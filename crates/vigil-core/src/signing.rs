//! This instance's signing key: what signs its sync bundles and custody
//! exports, kept in the data directory.

use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use vigil_sync::SigningKey;
use zeroize::Zeroize;

use crate::CoreError;
use crate::settings::Settings;

/// The signing key file's name inside the data directory.
pub const SYNC_KEY_FILE: &str = "sync.key";

/// Where this instance's signing key is.
pub fn key_path(settings: &Settings) -> PathBuf {
    settings.storage.data_dir.join(SYNC_KEY_FILE)
}

/// This instance's signing key, created (mode 0600) on first use.
pub fn signing_key(settings: &Settings) -> Result<SigningKey, CoreError> {
    let path = key_path(settings);
    let unavailable = |e: String| CoreError::Unavailable(format!("{}: {e}", path.display()));
    if !path.exists() {
        crate::private::dir(&settings.storage.data_dir)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| CoreError::Internal(format!("no randomness: {e}")))?;
        let mut text = B64.encode(seed);
        seed.zeroize();
        crate::keys::write_private(&path, format!("{text}\n").as_bytes())?;
        text.zeroize();
    }
    crate::private::file(&path)?;
    let mut text = std::fs::read_to_string(&path).map_err(|e| unavailable(e.to_string()))?;
    let decoded = B64.decode(text.trim());
    text.zeroize();
    let mut bytes = decoded.map_err(|_| unavailable("not a sync key file".into()))?;
    let seed: Result<[u8; 32], _> = bytes.as_slice().try_into();
    bytes.zeroize();
    let mut seed = seed.map_err(|_| unavailable("not a sync key file".into()))?;
    let key = vigil_sync::signing_key(&seed);
    seed.zeroize();
    Ok(key)
}

/// This instance's public key, as other instances list it.
pub fn public_key(settings: &Settings) -> Result<String, CoreError> {
    Ok(vigil_sync::public_key_text(
        &signing_key(settings)?.verifying_key(),
    ))
}
