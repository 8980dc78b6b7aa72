//! The optional second factor of staff logins: time-based one-time codes
//! (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), which every common
//! authenticator app reads from an `otpauth://` URI.
//!
//! Codes are checked at the instant the injected clock gives, never the
//! system time, and a code is accepted for the step before and after the
//! current one so a phone a few seconds off still works. Each accepted
//! code's step is recorded on the account (`staff.totp_last_step`) and a
//! code whose step is not after it is refused: a code seen over a
//! shoulder or replayed from a proxy log opens nothing. The record is a
//! guarded UPDATE ([`crate::store::staff::record_totp_step`]), so two
//! logins racing with the same code cannot both pass.
//!
//! The shared secret is stored sealed with XChaCha20-Poly1305 under a key
//! derived from the master key, bound to the account's id and tagged with
//! the master key's id: a copy of the database alone yields no secret, and
//! `keys rotate` re-seals the secrets with the proofs' keys. A secret being
//! set up travels in the enrolment form sealed under another derived key
//! and bound to the session, so nothing is stored until a code confirms it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::NaiveDateTime;
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};
use zeroize::Zeroizing;

use super::keys::MasterKey;
use super::seal::{self, associated_data};
use crate::domain::ids::StaffId;

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of the current one.
pub const SKEW_STEPS: i64 = 1;
/// 160 bits, the length RFC 4226 recommends for HMAC-SHA-1.
pub const SECRET_LEN: usize = 20;
pub const ISSUER: &str = "dsr-tracker";

const STORED_PURPOSE: &str = "staff-totp/secret/v1";
const PENDING_PURPOSE: &str = "staff-totp/pending/v1";
const STORED_PREFIX: &str = "v1";

/// A TOTP shared secret; wiped from memory when dropped.
#[derive(Clone)]
pub struct TotpSecret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("the code is not {DIGITS} digits")]
    Malformed,
    #[error("the code does not match")]
    Wrong,
    #[error("the code was already used")]
    Replayed,
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("stored TOTP secret is malformed")]
    Malformed,
    #[error("stored TOTP secret is sealed with master key {0}, which is not configured")]
    UnknownKey(String),
    #[error("stored TOTP secret does not open with this key and account")]
    Open,
}

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new(vec![0u8; SECRET_LEN]);
        rand::rng().fill_bytes(&mut bytes);
        TotpSecret(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        TotpSecret(Zeroizing::new(bytes))
    }

    /// What a person types into an app that cannot scan the QR code.
    pub fn base32(&self) -> String {
        Secret::Raw(self.0.to_vec()).to_encoded().to_string()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn totp(&self, issuer: Option<String>, account: String) -> TOTP {
        TOTP::new_unchecked(
            Algorithm::SHA1,
            DIGITS,
            SKEW_STEPS as u8,
            STEP_SECONDS as u64,
            self.0.to_vec(),
            issuer,
            account,
        )
    }

    /// The code of one time step (what the phone shows during it).
    pub fn code_at_step(&self, step: i64) -> String {
        let seconds = u64::try_from(step.max(0) * STEP_SECONDS).unwrap_or(0);
        self.totp(None, String::new()).generate(seconds)
    }

    /// The `otpauth://` URI an authenticator app scans. The issuer names
    /// the instance ("dsr-tracker (host)") so that a DPO with accounts on
    /// two instances can tell the codes apart.
    pub fn otpauth_uri(&self, public_url: &str, account: &str) -> String {
        // A ':' would end the label early in apps; e-mails have none.
        self.totp(Some(issuer(public_url)), account.replace(':', ""))
            .get_url()
    }
}

/// "dsr-tracker (dsr.example.fr)" for `https://dsr.example.fr:8443/x`.
pub fn issuer(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => host_port,
    };
    if host.is_empty() || host.contains(':') {
        // An IPv6 literal would break the label's "issuer:account" form.
        ISSUER.to_owned()
    } else {
        format!("{ISSUER} ({host})")
    }
}

/// The time step containing `at`.
pub fn step_at(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp().div_euclid(STEP_SECONDS)
}

/// What was typed, without the spaces apps show in the middle, if it has
/// the shape of a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// Checks `typed` at `at` (±[`SKEW_STEPS`]) and returns the step it
/// matches, which the caller must record with
/// [`crate::store::staff::record_totp_step`]. A code that matches only
/// steps at or before `last_step` is a replay.
pub fn verify(
    secret: &TotpSecret,
    typed: &str,
    at: NaiveDateTime,
    last_step: Option<i64>,
) -> Result<i64, TotpError> {
    let code = normalize_code(typed).ok_or(TotpError::Malformed)?;
    let now = step_at(at);
    let mut replayed = false;
    for step in now - SKEW_STEPS..=now + SKEW_STEPS {
        let expected = secret.code_at_step(step);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            if last_step.is_some_and(|last| step <= last) {
                replayed = true;
            } else {
                return Ok(step);
            }
        }
    }
    Err(if replayed {
        TotpError::Replayed
    } else {
        TotpError::Wrong
    })
}

/// The value of `staff.totp_secret`: `v1:<master key id>:<sealed>`.
pub fn seal_stored(master: &MasterKey, staff_id: &StaffId, secret: &TotpSecret) -> String {
    let aad = associated_data(STORED_PURPOSE, &[staff_id.as_str(), master.id()]);
    let sealed = seal::seal(master, STORED_PURPOSE, &aad, secret.bytes());
    format!("{STORED_PREFIX}:{}:{}", master.id(), B64.encode(sealed))
}

/// The master key id a stored secret is sealed with.
pub fn stored_key_id(stored: &str) -> Option<&str> {
    let mut parts = stored.splitn(3, ':');
    (parts.next()? == STORED_PREFIX).then_some(())?;
    parts.next()
}

/// Opens `staff.totp_secret` with whichever key of `keyring` sealed it.
pub fn open_stored(
    keyring: &[MasterKey],
    staff_id: &StaffId,
    stored: &str,
) -> Result<TotpSecret, SealError> {
    let mut parts = stored.splitn(3, ':');
    let (Some(STORED_PREFIX), Some(key_id), Some(body)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(SealError::Malformed);
    };
    let master = keyring
        .iter()
        .find(|k| k.id() == key_id)
        .ok_or_else(|| SealError::UnknownKey(key_id.to_owned()))?;
    let sealed = B64.decode(body).map_err(|_| SealError::Malformed)?;
    let aad = associated_data(STORED_PURPOSE, &[staff_id.as_str(), master.id()]);
    seal::open(master, STORED_PURPOSE, &aad, &sealed)
        .map(TotpSecret)
        .ok_or(SealError::Open)
}

/// A secret being set up, for the enrolment form's hidden field. It opens
/// only in the same session (`session_id` is the session row's id).
pub fn seal_pending(master: &MasterKey, session_id: &str, secret: &TotpSecret) -> String {
    let aad = associated_data(PENDING_PURPOSE, &[session_id]);
    B64.encode(seal::seal(master, PENDING_PURPOSE, &aad, secret.bytes()))
}

pub fn open_pending(master: &MasterKey, session_id: &str, token: &str) -> Option<TotpSecret> {
    let sealed = B64.decode(token.trim()).ok()?;
    let aad = associated_data(PENDING_PURPOSE, &[session_id]);
    seal::open(master, PENDING_PURPOSE, &aad, &sealed)
        .map(TotpSecret)
        .filter(|s| s.bytes().len() == SECRET_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn at(seconds: i64) -> NaiveDateTime {
        DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
    }

    /// RFC 6238 appendix B, SHA-1 (the 8-digit vectors end with these 6).
    #[test]
    fn rfc6238_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(secret.code_at_step(time / STEP_SECONDS), code);
            assert_eq!(
                verify(&secret, code, at(time), None),
                Ok(time / STEP_SECONDS)
            );
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let secret = TotpSecret::generate();
        let now = at(1_772_438_400 + 7);
        let step = step_at(now);
        for offset in [-1, 0, 1] {
            let code = secret.code_at_step(step + offset);
            assert_eq!(verify(&secret, &code, now, None), Ok(step + offset));
        }
        for offset in [-3, -2, 2, 3] {
            let code = secret.code_at_step(step + offset);
            // A random secret's codes may collide by chance (1 in 10^6).
            if (-1..=1).all(|o| secret.code_at_step(step + o) != code) {
                assert_eq!(verify(&secret, &code, now, None), Err(TotpError::Wrong));
            }
        }
    }

    #[test]
    fn a_code_at_or_before_the_last_step_is_a_replay() {
        let secret = TotpSecret::generate();
        let now = at(1_772_438_400);
        let step = step_at(now);
        let code = secret.code_at_step(step);
        assert_eq!(verify(&secret, &code, now, Some(step - 1)), Ok(step));
        assert_eq!(
            verify(&secret, &code, now, Some(step)),
            Err(TotpError::Replayed)
        );
        // Still a replay ten seconds later, inside the skew window.
        assert_eq!(
            verify(&secret, &code, at(1_772_438_410), Some(step)),
            Err(TotpError::Replayed)
        );
        // The next step's code passes once.
        let next = secret.code_at_step(step + 1);
        assert_eq!(
            verify(&secret, &next, at(1_772_438_430), Some(step)),
            Ok(step + 1)
        );
        // A previous step's code after a later one was used: refused too.
        let previous = secret.code_at_step(step - 1);
        assert_eq!(
            verify(&secret, &previous, now, Some(step)),
            Err(TotpError::Replayed)
        );
    }

    #[test]
    fn codes_are_six_digits_spaces_allowed() {
        assert_eq!(normalize_code(" 123 456 ").as_deref(), Some("123456"));
        for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
        let secret = TotpSecret::generate();
        assert_eq!(
            verify(&secret, "abc", at(0), None),
            Err(TotpError::Malformed)
        );
    }

    #[test]
    fn stored_secrets_open_only_for_their_account_and_key() {
        let key = MasterKey::generate();
        let other = MasterKey::generate();
        let secret = TotpSecret::generate();
        let stored = seal_stored(&key, &"staff-1".into(), &secret);
        assert!(!stored.contains(&secret.base32()));
        assert_eq!(stored_key_id(&stored), Some(key.id()));
        let opened = open_stored(std::slice::from_ref(&key), &"staff-1".into(), &stored).unwrap();
        assert_eq!(opened.bytes(), secret.bytes());
        assert!(matches!(
            open_stored(std::slice::from_ref(&key), &"staff-2".into(), &stored),
            Err(SealError::Open)
        ));
        assert!(matches!(
            open_stored(std::slice::from_ref(&other), &"staff-1".into(), &stored),
            Err(SealError::UnknownKey(_))
        ));
        assert!(matches!(
            open_stored(std::slice::from_ref(&key), &"staff-1".into(), "garbage"),
            Err(SealError::Malformed)
        ));
    }

    #[test]
    fn pending_secrets_are_bound_to_the_session() {
        let key = MasterKey::generate();
        let secret = TotpSecret::generate();
        let token = seal_pending(&key, "session-a", &secret);
        assert_eq!(
            open_pending(&key, "session-a", &token).unwrap().bytes(),
            secret.bytes()
        );
        assert!(open_pending(&key, "session-b", &token).is_none());
        assert!(open_pending(&key, "session-a", "not-base64!").is_none());
        // The stored key and the pending key are different keys.
        assert!(
            open_stored(
                std::slice::from_ref(&key),
                &"session-a".into(),
                &format!("v1:{}:{token}", key.id())
            )
            .is_err()
        );
    }

    #[test]
    fn otpauth_uri_names_the_instance_and_the_account() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let uri = secret.otpauth_uri("https://dsr.example.fr:8443/", "dpo@issy.example.fr");
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains("dpo%40issy.example.fr"), "{uri}");
        assert!(
            uri.contains(&format!("secret={}", secret.base32())),
            "{uri}"
        );
        assert!(
            uri.contains("issuer=dsr-tracker%20%28dsr.example.fr%29"),
            "{uri}"
        );
        assert_eq!(issuer("http://127.0.0.1:8080"), "dsr-tracker (127.0.0.1)");
        assert_eq!(issuer("http://[::1]:8080"), "dsr-tracker");
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }
}
