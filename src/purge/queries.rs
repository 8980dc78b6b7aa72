//! The purge's candidate queries, written once as macros so that the run
//! (on [`DbConn`]) and [`explain`] (on the concrete SQLite or PostgreSQL
//! connection, for the benchmark and the index test) use the very same
//! query.
//!
//! Each query is shaped for one partial index, so a run with nothing due
//! reads a few index pages:
//!
//! | rule | index |
//! |---|---|
//! | closed requests (proofs, personal data) | `requests_purge_personal_idx (closed_at) WHERE anonymised_at IS NULL` |
//! | unconfirmed submissions | `requests_unconfirmed_idx (submitted_at) WHERE status = 'unconfirmed'` |
//! | proofs after identity accepted | `requests_identity_accepted_idx (identity_accepted_at) WHERE proofs_purged_at IS NULL AND identity_accepted_at IS NOT NULL` |
//! | connection data of requests | `requests_connection_data_idx (submitted_at) WHERE submitter_ip IS NOT NULL OR submitter_user_agent IS NOT NULL` |
//! | suppression entries | `suppression_entries_created_idx (created_at)` |
//! | login records, staff sessions | `login_records_occurred_idx`, `staff_sessions_created_idx` |
//!
//! The controller is compared as `controller_id || '' = ?`: without
//! statistics SQLite's planner prefers any index that starts with an
//! equality (`requests_queue_idx (controller_id, status, due_on)`), which
//! would read every request of the controller each night. The
//! concatenation hides the column from the planner, leaving the partial
//! index on the cut-off column as the only candidate; PostgreSQL, which
//! has statistics, picks the same index either way.
//!
//! Batches are walked by keyset on `(reference instant, id)`: the lower
//! bound is repeated as `instant >= :t` so the index range starts at the
//! cursor instead of the beginning, and memory stays at one batch.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Text, Untyped};

use crate::db::schema::requests;
use crate::domain::ids::RequestId;
use crate::domain::request::{RequestKind, Status};

/// Statuses after which the retention period runs.
pub(crate) const TERMINAL: [&str; 2] = ["closed", "withdrawn"];

/// Below every stored instant: the keyset cursor's starting point. (Not
/// `NaiveDateTime::MIN`, which PostgreSQL cannot represent.)
pub(crate) fn floor() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(1900, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date")
}

/// Where a keyset walk stands: the last `(instant, id)` seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn start() -> Self {
        Cursor {
            at: floor(),
            id: String::new(),
        }
    }
}

/// A closed or withdrawn request past its horizon.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = requests)]
pub(crate) struct ClosedCandidate {
    pub id: RequestId,
    pub kind: RequestKind,
    pub status: Status,
    pub closed_at: Option<NaiveDateTime>,
    pub legal_hold: bool,
}

/// A request identified by its reference instant for the keyset walk.
#[derive(Debug, Clone, Queryable)]
pub(crate) struct Candidate {
    pub id: RequestId,
    pub at: Option<NaiveDateTime>,
    pub kind: RequestKind,
    pub status: Status,
    pub legal_hold: bool,
}

/// A suppression-list entry past its retention.
#[derive(Debug, Clone, Queryable)]
pub(crate) struct EntryCandidate {
    pub id: String,
    pub at: NaiveDateTime,
    pub request_id: Option<RequestId>,
}

/// `controller_id || '' = ?`: see the module doc.
macro_rules! same_controller {
    ($column:expr, $controller_id:expr) => {
        $column.concat("").eq($controller_id)
    };
}
pub(crate) use same_controller;

/// Terminal requests of `$controller_id` of one of `$kinds`, closed at or
/// before `$cutoff`, not anonymised yet.
macro_rules! closed_due {
    ($controller_id:expr, $kinds:expr, $cutoff:expr) => {{
        use $crate::db::schema::requests as r;
        r::table
            .filter(r::anonymised_at.is_null())
            .filter(r::closed_at.le($cutoff))
            .filter($crate::purge::queries::same_controller!(
                r::controller_id,
                $controller_id
            ))
            .filter(r::kind.eq_any($kinds))
            .filter(r::status.eq_any($crate::purge::queries::TERMINAL))
    }};
}
pub(crate) use closed_due;

macro_rules! closed_candidates {
    ($controller_id:expr, $kinds:expr, $cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::requests as r;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        $crate::purge::queries::closed_due!($controller_id, $kinds, $cutoff)
            .filter(r::closed_at.ge(cursor.at))
            .filter(r::closed_at.gt(cursor.at).or(r::id.gt(cursor.id.as_str())))
            .order_by((r::closed_at.asc(), r::id.asc()))
            .limit($limit)
            .select($crate::purge::queries::ClosedCandidate::as_select())
    }};
}
pub(crate) use closed_candidates;

/// Unconfirmed web submissions of `$controller_id` made at or before
/// `$cutoff`. The status is a literal so that both backends can match the
/// partial index's `WHERE status = 'unconfirmed'` whatever the plan cache
/// does with parameters.
macro_rules! unconfirmed_due {
    ($controller_id:expr, $cutoff:expr) => {{
        use $crate::db::schema::requests as r;
        r::table
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "requests.status = 'unconfirmed'",
            ))
            .filter(r::submitted_at.le($cutoff))
            .filter($crate::purge::queries::same_controller!(
                r::controller_id,
                $controller_id
            ))
    }};
}
pub(crate) use unconfirmed_due;

macro_rules! unconfirmed_candidates {
    ($controller_id:expr, $cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::requests as r;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        $crate::purge::queries::unconfirmed_due!($controller_id, $cutoff)
            .filter(r::submitted_at.ge(cursor.at))
            .filter(
                r::submitted_at
                    .gt(cursor.at)
                    .or(r::id.gt(cursor.id.as_str())),
            )
            .order_by((r::submitted_at.asc(), r::id.asc()))
            .limit($limit)
            .select((
                r::id,
                r::submitted_at.nullable(),
                r::kind,
                r::status,
                r::legal_hold,
            ))
    }};
}
pub(crate) use unconfirmed_candidates;

/// Requests of `$controller_id` whose identity was accepted at or before
/// `$now` and whose proofs are still there.
macro_rules! identity_accepted_due {
    ($controller_id:expr, $now:expr) => {{
        use $crate::db::schema::requests as r;
        r::table
            .filter(r::proofs_purged_at.is_null())
            .filter(r::identity_accepted_at.is_not_null())
            .filter(r::identity_accepted_at.le($now))
            .filter(r::anonymised_at.is_null())
            .filter($crate::purge::queries::same_controller!(
                r::controller_id,
                $controller_id
            ))
    }};
}
pub(crate) use identity_accepted_due;

macro_rules! identity_accepted_candidates {
    ($controller_id:expr, $now:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::requests as r;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        $crate::purge::queries::identity_accepted_due!($controller_id, $now)
            .filter(r::identity_accepted_at.ge(cursor.at))
            .filter(
                r::identity_accepted_at
                    .gt(cursor.at)
                    .or(r::id.gt(cursor.id.as_str())),
            )
            .order_by((r::identity_accepted_at.asc(), r::id.asc()))
            .limit($limit)
            .select((
                r::id,
                r::identity_accepted_at,
                r::kind,
                r::status,
                r::legal_hold,
            ))
    }};
}
pub(crate) use identity_accepted_candidates;

/// Requests of `$controller_id` submitted at or before `$cutoff` that still
/// hold an IP address or a user agent. The OR is written exactly as the
/// partial index's predicate, which SQLite needs to match it.
macro_rules! connection_due {
    ($controller_id:expr, $cutoff:expr) => {{
        use $crate::db::schema::requests as r;
        r::table
            .filter(
                r::submitter_ip
                    .is_not_null()
                    .or(r::submitter_user_agent.is_not_null()),
            )
            .filter(r::submitted_at.le($cutoff))
            .filter($crate::purge::queries::same_controller!(
                r::controller_id,
                $controller_id
            ))
    }};
}
pub(crate) use connection_due;

macro_rules! connection_candidates {
    ($controller_id:expr, $cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::requests as r;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        $crate::purge::queries::connection_due!($controller_id, $cutoff)
            .filter(r::submitted_at.ge(cursor.at))
            .filter(
                r::submitted_at
                    .gt(cursor.at)
                    .or(r::id.gt(cursor.id.as_str())),
            )
            .order_by((r::submitted_at.asc(), r::id.asc()))
            .limit($limit)
            .select((
                r::id,
                r::submitted_at.nullable(),
                r::kind,
                r::status,
                r::legal_hold,
            ))
    }};
}
pub(crate) use connection_candidates;

macro_rules! suppression_due {
    ($controller_id:expr, $cutoff:expr) => {{
        use $crate::db::schema::suppression_entries as s;
        s::table
            .filter(s::created_at.le($cutoff))
            .filter($crate::purge::queries::same_controller!(
                s::controller_id,
                $controller_id
            ))
    }};
}
pub(crate) use suppression_due;

macro_rules! suppression_candidates {
    ($controller_id:expr, $cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::suppression_entries as s;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        $crate::purge::queries::suppression_due!($controller_id, $cutoff)
            .filter(s::created_at.ge(cursor.at))
            .filter(s::created_at.gt(cursor.at).or(s::id.gt(cursor.id.as_str())))
            .order_by((s::created_at.asc(), s::id.asc()))
            .limit($limit)
            .select((s::id, s::created_at, s::request_id))
    }};
}
pub(crate) use suppression_candidates;

macro_rules! login_records_candidates {
    ($cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::login_records as l;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        l::table
            .filter(l::occurred_at.le($cutoff))
            .filter(l::occurred_at.ge(cursor.at))
            .filter(
                l::occurred_at
                    .gt(cursor.at)
                    .or(l::id.gt(cursor.id.as_str())),
            )
            .order_by((l::occurred_at.asc(), l::id.asc()))
            .limit($limit)
            .select((l::id, l::occurred_at))
    }};
}
pub(crate) use login_records_candidates;

macro_rules! staff_sessions_candidates {
    ($cutoff:expr, $cursor:expr, $limit:expr) => {{
        use $crate::db::schema::staff_sessions as ss;
        let cursor: &$crate::purge::queries::Cursor = $cursor;
        ss::table
            .filter(ss::created_at.le($cutoff))
            .filter(ss::created_at.ge(cursor.at))
            .filter(
                ss::created_at
                    .gt(cursor.at)
                    .or(ss::id.gt(cursor.id.as_str())),
            )
            .order_by((ss::created_at.asc(), ss::id.asc()))
            .limit($limit)
            .select((ss::id, ss::created_at))
    }};
}
pub(crate) use staff_sessions_candidates;

/// `EXPLAIN …` (PostgreSQL) or `EXPLAIN QUERY PLAN …` (SQLite) of any query,
/// binds included, so the plan is the plan of the real statement.
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Explain<Q> {
    prefix: &'static str,
    query: Q,
}

impl<Q, DB> QueryFragment<DB> for Explain<Q>
where
    DB: diesel::backend::Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = Untyped;
}

impl<Q, Conn> RunQueryDsl<Conn> for Explain<Q> {}

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// One of the purge's queries with the plan the database chose for it.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    /// What the query is for.
    pub name: &'static str,
    /// The SQL as diesel sends it, with its binds.
    pub sql: String,
    /// The plan, one line per row of `EXPLAIN`.
    pub plan: Vec<String>,
}

/// The plans of the purge's main candidate queries for one controller at
/// `now` with the default settings: what the benchmark prints, and what a
/// test checks uses the partial indexes rather than scanning a table.
pub fn explain(
    conn: &mut crate::db::DbConn,
    controller_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<QueryPlan>> {
    use crate::domain::retention::{Cutoffs, RetentionSettings};
    let c = Cutoffs::new(now, &RetentionSettings::default());
    let kinds = [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
    ];
    let cursor = Cursor::start();
    let limit = 500_i64;

    macro_rules! plans {
        ($conn:expr, $backend:ty, $prefix:expr, $row:ty, $field:ident, [$($name:expr => $query:expr),* $(,)?]) => {{
            let mut out = Vec::new();
            $(
                let query = $query;
                let sql = diesel::debug_query::<$backend, _>(&query).to_string();
                let rows: Vec<$row> = Explain { prefix: $prefix, query }.load($conn)?;
                out.push(QueryPlan {
                    name: $name,
                    sql,
                    plan: rows.into_iter().map(|r| r.$field).collect(),
                });
            )*
            out
        }};
    }
    macro_rules! all_plans {
        ($conn:expr, $backend:ty, $prefix:expr, $row:ty, $field:ident) => {
            plans!($conn, $backend, $prefix, $row, $field, [
                "closed requests (proofs and personal data)" =>
                    closed_candidates!(controller_id, kinds, c.request, &cursor, limit),
                "count of closed requests (progress)" =>
                    closed_due!(controller_id, kinds, c.request).count(),
                "unconfirmed submissions" =>
                    unconfirmed_candidates!(controller_id, c.unconfirmed_submission, &cursor, limit),
                "proofs after identity accepted" =>
                    identity_accepted_candidates!(controller_id, now, &cursor, limit),
                "connection data of requests" =>
                    connection_candidates!(controller_id, c.connection_data, &cursor, limit),
                "suppression entries" =>
                    suppression_candidates!(controller_id, c.suppression_entry, &cursor, limit),
                "login records" =>
                    login_records_candidates!(c.connection_data, &cursor, limit),
                "staff sessions" =>
                    staff_sessions_candidates!(c.connection_data, &cursor, limit),
            ])
        };
    }
    crate::on_backend!(conn,
        pg => Ok(all_plans!(pg, diesel::pg::Pg, "EXPLAIN ", PgPlanRow, line)),
        sqlite => Ok(all_plans!(sqlite, diesel::sqlite::Sqlite, "EXPLAIN QUERY PLAN ", SqlitePlanRow, detail)),
    )
}
