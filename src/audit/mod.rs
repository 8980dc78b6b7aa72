//! The audit trail: an append-only, hash-chained log of who did what to
//! which request, and when. It never holds personal data (ids, kinds and
//! codes only), so the purge never has to touch it.
//!
//! Each event's hash covers the previous event's hash and every field of
//! the event, keyed since the upgrade that introduced [`key`] (an HMAC
//! under a secret sealed by the master key, so a rewrite needs that key);
//! `dsr-tracker audit verify` recomputes the chain and reports the first
//! event that was edited, deleted or reordered, and `audit checkpoint`
//! prints what the DPO keeps elsewhere to catch a replaced database
//! ([`Checkpoint`]).

pub mod key;

use std::fmt;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::{event_chain_head, events};
pub use key::{unlock, use_master_key};

use crate::domain::ids::{ControllerId, RequestId, StaffId};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The citizen holding a request's private link.
    Citizen,
    Staff(StaffId),
    /// The service itself (purge, mail worker) or the command line.
    System,
}

impl Actor {
    fn kind(&self) -> &'static str {
        match self {
            Actor::Citizen => "citizen",
            Actor::Staff(_) => "staff",
            Actor::System => "system",
        }
    }

    fn id(&self) -> Option<&StaffId> {
        match self {
            Actor::Staff(id) => Some(id),
            _ => None,
        }
    }
}

/// An event to record. `detail` is a short machine-readable string (codes,
/// counts, ids), never names, addresses or free text.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub controller_id: Option<&'a ControllerId>,
    pub request_id: Option<&'a RequestId>,
    pub detail: String,
}

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = events)]
pub struct Event {
    pub seq: i64,
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<StaffId>,
    pub controller_id: Option<ControllerId>,
    pub request_id: Option<RequestId>,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event: over length-prefixed fields, so no two different
/// events can serialise to the same bytes; HMAC-SHA-256 under the chain's
/// key from its first keyed event on, plain SHA-256 before (events written
/// before the upgrade).
fn event_hash(e: &Event, key: Option<&key::ChainKey>) -> String {
    match key.filter(|k| e.seq >= k.from_seq) {
        Some(k) => {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(&*k.key).expect("HMAC accepts any key length");
            feed(e, |bytes| mac.update(bytes));
            hex::encode(mac.finalize().into_bytes())
        }
        None => {
            let mut h = Sha256::new();
            feed(e, |bytes| h.update(bytes));
            hex::encode(h.finalize())
        }
    }
}

fn feed(e: &Event, mut update: impl FnMut(&[u8])) {
    let mut field = |bytes: &[u8]| {
        update(&(bytes.len() as u64).to_be_bytes());
        update(bytes);
    };
    field(e.prev_hash.as_bytes());
    field(&e.seq.to_be_bytes());
    field(e.id.as_bytes());
    field(
        e.occurred_at
            .format("%Y-%m-%dT%H:%M:%S%.6f")
            .to_string()
            .as_bytes(),
    );
    field(e.actor_kind.as_bytes());
    field(
        e.actor_id
            .as_ref()
            .map_or("\u{0}", StaffId::as_str)
            .as_bytes(),
    );
    field(
        e.controller_id
            .as_ref()
            .map_or("\u{0}", ControllerId::as_str)
            .as_bytes(),
    );
    field(
        e.request_id
            .as_ref()
            .map_or("\u{0}", RequestId::as_str)
            .as_bytes(),
    );
    field(e.action.as_bytes());
    field(e.detail.as_bytes());
}

/// The head's key marker, and the key it names.
fn head_key(
    conn: &mut DbConn,
) -> QueryResult<(i64, String, Option<std::sync::Arc<key::ChainKey>>)> {
    let (last_seq, last_hash, chain_id): (i64, String, Option<String>) = event_chain_head::table
        .find(1_i64)
        .select((
            event_chain_head::last_seq,
            event_chain_head::last_hash,
            event_chain_head::chain_id,
        ))
        .first(conn)?;
    let key = chain_id.map(|id| key::key_for(conn, &id)).transpose()?;
    Ok((last_seq, last_hash, key))
}

/// Appends one event. Call it inside the transaction of the change it
/// records: the update of the chain head row serialises concurrent writers,
/// and a rolled-back change leaves no event behind.
pub fn append(conn: &mut DbConn, at: NaiveDateTime, new: NewEvent<'_>) -> QueryResult<Event> {
    let mut appended = append_batch(conn, at, vec![new])?;
    Ok(appended
        .pop()
        .expect("a batch of one event appends one event"))
}

/// Appends several events at once, chained in the given order, touching the
/// chain head twice for the whole batch (the purge records many items in one
/// transaction); same rules as [`append`].
pub fn append_batch(
    conn: &mut DbConn,
    at: NaiveDateTime,
    batch: Vec<NewEvent<'_>>,
) -> QueryResult<Vec<Event>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let count = batch.len() as i64;
    diesel::update(event_chain_head::table.find(1_i64))
        .set(event_chain_head::last_seq.eq(event_chain_head::last_seq + count))
        .execute(conn)?;
    let (last_seq, mut prev_hash, key) = head_key(conn)?;
    let mut appended = Vec::with_capacity(batch.len());
    for (seq, new) in (last_seq - count + 1..).zip(batch) {
        let mut event = Event {
            seq,
            id: Uuid::now_v7().to_string(),
            occurred_at: at,
            actor_kind: new.actor.kind().to_owned(),
            actor_id: new.actor.id().cloned(),
            controller_id: new.controller_id.cloned(),
            request_id: new.request_id.cloned(),
            action: new.action.to_owned(),
            detail: new.detail,
            prev_hash: std::mem::take(&mut prev_hash),
            hash: String::new(),
        };
        event.hash = event_hash(&event, key.as_deref());
        diesel::insert_into(events::table)
            .values((
                events::seq.eq(event.seq),
                events::id.eq(&event.id),
                events::occurred_at.eq(event.occurred_at),
                events::actor_kind.eq(&event.actor_kind),
                events::actor_id.eq(&event.actor_id),
                events::controller_id.eq(&event.controller_id),
                events::request_id.eq(&event.request_id),
                events::action.eq(&event.action),
                events::detail.eq(&event.detail),
                events::prev_hash.eq(&event.prev_hash),
                events::hash.eq(&event.hash),
            ))
            .execute(conn)?;
        prev_hash.clone_from(&event.hash);
        appended.push(event);
    }
    diesel::update(event_chain_head::table.find(1_i64))
        .set(event_chain_head::last_hash.eq(&prev_hash))
        .execute(conn)?;
    Ok(appended)
}

/// What `audit verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum ChainReport {
    Intact { events: i64 },
    Broken { at_seq: i64, reason: String },
}

/// Walks the whole chain in pages (bounded memory) and checks sequence
/// numbers, links and hashes, then that the head matches the last event, so
/// a deleted tail is caught too.
pub fn verify(conn: &mut DbConn) -> QueryResult<ChainReport> {
    const PAGE: i64 = 1000;
    let (_, _, key) = head_key(conn)?;
    if key.is_none() && key::exists(conn)? {
        return Ok(ChainReport::Broken {
            at_seq: 0,
            reason: "the chain has a key but its head lost the marker naming it (edited)".into(),
        });
    }
    let mut expected_seq = 1_i64;
    let mut prev_hash = GENESIS_HASH.to_owned();
    loop {
        let page: Vec<Event> = events::table
            .filter(events::seq.ge(expected_seq))
            .order(events::seq.asc())
            .limit(PAGE)
            .select(Event::as_select())
            .load(conn)?;
        let done = (page.len() as i64) < PAGE;
        for e in page {
            if e.seq != expected_seq {
                return Ok(ChainReport::Broken {
                    at_seq: expected_seq,
                    reason: format!("event {expected_seq} is missing (next is {})", e.seq),
                });
            }
            if e.prev_hash != prev_hash {
                return Ok(ChainReport::Broken {
                    at_seq: e.seq,
                    reason: "does not link to the previous event".into(),
                });
            }
            if event_hash(&e, key.as_deref()) != e.hash {
                return Ok(ChainReport::Broken {
                    at_seq: e.seq,
                    reason: "its content does not match its hash (edited)".into(),
                });
            }
            prev_hash = e.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let (last_seq, last_hash): (i64, String) = event_chain_head::table
        .find(1_i64)
        .select((event_chain_head::last_seq, event_chain_head::last_hash))
        .first(conn)?;
    if last_seq != expected_seq - 1 || last_hash != prev_hash {
        return Ok(ChainReport::Broken {
            at_seq: expected_seq,
            reason: format!(
                "the chain ends at event {} but the head says {last_seq} (events deleted from the end)",
                expected_seq - 1
            ),
        });
    }
    Ok(ChainReport::Intact {
        events: expected_seq - 1,
    })
}

/// What the DPO keeps outside the database (printed by `audit checkpoint`):
/// how many events there were, the hash of the last one, and when. A
/// later `audit verify --checkpoint` checks that the event at that count
/// still has that hash, so a database replaced or rolled back as a whole,
/// key included, is caught too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub events: i64,
    pub head: String,
    pub at: NaiveDateTime,
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.events,
            self.head,
            self.at.format("%Y-%m-%dT%H:%M:%SZ")
        )
    }
}

impl std::str::FromStr for Checkpoint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("`{s}` is not a checkpoint (EVENTS:HEAD:DATE, as `audit checkpoint` prints it)")
        };
        let mut parts = s.trim().splitn(3, ':');
        let events = parts
            .next()
            .and_then(|n| n.parse::<i64>().ok())
            .ok_or_else(bad)?;
        let head = parts
            .next()
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(bad)?
            .to_ascii_lowercase();
        let at = parts
            .next()
            .and_then(|d| NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%SZ").ok())
            .ok_or_else(bad)?;
        Ok(Checkpoint { events, head, at })
    }
}

/// The chain's checkpoint now: its length and head hash.
pub fn checkpoint(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Checkpoint> {
    let (events, head): (i64, String) = event_chain_head::table
        .find(1_i64)
        .select((event_chain_head::last_seq, event_chain_head::last_hash))
        .first(conn)?;
    Ok(Checkpoint {
        events,
        head,
        at: now,
    })
}

/// Whether the chain still holds the event `checkpoint` names, with the
/// same hash (call after [`verify`] found the chain intact).
pub fn matches_checkpoint(conn: &mut DbConn, checkpoint: &Checkpoint) -> QueryResult<ChainReport> {
    if checkpoint.events == 0 {
        return Ok(ChainReport::Intact { events: 0 });
    }
    let hash: Option<String> = events::table
        .find(checkpoint.events)
        .select(events::hash)
        .first(conn)
        .optional()?;
    Ok(match hash {
        Some(h) if h == checkpoint.head => ChainReport::Intact {
            events: checkpoint.events,
        },
        Some(_) => ChainReport::Broken {
            at_seq: checkpoint.events,
            reason: format!(
                "the chain was rewritten since the checkpoint of {}: its event {} has another hash",
                checkpoint.at.format("%Y-%m-%d %H:%M"),
                checkpoint.events
            ),
        },
        None => ChainReport::Broken {
            at_seq: checkpoint.events,
            reason: format!(
                "the chain is shorter than at the checkpoint of {} ({} events then)",
                checkpoint.at.format("%Y-%m-%d %H:%M"),
                checkpoint.events
            ),
        },
    })
}
