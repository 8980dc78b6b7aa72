//! The DPO queue and the request page's reads. Every function takes the
//! staff account's [`Scope`] and filters on it **in the query**, so a URL or
//! a filter naming another controller's request finds nothing.
//!
//! The queue never shows unconfirmed web submissions (not requests yet) nor
//! anonymised requests (statistics only). It is sorted by due date (then by
//! id, so the order is total) with requests without a due date last, and
//! paged by keyset: the cursor is the `(due_on, id)` of the last row shown.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::explain::PlannedQuery;
use crate::db::schema::{events, identity_proofs, request_messages, requests, staff};
use crate::domain::deadline::DUE_SOON_DAYS;
use crate::domain::ids::{ControllerId, ProofId, RequestId};
use crate::domain::request::{Channel, RequestKind, Status};
use crate::store::messages::Message;
use crate::store::requests::Request;
use crate::store::scope::Scope;

/// Rows per queue page.
pub const PAGE_SIZE: i64 = 50;

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// Which statuses the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Received, awaiting information, in progress: what the DPO owes an
    /// answer to (the default).
    #[default]
    Open,
    /// Every status except unconfirmed.
    All,
    One(Status),
}

/// The queue's filters, as parsed from the query string.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: StatusFilter,
    pub kind: Option<RequestKind>,
    pub channel: Option<Channel>,
    /// Open requests whose due date has passed.
    pub overdue: bool,
    /// Open requests due today or within [`DUE_SOON_DAYS`] days.
    pub due_within_7: bool,
    /// Reference, first or last name, or e-mail contains this (any case).
    pub q: Option<String>,
}

/// Where a queue page starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub due_on: Option<NaiveDate>,
    pub id: RequestId,
}

impl Cursor {
    /// `2026-03-02|<id>`, or `|<id>` for a request without a due date.
    pub fn encode(&self) -> String {
        match self.due_on {
            Some(d) => format!("{}|{}", d.format("%Y-%m-%d"), self.id),
            None => format!("|{}", self.id),
        }
    }

    pub fn parse(text: &str) -> Option<Cursor> {
        let (date, id) = text.split_once('|')?;
        if id.is_empty() || id.len() > 64 {
            return None;
        }
        let due_on = if date.is_empty() {
            None
        } else {
            Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?)
        };
        Some(Cursor {
            due_on,
            id: id.into(),
        })
    }
}

/// One queue line: what the table shows, nothing more.
#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = requests)]
pub struct QueueRow {
    pub id: RequestId,
    pub controller_id: ControllerId,
    pub reference: Option<String>,
    pub kind: RequestKind,
    pub channel: Channel,
    pub status: Status,
    pub due_on: Option<NaiveDate>,
}

impl QueueRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            due_on: self.due_on,
            id: self.id.clone(),
        }
    }
}

/// `%` and `_` (and the escape character itself) match literally.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

type Backend = <DbConn as diesel::Connection>::Backend;
type Boxed<'a> = requests::BoxedQuery<'a, Backend>;

/// In scope, not unconfirmed, not anonymised.
fn base<'a>(scope: &Scope) -> Boxed<'a> {
    let mut query = requests::table
        .filter(requests::status.ne(Status::Unconfirmed.as_str()))
        .filter(requests::anonymised_at.is_null())
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(requests::controller_id.eq_any(ids.to_vec()));
    }
    query
}

fn open_statuses() -> Vec<&'static str> {
    Status::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(Status::as_str)
        .collect()
}

/// Every status the queue can list (all but unconfirmed).
fn listed_statuses() -> Vec<&'static str> {
    Status::ALL
        .into_iter()
        .filter(|s| *s != Status::Unconfirmed)
        .map(Status::as_str)
        .collect()
}

fn filtered<'a>(scope: &Scope, filter: &QueueFilter, today: NaiveDate) -> Boxed<'a> {
    let mut query = base(scope);
    match filter.status {
        StatusFilter::Open => query = query.filter(requests::status.eq_any(open_statuses())),
        // Every listed status by name rather than only "not unconfirmed":
        // equivalent, but an equality the planner can probe
        // `requests_live_idx (controller_id, status, due_on)` with, so a
        // city's anonymised years are not read (BENCHMARKS.md).
        StatusFilter::All => query = query.filter(requests::status.eq_any(listed_statuses())),
        StatusFilter::One(s) => query = query.filter(requests::status.eq(s)),
    }
    if let Some(kind) = filter.kind {
        query = query.filter(requests::kind.eq(kind));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(requests::channel.eq(channel));
    }
    if filter.overdue || filter.due_within_7 {
        query = query.filter(requests::status.eq_any(open_statuses()));
    }
    if filter.overdue {
        query = query.filter(requests::due_on.lt(today));
    }
    if filter.due_within_7 {
        let limit = today + chrono::Days::new(DUE_SOON_DAYS.unsigned_abs());
        query = query
            .filter(requests::due_on.ge(today))
            .filter(requests::due_on.le(limit));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        query = query.filter(
            lower(requests::reference.nullable())
                .like(pattern.clone())
                .escape('\\')
                .or(lower(requests::first_name)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(requests::last_name)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(requests::email).like(pattern).escape('\\')),
        );
    }
    query
}

/// One page of the queue, at most `limit` rows after `after`.
pub fn page(
    conn: &mut DbConn,
    scope: &Scope,
    filter: &QueueFilter,
    today: NaiveDate,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    page_query(scope, filter, today, after, limit).load(conn)
}

/// The statement of [`page`], as an object the queue benchmark explains.
pub fn page_query(
    scope: &Scope,
    filter: &QueueFilter,
    today: NaiveDate,
    after: Option<&Cursor>,
    limit: i64,
) -> impl PlannedQuery<'static, QueueRow> {
    let mut query = filtered(scope, filter, today);
    match after {
        Some(Cursor {
            due_on: Some(d),
            id,
        }) => {
            query = query.filter(
                requests::due_on
                    .gt(*d)
                    .or(requests::due_on.eq(*d).and(requests::id.gt(id.clone())))
                    .or(requests::due_on.is_null()),
            );
        }
        Some(Cursor { due_on: None, id }) => {
            query = query
                .filter(requests::due_on.is_null())
                .filter(requests::id.gt(id.clone()));
        }
        None => {}
    }
    query
        .order((
            requests::due_on.is_null().asc(),
            requests::due_on.asc(),
            requests::id.asc(),
        ))
        .limit(limit)
        .select(QueueRow::as_select())
}

/// How many requests in scope the filter selects: the desk home page's
/// "overdue / due this week / open" figures, counted by the queue's own
/// filter so the number always matches the list its link opens.
pub fn count(
    conn: &mut DbConn,
    scope: &Scope,
    filter: &QueueFilter,
    today: NaiveDate,
) -> QueryResult<i64> {
    filtered(scope, filter, today).count().get_result(conn)
}

/// Open requests in scope that reached the queue after `since`, by
/// due date (the daily digest's "new" section). Either instant counts: a
/// web request arrives when confirmed (`received_at`), a letter registered
/// today with an older receipt date arrives when registered
/// (`submitted_at`).
pub fn received_since(
    conn: &mut DbConn,
    scope: &Scope,
    since: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    received_since_query(scope, since, limit).load(conn)
}

/// The statement of [`received_since`].
pub fn received_since_query(
    scope: &Scope,
    since: NaiveDateTime,
    limit: i64,
) -> impl PlannedQuery<'static, QueueRow> {
    base(scope)
        .filter(requests::status.eq_any(open_statuses()))
        .filter(
            requests::received_at
                .gt(since)
                .or(requests::submitted_at.gt(since)),
        )
        .order((
            requests::due_on.is_null().asc(),
            requests::due_on.asc(),
            requests::id.asc(),
        ))
        .limit(limit)
        .select(QueueRow::as_select())
}

/// How many requests in scope per status (unconfirmed and anonymised
/// excluded), whatever the filters.
pub fn counts_by_status(conn: &mut DbConn, scope: &Scope) -> QueryResult<Vec<(Status, i64)>> {
    let rows: Vec<(String, i64)> = counts_by_status_query(scope).load(conn)?;
    Ok(Status::ALL
        .into_iter()
        .filter(|s| *s != Status::Unconfirmed)
        .map(|s| {
            let n = rows
                .iter()
                .find(|(code, _)| code == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s, n)
        })
        .collect())
}

/// The statement of [`counts_by_status`].
pub fn counts_by_status_query(scope: &Scope) -> impl PlannedQuery<'static, (String, i64)> {
    let mut query = requests::table
        .filter(requests::status.ne(Status::Unconfirmed.as_str()))
        .filter(requests::anonymised_at.is_null())
        .group_by(requests::status)
        .select((requests::status, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(requests::controller_id.eq_any(ids.to_vec()));
    }
    query
}

/// A request by id if it is in scope; `None` both when it does not exist
/// and when it belongs to another controller.
pub fn find_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    id: &RequestId,
) -> QueryResult<Option<Request>> {
    find_in_scope_query(scope, id).get_result(conn).optional()
}

/// The statement of [`find_in_scope`].
pub fn find_in_scope_query<'a>(scope: &Scope, id: &'a RequestId) -> impl PlannedQuery<'a, Request> {
    let mut query = requests::table
        .filter(requests::id.eq(id))
        .select(Request::as_select())
        .limit(1)
        .into_boxed();
    if let Some(ids) = scope.controller_ids() {
        query = query.filter(requests::controller_id.eq_any(ids.to_vec()));
    }
    query
}

/// The controller of a request, whoever's it is: only to record an attempt
/// to reach a request outside the account's scope.
pub fn controller_of(conn: &mut DbConn, id: &RequestId) -> QueryResult<Option<ControllerId>> {
    requests::table
        .find(id)
        .select(requests::controller_id)
        .first(conn)
        .optional()
}

/// The request a proof belongs to, whoever's it is: only to record an
/// attempt to reach a proof through another request's URL.
pub fn request_of_proof(conn: &mut DbConn, proof_id: &ProofId) -> QueryResult<Option<RequestId>> {
    identity_proofs::table
        .find(proof_id)
        .select(identity_proofs::request_id)
        .first(conn)
        .optional()
}

/// A request's messages and notes, oldest first, each with its staff
/// author's e-mail when there is one. Call only for a request already
/// found in scope.
pub fn messages_with_authors(
    conn: &mut DbConn,
    request_id: &RequestId,
) -> QueryResult<Vec<(Message, Option<String>)>> {
    messages_with_authors_query(request_id).load(conn)
}

/// The statement of [`messages_with_authors`].
pub fn messages_with_authors_query(
    request_id: &RequestId,
) -> impl PlannedQuery<'_, (Message, Option<String>)> {
    request_messages::table
        .left_join(staff::table.on(request_messages::author_staff_id.eq(staff::id.nullable())))
        .filter(request_messages::request_id.eq(request_id))
        .order((
            request_messages::created_at.asc(),
            request_messages::id.asc(),
        ))
        .select((Message::as_select(), staff::email.nullable()))
}

/// One line of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    /// The staff member's e-mail, for staff events.
    pub staff_email: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The audit events of a request, oldest first, with the staff e-mails.
/// Call only for a request already found in scope.
pub fn timeline(conn: &mut DbConn, request_id: &RequestId) -> QueryResult<Vec<TimelineEntry>> {
    let rows: Vec<TimelineRow> = timeline_query(request_id).load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(occurred_at, actor_kind, action, detail, staff_email)| TimelineEntry {
                occurred_at,
                actor_kind,
                staff_email,
                action,
                detail,
            },
        )
        .collect())
}

/// occurred_at, actor_kind, action, detail, staff e-mail.
pub type TimelineRow = (NaiveDateTime, String, String, String, Option<String>);

/// The audit event of a staff member opening a request's page: in the
/// trail, not in the page's timeline (which would grow with every visit).
pub const VIEWED_EVENT: &str = "request.viewed";

/// The statement of [`timeline`].
pub fn timeline_query(request_id: &RequestId) -> impl PlannedQuery<'_, TimelineRow> {
    events::table
        .left_join(staff::table.on(events::actor_id.eq(staff::id.nullable())))
        .filter(events::request_id.eq(request_id))
        .filter(events::action.ne(VIEWED_EVENT))
        .order(events::seq.asc())
        .select((
            events::occurred_at,
            events::actor_kind,
            events::action,
            events::detail,
            staff::email.nullable(),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            due_on: NaiveDate::from_ymd_opt(2026, 3, 2),
            id: "0190-abc".into(),
        };
        assert_eq!(c.encode(), "2026-03-02|0190-abc");
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        let none = Cursor {
            due_on: None,
            id: "x".into(),
        };
        assert_eq!(Cursor::parse(&none.encode()), Some(none));
        assert_eq!(Cursor::parse("garbage"), None);
        assert_eq!(Cursor::parse("2026-13-01|x"), None);
        assert_eq!(Cursor::parse("2026-03-01|"), None);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("Dupont"), "%dupont%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
