//! The key file and field encryption.
//!
//! `vigil.key` (created mode 0600 at first start) holds a MAC key for keyed
//! hashes (receipt lookups, idempotency keys, the audit chain's key derived
//! from it) and one or more XChaCha20-Poly1305 keys. New data is sealed with
//! the active key; every key in the file can still open what it sealed, so
//! rotation adds a key and never loses data. It also records from which
//! entry the audit chain is keyed (`audit_keyed_from`): entries before it
//! were written by a version that did not key them.

use std::io::Write;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use vigil_domain::audit::AuditKey;
use zeroize::Zeroize;

use crate::CoreError;

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "vigil.key";

const ENVELOPE_VERSION: u8 = 1;

/// The loaded keys.
pub struct Keys {
    mac_key: [u8; 32],
    enc: Vec<(u32, XChaCha20Poly1305)>,
    active: u32,
    audit_keyed_from: Option<i64>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys(active={}, count={})", self.active, self.enc.len())
    }
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    version: u32,
    mac_key: String,
    active: u32,
    keys: Vec<KeyEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_keyed_from: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct KeyEntry {
    id: u32,
    key: String,
    created: String,
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        self.mac_key.zeroize();
        for k in &mut self.keys {
            k.key.zeroize();
        }
    }
}

fn random<const N: usize>() -> Result<[u8; N], CoreError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| CoreError::Internal(format!("no randomness: {e}")))?;
    Ok(b)
}

fn now_string() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn write_private(path: &Path, contents: &[u8]) -> Result<(), CoreError> {
    let err = |e: std::io::Error| CoreError::Unavailable(format!("{}: {e}", path.display()));
    let tmp = path.with_extension("key.tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(err)?;
    f.write_all(contents).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

impl Keys {
    /// Keys made up on the spot (tests and benchmarks).
    pub fn ephemeral() -> Result<Keys, CoreError> {
        let file = KeyFile {
            version: 1,
            mac_key: hex::encode(random::<32>()?),
            active: 1,
            keys: vec![KeyEntry {
                id: 1,
                key: hex::encode(random::<32>()?),
                created: now_string(),
            }],
            audit_keyed_from: Some(1),
        };
        Keys::from_file(&file)
    }

    /// Loads the key file, creating it (mode 0600) if it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Keys, CoreError> {
        if !path.exists() {
            let file = KeyFile {
                version: 1,
                mac_key: hex::encode(random::<32>()?),
                active: 1,
                keys: vec![KeyEntry {
                    id: 1,
                    key: hex::encode(random::<32>()?),
                    created: now_string(),
                }],
                audit_keyed_from: None,
            };
            let text = serde_json::to_string_pretty(&file)
                .map_err(|e| CoreError::Internal(e.to_string()))?;
            write_private(path, text.as_bytes())?;
            tracing::info!(path = %path.display(), "created a new key file: back it up");
        }
        crate::private::file(path)?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| CoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| {
            CoreError::Internal(format!("{} is not a Vigil key file: {e}", path.display()))
        })?;
        Keys::from_file(&file)
    }

    /// Adds a new encryption key to the file and makes it the active one.
    /// Returns the new key's id. Old keys stay, so old data still opens.
    pub fn rotate(path: &Path) -> Result<u32, CoreError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let mut file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| CoreError::Internal(format!("bad key file: {e}")))?;
        let id = file.keys.iter().map(|k| k.id).max().unwrap_or(0) + 1;
        file.keys.push(KeyEntry {
            id,
            key: hex::encode(random::<32>()?),
            created: now_string(),
        });
        file.active = id;
        let text =
            serde_json::to_string_pretty(&file).map_err(|e| CoreError::Internal(e.to_string()))?;
        write_private(path, text.as_bytes())?;
        Ok(id)
    }

    /// Records in the key file that the audit chain is keyed from entry
    /// `seq` on, unless it records that already; returns what it records.
    pub fn record_audit_keyed_from(path: &Path, seq: i64) -> Result<i64, CoreError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let mut file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| CoreError::Internal(format!("bad key file: {e}")))?;
        if let Some(from) = file.audit_keyed_from {
            return Ok(from);
        }
        file.audit_keyed_from = Some(seq);
        let text =
            serde_json::to_string_pretty(&file).map_err(|e| CoreError::Internal(e.to_string()))?;
        write_private(path, text.as_bytes())?;
        Ok(seq)
    }

    /// The key that seals the audit chain's entries, derived from the MAC key.
    pub fn audit_key(&self) -> AuditKey {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&self.mac("audit-chain", b"vigil"));
        let key = AuditKey::from_bytes(bytes);
        bytes.zeroize();
        key
    }

    /// The first audit entry that must be keyed, once recorded.
    pub fn audit_keyed_from(&self) -> Option<i64> {
        self.audit_keyed_from
    }

    /// These keys, knowing the chain is keyed from entry `seq` on.
    pub fn with_audit_keyed_from(mut self, seq: i64) -> Keys {
        self.audit_keyed_from = Some(seq);
        self
    }

    fn from_file(file: &KeyFile) -> Result<Keys, CoreError> {
        let bad = |what: &str| CoreError::Internal(format!("key file: bad {what}"));
        let mut mac_key = [0u8; 32];
        hex::decode_to_slice(&file.mac_key, &mut mac_key).map_err(|_| bad("mac_key"))?;
        let mut enc = Vec::new();
        for k in &file.keys {
            let mut raw = [0u8; 32];
            hex::decode_to_slice(&k.key, &mut raw).map_err(|_| bad("key"))?;
            let cipher = XChaCha20Poly1305::new_from_slice(&raw).map_err(|_| bad("key"))?;
            raw.zeroize();
            enc.push((k.id, cipher));
        }
        if !enc.iter().any(|(id, _)| *id == file.active) {
            return Err(bad("active key id"));
        }
        Ok(Keys {
            mac_key,
            enc,
            active: file.active,
            audit_keyed_from: file.audit_keyed_from,
        })
    }

    /// A keyed hash (HMAC-SHA-256) of `data` under a purpose label.
    pub fn mac(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        // Proven invariant: HMAC accepts keys of any length.
        #[allow(clippy::expect_used)]
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.mac_key)
            .expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }

    /// A fingerprint of the MAC key (itself a keyed hash, so it reveals nothing),
    /// recorded in the database to catch a node started with the wrong key file.
    pub fn fingerprint(&self) -> Vec<u8> {
        self.mac("key-fingerprint", b"vigil")
    }

    /// Encrypts `plaintext`, bound to `purpose` (a different purpose cannot open it).
    pub fn seal(&self, purpose: &str, plaintext: &[u8]) -> Result<Vec<u8>, CoreError> {
        let cipher = self
            .enc
            .iter()
            .find(|(id, _)| *id == self.active)
            .map(|(_, c)| c)
            .ok_or_else(|| CoreError::Internal("no active key".into()))?;
        let nonce_bytes = random::<24>()?;
        let nonce = XNonce::from(nonce_bytes);
        let ct = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| CoreError::Internal("encryption failed".into()))?;
        let mut out = Vec::with_capacity(1 + 4 + 24 + ct.len());
        out.push(ENVELOPE_VERSION);
        out.extend_from_slice(&self.active.to_be_bytes());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`Keys::seal`] sealed for the same purpose.
    pub fn open(&self, purpose: &str, sealed: &[u8]) -> Result<Vec<u8>, CoreError> {
        let bad = || CoreError::Internal("sealed data does not open".into());
        if sealed.len() < 1 + 4 + 24 + 16 || sealed[0] != ENVELOPE_VERSION {
            return Err(bad());
        }
        let id = u32::from_be_bytes([sealed[1], sealed[2], sealed[3], sealed[4]]);
        let cipher = self
            .enc
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, c)| c)
            .ok_or_else(|| CoreError::Internal(format!("key {id} is not in the key file")))?;
        let mut nonce_bytes = [0u8; 24];
        nonce_bytes.copy_from_slice(&sealed[5..29]);
        cipher
            .decrypt(
                &XNonce::from(nonce_bytes),
                Payload {
                    msg: &sealed[29..],
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| bad())
    }
}

/// Fresh random bytes.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CoreError> {
    random::<N>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_purpose_binding() {
        let k = Keys::ephemeral().unwrap();
        let s = k.seal("message", b"hello").unwrap();
        assert_eq!(k.open("message", &s).unwrap(), b"hello");
        assert!(k.open("attachment", &s).is_err());
        let mut tampered = s.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(k.open("message", &tampered).is_err());
        assert!(!s.windows(5).any(|w| w == b"hello"));
    }

    #[test]
    fn key_file_is_private_and_rotation_keeps_old_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let k1 = Keys::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let old = k1.seal("x", b"before rotation").unwrap();
        assert_eq!(Keys::rotate(&path).unwrap(), 2);
        let k2 = Keys::load_or_create(&path).unwrap();
        assert_eq!(k2.open("x", &old).unwrap(), b"before rotation");
        let new = k2.seal("x", b"after").unwrap();
        assert_eq!(&new[1..5], &2u32.to_be_bytes());
        assert_eq!(k1.mac("p", b"d"), k2.mac("p", b"d"));
        assert!(k1.open("x", &new).is_err());
    }

    #[test]
    fn the_audit_chain_is_keyed_from_the_first_entry_recorded_and_never_moves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let k = Keys::load_or_create(&path).unwrap();
        assert_eq!(k.audit_keyed_from(), None);
        assert_eq!(Keys::record_audit_keyed_from(&path, 42).unwrap(), 42);
        assert_eq!(Keys::record_audit_keyed_from(&path, 50).unwrap(), 42);
        Keys::rotate(&path).unwrap();
        let again = Keys::load_or_create(&path).unwrap();
        assert_eq!(again.audit_keyed_from(), Some(42));
        assert_eq!(again.audit_key(), k.audit_key());
        assert_ne!(Keys::ephemeral().unwrap().audit_key(), k.audit_key());
    }
}
