//! Identity proofs (justificatifs d'identité): what a file is, what it may be
//! called on screen, and how it is encrypted at rest.
//!
//! - **Type** comes from the file's first bytes only ([`sniff`]): the
//!   browser's Content-Type and the file name are the citizen's word, and a
//!   zip renamed `.pdf` or HTML sent as `image/png` must be refused.
//! - **Name** ([`sanitize_display_name`]) is display text for the desk,
//!   never a path: files live in the database, not on disk.
//! - **Encryption** is an envelope: each file gets a fresh random 256-bit
//!   data key and is sealed with XChaCha20-Poly1305 (24-byte random nonces,
//!   so random nonces never collide in practice). The associated data binds
//!   the ciphertext to its request id and proof id, so a ciphertext copied
//!   into another row does not open. The data key is itself sealed
//!   ("wrapped") under a key derived from the master key, with associated
//!   data binding it to the proof id and the master key id; the master key
//!   id is stored next to it so a rotation ([`rewrap`]) knows which key to
//!   unwrap with, and re-wraps 72 bytes per file without touching the
//!   ciphertext.
//!
//! The wrapping key is `MasterKey::derive("identity-proofs/key-wrap/v1")`
//! rather than the raw master key, because the master key seals other
//! things too (TOTP secrets, the suppression-list secret): one key, one
//! purpose. The sealing itself is [`super::seal`], shared with them.
//! Data keys and the wrapping key are zeroized when dropped.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

use super::keys::{KEY_LEN, MasterKey};
use super::seal::{self, associated_data};
use crate::domain::ids::{ProofId, RequestId};

pub use super::seal::{NONCE_LEN, TAG_LEN};
/// A wrapped data key as stored: nonce || sealed key || tag.
pub const WRAPPED_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;
/// Longest display name, in characters.
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;

const WRAP_KEY_PURPOSE: &str = "identity-proofs/key-wrap/v1";
const CONTENT_AAD_LABEL: &str = "dsr-tracker/identity-proof/content/v1";
const WRAP_AAD_LABEL: &str = "dsr-tracker/identity-proof/data-key/v1";

/// The file types a citizen may upload as identity proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProofType {
    Pdf,
    Jpeg,
    Png,
}

impl ProofType {
    pub const ALL: [ProofType; 3] = [ProofType::Pdf, ProofType::Jpeg, ProofType::Png];

    /// The MIME type the file is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ProofType::Pdf => "application/pdf",
            ProofType::Jpeg => "image/jpeg",
            ProofType::Png => "image/png",
        }
    }

    /// Canonical file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ProofType::Pdf => "pdf",
            ProofType::Jpeg => "jpg",
            ProofType::Png => "png",
        }
    }

    /// Reads back a stored `content_type` column (only the three values
    /// [`ProofType::content_type`] writes).
    pub fn from_content_type(content_type: &str) -> Option<ProofType> {
        ProofType::ALL
            .into_iter()
            .find(|t| t.content_type() == content_type)
    }

    /// Whether `ext` (no dot, any case) is a usual extension for this type.
    fn accepts_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            ProofType::Pdf => ext == "pdf",
            ProofType::Jpeg => ext == "jpg" || ext == "jpeg",
            ProofType::Png => ext == "png",
        }
    }
}

/// The file type, decided by magic bytes only. `None` for anything else
/// (zip, HTML, SVG, empty or truncated input), whatever it claims to be.
pub fn sniff(bytes: &[u8]) -> Option<ProofType> {
    const PDF: &[u8] = b"%PDF-";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if bytes.starts_with(PDF) {
        Some(ProofType::Pdf)
    } else if bytes.starts_with(JPEG) {
        Some(ProofType::Jpeg)
    } else if bytes.starts_with(PNG) {
        Some(ProofType::Png)
    } else {
        None
    }
}

/// Combining diacritics, kept after a letter so that names in decomposed
/// form (macOS sends `e` + U+0301 for `é`) keep their accents.
fn is_combining_diacritic(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Turns the name the citizen's browser sent into display text for the
/// desk: the last path component (`/` or `\`), letters (any script, with
/// accents), digits, space and `. - _ ( )` only, everything else acting as
/// a word break; whitespace collapsed; no leading dots or hyphens; at most
/// [`DISPLAY_NAME_MAX_CHARS`] characters; always ending with an extension
/// that matches the sniffed type (`facture.html` sniffed as PDF becomes
/// `facture.html.pdf`, so a download never opens in the wrong program);
/// `justificatif.<ext>` when nothing is left.
///
/// The result is never used as a path. It is safe inside a quoted
/// `Content-Disposition` filename (no quotes, semicolons, backslashes or
/// control characters), though non-ASCII letters still need the RFC 6266
/// `filename*` form there.
pub fn sanitize_display_name(raw: &str, kind: ProofType) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();

    // Keep the safe characters; anything else is a word break.
    let mut cleaned = String::with_capacity(last.len());
    let mut pending_break = false;
    let mut marks_after_letter: Option<u8> = None;
    for c in last.chars() {
        if crate::domain::values::is_invisible_format(c) {
            continue;
        }
        if is_combining_diacritic(c) {
            if let Some(n) = marks_after_letter.as_mut()
                && *n < 2
            {
                *n += 1;
                cleaned.push(c);
            }
            continue;
        }
        if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '(' | ')') {
            if pending_break && !cleaned.is_empty() {
                cleaned.push(' ');
            }
            pending_break = false;
            cleaned.push(c);
            marks_after_letter = c.is_alphabetic().then_some(0);
        } else {
            // Space, other whitespace, control characters, separators and
            // every other symbol.
            pending_break = true;
            marks_after_letter = None;
        }
    }

    // The extension, when it already fits the type.
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if kind.accepts_extension(ext) => (stem, ext.to_owned()),
        _ => (cleaned.as_str(), kind.extension().to_owned()),
    };
    let stem = tidy_stem(stem);
    let room = DISPLAY_NAME_MAX_CHARS - 1 - ext.chars().count();
    let stem = match stem.char_indices().nth(room) {
        Some((cut, _)) => tidy_stem(&stem[..cut]),
        None => stem,
    };
    let stem = if stem.is_empty() {
        "justificatif"
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

/// No leading dots (hidden files), hyphens (option-like) or spaces; no
/// trailing dots or spaces (Windows drops them).
fn tidy_stem(stem: &str) -> &str {
    stem.trim_start_matches(['.', '-', ' '])
        .trim_end_matches(['.', ' '])
}

/// An encrypted proof as stored in `identity_proofs`.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedProof {
    /// The file sealed with its data key; Poly1305 tag appended.
    pub ciphertext: Vec<u8>,
    /// The 24-byte nonce of `ciphertext`.
    pub nonce: Vec<u8>,
    /// The data key sealed under the master key: nonce || sealed key || tag.
    pub wrapped_key: Vec<u8>,
    /// Id of the master key that wrapped the data key.
    pub key_id: String,
}

impl std::fmt::Debug for SealedProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedProof")
            .field("ciphertext_len", &self.ciphertext.len())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Why a proof cannot be opened or re-wrapped. Messages carry ids only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("proof was sealed with key {key_id} which is not configured")]
    UnknownKey { key_id: String },
    #[error(
        "the data key of proof {proof_id} does not unwrap with key {key_id}: \
         wrong key, or the wrapped key was altered or belongs to another proof"
    )]
    Unwrap { proof_id: ProofId, key_id: String },
    #[error(
        "proof {proof_id} does not decrypt: its ciphertext was altered or belongs to \
         another request or proof"
    )]
    Decrypt { proof_id: ProofId },
    #[error("proof {proof_id} has a malformed {field}")]
    Malformed {
        proof_id: ProofId,
        field: &'static str,
    },
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

fn wrap_data_key(master: &MasterKey, proof_id: &ProofId, data_key: &[u8; KEY_LEN]) -> Vec<u8> {
    let aad = associated_data(WRAP_AAD_LABEL, &[proof_id.as_str(), master.id()]);
    seal::seal(master, WRAP_KEY_PURPOSE, &aad, data_key)
}

fn unwrap_data_key(
    master: &MasterKey,
    proof_id: &ProofId,
    wrapped: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>, ProofError> {
    if wrapped.len() != WRAPPED_KEY_LEN {
        return Err(ProofError::Malformed {
            proof_id: proof_id.clone(),
            field: "wrapped key",
        });
    }
    let aad = associated_data(WRAP_AAD_LABEL, &[proof_id.as_str(), master.id()]);
    let opened =
        seal::open(master, WRAP_KEY_PURPOSE, &aad, wrapped).ok_or_else(|| ProofError::Unwrap {
            proof_id: proof_id.clone(),
            key_id: master.id().to_owned(),
        })?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&opened);
    Ok(key)
}

/// Encrypts one file under a fresh data key wrapped by `master`. The
/// result opens only with the same `request_id` and `proof_id`, so the
/// proof id must be chosen before sealing.
pub fn seal(
    master: &MasterKey,
    request_id: &RequestId,
    proof_id: &ProofId,
    plaintext: &[u8],
) -> SealedProof {
    let data_key = Zeroizing::new(random_bytes::<KEY_LEN>());
    let nonce = random_bytes::<NONCE_LEN>();
    let aad = associated_data(CONTENT_AAD_LABEL, &[request_id.as_str(), proof_id.as_str()]);
    let ciphertext = XChaCha20Poly1305::new(Key::from_slice(data_key.as_slice()))
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts messages up to 256 GiB");
    SealedProof {
        ciphertext,
        nonce: nonce.to_vec(),
        wrapped_key: wrap_data_key(master, proof_id, &data_key),
        key_id: master.id().to_owned(),
    }
}

/// Decrypts a proof with whichever key of `keyring` has its key id (the
/// current master key, plus any previous one during a rotation). Pass a
/// single key as `std::slice::from_ref(&key)`.
pub fn open(
    keyring: &[MasterKey],
    request_id: &RequestId,
    proof_id: &ProofId,
    sealed: &SealedProof,
) -> Result<Vec<u8>, ProofError> {
    let master = keyring
        .iter()
        .find(|k| k.id() == sealed.key_id)
        .ok_or_else(|| ProofError::UnknownKey {
            key_id: sealed.key_id.clone(),
        })?;
    if sealed.nonce.len() != NONCE_LEN {
        return Err(ProofError::Malformed {
            proof_id: proof_id.clone(),
            field: "nonce",
        });
    }
    let data_key = unwrap_data_key(master, proof_id, &sealed.wrapped_key)?;
    let aad = associated_data(CONTENT_AAD_LABEL, &[request_id.as_str(), proof_id.as_str()]);
    XChaCha20Poly1305::new(Key::from_slice(data_key.as_slice()))
        .decrypt(
            XNonce::from_slice(&sealed.nonce),
            Payload {
                msg: &sealed.ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| ProofError::Decrypt {
            proof_id: proof_id.clone(),
        })
}

/// Key rotation: unwraps a data key with `old` and wraps it again with
/// `new` (fresh nonce), leaving the file's ciphertext untouched. Store the
/// result with `new.id()` as the key id.
pub fn rewrap(
    old: &MasterKey,
    new: &MasterKey,
    proof_id: &ProofId,
    wrapped_key: &[u8],
) -> Result<Vec<u8>, ProofError> {
    let data_key = unwrap_data_key(old, proof_id, wrapped_key)?;
    Ok(wrap_data_key(new, proof_id, &data_key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static REQUEST: LazyLock<RequestId> =
        LazyLock::new(|| RequestId::from("0195f0c0-0000-7000-8000-000000000001"));
    static PROOF: LazyLock<ProofId> =
        LazyLock::new(|| ProofId::from("0195f0c0-0000-7000-8000-0000000000aa"));

    fn pdf(body: &[u8]) -> Vec<u8> {
        let mut v = b"%PDF-1.7\n".to_vec();
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn round_trip() {
        let key = MasterKey::generate();
        let plain = pdf(b"carte nationale d'identite");
        let sealed = seal(&key, &REQUEST, &PROOF, &plain);
        assert_eq!(sealed.key_id, key.id());
        assert_eq!(sealed.nonce.len(), NONCE_LEN);
        assert_eq!(sealed.wrapped_key.len(), WRAPPED_KEY_LEN);
        assert_eq!(sealed.ciphertext.len(), plain.len() + TAG_LEN);
        assert!(
            !sealed
                .ciphertext
                .windows(plain.len().min(16))
                .any(|w| w == &plain[..16])
        );
        let opened = open(std::slice::from_ref(&key), &REQUEST, &PROOF, &sealed).unwrap();
        assert_eq!(opened, plain);
        // Empty files seal and open too (the upload layer refuses them).
        let empty = seal(&key, &REQUEST, &PROOF, b"");
        assert!(open(&[key], &REQUEST, &PROOF, &empty).unwrap().is_empty());
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_does_not_open() {
        let key = MasterKey::generate();
        let sealed = seal(&key, &REQUEST, &PROOF, &pdf(b"x"));
        let ring = [key];
        let other = "0195f0c0-0000-7000-8000-000000000002";
        assert_eq!(
            open(&ring, &RequestId::from(other), &PROOF, &sealed),
            Err(ProofError::Decrypt {
                proof_id: PROOF.clone()
            })
        );
        // Another proof id: the wrapped key is bound to it already.
        assert!(matches!(
            open(&ring, &REQUEST, &ProofId::from(other), &sealed),
            Err(ProofError::Unwrap { .. })
        ));
        // Field boundaries are length-prefixed: shifting a character from
        // one id to the other is still a different context.
        let a = seal(&ring[0], &"ab".into(), &"c".into(), b"x");
        assert!(open(&ring, &"a".into(), &"bc".into(), &a).is_err());
    }

    #[test]
    fn tampering_is_detected() {
        let key = MasterKey::generate();
        let ring = [key.clone()];
        let sealed = seal(&key, &REQUEST, &PROOF, &pdf(&[7u8; 1000]));

        for i in [0, 500, sealed.ciphertext.len() - 1] {
            let mut t = sealed.clone();
            t.ciphertext[i] ^= 0x01;
            assert!(matches!(
                open(&ring, &REQUEST, &PROOF, &t),
                Err(ProofError::Decrypt { .. })
            ));
        }
        let mut t = sealed.clone();
        t.ciphertext.truncate(t.ciphertext.len() - 1);
        assert!(open(&ring, &REQUEST, &PROOF, &t).is_err());

        let mut t = sealed.clone();
        t.nonce[3] ^= 0x80;
        assert!(open(&ring, &REQUEST, &PROOF, &t).is_err());
        t.nonce.pop();
        assert!(matches!(
            open(&ring, &REQUEST, &PROOF, &t),
            Err(ProofError::Malformed { field: "nonce", .. })
        ));

        for i in [0, NONCE_LEN, WRAPPED_KEY_LEN - 1] {
            let mut t = sealed.clone();
            t.wrapped_key[i] ^= 0x01;
            assert!(matches!(
                open(&ring, &REQUEST, &PROOF, &t),
                Err(ProofError::Unwrap { .. })
            ));
        }
        let mut t = sealed.clone();
        t.wrapped_key.push(0);
        assert!(matches!(
            open(&ring, &REQUEST, &PROOF, &t),
            Err(ProofError::Malformed { .. })
        ));

        // A wrapped key swapped in from another proof does not unwrap.
        let other = seal(&key, &REQUEST, &"another-proof".into(), &pdf(b"y"));
        let mut t = sealed.clone();
        t.wrapped_key = other.wrapped_key;
        assert!(open(&ring, &REQUEST, &PROOF, &t).is_err());
    }

    #[test]
    fn unknown_and_wrong_keys_are_named() {
        let key = MasterKey::generate();
        let sealed = seal(&key, &REQUEST, &PROOF, b"x");
        let stranger = MasterKey::generate();
        let err = open(std::slice::from_ref(&stranger), &REQUEST, &PROOF, &sealed).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "proof was sealed with key {} which is not configured",
                key.id()
            )
        );
        // A key that claims the right id but is not the key.
        let mut forged = sealed.clone();
        forged.key_id = stranger.id().to_owned();
        assert!(matches!(
            open(&[stranger, key.clone()], &REQUEST, &PROOF, &forged),
            Err(ProofError::Unwrap { .. })
        ));
        // The right key among several.
        let ring = [MasterKey::generate(), key, MasterKey::generate()];
        assert_eq!(open(&ring, &REQUEST, &PROOF, &sealed).unwrap(), b"x");
    }

    #[test]
    fn every_file_gets_its_own_key_and_nonces() {
        let key = MasterKey::generate();
        let plain = pdf(&[0u8; 64]);
        let a = seal(&key, &REQUEST, &PROOF, &plain);
        let b = seal(&key, &REQUEST, &PROOF, &plain);
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.wrapped_key, b.wrapped_key);
        assert_ne!(a.wrapped_key[..NONCE_LEN], b.wrapped_key[..NONCE_LEN]);
        assert_ne!(a.ciphertext, b.ciphertext);
        let ka = unwrap_data_key(&key, &PROOF, &a.wrapped_key).unwrap();
        let kb = unwrap_data_key(&key, &PROOF, &b.wrapped_key).unwrap();
        assert_ne!(*ka, *kb);
        // The data key is neither the master key nor the wrapping key.
        assert_ne!(&*ka, key.bytes());
        assert_ne!(*ka, key.derive(WRAP_KEY_PURPOSE));
    }

    #[test]
    fn rewrap_moves_a_proof_to_the_new_key_without_touching_the_file() {
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let plain = pdf(b"passeport");
        let sealed = seal(&old, &REQUEST, &PROOF, &plain);
        let wrapped = rewrap(&old, &new, &PROOF, &sealed.wrapped_key).unwrap();
        assert_ne!(wrapped, sealed.wrapped_key);
        let moved = SealedProof {
            wrapped_key: wrapped.clone(),
            key_id: new.id().to_owned(),
            ..sealed.clone()
        };
        assert_eq!(
            open(std::slice::from_ref(&new), &REQUEST, &PROOF, &moved).unwrap(),
            plain
        );
        // The old key no longer opens the re-wrapped key.
        assert!(
            open(
                std::slice::from_ref(&old),
                &REQUEST,
                &PROOF,
                &SealedProof {
                    key_id: old.id().to_owned(),
                    ..moved.clone()
                }
            )
            .is_err()
        );
        // Re-wrapping twice from the old key fails: that row has moved.
        assert!(matches!(
            rewrap(&old, &new, &PROOF, &wrapped),
            Err(ProofError::Unwrap { .. })
        ));
        // The wrong proof id does not re-wrap.
        assert!(rewrap(&old, &new, &"other".into(), &sealed.wrapped_key).is_err());
    }

    #[test]
    fn sniff_trusts_magic_bytes_only() {
        assert_eq!(
            sniff(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"),
            Some(ProofType::Pdf)
        );
        assert_eq!(sniff(b"%PDF-"), Some(ProofType::Pdf));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F']),
            Some(ProofType::Jpeg)
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, b'E', b'x', b'i', b'f']),
            Some(ProofType::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            Some(ProofType::Png)
        );

        let refused: &[&[u8]] = &[
            b"",
            b"PK\x03\x04\x14\x00\x00\x00",
            b"<!DOCTYPE html><html><script>alert(1)</script>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"GIF89a",
            b"MZ\x90\x00",
            b"%PDF",
            b"%pdf-1.4",
            b" %PDF-1.4",
            b"\xEF\xBB\xBF%PDF-1.4",
            &[0xFF, 0xD8],
            b"\x89PNG\r\n\x1a",
            b"\x89PNG\n\r\x1a\n",
        ];
        for bytes in refused {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn proof_types_round_trip_their_content_type() {
        for t in ProofType::ALL {
            assert_eq!(ProofType::from_content_type(t.content_type()), Some(t));
            assert!(t.accepts_extension(t.extension()));
        }
        assert_eq!(ProofType::from_content_type("text/html"), None);
        assert_eq!(ProofType::Jpeg.extension(), "jpg");
    }

    #[test]
    fn display_names_are_text_not_paths() {
        use ProofType::*;
        let cases: &[(&str, ProofType, &str)] = &[
            ("carte.pdf", Pdf, "carte.pdf"),
            ("../../etc/passwd", Pdf, "passwd.pdf"),
            ("..\\..\\windows\\win.ini", Pdf, "win.ini.pdf"),
            ("C:\\Users\\x\\carte.pdf", Pdf, "carte.pdf"),
            (
                "/home/x/Scan 2026-01-03 (1).PDF",
                Pdf,
                "Scan 2026-01-03 (1).PDF",
            ),
            (
                "carte\r\nContent-Type: text-html.pdf",
                Pdf,
                "carte Content-Type text-html.pdf",
            ),
            ("text/html.pdf", Pdf, "html.pdf"),
            ("carte\u{0}.pdf", Pdf, "carte.pdf"),
            (
                "pièce d'identité été.jpeg",
                Jpeg,
                "pièce d identité été.jpeg",
            ),
            ("Ärger_Œuvre-ñ.png", Png, "Ärger_Œuvre-ñ.png"),
            ("身份证.png", Png, "身份证.png"),
            // Decomposed accents (macOS) keep their marks; a pile of them does not.
            ("e\u{301}te\u{301}.pdf", Pdf, "e\u{301}te\u{301}.pdf"),
            (
                "z\u{301}\u{302}\u{303}\u{304}.pdf",
                Pdf,
                "z\u{301}\u{302}.pdf",
            ),
            ("\u{301}x.pdf", Pdf, "x.pdf"),
            ("carte\u{202E}fdp.exe", Pdf, "cartefdp.exe.pdf"),
            ("zero\u{200B}width\u{FEFF}.pdf", Pdf, "zerowidth.pdf"),
            (".htaccess", Pdf, "htaccess.pdf"),
            ("...", Png, "justificatif.png"),
            ("", Jpeg, "justificatif.jpg"),
            ("   ", Pdf, "justificatif.pdf"),
            ("/", Pdf, "justificatif.pdf"),
            ("dir/", Pdf, "justificatif.pdf"),
            (".pdf", Pdf, "justificatif.pdf"),
            ("-rf .pdf", Pdf, "rf.pdf"),
            ("<b>alert(1)<b>.pdf", Pdf, "b alert(1) b.pdf"),
            ("<script>x</script>.pdf", Pdf, "script.pdf"),
            ("a\"b;c\\d.pdf", Pdf, "d.pdf"),
            ("a\"b;c.pdf", Pdf, "a b c.pdf"),
            ("  plusieurs \t espaces  .pdf", Pdf, "plusieurs espaces.pdf"),
            ("photo.png", Jpeg, "photo.png.jpg"),
            ("photo.JPG", Jpeg, "photo.JPG"),
            ("invoice.html", Pdf, "invoice.html.pdf"),
            ("archive.pdf.zip", Pdf, "archive.pdf.zip.pdf"),
            ("fin avec points...pdf", Pdf, "fin avec points.pdf"),
        ];
        for (raw, kind, expected) in cases {
            assert_eq!(&sanitize_display_name(raw, *kind), expected, "{raw:?}");
        }
    }

    #[test]
    fn long_names_are_capped_keeping_the_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let name = sanitize_display_name(&long, ProofType::Pdf);
        assert_eq!(name.chars().count(), DISPLAY_NAME_MAX_CHARS);
        assert!(name.ends_with("é.pdf"));
        let long = "a".repeat(300);
        let name = sanitize_display_name(&long, ProofType::Jpeg);
        assert_eq!(name, format!("{}.jpg", "a".repeat(76)));
        // A cut that lands just before a space leaves no trailing space.
        let spaced = format!("{} b.pdf", "a".repeat(75));
        assert_eq!(
            sanitize_display_name(&spaced, ProofType::Pdf),
            format!("{}.pdf", "a".repeat(75))
        );
    }

    /// Arbitrary text, heavy in the characters the sanitiser treats specially.
    fn name_strategy() -> impl Strategy<Value = String> {
        let special = proptest::sample::select(vec![
            '.', '.', '/', '\\', ' ', '\t', '\n', '-', '(', '\u{301}', '\u{302}', '\u{200B}', 'é',
            'p', 'd', 'f', 'j', 'g', 'P', 'D', 'F',
        ]);
        proptest::collection::vec(prop_oneof![any::<char>(), special], 0..200)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_name_gives_safe_stable_display_text(
            raw in prop_oneof![".{0,400}", name_strategy()],
            kind in proptest::sample::select(ProofType::ALL.to_vec()),
        ) {
            let name = sanitize_display_name(&raw, kind);
            prop_assert!(!name.is_empty());
            prop_assert!(name.chars().count() <= DISPLAY_NAME_MAX_CHARS);
            prop_assert!(!name.starts_with(['.', '-', ' ']));
            prop_assert!(!name.contains(['/', '\\', '"', ';', ':', '\'', '<', '>']));
            prop_assert!(!name.chars().any(char::is_control));
            prop_assert!(!name.contains("  "));
            let (_, ext) = name.rsplit_once('.').unwrap();
            prop_assert!(kind.accepts_extension(ext));
            prop_assert_eq!(sanitize_display_name(&name, kind), name);
        }

        #[test]
        fn any_file_round_trips(plain in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let key = MasterKey::generate();
            let sealed = seal(&key, &REQUEST, &PROOF, &plain);
            prop_assert_eq!(open(&[key], &REQUEST, &PROOF, &sealed).unwrap(), plain);
        }
    }
}
