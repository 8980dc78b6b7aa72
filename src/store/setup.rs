//! One-time setup links: how a fresh instance gets its first controller and
//! administrator from the browser. Only the SHA-256 of a link's token is
//! stored, like session cookies, so a copy of the database opens nothing.
//! At most one unused link exists: each start without staff replaces it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::setup_tokens;
use crate::security::keys::{new_token, token_hash};

/// Invalidates every unused link and creates a new one; returns the token
/// (to print once, never stored).
pub fn replace_token(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<String> {
    let token = new_token();
    conn.transaction(|conn| {
        invalidate_unused(conn)?;
        diesel::insert_into(setup_tokens::table)
            .values((
                setup_tokens::token_hash.eq(token_hash(&token)),
                setup_tokens::created_at.eq(now),
                setup_tokens::used_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)
    })?;
    Ok(token)
}

/// Removes the links nobody used (once staff exists they can only be a risk).
pub fn invalidate_unused(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(setup_tokens::table.filter(setup_tokens::used_at.is_null())).execute(conn)
}

/// True when `token` is a link that was issued and not used yet.
pub fn is_usable(conn: &mut DbConn, token: &str) -> QueryResult<bool> {
    let found: Option<String> = setup_tokens::table
        .find(token_hash(token))
        .filter(setup_tokens::used_at.is_null())
        .select(setup_tokens::token_hash)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Marks the link used; false when it was unknown or already used. The
/// conditional update is the race guard: of two submissions of one link,
/// only one changes the row (PostgreSQL's row lock, SQLite's write lock).
pub fn consume(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        setup_tokens::table
            .find(token_hash(token))
            .filter(setup_tokens::used_at.is_null()),
    )
    .set(setup_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}
