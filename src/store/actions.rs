//! Row writes of the desk's request actions (`crate::desk::actions`): the
//! scoped read, the optimistic-concurrency bump and each action's own
//! columns. Status changes are decided by `domain::request::apply`; this
//! file only stores what was decided.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::{request_recipients, requests};
use crate::domain::ids::RequestId;
use crate::domain::request::{Outcome, RefusalGround};
use crate::store::requests::Request;
use crate::store::scope::Scope;

/// The request with this id if its controller is in `scope` (the check is
/// in the query: another controller's request is simply not found).
pub fn find_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    id: &RequestId,
) -> QueryResult<Option<Request>> {
    let mut query = requests::table
        .filter(requests::id.eq(id))
        .select(Request::as_select())
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(requests::controller_id.eq_any(ids.to_vec()));
    }
    query.first(conn).optional()
}

/// Takes the write lock on the request's row before anything is read: a
/// no-op `UPDATE` as the transaction's first statement. On PostgreSQL it
/// locks the row, on SQLite it takes the database's write lock (so the
/// busy timeout applies, instead of two readers deadlocking when both try
/// to write). A concurrent action then waits and reads the winner's
/// version.
pub fn lock(conn: &mut DbConn, id: &RequestId) -> QueryResult<()> {
    diesel::update(requests::table.filter(requests::id.eq(id)))
        .set(requests::version.eq(requests::version))
        .execute(conn)
        .map(|_| ())
}

pub fn set_identity_accepted(
    conn: &mut DbConn,
    id: &RequestId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::identity_accepted_at.eq(Some(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_due_on(conn: &mut DbConn, id: &RequestId, due_on: Option<NaiveDate>) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::due_on.eq(due_on))
        .execute(conn)
        .map(|_| ())
}

pub fn set_extension(
    conn: &mut DbConn,
    id: &RequestId,
    total_months: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::extension_months.eq(total_months),
            requests::extension_reason.eq(Some(reason)),
            requests::extended_at.eq(Some(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_closed(
    conn: &mut DbConn,
    id: &RequestId,
    outcome: Outcome,
    ground: Option<&RefusalGround>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::outcome.eq(Some(outcome)),
            requests::refusal_ground.eq(ground.map(RefusalGround::code)),
            requests::refusal_detail.eq(ground.and_then(RefusalGround::detail)),
            requests::closed_at.eq(Some(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A withdrawn request's end date (the status itself is
/// [`crate::store::requests::transition`]'s).
pub fn set_withdrawn(conn: &mut DbConn, id: &RequestId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::closed_at.eq(Some(now)))
        .execute(conn)
        .map(|_| ())
}

/// Places (`Some(reason)`) or lifts (`None`) the legal hold's reason and
/// date; the flag itself is stored by [`crate::store::requests::transition`].
pub fn set_legal_hold(
    conn: &mut DbConn,
    id: &RequestId,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::legal_hold_reason.eq(reason),
            requests::legal_hold_at.eq(reason.map(|_| now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Art. 19: one recipient told of the rectification, erasure or restriction.
pub fn add_recipient(
    conn: &mut DbConn,
    request_id: &RequestId,
    recipient: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(request_recipients::table)
        .values((
            request_recipients::id.eq(Uuid::now_v7().to_string()),
            request_recipients::request_id.eq(request_id),
            request_recipients::recipient.eq(recipient),
            request_recipients::notified_at.eq(now),
            request_recipients::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
