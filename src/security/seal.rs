//! Sealing small secrets under the master key: XChaCha20-Poly1305 with a
//! key derived from the master key for one purpose, a fresh random 24-byte
//! nonce per seal (stored in front of the ciphertext), and associated data
//! that binds the result to where it is stored.
//!
//! One implementation for every secret the database keeps under the
//! master key (the proofs' data keys, staff TOTP secrets, the rows of
//! `sealed_secrets`), so the format and its checks live in one place and a
//! rotation moves them all the same way: open with the old key, seal with
//! the new one.
//!
//! A `sealed_secrets` row ([`seal_secret`], [`open_secret`]) is bound to its
//! purpose and to the id of the master key that sealed it, which is stored
//! next to it so `keys rotate` and `keys status` know which key it needs.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

use super::keys::MasterKey;

/// XChaCha20-Poly1305 nonce length.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length, appended to every ciphertext.
pub const TAG_LEN: usize = 16;

/// The derivation purpose of the key that seals `sealed_secrets` rows.
const SECRETS_KEY_PURPOSE: &str = "sealed-secrets/v1";
const SECRETS_AAD_LABEL: &str = "dsr-tracker/sealed-secret/v1";

/// Length-prefixed fields after a label, so that no two different field
/// lists (say ids `ab`+`c` and `a`+`bc`) give the same associated data.
pub(crate) fn associated_data(label: &str, fields: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    for part in std::iter::once(label).chain(fields.iter().copied()) {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

fn cipher(master: &MasterKey, key_purpose: &str) -> XChaCha20Poly1305 {
    let key = Zeroizing::new(master.derive(key_purpose));
    XChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
}

/// `nonce || ciphertext || tag` of `plaintext`, under the key derived from
/// `master` for `key_purpose`, bound to `aad`.
pub fn seal(master: &MasterKey, key_purpose: &str, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher(master, key_purpose)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts messages up to 256 GiB");
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// The plaintext of [`seal`]'s output, or `None` when it is too short, was
/// altered, or was sealed with another key, purpose or associated data.
pub fn open(
    master: &MasterKey,
    key_purpose: &str,
    aad: &[u8],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    cipher(master, key_purpose)
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
        .ok()
        .map(Zeroizing::new)
}

/// The `sealed` column of a `sealed_secrets` row (base64), for `purpose`,
/// sealed with `master` (whose id goes in the row's `key_id`).
pub fn seal_secret(master: &MasterKey, purpose: &str, secret: &[u8]) -> String {
    let aad = associated_data(SECRETS_AAD_LABEL, &[purpose, master.id()]);
    B64.encode(seal(master, SECRETS_KEY_PURPOSE, &aad, secret))
}

/// Opens a `sealed_secrets` row's `sealed` column with `master` (the key
/// its `key_id` names). `None` when it was altered, belongs to another
/// purpose, or `master` is not the key that sealed it.
pub fn open_secret(master: &MasterKey, purpose: &str, sealed: &str) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = B64.decode(sealed.trim()).ok()?;
    let aad = associated_data(SECRETS_AAD_LABEL, &[purpose, master.id()]);
    open(master, SECRETS_KEY_PURPOSE, &aad, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let key = MasterKey::generate();
        let aad = associated_data("label", &["a", "b"]);
        let sealed = seal(&key, "p", &aad, b"secret");
        assert_eq!(sealed.len(), NONCE_LEN + 6 + TAG_LEN);
        assert_eq!(
            open(&key, "p", &aad, &sealed).unwrap().as_slice(),
            b"secret"
        );
        // Fresh nonce each time.
        assert_ne!(seal(&key, "p", &aad, b"secret"), sealed);
        // Another key, purpose or associated data: does not open.
        assert!(open(&MasterKey::generate(), "p", &aad, &sealed).is_none());
        assert!(open(&key, "q", &aad, &sealed).is_none());
        let shifted = associated_data("label", &["ab", ""]);
        assert!(open(&key, "p", &shifted, &sealed).is_none());
        // Any altered byte, or a truncated value: does not open.
        for i in [0, NONCE_LEN, sealed.len() - 1] {
            let mut t = sealed.clone();
            t[i] ^= 0x01;
            assert!(open(&key, "p", &aad, &t).is_none(), "byte {i}");
        }
        assert!(open(&key, "p", &aad, &sealed[..NONCE_LEN + TAG_LEN - 1]).is_none());
        assert!(open(&key, "p", &aad, b"").is_none());
        // An empty plaintext seals and opens.
        let empty = seal(&key, "p", &aad, b"");
        assert!(open(&key, "p", &aad, &empty).unwrap().is_empty());
    }

    #[test]
    fn sealed_secrets_are_bound_to_purpose_and_key() {
        let key = MasterKey::generate();
        let other = MasterKey::generate();
        let secret = [7u8; 32];
        let sealed = seal_secret(&key, "suppression-list", &secret);
        assert!(!sealed.contains(&B64.encode(secret)));
        assert_eq!(
            open_secret(&key, "suppression-list", &sealed)
                .unwrap()
                .as_slice(),
            &secret
        );
        assert!(open_secret(&other, "suppression-list", &sealed).is_none());
        assert!(open_secret(&key, "another-purpose", &sealed).is_none());
        assert!(open_secret(&key, "suppression-list", "not base64!").is_none());
        // Moved to another key: opens with it only.
        let opened = open_secret(&key, "suppression-list", &sealed).unwrap();
        let moved = seal_secret(&other, "suppression-list", &opened);
        assert_eq!(
            open_secret(&other, "suppression-list", &moved)
                .unwrap()
                .as_slice(),
            &secret
        );
        assert!(open_secret(&key, "suppression-list", &moved).is_none());
        // The key sealing these rows is none of the other derived keys.
        let aad = associated_data(SECRETS_AAD_LABEL, &["suppression-list", key.id()]);
        let raw = B64.decode(&sealed).unwrap();
        assert!(open(&key, "identity-proofs/key-wrap/v1", &aad, &raw).is_none());
    }
}
