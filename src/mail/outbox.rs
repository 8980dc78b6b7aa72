//! The `outbox` table: one row per message, written in the transaction of
//! the state change that causes it, read and updated by the worker.
//!
//! The queries live here rather than in `store/` because nothing but the
//! mail subsystem touches this table. Like `store/`, they take `&mut DbConn`,
//! return `QueryResult` and never read the clock.
//!
//! Claiming is an optimistic compare-and-set on `next_attempt_at`, portable
//! to SQLite (MultiConnection has no `FOR UPDATE SKIP LOCKED`): a worker
//! reads due rows, then moves each one's `next_attempt_at` to the end of a
//! lease *only if it still holds the value it read*. Of two instances racing
//! for a row, exactly one update matches; the other sees 0 rows and skips it.
//! A worker that dies mid-send leaves the lease to expire, and the row is
//! retried with the same Message-ID.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::outbox;
use crate::domain::ids::{ControllerId, RequestId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, PartialEq, Eq)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub request_id: Option<RequestId>,
    pub controller_id: Option<ControllerId>,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub message_id: String,
    pub created_at: NaiveDateTime,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    /// Set when the worker gave up (see `worker::after_failure`); a failed
    /// row is not retried until a DPO asks for it ([`retry_now`]).
    pub failed_at: Option<NaiveDateTime>,
}

/// What [`insert`] stores; the caller has checked the headers.
pub(crate) struct NewOutboxRow<'a> {
    pub id: &'a str,
    pub request_id: Option<&'a RequestId>,
    pub controller_id: Option<&'a ControllerId>,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub message_id: &'a str,
    pub now: NaiveDateTime,
}

pub(crate) fn insert(conn: &mut DbConn, row: &NewOutboxRow<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(row.id),
            outbox::request_id.eq(row.request_id),
            outbox::controller_id.eq(row.controller_id),
            outbox::to_address.eq(row.to_address),
            outbox::subject.eq(row.subject),
            outbox::body_text.eq(row.body_text),
            outbox::body_html.eq(None::<String>),
            outbox::message_id.eq(row.message_id),
            outbox::created_at.eq(row.now),
            outbox::attempts.eq(0_i64),
            outbox::next_attempt_at.eq(row.now),
            outbox::sent_at.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Which of `ids` still have their row: the `.eml` copies of the others
/// belong to purged requests ([`super::transport::remove_orphan_copies`]).
pub fn existing_ids(conn: &mut DbConn, ids: &[&str]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox::table
        .filter(outbox::id.eq_any(ids))
        .select(outbox::id)
        .load(conn)
}

/// Every row, oldest first (tests and diagnostics).
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .select(OutboxRow::as_select())
        .load(conn)
}

/// One request's mails, oldest first, for its page in the desk.
pub fn list_for_request(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::request_id.eq(request_id))
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Which of `request_ids` (one queue page) have a mail the worker gave up
/// on: one index probe per id (`outbox_request_idx`), whatever the size of
/// the queue, so the queue's own query stays as measured.
pub fn requests_with_failed_mail(
    conn: &mut DbConn,
    request_ids: &[&RequestId],
) -> QueryResult<Vec<RequestId>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox::table
        .filter(outbox::request_id.eq_any(request_ids))
        .filter(outbox::failed_at.is_not_null())
        .filter(outbox::sent_at.is_null())
        .select(outbox::request_id.assume_not_null())
        .distinct()
        .load(conn)
}

/// The requests in `scope` with a mail the worker gave up on, as
/// `(request id, reference)`, at most `limit`: the desk home page lists
/// them, because a decision that did not reach the citizen closes the
/// request and would otherwise only show under "all statuses".
pub fn undelivered_in_scope(
    conn: &mut DbConn,
    scope: &crate::store::scope::Scope,
    limit: i64,
) -> QueryResult<Vec<(RequestId, Option<String>)>> {
    use crate::db::schema::requests;
    let mut query = outbox::table
        .inner_join(requests::table)
        .filter(outbox::failed_at.is_not_null())
        .filter(outbox::sent_at.is_null())
        .select((requests::id, requests::reference))
        .distinct()
        .order((requests::reference.asc(), requests::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(requests::controller_id.eq_any(ids));
    }
    query.load(conn)
}

/// Messages not sent yet and not given up, due or not.
pub fn pending_count(conn: &mut DbConn) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .count()
        .get_result(conn)
}

/// Up to `limit` unsent rows whose next attempt is due at `now`, oldest
/// first (a failing message does not starve newer ones: its next attempt
/// moves forward with each failure).
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Takes `row` for this worker until `now + lease` if nobody else took it
/// since it was read. Returns the claimed row (with the lease as its
/// `next_attempt_at`), or `None` when another worker was faster or the row
/// was sent meanwhile.
pub fn claim(
    conn: &mut DbConn,
    row: &OutboxRow,
    now: NaiveDateTime,
    lease: TimeDelta,
) -> QueryResult<Option<OutboxRow>> {
    let until = now + lease;
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(&row.id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
            .filter(outbox::next_attempt_at.eq(row.next_attempt_at)),
    )
    .set(outbox::next_attempt_at.eq(until))
    .execute(conn)?;
    if changed == 1 {
        Ok(Some(OutboxRow {
            next_attempt_at: until,
            ..row.clone()
        }))
    } else {
        Ok(None)
    }
}

/// Records a delivery. Returns false if the row was already marked sent
/// (another instance delivered it after our lease ran out).
pub fn mark_sent(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::sent_at.is_null()),
    )
    .set((
        outbox::sent_at.eq(Some(now)),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records a failed attempt and when to try again. `error` must hold no
/// personal data (no address, no server text that might quote one).
pub fn mark_failed(
    conn: &mut DbConn,
    id: &str,
    error: &str,
    retry_at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::sent_at.is_null()),
    )
    .set((
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(Some(error)),
        outbox::next_attempt_at.eq(retry_at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records a failed attempt after which the worker gives up: the row keeps
/// its attempt count and error, and `due` no longer returns it. Returns
/// false if the row was sent or given up meanwhile.
pub fn mark_given_up(
    conn: &mut DbConn,
    id: &str,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null()),
    )
    .set((
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(Some(error)),
        outbox::failed_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A DPO's "retry now" on a failed row of `request_id`: due at once, with
/// a fresh attempt budget (the count restarts so a transient failure gets
/// its full retry period again). False if the row is not a failed mail of
/// that request (sent, pending, or another request's).
pub fn retry_now(
    conn: &mut DbConn,
    id: &str,
    request_id: &RequestId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::request_id.eq(request_id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_not_null()),
    )
    .set((
        outbox::failed_at.eq(None::<NaiveDateTime>),
        outbox::attempts.eq(0_i64),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
