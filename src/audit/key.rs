//! The key of the audit chain. A plain hash chain only shows accidents:
//! whoever can write to the database can edit an event and recompute every
//! later hash. From the first start after the upgrade, each new event's
//! hash is an HMAC-SHA-256 under a 256-bit key that lives in the database
//! only sealed under the master key (`sealed_secrets`, purpose
//! [`PURPOSE`], re-sealed by `keys rotate` like the suppression list's
//! key), so rewriting the chain needs the master key too.
//!
//! Existing chains keep verifying: the sealed value is the key followed by
//! the sequence number of the first keyed event, so the events before it
//! keep their plain hashes, and that boundary cannot be moved without the
//! master key. The first keyed event links to the last plain one, so the
//! old events are covered from then on as well. What a key cannot stop is
//! replacing the whole database, key row included, with a forged plain
//! chain: that is what `audit checkpoint` is for (a count and head hash
//! kept outside the database).
//!
//! Every process that appends events must hold the key: `serve` unlocks it
//! at start ([`unlock`], which creates it on the first start); the command
//! line opens it on first use with the configured master key
//! ([`use_master_key`]). Keys are held per chain (`event_chain_head.
//! chain_id`), so one process may work on several databases (the tests do).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::db::DbConn;
use crate::db::schema::event_chain_head;
use crate::security::keys::MasterKey;
use crate::store::secrets::{self, SecretError};

pub const PURPOSE: &str = "audit-chain";

/// A chain's key and the first event it keys.
pub struct ChainKey {
    pub(super) key: Zeroizing<[u8; 32]>,
    pub(super) from_seq: i64,
}

impl ChainKey {
    fn from_secret(secret: &[u8]) -> Result<ChainKey, SecretError> {
        let malformed = || SecretError::Malformed {
            purpose: PURPOSE.to_owned(),
        };
        if secret.len() != 40 {
            return Err(malformed());
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&secret[..32]);
        let from_seq = i64::from_be_bytes(secret[32..].try_into().map_err(|_| malformed())?);
        Ok(ChainKey { key, from_seq })
    }
}

static KEYRING: LazyLock<RwLock<HashMap<String, Arc<ChainKey>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// The master keys a command-line process opens chain keys with on first
/// use (it has one database and may not need the key at all): the
/// configured one, and during `keys rotate` the new one too.
static PROCESS_MASTERS: RwLock<Vec<MasterKey>> = RwLock::new(Vec::new());

pub fn use_master_key(master: MasterKey) {
    PROCESS_MASTERS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .push(master);
}

/// An event cannot be appended: the chain is keyed and this process does
/// not hold the key.
#[derive(Debug, thiserror::Error)]
#[error(
    "the audit trail is keyed and this process cannot open its key: configure the master key \
     (MASTER_KEY_FILE or MASTER_KEY) the service uses"
)]
pub struct KeyUnavailable;

fn register(chain_id: &str, key: ChainKey) -> Arc<ChainKey> {
    let key = Arc::new(key);
    KEYRING
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(chain_id.to_owned(), key.clone());
    key
}

fn open(master: &MasterKey, row: &secrets::SealedSecret) -> Result<ChainKey, SecretError> {
    ChainKey::from_secret(&secrets::open(master, row)?)
}

/// The key of chain `chain_id`: held already, or opened with the process's
/// master key.
pub(super) fn key_for(conn: &mut DbConn, chain_id: &str) -> QueryResult<Arc<ChainKey>> {
    if let Some(key) = KEYRING
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(chain_id)
    {
        return Ok(key.clone());
    }
    let unavailable = || diesel::result::Error::SerializationError(Box::new(KeyUnavailable));
    let row = secrets::find(conn, PURPOSE)?.ok_or_else(unavailable)?;
    let key = PROCESS_MASTERS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|m| m.id() == row.key_id)
        .map(|m| open(m, &row))
        .ok_or_else(unavailable)?
        .map_err(|_| unavailable())?;
    Ok(register(chain_id, key))
}

/// Opens the chain's key with `master`, creating it when the chain is not
/// keyed yet (recording `audit.keyed`, the last plain event, with the
/// sequence number keying starts at). Called by `serve` before it takes
/// requests, so a wrong master key stops the start.
pub fn unlock(
    conn: &mut DbConn,
    master: &MasterKey,
    now: NaiveDateTime,
) -> Result<(), SecretError> {
    conn.transaction(|conn| {
        // Taking the head row first serialises with appenders and with
        // another instance starting at the same time.
        diesel::update(event_chain_head::table.find(1_i64))
            .set(event_chain_head::last_seq.eq(event_chain_head::last_seq))
            .execute(conn)?;
        let (last_seq, chain_id): (i64, Option<String>) = event_chain_head::table
            .find(1_i64)
            .select((event_chain_head::last_seq, event_chain_head::chain_id))
            .first(conn)?;
        if let Some(row) = secrets::find(conn, PURPOSE)? {
            let key = open(master, &row)?;
            // A head whose marker was removed gets a new one: events must
            // be keyed again at once (`verify` reports the gap).
            let chain_id = match chain_id {
                Some(id) => id,
                None => set_chain_id(conn)?,
            };
            register(&chain_id, key);
            return Ok(());
        }
        super::append(
            conn,
            now,
            super::NewEvent {
                actor: super::Actor::System,
                action: "audit.keyed",
                controller_id: None,
                request_id: None,
                detail: format!("from={} key={}", last_seq + 2, master.id()),
            },
        )?;
        let mut secret = Zeroizing::new(vec![0u8; 40]);
        rand::rng().fill_bytes(&mut secret[..32]);
        secret[32..].copy_from_slice(&(last_seq + 2).to_be_bytes());
        secrets::insert(conn, master, PURPOSE, &secret, now)?;
        let chain_id = set_chain_id(conn)?;
        register(&chain_id, ChainKey::from_secret(&secret)?);
        Ok(())
    })
}

fn set_chain_id(conn: &mut DbConn) -> QueryResult<String> {
    let id = Uuid::now_v7().to_string();
    diesel::update(event_chain_head::table.find(1_i64))
        .set(event_chain_head::chain_id.eq(&id))
        .execute(conn)?;
    Ok(id)
}

/// Whether the chain has a key at all (a sealed row exists), for `verify`
/// to notice a head whose marker was removed.
pub(super) fn exists(conn: &mut DbConn) -> QueryResult<bool> {
    Ok(secrets::find(conn, PURPOSE)?.is_some())
}
