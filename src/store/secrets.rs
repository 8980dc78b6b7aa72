//! Secrets the application keeps in the database, one row per purpose,
//! sealed under the master key ([`crate::security::seal::seal_secret`]).
//!
//! A key derived from the master key changes when the master key does; a
//! key that must outlive rotations (the suppression list's HMAC key: its
//! hashes cannot be recomputed without the addresses) is kept here instead,
//! and a rotation re-seals it ([`reseal`]) without changing its value.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use zeroize::Zeroizing;

use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::db::schema::sealed_secrets;
use crate::security::keys::MasterKey;
use crate::security::seal;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = sealed_secrets)]
pub struct SealedSecret {
    pub purpose: String,
    pub key_id: String,
    pub sealed: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Why a secret cannot be read or re-sealed. Messages name purposes and
/// key ids only.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the {purpose} secret is sealed with master key {key_id}, but the configured master key \
         is {configured}: configure key {key_id}, or finish the rotation with it configured"
    )]
    OtherKey {
        purpose: String,
        key_id: String,
        configured: String,
    },
    #[error(
        "the {purpose} secret does not open with master key {key_id}: the stored row was altered \
         (restore it from a backup); nothing was changed"
    )]
    Open { purpose: String, key_id: String },
    #[error("the {purpose} secret has the wrong length: the stored row was altered")]
    Malformed { purpose: String },
    #[error("the {purpose} secret was changed by another process meanwhile: run again")]
    Concurrent { purpose: String },
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

pub fn find(conn: &mut DbConn, purpose: &str) -> QueryResult<Option<SealedSecret>> {
    sealed_secrets::table
        .find(purpose)
        .select(SealedSecret::as_select())
        .first(conn)
        .optional()
}

/// Every stored secret (for `keys status`), by purpose.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<SealedSecret>> {
    sealed_secrets::table
        .order(sealed_secrets::purpose)
        .select(SealedSecret::as_select())
        .load(conn)
}

/// The value of `row`, opened with `master`.
pub fn open(master: &MasterKey, row: &SealedSecret) -> Result<Zeroizing<Vec<u8>>, SecretError> {
    open_row(master, row)
}

/// Stores `secret` for `purpose`, sealed with `master`, in the caller's
/// transaction (which records why it was created).
pub fn insert(
    conn: &mut DbConn,
    master: &MasterKey,
    purpose: &str,
    secret: &[u8],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sealed_secrets::table)
        .values((
            sealed_secrets::purpose.eq(purpose),
            sealed_secrets::key_id.eq(master.id()),
            sealed_secrets::sealed.eq(seal::seal_secret(master, purpose, secret)),
            sealed_secrets::created_at.eq(now),
            sealed_secrets::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn open_row(master: &MasterKey, row: &SealedSecret) -> Result<Zeroizing<Vec<u8>>, SecretError> {
    if row.key_id != master.id() {
        return Err(SecretError::OtherKey {
            purpose: row.purpose.clone(),
            key_id: row.key_id.clone(),
            configured: master.id().to_owned(),
        });
    }
    seal::open_secret(master, &row.purpose, &row.sealed).ok_or_else(|| SecretError::Open {
        purpose: row.purpose.clone(),
        key_id: row.key_id.clone(),
    })
}

/// The secret of `purpose`, opened with `master`. When there is none yet,
/// stores `initial()` sealed with `master` (audit event
/// `keys.secret_created`) and returns it. Two processes doing this at once
/// both end with the row that won the insert: the insert runs in a
/// savepoint, a unique-key violation is ignored and the row is read again.
pub fn load_or_init(
    conn: &mut DbConn,
    master: &MasterKey,
    purpose: &str,
    initial: impl FnOnce() -> Zeroizing<Vec<u8>>,
    now: NaiveDateTime,
) -> Result<Zeroizing<Vec<u8>>, SecretError> {
    if let Some(row) = find(conn, purpose)? {
        return open_row(master, &row);
    }
    let secret = initial();
    let sealed = seal::seal_secret(master, purpose, &secret);
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(sealed_secrets::table)
            .values((
                sealed_secrets::purpose.eq(purpose),
                sealed_secrets::key_id.eq(master.id()),
                sealed_secrets::sealed.eq(&sealed),
                sealed_secrets::created_at.eq(now),
                sealed_secrets::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::System,
                action: "keys.secret_created",
                controller_id: None,
                request_id: None,
                detail: format!("purpose={purpose} key={}", master.id()),
            },
        )
    });
    match inserted {
        Ok(_) => {}
        Err(e) if super::is_unique_violation(&e) => {}
        Err(e) => return Err(e.into()),
    }
    let row = find(conn, purpose)?.ok_or(diesel::result::Error::NotFound)?;
    open_row(master, &row)
}

/// What [`reseal`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resealed {
    /// Moved from the old key to the new one.
    Moved,
    /// Already on the new key (a rotation run again): left alone.
    AlreadyOnNew,
    /// No such secret stored: nothing to move.
    Absent,
}

/// Key rotation: opens the secret of `purpose` with `old` and seals the
/// same value with `new`, appending `keys.secret_resealed` in the same
/// transaction. A secret that is on another key or does not open with
/// `old` is an error and the row is left as it was.
pub fn reseal(
    conn: &mut DbConn,
    purpose: &str,
    old: &MasterKey,
    new: &MasterKey,
    now: NaiveDateTime,
) -> Result<Resealed, SecretError> {
    conn.transaction(|conn| {
        let Some(row) = find(conn, purpose)? else {
            return Ok(Resealed::Absent);
        };
        if row.key_id == new.id() {
            open_row(new, &row)?;
            return Ok(Resealed::AlreadyOnNew);
        }
        let secret = open_row(old, &row)?;
        let sealed = seal::seal_secret(new, purpose, &secret);
        // Guarded by the value read: a concurrent rotation cannot be
        // overwritten with a stale copy.
        let updated = diesel::update(
            sealed_secrets::table
                .filter(sealed_secrets::purpose.eq(purpose))
                .filter(sealed_secrets::key_id.eq(&row.key_id))
                .filter(sealed_secrets::sealed.eq(&row.sealed)),
        )
        .set((
            sealed_secrets::key_id.eq(new.id()),
            sealed_secrets::sealed.eq(&sealed),
            sealed_secrets::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(SecretError::Concurrent {
                purpose: purpose.to_owned(),
            });
        }
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::System,
                action: "keys.secret_resealed",
                controller_id: None,
                request_id: None,
                detail: format!("purpose={purpose} from={} to={}", old.id(), new.id()),
            },
        )?;
        Ok(Resealed::Moved)
    })
}
