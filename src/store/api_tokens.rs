//! API tokens: what another system of the controller presents to the JSON
//! API instead of a staff password (no password guessing, no bypass of
//! two-step verification, one revocable credential per integration).
//!
//! A token is 256 random bits shown once at creation; the database keeps
//! its SHA-256 only, which is enough for a secret that long (no stretching
//! needed: nothing to guess). It acts as its owner: the owner's role and
//! controllers decide what it may see, read at each use, so changing the
//! account's scope or disabling it takes effect at once. Creation,
//! revocation and every use are audit events (ids only).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use uuid::Uuid;

use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::db::schema::{api_tokens, staff};
use crate::security::keys;
use crate::store::staff::StaffMember;

/// Visible prefix of every token, so a leaked one is recognisable (secret
/// scanners, logs) and cannot be mistaken for a password.
pub const PREFIX: &str = "dsr_";

/// The longest life a token may be given.
pub const MAX_DAYS: i64 = 3660;

/// Longest name, in characters.
pub const MAX_NAME: usize = 100;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub staff_id: String,
    pub name: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiToken {
    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: NaiveDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// Creates a token for `owner`, valid `days` days (or until revoked), with
/// its `api_token.created` event by `actor`; returns it with the secret,
/// which exists nowhere else after this call.
pub fn create(
    conn: &mut DbConn,
    owner: &str,
    name: &str,
    days: Option<i64>,
    actor: Actor,
    now: NaiveDateTime,
) -> QueryResult<(ApiToken, String)> {
    let secret = format!("{PREFIX}{}", keys::new_token());
    let id = Uuid::now_v7().to_string();
    let expires_at = days.map(|d| now + TimeDelta::days(d));
    conn.transaction(|conn| {
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&id),
                api_tokens::staff_id.eq(owner),
                api_tokens::name.eq(name),
                api_tokens::token_hash.eq(keys::token_hash(&secret)),
                api_tokens::created_at.eq(now),
                api_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        audit::append(
            conn,
            now,
            NewEvent {
                actor,
                action: "api_token.created",
                controller_id: None,
                request_id: None,
                detail: format!(
                    "token={id} staff={owner} days={}",
                    days.map_or("none".to_owned(), |d| d.to_string())
                ),
            },
        )?;
        let token = api_tokens::table
            .find(&id)
            .select(ApiToken::as_select())
            .first(conn)?;
        Ok((token, secret))
    })
}

/// The tokens of `owner`, newest first (revoked ones included: the page
/// shows when they stopped).
pub fn of_staff(conn: &mut DbConn, owner: &str) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::staff_id.eq(owner))
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .select(ApiToken::as_select())
        .load(conn)
}

/// Every token with its owner's e-mail (for `token list`), by owner.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<(ApiToken, String)>> {
    api_tokens::table
        .inner_join(staff::table)
        .order((staff::email.asc(), api_tokens::created_at.asc()))
        .select((ApiToken::as_select(), staff::email))
        .load(conn)
}

/// Revokes token `id` (of `owner` when given: the account page may only
/// revoke its own); false when there is no such live token.
pub fn revoke(
    conn: &mut DbConn,
    id: &str,
    owner: Option<&str>,
    actor: Actor,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let live = api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::revoked_at.is_null());
        let revoked = match owner {
            Some(owner) => diesel::update(live.filter(api_tokens::staff_id.eq(owner)))
                .set(api_tokens::revoked_at.eq(now))
                .execute(conn)?,
            None => diesel::update(live)
                .set(api_tokens::revoked_at.eq(now))
                .execute(conn)?,
        };
        if revoked == 0 {
            return Ok(false);
        }
        audit::append(
            conn,
            now,
            NewEvent {
                actor,
                action: "api_token.revoked",
                controller_id: None,
                request_id: None,
                detail: format!("token={id}"),
            },
        )?;
        Ok(true)
    })
}

/// The token presented and its owner, when it is live and the owner's
/// account is enabled; records its last use. Anything else is `None`, one
/// answer for every reason, so a caller learns nothing about which tokens
/// exist.
pub fn authenticate(
    conn: &mut DbConn,
    presented: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(ApiToken, StaffMember)>> {
    if !presented.starts_with(PREFIX) || presented.len() > 200 {
        return Ok(None);
    }
    let found: Option<(ApiToken, StaffMember)> = api_tokens::table
        .inner_join(staff::table)
        .filter(api_tokens::token_hash.eq(keys::token_hash(presented)))
        .select((ApiToken::as_select(), StaffMember::as_select()))
        .first(conn)
        .optional()?;
    let Some((token, owner)) = found.filter(|(t, o)| t.is_live(now) && !o.disabled) else {
        return Ok(None);
    };
    diesel::update(api_tokens::table.find(&token.id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)?;
    Ok(Some((token, owner)))
}
