//! The suppression list: addresses that objected to direct marketing
//! (GDPR art. 21(2)-(3)) and must not be contacted for it again.
//!
//! The list never holds an address in clear: each entry is the
//! HMAC-SHA-256 of the normalised address (trimmed, lowercased), keyed by a
//! secret kept sealed under the master key ([`load_key`]). Someone who
//! reads the database cannot list the addresses, nor test a guess without
//! the master key. (A list that already had entries when the secret was
//! introduced keeps the key it was made with, derived from the master key
//! of that time: whoever holds that old key can still test guesses.)
//!
//! The HMAC key is a stored secret rather than a key derived from the
//! master key because the hashes cannot be recomputed without the
//! addresses: a derived key would change with every master-key rotation
//! and silently forget every objection. `keys rotate` re-seals the secret;
//! its value never changes.
//!
//! Entries are kept at least three years (the privacy policy's "at least";
//! [`RetentionSettings::suppression_months`](crate::domain::retention::RetentionSettings::suppression_months))
//! and then deleted by the purge.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::db::schema::suppression_entries;
use crate::domain::ids::{ControllerId, RequestId};
use crate::security::keys::MasterKey;
use crate::store::secrets::{self, Resealed, SecretError};

/// The purpose of the sealed secret (`sealed_secrets.purpose`), and the
/// [`MasterKey::derive`] purpose that keyed the list before the secret
/// existed, which is the secret's first value.
pub const KEY_PURPOSE: &str = "suppression-list";

/// The HMAC key of the suppression list; wiped from memory when dropped.
#[derive(Clone)]
pub struct SuppressionKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SuppressionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuppressionKey(..)")
    }
}

impl SuppressionKey {
    fn from_secret(secret: &[u8]) -> Result<Self, SecretError> {
        let bytes: [u8; 32] = secret.try_into().map_err(|_| SecretError::Malformed {
            purpose: KEY_PURPOSE.to_owned(),
        })?;
        Ok(SuppressionKey(Zeroizing::new(bytes)))
    }

    /// Hex HMAC-SHA-256 of the normalised address.
    pub fn hash(&self, email: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&*self.0).expect("HMAC accepts any key length");
        mac.update(normalise(email).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The list's key: the secret sealed under `master`. The first call on a
/// database without it creates it: random on an empty list (a new
/// installation: the key then owes nothing to any master key), or
/// `master.derive(KEY_PURPOSE)` when entries exist, the key they were
/// hashed with before the secret existed, so they stay recognisable. Fails
/// when the secret is sealed with another master key (a rotation not
/// finished) or does not open (an altered row): the list must not be
/// consulted with a wrong key, which would answer "not suppressed".
pub fn load_key(
    conn: &mut DbConn,
    master: &MasterKey,
    now: NaiveDateTime,
) -> Result<SuppressionKey, SecretError> {
    // Entries are only ever added with a loaded key, so an empty list
    // cannot gain a derived-key entry between this count and the insert.
    let legacy_entries: i64 = suppression_entries::table.count().get_result(conn)?;
    let secret = secrets::load_or_init(
        conn,
        master,
        KEY_PURPOSE,
        || {
            if legacy_entries > 0 {
                Zeroizing::new(master.derive(KEY_PURPOSE).to_vec())
            } else {
                let mut fresh = Zeroizing::new(vec![0u8; 32]);
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh[..]);
                fresh
            }
        },
        now,
    )?;
    SuppressionKey::from_secret(&secret)
}

/// Key rotation: moves the list's secret from `old` to `new` (creating it
/// first, under `old`, on a database that never loaded it), so the entries
/// stay recognisable under the new master key.
pub fn reseal_key(
    conn: &mut DbConn,
    old: &MasterKey,
    new: &MasterKey,
    now: NaiveDateTime,
) -> Result<Resealed, SecretError> {
    conn.transaction(|conn| {
        if secrets::find(conn, KEY_PURPOSE)?.is_none() {
            load_key(conn, old, now)?;
        }
        secrets::reseal(conn, KEY_PURPOSE, old, new, now)
    })
}

/// The key as a web process holds it: loaded from the database on first
/// use, then kept. Its value never changes (a rotation only re-seals it),
/// so a process that loaded it stays right across a rotation.
#[derive(Clone)]
pub struct KeyCache {
    master: Arc<MasterKey>,
    key: Arc<OnceLock<SuppressionKey>>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache(..)")
    }
}

impl KeyCache {
    pub fn new(master: Arc<MasterKey>) -> Self {
        KeyCache {
            master,
            key: Arc::new(OnceLock::new()),
        }
    }

    /// The key, loading it ([`load_key`]) on the first call.
    pub fn get(
        &self,
        conn: &mut DbConn,
        now: NaiveDateTime,
    ) -> Result<SuppressionKey, SecretError> {
        if let Some(key) = self.key.get() {
            return Ok(key.clone());
        }
        let key = load_key(conn, &self.master, now)?;
        Ok(self.key.get_or_init(|| key).clone())
    }
}

/// The form in which an address is hashed: surrounding spaces removed,
/// lowercased as a whole. The local part is case-sensitive in theory, but
/// every mail system a city deals with treats it case-insensitively, and
/// missing a match would mean contacting someone who objected.
pub fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A stored entry (no address: only its keyed hash).
#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = suppression_entries)]
pub struct SuppressionEntry {
    pub id: String,
    pub controller_id: ControllerId,
    pub email_hmac: String,
    pub request_id: Option<RequestId>,
    pub created_at: NaiveDateTime,
}

/// What [`add`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new entry.
    New(SuppressionEntry),
    /// The address was already on the list: the entry now points to the new
    /// objection and its retention starts again from `now`.
    Renewed(SuppressionEntry),
}

impl Added {
    pub fn entry(&self) -> &SuppressionEntry {
        match self {
            Added::New(e) | Added::Renewed(e) => e,
        }
    }
}

/// Puts an address on `controller_id`'s list, for the objection to direct
/// marketing `request_id` (closing such a request as granted calls this).
///
/// Idempotent, one entry per controller and address. When the address is
/// already listed, the entry is **renewed**: `created_at` becomes `now` and
/// `request_id` the new objection, because the privacy policy keeps the
/// record at least three years *from the objection*, and a renewed
/// objection must be honoured for its own three years. (`now` earlier than
/// the stored instant, e.g. a replayed command, leaves the date alone.)
///
/// Appends the audit event `suppression.added` or `suppression.renewed`
/// (entry and request ids only). Call it inside the transaction that
/// closes the request: a unique-key race with a concurrent `add` is retried
/// as a renewal inside a savepoint, so the caller's transaction survives.
pub fn add(
    conn: &mut DbConn,
    key: &SuppressionKey,
    controller_id: &ControllerId,
    email: &str,
    request_id: Option<&RequestId>,
    now: NaiveDateTime,
) -> QueryResult<Added> {
    let hmac = key.hash(email);
    conn.transaction(|conn| {
        let added = match find(conn, controller_id, &hmac)? {
            Some(existing) => Added::Renewed(renew(conn, existing, request_id, now)?),
            None => {
                let id = Uuid::now_v7().to_string();
                // A savepoint: on PostgreSQL a failed statement would
                // otherwise poison the caller's transaction.
                let inserted = conn.transaction(|conn| {
                    diesel::insert_into(suppression_entries::table)
                        .values((
                            suppression_entries::id.eq(&id),
                            suppression_entries::controller_id.eq(controller_id),
                            suppression_entries::email_hmac.eq(&hmac),
                            suppression_entries::request_id.eq(request_id),
                            suppression_entries::created_at.eq(now),
                        ))
                        .execute(conn)
                });
                match inserted {
                    Ok(_) => Added::New(
                        find(conn, controller_id, &hmac)?.ok_or(diesel::result::Error::NotFound)?,
                    ),
                    Err(e) if super::is_unique_violation(&e) => {
                        let existing = find(conn, controller_id, &hmac)?
                            .ok_or(diesel::result::Error::NotFound)?;
                        Added::Renewed(renew(conn, existing, request_id, now)?)
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let (action, entry) = match &added {
            Added::New(e) => ("suppression.added", e),
            Added::Renewed(e) => ("suppression.renewed", e),
        };
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::System,
                action,
                controller_id: Some(controller_id),
                request_id,
                detail: format!("entry={}", entry.id),
            },
        )?;
        Ok(added)
    })
}

fn renew(
    conn: &mut DbConn,
    existing: SuppressionEntry,
    request_id: Option<&RequestId>,
    now: NaiveDateTime,
) -> QueryResult<SuppressionEntry> {
    let created_at = existing.created_at.max(now);
    let request_id = request_id.cloned().or(existing.request_id.clone());
    diesel::update(suppression_entries::table.find(&existing.id))
        .set((
            suppression_entries::created_at.eq(created_at),
            suppression_entries::request_id.eq(&request_id),
        ))
        .execute(conn)?;
    Ok(SuppressionEntry {
        created_at,
        request_id,
        ..existing
    })
}

fn find(
    conn: &mut DbConn,
    controller_id: &ControllerId,
    hmac: &str,
) -> QueryResult<Option<SuppressionEntry>> {
    suppression_entries::table
        .filter(suppression_entries::controller_id.eq(controller_id))
        .filter(suppression_entries::email_hmac.eq(hmac))
        .select(SuppressionEntry::as_select())
        .first(conn)
        .optional()
}

/// Whether `email` must not be contacted for direct marketing on behalf of
/// `controller_id`. An entry past its retention but not yet purged still
/// counts: the list errs on the side of the objection.
pub fn is_suppressed(
    conn: &mut DbConn,
    key: &SuppressionKey,
    controller_id: &ControllerId,
    email: &str,
) -> QueryResult<bool> {
    Ok(find(conn, controller_id, &key.hash(email))?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(bytes: [u8; 32]) -> SuppressionKey {
        SuppressionKey::from_secret(&bytes).unwrap()
    }

    #[test]
    fn addresses_are_normalised_before_hashing() {
        let key = key([9; 32]);
        let h = key.hash("Jeanne.Dupont@Example.FR");
        assert_eq!(h, key.hash("  jeanne.dupont@example.fr\n"));
        assert_eq!(h.len(), 64);
        assert!(!h.contains("jeanne"));
        assert_ne!(h, key.hash("jean.dupont@example.fr"));
        // Another key, another hash: the list is useless without it.
        assert_ne!(
            h,
            super::tests::key([8; 32]).hash("jeanne.dupont@example.fr")
        );
        assert_eq!(format!("{key:?}"), "SuppressionKey(..)");
    }

    #[test]
    fn the_secret_must_be_32_bytes() {
        for len in [0, 16, 31, 33] {
            assert!(matches!(
                SuppressionKey::from_secret(&vec![1; len]),
                Err(SecretError::Malformed { .. })
            ));
        }
        // The stored secret keys the HMAC as the derived key did before.
        let master = MasterKey::from_bytes([9; 32]);
        let derived = master.derive(KEY_PURPOSE);
        let mut mac = Hmac::<Sha256>::new_from_slice(&derived).unwrap();
        mac.update(b"jeanne@example.fr");
        assert_eq!(
            key(derived).hash(" Jeanne@Example.fr "),
            hex::encode(mac.finalize().into_bytes())
        );
    }
}
