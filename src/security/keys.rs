//! The master key: it wraps the per-file keys of identity proofs and seals
//! the other secrets the database keeps (TOTP secrets, the suppression
//! list's HMAC key). Losing it makes every stored proof
//! unreadable, so it is never regenerated when the operator named a file.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::MasterKeySource;

pub const KEY_LEN: usize = 32;

/// A 256-bit key and its id (first 8 bytes of its SHA-256, hex), recorded
/// next to every wrapped key so a rotation knows what to re-wrap.
#[derive(Clone)]
pub struct MasterKey {
    id: String,
    bytes: [u8; KEY_LEN],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("master key must be base64 of exactly 32 bytes")]
    Malformed,
    #[error("master key file {path} cannot be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create master key file {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
}

/// What [`load_master_key`] did, so `serve` can say it loudly.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    Inline,
    File,
    Generated,
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        let digest = Sha256::digest(bytes);
        MasterKey {
            id: hex::encode(&digest[..8]),
            bytes,
        }
    }

    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut bytes);
        Self::from_bytes(bytes)
    }

    pub fn parse_base64(text: &str) -> Result<Self, KeyError> {
        let decoded = B64
            .decode(text.trim().as_bytes())
            .map_err(|_| KeyError::Malformed)?;
        let bytes: [u8; KEY_LEN] = decoded.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_bytes(bytes))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// A key for one purpose, derived so that a leak of one derived key
    /// (say the suppression-list HMAC key) reveals nothing of the others.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.bytes).expect("HMAC accepts any key length");
        mac.update(b"dsr-tracker/");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn to_base64(&self) -> String {
        B64.encode(self.bytes)
    }
}

/// Loads the master key from its configured source, generating the default
/// file (mode 0600) on first start.
pub fn load_master_key(source: &MasterKeySource) -> Result<(MasterKey, KeyOrigin), KeyError> {
    match source {
        MasterKeySource::Inline(text) => Ok((MasterKey::parse_base64(text)?, KeyOrigin::Inline)),
        MasterKeySource::File(path) => Ok((read_key_file(path)?, KeyOrigin::File)),
        MasterKeySource::DefaultFile(path) => {
            if path.exists() {
                return Ok((read_key_file(path)?, KeyOrigin::File));
            }
            let key = MasterKey::generate();
            write_new_key_file(path, &key)?;
            Ok((key, KeyOrigin::Generated))
        }
    }
}

fn read_key_file(path: &Path) -> Result<MasterKey, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.display().to_string(),
        source,
    })?;
    MasterKey::parse_base64(&text)
}

fn write_new_key_file(path: &Path, key: &MasterKey) -> Result<(), KeyError> {
    let err = |source| KeyError::Create {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::config::create_private_dir(parent).map_err(err)?;
    }
    let mut options = std::fs::OpenOptions::new();
    // create_new: two instances starting at once must not overwrite each
    // other's fresh key.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(err)?;
    writeln!(file, "{}", key.to_base64()).map_err(err)?;
    file.sync_all().map_err(err)?;
    Ok(())
}

/// SHA-256 of a secret token, hex: what the database keeps of citizen links
/// and session cookies.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh 256-bit random token, URL-safe base64 without padding.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_file_is_private_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let source = MasterKeySource::DefaultFile(path.clone());
        let (first, origin) = load_master_key(&source).unwrap();
        assert_eq!(origin, KeyOrigin::Generated);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, origin) = load_master_key(&source).unwrap();
        assert_eq!(origin, KeyOrigin::File);
        assert_eq!(first.id(), again.id());
        assert_eq!(first.bytes(), again.bytes());
    }

    #[test]
    fn a_named_missing_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.key");
        assert!(load_master_key(&MasterKeySource::File(path.clone())).is_err());
        assert!(!path.exists());
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert!(MasterKey::parse_base64("not base64!").is_err());
        assert!(MasterKey::parse_base64(&B64.encode([1u8; 16])).is_err());
        let key = MasterKey::parse_base64(&B64.encode([7u8; 32])).unwrap();
        assert_eq!(key.id().len(), 16);
        assert_ne!(key.derive("a"), key.derive("b"));
    }

    #[test]
    fn tokens_are_long_and_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t).len(), 64);
    }
}
